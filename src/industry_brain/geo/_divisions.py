"""China's county-level-and-above division codes (GB/T 2260) with their history since 1981.

The table is ``_data/divisions.csv`` (built by ``scripts/build_geo_data.py`` from yescallop/areacodes, CC0). A code
can be reused: 359 codes carry more than one name over time, so a lookup without a year returns the latest row
and ``division(code, year)`` the row in force in that year.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from industry_brain._core.errors import InputError, NotFoundError

__all__ = ["AS_OF_YEAR", "Division", "division", "division_history"]

_CODE = re.compile(r"[0-9]{6}")


@dataclass(frozen=True, slots=True)
class Division:
    """One row of the national table: a code with one name over ``[start, end)`` (``end`` None: still in use)."""

    code: str
    name: str
    level: str  # province / prefecture / county
    province: str
    prefecture: str  # "" for provinces, "直辖" under a municipality
    start: int
    end: int | None
    status: str  # active / retired / changed
    successors: tuple[str, ...]  # codes (``[YYYY]`` tags keep the year of a move)

    @property
    def last_year(self) -> int:
        """The last year in which this code carried this name."""
        return AS_OF_YEAR if self.end is None else self.end - 1

    def in_force(self, year: int) -> bool:
        return self.start <= year and (self.end is None or year < self.end)

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "name": self.name, "level": self.level, "province": self.province,
                "prefecture": self.prefecture, "start": self.start, "end": self.end, "status": self.status,
                "successors": list(self.successors)}


@cache
def _table() -> dict[str, tuple[Division, ...]]:
    by_code: dict[str, list[Division]] = {}
    path = resources.files(__package__).joinpath("_data/divisions.csv")
    with io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            d = Division(code=r["code"], name=r["name"], level=r["level"], province=r["province"],
                         prefecture=r["prefecture"], start=int(r["start"]), end=int(r["end"]) if r["end"] else None,
                         status=r["status"], successors=tuple(s for s in r["successors"].split(";") if s))
            by_code.setdefault(d.code, []).append(d)
    return {code: tuple(sorted(rows, key=lambda d: d.start)) for code, rows in by_code.items()}


AS_OF_YEAR = 2024  # the latest year the national table knows (checked by a test against the table)


def _check_code(code: str) -> str:
    if not isinstance(code, str) or not _CODE.fullmatch(code.strip()):
        raise InputError(f"division code {code!r} is not 6 digits, expected a GB/T 2260 code like '330106'",
                         field="code")
    return code.strip()


def division_history(code: str) -> tuple[Division, ...]:
    """Every name the code has carried, oldest first. Raises NotFoundError for an unknown code."""
    code = _check_code(code)
    rows = _table().get(code)
    if rows is None:
        raise NotFoundError(f"division code {code!r} is not in the national table (1981–{AS_OF_YEAR})", field="code")
    return rows


def division(code: str, year: int | None = None) -> Division:
    """The division a code denotes in ``year`` (default: its latest name)."""
    rows = division_history(code)
    if year is None:
        return rows[-1]
    for d in rows:
        if d.in_force(year):
            return d
    raise NotFoundError(
        f"division code {code!r} was not in use in {year}, expected a year in "
        + ", ".join(f"{d.start}–{d.end - 1 if d.end else ''}" for d in rows),
        field="year",
    )


@cache
def county_index() -> dict[str, dict[str, list[Division]]]:
    """prefecture code (4 digits) → county name → rows, for reading addresses outside Hangzhou."""
    out: dict[str, dict[str, list[Division]]] = {}
    for rows in _table().values():
        for d in rows:
            if d.level == "county":
                out.setdefault(d.code[:4], {}).setdefault(d.name, []).append(d)
    return out


@cache
def prefecture_index() -> dict[str, Division]:
    """Full names of prefectures and provinces → their row (latest use of the name wins)."""
    out: dict[str, Division] = {}
    for rows in _table().values():
        for d in rows:
            if d.level in ("prefecture", "province"):
                prev = out.get(d.name)
                if prev is None or d.last_year >= prev.last_year:
                    out[d.name] = d
    return out


@cache
def unique_county_names() -> dict[str, Division]:
    """County names that are unique nationally among codes still in use (义乌市, 海宁市…) → their row."""
    seen: dict[str, list[Division]] = {}
    for rows in _table().values():
        d = rows[-1]
        if d.level == "county" and d.end is None:
            seen.setdefault(d.name, []).append(d)
    return {name: ds[0] for name, ds in seen.items() if len(ds) == 1 and len(name) >= 3}
