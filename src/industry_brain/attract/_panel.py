"""Unit × field count matrices read from the register, and the choice of the panel that proximity is computed on.

A city has 14 districts: far too few units to learn which fields co-locate. Proximity (and PCI) are therefore
computed on the largest panel the register offers — its county-level divisions when it spans many counties (a
provincial or national list), else its streets (街道/镇) — counting only units with at least :data:`MIN_FIRMS`
firms; the district's own presence is then read against that proximity. Which panel, how many units, fields and
firms is part of every answer (``Panel.basis``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np

from industry_brain._core.errors import InputError
from industry_brain._core.store import Store
from industry_brain.attract._complexity import Array

UnitKind = Literal["district", "county", "street"]
Level = Literal["l1", "l2", "l3"]
UNIT_KINDS: tuple[UnitKind, ...] = ("district", "county", "street")
LEVELS: tuple[Level, ...] = ("l1", "l2", "l3")
#: A unit joins the proximity panel with at least this many firms with a field.
MIN_FIRMS = 10

_UNIT_SQL: dict[UnitKind, str] = {
    "district": "map_unit_2019",
    "county": "division_code",
    "street": "CASE WHEN street IS NOT NULL AND division_code IS NOT NULL THEN division_code || '/' || street END",
}
_UNIT_NAMES = {"district": ("区县（2019 地图单元）", "districts (2019 map units)"),
               "county": ("县级行政区划", "county-level divisions"),
               "street": ("街道/镇", "streets and towns")}


@dataclass(frozen=True)
class Panel:
    """Firm counts ``counts[u, f]`` of one unit kind and field level, with what was counted."""

    kind: UnitKind
    level: Level
    units: tuple[str, ...]
    fields: tuple[str, ...]
    counts: Array
    as_of: date | None = None
    dropped_units: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def firms(self) -> int:
        return int(self.counts.sum())

    def basis(self, lang: str = "zh") -> dict[str, Any]:
        zh, en = _UNIT_NAMES[self.kind]
        name = zh if lang == "zh" else en
        if lang == "zh":
            text = (f"{name}面板：{len(self.units)} 个单元 × {len(self.fields)} 个领域，{self.firms:,} 家有技术领域的企业"
                    + (f"（每单元至少 {MIN_FIRMS} 家，{self.dropped_units} 个较小单元未计入）" if self.dropped_units else "")
                    + (f"；截至 {self.as_of.isoformat()} 登记" if self.as_of else ""))
        else:
            text = (f"panel of {name}: {len(self.units)} units × {len(self.fields)} fields, {self.firms:,} firms with a "
                    "technology field" + (f" (at least {MIN_FIRMS} per unit; {self.dropped_units} smaller units left out)"
                                          if self.dropped_units else "")
                    + (f"; registered up to {self.as_of.isoformat()}" if self.as_of else ""))
        return {"kind": self.kind, "kind_name": name, "level": self.level, "units": len(self.units),
                "fields": len(self.fields), "firms": self.firms, "min_firms": MIN_FIRMS,
                "dropped_units": self.dropped_units, "as_of": self.as_of.isoformat() if self.as_of else None,
                "text": text}


def check_panel(kind: str, level: str) -> None:
    """Refuse a unit kind or field level the register has no column for."""
    if kind not in UNIT_KINDS:
        raise InputError(f"unit kind {kind!r}: expected one of {', '.join(UNIT_KINDS)}", field="units", value=kind)
    if level not in LEVELS:
        raise InputError(f"field level {level!r}: expected one of {', '.join(LEVELS)}", field="level", value=level)


def read_counts(store: Store, kind: UnitKind = "district", level: Level = "l2", as_of: date | None = None,
                fields: tuple[str, ...] | None = None) -> Panel:
    """Firms with a technology field per (unit, field) of the current register, optionally only those registered
    on or before ``as_of``. ``fields`` fixes the columns (and their order); otherwise every field present."""
    check_panel(kind, level)
    unit = _UNIT_SQL[kind]
    where = f"({unit}) IS NOT NULL AND field_{level} IS NOT NULL"
    args: list[Any] = []
    if as_of is not None:
        where += " AND registered_on IS NOT NULL AND registered_on <= ?"
        args.append(as_of)
    got = store.execute(f"SELECT ({unit})::VARCHAR AS u, field_{level}::VARCHAR AS f, count(*)::DOUBLE AS n"
                        f" FROM enterprise WHERE {where} GROUP BY ALL", args).fetchnumpy()
    u_codes, u_idx = np.unique(np.asarray(got["u"], dtype=object).astype(str), return_inverse=True)
    f_all = np.asarray(got["f"], dtype=object).astype(str)
    if fields is None:
        cols, f_idx = np.unique(f_all, return_inverse=True)
        keep = np.ones(len(f_all), dtype=bool)
    else:
        cols = np.asarray(fields, dtype=str)
        pos = {c: i for i, c in enumerate(fields)}
        f_idx = np.fromiter((pos.get(c, -1) for c in f_all), dtype=np.int64, count=len(f_all))
        keep = f_idx >= 0
    x = np.zeros((len(u_codes), len(cols)))
    np.add.at(x, (u_idx[keep], f_idx[keep]), np.asarray(got["n"], dtype=np.float64)[keep])
    return Panel(kind, level, tuple(str(c) for c in u_codes), tuple(str(c) for c in cols), x, as_of)


def from_rows(rows: list[tuple[Any, ...]] | list[Any], kind: UnitKind, level: Level, as_of: date | None = None,
              fields: tuple[str, ...] | None = None) -> Panel:
    units = tuple(sorted({str(r[0]) for r in rows}))
    cols = fields if fields is not None else tuple(sorted({str(r[1]) for r in rows}))
    ui, fi = {u: i for i, u in enumerate(units)}, {f: i for i, f in enumerate(cols)}
    x = np.zeros((len(units), len(cols)))
    for u, f, n in rows:
        j = fi.get(str(f))
        if j is not None:
            x[ui[str(u)], j] += float(n)
    return Panel(kind, level, units, cols, x, as_of)


def trimmed(p: Panel, min_firms: int = MIN_FIRMS) -> Panel:
    """The panel without units of fewer than ``min_firms`` firms and without fields no unit has."""
    keep = p.counts.sum(axis=1) >= min_firms
    x = p.counts[keep]
    cols = x.sum(axis=0) > 0
    return Panel(p.kind, p.level, tuple(u for u, k in zip(p.units, keep, strict=True) if k),
                 tuple(f for f, k in zip(p.fields, cols, strict=True) if k), x[:, cols], p.as_of,
                 int((~keep).sum()))


def proximity_panel(store: Store, level: Level = "l2", as_of: date | None = None,
                    kind: UnitKind | None = None) -> Panel:
    """The largest panel of the register for proximity: county-level divisions, streets or (last) districts,
    whichever has most units of at least :data:`MIN_FIRMS` firms (or the ``kind`` asked for)."""
    kinds: tuple[UnitKind, ...] = (kind,) if kind else ("county", "street", "district")
    best: Panel | None = None
    for k in kinds:
        p = trimmed(read_counts(store, k, level, as_of))
        if best is None or len(p.units) > len(best.units):
            best = p
    assert best is not None
    if len(best.units) < 2:
        raise InputError(f"the register has {len(best.units)} unit(s) with at least {MIN_FIRMS} firms with a "
                         "technology field: expected two or more to learn which fields co-locate", field="register")
    return best
