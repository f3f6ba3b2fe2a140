"""The project pipeline (招商项目过程管理、动态跟踪) on the dashboard and under ``/api/v1/attract/projects``: kanban
and table views, the funnel, one project with its history and move form, new and edit forms, ledger import and
export. Pages and API read the same functions of :mod:`industry_brain.attract`.

A district officer sees and edits its own districts' projects only (403 on another's, absent from its lists);
analysts read everything; the public sees nothing; the demo is read-only.
"""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Path, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from industry_brain._core.errors import InputError, PermissionDeniedError
from industry_brain._core.store import Store
from industry_brain.accounts import Account, can
from industry_brain.web._security import check_csrf, require

api = APIRouter(prefix="/api/v1/attract", tags=["attract"])
pages = APIRouter(include_in_schema=False)

_ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "Not allowed for this role or district"},
                                            404: {"description": "No such project"},
                                            409: {"description": "The move is not allowed by the stage rules"},
                                            422: {"description": "Invalid input"}}
ProjectId = Annotated[int, Path(ge=1, le=2**31 - 1, description="Project id")]
#: the UI string of each editable field (history rows name what changed)
FIELD_LABELS = {"name": "pj_name", "district": "pj_district", "owner": "pj_owner", "target_name": "pj_target",
                "target_uscc": "pj_uscc", "investment_wan": "pj_investment", "field_code": "pj_field",
                "chain_code": "pj_chain", "segment_code": "pj_segment", "next_action": "pj_next",
                "next_action_on": "pj_due", "notes": "pj_notes"}
_FORM_KEYS = ("name", "district", "owner", "target_name", "target_uscc", "investment_wan", "field_code", "chain_code",
              "segment_code", "next_action", "next_action_on", "notes")


def _lang(request: Request) -> str:
    return "en" if request.state.lang == "en" else "zh"


def _writer(request: Request) -> Account:
    """The account when it may edit projects (in some district) and the instance is not the read-only demo."""
    if request.app.state.ib.settings.demo:
        raise PermissionDeniedError("the demo is read-only: projects cannot be created, edited or moved")
    return require(request, "edit_projects")


def _may_write(request: Request, account: Account) -> bool:
    return can(account, "edit_projects") and not request.app.state.ib.settings.demo


def project_rows(store: Store, account: Account, lang: str, *, stage: str | None = None,
                 district: str | None = None, overdue: bool | None = None) -> list[dict[str, Any]]:
    """The projects ``account`` may see, described for pages and the API."""
    from industry_brain.attract import describe_project, list_projects, stage_rules
    from industry_brain.attract._projects import in_register

    rules = stage_rules()
    found = list_projects(store, stage=stage or None, district=district or None, overdue=overdue, viewer=account,
                          rules=rules)
    registered = in_register(store, [p.target_uscc for p in found if p.target_uscc])
    return [describe_project(p, rules, lang, registered=registered) for p in found]


# --------------------------------------------------------------------------------------------------------- API
class ProjectIn(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="项目名称")
    district: str = Field(max_length=20, description="District: 2019 map unit code or name (西湖区, QTXQ)")
    stage: str | None = Field(default=None, max_length=40, description="Starting stage (default: the first)")
    owner: str | None = Field(default=None, max_length=80, description="Username of the officer in charge")
    target_name: str | None = Field(default=None, max_length=200)
    target_uscc: str | None = Field(default=None, max_length=40, description="统一社会信用代码 of the target firm")
    investment_wan: float | None = Field(default=None, ge=0, description="Expected investment, 万元")
    field_code: str | None = Field(default=None, max_length=20, description="High-tech field, level 2 or 3")
    chain_code: str | None = Field(default=None, max_length=40)
    segment_code: str | None = Field(default=None, max_length=40)
    next_action: str | None = Field(default=None, max_length=500)
    next_action_on: date | None = None
    notes: str | None = Field(default=None, max_length=2000)


class ProjectEdit(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    district: str | None = Field(default=None, max_length=20)
    owner: str | None = Field(default=None, max_length=80)
    target_name: str | None = Field(default=None, max_length=200)
    target_uscc: str | None = Field(default=None, max_length=40)
    investment_wan: float | None = Field(default=None, ge=0)
    field_code: str | None = Field(default=None, max_length=20)
    chain_code: str | None = Field(default=None, max_length=40)
    segment_code: str | None = Field(default=None, max_length=40)
    next_action: str | None = Field(default=None, max_length=500)
    next_action_on: date | None = None
    notes: str | None = Field(default=None, max_length=2000)
    reason: str | None = Field(default=None, max_length=500, description="Why (kept in the history)")


class MoveIn(BaseModel):
    to: str = Field(max_length=40, description="Stage or outcome, by code or name (洽谈, signed, 终止)")
    reason: str | None = Field(default=None, max_length=500, description="Required to go back, drop or hold")


@api.get("/projects", responses=_ERRORS, summary="Projects the caller may see, newest first; filter by stage, district, overdue")
def api_projects(request: Request, stage: Annotated[str | None, Query(max_length=40)] = None,
                 district: Annotated[str | None, Query(max_length=20)] = None,
                 overdue: bool | None = None) -> list[dict[str, Any]]:
    account = require(request, "view_projects")
    with request.app.state.ib.store() as store:
        return project_rows(store, account, _lang(request), stage=stage, district=district, overdue=overdue)


@api.post("/projects", status_code=201, responses=_ERRORS, summary="Create a project")
def api_create(request: Request, body: ProjectIn) -> dict[str, Any]:
    account = _writer(request)
    check_csrf(request, None)
    from industry_brain.attract import add_project, project_detail

    values = body.model_dump(exclude={"stage"})
    with request.app.state.ib.store() as store:
        p = add_project(store, values, actor=account.username, viewer=account, stage=body.stage)
        return project_detail(store, p.project_id, viewer=account, lang=_lang(request))


@api.get("/projects/funnel", responses=_ERRORS, summary="Reached, conversion and days per stage, with the rules")
def api_funnel(request: Request, district: Annotated[str | None, Query(max_length=20)] = None) -> dict[str, Any]:
    account = require(request, "view_projects")
    from industry_brain.attract import funnel

    with request.app.state.ib.store() as store:
        return funnel(store, district=district or None, viewer=account, lang=_lang(request))


@api.get("/projects/stages", responses=_ERRORS, summary="The stages and the rules for moving between them")
def api_stages(request: Request) -> dict[str, Any]:
    require(request, "view_projects")
    from industry_brain.attract import stage_rules

    return stage_rules().to_dict(_lang(request))


@api.get("/projects/export", responses=_ERRORS, summary="The ledger as XLSX or CSV, with the import's Chinese headers")
def api_export(request: Request, format: Literal["xlsx", "csv"] = "xlsx",
               district: Annotated[str | None, Query(max_length=20)] = None,
               stage: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    account = require(request, "view_projects")
    from industry_brain.attract import ledger_bytes, ledger_rows

    with request.app.state.ib.store() as store:
        header, rows = ledger_rows(store, viewer=account, district=district or None, stage=stage or None)
    media = ("text/csv; charset=utf-8" if format == "csv"
             else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"projects-{date.today().isoformat()}.{format}"
    return Response(ledger_bytes(header, rows, format), media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


async def _save_upload(request: Request, file: UploadFile) -> FilePath:
    name = FilePath(file.filename or "ledger.xlsx").name
    if FilePath(name).suffix.lower() not in (".xlsx", ".xlsm", ".csv"):
        raise InputError(f"unsupported file type {FilePath(name).suffix or name!r}: expected .xlsx or .csv", file=name)
    limit = request.app.state.ib.settings.max_upload_mb * 1024 * 1024
    folder: FilePath = request.app.state.ib.settings.home / "uploads" / "projects" / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    size = 0
    with target.open("wb") as out:
        while chunk := await file.read(1 << 20):
            size += len(chunk)
            if size > limit:
                out.close()
                target.unlink(missing_ok=True)
                raise InputError(f"file {name!r} is larger than the limit of {limit // (1024 * 1024)} MiB", file=name)
            out.write(chunk)
    return target


def _import(request: Request, account: Account, path: FilePath) -> dict[str, Any]:
    from industry_brain.attract import import_ledger

    with request.app.state.ib.store() as store:
        return import_ledger(store, path, actor=account.username, viewer=account).to_dict()


@api.post("/projects/import", status_code=201, responses=_ERRORS,
          summary="Import a district's project ledger (XLSX/CSV, Chinese headers); bad rows quarantined")
async def api_import(request: Request, file: Annotated[UploadFile, File(description="招商项目台账 XLSX or CSV")],
                     csrf_token: Annotated[str | None, Form()] = None) -> dict[str, Any]:
    account = _writer(request)
    check_csrf(request, csrf_token)
    from fastapi.concurrency import run_in_threadpool

    path = await _save_upload(request, file)
    return await run_in_threadpool(_import, request, account, path)


@api.get("/projects/{project_id}", responses=_ERRORS, summary="One project with its history and allowed moves")
def api_project(request: Request, project_id: ProjectId) -> dict[str, Any]:
    account = require(request, "view_projects")
    from industry_brain.attract import project_detail

    with request.app.state.ib.store() as store:
        return project_detail(store, project_id, viewer=account, lang=_lang(request))


@api.patch("/projects/{project_id}", responses=_ERRORS, summary="Edit the given fields of a project")
def api_edit(request: Request, project_id: ProjectId, body: ProjectEdit) -> dict[str, Any]:
    account = _writer(request)
    check_csrf(request, None)
    from industry_brain.attract import edit_project, project_detail

    values = body.model_dump(exclude_unset=True, exclude={"reason"})
    with request.app.state.ib.store() as store:
        edit_project(store, project_id, values, actor=account.username, viewer=account, reason=body.reason)
        return project_detail(store, project_id, viewer=account, lang=_lang(request))


@api.post("/projects/{project_id}/moves", status_code=201, responses=_ERRORS,
          summary="Move a project to another stage (by the stage rules; a refused move says what is allowed)")
def api_move(request: Request, project_id: ProjectId, body: MoveIn) -> dict[str, Any]:
    account = _writer(request)
    check_csrf(request, None)
    from industry_brain.attract import move_project, project_detail

    with request.app.state.ib.store() as store:
        move_project(store, project_id, body.to, actor=account.username, reason=body.reason, viewer=account)
        return project_detail(store, project_id, viewer=account, lang=_lang(request))


# ------------------------------------------------------------------------------------------------------- pages
def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    from industry_brain import taxonomy
    from industry_brain.attract import stage_rules
    from industry_brain.chains import chains
    from industry_brain.web import _views
    from industry_brain.web._pages import render

    lang = _lang(request)
    rules = stage_rules()
    return render(request, name, nav="attract", tab="projects", pj_rules=rules.to_dict(lang), field_labels=FIELD_LABELS,
                  unit_options=_views.unit_options(2019, request.state.lang),
                  field_options=[{"code": f.code, "name": f.name(lang)} for f in taxonomy.fields(level=2)],
                  chain_options=[{"code": c.code, "name": c.name(lang),
                                  "segments": [{"code": s.code, "name": s.name(lang)} for s in c.segments]}
                                 for c in chains()],
                  **context)


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@pages.get("/attract/projects", response_class=HTMLResponse)
def page_projects(request: Request, view: Literal["kanban", "table"] = "kanban",
                  stage: Annotated[str, Query(max_length=40)] = "", district: Annotated[str, Query(max_length=20)] = "",
                  overdue: Annotated[str, Query(max_length=5)] = "") -> HTMLResponse:
    account = require(request, "view_projects")
    from industry_brain.attract import funnel

    lang = _lang(request)
    with request.app.state.ib.store() as store:
        rows = project_rows(store, account, lang, stage=stage, district=district, overdue=bool(overdue) or None)
        fun = funnel(store, district=district or None, viewer=account, lang=lang)
    by_stage: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        by_stage.setdefault(r["stage"], []).append(r)
    return _render(request, "attract_projects.html", projects=rows, by_stage=by_stage, funnel=fun, view=view,
                   stage=stage, district=district, overdue=overdue, may_write=_may_write(request, account),
                   overdue_count=sum(1 for r in rows if r["overdue"]), today=date.today().isoformat())


@pages.get("/attract/projects/new", response_class=HTMLResponse)
def page_new(request: Request) -> HTMLResponse:
    account = _writer(request)
    units = None if account.role != "district_officer" else set(account.districts)
    # opened from a firm on the targets page: the form starts with that firm, its field and the district
    q = request.query_params
    prefill = {k: (q.get(k) or "")[:200] for k in ("name", "district", "target_name", "target_uscc", "field")}
    if not prefill["name"] and prefill["target_name"]:
        prefill["name"] = prefill["target_name"]
    return _render(request, "attract_projects_form.html", project=None, action="/attract/projects",
                   own_units=units, prefill=prefill)


async def _form(request: Request, extra: str) -> tuple[dict[str, str], str, str]:
    """The project fields of a posted form, its CSRF token, and the ``extra`` field (stage or reason)."""
    form = await request.form()
    values = {k: str(form.get(k) or "") for k in _FORM_KEYS}
    return values, str(form.get("csrf_token") or ""), str(form.get(extra) or "").strip()


@pages.post("/attract/projects", response_class=HTMLResponse)
async def page_create(request: Request) -> Response:
    account = _writer(request)
    values, csrf, stage = await _form(request, "stage")
    check_csrf(request, csrf)
    from fastapi.concurrency import run_in_threadpool

    from industry_brain.attract import add_project

    def save() -> int:
        with request.app.state.ib.store() as store:
            return add_project(store, values, actor=account.username, viewer=account, stage=stage or None).project_id

    pid = await run_in_threadpool(save)
    return _redirect(f"/attract/projects/{pid}")


@pages.post("/attract/projects/import", response_class=HTMLResponse)
async def page_import(request: Request, file: Annotated[UploadFile, File()],
                      csrf_token: Annotated[str | None, Form()] = None) -> HTMLResponse:
    account = _writer(request)
    check_csrf(request, csrf_token)
    from fastapi.concurrency import run_in_threadpool

    path = await _save_upload(request, file)
    report = await run_in_threadpool(_import, request, account, path)
    return _render(request, "attract_projects_import.html", report=report)


@pages.get("/attract/projects/{project_id}", response_class=HTMLResponse)
def page_project(request: Request, project_id: ProjectId) -> HTMLResponse:
    account = require(request, "view_projects")
    from industry_brain.attract import project_detail

    with request.app.state.ib.store() as store:
        detail = project_detail(store, project_id, viewer=account, lang=_lang(request))
    return _render(request, "attract_projects_detail.html", d=detail, p=detail["project"],
                   may_write=detail["may_edit"] and _may_write(request, account))


@pages.post("/attract/projects/{project_id}/move", response_class=HTMLResponse)
def page_move(request: Request, project_id: ProjectId, to: Annotated[str, Form(max_length=40)],
              reason: Annotated[str, Form(max_length=500)] = "",
              csrf_token: Annotated[str | None, Form()] = None) -> Response:
    account = _writer(request)
    check_csrf(request, csrf_token)
    from industry_brain.attract import move_project

    with request.app.state.ib.store() as store:
        move_project(store, project_id, to, actor=account.username, reason=reason or None, viewer=account)
    return _redirect(f"/attract/projects/{project_id}#history")


@pages.get("/attract/projects/{project_id}/edit", response_class=HTMLResponse)
def page_edit(request: Request, project_id: ProjectId) -> HTMLResponse:
    account = _writer(request)
    from industry_brain.attract import get_project
    from industry_brain.attract._projects import check_may

    with request.app.state.ib.store() as store:
        p = get_project(store, project_id, viewer=account)
    check_may(account, "edit_projects", p.district)
    units = None if account.role != "district_officer" else set(account.districts)
    return _render(request, "attract_projects_form.html", project=p.to_dict(), action=f"/attract/projects/{project_id}",
                   own_units=units)


@pages.post("/attract/projects/{project_id}", response_class=HTMLResponse)
async def page_update(request: Request, project_id: ProjectId) -> Response:
    account = _writer(request)
    values, csrf, reason = await _form(request, "reason")
    check_csrf(request, csrf)
    from fastapi.concurrency import run_in_threadpool

    from industry_brain.attract import edit_project

    def save() -> None:
        with request.app.state.ib.store() as store:
            edit_project(store, project_id, values, actor=account.username, viewer=account, reason=reason or None)

    await run_in_threadpool(save)
    return _redirect(f"/attract/projects/{project_id}")
