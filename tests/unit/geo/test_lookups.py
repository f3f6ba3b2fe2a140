"""Units, divisions, crosswalk, gazetteer, split rules and boundaries."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from shapely.geometry import shape
from shapely.ops import unary_union

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain.geo import (
    AS_OF_YEAR,
    DISTRICTS_2021,
    MAP_UNITS_2019,
    QTXQ,
    SPLIT_RULES,
    boundaries,
    crosswalk,
    division,
    division_history,
    street_units,
    unit,
)


def test_units() -> None:
    assert len(MAP_UNITS_2019) == 14 and len(DISTRICTS_2021) == 13
    assert [u.code for u in MAP_UNITS_2019 if u.kind == "functional zone"] == [QTXQ]
    assert {u.code for u in MAP_UNITS_2019} - {u.code for u in DISTRICTS_2021} == {"330103", "330104", QTXQ}
    assert {u.code for u in DISTRICTS_2021} - {u.code for u in MAP_UNITS_2019} == {"330113", "330114"}
    assert unit("330104", 2019).name_zh == "江干区"
    assert unit("330113", 2021).name_en == "Linping"
    with pytest.raises(NotFoundError):
        unit("330104", 2021)
    with pytest.raises(InputError):
        unit("330102", 2020)


def test_division_history_national() -> None:
    assert division("330104").name == "江干区" and division("330104").end == 2021
    assert division("330185").name == "临安市"
    assert [d.name for d in division_history("120110")] == ["东郊区", "东丽区"]
    assert division("120110", 1990).name == "东郊区" and division("120110", 2000).name == "东丽区"
    assert division("110105").name == "朝阳区" and division("220104").name == "朝阳区"  # names repeat
    assert "330114" in division("330104").successors
    with pytest.raises(NotFoundError):
        division("330104", 2022)
    with pytest.raises(NotFoundError):
        division("999999")
    with pytest.raises(InputError):
        division("33010")


def test_as_of_year_matches_table() -> None:
    path = Path(__file__).resolve().parents[3] / "src/industry_brain/geo/_data/divisions.csv"
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 6823
    assert max(max(int(r["start"]), int(r["end"] or 0)) for r in rows) == AS_OF_YEAR


def test_crosswalk() -> None:
    rows = crosswalk()
    assert len(rows) == 17
    qt = [r for r in rows if r.code_2019 == QTXQ]
    assert len(qt) == 1 and qt[0].code_2021 == "330114"
    assert {r.code_2021 for r in rows if r.code_2019 == "330104"} == {"330102", "330114"}


@pytest.mark.parametrize(("street", "u19", "d21"), [
    ("千岛湖镇", "330127", "330127"), ("转塘街道", "330106", "330106"), ("党湾镇", "330109", "330109"),
    ("锦城街道", "330112", "330112"), ("下沙街道", QTXQ, "330114"), ("临平街道", "330110", "330113"),
    ("乔司街道", "330110", "330113"), ("九堡街道", "330104", "330102"), ("朝晖街道", "330103", "330105"),
    ("盈丰街道", "330109", "330109"), ("浦沿镇", "330108", "330108"),
])
def test_street_units(street: str, u19: str, d21: str) -> None:
    s = street_units(street)
    assert (s.unit_2019, s.district_2021) == (u19, d21)
    assert s.source


def test_street_units_unknown() -> None:
    with pytest.raises(NotFoundError):
        street_units("不存在街道")


def test_gazetteer_covers_every_unit() -> None:
    from industry_brain.geo._units import gazetteer

    towns = [s for s in gazetteer().values() if s.kind in ("街道", "镇", "乡")]
    assert len(towns) >= 190
    assert {s.unit_2019 for s in towns} == {u.code for u in MAP_UNITS_2019}
    assert {s.district_2021 for s in towns} == {u.code for u in DISTRICTS_2021}


def test_split_rules() -> None:
    by_2019: dict[str, set[str]] = {}
    for r in SPLIT_RULES:
        by_2019.setdefault(r.code_2019, set()).add(r.code_2021)
    assert by_2019["330104"] == {"330102"}  # 江干 excluding 钱塘新区 went whole to 上城
    assert by_2019["330110"] == {"330110", "330113"}
    assert by_2019[QTXQ] == {"330114"}
    assert by_2019["330103"] == {"330105"}
    yuhang = {r.code_2021: r for r in SPLIT_RULES if r.code_2019 == "330110"}
    assert "临平街道" in yuhang["330113"].streets and "良渚街道" in yuhang["330110"].streets
    assert not yuhang["330113"].whole
    assert next(r for r in SPLIT_RULES if r.code_2019 == "330106").whole


@pytest.mark.parametrize(("vintage", "count"), [(2019, 14), (2021, 13)])
def test_boundaries_valid_and_tiling(vintage: int, count: int) -> None:
    fc = boundaries(vintage)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == count
    units = MAP_UNITS_2019 if vintage == 2019 else DISTRICTS_2021
    assert sorted(f["properties"]["code"] for f in fc["features"]) == sorted(u.code for u in units)
    shapes = {}
    for f in fc["features"]:
        props = f["properties"]
        assert props["vintage"] == vintage and props["name_zh"] == unit(props["code"], vintage).name_zh
        assert props["name_en"]
        g = shape(f["geometry"])
        assert g.is_valid and not g.is_empty
        shapes[props["code"]] = g
    total = unary_union(list(shapes.values())).area
    summed = sum(g.area for g in shapes.values())
    assert summed - total < 0.002 * total  # overlaps below 0.2 % of the city
    minx, miny, maxx, maxy = unary_union(list(shapes.values())).bounds
    assert 118.3 < minx < 119.0 and 120.6 < maxx < 121.0 and 29.1 < miny < 29.6 and 30.4 < maxy < 30.7


def test_boundaries_vintages_cover_the_same_city() -> None:
    a = unary_union([shape(f["geometry"]) for f in boundaries(2019)["features"]])
    b = unary_union([shape(f["geometry"]) for f in boundaries(2021)["features"]])
    assert a.symmetric_difference(b).area < 0.03 * b.area


def test_boundaries_small_and_bad_vintage() -> None:
    data = Path(__file__).resolve().parents[3] / "src/industry_brain/geo/_data"
    assert sum(p.stat().st_size for p in data.glob("boundaries_*.geojson")) < 300_000
    with pytest.raises(InputError):
        boundaries(2020)
