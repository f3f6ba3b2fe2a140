"""Which fields and chain segments a district should court (招商标的精准推荐, field level), every score explained.

For each field a district does not yet have (RCA < 1), four criteria, each standardised over those fields:

- relatedness density ``d`` — how much of the field's proximity mass the district already holds (the fields it has
  that co-locate with this one across the panel), the best single predictor of where a place diversifies;
- complexity ``PCI`` of the field (only when the panel is large and stable enough; otherwise left out and said so);
- complexity outlook gain ``COG`` — how much the field would open further complex fields nearby;
- chain gap — 1 when the field is listed by a chain segment the district misses (缺失), 0.5 when it is thin (薄弱),
  from the chains context's gap verdicts.

``score = Σ weight × criterion`` with the weights of a named preset (:data:`PRESETS`). The preset names follow the
Atlas of Economic Complexity's growth-opportunity strategies (low-hanging fruit, balanced portfolio, long jumps);
their weights, and the chain-first preset, are this project's choice, shown with every answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from industry_brain._core.errors import InputError
from industry_brain._core.store import Store
from industry_brain.attract._complexity import (
    Array,
    Stability,
    complexity,
    density,
    outlook,
    presence,
    proximity,
    rca,
    stability,
)
from industry_brain.attract._panel import (
    MIN_FIRMS,
    Level,
    Panel,
    UnitKind,
    proximity_panel,
    read_counts,
    trimmed,
)

CRITERIA = ("density", "pci", "cog", "gap")


@dataclass(frozen=True)
class Preset:
    code: str
    name_zh: str
    name_en: str
    weights: dict[str, float]
    note_zh: str
    note_en: str

    def to_dict(self, lang: str = "zh") -> dict[str, Any]:
        return {"code": self.code, "name": self.name_zh if lang == "zh" else self.name_en,
                "weights": dict(self.weights), "note": self.note_zh if lang == "zh" else self.note_en}


PRESETS: dict[str, Preset] = {p.code: p for p in (
    Preset("low_hanging", "近水楼台", "Low-hanging fruit", {"density": 0.55, "pci": 0.15, "cog": 0.15, "gap": 0.15},
           "优先与本区已有优势最相关的领域，落地最容易", "fields closest to what the district already has: easiest to land"),
    Preset("balanced", "稳健组合", "Balanced portfolio", {"density": 0.40, "pci": 0.20, "cog": 0.25, "gap": 0.15},
           "兼顾关联度、复杂度与机会增益", "relatedness, complexity and outlook gain in balance"),
    Preset("long_jumps", "长跳", "Long jumps", {"density": 0.20, "pci": 0.35, "cog": 0.35, "gap": 0.10},
           "看重复杂度与机会增益，接受较远的跨越", "complexity and outlook gain first, accepting longer jumps"),
    Preset("chain_first", "补链优先", "Chain gaps first", {"density": 0.35, "pci": 0.10, "cog": 0.10, "gap": 0.45},
           "优先补本区产业链缺失、薄弱环节所需领域", "fields the district's missing and thin chain segments need"),
)}
DEFAULT_PRESET = "balanced"


def preset(code: str) -> Preset:
    if code not in PRESETS:
        raise InputError(f"preset {code!r}: expected one of {', '.join(PRESETS)}", field="preset", value=code)
    return PRESETS[code]


def _z(values: Array, mask: Array) -> Array:
    """Row-wise z-scores of ``values`` over the cells where ``mask`` is 1 (0 where the spread is nil)."""
    n = mask.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.where(n > 0, (values * mask).sum(axis=1, keepdims=True) / n, 0.0)
        var = np.where(n > 0, (((values - mean) ** 2) * mask).sum(axis=1, keepdims=True) / n, 0.0)
        z = np.where(var > 0, (values - mean) / np.sqrt(var), 0.0)
    return np.asarray(z * mask, dtype=np.float64)


def effective_weights(p: Preset, complex_ok: bool) -> dict[str, float]:
    """The preset's weights, without PCI and COG (and renormalised) when the panel refuses complexity."""
    w = dict(p.weights)
    if not complex_ok:
        w["pci"] = w["cog"] = 0.0
    total = sum(w.values())
    return {k: v / total for k, v in w.items()}


def score_matrix(m: Array, dens: Array, pci: Array | None, cog: Array | None, gap: Array, weights: dict[str, float],
                 ) -> tuple[Array, dict[str, Array]]:
    """Scores of every (unit, field) not present (``-inf`` where present), and the standardised criteria."""
    absent = 1.0 - m
    parts: dict[str, Array] = {"density": _z(dens, absent), "gap": gap * absent}
    if pci is not None and cog is not None:
        parts["pci"] = _z(np.broadcast_to(pci, m.shape).astype(np.float64), absent)
        parts["cog"] = _z(cog, absent)
    score = np.zeros(m.shape)
    for k, arr in parts.items():
        score += weights.get(k, 0.0) * arr
    return np.where(absent > 0, score, -np.inf), parts


def top_k(score: Array, k: int) -> npt.NDArray[np.intp]:
    """Indices of the ``k`` best fields of every unit, best first (ties by column order)."""
    k = min(k, score.shape[1])
    part = np.argpartition(-score, k - 1, axis=1)[:, :k]
    rows = np.arange(score.shape[0])[:, np.newaxis]
    order = np.lexsort((part, -score[rows, part]), axis=1)
    return np.asarray(part[rows, order])



def one_blas_thread() -> Any:
    """BLAS on one thread for these small matrices (≤ thousands × 254): OpenBLAS's threads spin and wait on each
    other for products this size, and on a loaded machine that made the 22 eigen-decompositions of a
    600-unit panel 9× slower (3.9 s against 0.44 s)."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


@dataclass
class Space:
    """Proximity and complexity learnt on a panel, ready to be read for any units' presence."""

    panel: Panel
    phi: Array
    stable: Stability
    pci: Array | None
    pci_raw: Array | None
    eci_std: float | None

    @classmethod
    def learn(cls, panel: Panel) -> Space:
        with one_blas_thread():
            return cls._learn(panel)

    @classmethod
    def _learn(cls, panel: Panel) -> Space:
        m = presence(rca(panel.counts))
        st = stability(m)
        pci = pci_raw = None
        eci_std = None
        if st.ok:
            cx = complexity(m)
            pci, pci_raw, eci_std = cx.pci, cx.pci_raw, cx.eci_std
        return cls(panel, proximity(m), st, pci, pci_raw, eci_std)

    def read(self, counts: Array, gap: Array, weights: dict[str, float]) -> dict[str, Array]:
        """Every measure and the score for units with ``counts`` over the panel's fields."""
        with one_blas_thread():
            return self._read(counts, gap, weights)

    def _read(self, counts: Array, gap: Array, weights: dict[str, float]) -> dict[str, Array]:
        r = rca(counts)
        m = presence(r)
        dens = density(m, self.phi)
        cog = None
        if self.pci_raw is not None and self.eci_std is not None:
            _, cog = outlook(m, self.phi, self.pci_raw, self.eci_std, dens)
        score, parts = score_matrix(m, dens, self.pci, cog, gap, weights)
        out = {"rca": r, "m": m, "density": dens, "score": score, **{f"z_{k}": v for k, v in parts.items()}}
        if cog is not None:
            out["cog"] = cog
        return out


def chain_gap_fields(store: Store, district: str, fields: tuple[str, ...], lang: str = "zh",
                     ) -> tuple[Array, dict[str, list[dict[str, Any]]]]:
    """Per field: 1 when a chain segment the district misses lists it, 0.5 when thin; and those segments."""
    from industry_brain.chains import chain_counts, chains, gaps

    gap = np.zeros(len(fields))
    why: dict[str, list[dict[str, Any]]] = {}
    idx = {f: i for i, f in enumerate(fields)}
    for c in chains():
        rep = gaps(store, c, district, lang, chain_counts(store, c))
        for s, row in zip(c.segments, rep["segments"], strict=True):
            weight = {"missing": 1.0, "thin": 0.5}.get(row["verdict"])
            if weight is None:
                continue
            for code in s.fields:
                for f, i in idx.items():
                    if f.startswith(code) or code.startswith(f):
                        gap[i] = max(gap[i], weight)
                        why.setdefault(f, []).append({"chain": c.code, "chain_name": c.name(lang), "segment": s.code,
                                                      "segment_name": s.name(lang), "verdict": row["verdict"],
                                                      "verdict_name": row["verdict_name"], "firms": row["firms"]})
    return gap, why


def _field_name(code: str, lang: str) -> str:
    from industry_brain.taxonomy import field

    try:
        f = field(code)
    except Exception:
        return code
    return f.name_zh if lang == "zh" else f.name_en


def field_targets(store: Store, district: str, *, preset_code: str = DEFAULT_PRESET, level: Level = "l2",
                  lang: str = "zh", limit: int = 20, as_of: date | None = None) -> dict[str, Any]:
    """The fields ``district`` (a 2019 map unit) should court, best first, each with its criteria and why."""
    p = preset(preset_code)
    space = Space.learn(proximity_panel(store, level, as_of))
    fields = space.panel.fields
    local = read_counts(store, "district", level, as_of, fields)
    if district not in local.units:
        raise InputError(f"district {district!r} has no firm with a technology field in the register",
                         field="district", value=district)
    gap_row, gap_why = chain_gap_fields(store, district, fields, lang)
    gap = np.zeros(local.counts.shape)
    u = local.units.index(district)
    gap[u] = gap_row
    weights = effective_weights(p, space.stable.ok)
    res = space.read(local.counts, gap, weights)
    order = [int(j) for j in top_k(res["score"][u:u + 1], len(fields))[0] if np.isfinite(res["score"][u, j])]
    rows = [_row(space, res, u, j, fields, gap_why, weights, lang) for j in order[:limit]]
    present = [{"field": fields[j], "name": _field_name(fields[j], lang), "firms": int(local.counts[u, j]),
                "rca": round(float(res["rca"][u, j]), 3)} for j in np.argsort(-res["rca"][u]) if res["m"][u, j] > 0]
    return {"district": district, "level": level, "preset": p.to_dict(lang), "weights": weights,
            "panel": space.panel.basis(lang), "complexity": space.stable.to_dict(),
            "present": present, "targets": rows, "candidates": len(order),
            "rule": _rule(lang, weights, space.stable.ok)}


def _row(space: Space, res: dict[str, Array], u: int, j: int, fields: tuple[str, ...],
         gap_why: dict[str, list[dict[str, Any]]], weights: dict[str, float], lang: str) -> dict[str, Any]:
    f = fields[j]
    m = res["m"][u]
    related = sorted(((float(space.phi[j, g]), g) for g in range(len(fields)) if m[g] > 0 and g != j), reverse=True)[:3]
    rel = [{"field": fields[g], "name": _field_name(fields[g], lang), "proximity": round(v, 3)} for v, g in related if v > 0]
    contrib = {k: round(weights.get(k, 0.0) * float(res[f"z_{k}"][u, j]), 3) for k in CRITERIA if f"z_{k}" in res}
    row: dict[str, Any] = {
        "field": f, "name": _field_name(f, lang), "score": round(float(res["score"][u, j]), 3),
        "rca": round(float(res["rca"][u, j]), 3), "density": round(float(res["density"][u, j]), 4),
        "distance": round(1 - float(res["density"][u, j]), 4),
        "pci": round(float(space.pci[j]), 3) if space.pci is not None else None,
        "cog": round(float(res["cog"][u, j]), 3) if "cog" in res else None,
        "gap": gap_why.get(f, []), "related": rel, "contributions": contrib,
    }
    row["why"] = _why(row, lang)
    return row


def _why(row: dict[str, Any], lang: str) -> str:
    zh = lang == "zh"
    parts = []
    rel = "、".join(f"{r['name']}（{r['proximity']:.2f}）" for r in row["related"]) if zh else \
        ", ".join(f"{r['name']} ({r['proximity']:.2f})" for r in row["related"])
    parts.append((f"关联密度 {row['density']:.2f}" + (f"，本区已有的相近领域：{rel}" if rel else "，本区无相近领域")) if zh else
                 (f"relatedness density {row['density']:.2f}" + (f"; related fields the district has: {rel}" if rel
                                                                  else "; no related field in the district")))
    if row["pci"] is not None:
        parts.append(f"复杂度 PCI {row['pci']:+.2f}，机会增益 COG {row['cog']:.2f}" if zh else
                     f"complexity PCI {row['pci']:+.2f}, outlook gain COG {row['cog']:.2f}")
    for g in row["gap"][:2]:
        parts.append(f"补链：{g['chain_name']}「{g['segment_name']}」{g['verdict_name']}（{g['firms']} 家）" if zh else
                     f"chain gap: {g['chain_name']} · {g['segment_name']} {g['verdict_name']} ({g['firms']} firms)")
    parts.append(f"区位商 {row['rca']:.2f} < 1，尚未形成优势" if zh else f"LQ {row['rca']:.2f} < 1: not yet a strength")
    return "；".join(parts) if zh else "; ".join(parts)


def _rule(lang: str, weights: dict[str, float], complex_ok: bool) -> list[str]:
    w = weights
    if lang == "zh":
        lines = ["候选：本区区位商 < 1 的领域；各项指标在候选领域内标准化（z 分数）",
                 f"得分 = {w['density']:.2f}×关联密度 + {w['pci']:.2f}×PCI + {w['cog']:.2f}×COG + {w['gap']:.2f}×补链"
                 "（缺失环节所需领域 1，薄弱 0.5）",
                 "关联密度：本区已有优势（区位商 ≥ 1）的领域与该领域的邻近度之和 ÷ 该领域全部邻近度；邻近度由面板各单元的共现计算"]
        if not complex_ok:
            lines.append("面板不足以稳定计算 PCI/COG，已从得分中去除，其余权重按比例放大")
        return lines
    lines = ["candidates: fields with LQ < 1 in the district; each criterion standardised (z-score) over them",
             f"score = {w['density']:.2f}×density + {w['pci']:.2f}×PCI + {w['cog']:.2f}×COG + {w['gap']:.2f}×chain gap"
             " (1 for a missing segment's field, 0.5 for a thin one's)",
             "density: the proximity between the field and the fields the district has (LQ ≥ 1) over all the field's "
             "proximity; proximity from co-location across the panel's units"]
    if not complex_ok:
        lines.append("the panel cannot carry PCI/COG stably: they are left out and the other weights scaled up")
    return lines


def segment_targets(store: Store, district: str, *, level: Level = "l2", lang: str = "zh") -> list[dict[str, Any]]:
    """The district's missing and thin chain segments (补链), each with the relatedness density of its fields in the
    district: a gap whose fields sit near what the district has is the easier one to fill."""
    from industry_brain.chains import chain_counts, chains, gaps

    space = Space.learn(proximity_panel(store, level))
    fields = space.panel.fields
    local = read_counts(store, "district", level, None, fields)
    dens_row = np.zeros(len(fields))
    if district in local.units:
        m = presence(rca(local.counts))
        dens_row = density(m, space.phi)[local.units.index(district)]
    out = []
    for c in chains():
        rep = gaps(store, c, district, lang, chain_counts(store, c))
        for s, row in zip(c.segments, rep["segments"], strict=True):
            if row["verdict"] not in ("missing", "thin", "strong"):
                continue
            cols = [i for i, f in enumerate(fields) if any(f.startswith(x) or x.startswith(f) for x in s.fields)]
            d = float(dens_row[cols].mean()) if cols else None
            out.append({"chain": c.code, "chain_name": c.name(lang), "segment": s.code, "name": s.name(lang),
                        "stage_name": row["stage_name"], "verdict": row["verdict"], "verdict_name": row["verdict_name"],
                        "action": row["action"], "firms": row["firms"], "city_firms": row["city_firms"],
                        "fields": list(s.fields), "density": round(d, 4) if d is not None else None,
                        "why": row["why"]})
    rank = {"missing": 0, "thin": 1, "strong": 2}
    out.sort(key=lambda r: (rank[r["verdict"]], -(r["density"] or 0.0), r["chain"], r["segment"]))
    return out


@dataclass(frozen=True)
class AllTargets:
    """The ``k`` best fields of every unit of a panel (a provincial or national register), with their scores."""

    panel: Panel
    space: Space
    weights: dict[str, float]
    top: npt.NDArray[np.intp]
    scores: Array
    density: Array

    def rows(self, lang: str = "zh") -> list[dict[str, Any]]:
        """One row per (unit, rank): unit, rank, field, name, score, density, PCI."""
        out = []
        names = {f: _field_name(f, lang) for f in self.panel.fields}
        for u, unit in enumerate(self.panel.units):
            for rank, j in enumerate(self.top[u], 1):
                if not np.isfinite(self.scores[u, j]):
                    break
                f = self.panel.fields[int(j)]
                out.append({"unit": unit, "rank": rank, "field": f, "name": names[f],
                            "score": round(float(self.scores[u, j]), 4),
                            "density": round(float(self.density[u, j]), 4),
                            "pci": round(float(self.space.pci[j]), 4) if self.space.pci is not None else None})
        return out


def all_targets(store: Store, *, units: UnitKind = "county", level: Level = "l2", preset_code: str = DEFAULT_PRESET,
                k: int = 20, as_of: date | None = None) -> AllTargets:
    """Targets for every unit of the register at once (the national case): proximity and complexity learnt on
    the same panel (every unit with at least :data:`MIN_FIRMS` firms), no chain term (chains are a city's)."""
    p = preset(preset_code)
    panel = trimmed(read_counts(store, units, level, as_of))
    if len(panel.units) < 2:
        raise InputError(f"the register has {len(panel.units)} {units} unit(s) with at least {MIN_FIRMS} firms with a "
                         "technology field: expected two or more", field="units", value=units)
    space = Space.learn(panel)
    weights = effective_weights(p, space.stable.ok)
    weights["gap"] = 0.0
    total = sum(weights.values())
    weights = {key: v / total for key, v in weights.items()}
    res = space.read(panel.counts, np.zeros(panel.counts.shape), weights)
    return AllTargets(panel, space, weights, top_k(res["score"], k), res["score"], res["density"])
