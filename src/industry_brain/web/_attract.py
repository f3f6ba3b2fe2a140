"""Attraction targets on the dashboard and under ``/api/v1/attract``: the fields and chain segments a district should
court, the firms to approach, and the backtest of the recommendations. Pages and API read the same functions of
the ``attract`` context."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from industry_brain.accounts import Account, can
from industry_brain.web._security import require

api = APIRouter(prefix="/api/v1/attract", tags=["attract"])
pages = APIRouter(include_in_schema=False)
_ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "Not allowed for this role"},
                                            422: {"description": "Invalid input"}}
District = Annotated[str | None, Query(max_length=20, description="2019 map unit code or name")]
PresetQ = Annotated[str, Query(max_length=20, description="low_hanging | balanced | long_jumps | chain_first")]
LevelQ = Annotated[str, Query(pattern="^l[123]$", description="field level: l1 | l2 | l3")]


def _lang(request: Request) -> str:
    return "en" if request.state.lang == "en" else "zh"


def _district(account: Account, text: str | None) -> str:
    """The district asked for (code or name), else the officer's first district, else the first map unit."""
    from industry_brain._core.errors import InputError
    from industry_brain.geo import MAP_UNITS_2019, map_unit_code

    if not text:
        return account.districts[0] if account.districts else MAP_UNITS_2019[0].code
    code = map_unit_code(text)
    if code is None:
        raise InputError(f"district {text!r}: not a Hangzhou district (2019 map unit code or name)", field="district",
                         value=text)
    return code


def _patents(request: Request) -> dict[str, int]:
    from industry_brain.web._chains import _patent_counts

    return _patent_counts(request)


def targets_view(request: Request, district: str, preset: str, level: str) -> dict[str, Any]:
    """Fields, segments and firms for one district (one computation of the field targets for all three)."""
    from industry_brain.attract import field_targets, firm_targets, segment_targets

    lang = _lang(request)
    patents = _patents(request)
    with request.app.state.ib.store() as store:
        fields = field_targets(store, district, preset_code=preset, level=level,  # type: ignore[arg-type]
                               lang=lang, limit=30)
        segs = segment_targets(store, district, level=level, lang=lang)  # type: ignore[arg-type]
        firms = firm_targets(store, district, preset_code=preset, level=level, lang=lang,  # type: ignore[arg-type]
                             limit=30, patents=patents, targets=fields)
    return {"fields": fields, "segments": segs, "firms": firms}


# --------------------------------------------------------------------------------------------------------- API
@api.get("/presets", responses=_ERRORS, summary="The weight presets of the field targets")
def api_presets(request: Request) -> list[dict[str, Any]]:
    require(request, "view_targets")
    from industry_brain.attract import PRESETS

    return [p.to_dict(_lang(request)) for p in PRESETS.values()]


@api.get("/targets", responses=_ERRORS,
         summary="Fields a district should court: relatedness, complexity, outlook gain, chain gaps, each explained")
async def api_targets(request: Request, district: District = None, preset: PresetQ = "balanced", level: LevelQ = "l2",
                      limit: Annotated[int, Query(ge=1, le=300)] = 20) -> dict[str, Any]:
    account = require(request, "view_targets")
    from industry_brain.attract import field_targets

    d = _district(account, district)

    def compute() -> dict[str, Any]:
        with request.app.state.ib.store() as store:
            return field_targets(store, d, preset_code=preset, level=level,  # type: ignore[arg-type]
                                 lang=_lang(request), limit=limit)

    return await run_in_threadpool(compute)


@api.get("/segments", responses=_ERRORS, summary="A district's missing, thin and strong chain segments with relatedness")
async def api_segments(request: Request, district: District = None) -> list[dict[str, Any]]:
    account = require(request, "view_targets")
    from industry_brain.attract import segment_targets

    d = _district(account, district)

    def compute() -> list[dict[str, Any]]:
        with request.app.state.ib.store() as store:
            return segment_targets(store, d, lang=_lang(request))

    return await run_in_threadpool(compute)


@api.get("/firms", responses=_ERRORS, summary="Firms outside a district to approach, ranked, each row saying why")
async def api_firms(request: Request, district: District = None, preset: PresetQ = "balanced", level: LevelQ = "l2",
                    limit: Annotated[int, Query(ge=1, le=500)] = 30,
                    per_field: Annotated[int, Query(ge=0, le=500)] = 5) -> dict[str, Any]:
    account = require(request, "view_targets")
    from industry_brain.attract import firm_targets

    d = _district(account, district)
    patents = _patents(request)

    def compute() -> dict[str, Any]:
        with request.app.state.ib.store() as store:
            return firm_targets(store, d, preset_code=preset, level=level,  # type: ignore[arg-type]
                                lang=_lang(request), limit=limit, patents=patents, per_field=per_field)

    return await run_in_threadpool(compute)


@api.get("/backtest", responses=_ERRORS,
         summary="Backtest: recommend from firms registered up to a year, score against what gained presence later")
async def api_backtest(request: Request, as_of: Annotated[int, Query(ge=1950, le=2100)] = 2015,
                       horizon: Annotated[int, Query(ge=1, le=30)] = 3,
                       units: Annotated[str, Query(pattern="^(district|street|county)$")] = "district", level: LevelQ = "l2",
                       presence: Annotated[str, Query(pattern="^(rca|entry)$")] = "rca", preset: PresetQ = "balanced",
                       ) -> dict[str, Any]:
    require(request, "view_targets")
    from industry_brain.attract import backtest

    def compute() -> dict[str, Any]:
        with request.app.state.ib.store() as store:
            return backtest(store, as_of, horizon, units=units, level=level,  # type: ignore[arg-type]
                            presence_rule=presence, preset_code=preset).to_dict()

    return await run_in_threadpool(compute)


@api.get("/backtests", responses=_ERRORS, summary="The backtests kept by `ib attract backtest`, newest first")
def api_backtests(request: Request) -> list[dict[str, Any]]:
    require(request, "view_targets")
    from industry_brain.attract import backtests

    with request.app.state.ib.store() as store:
        return backtests(store)


# ------------------------------------------------------------------------------------------------------- pages
def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    from industry_brain.web._pages import render

    return render(request, name, nav="attract", **context)


@pages.get("/attract", response_class=HTMLResponse)
async def page_targets(request: Request, district: str = "", preset: str = "balanced",
                       level: str = "l2") -> HTMLResponse:
    account = require(request, "view_targets")
    from industry_brain.attract import PRESETS
    from industry_brain.web import _views

    d = _district(account, district)
    view = await run_in_threadpool(targets_view, request, d, preset, level)
    return _render(request, "attract_targets.html", tab="targets", view=view, district=d, preset=preset, level=level,
                   presets=[p.to_dict(_lang(request)) for p in PRESETS.values()],
                   unit_options=_views.unit_options(2019, request.state.lang),
                   can_watch=can(account, "manage_watch", d) and not request.app.state.ib.settings.demo,
                   can_project=can(account, "edit_projects", d) and not request.app.state.ib.settings.demo)


@pages.get("/attract/backtest", response_class=HTMLResponse)
async def page_backtest(request: Request, as_of: int = 2015, horizon: int = 3, units: str = "district",
                        presence: str = "rca", level: str = "l2", preset: str = "balanced") -> HTMLResponse:
    require(request, "view_targets")
    from industry_brain._core.errors import InputError
    from industry_brain.attract import PRESETS, backtest, backtests

    def compute() -> tuple[dict[str, Any] | None, str | None, list[dict[str, Any]]]:
        with request.app.state.ib.store() as store:
            kept = backtests(store)
            try:
                res = backtest(store, as_of, horizon, units=units, level=level,  # type: ignore[arg-type]
                               presence_rule=presence, preset_code=preset).to_dict()
            except InputError as exc:
                return None, str(exc), kept
            return res, None, kept

    result, error, kept = await run_in_threadpool(compute)
    return _render(request, "attract_backtest.html", tab="targets", result=result, error=error, kept=kept,
                   params={"as_of": as_of, "horizon": horizon, "units": units, "presence": presence, "level": level,
                           "preset": preset},
                   presets=[p.to_dict(_lang(request)) for p in PRESETS.values()])
