"""Chain-gap analysis (补链 / 强链 / 延链) for the city and per district, every verdict with its rule and inputs.

For a chain and a place (the city, or one 2019 map unit), each segment gets: the count of firms placed on it, its
share of the city's firms of that segment, its anchors (largest by registered capital, high-tech certified first)
and a verdict:

* **缺失 missing** — no firm, while a neighbouring segment (the stage before or after) has firms there: a link the
  chain lacks (补链);
* **薄弱 thin** — fewer firms than the floor: ``thin_floor`` firms, or ``thin_share`` of the chain's median
  segment count in that place, whichever is larger (补链);
* **优势 strong** — at least ``strong_floor`` firms and, in a district, a location quotient against the city of at
  least ``strong_lq`` (the segment's share of the district's chain firms over its share of the city's); for the
  city, at least ``strong_median`` times the chain's median segment count (强链);
* **一般 present** otherwise; **无 absent** when neither it nor its neighbours have firms there.

Dependence (延链): a segment with firms whose supplying stage (or customer stage) has none in the district depends
on suppliers (customers) outside it; the districts of the city that have them are named.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

import numpy as np

from industry_brain._core.store import Store
from industry_brain.chains._placed import ensure_placements
from industry_brain.chains._templates import STAGE_NAMES, Chain

RULE = {"thin_floor": 3, "thin_share": 0.25, "strong_floor": 5, "strong_lq": 1.25, "strong_median": 2.0,
        "anchors": 3}
VERDICTS = {
    "missing": ("缺失", "missing", "补链"),
    "thin": ("薄弱", "thin", "补链"),
    "present": ("一般", "present", ""),
    "strong": ("优势", "strong", "强链"),
    "absent": ("无", "absent", ""),
}


@dataclass(frozen=True)
class Counts:
    """Firms per (map unit, segment) of one chain: ``counts[u, s]``."""

    units: tuple[str, ...]
    segments: tuple[str, ...]
    counts: np.ndarray
    firms: np.ndarray | None = None   # distinct firms on the chain per unit (a firm may sit on several segments)


def chain_counts(store: Store, c: Chain) -> Counts:
    ensure_placements(store)
    rows = store.fetchall(
        "SELECT coalesce(e.map_unit_2019, '?') AS unit, p.segment, count(DISTINCT p.uscc) FROM chain_placement p"
        " JOIN enterprise e USING (uscc) WHERE p.chain = ? GROUP BY ALL", [c.code])
    from industry_brain.geo import MAP_UNITS_2019

    units = tuple(u.code for u in MAP_UNITS_2019) + (("?",) if any(r[0] == "?" for r in rows) else ())
    segs = tuple(s.code for s in c.segments)
    m = np.zeros((len(units), len(segs)), dtype=np.int64)
    ui, si = {u: i for i, u in enumerate(units)}, {s: i for i, s in enumerate(segs)}
    for u, s, n in rows:
        if u in ui and s in si:
            m[ui[u], si[s]] = int(n)
    firms = np.zeros(len(units), dtype=np.int64)
    for u, n in store.fetchall(
            "SELECT coalesce(e.map_unit_2019, '?'), count(DISTINCT p.uscc) FROM chain_placement p"
            " JOIN enterprise e USING (uscc) WHERE p.chain = ? GROUP BY ALL", [c.code]):
        if u in ui:
            firms[ui[u]] = int(n)
    return Counts(units, segs, m, firms)


def _verdict(count: int, neighbours_present: bool, floor: float, strong: bool) -> str:
    if count == 0:
        return "missing" if neighbours_present else "absent"
    if count < floor:
        return "thin"
    return "strong" if strong else "present"


def _rule_text(lang: str, district: bool) -> list[str]:
    r = RULE
    if lang == "zh":
        lines = ["缺失：该处无企业，而相邻环节（上一或下一阶段）有企业 → 补链",
                 f"薄弱：企业数少于 max({r['thin_floor']}, {r['thin_share']:g} × 该链各环节企业数中位数) → 补链"]
        lines.append(f"优势：企业数 ≥ {r['strong_floor']} 且区位商（本区该环节占本区该链企业之比 ÷ 全市之比）≥ {r['strong_lq']:g} → 强链"
                     if district else f"优势：企业数 ≥ {r['strong_floor']} 且 ≥ {r['strong_median']:g} × 该链各环节企业数中位数 → 强链")
        lines.append("依赖：有企业的环节，其上游（或下游）阶段在本区无企业，则依赖区外，列出全市有该阶段企业的区县 → 延链")
        return lines
    lines = ["missing: no firm there while a neighbouring segment (stage before or after) has firms → fill the link",
             f"thin: fewer firms than max({r['thin_floor']}, {r['thin_share']:g} × the chain's median segment count) → fill"]
    lines.append(f"strong: ≥ {r['strong_floor']} firms and a location quotient (share of the district's chain firms over the "
                 f"city's share) ≥ {r['strong_lq']:g} → strengthen" if district else
                 f"strong: ≥ {r['strong_floor']} firms and ≥ {r['strong_median']:g} × the chain's median segment count → strengthen")
    lines.append("dependence: a segment with firms whose supplying (or customer) stage has none in the district depends on "
                 "other districts, which are named → extend")
    return lines


def gaps(store: Store, c: Chain, district: str | None = None, lang: str = "zh", counts: Counts | None = None,
         ) -> dict[str, Any]:
    """The gap report of chain ``c`` for the city (``district`` None) or one 2019 map unit (``counts``: the chain's
    counts when the caller has them, as :func:`all_gaps` does for every district)."""
    from industry_brain.geo import MAP_UNITS_2019

    k = counts if counts is not None else chain_counts(store, c)
    city = k.counts.sum(axis=0)
    if district is not None:
        if district not in k.units:
            from industry_brain._core.errors import InputError

            raise InputError(f"district {district!r}: expected a 2019 map unit code ({', '.join(k.units)})",
                             field="district", value=district)
        here = k.counts[k.units.index(district)]
    else:
        here = city
    median = statistics.median(int(x) for x in here) if len(here) else 0
    floor = max(RULE["thin_floor"], RULE["thin_share"] * median)
    names = {u.code: (u.name_zh if lang == "zh" else u.name_en) for u in MAP_UNITS_2019}
    total_here, total_city = int(here.sum()), int(city.sum())
    if k.firms is not None:
        distinct = int(k.firms.sum()) if district is None else int(k.firms[k.units.index(district)])
    else:
        distinct = total_here
    segs = []
    for i, s in enumerate(c.segments):
        before, after = c.neighbours(s.code)
        idx = {x.code: j for j, x in enumerate(c.segments)}
        n_before = sum(int(here[idx[x.code]]) for x in before)
        n_after = sum(int(here[idx[x.code]]) for x in after)
        count = int(here[i])
        if district is not None:
            share_here = count / total_here if total_here else 0.0
            share_city = int(city[i]) / total_city if total_city else 0.0
            lq = share_here / share_city if share_city > 0 and total_here else None
            strong = count >= RULE["strong_floor"] and lq is not None and lq >= RULE["strong_lq"]
        else:
            lq = None
            strong = count >= RULE["strong_floor"] and count >= RULE["strong_median"] * median
        verdict = _verdict(count, (n_before + n_after) > 0, floor, strong)
        depends: list[dict[str, Any]] = []
        if count > 0 and district is not None:
            for side, group, n in (("upstream", before, n_before), ("downstream", after, n_after)):
                if group and n == 0:
                    cols = [idx[x.code] for x in group]
                    where = [(k.units[u], int(k.counts[u, cols].sum())) for u in range(len(k.units))
                             if k.units[u] != district and int(k.counts[u, cols].sum()) > 0]
                    where.sort(key=lambda t: (-t[1], t[0]))
                    depends.append({"side": side, "segments": [x.code for x in group],
                                    "outside": [{"unit": u, "name": names.get(u, u), "firms": n} for u, n in where[:5]]})
        zh, en, action = VERDICTS[verdict]
        segs.append({
            "segment": s.code, "name": s.name(lang), "stage": s.stage,
            "stage_name": STAGE_NAMES[s.stage][0 if lang == "zh" else 1], "firms": count,
            "city_firms": int(city[i]), "share_of_city": round(count / int(city[i]), 4) if int(city[i]) else None,
            "lq": round(lq, 3) if lq is not None else None, "verdict": verdict, "verdict_name": zh if lang == "zh" else en,
            "action": action, "depends": depends,
            "why": _why(lang, verdict, count, floor, median, lq, n_before, n_after, district is not None),
            "source": {"line": s.source.line, "quote": s.source.quote} if s.source else None,
        })
    return {"chain": c.code, "chain_name": c.name(lang), "district": district,
            "district_name": names.get(district, district) if district else ("杭州市" if lang == "zh" else "Hangzhou"),
            "firms": distinct, "placements": total_here, "median_segment": median, "thin_floor": floor, "segments": segs,
            "rule": _rule_text(lang, district is not None), "params": dict(RULE)}


def _why(lang: str, verdict: str, count: int, floor: float, median: float, lq: float | None, before: int, after: int,
         district: bool) -> str:
    if lang == "zh":
        parts = [f"企业 {count} 家", f"薄弱线 {floor:g}（中位数 {median:g}）", f"上一阶段 {before} 家、下一阶段 {after} 家"]
        if district:
            parts.append(f"区位商 {lq:.2f}" if lq is not None else "区位商无（全市无此环节）")
    else:
        parts = [f"{count} firms", f"thin floor {floor:g} (median {median:g})", f"stage before {before}, after {after}"]
        if district:
            parts.append(f"LQ {lq:.2f}" if lq is not None else "no LQ (none in the city)")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def all_gaps(store: Store, all_chains: tuple[Chain, ...], lang: str = "zh") -> dict[str, Any]:
    """Every chain's gap report for the city and every district (one counting pass per chain)."""
    from industry_brain.geo import MAP_UNITS_2019

    out: dict[str, Any] = {}
    for c in all_chains:
        k = chain_counts(store, c)
        out[c.code] = {"city": gaps(store, c, None, lang, k),
                       "districts": {u.code: gaps(store, c, u.code, lang, k) for u in MAP_UNITS_2019}}
    return out


def anchors(store: Store, c: Chain, segment: str, district: str | None = None, limit: int = 3) -> list[dict[str, Any]]:
    """The anchor firms of a segment: high-tech certified first, then the largest by registered capital (万元)."""
    where, args = "p.chain = ? AND p.segment = ?", [c.code, segment]
    if district:
        where += " AND e.map_unit_2019 = ?"
        args.append(district)
    rows = store.fetchall(
        f"SELECT e.uscc, e.name, e.capital_wan_cny, e.hightech, e.map_unit_2019, p.confidence, p.phrases"
        f" FROM chain_placement p JOIN enterprise e USING (uscc) WHERE {where}"
        f" ORDER BY e.hightech DESC, e.capital_wan_cny DESC NULLS LAST, e.uscc LIMIT ?", [*args, limit])
    keys = ("uscc", "name", "capital_wan_cny", "hightech", "unit", "confidence", "phrases")
    return [dict(zip(keys, (*r[:6], list(r[6])), strict=True)) for r in rows]


def firms_on(store: Store, c: Chain, segment: str, district: str | None = None, limit: int = 50,
             offset: int = 0) -> dict[str, Any]:
    """The firms placed on a segment (optionally of one district), most confident first, with what placed them."""
    ensure_placements(store)
    where, args = "p.chain = ? AND p.segment = ?", [c.code, segment]
    if district:
        where += " AND e.map_unit_2019 = ?"
        args.append(district)
    total = store.fetchone(f"SELECT count(*) FROM chain_placement p JOIN enterprise e USING (uscc) WHERE {where}", args)
    rows = store.fetchall(
        f"SELECT e.uscc, e.name, e.map_unit_2019, e.capital_wan_cny, e.hightech, p.score, p.confidence, p.phrases"
        f" FROM chain_placement p JOIN enterprise e USING (uscc) WHERE {where}"
        f" ORDER BY p.confidence DESC, e.uscc LIMIT ? OFFSET ?", [*args, limit, offset])
    keys = ("uscc", "name", "unit", "capital_wan_cny", "hightech", "score", "confidence", "phrases")
    return {"total": int(total[0]) if total else 0,
            "firms": [dict(zip(keys, (*r[:7], list(r[7])), strict=True)) for r in rows]}


def chain_overview(store: Store, lang: str = "zh", all_chains: tuple[Chain, ...] | None = None) -> list[dict[str, Any]]:
    """Every chain with its segment count, the firms placed on it and how many of its segments are missing or thin
    for the city."""
    from industry_brain.chains._templates import chains as every

    use = all_chains or every()
    ensure_placements(store, use)
    placed = dict(store.fetchall("SELECT chain, count(DISTINCT uscc) FROM chain_placement GROUP BY chain"))
    out = []
    for c in use:
        rep = gaps(store, c, None, lang)
        out.append({"code": c.code, "name": c.name(lang), "segments": len(c.segments), "firms": int(placed.get(c.code, 0)),
                    "gaps": sum(1 for s in rep["segments"] if s["verdict"] in ("missing", "thin")),
                    "origin": c.origin, "future_industry": c.future_industry})
    return out
