"""The backtest of the field recommendations: recommend from what was registered up to a cut-off, score against
what happened afterwards.

``backtest(store, as_of=2015, horizon=3)``: every firm of the register registered on or before 31 Dec of ``as_of``
makes the "before" matrix (unit × field); firms registered up to 31 Dec of ``as_of + horizon`` the "after" one.
The candidates are the (unit, field) pairs without presence before; a candidate is a positive when it has
presence after. Presence is ``RCA >= 1`` (``presence="rca"``, the economic-complexity definition) or at least one
firm (``presence="entry"``). Proximity and PCI are learnt on the panel as it stood at the cut-off, so nothing of the
future leaks in; the chain-gap term is left out (the chains are placed on today's register).

Scores compared, each by ROC-AUC over all candidates pooled, the mean ROC-AUC within a unit (how well a
district's own list is ordered — z-scoring per unit changes the pooled figure, not this one), and precision at
``k`` (the top ``k`` candidates pooled):

- ``density`` — relatedness density alone;
- ``preset`` — the named preset's score without the chain term;
- ``field_growth`` — baseline: the field's city-wide growth over the ``horizon`` years before the cut-off;
- ``random`` — baseline: uniform random scores, averaged over :data:`SEEDS` draws.

Ties are broken at random (fixed seed), so a score that ties many candidates earns no precision it did not show.
The register only holds firms that still exist: firms deregistered before the register was drawn are missing
from both matrices (survivorship), which the report says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import numpy as np
import numpy.typing as npt

from industry_brain._core.errors import InputError
from industry_brain._core.store import Store
from industry_brain.attract._complexity import Array, density, presence, rca
from industry_brain.attract._panel import Level, UnitKind, check_panel, proximity_panel, read_counts
from industry_brain.attract._targets import DEFAULT_PRESET, Space, effective_weights, preset

SEEDS = 20
KS = (10, 20, 50, 100)
SCORES = ("density", "preset", "field_growth", "random")
PRESENCE = ("rca", "entry")


@dataclass
class BacktestResult:
    params: dict[str, Any]
    panel: dict[str, Any]
    candidates: int
    positives: int
    metrics: dict[str, dict[str, Any]]
    roc: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    notes: list[dict[str, str]] = field(default_factory=list)

    @property
    def base_rate(self) -> float:
        return self.positives / self.candidates if self.candidates else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"params": self.params, "panel": self.panel, "candidates": self.candidates,
                "positives": self.positives, "base_rate": round(self.base_rate, 4), "metrics": self.metrics,
                "roc": self.roc, "notes": self.notes}


def _tie_broken(score: Array, rng: np.random.Generator) -> Array:
    """Scores with a tiny random jitter below their resolution, so that ties are broken at random."""
    finite = score[np.isfinite(score)]
    spread = float(finite.max() - finite.min()) if finite.size else 1.0
    return score + rng.random(score.shape) * max(spread, 1.0) * 1e-9


def _metrics(y: Array, s: Array, ks: tuple[int, ...], unit: npt.NDArray[np.intp] | None = None) -> dict[str, Any]:
    """Pooled ROC-AUC and precision@k over all candidates; with ``unit``, also the mean AUC within a unit (the
    ranking a district officer reads: its own candidates only), over units with a positive and a negative."""
    from sklearn.metrics import roc_auc_score

    auc = float(roc_auc_score(y, s)) if 0 < y.sum() < len(y) else None
    order = np.argsort(-s, kind="stable")
    prec = {str(k): round(float(y[order[:k]].mean()), 4) for k in ks if k <= len(y)}
    out: dict[str, Any] = {"auc": round(auc, 4) if auc is not None else None, "precision_at": prec}
    if unit is not None:
        within = [float(roc_auc_score(y[unit == u], s[unit == u])) for u in np.unique(unit)
                  if 0 < y[unit == u].sum() < (unit == u).sum()]
        out["auc_within"] = round(float(np.mean(within)), 4) if within else None
        out["units_scored"] = len(within)
    return out


def _roc(y: Array, s: Array, points: int = 60) -> dict[str, list[float]]:
    from sklearn.metrics import roc_curve

    if not 0 < y.sum() < len(y):
        return {"fpr": [], "tpr": []}
    fpr, tpr, _ = roc_curve(y, s)
    idx = np.unique(np.linspace(0, len(fpr) - 1, min(points, len(fpr))).astype(int))
    return {"fpr": [round(float(v), 4) for v in fpr[idx]], "tpr": [round(float(v), 4) for v in tpr[idx]]}


def backtest(store: Store, as_of: int = 2015, horizon: int = 3, *, units: UnitKind = "district", level: Level = "l2",
             presence_rule: str = "rca", preset_code: str = DEFAULT_PRESET, ks: tuple[int, ...] = KS,
             seed: int = 20190501) -> BacktestResult:
    """Recommend from firms registered up to ``as_of`` and score against the pairs that gained presence by
    ``as_of + horizon``."""
    if horizon < 1:
        raise InputError(f"horizon {horizon!r}: expected at least 1 year", field="horizon", value=str(horizon))
    if presence_rule not in PRESENCE:
        raise InputError(f"presence {presence_rule!r}: expected one of {', '.join(PRESENCE)}", field="presence",
                         value=presence_rule)
    check_panel(units, level)
    p = preset(preset_code)
    cut, end, start = date(as_of, 12, 31), date(as_of + horizon, 12, 31), date(as_of - horizon, 12, 31)
    span = store.fetchone("SELECT min(registered_on), max(registered_on), count(*) FILTER (WHERE registered_on IS NULL)"
                          " FROM enterprise WHERE field_" + level + " IS NOT NULL")
    if span is None or span[0] is None:
        raise InputError("the register has no firm with a registration date and a technology field", field="as_of")
    first, last, undated = span
    if not first <= cut < last:
        raise InputError(f"--as-of {as_of}: expected a year between {first.year} and {last.year - 1} (the register's "
                         "registration dates)", field="as_of", value=str(as_of))
    space = Space.learn(proximity_panel(store, level, cut))
    fields = space.panel.fields
    before = read_counts(store, units, level, cut, fields)
    after = read_counts(store, units, level, end, fields)
    earlier = read_counts(store, units, level, start, fields)
    # the units of the before matrix, in after's order
    ai = {u: i for i, u in enumerate(after.units)}
    x_after = np.stack([after.counts[ai[u]] for u in before.units]) if before.units else np.zeros((0, len(fields)))
    if presence_rule == "rca":
        m_before, m_after = presence(rca(before.counts)), presence(rca(x_after))
    else:
        m_before, m_after = (before.counts > 0).astype(np.float64), (x_after > 0).astype(np.float64)
    weights = effective_weights(p, space.stable.ok)
    weights["gap"] = 0.0
    total = sum(weights.values())
    weights = {k: v / total for k, v in weights.items()}
    res = space.read(before.counts, np.zeros(before.counts.shape), weights)
    dens = density(m_before, space.phi)
    cand = m_before == 0
    y = m_after[cand]
    city_before, city_earlier = before.counts.sum(axis=0), earlier.counts.sum(axis=0)
    growth = (city_before - city_earlier) / np.maximum(city_earlier, 1.0)
    rng = np.random.default_rng(seed)
    scores = {"density": dens[cand], "preset": res["score"][cand] if presence_rule == "rca" else
              _preset_for(space, m_before, weights)[cand],
              "field_growth": np.broadcast_to(growth, m_before.shape)[cand]}
    metrics: dict[str, dict[str, Any]] = {}
    roc: dict[str, dict[str, list[float]]] = {}
    unit_of = np.broadcast_to(np.arange(m_before.shape[0])[:, np.newaxis], m_before.shape)[cand]
    for name, s in scores.items():
        s2 = _tie_broken(np.asarray(s, dtype=np.float64), rng)
        metrics[name] = _metrics(y, s2, ks, unit_of)
        roc[name] = _roc(y, s2)
    draws = [_metrics(y, rng.random(len(y)), ks, unit_of) for _ in range(SEEDS)]
    aucs = [d["auc"] for d in draws if d["auc"] is not None]
    within = [d["auc_within"] for d in draws if d["auc_within"] is not None]
    metrics["random"] = {"auc": round(float(np.mean(aucs)), 4) if aucs else None,
                         "auc_sd": round(float(np.std(aucs)), 4) if aucs else None,
                         "auc_within": round(float(np.mean(within)), 4) if within else None,
                         "units_scored": draws[0]["units_scored"] if draws else 0,
                         "precision_at": {k: round(float(np.mean([d["precision_at"][k] for d in draws])), 4)
                                          for k in draws[0]["precision_at"]} if draws else {}}
    roc["random"] = {"fpr": [0.0, 1.0], "tpr": [0.0, 1.0]}
    params = {"as_of": as_of, "horizon": horizon, "cutoff": cut.isoformat(), "end": end.isoformat(), "units": units,
              "level": level, "presence": presence_rule, "preset": p.code, "weights": weights, "seed": seed,
              "seeds": SEEDS}
    panel = {"proximity": space.panel.basis("zh") | {"text_en": space.panel.basis("en")["text"]},
             "complexity": space.stable.to_dict(), "units": len(before.units), "fields": len(fields),
             "firms_before": int(before.counts.sum()), "firms_after": int(x_after.sum()),
             "register": {"first": first.isoformat(), "last": last.isoformat(), "undated": int(undated)}}
    notes = [{"zh": "名录只含登记时仍存续的企业：此前注销的企业不在任一矩阵中（幸存者偏差）",
              "en": "the register holds only firms alive when it was drawn: firms deregistered earlier are in neither "
                    "matrix (survivorship)"},
             {"zh": "回测不含补链项（产业链按当前名录上链，会泄露未来信息）",
              "en": "the chain-gap term is left out (chains are placed on today's register, which would leak the future)"}]
    if undated:
        notes.append({"zh": f"{undated} 家企业无登记日期，未计入", "en": f"{undated} firms without a registration date left out"})
    return BacktestResult(params, panel, int(cand.sum()), int(y.sum()), metrics, roc, notes)


def _preset_for(space: Space, m: Array, weights: dict[str, float]) -> Array:
    """The preset's score for a presence matrix given directly (the entry rule), on the learnt space."""
    from industry_brain.attract._complexity import outlook
    from industry_brain.attract._targets import score_matrix

    dens = density(m, space.phi)
    cog = None
    if space.pci_raw is not None and space.eci_std is not None:
        _, cog = outlook(m, space.phi, space.pci_raw, space.eci_std, dens)
    score, _ = score_matrix(m, dens, space.pci, cog, np.zeros(m.shape), weights)
    return score


def save_backtest(store: Store, result: BacktestResult) -> int:
    """Keep a backtest's figures (the dashboard shows the latest ones); returns its id."""
    import json

    row = store.fetchone("SELECT coalesce(max(run_id), 0) + 1 FROM attract_backtest")
    run_id = int(row[0]) if row else 1
    store.execute("INSERT INTO attract_backtest (run_id, created_at, params, result) VALUES (?, ?, ?, ?)",
                  [run_id, datetime.now(UTC).replace(tzinfo=None), json.dumps(result.params, ensure_ascii=False),
                   json.dumps(result.to_dict(), ensure_ascii=False)])
    return run_id


def backtests(store: Store, limit: int = 20) -> list[dict[str, Any]]:
    """The kept backtests, newest first."""
    import json

    rows = store.fetchall("SELECT run_id, created_at, result FROM attract_backtest ORDER BY run_id DESC LIMIT ?",
                          [limit])
    return [{"run_id": int(r[0]), "created_at": r[1].isoformat(timespec="seconds"), **json.loads(r[2])} for r in rows]

