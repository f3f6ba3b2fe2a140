"""Measures of the Future Industry Map over a unit × field count table.

Everything here works on integer counts already tallied (see :mod:`industry_brain.atlas._tally`, which reads a
register): it is plain numpy, so the same code serves a city of 14 map units and a national register of 3,000
county units × 254 level-3 fields.

What is measured, and how (each figure says its formula so a reader can redo it):

* **counts** ``n[u, f]``; unit totals ``n[u, ·]``, field totals ``n[·, f]``, grand total ``N``.
* **shares**: a field's share of the city ``n[·, f] / N`` (the magazine's "占全市…的28.59%"); a unit's share of a
  field ``n[u, f] / n[·, f]``; a field's share of a unit ``n[u, f] / n[u, ·]``.
* **ranks**: standard competition ranking, the way a statistics office ranks ("1224": tied values share the best
  rank, the next value skips). :func:`rank_phrase` words it as the magazine does: ``第3位``, ``并列第7位``.
* **top-k** both ways: a field's top units, a unit's top fields, ties broken by code and flagged.
* **location quotient** ``LQ = (n[u, f] / n[u, ·]) / (n[·, f] / N)``, left undefined (NaN) where the cell has
  fewer than ``lq_floor`` enterprises or the unit fewer than ``unit_floor`` (tiny counts give wild quotients).
* **HHI** (Herfindahl–Hirschman, 0–1): of a unit's field mix ``Σ_f (n[u, f] / n[u, ·])²`` and of a field's spread
  over units ``Σ_u (n[u, f] / n[·, f])²``; with its normalised form ``(H − 1/K) / (1 − 1/K)``.
* **strong clusters**, the US Cluster Mapping way: a cell is strong when its LQ is ≥ 1 and ≥ the 75th percentile
  of the field's defined LQs, and the cell has at least ``cluster_floor`` enterprises.
* **concentration label** of a field (较为集中 / 较为分散): see :data:`CONCENTRATED_SHARE` below.

The concentration rule, and why. The magazine labels 电子信息, 高技术服务, 新材料 and 先进制造与自动化 "较为集中"
and 生物与新医药, 新能源与节能, 资源与环境 "较为分散" without saying how. The share held by the top three units
does not explain it (先进制造与自动化's top three hold 54.6%, less than 生物与新医药's 57.5%). Nor does the HHI on
its own: it depends on the cells the magazine never printed, and over the range those cells may take
先进制造与自动化 (about 0.13–0.15) and 新能源与节能 (about 0.14–0.16) overlap. What does explain every label is
the share held by **the units the blurb names**: the three largest, or all units with at least
:data:`NAMED_FLOOR` (100) enterprises when more than three reach it (the magazine's "拥有100家以上的区域有四个").
Those named units hold 71.6%, 62.0%, 61.8% and 66.2% of the four "concentrated" fields and 57.5%, 57.2% and
51.8% of the three "dispersed" ones, so a threshold of 60% reproduces all seven printed labels, with a margin of
1.8 points below and 2.5 above, and uses only printed figures (no estimated cell can change a label). The HHI
and its normalised form are reported beside the label for readers who prefer them. A field with fewer than
:data:`LABEL_FLOOR` enterprises gets no label (the magazine gives none to 航空航天, 6 firms).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from industry_brain._core.errors import InputError

#: The named units (top three, or every unit with ≥ NAMED_FLOOR when more than three) hold at least this share
#: of a field → 较为集中 (concentrated), else 较为分散 (dispersed).
CONCENTRATED_SHARE = 0.60
#: The magazine's "拥有100家以上的区域" clause: units with at least this many enterprises in the field.
NAMED_FLOOR = 100
#: At most this many units are named by the ≥ NAMED_FLOOR clause; beyond it the blurb falls back to the top three.
NAMED_MAX = 5
#: Fields with fewer enterprises than this get no concentration label.
LABEL_FLOOR = 20
#: A field whose share of the city is below this is 较为薄弱 (relatively weak): 3.83% and 6.63% are, 7.58% is not.
WEAK_SHARE = 0.07
#: Location quotients need this many enterprises in the cell and UNIT_FLOOR in the unit.
LQ_FLOOR = 5
UNIT_FLOOR = 20
#: A strong cluster needs this many enterprises in the cell.
CLUSTER_FLOOR = 10

CONCENTRATED = "concentrated"
DISPERSED = "dispersed"


def competition_rank(values: Sequence[float] | np.ndarray, *, descending: bool = True) -> np.ndarray:
    """Standard competition ranking ("1224"): 1 + the number of values strictly better; ties share a rank."""
    v = np.asarray(values, dtype=float)
    if v.size == 0:
        return np.zeros(0, dtype=np.int64)
    key = -v if descending else v
    order = np.sort(key)
    return (np.searchsorted(order, key, side="left") + 1).astype(np.int64)


def competition_rank_columns(matrix: np.ndarray) -> np.ndarray:
    """Competition rank of each row within each column (largest first), for a 2-D array.

    One sort of every column at once: in a column sorted largest first, a value's rank is 1 + the position
    where its run of equal values starts (the order among equal values does not matter).
    """
    a = np.asarray(matrix)
    m = -a.astype(np.int64) if np.issubdtype(a.dtype, np.integer) else -a.astype(float)
    if m.size == 0:
        return np.zeros(m.shape, dtype=np.int64)
    order = np.argsort(m, axis=0)
    s = np.take_along_axis(m, order, axis=0)
    pos = np.arange(m.shape[0], dtype=np.int64)[:, None]
    starts = np.zeros(m.shape, dtype=np.int64)
    starts[1:] = np.where(s[1:] == s[:-1], 0, pos[1:])
    np.maximum.accumulate(starts, axis=0, out=starts)
    out = np.empty(m.shape, dtype=np.int64)
    np.put_along_axis(out, order, starts + 1, axis=0)
    return out


def _code_rank(codes: Sequence[str]) -> np.ndarray:
    """Position of each code in sorted order (ties in counts are broken by code)."""
    out = np.empty(len(codes), dtype=np.int64)
    out[sorted(range(len(codes)), key=lambda i: codes[i])] = np.arange(len(codes), dtype=np.int64)
    return out


def _leading(values: np.ndarray, code_rank: np.ndarray, k: int) -> np.ndarray:
    """Indices of the ``k`` largest values along axis 0, largest first, ties in order of code.

    ``values`` is 1-D or 2-D (one ordering per column); partial selection keeps this linear in the rows.
    """
    v = np.asarray(values, dtype=np.int64)
    n = v.shape[0]
    k = min(k, n)
    if k <= 0:
        return np.zeros((0, *v.shape[1:]), dtype=np.int64)
    if v.ndim == 1:
        key = -v * n + code_rank  # unique: count descending, then code ascending
        idx = np.argpartition(key, k - 1)[:k] if k < n else np.arange(n)
        return idx[np.argsort(key[idx])]
    key = -v * n + code_rank[:, None]
    idx = (
        np.argpartition(key, k - 1, axis=0)[:k] if k < n else np.tile(np.arange(n)[:, None], (1, v.shape[1]))
    )
    sub = np.take_along_axis(key, idx, axis=0)
    return np.take_along_axis(idx, np.argsort(sub, axis=0), axis=0)


_ZH_DIGITS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 23 → 二十三, 105 → 一百零五 (for ranks; larger numbers stay Arabic)."""
    if n < 0 or n >= 1000:
        return str(n)
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _ZH_DIGITS[tens]) + "十" + (_ZH_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = (
        ""
        if rest == 0
        else (
            "零" + _ZH_DIGITS[rest]
            if rest < 10
            else zh_number(rest).replace("十", "一十", 1)
            if rest < 20
            else zh_number(rest)
        )
    )
    return _ZH_DIGITS[hundreds] + "百" + tail


def _ordinal_en(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_phrase(rank: int, tied: bool, lang: str = "zh-CN") -> str:
    """The magazine's wording of a rank: ``第三位`` / ``并列第七位``; English ``3rd`` / ``joint 7th``."""
    if lang == "en":
        return ("joint " if tied else "") + _ordinal_en(rank)
    return ("并列" if tied else "") + "第" + zh_number(rank) + "位"


@dataclass(frozen=True)
class Ranked:
    """One entry of a top-k list: its code, count, share, competition rank and whether the rank is shared."""

    code: str
    count: int
    share: float
    rank: int
    tied: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "count": self.count,
            "share": self.share,
            "rank": self.rank,
            "tied": self.tied,
        }


@dataclass
class Measures:
    """All measures of one unit × field table (see the module docstring for every formula).

    ``units`` and ``fields`` are codes in display order; ``counts[u, f]`` integers. ``apportioned[u, f]`` is the
    part of each count that was apportioned from district-only records of a split district (0 when the register
    maps every record exactly); ``future`` holds counts by unit × future industry.
    """

    units: list[str]
    fields: list[str]
    counts: np.ndarray
    vintage: int = 2019
    level: int = 1
    basis: dict[str, Any] = field(default_factory=dict)
    apportioned: np.ndarray | None = None
    apportion_weights: dict[str, dict[str, float]] = field(default_factory=dict)
    future_codes: list[str] = field(default_factory=list)
    future: np.ndarray | None = None
    lq_floor: int = LQ_FLOOR
    unit_floor: int = UNIT_FLOOR
    cluster_floor: int = CLUSTER_FLOOR

    def __post_init__(self) -> None:
        c = np.asarray(self.counts)
        if c.shape != (len(self.units), len(self.fields)):
            raise InputError(
                f"counts have shape {c.shape!r}, expected ({len(self.units)}, {len(self.fields)}) units × fields"
            )
        if c.size and (c < 0).any():
            raise InputError("counts must not be negative")
        self.counts = c.astype(np.int64)
        if self.apportioned is None:
            self.apportioned = np.zeros_like(self.counts)
        if self.future is None:
            self.future = np.zeros((len(self.units), len(self.future_codes)), dtype=np.int64)
        self._unit_index = {u: i for i, u in enumerate(self.units)}
        self._field_index = {f: j for j, f in enumerate(self.fields)}
        self._compute()

    # ------------------------------------------------------------------ computation
    def _compute(self) -> None:
        c = self.counts
        self.unit_totals: np.ndarray = c.sum(axis=1)
        self.field_totals: np.ndarray = c.sum(axis=0)
        self.total = int(c.sum())
        with np.errstate(divide="ignore", invalid="ignore"):
            self.field_share_city = np.where(self.total > 0, self.field_totals / max(self.total, 1), np.nan)
            self.unit_share_city = np.where(self.total > 0, self.unit_totals / max(self.total, 1), np.nan)
            ft = self.field_totals[None, :].astype(float)
            ut = self.unit_totals[:, None].astype(float)
            self.unit_share_of_field = np.where(ft > 0, c / np.where(ft > 0, ft, 1), np.nan)
            self.field_share_of_unit = np.where(ut > 0, c / np.where(ut > 0, ut, 1), np.nan)
            lq = self.field_share_of_unit / self.field_share_city[None, :]
        defined = (c >= self.lq_floor) & (self.unit_totals[:, None] >= self.unit_floor)
        self.lq = np.where(defined & np.isfinite(lq), lq, np.nan)
        self.unit_rank = competition_rank(self.unit_totals)
        self.field_rank = competition_rank(self.field_totals)
        self.rank_in_field = competition_rank_columns(c)  # unit's rank within each field
        self.rank_in_unit = competition_rank_columns(c.T).T  # field's rank within each unit
        with np.errstate(divide="ignore", invalid="ignore"):
            self.hhi_unit = np.where(
                self.unit_totals > 0, np.nansum(self.field_share_of_unit**2, axis=1), np.nan
            )
            self.hhi_field = np.where(
                self.field_totals > 0, np.nansum(self.unit_share_of_field**2, axis=0), np.nan
            )
        self.hhi_unit_norm = _normalise_hhi(self.hhi_unit, len(self.fields))
        self.hhi_field_norm = _normalise_hhi(self.hhi_field, len(self.units))
        self.strong_cluster = self._strong_clusters()
        self._unit_code_rank = _code_rank(self.units)
        self._field_code_rank = _code_rank(self.fields)
        self._sole_first = (self.rank_in_field == 1).sum(axis=0) == 1 if c.size else np.zeros(0, bool)
        self._named_all()

    def _strong_clusters(self) -> np.ndarray:
        flags = np.zeros(self.counts.shape, dtype=bool)
        ok = np.isfinite(self.lq)
        cols = np.flatnonzero(ok.any(axis=0))
        if cols.size == 0:
            return flags
        lq = self.lq[:, cols]
        # the 75th percentile of each field's defined quotients (linear interpolation, as np.percentile)
        p75 = np.nanpercentile(lq, 75, axis=0)
        flags[:, cols] = (
            ok[:, cols] & (lq >= 1.0) & (lq >= p75) & (self.counts[:, cols] >= self.cluster_floor)
        )
        return flags

    def _named_all(self) -> None:
        """The units each field blurb names: every unit with ≥ NAMED_FLOOR when 4..NAMED_MAX of them reach it,
        else the top three with at least one enterprise (see :meth:`Measures.concentration`)."""
        c = self.counts
        nf = len(self.fields)
        self.named_units: list[list[str]] = []
        self.named_share = np.full(nf, np.nan)
        self.named_by_floor = np.zeros(nf, dtype=bool)
        if nf == 0:
            return
        lead = _leading(c, self._unit_code_rank, NAMED_MAX)  # (k, fields)
        top = np.take_along_axis(c, lead, axis=0)
        big = (c >= NAMED_FLOOR).sum(axis=0)
        self.named_by_floor = (big > 3) & (big <= NAMED_MAX)
        take = np.where(self.named_by_floor, big, np.minimum(3, (top[:3] > 0).sum(axis=0)))
        named_sum = np.where(np.arange(lead.shape[0])[:, None] < take[None, :], top, 0).sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            self.named_share = np.where(
                self.field_totals > 0, named_sum / np.maximum(self.field_totals, 1), np.nan
            )
        units = self.units
        self.named_units = [[units[i] for i in lead[: take[j], j]] for j in range(nf)]

    # ------------------------------------------------------------------ look-ups
    def unit_index(self, unit: str) -> int:
        try:
            return self._unit_index[unit]
        except KeyError:
            raise InputError(
                f"unknown map unit {unit!r}, expected one of {self.units!r}", field="unit"
            ) from None

    def field_index(self, code: str) -> int:
        try:
            return self._field_index[code]
        except KeyError:
            raise InputError(
                f"unknown field {code!r}, expected one of {self.fields!r}", field="field"
            ) from None

    def count(self, unit: str, field_code: str) -> int:
        return int(self.counts[self.unit_index(unit), self.field_index(field_code)])

    def unit_total(self, unit: str) -> int:
        return int(self.unit_totals[self.unit_index(unit)])

    def field_total(self, field_code: str) -> int:
        return int(self.field_totals[self.field_index(field_code)])

    def unit_rank_of(self, unit: str) -> tuple[int, bool]:
        """The unit's city rank by total and whether another unit shares it."""
        i = self.unit_index(unit)
        r = int(self.unit_rank[i])
        return r, int((self.unit_rank == r).sum()) > 1

    def field_rank_of(self, field_code: str) -> tuple[int, bool]:
        j = self.field_index(field_code)
        r = int(self.field_rank[j])
        return r, int((self.field_rank == r).sum()) > 1

    def top_units(
        self, field_code: str | None = None, k: int = 3, *, include_zero: bool = False
    ) -> list[Ranked]:
        """A field's top ``k`` units (or, with ``field_code=None``, the units by total); ties ordered by code."""
        if field_code is None:
            col, total, ranks = self.unit_totals, self.total, self.unit_rank
        else:
            j = self.field_index(field_code)
            col, total, ranks = self.counts[:, j], int(self.field_totals[j]), self.rank_in_field[:, j]
        return _top(self.units, col, total, ranks, k, include_zero, self._unit_code_rank)

    def top_fields(self, unit: str | None = None, k: int = 3, *, include_zero: bool = False) -> list[Ranked]:
        """A unit's top ``k`` fields (or, with ``unit=None``, the fields by city total)."""
        if unit is None:
            row, total, ranks = self.field_totals, self.total, self.field_rank
        else:
            i = self.unit_index(unit)
            row, total, ranks = self.counts[i, :], int(self.unit_totals[i]), self.rank_in_unit[i, :]
        return _top(self.fields, row, total, ranks, k, include_zero, self._field_code_rank)

    def fields_led(self, unit: str, *, sole: bool = True) -> list[str]:
        """Fields in which the unit ranks first among all units, largest count first.

        ``sole=True`` (the magazine's "位列各区县第一位") leaves out fields where another unit has the same count.
        """
        i = self.unit_index(unit)
        first = (self.counts[i] > 0) & (self.rank_in_field[i] == 1)
        if sole:
            first &= self._sole_first
        led = [int(j) for j in np.flatnonzero(first)]
        led.sort(key=lambda j: (-int(self.counts[i, j]), self.fields[j]))
        return [self.fields[j] for j in led]

    def concentration(self, field_code: str) -> str | None:
        """``concentrated`` (较为集中) / ``dispersed`` (较为分散) / None (too few enterprises to say)."""
        j = self.field_index(field_code)
        if self.field_totals[j] < LABEL_FLOOR or not np.isfinite(self.named_share[j]):
            return None
        return CONCENTRATED if self.named_share[j] >= CONCENTRATED_SHARE else DISPERSED

    def top_lists(self, k: int = 3) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
        """Every unit's top ``k`` fields and every field's top ``k`` units at once, as codes (the same lists as
        :meth:`top_fields` / :meth:`top_units`, computed in one pass over the table)."""
        c = self.counts
        by_unit = _leading(c.T, self._field_code_rank, k)  # (k, units)
        by_field = _leading(c, self._unit_code_rank, k)  # (k, fields)
        ok_u = np.take_along_axis(c.T, by_unit, axis=0) > 0
        ok_f = np.take_along_axis(c, by_field, axis=0) > 0
        fields, units = self.fields, self.units
        return (
            {
                u: [fields[j] for j, ok in zip(by_unit[:, i], ok_u[:, i], strict=True) if ok]
                for i, u in enumerate(units)
            },
            {
                f: [units[i] for i, ok in zip(by_field[:, j], ok_f[:, j], strict=True) if ok]
                for j, f in enumerate(fields)
            },
        )

    def leaders(self) -> dict[str, list[str]]:
        """:meth:`fields_led` (``sole=True``) of every unit at once."""
        c = self.counts
        first = (c > 0) & (self.rank_in_field == 1) & self._sole_first[None, :]
        ui, fj = np.nonzero(first)
        order = np.lexsort((self._field_code_rank[fj], -c[ui, fj], ui))
        out: dict[str, list[str]] = {u: [] for u in self.units}
        for i, j in zip(ui[order], fj[order], strict=True):
            out[self.units[i]].append(self.fields[j])
        return out

    def units_at_least(self, field_code: str, floor: int = NAMED_FLOOR) -> list[str]:
        j = self.field_index(field_code)
        col = self.counts[:, j]
        idx = sorted(
            (i for i in range(len(self.units)) if col[i] >= floor),
            key=lambda i: (-int(col[i]), self.units[i]),
        )
        return [self.units[i] for i in idx]

    @property
    def apportioned_total(self) -> int:
        assert self.apportioned is not None
        return int(self.apportioned.sum())

    # ------------------------------------------------------------------ export
    def cells(self) -> list[dict[str, Any]]:
        """One row per unit × field with every cell measure (for tables, JSON, XLSX)."""
        assert self.apportioned is not None
        rows = []
        for i, u in enumerate(self.units):
            for j, f in enumerate(self.fields):
                rows.append(
                    {
                        "unit": u,
                        "field": f,
                        "count": int(self.counts[i, j]),
                        "apportioned": int(self.apportioned[i, j]),
                        "share_of_field": _num(self.unit_share_of_field[i, j]),
                        "share_of_unit": _num(self.field_share_of_unit[i, j]),
                        "rank_in_field": int(self.rank_in_field[i, j]),
                        "rank_in_unit": int(self.rank_in_unit[i, j]),
                        "lq": _num(self.lq[i, j]),
                        "strong_cluster": bool(self.strong_cluster[i, j]),
                    }
                )
        return rows

    def unit_rows(self) -> list[dict[str, Any]]:
        assert self.apportioned is not None
        return [
            {
                "unit": u,
                "total": int(self.unit_totals[i]),
                "share": _num(self.unit_share_city[i]),
                "rank": int(self.unit_rank[i]),
                "tied": int((self.unit_rank == self.unit_rank[i]).sum()) > 1,
                "hhi": _num(self.hhi_unit[i]),
                "hhi_norm": _num(self.hhi_unit_norm[i]),
                "top_fields": [r.code for r in self.top_fields(u, 3)],
                "fields_led": self.fields_led(u),
                "apportioned": int(self.apportioned[i].sum()),
                "strong_clusters": [self.fields[j] for j in np.flatnonzero(self.strong_cluster[i])],
            }
            for i, u in enumerate(self.units)
        ]

    def field_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "field": f,
                "total": int(self.field_totals[j]),
                "share": _num(self.field_share_city[j]),
                "rank": int(self.field_rank[j]),
                "tied": int((self.field_rank == self.field_rank[j]).sum()) > 1,
                "hhi": _num(self.hhi_field[j]),
                "hhi_norm": _num(self.hhi_field_norm[j]),
                "named_units": self.named_units[j],
                "named_by_floor": bool(self.named_by_floor[j]),
                "named_share": _num(self.named_share[j]),
                "concentration": self.concentration(f),
                "top_units": [r.code for r in self.top_units(f, 3)],
            }
            for j, f in enumerate(self.fields)
        ]

    def future_rows(self) -> list[dict[str, Any]]:
        assert self.future is not None
        return [
            {
                "unit": u,
                **{c: int(self.future[i, k]) for k, c in enumerate(self.future_codes)},
                "total": int(self.future[i].sum()),
            }
            for i, u in enumerate(self.units)
        ]

    def to_dict(self) -> dict[str, Any]:
        return {
            "vintage": self.vintage,
            "level": self.level,
            "basis": self.basis,
            "total": self.total,
            "apportioned_total": self.apportioned_total,
            "apportion_weights": self.apportion_weights,
            "units": self.unit_rows(),
            "fields": self.field_rows(),
            "cells": self.cells(),
            "future_industries": self.future_codes,
            "future": self.future_rows(),
            "rules": {
                "rank": "standard competition ranking (1224)",
                "concentrated_share": CONCENTRATED_SHARE,
                "named_floor": NAMED_FLOOR,
                "label_floor": LABEL_FLOOR,
                "weak_share": WEAK_SHARE,
                "lq_floor": self.lq_floor,
                "unit_floor": self.unit_floor,
                "cluster_floor": self.cluster_floor,
            },
        }


def _normalise_hhi(h: np.ndarray, k: int) -> np.ndarray:
    if k <= 1:
        return np.where(np.isfinite(h), 1.0, np.nan)
    return (h - 1.0 / k) / (1.0 - 1.0 / k)


def _num(x: float) -> float | None:
    return None if not np.isfinite(x) else float(x)


def _top(
    codes: list[str],
    values: np.ndarray,
    total: int,
    ranks: np.ndarray,
    k: int,
    include_zero: bool,
    code_rank: np.ndarray | None = None,
) -> list[Ranked]:
    v = np.asarray(values, dtype=np.int64)
    cr = _code_rank(codes) if code_rank is None else code_rank
    order = _leading(v, cr, k if include_zero else min(k, int((v > 0).sum())))
    r = np.asarray(ranks, dtype=np.int64)
    shared = np.bincount(r, minlength=int(r.max(initial=0)) + 1) > 1
    return [
        Ranked(
            codes[i],
            int(v[i]),
            float(v[i]) / total if total else float("nan"),
            int(r[i]),
            bool(shared[r[i]]),
        )
        for i in (int(x) for x in order)
    ]


@dataclass
class Change:
    """Change between two versions of a register (two batches of the same source), cell by cell."""

    before: Measures
    after: Measures

    def __post_init__(self) -> None:
        if self.before.units != self.after.units or self.before.fields != self.after.fields:
            raise InputError("the two versions must be measured on the same units and fields")
        self.delta = self.after.counts - self.before.counts
        with np.errstate(divide="ignore", invalid="ignore"):
            b = self.before.counts.astype(float)
            self.pct = np.where(b > 0, self.delta / np.where(b > 0, b, 1), np.nan)
        self.unit_delta = self.after.unit_totals - self.before.unit_totals
        self.field_delta = self.after.field_totals - self.before.field_totals
        self.rank_change = self.before.unit_rank - self.after.unit_rank  # > 0: moved up

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before.basis,
            "after": self.after.basis,
            "total_before": self.before.total,
            "total_after": self.after.total,
            "units": [
                {
                    "unit": u,
                    "before": int(self.before.unit_totals[i]),
                    "after": int(self.after.unit_totals[i]),
                    "delta": int(self.unit_delta[i]),
                    "rank_before": int(self.before.unit_rank[i]),
                    "rank_after": int(self.after.unit_rank[i]),
                    "rank_change": int(self.rank_change[i]),
                }
                for i, u in enumerate(self.after.units)
            ],
            "fields": [
                {
                    "field": f,
                    "before": int(self.before.field_totals[j]),
                    "after": int(self.after.field_totals[j]),
                    "delta": int(self.field_delta[j]),
                }
                for j, f in enumerate(self.after.fields)
            ],
            "cells": [
                {
                    "unit": u,
                    "field": f,
                    "before": int(self.before.counts[i, j]),
                    "after": int(self.after.counts[i, j]),
                    "delta": int(self.delta[i, j]),
                    "pct": _num(self.pct[i, j]),
                }
                for i, u in enumerate(self.after.units)
                for j, f in enumerate(self.after.fields)
                if self.delta[i, j] != 0
            ],
        }
