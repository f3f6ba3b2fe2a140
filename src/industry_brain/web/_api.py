"""``/api/v1``: JSON for everything the pages show. One error envelope; pagination; cache headers on map data."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from industry_brain._core.store import Store
from industry_brain.web import _jobs, _register_views, _views
from industry_brain.web._security import check_csrf, current_account, require
from industry_brain.web._state import AppState

router = APIRouter(prefix="/api/v1", tags=["industry-brain"])

Vintage = Annotated[int, Query(description="Division vintage: 2019 (14 map units incl. 钱塘新区) or 2021 (13 districts).", ge=2019, le=2021)]


class ErrorBody(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid_input, permission_denied.")
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class ErrorEnvelope(BaseModel):
    error: ErrorBody


_ERRORS: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorEnvelope, "description": "Not allowed for this role"},
    404: {"model": ErrorEnvelope, "description": "Not found"},
    422: {"model": ErrorEnvelope, "description": "Invalid input"},
}


def _json_body(payload: Any) -> tuple[bytes, str]:
    body = json.dumps(payload, ensure_ascii=False, default=_views.json_default, separators=(",", ":")).encode()
    return body, '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _send(request: Request, body: bytes, etag: str, max_age: int) -> Response:
    cache = f"public, max-age={max_age}" if max_age else "private, no-cache"
    headers = {"ETag": etag, "Cache-Control": cache, "Vary": "Cookie"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


def _cached_json(request: Request, payload: Any, max_age: int = 60) -> Response:
    """JSON with an ETag and Cache-Control; answers 304 when the client has it already."""
    body, etag = _json_body(payload)
    return _send(request, body, etag, max_age)


async def _memo_json(request: Request, compute: Callable[[AppState, Store], Any], max_age: int = 60) -> Response:
    """Like ``_cached_json`` for data that depends only on the register, the URL and the language: the encoded
    body and its ETag are kept per register version, so a repeated request costs a dictionary lookup."""
    state: AppState = request.app.state.ib
    version = state.known_version()
    key = ("json", request.url.path, request.url.query, request.state.lang, version, state.patents_stamp())
    hit: tuple[bytes, str] | None = state.peek(key) if version is not None else None
    if hit is None:

        def miss() -> tuple[bytes, str]:
            with state.store() as store:
                fresh = (*key[:4], state.register_version(store), key[5])
                return state.cached(fresh, lambda: _json_body(compute(state, store)))  # type: ignore[no-any-return]

        hit = await run_in_threadpool(miss)  # the database and the contexts block: off the event loop
    body, etag = hit
    return _send(request, body, etag, max_age)


@router.get("/meta", responses=_ERRORS, summary="Version, mode, vintages and a register summary")
async def meta(request: Request) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, _views.meta, max_age=10)


@router.get("/me", responses=_ERRORS, summary="Who is asking, and what the role may do")
async def me(request: Request) -> dict[str, Any]:
    account = current_account(request)
    from industry_brain.accounts import can

    return {**account.to_dict(), "may": {a: can(account, a) for a in ("view_aggregates", "view_enterprises", "import", "manage_users")},
            "demo": request.app.state.ib.settings.demo}


@router.get("/geo/{vintage}", responses=_ERRORS, summary="GeoJSON boundaries of the map units of a vintage (illustrative, GCJ-02)")
def geo(request: Request, vintage: Literal["2019", "2021"]) -> Response:
    require(request, "view_aggregates")
    return _cached_json(request, _views.boundaries(int(vintage), request.state.lang), max_age=86400)


@router.get("/map", responses=_ERRORS, summary="Choropleth data: counts per map unit for all fields, one field, or a future industry")
async def map_data(
    request: Request,
    vintage: Vintage = 2019,
    layer: Annotated[str, Query(description="all | field:<code> (10..80 or a level-2 code) | future:<code> (ai, vr, ...)", max_length=40)] = "all",
) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.map_layer(state, store, vintage, layer, request.state.lang))


@router.get("/units", responses=_ERRORS, summary="Every map unit with its totals, rank and top fields")
async def units(request: Request, vintage: Vintage = 2019) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.units_overview(state, store, vintage, request.state.lang))


@router.get("/units/{code}", responses=_ERRORS, summary="A unit's panel: blurb, counts by field, rank, top fields, LQ, change")
async def unit(request: Request, code: Annotated[str, Path(max_length=12)], vintage: Vintage = 2019) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.unit_detail(state, store, code, vintage, request.state.lang))


@router.get("/fields", responses=_ERRORS, summary="The 8 high-tech fields with totals, shares, concentration and blurbs")
async def fields(request: Request, vintage: Vintage = 2019) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.fields_overview(state, store, vintage, request.state.lang))


@router.get("/fields/{code}", responses=_ERRORS, summary="A field: counts by unit, share, concentration, top units, blurb")
async def field(request: Request, code: Annotated[str, Path(max_length=12)], vintage: Vintage = 2019) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.field_detail(state, store, code, vintage, request.state.lang))


@router.get("/future-industries", responses=_ERRORS, summary="Enterprises classified into the 7 future industries, by unit")
async def future(request: Request, vintage: Vintage = 2019) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.future_view(state, store, vintage, request.state.lang))


@router.get("/enterprises", responses=_ERRORS, summary="Search enterprises by name, pinyin initials or credit code; filter by unit and field")
def enterprises(
    request: Request,
    q: Annotated[str, Query(max_length=100)] = "",
    unit: Annotated[str | None, Query(max_length=12)] = None,
    field: Annotated[str | None, Query(max_length=12)] = None,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=200)] = 50,
) -> dict[str, Any]:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        return _register_views.enterprise_list(store, q=q, unit=unit, field=field, page=page, per_page=per_page, lang=request.state.lang)


@router.get("/enterprises/{uscc}", responses=_ERRORS, summary="The enterprise portrait (企业画像)")
async def enterprise(request: Request, uscc: Annotated[str, Path(max_length=40)]) -> Response:
    require(request, "view_enterprises")
    return await _memo_json(request, lambda state, store: _register_views.portrait(store, uscc, request.state.lang, state), max_age=0)


@router.get("/imports", responses=_ERRORS, summary="Import batches, newest first")
def imports(request: Request) -> list[dict[str, Any]]:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        return _register_views.batches(store)


@router.post("/imports", status_code=202, responses=_ERRORS,
             summary="Upload an XLSX/CSV/Parquet register; returns a job to poll")
async def upload(
    request: Request,
    file: Annotated[UploadFile, File(description="XLSX, CSV or Parquet")],
    source: Annotated[str | None, Form(max_length=80)] = None,
    sheet: Annotated[str | None, Form(max_length=80)] = None,
    csrf_token: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    account = require(request, "import")
    check_csrf(request, csrf_token)
    limit = request.app.state.ib.settings.max_upload_mb * 1024 * 1024
    job = await _jobs.start_import(request.app.state.ib, account, file, source=source or None, sheet=sheet or None, limit=limit)
    return JSONResponse(job, status_code=202)


@router.get("/imports/jobs/{job_id}", responses=_ERRORS, summary="Progress and, when done, the validation report of an upload")
def job(request: Request, job_id: Annotated[str, Path(max_length=64)]) -> dict[str, Any]:
    account = require(request, "view_enterprises")
    return _jobs.get_job(request.app.state.ib, job_id, account)


@router.get("/imports/{batch_id}", responses=_ERRORS, summary="An import batch's validation report")
def batch(request: Request, batch_id: int) -> dict[str, Any]:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        return _register_views.batch_report(store, batch_id, request.state.lang)


@router.get("/imports/{batch_id}/quarantine", responses=_ERRORS, summary="Quarantined rows of a batch (paginated)")
def quarantine(
    request: Request,
    batch_id: int,
    page: Annotated[int, Query(ge=1, le=100000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=500)] = 100,
) -> dict[str, Any]:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        return _register_views.quarantine_page(store, batch_id, page, per_page, request.state.lang)


@router.get("/imports/{batch_id}/quarantine.xlsx", responses=_ERRORS, summary="Quarantined rows of a batch as XLSX")
def quarantine_xlsx(request: Request, batch_id: int) -> FileResponse:
    require(request, "view_enterprises")
    with request.app.state.ib.store() as store:
        path = _register_views.quarantine_xlsx(request.app.state.ib, store, batch_id)
    return FileResponse(path, filename=f"quarantine-batch-{batch_id}.xlsx",
                        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/published", responses=_ERRORS, summary="Every figure the magazine printed, checked against the register")
async def published(request: Request) -> Response:
    require(request, "view_aggregates")
    return await _memo_json(request, lambda state, store: _views.published_check(state, store, request.state.lang))


@router.get("/reconstruction", responses=_ERRORS, summary="The reconstructed 14 × 8 table with printed / implied / estimated cells")
def reconstruction(request: Request) -> Response:
    require(request, "view_aggregates")
    return _cached_json(request, _views.reconstruction(request.app.state.ib, request.state.lang), max_age=3600)


@router.get("/talent", responses=_ERRORS, summary="The scarce-talent survey: indices with intervals, charts, the catalogue")
def talent(request: Request) -> dict[str, Any]:
    require(request, "view_aggregates")
    with request.app.state.ib.store() as store:
        return _views.talent(store, request.state.lang)

