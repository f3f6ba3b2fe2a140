"""Tallying a register (a real DuckDB store or an in-memory frame): filters, vintages, apportionment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from industry_brain._core.errors import InputError, NotFoundError
from industry_brain._core.store import open_store
from industry_brain.atlas._tally import AREA_KM2, largest_remainder, measure_frame, measure_register


def rows() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    out += [
        {
            "map_unit_2019": "330108",
            "district_2021": "330108",
            "division_code": "330108",
            "field_l1": "10",
            "future_industries": ["ai"],
        }
    ] * 5
    # 江干 with a street: 2 in 钱塘新区 (下沙), 1 in the 江干 unit
    out += [
        {"map_unit_2019": "QTXQ", "district_2021": "330114", "division_code": "330104", "field_l1": "50"}
    ] * 2
    out += [
        {"map_unit_2019": "330104", "district_2021": "330102", "division_code": "330104", "field_l1": "50"}
    ]
    # 江干 without a street: apportioned 1 : 2 by the located records above
    out += [{"division_code": "330104", "field_l1": "50", "future_industries": ["blockchain"]}] * 3
    out += [{"division_code": "330100", "field_l1": "50"}]  # a city-level code: unlocated
    out += [{"map_unit_2019": "330106", "field_l1": None}]  # unclassified
    out += [{"map_unit_2019": "330106", "field_l1": "20", "hightech": False}]
    return [{"hightech": True, **r} for r in out]


def test_frame_counts_exactly_and_apportions_split_districts() -> None:
    m = measure_frame(rows())
    assert m.count("330108", "10") == 5
    assert m.count("QTXQ", "50") == 2 + 2
    assert m.count("330104", "50") == 1 + 1
    assert m.apportioned_total == 3
    assert m.apportion_weights["div:330104"] == pytest.approx({"330104": 1 / 3, "QTXQ": 2 / 3})
    b = m.basis
    assert (b["apportioned"], b["unlocated"], b["unclassified"], b["counted"]) == (3, 1, 1, 11)
    fut = {r["unit"]: r for r in m.future_rows()}
    assert fut["330108"]["ai"] == 5
    assert fut["QTXQ"]["blockchain"] + fut["330104"]["blockchain"] == 3


def test_hightech_filter_is_the_basis() -> None:
    assert measure_frame(rows()).count("330106", "20") == 0
    assert measure_frame(rows(), hightech_only=False).count("330106", "20") == 1


def test_vintage_2021() -> None:
    m = measure_frame(rows(), vintage=2021)
    assert len(m.units) == 13 and "QTXQ" not in m.units
    assert m.count("330114", "50") == 4 and m.count("330102", "50") == 2
    assert m.count("330108", "10") == 5


def test_area_weights_when_no_record_of_the_district_is_located() -> None:
    m = measure_frame([{"division_code": "330110", "field_l1": "80"}] * 100, vintage=2021)
    a = AREA_KM2["div:330110"]
    assert m.count("330110", "80") == round(100 * a["330110"] / (a["330110"] + a["330113"]))
    assert m.count("330110", "80") + m.count("330113", "80") == 100
    # in 2019 units 余杭 is whole: nothing to apportion
    assert measure_frame([{"division_code": "330110", "field_l1": "80"}] * 100).apportioned_total == 0


def test_largest_remainder_keeps_totals() -> None:
    assert largest_remainder(10, {"a": 1, "b": 1, "c": 1}) == {"a": 4, "b": 3, "c": 3}
    assert sum(largest_remainder(7, {"a": 0.2, "b": 0.5, "c": 0.3}).values()) == 7
    with pytest.raises(InputError):
        largest_remainder(3, {"a": 0})


def test_level_2_fields() -> None:
    m = measure_frame(
        [
            {"map_unit_2019": "330108", "field_l1": "10", "field_l2": "101"},
            {"map_unit_2019": "330108", "field_l1": "10", "field_l2": "102"},
        ],
        level=2,
    )
    assert m.fields == ["101", "102"]


def test_bad_arguments() -> None:
    with pytest.raises(InputError, match="vintage"):
        measure_frame(rows(), vintage=2020)
    with pytest.raises(InputError, match="none of the columns"):
        measure_frame([{"field_l1": "10"}])


def test_store_register_and_batches(tmp_path: Path) -> None:
    with open_store(tmp_path / "ib.duckdb") as store:
        for i, r in enumerate(rows()):
            store.execute(
                "INSERT INTO enterprise_record (batch_id, source_row, uscc, name, name_norm, map_unit_2019, district_2021,"
                " division_code, field_l1, future_industries, hightech, hightech_year, synthetic)"
                " VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 2018, true)",
                [
                    i + 2,
                    f"U{i:017d}",
                    f"企业{i}",
                    f"企业{i}",
                    r.get("map_unit_2019"),
                    r.get("district_2021"),
                    r.get("division_code"),
                    r.get("field_l1"),
                    r.get("future_industries", []),
                    r.get("hightech", True),
                ],
            )
        # the current register is the view ``enterprise`` over the records and which batch holds each code now
        store.execute("INSERT INTO enterprise_current SELECT uscc, batch_id FROM enterprise_record")
        m = measure_register(store)
        assert m.count("QTXQ", "50") == 4 and m.apportioned_total == 3
        assert measure_register(store, year=2018).total == m.total
        assert measure_register(store, year=2022).total == 0
        assert measure_register(store, synthetic=False).total == 0
        with pytest.raises(NotFoundError):
            measure_register(store, batch_id=99)
