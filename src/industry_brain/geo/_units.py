"""Hangzhou's map units: the 14 units of the 2019 magazine map and the 13 districts of 2021, the crosswalk
between them, the township gazetteer and the boundaries.

2019 map: 13 districts/counties plus 钱塘新区 (``"QTXQ"``, a functional zone without a division code, formed in
2019 from 下沙/白杨 of 江干 and 河庄/义蓬/新湾/临江/前进 of 萧山). On that map 江干 (330104) and 萧山 (330109)
mean "excluding 钱塘新区". 2021: 下城 and 江干 were retired (国函〔2021〕29号); 上城 took most of 江干, 拱墅 took
下城, 钱塘区 (330114) replaced 钱塘新区 and 临平区 (330113) was cut out of 余杭.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from industry_brain._core.errors import InputError, NotFoundError

__all__ = [
    "DISTRICTS_2021",
    "MAP_UNITS_2019",
    "QTXQ",
    "SPLIT_RULES",
    "CrosswalkRow",
    "SplitRule",
    "StreetUnits",
    "Unit",
    "boundaries",
    "crosswalk",
    "map_unit_code",
    "street_units",
    "unit",
]

QTXQ = "QTXQ"


@dataclass(frozen=True, slots=True)
class Unit:
    """A map unit. ``kind``: district / county / county-level city / functional zone."""

    code: str
    name_zh: str
    short_zh: str
    name_en: str
    kind: str


MAP_UNITS_2019: tuple[Unit, ...] = (
    Unit("330102", "上城区", "上城", "Shangcheng", "district"),
    Unit("330103", "下城区", "下城", "Xiacheng", "district"),
    Unit("330104", "江干区", "江干", "Jianggan", "district"),
    Unit("330105", "拱墅区", "拱墅", "Gongshu", "district"),
    Unit("330106", "西湖区", "西湖", "Xihu", "district"),
    Unit("330108", "滨江区", "滨江", "Binjiang", "district"),
    Unit("330109", "萧山区", "萧山", "Xiaoshan", "district"),
    Unit("330110", "余杭区", "余杭", "Yuhang", "district"),
    Unit("330111", "富阳区", "富阳", "Fuyang", "district"),
    Unit("330112", "临安区", "临安", "Lin'an", "district"),
    Unit("330122", "桐庐县", "桐庐", "Tonglu", "county"),
    Unit("330127", "淳安县", "淳安", "Chun'an", "county"),
    Unit("330182", "建德市", "建德", "Jiande", "county-level city"),
    Unit(QTXQ, "钱塘新区", "钱塘新区", "Qiantang New Area", "functional zone"),
)

DISTRICTS_2021: tuple[Unit, ...] = (
    Unit("330102", "上城区", "上城", "Shangcheng", "district"),
    Unit("330105", "拱墅区", "拱墅", "Gongshu", "district"),
    Unit("330106", "西湖区", "西湖", "Xihu", "district"),
    Unit("330108", "滨江区", "滨江", "Binjiang", "district"),
    Unit("330109", "萧山区", "萧山", "Xiaoshan", "district"),
    Unit("330110", "余杭区", "余杭", "Yuhang", "district"),
    Unit("330113", "临平区", "临平", "Linping", "district"),
    Unit("330114", "钱塘区", "钱塘", "Qiantang", "district"),
    Unit("330111", "富阳区", "富阳", "Fuyang", "district"),
    Unit("330112", "临安区", "临安", "Lin'an", "district"),
    Unit("330122", "桐庐县", "桐庐", "Tonglu", "county"),
    Unit("330127", "淳安县", "淳安", "Chun'an", "county"),
    Unit("330182", "建德市", "建德", "Jiande", "county-level city"),
)

_BY_VINTAGE = {2019: {u.code: u for u in MAP_UNITS_2019}, 2021: {u.code: u for u in DISTRICTS_2021}}


def map_unit_code(text: str | None) -> str | None:
    """A 2019 map unit code from a code or a name as people write it (西湖区, 西湖, 钱塘新区, Binjiang); None when
    unknown or empty."""
    import unicodedata

    t = unicodedata.normalize("NFKC", text or "").strip()
    if not t:
        return None
    for u in MAP_UNITS_2019:
        if t in (u.code, u.name_zh, u.short_zh) or t.lower() == u.name_en.lower():
            return u.code
    return None


def unit(code: str, vintage: int) -> Unit:
    """The unit with ``code`` on the map of ``vintage`` (2019 or 2021)."""
    units = _BY_VINTAGE.get(vintage)
    if units is None:
        raise InputError(f"map vintage {vintage!r} is not known, expected 2019 or 2021", field="vintage")
    found = units.get(code)
    if found is None:
        raise NotFoundError(f"unit {code!r} is not on the {vintage} map, expected one of {', '.join(units)}",
                            field="code")
    return found


@dataclass(frozen=True, slots=True)
class CrosswalkRow:
    """One row of the district-level crosswalk: a 2019 unit, a 2021 district, and whether all of it moved."""

    unit_kind: str
    code_2019: str  # "QTXQ" for 钱塘新区
    name_2019: str
    code_2021: str
    name_2021: str
    share_rule: str  # whole / part / approx. whole
    note: str


@cache
def crosswalk() -> tuple[CrosswalkRow, ...]:
    """The 2019 ↔ 2021 crosswalk (source: civil-affairs code lists and the 2021 notices)."""
    path = resources.files(__package__).joinpath("_data/crosswalk_2019_2021.csv")
    with io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="") as fh:
        return tuple(
            CrosswalkRow(r["unit_2019"], r["code_2019"] or QTXQ, r["name_2019"], r["code_2021"], r["name_2021"],
                         r["share_rule"], r["street_level_note"])
            for r in csv.DictReader(fh)
        )


@dataclass(frozen=True, slots=True)
class StreetUnits:
    """A township (街道/镇/乡), a former township name, or a zone, with its 2019 map unit and 2021 district."""

    name: str
    kind: str  # 街道 / 镇 / 乡 / former / zone
    unit_2019: str
    county_2019: str  # the GB/T 2260 county of 2019 (钱塘新区 townships: 330104 or 330109)
    district_2021: str
    source: str


@cache
def gazetteer() -> dict[str, StreetUnits]:
    path = resources.files(__package__).joinpath("_data/streets.csv")
    with io.TextIOWrapper(path.open("rb"), encoding="utf-8", newline="") as fh:
        return {r["name"]: StreetUnits(**r) for r in csv.DictReader(fh)}


def street_units(street: str) -> StreetUnits:
    """The 2019 unit and 2021 district of a Hangzhou township (``"转塘街道"``, ``"千岛湖镇"``, ``"浦沿镇"``)."""
    found = gazetteer().get(street.strip()) if isinstance(street, str) else None
    if found is None:
        raise NotFoundError(f"street {street!r} is not in the Hangzhou gazetteer, expected a name like '转塘街道'",
                            field="street")
    return found


@dataclass(frozen=True, slots=True)
class SplitRule:
    """How the records of one 2019 unit spread over 2021 districts.

    ``streets`` lists the townships of the 2019 unit that went to ``code_2021`` (from the gazetteer); the atlas
    decides the weights (e.g. by counting records placed at street level).
    """

    code_2019: str
    code_2021: str
    whole: bool
    streets: tuple[str, ...]


def _split_rules() -> tuple[SplitRule, ...]:
    by_pair: dict[tuple[str, str], list[str]] = {}
    for s in gazetteer().values():
        if s.kind in ("街道", "镇", "乡"):
            by_pair.setdefault((s.unit_2019, s.district_2021), []).append(s.name)
    sources: dict[str, int] = {}
    for u19, _ in by_pair:
        sources[u19] = sources.get(u19, 0) + 1
    return tuple(
        SplitRule(u19, d21, sources[u19] == 1, tuple(sorted(names)))
        for (u19, d21), names in sorted(by_pair.items())
    )


SPLIT_RULES: tuple[SplitRule, ...] = _split_rules()


@cache
def _boundaries_text(vintage: int) -> str:
    return resources.files(__package__).joinpath(f"_data/boundaries_{vintage}.geojson").read_text(encoding="utf-8")


def boundaries(vintage: int) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the 2019 map units (14) or the 2021 districts (13).

    Coordinates are GCJ-02 lon/lat, simplified to about 250 m: illustrative maps (示意图) only. Each feature has
    properties ``code``, ``name_zh``, ``name_en``, ``vintage``. A fresh copy is returned each call.
    """
    if vintage not in _BY_VINTAGE:
        raise InputError(f"map vintage {vintage!r} is not known, expected 2019 or 2021", field="vintage")
    result: dict[str, Any] = json.loads(_boundaries_text(vintage))
    return result
