"""Watch lists and alerts (监测预警) on the dashboard and under ``/api/v1/attract``: the inbox with its filters, mark
read, the district's watch list (add, remove, add anchors), the JSON API and a JSON Feed 1.1 of the alerts.

Who sees what (:func:`industry_brain.accounts.can`): ``view_alerts`` — analysts and admins every district, a
district officer only its own; ``manage_watch`` — admins and a district officer for its own districts. The public
role gets 403. The read-only demo shows everything an analyst sees and changes nothing."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from industry_brain._core.errors import PermissionDeniedError
from industry_brain.accounts import Account, can
from industry_brain.web._security import check_csrf, require

api = APIRouter(prefix="/api/v1/attract", tags=["attract"])
pages = APIRouter(include_in_schema=False)

_ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "Not allowed for this role or district"},
                                            404: {"description": "Not found"},
                                            422: {"description": "Invalid input"}}
FEED_TYPE = "application/feed+json"
AlertId = Annotated[int, Path(ge=1, le=2_147_483_647)]


def _lang(request: Request) -> str:
    return "en" if request.state.lang == "en" else "zh"


def _scope(request: Request, action: str, district: str | None) -> tuple[Account, list[str] | None]:
    """The account and the districts it may read under ``action``: the one asked for (checked), else a district
    officer's own, else every district (None)."""
    from industry_brain.attract import district_of

    account = require(request, action)
    if district:
        code = district_of(district)
        require(request, action, unit=code)
        return account, [code]
    if account.role == "district_officer":
        return account, list(account.districts)
    return account, None


def _writable(request: Request, district: str) -> tuple[Account, str]:
    """The account and district code when it may change that district's watch list here."""
    from industry_brain.attract import district_of

    code = district_of(district)
    account = require(request, "manage_watch", unit=code)
    if request.app.state.ib.settings.demo:
        raise PermissionDeniedError("the demo is read-only: watch lists and alerts cannot be changed")
    return account, code


def _alert_for(request: Request, alert_id: int) -> Account:
    """The account when it may see (and so mark) the alert's district; the demo is read-only."""
    from industry_brain.attract import get_alert

    with request.app.state.ib.store() as store:
        district = get_alert(store, alert_id).district
    account = require(request, "view_alerts", unit=district)
    if request.app.state.ib.settings.demo:
        raise PermissionDeniedError("the demo is read-only: alerts cannot be marked read")
    return account


def alert_rows(request: Request, districts: list[str] | None, kind: str | None, unread: bool | None,
               uscc: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    from industry_brain.attract import list_alerts

    with request.app.state.ib.store() as store:
        return [a.to_dict(_lang(request)) for a in list_alerts(store, districts=districts, kind=kind or None,
                                                               unread=unread, uscc=uscc or None, limit=limit)]


# --------------------------------------------------------------------------------------------------------- API
class WatchIn(BaseModel):
    district: str = Field(max_length=20, description="2019 map unit code or name, e.g. 330106 or 西湖区")
    uscc: str = Field(max_length=40, description="统一社会信用代码 of the firm")
    kind: str = Field(default="target", max_length=20, description="target (招商标的) or anchor (本区龙头企业)")
    note: str | None = Field(default=None, max_length=500)


class ReadIn(BaseModel):
    read: bool = True


@api.get("/alerts", responses=_ERRORS, summary="Alerts of the watch lists, newest first, each with why and its record versions")
def api_alerts(request: Request, district: str | None = None, kind: str | None = None, unread: bool | None = None,
               uscc: str | None = None, limit: Annotated[int, Query(ge=1, le=5000)] = 200) -> list[dict[str, Any]]:
    _, districts = _scope(request, "view_alerts", district)
    return alert_rows(request, districts, kind, unread, uscc, limit)


@api.get("/alerts/feed.json", responses=_ERRORS, summary="The alerts as a JSON Feed 1.1",
         response_class=JSONResponse)
def api_feed(request: Request, district: str | None = None, kind: str | None = None, unread: bool | None = None,
             limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
    from industry_brain.attract import alert_feed, list_alerts

    _, districts = _scope(request, "view_alerts", district)
    with request.app.state.ib.store() as store:
        alerts = list_alerts(store, districts=districts, kind=kind or None, unread=unread, limit=limit)
    feed = alert_feed(alerts, base_url=str(request.base_url), lang=_lang(request))
    return JSONResponse(feed, media_type=FEED_TYPE)


@api.post("/alerts/{alert_id}/read", responses=_ERRORS, summary="Mark an alert read (or unread with read=false)")
def api_read(request: Request, alert_id: AlertId, body: ReadIn | None = None) -> dict[str, Any]:
    account = _alert_for(request, alert_id)
    check_csrf(request, None)
    from industry_brain.attract import mark_read

    with request.app.state.ib.store() as store:
        return mark_read(store, alert_id, by=account.username, read=body.read if body else True).to_dict(_lang(request))


@api.get("/watch", responses=_ERRORS, summary="Watch lists (of one district, or those the account may see)")
def api_watch(request: Request, district: str | None = None, kind: str | None = None) -> list[dict[str, Any]]:
    from industry_brain.attract import watch_list

    _, districts = _scope(request, "view_alerts", district)
    with request.app.state.ib.store() as store:
        return [w.to_dict() for w in watch_list(store, districts=districts, kind=kind or None)]


@api.post("/watch", status_code=201, responses=_ERRORS, summary="Put a firm on a district's watch list")
def api_watch_add(request: Request, body: WatchIn) -> dict[str, Any]:
    account, code = _writable(request, body.district)
    check_csrf(request, None)
    from industry_brain.attract import add_to_watch

    with request.app.state.ib.store() as store:
        return add_to_watch(store, code, body.uscc, body.kind, body.note, by=account.username).to_dict()


@api.delete("/watch/{district}/{uscc}", responses=_ERRORS, summary="Take a firm off a district's watch list")
def api_watch_remove(request: Request, district: Annotated[str, Path(max_length=20)],
                     uscc: Annotated[str, Path(max_length=40)]) -> dict[str, Any]:
    _, code = _writable(request, district)
    check_csrf(request, None)
    from industry_brain.attract import remove_from_watch

    with request.app.state.ib.store() as store:
        return remove_from_watch(store, code, uscc).to_dict()


@api.post("/watch/{district}/anchors", responses=_ERRORS, summary="Add the district's anchor firms (high-tech first, then by capital)")
def api_watch_anchors(request: Request, district: Annotated[str, Path(max_length=20)],
                      top: Annotated[int, Query(ge=1, le=200)] = 10) -> list[dict[str, Any]]:
    account, code = _writable(request, district)
    check_csrf(request, None)
    from industry_brain.attract import add_anchors

    with request.app.state.ib.store() as store:
        return add_anchors(store, code, top, by=account.username)


# ------------------------------------------------------------------------------------------------------- pages
def _back(district: str, extra: str = "") -> RedirectResponse:
    from urllib.parse import urlencode

    return RedirectResponse("/attract/alerts?" + urlencode({"district": district}) + extra, status_code=303)


@pages.get("/attract/alerts", response_class=HTMLResponse)
def page_alerts(request: Request, district: str = "", kind: str = "", unread: str = "", uscc: str = "") -> HTMLResponse:
    from industry_brain.attract import ALERT_KINDS, count_alerts, watch_list
    from industry_brain.attract._alert_kinds import KIND_LABELS
    from industry_brain.web import _views
    from industry_brain.web._pages import render

    account, districts = _scope(request, "view_alerts", district or None)
    lang = _lang(request)
    rows = alert_rows(request, districts, kind, True if unread else None, uscc)
    # the watch list shown: the district asked for, else an officer's first district
    shown = districts[0] if districts and (district or account.role == "district_officer") else None
    with request.app.state.ib.store() as store:
        items = [w.to_dict() for w in watch_list(store, shown)] if shown else []
        counts = count_alerts(store, districts=districts)
    units = _views.unit_options(2019, request.state.lang)
    allowed = ([u for u in units if u["code"] in account.districts] if account.role == "district_officer" else units)
    label_lang = "en" if lang == "en" else "zh-CN"
    return render(request, "attract_alerts.html", nav="attract", tab="alerts", alerts=rows, counts=counts,
                  district=shown or "", district_filter=district, kind=kind, unread=bool(unread), uscc=uscc,
                  kinds=[(k, KIND_LABELS.t(k, label_lang)) for k in ALERT_KINDS], unit_options=allowed,
                  unit_names={u["code"]: u["name"] for u in units}, watch=items,
                  watch_kinds=[(k, KIND_LABELS.t(k, label_lang)) for k in ("target", "anchor")],
                  severity_names={s: KIND_LABELS.t(s, label_lang) for s in ("high", "medium", "low")},
                  may_manage=bool(shown) and can(account, "manage_watch", unit=shown)
                  and not request.app.state.ib.settings.demo,
                  may_mark=not request.app.state.ib.settings.demo)


@pages.post("/attract/alerts/{alert_id}/read", response_class=HTMLResponse)
def page_read(request: Request, alert_id: AlertId, back: Annotated[str, Form(max_length=500)] = "",
              read: Annotated[str, Form()] = "1", csrf_token: Annotated[str | None, Form()] = None) -> Response:
    account = _alert_for(request, alert_id)
    check_csrf(request, csrf_token)
    from industry_brain.attract import mark_read

    with request.app.state.ib.store() as store:
        mark_read(store, alert_id, by=account.username, read=read != "0")
    target = back if back.startswith("/attract/alerts") and "//" not in back else "/attract/alerts"
    return RedirectResponse(f"{target}#alert-{alert_id}", status_code=303)


@pages.post("/attract/watch", response_class=HTMLResponse)
def page_watch_add(request: Request, district: Annotated[str, Form(max_length=20)],
                   uscc: Annotated[str, Form(max_length=40)], kind: Annotated[str, Form(max_length=20)] = "target",
                   note: Annotated[str, Form(max_length=500)] = "",
                   csrf_token: Annotated[str | None, Form()] = None) -> Response:
    account, code = _writable(request, district)
    check_csrf(request, csrf_token)
    from industry_brain.attract import add_to_watch

    with request.app.state.ib.store() as store:
        add_to_watch(store, code, uscc, kind, note or None, by=account.username)
    return _back(code, "#watch")


@pages.post("/attract/watch/remove", response_class=HTMLResponse)
def page_watch_remove(request: Request, district: Annotated[str, Form(max_length=20)],
                      uscc: Annotated[str, Form(max_length=40)],
                      csrf_token: Annotated[str | None, Form()] = None) -> Response:
    _, code = _writable(request, district)
    check_csrf(request, csrf_token)
    from industry_brain.attract import remove_from_watch

    with request.app.state.ib.store() as store:
        remove_from_watch(store, code, uscc)
    return _back(code, "#watch")


@pages.post("/attract/watch/anchors", response_class=HTMLResponse)
def page_watch_anchors(request: Request, district: Annotated[str, Form(max_length=20)],
                       top: Annotated[int, Form(ge=1, le=200)] = 10,
                       csrf_token: Annotated[str | None, Form()] = None) -> Response:
    account, code = _writable(request, district)
    check_csrf(request, csrf_token)
    from industry_brain.attract import add_anchors

    with request.app.state.ib.store() as store:
        add_anchors(store, code, top, by=account.username)
    return _back(code, "#watch")
