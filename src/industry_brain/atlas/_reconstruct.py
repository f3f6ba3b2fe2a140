"""Reconstruction of a full unit × field table from the figures a document printed.

The magazine printed only part of its 14 × 8 table (field shares, 26 cells, orders, ranks). This module finds a
full table of non-negative integers consistent with every printed statement, as a mixed-integer program solved
by HiGHS (``scipy.optimize.milp``).

**Statements.** Each published figure (see ``_published``) becomes linear constraints on the cells ``x[u, f]``:

- ``city_total`` Σx = 3785; ``field_share`` the field total rounds (half up) to the printed share of the printed
  city total (each share admits exactly one integer); ``field_total``, ``cell_count`` fix a sum or a cell;
- ordered lists (``unit_top_fields``, ``field_top_units``) and ranks (``unit_rank``, ``field_rank``,
  ``unit_field_rank``) are read **strictly**, the way they are printed: each listed item is greater than the
  next and than every item not listed, and a printed rank r means exactly r − 1 items above and none level.
  Ranks use one set of pairwise "is above" binaries per family of ranked items (unit totals, field totals, a
  field's cells), linked to the items by big-M rows; a rank statement is then a cardinality row on those
  binaries, and two rank statements of one family imply the order of their two items (rank r1 < r2 ⟺ above),
  which lets the solver see a clash of ranks at once;
- ``field_units_all`` the listed units have the field and no other unit has; ``units_at_least`` the listed units
  have at least the threshold and no other unit has; ``unit_few`` (数量较少) the unit holds at most the stated
  share of the city total.
- ``field_concentration`` (较为集中/较为分散) is not linear in the cells and is not modelled: ``check`` evaluates it.

**Conflicts.** Every statement ``s`` has a binary ``drop[s]`` that lifts its rows (big-M), and every ordered
statement also a binary ``weaken[s]`` that reads it with ties allowed: a list as "≥" instead of ">", a rank as
a competition rank ("1224", as a statistics office ranks ties: r − 1 items strictly above, level items share the
rank). The adopted relaxation minimises ``1000·Σdrop + Σweaken``; when it is not 0 the printed statements
contradict one another. It is found by implicit hitting sets rather than one big MILP: conflicts (sets of
statements that cannot all hold) are extracted with QuickXplain from fast feasibility checks in which every
statement is fixed strict / weakened / dropped; the cheapest set of relaxations that meets every conflict found
is solved as a small integer program and checked, until the check passes (then it is optimal). Its alternatives
of equal cost are enumerated with no-good cuts. A second analysis allows only drops (``min Σdrop``) and
enumerates all minimal sets, each shown with how the dropped statements come out.

For Hangzhou 2019 the three units printed 第七位 (江干区, 拱墅区, 临安区) cannot all be 7th: dropping any two of
the three restores feasibility (three minimal sets), and no statement at all needs dropping when the three are
read as a shared 7th place. The adopted table takes that reading (weakening those three statements, nothing
dropped), so every printed sentence holds under competition ranking — the reading ``check`` uses.

**Prior.** Among the feasible tables the solver takes the one closest in L1 distance to the prior
``p[u, f] = F[f] · w[u] / Σw``: the field totals spread over units in proportion to a unit weight ``w[u]``, the
number of enterprise registrations per unit in the public registration sample (``_data/hangzhou_2019_unit_prior
.json``, built by ``scripts/build_published_figures.py``).

**Marks.** A cell fixed by a kept ``cell_count`` is *printed*; otherwise its minimum and maximum over the feasible
set are computed: equal → *implied*, else *estimated* with that range. Each bound is first taken from the LP
relaxation and accepted when a table already found attains it; only the others need a MILP (time-limited; a
MILP that stops early gives its proven bound and the cell says ``range_exact=False``).

**Cost.** For Hangzhou 2019 a cold run takes about ten seconds on two cores (a few hundred LP/MILP solves); the
result is cached as JSON under ``<IB_HOME>/cache/atlas``, keyed by the figures, the prior, this module's code and
the SciPy version, so later runs only read it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from industry_brain._core.errors import InternalError
from industry_brain.atlas._labels import join_names
from industry_brain.atlas._published import (
    CITY_CODE,
    HANGZHOU_2019,
    MEASURE_NAMES,
    PublishedDocument,
    PublishedFigure,
    published_document,
)

log = logging.getLogger(__name__)

FIELDS_L1: tuple[str, ...] = ("10", "20", "30", "40", "50", "60", "70", "80")
ORDERED_MEASURES = frozenset(
    {"unit_top_fields", "field_top_units", "unit_rank", "field_rank", "unit_field_rank"}
)
NOT_MODELLED = frozenset({"field_concentration"})
DROP_WEIGHT = 1000.0
MAX_ALTERNATIVES = 12

Row = dict[int, float]


def share_interval(share_pct: float, precision: int, total: int) -> tuple[int, int]:
    """The counts ``c`` in 0..total whose share ``100·c/total`` rounds half-up to ``share_pct`` at ``precision``."""
    quantum = Decimal(1).scaleb(-precision)
    target = Decimal(str(share_pct)).quantize(quantum)
    fits = [
        c
        for c in range(total + 1)
        if (Decimal(100 * c) / Decimal(total)).quantize(quantum, rounding=ROUND_HALF_UP) == target
    ]
    if not fits:
        return (1, 0)
    return (min(fits), max(fits))


@dataclass(frozen=True)
class Relaxation:
    """How one printed statement is relaxed: ``weaken`` (ties allowed) or ``drop`` (statement lifted)."""

    figure_id: str
    measure: str
    unit_code: str
    field: str | None
    kind: str
    printed: Any
    reconstructed: Any
    description_zh: str
    description_en: str
    sentence_zh: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Relaxation:
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Cell:
    """One cell of the table: its value, how it is known, and its feasible range (None when not computed).

    ``status``: *printed* (a kept ``cell_count``), *implied* (min = max: every feasible table has this value) or
    *estimated* (the value closest to the prior within ``min``–``max``). ``range_exact`` is False when a range
    MILP ran out of time and ``min``/``max`` are proven bounds rather than attained values.
    """

    unit_code: str
    field: str
    value: int
    status: str
    min: int | None
    max: int | None
    prior: float
    range_exact: bool = True

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Cell:
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


@dataclass(frozen=True)
class Reconstruction:
    """The reconstructed table, its marks and ranges, and the conflict analysis."""

    document: str
    units: tuple[str, ...]
    fields: tuple[str, ...]
    unit_names: dict[str, str]
    field_names: dict[str, str]
    cells: tuple[Cell, ...]
    feasible_as_printed: bool
    relaxation: tuple[Relaxation, ...]
    relaxation_alternatives: tuple[tuple[Relaxation, ...], ...]
    drop_only: tuple[tuple[Relaxation, ...], ...]
    statements: int
    not_modelled: tuple[str, ...]
    prior: dict[str, Any]
    distance_to_prior: float
    ranges: bool
    conflicts: int
    milps: int
    seconds: float = field(compare=False)
    cached: bool = field(default=False, compare=False)

    def table(self) -> dict[str, dict[str, int]]:
        """``{unit: {field: count}}``."""
        out: dict[str, dict[str, int]] = {u: {} for u in self.units}
        for c in self.cells:
            out[c.unit_code][c.field] = c.value
        return out

    def unit_totals(self) -> dict[str, int]:
        return {u: sum(row.values()) for u, row in self.table().items()}

    def marks(self) -> dict[str, int]:
        """How many cells are printed / implied / estimated."""
        counts = {"printed": 0, "implied": 0, "estimated": 0}
        for c in self.cells:
            counts[c.status] += 1
        return counts

    def relaxed_ids(self) -> set[str]:
        return {r.figure_id for r in self.relaxation}

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "units": list(self.units),
            "fields": list(self.fields),
            "unit_names": self.unit_names,
            "field_names": self.field_names,
            "table": self.table(),
            "unit_totals": self.unit_totals(),
            "marks": self.marks(),
            "cells": [c.to_dict() for c in self.cells],
            "feasible_as_printed": self.feasible_as_printed,
            "relaxation": [r.to_dict() for r in self.relaxation],
            "relaxation_alternatives": [[r.to_dict() for r in alt] for alt in self.relaxation_alternatives],
            "drop_only": [[r.to_dict() for r in alt] for alt in self.drop_only],
            "statements": self.statements,
            "not_modelled": list(self.not_modelled),
            "prior": self.prior,
            "distance_to_prior": self.distance_to_prior,
            "ranges": self.ranges,
            "conflicts": self.conflicts,
            "milps": self.milps,
            "seconds": round(self.seconds, 3),
            "cached": self.cached,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, cached: bool = False) -> Reconstruction:
        """The inverse of :meth:`to_dict` (the cache's format)."""
        return cls(
            document=str(raw["document"]),
            units=tuple(raw["units"]),
            fields=tuple(raw["fields"]),
            unit_names=dict(raw["unit_names"]),
            field_names=dict(raw["field_names"]),
            cells=tuple(Cell.from_dict(c) for c in raw["cells"]),
            feasible_as_printed=bool(raw["feasible_as_printed"]),
            relaxation=tuple(Relaxation.from_dict(r) for r in raw["relaxation"]),
            relaxation_alternatives=tuple(
                tuple(Relaxation.from_dict(r) for r in alt) for alt in raw["relaxation_alternatives"]
            ),
            drop_only=tuple(tuple(Relaxation.from_dict(r) for r in alt) for alt in raw["drop_only"]),
            statements=int(raw["statements"]),
            not_modelled=tuple(raw["not_modelled"]),
            prior=dict(raw["prior"]),
            distance_to_prior=float(raw["distance_to_prior"]),
            ranges=bool(raw["ranges"]),
            conflicts=int(raw["conflicts"]),
            milps=int(raw["milps"]),
            seconds=float(raw["seconds"]),
            cached=cached,
        )


@dataclass
class _Statement:
    figure: PublishedFigure
    rows: list[tuple[Row, float, float]] = field(default_factory=list)  # conditional on drop (and weaken)
    # row index → how far its ``lo`` falls when the statement is weakened
    weak_rows: dict[int, float] = field(default_factory=dict)
    drop: int = -1
    weaken: int = -1


class _Program:
    """Variables and rows of the MILP, with tight big-M for conditional rows."""

    def __init__(self, units: Sequence[str], fields: Sequence[str], city_total: int) -> None:
        self.units, self.fields, self.n = list(units), list(fields), city_total
        self.lb: list[float] = []
        self.ub: list[float] = []
        self.integer: list[int] = []
        self.rows: list[tuple[Row, float, float]] = []
        self.x = {(u, f): self.var(0, city_total) for u in self.units for f in self.fields}

    def var(self, lb: float, ub: float, integer: bool = True) -> int:
        self.lb.append(lb)
        self.ub.append(ub)
        self.integer.append(1 if integer else 0)
        return len(self.lb) - 1

    def cell(self, u: str, f: str) -> Row:
        return {self.x[u, f]: 1.0}

    def unit_total(self, u: str) -> Row:
        return {self.x[u, f]: 1.0 for f in self.fields}

    def field_total(self, f: str) -> Row:
        return {self.x[u, f]: 1.0 for u in self.units}

    def span(self, row: Row) -> tuple[float, float]:
        lo = sum(a * (self.lb[i] if a > 0 else self.ub[i]) for i, a in row.items())
        hi = sum(a * (self.ub[i] if a > 0 else self.lb[i]) for i, a in row.items())
        return lo, hi

    def add(self, row: Row, lo: float, hi: float) -> None:
        self.rows.append((dict(row), lo, hi))


def _diff(a: Row, b: Row) -> Row:
    out = dict(a)
    for i, v in b.items():
        out[i] = out.get(i, 0.0) - v
    return {i: v for i, v in out.items() if v != 0.0}


def _ordered_chain(items: list[Row], others: Iterable[Row]) -> list[Row]:
    """Rows ``item[i] - item[i+1] >= 1`` and ``last - other >= 1`` (strict order; weakened to ``>= 0``)."""
    rows = [_diff(items[i], items[i + 1]) for i in range(len(items) - 1)]
    rows += [_diff(items[-1], other) for other in others]
    return rows


class _Builder:
    def __init__(self, doc: PublishedDocument, units: Sequence[str]) -> None:
        figs = {f.measure: f for f in doc.figures if f.measure == "city_total"}
        self.city_total = int(figs["city_total"].value) if "city_total" in figs else 0
        if self.city_total <= 0:
            raise InternalError(f"document {doc.document!r} prints no city total to reconstruct from")
        self.doc = doc
        self.p = _Program(units, FIELDS_L1, self.city_total)
        self.statements: list[_Statement] = []
        self.not_modelled: list[str] = []
        self.families: dict[str, dict[tuple[str, str], int]] = {}
        self.ranked: dict[str, list[tuple[_Statement, str, int]]] = {}
        for fig in doc.figures:
            if fig.measure in NOT_MODELLED:
                self.not_modelled.append(fig.figure_id)
                continue
            st = _Statement(fig)
            self._encode(st)
            self.statements.append(st)
        for st in self.statements:
            st.drop = self.p.var(0, 1)
            if st.weak_rows:
                st.weaken = self.p.var(0, 1)
            for k, (row, lo, hi) in enumerate(st.rows):
                self._conditional(st, row, lo, hi, weak=st.weak_rows.get(k, 0.0))
        self._rank_pairs()

    def _rank_pairs(self) -> None:
        """Rows implied by two rank statements of one family that both hold (even with ties allowed).

        Competition ranks are monotone: rank r1 < r2 ⟺ item 1 > item 2, and r1 = r2 ⟺ the two are level. The
        rows are implied by the statements, so they change no answer; they let the solver see a clash of two
        ranks (three units printed 第七位) without searching over the orders of all the other items.
        """
        for family, ranked in self.ranked.items():
            a = self.families.get(family)
            if a is None:
                continue
            for i, (s1, t1, r1) in enumerate(ranked):
                for s2, t2, r2 in ranked[i + 1 :]:
                    if t1 == t2:
                        continue
                    if r1 == r2:
                        for k, t in ((t1, t2), (t2, t1)):
                            self.p.add({a[k, t]: 1.0, s1.drop: -1.0, s2.drop: -1.0}, -np.inf, 0)
                    else:
                        hi_t, lo_t = (t1, t2) if r1 < r2 else (t2, t1)
                        self.p.add({a[hi_t, lo_t]: 1.0, s1.drop: 1.0, s2.drop: 1.0}, 1, np.inf)

    # -- rows that hold unless the statement is dropped (``>= lo`` weakened by one when ``weak``) --------------
    def _conditional(self, st: _Statement, row: Row, lo: float, hi: float, weak: float) -> None:
        smin, smax = self.p.span(row)
        if lo > -np.inf:
            r = dict(row)
            r[st.drop] = max(lo - smin, 0.0)
            if weak:
                r[st.weaken] = weak
            self.p.add(r, lo, np.inf)
        if hi < np.inf:
            r = dict(row)
            r[st.drop] = -max(smax - hi, 0.0)
            self.p.add(r, -np.inf, hi)

    def _pairs(self, family: str, items: dict[str, Row]) -> dict[tuple[str, str], int]:
        """Shared "is above" binaries ``a[k, t]`` (1 iff item k > item t) of one family of ranked items.

        Unconditional rows link them to the items (``a = 1 → k − t ≥ 1``, ``a = 0 → k ≤ t``) and forbid both
        directions at once (``a[k, t] + a[t, k] ≤ 1``; both 0 is a tie), so that rank statements become
        cardinality rows on binaries with a big-M of at most the number of items.
        """
        if family in self.families:
            return self.families[family]
        p, keys = self.p, list(items)
        a = {(k, t): p.var(0, 1) for k in keys for t in keys if k != t}
        for (k, t), g in a.items():
            d = _diff(items[k], items[t])
            lo, hi = p.span(d)
            p.add({**d, g: lo - 1}, lo, np.inf)  # g = 1 → d ≥ 1
            p.add({**d, g: -hi}, -np.inf, 0)  # g = 0 → d ≤ 0
            if k < t:
                p.add({g: 1.0, a[t, k]: 1.0}, -np.inf, 1)
        self.families[family] = a
        return a

    def _rank(self, st: _Statement, family: str, items: dict[str, Row], target: str, rank: int) -> None:
        """Exactly ``rank - 1`` items strictly above ``target`` and, unless weakened, none level with it."""
        self.ranked.setdefault(family, []).append((st, target, rank))
        others = [k for k in items if k != target]
        if rank == 1:
            for row in _ordered_chain([items[target]], [items[k] for k in others]):
                st.weak_rows[len(st.rows)] = 1.0
                st.rows.append((row, 1.0, np.inf))
            return
        a = self._pairs(family, items)
        st.rows.append(({a[k, target]: 1.0 for k in others}, rank - 1, rank - 1))
        below = len(others) - (rank - 1)
        st.weak_rows[len(st.rows)] = float(below)  # weakened: ties allowed (competition rank)
        st.rows.append(({a[target, k]: 1.0 for k in others}, below, np.inf))

    def _encode(self, st: _Statement) -> None:
        fig, p = st.figure, self.p
        m, v, u, f = fig.measure, fig.value, fig.unit_code, fig.field
        strict_rows: list[Row] = []
        if m == "city_total":
            st.rows.append(({i: 1.0 for i in p.x.values()}, int(v), int(v)))
        elif m == "field_share":
            lo, hi = share_interval(float(v), int(fig.precision or 0), self.city_total)
            st.rows.append((p.field_total(str(f)), lo, hi))
        elif m == "field_total":
            st.rows.append((p.field_total(str(f)), int(v), int(v)))
        elif m == "cell_count":
            st.rows.append((p.cell(u, str(f)), int(v), int(v)))
        elif m == "field_units_all":
            for unit in p.units:
                if unit in v:
                    st.rows.append((p.cell(unit, str(f)), 1, np.inf))
                else:
                    st.rows.append((p.cell(unit, str(f)), 0, 0))
        elif m == "units_at_least":
            for unit in p.units:
                if unit in v["units"]:
                    st.rows.append((p.cell(unit, str(f)), v["threshold"], np.inf))
                else:
                    st.rows.append((p.cell(unit, str(f)), -np.inf, v["threshold"] - 1))
        elif m == "unit_few":
            cap = int(Decimal(str(v["max_share_pct"])) * self.city_total / 100)
            st.rows.append((p.unit_total(u), -np.inf, cap))
        elif m == "unit_top_fields":
            strict_rows = _ordered_chain(
                [p.cell(u, g) for g in v], [p.cell(u, g) for g in p.fields if g not in v]
            )
        elif m == "field_top_units":
            strict_rows = _ordered_chain(
                [p.cell(w, str(f)) for w in v], [p.cell(w, str(f)) for w in p.units if w not in v]
            )
        elif m == "unit_rank":
            self._rank(st, "unit_total", {w: p.unit_total(w) for w in p.units}, u, int(v))
        elif m == "field_rank":
            self._rank(st, "field_total", {g: p.field_total(g) for g in p.fields}, str(f), int(v))
        elif m == "unit_field_rank":
            self._rank(st, f"cell:{f}", {w: p.cell(w, str(f)) for w in p.units}, u, int(v))
        else:
            raise InternalError(f"no encoding for published measure {m!r}")
        for row in strict_rows:
            st.weak_rows[len(st.rows)] = 1.0
            st.rows.append((row, 1.0, np.inf))


STRICT, WEAK, DROP = 0, 1, 2
#: A feasibility check or a range MILP that takes longer than this stops; ranges then use the proven bound.
RANGE_SECONDS = 5.0
CHECK_SECONDS = 120.0

#: (statement index, part): part 0 is the statement read with ties allowed, part 1 its strictness.
Element = tuple[int, int]


class _Solver:
    """The program compiled once; every solve fixes each statement to a level (strict / weakened / dropped)."""

    def __init__(self, b: _Builder) -> None:
        from scipy.sparse import coo_array

        p = b.p
        self.b = b
        r_idx, c_idx, vals = [], [], []
        self.row_lo = np.empty(len(p.rows))
        self.row_hi = np.empty(len(p.rows))
        for k, (row, lo, hi) in enumerate(p.rows):
            for i, val in row.items():
                r_idx.append(k)
                c_idx.append(i)
                vals.append(val)
            self.row_lo[k], self.row_hi[k] = lo, hi
        self.nvar = len(p.lb)
        self.matrix = coo_array((vals, (r_idx, c_idx)), shape=(len(p.rows), self.nvar)).tocsr()
        self.lb = np.array(p.lb, dtype=float)
        self.ub = np.array(p.ub, dtype=float)
        self.integrality = np.array(p.integer)
        self.solves = 0
        self.seconds = 0.0
        self._feasible: dict[tuple[int, ...], np.ndarray | None] = {}

    def bounds(self, levels: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        lb, ub = self.lb.copy(), self.ub.copy()
        for st, level in zip(self.b.statements, levels, strict=True):
            lb[st.drop] = ub[st.drop] = 1.0 if level == DROP else 0.0
            if st.weaken >= 0:
                lb[st.weaken] = ub[st.weaken] = 1.0 if level == WEAK else 0.0
        return lb, ub

    def run(
        self,
        c: np.ndarray,
        levels: Sequence[int],
        *,
        extra: tuple[Any, np.ndarray, np.ndarray] | None = None,
        extra_vars: int = 0,
        integral: bool = True,
        time_limit: float = CHECK_SECONDS,
    ) -> Any:
        from scipy.optimize import Bounds, LinearConstraint, milp
        from scipy.sparse import csr_array, hstack

        lb, ub = self.bounds(levels)
        matrix = self.matrix
        integrality = self.integrality if integral else np.zeros_like(self.integrality)
        if extra_vars:
            matrix = hstack([matrix, csr_array((matrix.shape[0], extra_vars))], format="csr")
            lb = np.concatenate([lb, np.zeros(extra_vars)])
            ub = np.concatenate([ub, np.full(extra_vars, np.inf)])
            integrality = np.concatenate([integrality, np.zeros(extra_vars, dtype=integrality.dtype)])
        constraints = [LinearConstraint(matrix, self.row_lo, self.row_hi)]
        if extra is not None:
            constraints.append(LinearConstraint(*extra))
        started = time.perf_counter()
        res = milp(
            c,
            integrality=integrality,
            bounds=Bounds(lb, ub),
            constraints=constraints,
            options={"presolve": True, "time_limit": time_limit},
        )
        self.seconds += time.perf_counter() - started
        self.solves += 1
        return res

    def feasible(self, levels: Sequence[int]) -> np.ndarray | None:
        """A solution with the statements at ``levels``, or None when there is none."""
        key = tuple(levels)
        if key not in self._feasible:
            res = self.run(np.zeros(self.nvar), key)
            if res.status == 2:
                self._feasible[key] = None
            elif res.x is not None:
                self._feasible[key] = np.asarray(res.x)
            else:
                raise InternalError(f"feasibility check did not finish: {res.message}")
        return self._feasible[key]


class _Relaxer:
    """The cheapest relaxations of the statements, by implicit hitting sets.

    Each statement is one or two *elements*: the statement read with ties allowed (part 0) and, for ordered
    statements, its strictness (part 1). A *conflict* is a set of elements that cannot all hold; it is found by
    QuickXplain (Junker 2004) with feasibility checks in which every other element is relaxed. A relaxation
    must relax one element of every conflict, so the cheapest relaxation is a minimum-cost hitting set of the
    conflicts: the hitting sets are solved as a small integer program, the cheapest one is checked, and either
    it is feasible (then it is optimal) or the check yields one more conflict.
    """

    def __init__(self, solver: _Solver) -> None:
        self.solver = solver
        self.statements = solver.b.statements
        self.ordered = [st.weaken >= 0 for st in self.statements]
        self.conflicts: list[list[Element]] = []

    def levels(self, enforced: Iterable[Element], weaken: bool) -> tuple[int, ...]:
        on = set(enforced)
        out = []
        for s, ordered in enumerate(self.ordered):
            if (s, 0) not in on:
                out.append(DROP)
            elif ordered and (s, 1) not in on and weaken:
                out.append(WEAK)
            else:
                out.append(STRICT)
        return tuple(out)

    def enforced(self, levels: Sequence[int]) -> list[Element]:
        out: list[Element] = []
        for s, level in enumerate(levels):
            if level != DROP:
                out.append((s, 0))
            if level == STRICT and self.ordered[s]:
                out.append((s, 1))
        # ranks and orders first: conflicts then sit together at the front, and QuickXplain needs fewer checks
        measure_order = {"unit_rank": 0, "field_rank": 0, "unit_field_rank": 1}
        return sorted(
            out,
            key=lambda e: (
                measure_order.get(self.statements[e[0]].figure.measure, 2 if self.ordered[e[0]] else 3),
                e,
            ),
        )

    def conflict(self, candidates: list[Element], weaken: bool) -> list[Element]:
        """A minimal subset of ``candidates`` (which cannot all hold) that cannot all hold (QuickXplain)."""

        def infeasible(elements: list[Element]) -> bool:
            return self.solver.feasible(self.levels(elements, weaken)) is None

        def qx(background: list[Element], delta: bool, cands: list[Element]) -> list[Element]:
            if delta and infeasible(background):
                return []
            if len(cands) == 1:
                return list(cands)
            half = len(cands) // 2
            c1, c2 = cands[:half], cands[half:]
            x2 = qx(background + c1, bool(c1), c2)
            x1 = qx(background + x2, bool(x2), c1)
            return x1 + x2

        return qx([], False, candidates)

    def _hitting_sets(
        self, weights: dict[str, float], weaken: bool, cap: float | None, exclude: list[tuple[int, ...]]
    ) -> tuple[float, tuple[int, ...]] | None:
        """The cheapest levels that relax an element of every known conflict, other than ``exclude``."""
        from scipy.optimize import Bounds, LinearConstraint, milp

        n = len(self.statements)
        # variables: d[s] (drop) at s, w[s] (weaken) at n + s
        c = np.concatenate([np.full(n, weights["drop"]), np.full(n, weights["weaken"])])
        ub = np.concatenate([np.ones(n), np.array([1.0 if (o and weaken) else 0.0 for o in self.ordered])])
        rows, lo, hi = [], [], []
        for s in range(n):
            rows.append({s: 1.0, n + s: 1.0})
            lo.append(-np.inf)
            hi.append(1.0)
        for conflict in self.conflicts:
            row: dict[int, float] = {}
            for s, part in conflict:
                row[s] = 1.0
                if part == 1:
                    row[n + s] = 1.0
            rows.append(row)
            lo.append(1.0)
            hi.append(np.inf)
        for levels in exclude:  # no-good: differ from a set already found in at least one variable
            row, ones = {}, 0
            for s, level in enumerate(levels):
                row[s] = -1.0 if level == DROP else 1.0
                ones += level == DROP
                if self.ordered[s] and weaken:
                    row[n + s] = -1.0 if level == WEAK else 1.0
                    ones += level == WEAK
            rows.append(row)
            lo.append(1.0 - ones)
            hi.append(np.inf)
        if cap is not None:
            rows.append({i: float(v) for i, v in enumerate(c) if v})
            lo.append(-np.inf)
            hi.append(cap + 0.5)
        a = np.zeros((len(rows), 2 * n))
        for k, row in enumerate(rows):
            for i, v in row.items():
                a[k, i] = v
        res = milp(
            c,
            integrality=np.ones(2 * n),
            bounds=Bounds(np.zeros(2 * n), ub),
            constraints=LinearConstraint(a, np.array(lo), np.array(hi)),
        )
        if res.status != 0 or res.x is None:
            return None
        x = np.round(res.x)
        levels = tuple(DROP if x[s] else (WEAK if x[n + s] else STRICT) for s in range(n))
        return float(res.fun), levels

    def cheapest(
        self, weights: dict[str, float], *, weaken: bool, limit: int
    ) -> tuple[float, list[tuple[int, ...]]]:
        """The cost and every relaxation of that cost (up to ``limit``), as levels per statement."""
        best: float | None = None
        found: list[tuple[int, ...]] = []
        while len(found) < limit:
            hit = self._hitting_sets(weights, weaken, best, found)
            if hit is None:
                break
            cost, levels = hit
            if best is not None and cost > best + 1e-9:
                break
            if self.solver.feasible(levels) is not None:
                best = cost if best is None else best
                found.append(levels)
                continue
            self.conflicts.append(self.conflict(self.enforced(levels), weaken))
        if best is None:
            raise InternalError(
                "the published statements cannot be made consistent even with every one relaxed"
            )
        return best, found


def _closest(
    solver: _Solver, prior: dict[tuple[str, str], float], levels: Sequence[int]
) -> tuple[np.ndarray, float]:
    """The feasible table closest in L1 to ``prior`` with the statements at ``levels``."""
    from scipy.sparse import coo_array

    p = solver.b.p
    keys = list(p.x)
    nbase, k = solver.nvar, len(keys)
    r_idx, c_idx, vals = [], [], []
    lo, hi = np.empty(2 * k), np.empty(2 * k)
    for j, key in enumerate(keys):
        xi, e = p.x[key], nbase + j
        r_idx += [2 * j, 2 * j, 2 * j + 1, 2 * j + 1]
        c_idx += [xi, e, xi, e]
        vals += [1.0, -1.0, 1.0, 1.0]
        lo[2 * j], hi[2 * j] = -np.inf, prior[key]  # x - e <= p
        lo[2 * j + 1], hi[2 * j + 1] = prior[key], np.inf  # x + e >= p
    matrix = coo_array((vals, (r_idx, c_idx)), shape=(2 * k, nbase + k)).tocsr()
    c = np.concatenate([np.zeros(nbase), np.ones(k)])
    res = solver.run(c, levels, extra=(matrix, lo, hi), extra_vars=k)
    if res.status != 0 or res.x is None:
        raise InternalError(f"the reconstruction with the chosen relaxation has no solution: {res.message}")
    return np.asarray(res.x[:nbase]), float(res.fun)


def _ranges(
    solver: _Solver, levels: Sequence[int], cells: Sequence[int], witnesses: list[np.ndarray]
) -> tuple[dict[int, tuple[int, int]], set[int]]:
    """Each cell's minimum and maximum over the feasible tables; also the cells whose range is only bounded.

    A bound is first taken from the LP relaxation; when a table already found attains it, it is exact and no
    MILP is needed. Otherwise one MILP per bound (time-limited: when it stops early, its proven bound is used and
    the range may be wider than the truth). Every table a MILP finds is kept as a witness for the other cells.
    """
    seen = np.array([[w[i] for i in cells] for w in witnesses])
    low = {i: round(float(seen[:, k].min())) for k, i in enumerate(cells)}
    high = {i: round(float(seen[:, k].max())) for k, i in enumerate(cells)}
    out: dict[int, tuple[int, int]] = {}
    loose: set[int] = set()
    for i in cells:
        bounds = []
        for sense in (1.0, -1.0):
            c = np.zeros(solver.nvar)
            c[i] = sense
            lp = solver.run(c, levels, integral=False)
            if lp.status != 0:
                raise InternalError(f"cell range: {lp.message}")
            bound = math.ceil(lp.fun - 1e-6) if sense > 0 else math.floor(-lp.fun + 1e-6)
            attained = low[i] if sense > 0 else high[i]
            if bound == attained:
                bounds.append(bound)
                continue
            res = solver.run(c, levels, time_limit=RANGE_SECONDS)
            if res.x is not None:
                x = np.asarray(res.x)
                for j in cells:
                    v = round(float(x[j]))
                    low[j], high[j] = min(low[j], v), max(high[j], v)
            if res.status == 0:
                bounds.append(round(float(res.fun) * sense))
            else:
                dual = getattr(res, "mip_dual_bound", None)
                if dual is None or not np.isfinite(dual):
                    dual = lp.fun
                bounds.append(math.ceil(dual - 1e-6) if sense > 0 else math.floor(-dual + 1e-6))
                loose.add(i)
        out[i] = (bounds[0], bounds[1])
    return out, loose


@lru_cache(maxsize=2)
def unit_prior(document: str = HANGZHOU_2019) -> dict[str, Any]:
    """The prior unit weights shipped for ``document``."""
    name = {HANGZHOU_2019: "hangzhou_2019_unit_prior.json"}[document]
    return dict(json.loads((resources.files("industry_brain.atlas") / "_data" / name).read_text("utf-8")))


def _rank_of(totals: dict[str, int], key: str) -> tuple[int, list[str]]:
    """Competition rank of ``key`` and the keys level with it."""
    above = sum(1 for v in totals.values() if v > totals[key])
    level = [k for k, v in totals.items() if v == totals[key] and k != key]
    return above + 1, level


def _describe(b: _Builder, st: _Statement, kind: str, x: np.ndarray) -> Relaxation:
    from industry_brain.atlas._labels import field_name, unit_name

    fig, p = st.figure, b.p
    doc = b.doc
    table = {key: round(x[i]) for key, i in p.x.items()}
    unit_totals = {u: sum(table[u, f] for f in p.fields) for u in p.units}
    name = doc.unit_name(fig.unit_code)
    name_en = "the city" if fig.unit_code == CITY_CODE else unit_name(fig.unit_code, doc.unit_vintage, "en")
    reconstructed: Any
    if fig.measure == "unit_rank":
        rank, level = _rank_of(unit_totals, fig.unit_code)
        total = unit_totals[fig.unit_code]
        reconstructed = {"rank": rank, "level_with": level, "total": total}
        tie_zh = ("，与" + "、".join(doc.unit_name(k) for k in level) + "并列") if level else ""
        tie_en = (
            (", level with " + join_names([unit_name(k, doc.unit_vintage, "en") for k in level], "en"))
            if level
            else ""
        )
        zh = f"{name} 第{_zh_ordinal(int(fig.value))}位 → 第{_zh_ordinal(rank)}位（{total}家{tie_zh}）"
        en = f"{name_en}: rank {fig.value} → {rank} ({total} enterprises{tie_en})"
        if kind == "weaken":
            zh += "：按并列名次（1224 排名法）读作并列第" + _zh_ordinal(rank) + "位"
            en += ": read as a shared rank (competition ranking, 1224)"
    else:
        reconstructed = None
        what_zh, what_en = MEASURE_NAMES.get(fig.measure, (fig.measure, fig.measure))
        where_zh = name + (doc.field_name(fig.field) if fig.field else "")
        where_en = name_en + (f", {field_name(fig.field, 'en')}" if fig.field else "")
        printed = json.dumps(fig.value, ensure_ascii=False)
        action_zh = "读作允许并列（≥）" if kind == "weaken" else "不计入"
        action_en = "read with ties allowed (>=)" if kind == "weaken" else "dropped"
        zh = f"{where_zh} {what_zh}（发表 {printed}）：{action_zh}"
        en = f"{where_en}: {what_en} (printed {printed}): {action_en}"
    return Relaxation(
        fig.figure_id,
        fig.measure,
        fig.unit_code,
        fig.field,
        kind,
        fig.value,
        reconstructed,
        zh,
        en,
        fig.sentence_zh,
    )


_ZH_DIGITS = "零一二三四五六七八九十"


def _zh_ordinal(n: int) -> str:
    if 0 <= n <= 10:
        return _ZH_DIGITS[n]
    if n < 20:
        return "十" + _ZH_DIGITS[n - 10]
    return str(n)


def _cache_key(document: str, ranges: bool) -> str:
    from scipy import __version__ as scipy_version

    from industry_brain import __version__

    digest = hashlib.sha256()
    for part in (
        json.dumps(published_document(document).to_dict(), ensure_ascii=False, sort_keys=True),
        json.dumps(unit_prior(document), ensure_ascii=False, sort_keys=True),
        Path(__file__).read_text("utf-8"),
        __version__,
        scipy_version,
        str(ranges),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()[:24]


def _cache_files(cache_dir: Path, document: str, ranges: bool) -> list[Path]:
    """Cache files that can answer the request, best first (a table with ranges also answers one without)."""
    names = [(True, "ranges")] if ranges else [(False, "noranges"), (True, "ranges")]
    return [
        cache_dir / f"reconstruction-{document}-{kind}-{_cache_key(document, r)}.json" for r, kind in names
    ]


def _default_cache_dir() -> Path:
    from industry_brain._core.settings import get_settings

    return get_settings().home / "cache" / "atlas"


def reconstruct(
    document: str = HANGZHOU_2019,
    *,
    ranges: bool = True,
    cache: bool = True,
    cache_dir: Path | str | None = None,
) -> Reconstruction:
    """Reconstruct ``document``'s full unit × field table (see the module docstring for the model).

    ``ranges=False`` skips the feasible ranges of the cells (unprinted cells are then all *estimated*, without a
    range). The result is cached as JSON in ``cache_dir`` (default ``<IB_HOME>/cache/atlas``), keyed by the
    document's figures, the prior, this module's code and the solver's version; ``cache=False`` neither reads
    nor writes the cache. ``Reconstruction.cached`` says whether the result came from it.
    """
    folder = Path(cache_dir) if cache_dir is not None else None
    if cache:
        folder = folder or _default_cache_dir()
        for path in _cache_files(folder, document, ranges):
            try:
                raw = json.loads(path.read_text("utf-8"))
                return Reconstruction.from_dict(raw, cached=True)
            except FileNotFoundError:
                continue
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("ignoring unreadable reconstruction cache %s: %s", path, exc)
    rec = _reconstruct(document, ranges=ranges)
    if cache and folder is not None:
        path = _cache_files(folder, document, ranges)[0]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps(rec.to_dict(), ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            log.warning("could not write the reconstruction cache %s: %s", path, exc)
    return rec


def _reconstruct(document: str, *, ranges: bool) -> Reconstruction:
    return reconstruct_document(published_document(document), unit_prior(document), ranges=ranges)


def reconstruct_document(
    doc: PublishedDocument, prior_info: dict[str, Any], *, ranges: bool = True
) -> Reconstruction:
    """Reconstruct the table of any document's figures (uncached), with the prior unit weights
    ``prior_info["weights"]`` (``{unit: weight}``); :func:`reconstruct` calls it for a shipped document."""
    started = time.perf_counter()
    document = doc.document
    units = tuple(doc.units)
    b = _Builder(doc, units)
    p = b.p
    solver = _Solver(b)
    relaxer = _Relaxer(solver)

    # 1. the adopted relaxation: fewest drops, then fewest weakenings; alternatives of equal cost
    cost, sets = relaxer.cheapest(
        {"drop": DROP_WEIGHT, "weaken": 1.0}, weaken=True, limit=MAX_ALTERNATIVES + 1
    )
    adopted = sets[0]

    # 2. the table closest to the prior under that relaxation
    w = {u: float(prior_info["weights"][u]) for u in units}
    wsum = sum(w.values())
    field_totals = _field_totals(b)
    prior = {(u, f): field_totals[f] * w[u] / wsum for u in units for f in FIELDS_L1}
    xsol, distance = _closest(solver, prior, adopted)

    def described(
        levels: Sequence[int], x: np.ndarray, *, only_drops: bool = False
    ) -> tuple[Relaxation, ...]:
        out = [
            _describe(b, st, "drop" if level == DROP else "weaken", x)
            for st, level in zip(b.statements, levels, strict=True)
            if level == DROP or (level == WEAK and not only_drops)
        ]
        return tuple(sorted(out, key=lambda r: r.figure_id))

    relaxation = described(adopted, xsol)
    alternatives = tuple(described(s, xsol) for s in sets[1:])

    # 3. drop-only analysis: every smallest set of statements whose removal restores feasibility
    drop_only: list[tuple[Relaxation, ...]] = []
    if cost > 0:
        _, dsets = relaxer.cheapest({"drop": 1.0, "weaken": 0.0}, weaken=False, limit=MAX_ALTERNATIVES)
        for s in dsets:
            xs, _ = _closest(solver, prior, s)
            drop_only.append(described(s, xs, only_drops=True))

    # 4. marks and ranges
    printed = {
        (st.figure.unit_code, str(st.figure.field))
        for st, level in zip(b.statements, adopted, strict=True)
        if st.figure.measure == "cell_count" and level != DROP
    }
    open_cells = [i for (u, f), i in p.x.items() if (u, f) not in printed]
    span: dict[int, tuple[int, int]] = {}
    loose: set[int] = set()
    if ranges:
        span, loose = _ranges(solver, adopted, open_cells, [xsol])
    cells: list[Cell] = []
    for (u, f), i in p.x.items():
        value = round(float(xsol[i]))
        lo: int | None
        hi: int | None
        if (u, f) in printed:
            status, lo, hi = "printed", value, value
        elif ranges:
            lo, hi = span[i]
            status = "implied" if lo == hi else "estimated"
        else:
            status, lo, hi = "estimated", None, None
        cells.append(Cell(u, f, value, status, lo, hi, round(prior[u, f], 2), i not in loose))
    return Reconstruction(
        document=document,
        units=units,
        fields=FIELDS_L1,
        unit_names={u: doc.unit_name(u) for u in units},
        field_names={f: doc.field_name(f) for f in FIELDS_L1},
        cells=tuple(cells),
        feasible_as_printed=cost == 0,
        relaxation=relaxation,
        relaxation_alternatives=alternatives,
        drop_only=tuple(drop_only),
        statements=len(b.statements),
        not_modelled=tuple(b.not_modelled),
        prior={
            "formula": "p[u,f] = F[f] * w[u] / sum(w)",
            "distance": "L1",
            "description_zh": "先验：各领域总数按各区域企业登记数的比例分配（公开登记样本），取与之 L1 距离最小的可行表。",
            "description_en": "Prior: each field's total spread over the units in proportion to their enterprise "
            "registrations (public registration sample); the feasible table closest to it in L1 is taken.",
            **prior_info,
            "field_totals": field_totals,
        },
        distance_to_prior=round(distance, 4),
        ranges=ranges,
        conflicts=len(relaxer.conflicts),
        milps=solver.solves,
        seconds=time.perf_counter() - started,
    )


def _field_totals(b: _Builder) -> dict[str, int]:
    """Field totals fixed by the printed shares (each share admits one integer) or printed totals."""
    out: dict[str, int] = {}
    for st in b.statements:
        fig = st.figure
        if fig.measure == "field_share":
            lo, hi = share_interval(float(fig.value), int(fig.precision or 0), b.city_total)
            out[str(fig.field)] = (lo + hi) // 2
        elif fig.measure == "field_total":
            out[str(fig.field)] = int(fig.value)
    return {f: out.get(f, 0) for f in FIELDS_L1}
