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
from industry_brain.accounts import Account, can, own_subject
from industry_brain.services import Need
from industry_brain.web._security import check_csrf, require

api = APIRouter(prefix="/api/v1/services", tags=["services"])
pages = APIRouter(include_in_schema=False)

_ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "Not allowed for this role"},
                                            404: {"description": "Not found"}, 409: {"description": "Conflict"},
                                            422: {"description": "Invalid input"}}
Id = Annotated[str, Path(max_length=40)]


def _lang(request: Request) -> str:
    return "en" if request.state.lang == "en" else "zh"


def _writable(request: Request, action: str = "manage_services", subject: str | None = None) -> Account:
    """The account when it may do ``action`` (on its own ``subject`` for a firm or provider) and the instance is
    not the read-only demo; CSRF is checked by the caller (forms carry it as a field)."""
    account = require(request, action, subject=subject)
    if request.app.state.ib.settings.demo:
        raise PermissionDeniedError("the demo is read-only: needs, providers, ratings and credit events cannot be changed")
    return account


def _need_owner(store: Store, need_id: str) -> str:
    """The firm a need belongs to ("" when none), as the subject an enterprise account is checked against."""
    from industry_brain.services import get_need

    return get_need(store, need_id).uscc or ""


def _subject_of_need(request: Request, store: Store, need_id: str) -> str | None:
    """What an own-records check compares: the need's firm for an enterprise account, nothing for other roles."""
    from industry_brain.web._security import current_account

    return _need_owner(store, need_id) if own_subject(current_account(request)) is not None else None


def _new_need(request: Request, account: Account, store: Store, text: str, field: str | None, district: str | None,
              deadline: date | None, budget_wan: float | None, uscc: str | None) -> Need:
    """A need entered by ``account``: a firm's account always files it for its own firm."""
    from industry_brain.services import add_need

    own = own_subject(account)
    if own is not None:
        if uscc and uscc.strip().upper() != own:
            raise PermissionDeniedError(f"an enterprise account files needs for its own firm ({own}) only")
        uscc = own
    return add_need(store, text, field_code=field or None, district=district or None, deadline=deadline,
                    budget_wan=budget_wan, uscc=uscc or None, owner=account.username)


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
    """A provider's record, shown rating, ratings, credit report and (for who may see them) the needs it fits."""
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


def need_rows(store: Store, status: str | None = None, uscc: str | None = None) -> list[dict[str, Any]]:
    from industry_brain.services import needs

    return [n.to_dict() for n in needs(store, status=status or None, uscc=uscc)]


def need_matches(store: Store, need_id: str, k: int, lang: str) -> dict[str, Any]:
    from industry_brain.services import COMPONENTS, kinds, match_need

    res = match_need(store, need_id, k, lang).to_dict()
    for m in res["matches"]:
        kind = kinds().get(m["provider"]["kind"])
        m["provider"]["kind_name"] = kind.name(lang) if kind else m["provider"]["kind"]
    res["components"] = list(COMPONENTS)
    return res


class ProviderIn(BaseModel):
    provider_id: str | None = Field(default=None, max_length=40, description="Id (generated from the name when omitted)")
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(max_length=40, description="Kind code or name (services/_data/kinds.yaml)")
    description: str = Field(min_length=1, max_length=2000)
    fields: list[str] = Field(default_factory=lambda: ["*"], description="High-tech field codes or names; * for all")
    district: str | None = Field(default=None, max_length=20)
    capacity: int | None = Field(default=None, ge=0)
    price: str | None = Field(default=None, max_length=200)
    contact: str | None = Field(default=None, max_length=100)
    phone: str | None = Field(default=None, max_length=40)
    uscc: str | None = Field(default=None, max_length=40)


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
    rater: str | None = Field(default=None, max_length=80, description="Who rates (a firm's account rates as itself)")
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


@api.post("/providers", status_code=201, responses=_ERRORS, summary="Add a provider to the directory")
def api_add_provider(request: Request, body: ProviderIn) -> dict[str, Any]:
    _writable(request)
    check_csrf(request, None)
    from industry_brain.services import provider_from_form

    with request.app.state.ib.store() as store:
        return provider_from_form(store, body.model_dump()).to_dict()


@api.put("/providers/{provider_id}", responses=_ERRORS, summary="Edit a provider (analysts, or the provider's own account)")
def api_edit_provider(request: Request, provider_id: Id, body: ProviderIn) -> dict[str, Any]:
    account = _writable(request, "edit_provider", subject=provider_id)
    check_csrf(request, None)
    from industry_brain.services import provider_from_form

    with request.app.state.ib.store() as store:
        owner = account.username if own_subject(account) else None
        return provider_from_form(store, body.model_dump(), provider_id=provider_id, owner=owner).to_dict()


@api.get("/providers/{provider_id}", responses=_ERRORS, summary="A provider's profile: rating (Bayesian), credit grade and rule, needs it fits")
def api_provider(request: Request, provider_id: Id) -> dict[str, Any]:
    account = require(request, "view_providers")
    with request.app.state.ib.store() as store:
        return provider_profile(store, provider_id, _lang(request),
                                with_fits=can(account, "view_fits", subject=provider_id))


@api.get("/needs", responses=_ERRORS, summary="Needs (需求): all for analysts and officers, a firm's own for its account")
def api_needs(request: Request, status: str | None = None) -> list[dict[str, Any]]:
    account = require(request, "view_needs")
    with request.app.state.ib.store() as store:
        return need_rows(store, status, own_subject(account))


@api.post("/needs", status_code=201, responses=_ERRORS, summary="Record a need (a firm's account files it for itself)")
def api_add_need(request: Request, body: NeedIn) -> dict[str, Any]:
    account = _writable(request, "submit_needs")
    check_csrf(request, None)
    with request.app.state.ib.store() as store:
        return _new_need(request, account, store, body.text, body.field, body.district, body.deadline,
                         body.budget_wan, body.uscc).to_dict()


@api.get("/needs/{need_id}/matches", responses=_ERRORS, summary="Providers for a need, each with the components and reasons of its score")
async def api_matches(request: Request, need_id: Id, k: Annotated[int, Query(ge=1, le=100)] = 10) -> dict[str, Any]:
    account = require(request, "view_needs")
    lang = _lang(request)

    def compute() -> dict[str, Any]:
        with request.app.state.ib.store() as store:
            if own_subject(account) is not None:
                require(request, "view_needs", subject=_need_owner(store, need_id))
            return need_matches(store, need_id, k, lang)

    return await run_in_threadpool(compute)


@api.get("/providers/{provider_id}/fits", responses=_ERRORS, summary="The reverse: open needs a provider fits")
def api_fits(request: Request, provider_id: Id, k: Annotated[int, Query(ge=1, le=100)] = 10) -> list[dict[str, Any]]:
    require(request, "view_fits", subject=provider_id)
    from industry_brain.services import needs_for_provider

    with request.app.state.ib.store() as store:
        return needs_for_provider(store, provider_id, k, _lang(request))


def _engage(request: Request, need_id: str, provider_id: str) -> dict[str, Any]:
    from industry_brain.services import engage, engagement, match_need

    with request.app.state.ib.store() as store:
        account = _writable(request, "engage", subject=_subject_of_need(request, store, need_id))
        ranked = {m["provider_id"]: m for m in match_need(store, need_id, 100).to_dict()["matches"]}
        hit = ranked.get(provider_id)
        eid = engage(store, need_id, provider_id, rank=hit["rank"] if hit else None,
                     score=hit["score"] if hit else None, actor=account.username)
        return engagement(store, eid)


def _rate(request: Request, engagement_id: int, stars: dict[str, int], rater: str | None,
          comment: str | None) -> dict[str, Any]:
    from industry_brain.services import engagement, rate

    with request.app.state.ib.store() as store:
        need_id = str(engagement(store, engagement_id)["need_id"])
        account = _writable(request, "engage", subject=_subject_of_need(request, store, need_id))
        own = own_subject(account)
        who = (account.display_name or account.username) if own is not None else (rater or account.username)
        return rate(store, engagement_id, who, stars, comment=comment or None)


@api.post("/engagements", status_code=201, responses=_ERRORS, summary="A provider chosen for a need (by the firm or an analyst)")
def api_engage(request: Request, body: EngagementIn) -> dict[str, Any]:
    require(request, "engage")
    check_csrf(request, None)
    return _engage(request, body.need_id, body.provider_id)


@api.post("/engagements/{engagement_id}/rating", status_code=201, responses=_ERRORS,
          summary="Rate an engagement (once); the rating also becomes a credit event")
def api_rate(request: Request, engagement_id: int, body: RatingIn) -> dict[str, Any]:
    require(request, "engage")
    check_csrf(request, None)
    stars = {"quality": body.quality, "timeliness": body.timeliness, "value_for_money": body.value_for_money,
             "communication": body.communication}
    return _rate(request, engagement_id, stars, body.rater, body.comment)


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


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@pages.get("/services", response_class=HTMLResponse)
def page_needs(request: Request, status: str = "") -> HTMLResponse:
    account = require(request, "view_needs")
    from industry_brain.web import _views

    with request.app.state.ib.store() as store:
        rows = need_rows(store, status, own_subject(account))
    return _render(request, "services_needs.html", needs=rows, status_filter=status,
                   can_submit=can(account, "submit_needs") and not request.app.state.ib.settings.demo,
                   own=own_subject(account), unit_options=_views.unit_options(2019, request.state.lang))


@pages.post("/services/needs", response_class=HTMLResponse)
def page_add_need(request: Request, text: Annotated[str, Form(max_length=500)], field: Annotated[str, Form()] = "",
                  district: Annotated[str, Form()] = "", deadline: Annotated[str, Form()] = "",
                  budget_wan: Annotated[str, Form()] = "", uscc: Annotated[str, Form()] = "",
                  csrf_token: Annotated[str | None, Form()] = None) -> Response:
    account = _writable(request, "submit_needs")
    check_csrf(request, csrf_token)
    from industry_brain._core.errors import InputError

    try:
        due = date.fromisoformat(deadline) if deadline else None
    except ValueError as exc:
        raise InputError(f"deadline {deadline!r}: expected a date YYYY-MM-DD", field="deadline", value=deadline) from exc
    try:
        budget = float(budget_wan) if budget_wan.strip() else None
    except ValueError as exc:
        raise InputError(f"budget {budget_wan!r}: expected an amount in 万元", field="budget_wan", value=budget_wan) from exc
    if budget is not None and budget < 0:
        raise InputError(f"budget {budget_wan!r}: expected an amount ≥ 0", field="budget_wan", value=budget_wan)
    with request.app.state.ib.store() as store:
        need = _new_need(request, account, store, text, field, district, due, budget, uscc)
    return _redirect(f"/services/needs/{need.need_id}")


@pages.get("/services/needs/{need_id}", response_class=HTMLResponse)
def page_match(request: Request, need_id: str) -> HTMLResponse:
    account = require(request, "view_needs")
    from industry_brain.services import engagements_of

    with request.app.state.ib.store() as store:
        subject = _subject_of_need(request, store, need_id)
        require(request, "view_needs", subject=subject)
        res = need_matches(store, need_id, 10, _lang(request))
        engaged = engagements_of(store, need_id)
    may_engage = can(account, "engage", subject=subject) and not request.app.state.ib.settings.demo
    return _render(request, "services_match.html", res=res, engagements=engaged, may_engage=may_engage,
                   engaged_ids={e["provider_id"] for e in engaged})


@pages.post("/services/needs/{need_id}/engage", response_class=HTMLResponse)
def page_engage(request: Request, need_id: str, provider_id: Annotated[str, Form(max_length=40)],
                csrf_token: Annotated[str | None, Form()] = None) -> Response:
    require(request, "engage")
    check_csrf(request, csrf_token)
    _engage(request, need_id, provider_id)
    return _redirect(f"/services/needs/{need_id}#engagements")


@pages.post("/services/engagements/{engagement_id}/rating", response_class=HTMLResponse)
def page_rate(request: Request, engagement_id: int, quality: Annotated[int, Form(ge=1, le=5)],
              timeliness: Annotated[int, Form(ge=1, le=5)], value_for_money: Annotated[int, Form(ge=1, le=5)],
              communication: Annotated[int, Form(ge=1, le=5)], comment: Annotated[str, Form(max_length=500)] = "",
              csrf_token: Annotated[str | None, Form()] = None) -> Response:
    require(request, "engage")
    check_csrf(request, csrf_token)
    stars = {"quality": quality, "timeliness": timeliness, "value_for_money": value_for_money,
             "communication": communication}
    rating = _rate(request, engagement_id, stars, None, comment)
    return _redirect(f"/services/needs/{rating['need_id']}#engagements")


@pages.get("/services/providers", response_class=HTMLResponse)
def page_providers(request: Request, kind: str = "", district: str = "") -> HTMLResponse:
    account = require(request, "view_providers")
    from industry_brain.services import kinds
    from industry_brain.web import _views

    lang = _lang(request)
    with request.app.state.ib.store() as store:
        rows = provider_rows(store, lang, kind, district)
    return _render(request, "services_providers.html", providers=rows, kind=kind, district=district,
                   kinds=[(k.code, k.name(lang)) for k in kinds().values()],
                   can_add=can(account, "manage_services") and not request.app.state.ib.settings.demo,
                   unit_options=_views.unit_options(2019, request.state.lang))


def _provider_form(request: Request, provider: dict[str, Any] | None, action: str) -> HTMLResponse:
    from industry_brain.services import kinds
    from industry_brain.web import _views

    lang = _lang(request)
    return _render(request, "services_provider_form.html", provider=provider, action=action,
                   kinds=[(k.code, k.name(lang)) for k in kinds().values()],
                   unit_options=_views.unit_options(2019, request.state.lang))


_PROVIDER_FORM = ("provider_id", "name", "kind", "description", "fields", "district", "capacity", "price", "contact",
                  "phone", "uscc")


async def _form_values(request: Request) -> dict[str, Any]:
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in _PROVIDER_FORM}
    values["csrf_token"] = str(form.get("csrf_token") or "")
    return values


@pages.get("/services/providers/new", response_class=HTMLResponse)
def page_new_provider(request: Request) -> HTMLResponse:
    _writable(request)
    return _provider_form(request, None, "/services/providers")


@pages.post("/services/providers", response_class=HTMLResponse)
async def page_create_provider(request: Request) -> Response:
    _writable(request)
    values = await _form_values(request)
    check_csrf(request, values.pop("csrf_token"))
    from industry_brain.services import provider_from_form

    def save() -> str:
        with request.app.state.ib.store() as store:
            return provider_from_form(store, values).provider_id

    pid = await run_in_threadpool(save)
    return _redirect(f"/services/providers/{pid}")


@pages.get("/services/providers/{provider_id}/edit", response_class=HTMLResponse)
def page_edit_provider(request: Request, provider_id: str) -> HTMLResponse:
    _writable(request, "edit_provider", subject=provider_id)
    from industry_brain.services import get_provider

    with request.app.state.ib.store() as store:
        provider = get_provider(store, provider_id).to_dict()
    return _provider_form(request, provider, f"/services/providers/{provider_id}")


@pages.post("/services/providers/{provider_id}", response_class=HTMLResponse)
async def page_update_provider(request: Request, provider_id: str) -> Response:
    account = _writable(request, "edit_provider", subject=provider_id)
    values = await _form_values(request)
    check_csrf(request, values.pop("csrf_token"))
    from industry_brain.services import provider_from_form

    def save() -> None:
        with request.app.state.ib.store() as store:
            provider_from_form(store, values, provider_id=provider_id,
                               owner=account.username if own_subject(account) else None)

    await run_in_threadpool(save)
    return _redirect(f"/services/providers/{provider_id}")


@pages.get("/services/providers/{provider_id}", response_class=HTMLResponse)
def page_provider(request: Request, provider_id: str) -> HTMLResponse:
    account = require(request, "view_providers")
    with request.app.state.ib.store() as store:
        profile = provider_profile(store, provider_id, _lang(request),
                                   with_fits=can(account, "view_fits", subject=provider_id))
    log_index = {e["event_id"]: e["log_index"] for e in profile["credit"]["events"]}
    may_edit = can(account, "edit_provider", subject=provider_id) and not request.app.state.ib.settings.demo
    return _render(request, "services_provider.html", p=profile, log_index=log_index, may_edit=may_edit)
