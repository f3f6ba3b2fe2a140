"""``check``: every printed figure of the 2019 map against a register's measures.

The register here is ``measures_hangzhou_table.csv``, a 14 × 8 table that agrees with every printed figure,
then perturbed one cell at a time; the store-backed ``check`` is exercised on a real DuckDB store.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from industry_brain._core.store import open_store
from industry_brain.atlas._check import CheckReport, check, check_measures
from industry_brain.atlas._measures import Measures
from industry_brain.atlas._published import published_figures
from industry_brain.atlas._tally import FIELDS_L1, UNITS_2019, UNITS_2021

TABLE = Path(__file__).with_name("measures_hangzhou_table.csv")
ROW_KEYS = {
    "id", "measure", "unit_code", "unit_name", "field", "field_name", "printed", "computed", "status", "detail",
    "sentence",
}  # fmt: skip


def table() -> np.ndarray:
    with TABLE.open(encoding="utf-8") as fh:
        rows = {r["unit"]: [int(r[f]) for f in FIELDS_L1] for r in csv.DictReader(fh)}
    return np.array([rows[u] for u in UNITS_2019])


def measures(counts: np.ndarray, units: list[str] = UNITS_2019, vintage: int = 2019) -> Measures:
    return Measures(units=list(units), fields=FIELDS_L1, counts=counts, vintage=vintage)


def changed(unit: str, field: str, by: int) -> np.ndarray:
    counts = table()
    counts[UNITS_2019.index(unit), FIELDS_L1.index(field)] += by
    return counts


def test_a_table_that_agrees_with_the_magazine_matches_every_figure() -> None:
    report = check_measures(measures(table()))
    assert report.summary == {"matched": len(published_figures()), "differs": 0, "not_computable": 0}
    assert report.ok
    payload = report.to_dict()
    assert set(payload) >= {"rows", "summary", "ok", "document", "vintage", "total"}
    assert payload["total"] == 3785
    json.dumps(payload, ensure_ascii=False)  # plain JSON
    for row in payload["rows"]:
        assert set(row) >= ROW_KEYS
        assert set(row["detail"]) == {"zh", "en"}
        assert row["sentence"]
    assert [r["id"] for r in payload["rows"]] == [f.figure_id for f in published_figures()]


def test_the_three_sevenths_match_as_a_shared_rank() -> None:
    report = check_measures(measures(table()))
    for unit in ("330104", "330105", "330112"):
        row = report.row(f"unit.unit_rank.{unit}")
        assert row.status == "matched" and row.computed == 7
        assert "并列第七位" in row.detail["zh"] and "joint 7th" in row.detail["en"]
    assert report.row("unit.unit_rank.330108").detail == {"zh": "", "en": ""}


def test_a_changed_cell_differs_by_its_delta_and_everything_it_moves() -> None:
    report = check_measures(measures(changed("330109", "80", -3)))  # 萧山 先进制造 165 → 162
    row = report.row("field.cell_count.330109.80")
    assert row.status == "differs"
    assert (row.printed, row.computed, row.delta) == (165, 162, -3)
    assert "少 3 家" in row.detail["zh"] and "3 fewer" in row.detail["en"]
    differs = {r.id for r in report.by_status("differs")}
    # the city total and the field's share move too; its top units and labels do not
    assert "intro.city_total.330100" in differs
    assert "field.field_share.330100.80" in differs
    assert "field.field_top_units.330100.80" not in differs
    share = report.row("field.field_share.330100.80")
    assert share.computed == pytest.approx(25.17) and share.delta == pytest.approx(-0.06)
    assert not report.ok
    assert report.summary["differs"] == len(differs)


def test_an_order_that_flips_says_which_places_differ() -> None:
    # 西湖 电子信息 168 → 130: 余杭 (141) moves to second place in the field's top three
    report = check_measures(measures(changed("330106", "10", -38)))
    row = report.row("field.field_top_units.330100.10")
    assert row.status == "differs"
    assert row.printed == ["330108", "330106", "330110"]
    assert row.computed == ["330108", "330110", "330106"]
    assert "第2位" in row.detail["zh"] and "#2" in row.detail["en"]


def test_a_rank_that_moves_differs_by_places() -> None:
    # 富阳 (6th) gains enough to pass 钱塘新区 (5th)
    counts = table()
    totals = counts.sum(axis=1)
    gap = int(totals[UNITS_2019.index("QTXQ")] - totals[UNITS_2019.index("330111")]) + 1
    counts[UNITS_2019.index("330111"), FIELDS_L1.index("80")] += gap
    report = check_measures(measures(counts))
    fuyang = report.row("unit.unit_rank.330111")
    assert (fuyang.status, fuyang.computed, fuyang.delta) == ("differs", 5, -1)
    assert "第五位" in fuyang.detail["zh"] and "第六位" in fuyang.detail["zh"]
    assert report.row("unit.unit_rank.QTXQ").computed == 6


def test_a_shared_first_place_is_not_first_alone() -> None:
    # 余杭 新能源 36 (first alone) → 滨江 31 + 5 = 36: level
    report = check_measures(measures(changed("330108", "60", 5)))
    row = report.row("unit.unit_field_rank.330110.60")
    assert row.status == "differs"
    assert "并列第一位" in row.detail["zh"]


def test_a_concentration_label_that_flips() -> None:
    # 资源与环境 (printed 较为分散): pile enterprises on its top unit until the top three hold 60 %
    counts = changed("330110", "70", 120)
    report = check_measures(measures(counts))
    row = report.row("field.field_concentration.330100.70")
    assert (row.printed, row.computed, row.status) == ("较为分散", "较为集中", "differs")


def test_units_at_least_counts_the_units() -> None:
    report = check_measures(measures(changed("330102", "80", 100)))  # 上城 先进制造 reaches 100+
    row = report.row("field.units_at_least.330100.80")
    assert row.status == "differs" and row.delta == 1
    assert "上城区" in row.detail["zh"]


def test_an_empty_register_is_not_computable_with_the_reason() -> None:
    report = check_measures(measures(np.zeros((14, 8), dtype=int)))
    assert report.summary == {"matched": 0, "differs": 0, "not_computable": len(published_figures())}
    assert all(r.computed is None and "高新技术企业" in r.detail["zh"] for r in report.rows)
    assert not report.ok


def test_on_the_2021_map_units_that_no_longer_exist_are_not_computable() -> None:
    counts = np.ones((len(UNITS_2021), 8), dtype=int)
    report = check_measures(measures(counts, UNITS_2021, vintage=2021))
    assert report.row("unit.unit_rank.330104").status == "not_computable"  # 江干区 was split in 2021
    assert "330104" in report.row("unit.unit_rank.330104").detail["en"]
    assert report.row("intro.city_total.330100").status == "differs"  # city figures still compare
    assert report.row("field.field_units_all.330100.30").status == "not_computable"  # names 钱塘新区


def test_check_reads_the_register_in_a_store(tmp_path: Path) -> None:
    with open_store(tmp_path / "ib.duckdb") as store:
        report = check(store)
    assert isinstance(report, CheckReport)
    assert report.vintage == 2019 and report.total == 0
    assert report.summary["not_computable"] == len(published_figures())
