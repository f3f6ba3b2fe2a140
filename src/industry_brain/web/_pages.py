"""Server-rendered pages (Jinja2). Each page gets its data from :mod:`industry_brain.web._views`, the same
functions the JSON API serves, so a page never shows a number the API would not."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from industry_brain import __version__
from industry_brain._core.errors import NotFoundError, PermissionDeniedError
from industry_brain.accounts import authenticate, can, create_session, revoke_session
from industry_brain.web import _register_views, _views
from industry_brain.web._i18n import UI
from industry_brain.web._security import SESSION_COOKIE, check_csrf, csrf_token, current_account, require

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(str(resources.files("industry_brain.web") / "_templates")))


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    account = current_account(request)
    lang = request.state.lang
    state = request.app.state.ib
    base = {
        "request": request,
        "lang": lang,
        "t": lambda code, **kw: UI.t(code, lang, **kw),
        "account": account,
        "csrf": csrf_token(request),
        "demo": state.settings.demo,
        "version": __version__,
        "can_view_enterprises": can(account, "view_enterprises"),
        "can_view_needs": can(account, "view_needs"),
        "can_view_targets": can(account, "view_targets"),
        "can_view_projects": can(account, "view_projects"),
        "can_view_alerts": can(account, "view_alerts"),
        "can_import": can(account, "import") and not state.settings.demo,
        "query": lambda **kw: urlencode({k: v for k, v in {**dict(request.query_params), **kw}.items() if v not in (None, "")}),
    }
    return templates.TemplateResponse(request, name, {**base, **context}, status_code=status)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error.html", status=status, status_code=status, message=message)


def _ui_json(lang: str) -> str:
    keys = ["count", "rank", "share", "lq", "hhi", "field", "change", "open_page", "click_unit", "unit", "inset"]
    return json.dumps({k: UI.t(k, lang) for k in keys}, ensure_ascii=False).replace("</", "<\\/")


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    require(request, "view_aggregates")
    lang = request.state.lang
    return render(request, "home.html", nav="map", fields=_views.field_options(lang), futures=_views.future_options(lang),
                  ui_json=_ui_json(lang))


@router.get("/units", response_class=HTMLResponse)
def units(request: Request, vintage: Annotated[int, Query()] = 2019) -> HTMLResponse:
    require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        data = _views.units_overview(request.app.state.ib, store, vintage, request.state.lang)
    return render(request, "units.html", nav="units", data=data, vintage=vintage)


@router.get("/units/{code}", response_class=HTMLResponse)
def unit_page(request: Request, code: str, vintage: Annotated[int, Query()] = 2019) -> HTMLResponse:
    account = require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        data = _views.unit_detail(request.app.state.ib, store, code, vintage, request.state.lang)
        top = (_register_views.enterprise_list(store, unit=code, vintage=vintage, per_page=20, lang=request.state.lang)
               if can(account, "view_enterprises") else None)
    return render(request, "unit.html", nav="units", u=data, top=top, vintage=vintage,
                  chart_json=_views.json_for_script({"fields": data["fields"]}))


@router.get("/fields", response_class=HTMLResponse)
def fields(request: Request, vintage: Annotated[int, Query()] = 2019) -> HTMLResponse:
    require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        data = _views.fields_overview(request.app.state.ib, store, vintage, request.state.lang)
    return render(request, "fields.html", nav="fields", data=data, vintage=vintage)


@router.get("/fields/{code}", response_class=HTMLResponse)
def field_page(request: Request, code: str, vintage: Annotated[int, Query()] = 2019) -> HTMLResponse:
    account = require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        data = _views.field_detail(request.app.state.ib, store, code, vintage, request.state.lang)
        top = (_register_views.enterprise_list(store, field=code, per_page=20, lang=request.state.lang) if can(account, "view_enterprises") else None)
    return render(request, "field.html", nav="fields", f=data, top=top, vintage=vintage,
                  chart_json=_views.json_for_script({"units": data["units"]}))


@router.get("/enterprises", response_class=HTMLResponse)
def enterprises(
    request: Request,
    q: str = "",
    unit: str = "",
    field: str = "",
    page: Annotated[int, Query(ge=1)] = 1,
) -> HTMLResponse:
    require(request, "view_enterprises")
    lang = request.state.lang
    with request.app.state.ib.store() as store:
        result = _register_views.enterprise_list(store, q=q, unit=unit or None, field=field or None, page=page, per_page=50, lang=request.state.lang)
    return render(request, "enterprises.html", nav="enterprises", result=result, q=q, unit=unit, field=field,
                  unit_options=_views.unit_options(2019, lang), field_options=_views.field_options(lang))


@router.get("/enterprises/{uscc}", response_class=HTMLResponse)
def enterprise(request: Request, uscc: str) -> HTMLResponse:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        portrait = _register_views.portrait(store, uscc, request.state.lang, request.app.state.ib)
    return render(request, "portrait.html", nav="enterprises", e=portrait)


@router.get("/import", response_class=HTMLResponse)
def import_page(request: Request) -> HTMLResponse:
    require(request, "import")
    with request.app.state.ib.store() as store:
        batches = _register_views.batches(store)
    return render(request, "import.html", nav="import", batches=batches,
                  max_mb=request.app.state.ib.settings.max_upload_mb)


@router.get("/import/{batch_id}", response_class=HTMLResponse)
def import_report(request: Request, batch_id: int) -> HTMLResponse:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        report = _register_views.batch_report(store, batch_id, request.state.lang)
    return render(request, "import_report.html", nav="import", report=report)


@router.get("/published", response_class=HTMLResponse)
def published(request: Request) -> HTMLResponse:
    require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        data = _views.published_check(request.app.state.ib, store, request.state.lang)
    return render(request, "published.html", nav="published", data=data)


@router.get("/reconstruction", response_class=HTMLResponse)
def reconstruction(request: Request) -> HTMLResponse:
    require(request, "view_aggregates")
    data = _views.reconstruction(request.app.state.ib, request.state.lang)
    return render(request, "reconstruction.html", nav="reconstruction", data=data)


@router.get("/talent", response_class=HTMLResponse)
def talent(request: Request) -> HTMLResponse:
    require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        try:
            data = _views.talent(store, request.state.lang)
        except NotFoundError:
            return render_error(request, 404, UI.t("talent_none", request.state.lang))
    return render(request, "talent.html", nav="talent", data=data, sector_names=data["sector_names"],
                  chart_json=_views.json_for_script({"charts": data["charts"]}))


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return render(request, "login.html", next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    check_csrf(request, csrf_token)
    with request.app.state.ib.store() as store:
        try:
            account = authenticate(store, username, password)
        except PermissionDeniedError:
            return render(request, "login.html", status=401, next=_safe_next(next),
                          error=UI.t("login", request.state.lang) + ": " + ("用户名或密码错误" if request.state.lang != "en" else "wrong username or password"))
        token, _csrf = create_session(store, account)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600,
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    current_account(request)
    check_csrf(request, csrf_token)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with request.app.state.ib.store() as store:
            revoke_session(store, token)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


def _safe_next(target: str) -> str:
    """Only same-site paths (no scheme, no host, no backslash tricks)."""
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target
