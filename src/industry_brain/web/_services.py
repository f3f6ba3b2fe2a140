"""The innovation-service platform on the dashboard and under ``/api/v1/services``: providers, needs, matches with
their reasons, engagements, ratings and credit. Pages and API read the same view functions."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from industry_brain._core.errors import PermissionDeniedError
from industry_brain._core.store import Store
from industry_brain.web._security import check_csrf, require

api = APIRouter(prefix="/api/v1/services", tags=["services"])
pages = APIRouter(include_in_schema=False)

_ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "Not allowed for this role"},
                                            404: {"description": "Not found"}, 409: {"description": "Conflict"},
                                            422: {"description": "Invalid input"}}
Id = Annotated[str, Path(max_length=40)]


def _lang(request: Request) -> str:
    return "en" if request.state.lang == "en" else "zh"


def _writable(request: Request, action: str = "manage_services") -> None:
    require(request, action)
    if request.app.state.ib.settings.demo:
        raise PermissionDeniedError("the demo is read-only: needs, ratings and credit events cannot be added")


# ------------------------------------------------------------------------------------------------------- views
def provider_rows(store: Store, lang: str, kind: str | None = None, district: str | None = None) -> list[dict[str, Any]]:
    from industry_brain.services import kinds, providers, shown_ratings

    shown = shown_ratings(store)
    out = []
    for p in providers(store, kind=kind or None, district=district or None):
        k = kinds().get(p.kind)
        r = shown.get(p.provider_id)
        out.append({**p.to_dict(), "kind_name": k.name(lang) if k else p.kind,
                    "rating": round(r.shown, 2) if r else None, "ratings": r.ratings if r else 0})
    return out


def provider_profile(store: Store, provider_id: str, lang: str, with_fits: bool = True) -> dict[str, Any]:
    from industry_brain.services import credit, get_provider, kinds, needs_for_provider, shown_rating

    p = get_provider(store, provider_id)
    k = kinds().get(p.kind)
    ratings = store.fetchall(
        "SELECT r.engagement_id, e.need_id, r.rater, r.quality, r.timeliness, r.value_for_money, r.communication,"
        " r.overall, r.comment, r.created_at FROM service_rating r JOIN service_engagement e USING (engagement_id)"
        " WHERE r.provider_id = ? ORDER BY r.created_at DESC LIMIT 50", [provider_id])
    keys = ("engagement_id", "need_id", "rater", "quality", "timeliness", "value_for_money", "communication",
            "overall", "comment", "created_at")
    return {
        "provider": {**p.to_dict(), "kind_name": k.name(lang) if k else p.kind},
        "rating": shown_rating(store, provider_id).to_dict(lang),
        "ratings": [dict(zip(keys, r, strict=True)) for r in ratings],
        "credit": credit(store, provider_id).to_dict(lang),
        "fits": needs_for_provider(store, provider_id, 5, lang) if with_fits else None,
    }


def need_rows(store: Store, status: str | None = None) -> list[dict[str, Any]]:
    from industry_brain.services import needs

    return [n.to_dict() for n in needs(store, status=status or None)]


def need_matches(store: Store, need_id: str, k: int, lang: str) -> dict[str, Any]:
    from industry_brain.services import COMPONENTS, kinds, match_need

    res = match_need(store, need_id, k, lang).to_dict()
    for m in res["matches"]:
        kind = kinds().get(m["provider"]["kind"])
        m["provider"]["kind_name"] = kind.name(lang) if kind else m["provider"]["kind"]
    res["components"] = list(COMPONENTS)
    return res


# --------------------------------------------------------------------------------------------------------- API
class NeedIn(BaseModel):
    text: str = Field(min_length=1, max_length=500, description="The request in the firm's own words")
    field: str | None = Field(default=None, max_length=40, description="High-tech field code or name")
    district: str | None = Field(default=None, max_length=20, description="District code or name")
    deadline: date | None = None
    budget_wan: float | None = Field(default=None, ge=0)
    uscc: str | None = Field(default=None, max_length=40)


class EngagementIn(BaseModel):
    need_id: str = Field(max_length=40)
    provider_id: str = Field(max_length=40)


class RatingIn(BaseModel):
    rater: str = Field(min_length=1, max_length=80)
    quality: int = Field(ge=1, le=5)
    timeliness: int = Field(ge=1, le=5)
    value_for_money: int = Field(ge=1, le=5)
    communication: int = Field(ge=1, le=5)
    comment: str | None = Field(default=None, max_length=500)


class CreditEventIn(BaseModel):
    kind: str = Field(description="complaint_upheld | contract_broken | award | penalty")
    occurred_on: date
    detail: str | None = Field(default=None, max_length=500)
    source: str | None = Field(default=None, max_length=200)


@api.get("/providers", responses=_ERRORS, summary="Service providers (服务机构), optionally of one kind or district")
def api_providers(request: Request, kind: str | None = None, district: str | None = None) -> list[dict[str, Any]]:
    require(request, "view_providers")
    with request.app.state.ib.store() as store:
        return provider_rows(store, _lang(request), kind, district)


@api.get("/providers/{provider_id}", responses=_ERRORS, summary="A provider's profile: rating (Bayesian), credit grade and rule, needs it fits")
def api_provider(request: Request, provider_id: Id) -> dict[str, Any]:
    account = require(request, "view_providers")
    from industry_brain.accounts import can

    with request.app.state.ib.store() as store:
        return provider_profile(store, provider_id, _lang(request), with_fits=can(account, "view_needs"))


@api.get("/needs", responses=_ERRORS, summary="Needs (需求)")
def api_needs(request: Request, status: str | None = None) -> list[dict[str, Any]]:
    require(request, "view_needs")
    with request.app.state.ib.store() as store:
        return need_rows(store, status)


@api.post("/needs", status_code=201, responses=_ERRORS, summary="Record a need")
def api_add_need(request: Request, body: NeedIn) -> dict[str, Any]:
    _writable(request)
    check_csrf(request, None)
    from industry_brain.services import add_need

    with request.app.state.ib.store() as store:
        return add_need(store, body.text, field_code=body.field, district=body.district, deadline=body.deadline,
                        budget_wan=body.budget_wan, uscc=body.uscc, owner=require(request, "manage_services").username).to_dict()


@api.get("/needs/{need_id}/matches", responses=_ERRORS, summary="Providers for a need, each with the components and reasons of its score")
async def api_matches(request: Request, need_id: Id, k: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    require(request, "view_needs")
    lang = _lang(request)

    def compute() -> dict[str, Any]:
        with request.app.state.ib.store() as store:
            return need_matches(store, need_id, k, lang)

    return await run_in_threadpool(compute)


@api.get("/providers/{provider_id}/fits", responses=_ERRORS, summary="The reverse: open needs a provider fits")
def api_fits(request: Request, provider_id: Id, k: Annotated[int, Query(ge=1, le=100)] = 10) -> list[dict[str, Any]]:
    require(request, "view_needs")
    from industry_brain.services import needs_for_provider

    with request.app.state.ib.store() as store:
        return needs_for_provider(store, provider_id, k, _lang(request))


@api.post("/engagements", status_code=201, responses=_ERRORS, summary="A provider chosen for a need")
def api_engage(request: Request, body: EngagementIn) -> dict[str, Any]:
    _writable(request)
    check_csrf(request, None)
    from industry_brain.services import engage, engagement

    with request.app.state.ib.store() as store:
        eid = engage(store, body.need_id, body.provider_id, actor=require(request, "manage_services").username)
        return engagement(store, eid)


@api.post("/engagements/{engagement_id}/rating", status_code=201, responses=_ERRORS,
          summary="Rate an engagement (once); the rating also becomes a credit event")
def api_rate(request: Request, engagement_id: int, body: RatingIn) -> dict[str, Any]:
    _writable(request)
    check_csrf(request, None)
    from industry_brain.services import rate

    stars = {"quality": body.quality, "timeliness": body.timeliness, "value_for_money": body.value_for_money,
             "communication": body.communication}
    with request.app.state.ib.store() as store:
        return rate(store, engagement_id, body.rater, stars, comment=body.comment)


@api.get("/providers/{provider_id}/credit", responses=_ERRORS, summary="Credit grade, score, events, history and the rule")
def api_credit(request: Request, provider_id: Id, as_of: date | None = None) -> dict[str, Any]:
    require(request, "view_providers")
    from industry_brain.services import credit

    with request.app.state.ib.store() as store:
        return credit(store, provider_id, as_of).to_dict(_lang(request))


@api.post("/providers/{provider_id}/credit-events", status_code=201, responses=_ERRORS, summary="Record a credit event")
def api_credit_event(request: Request, provider_id: Id, body: CreditEventIn) -> dict[str, Any]:
    _writable(request)
    check_csrf(request, None)
    from industry_brain._core.errors import InputError
    from industry_brain.services import record_event

    if body.kind == "rating":
        raise InputError("rating events come from a rating of an engagement", field="kind")
    with request.app.state.ib.store() as store:
        return {"event_id": record_event(store, provider_id, body.kind, body.occurred_on, detail=body.detail,
                                         source=body.source)}


@api.get("/credit-log/verify", responses=_ERRORS, summary="Check the whole credit log against its verifier key")
def api_verify(request: Request) -> dict[str, Any]:
    require(request, "view_providers")
    from industry_brain.services import verify_credit_log

    return verify_credit_log()


# ------------------------------------------------------------------------------------------------------- pages
def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    from industry_brain import taxonomy
    from industry_brain.services import criteria
    from industry_brain.services._vocab import vocabulary
    from industry_brain.web import _views
    from industry_brain.web._pages import render

    lang = _lang(request)
    units = {u["code"]: u["name"] for u in _views.unit_options(2019, request.state.lang)}
    level2 = [{"code": f.code, "name": f.name_zh if lang == "zh" else f.name_en} for f in taxonomy.fields(level=2)]
    events = {k: v[lang] for k, v in vocabulary()["credit"]["events"].items()}
    return render(request, name, nav="services", unit_names=units, level2_fields=level2,
                  criteria={k: v[lang] for k, v in criteria().items()}, event_names=events, **context)


@pages.get("/services", response_class=HTMLResponse)
def page_needs(request: Request, status: str = "") -> HTMLResponse:
    account = require(request, "view_needs")
    from industry_brain.accounts import can
    from industry_brain.web import _views

    with request.app.state.ib.store() as store:
        rows = need_rows(store, status)
    return _render(request, "services_needs.html", needs=rows, status_filter=status,
                   can_submit=can(account, "manage_services") and not request.app.state.ib.settings.demo,
                   unit_options=_views.unit_options(2019, request.state.lang))


@pages.post("/services/needs", response_class=HTMLResponse)
def page_add_need(request: Request, text: Annotated[str, Form(max_length=500)], field: Annotated[str, Form()] = "",
                  district: Annotated[str, Form()] = "", csrf_token: Annotated[str | None, Form()] = None) -> Response:
    _writable(request)
    check_csrf(request, csrf_token)
    from industry_brain.services import add_need

    with request.app.state.ib.store() as store:
        need = add_need(store, text, field_code=field or None, district=district or None,
                        owner=require(request, "manage_services").username)
    return RedirectResponse(f"/services/needs/{need.need_id}", status_code=303)


@pages.get("/services/needs/{need_id}", response_class=HTMLResponse)
def page_match(request: Request, need_id: str) -> HTMLResponse:
    require(request, "view_needs")
    with request.app.state.ib.store() as store:
        res = need_matches(store, need_id, 10, _lang(request))
    return _render(request, "services_match.html", res=res)


@pages.get("/services/providers", response_class=HTMLResponse)
def page_providers(request: Request, kind: str = "", district: str = "") -> HTMLResponse:
    require(request, "view_providers")
    from industry_brain.services import kinds
    from industry_brain.web import _views

    lang = _lang(request)
    with request.app.state.ib.store() as store:
        rows = provider_rows(store, lang, kind, district)
    return _render(request, "services_providers.html", providers=rows, kind=kind, district=district,
                   kinds=[(k.code, k.name(lang)) for k in kinds().values()],
                   unit_options=_views.unit_options(2019, request.state.lang))


@pages.get("/services/providers/{provider_id}", response_class=HTMLResponse)
def page_provider(request: Request, provider_id: str) -> HTMLResponse:
    account = require(request, "view_providers")
    from industry_brain.accounts import can

    with request.app.state.ib.store() as store:
        profile = provider_profile(store, provider_id, _lang(request), with_fits=can(account, "view_needs"))
    log_index = {e["event_id"]: e["log_index"] for e in profile["credit"]["events"]}
    return _render(request, "services_provider.html", p=profile, log_index=log_index)
