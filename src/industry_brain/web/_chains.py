"""Industry chains on the dashboard (the command view, 数字化指挥系统) and under ``/api/v1/chains``: every chain as a
left-to-right diagram of its segments with counts and gap colours, a segment's firms, anchors, patents and
policies, the gap report with its rule, the five-chain graph and the peer-city benchmark. Pages and API read the
same view functions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from industry_brain._core.store import Store
from industry_brain.accounts import can
from industry_brain.web._security import check_csrf, require

api = APIRouter(prefix="/api/v1/chains", tags=["chains"])
pages = APIRouter(include_in_schema=False)
_ERRORS: dict[int | str, dict[str, Any]] = {403: {"description": "Not allowed for this role"},
                                            404: {"description": "Not found"}, 422: {"description": "Invalid input"}}
Code = Annotated[str, Path(max_length=40)]
District = Annotated[str | None, Query(max_length=20, description="2019 map unit code or name; empty: the city")]


def _lang(request: Request) -> str:
    return "en" if request.state.lang == "en" else "zh"


def _district(text: str | None) -> str | None:
    from industry_brain._core.errors import InputError
    from industry_brain.geo import map_unit_code

    if not text:
        return None
    code = map_unit_code(text)
    if code is None:
        raise InputError(f"district {text!r}: not a Hangzhou district (2019 map unit code or name)", field="district",
                         value=text)
    return code


def _patent_counts(request: Request) -> dict[str, int]:
    state = request.app.state.ib.patents_state()
    if state is None:
        return {}
    led = state.ledger
    firm = {p.party: p.uscc for p in led.parties.values() if p.uscc}
    out: dict[str, int] = {}
    for pat in led.patents.values():
        for owner in {firm[o] for o in pat.owners if o in firm}:
            out[owner] = out.get(owner, 0) + 1
    return out


# ------------------------------------------------------------------------------------------------------- views
def chain_view(store: Store, code: str, district: str | None, lang: str) -> dict[str, Any]:
    """A chain, its gap report (city or district) and the centrality of its segments."""
    from industry_brain.chains import chain, gaps, last_run, segment_centrality

    c = chain(code)
    rep = gaps(store, c, district, lang)
    central = segment_centrality(store, c) if store.fetchone("SELECT 1 FROM chain_edge LIMIT 1") else {}
    for s in rep["segments"]:
        s["betweenness"] = central.get(s["segment"], {}).get("betweenness")
    return {"chain": c.to_dict(lang), "gaps": rep, "run": last_run(store)}


def segment_view(store: Store, code: str, segment: str, district: str | None, lang: str, with_firms: bool,
                 patents: dict[str, int]) -> dict[str, Any]:
    """A segment's firms (for who may see enterprises), anchors, patents of its firms and the policies that
    target it."""
    from industry_brain.chains import anchors, chain, firms_on, policies_for

    c = chain(code)
    s = c.segment(segment)
    listed = firms_on(store, c, segment, district, limit=500)
    patent_firms = {f["uscc"]: patents.get(f["uscc"], 0) for f in listed["firms"] if patents.get(f["uscc"])}
    before, after = c.neighbours(segment)
    out: dict[str, Any] = {
        "chain": c.code, "segment": s.to_dict(lang), "district": district, "firms_total": listed["total"],
        "suppliers": [x.to_dict(lang) for x in before], "customers": [x.to_dict(lang) for x in after],
        "patents": {"firms_with_patents": len(patent_firms), "patents": sum(patent_firms.values())},
        "policies": policies_for(store, c.code, segment, district),
    }
    if with_firms:
        rows = anchors(store, c, segment, district)
        for a in rows:
            a["patents"] = patents.get(a["uscc"], 0)
        out["anchors"] = rows
        out["firms"] = [{**f, "patents": patents.get(f["uscc"], 0)} for f in listed["firms"][:50]]
    return out


# --------------------------------------------------------------------------------------------------------- API
@api.get("", responses=_ERRORS, summary="Every chain with its segments, firms placed and gaps for the city")
def api_chains(request: Request) -> list[dict[str, Any]]:
    require(request, "view_aggregates")
    from industry_brain.chains import chain_overview

    with request.app.state.ib.store() as store:
        return chain_overview(store, _lang(request))


@api.get("/peers", responses=_ERRORS, summary="Peer-city benchmark of the life-health chain: printed comparisons as intervals")
def api_peers(request: Request) -> dict[str, Any]:
    require(request, "view_aggregates")
    from industry_brain.chains import benchmark

    with request.app.state.ib.store() as store:
        return benchmark(store, _lang(request))


class PeerFigureIn(BaseModel):
    city: str = Field(max_length=20, description="beijing | shanghai | suzhou (or 北京/上海/苏州)")
    indicator: str = Field(max_length=60)
    value: float = Field(ge=0)
    unit: str | None = Field(default=None, max_length=20)
    year: int | None = Field(default=None, ge=1990, le=2100)
    source: str = Field(min_length=1, max_length=200, description="who measured it")


@api.post("/peers/figures", status_code=201, responses=_ERRORS, summary="Record a measured figure of a peer city")
def api_add_peer(request: Request, body: PeerFigureIn) -> dict[str, Any]:
    require(request, "import")
    check_csrf(request, None)
    if request.app.state.ib.settings.demo:
        from industry_brain._core.errors import PermissionDeniedError

        raise PermissionDeniedError("the demo is read-only")
    from industry_brain.chains import add_peer_figure

    with request.app.state.ib.store() as store:
        return add_peer_figure(store, body.city, body.indicator, body.value, unit=body.unit, year=body.year,
                               source=body.source)


@api.get("/{code}", responses=_ERRORS, summary="A chain: segments with counts, gap verdicts (补链/强链/延链) and the rule")
async def api_chain(request: Request, code: Code, district: District = None) -> dict[str, Any]:
    require(request, "view_aggregates")
    lang = _lang(request)

    def compute() -> dict[str, Any]:
        with request.app.state.ib.store() as store:
            return chain_view(store, code, _district(district), lang)

    return await run_in_threadpool(compute)


@api.get("/{code}/segments/{segment}", responses=_ERRORS,
         summary="A segment: firms (roles that see enterprises), anchors, patents and policies")
def api_segment(request: Request, code: Code, segment: Code, district: District = None) -> dict[str, Any]:
    account = require(request, "view_aggregates")
    patents = _patent_counts(request)
    with request.app.state.ib.store() as store:
        return segment_view(store, code, segment, _district(district), _lang(request),
                            can(account, "view_enterprises"), patents)


@api.get("/{code}/gaps", responses=_ERRORS, summary="The gap report of every district and the city")
def api_gaps(request: Request, code: Code) -> dict[str, Any]:
    require(request, "view_aggregates")
    from industry_brain.chains import all_gaps, chain

    with request.app.state.ib.store() as store:
        report: dict[str, Any] = all_gaps(store, (chain(code),), _lang(request))[code]
        return report


@api.get("/firms/{uscc}", responses=_ERRORS, summary="Why a firm is placed where it is: phrases, scores, the rule")
def api_firm(request: Request, uscc: Annotated[str, Path(max_length=20)]) -> dict[str, Any]:
    require(request, "view_enterprises")
    from industry_brain.chains import explain_firm

    with request.app.state.ib.store() as store:
        return explain_firm(store, uscc)


@api.post("/graph", responses=_ERRORS, summary="Rebuild the five-chain graph from the current data")
def api_build_graph(request: Request) -> dict[str, Any]:
    require(request, "import")
    check_csrf(request, None)
    from industry_brain.chains import build_graph, chains

    with request.app.state.ib.store() as store:
        return build_graph(store, chains(), request.app.state.ib.patents_state())


@api.get("/graph/summary", responses=_ERRORS, summary="Nodes and edges of the five-chain graph by layer and kind")
def api_graph(request: Request) -> dict[str, Any]:
    require(request, "view_aggregates")
    from industry_brain.chains import graph_summary

    with request.app.state.ib.store() as store:
        return graph_summary(store)


# ------------------------------------------------------------------------------------------------------- pages
def _render(request: Request, name: str, **context: Any) -> HTMLResponse:
    from industry_brain.web._pages import render

    return render(request, name, nav="chains", **context)


@pages.get("/chains", response_class=HTMLResponse)
def page_chains(request: Request) -> HTMLResponse:
    require(request, "view_aggregates")
    from industry_brain.chains import chain_overview, last_run

    with request.app.state.ib.store() as store:
        rows = chain_overview(store, _lang(request))
        run = last_run(store)
    return _render(request, "chains.html", chains=rows, run=run)


@pages.get("/chains/peers", response_class=HTMLResponse)
def page_peers(request: Request) -> HTMLResponse:
    require(request, "view_aggregates")
    from industry_brain.chains import benchmark

    with request.app.state.ib.store() as store:
        bench = benchmark(store, _lang(request))
    return _render(request, "chains_peers.html", bench=bench)


@pages.get("/chains/{code}", response_class=HTMLResponse)
def page_chain(request: Request, code: str, district: str = "") -> HTMLResponse:
    account = require(request, "view_aggregates")
    from industry_brain.web import _views

    d = _district(district)
    with request.app.state.ib.store() as store:
        view = chain_view(store, code, d, _lang(request))
    stages: dict[str, list[dict[str, Any]]] = {"upstream": [], "midstream": [], "downstream": []}
    for s in view["gaps"]["segments"]:
        stages[s["stage"]].append(s)
    return _render(request, "chain.html", view=view, stages=stages, district=d or "",
                   unit_options=_views.unit_options(2019, request.state.lang),
                   can_view_firms=can(account, "view_enterprises"))
