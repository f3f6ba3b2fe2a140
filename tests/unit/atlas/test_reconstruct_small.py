"""The reconstruction's conflict analysis on small made-up documents, where the answer is known by hand."""

from __future__ import annotations

from typing import Any

from industry_brain.atlas._published import PublishedDocument, PublishedFigure
from industry_brain.atlas._reconstruct import Reconstruction, reconstruct_document

FIELDS = {"10": "甲", "20": "乙", "30": "丙", "40": "丁", "50": "戊", "60": "己", "70": "庚", "80": "辛"}
UNITS = {"A": "甲区", "B": "乙区", "C": "丙区"}


def fig(measure: str, unit: str, value: Any, field: str | None = None) -> PublishedFigure:
    return PublishedFigure(
        figure_id=f"{measure}.{unit}" + (f".{field}" if field else ""),
        document="made-up",
        section="unit",
        measure=measure,
        unit_vintage=2019,
        unit_code=unit,
        field=field,
        value=value,
        qualifier=None,
        precision=None,
        sentence_zh=f"{measure} {unit} {value}",
        source_line=None,
        note=None,
    )


def solve(*figures: PublishedFigure) -> Reconstruction:
    doc = PublishedDocument(
        "made-up", "测试", "测试", 2019, UNITS, FIELDS, (fig("city_total", "330100", 30), *figures)
    )
    return reconstruct_document(doc, {"weights": {"A": 1, "B": 1, "C": 1}})


def test_consistent_statements_need_no_relaxation() -> None:
    rec = solve(
        fig("cell_count", "A", 10, "10"),
        fig("unit_rank", "A", 1),
        fig("unit_top_fields", "B", ["20"]),
        fig("unit_rank", "C", 3),
    )
    assert rec.feasible_as_printed
    assert rec.relaxation == () and rec.drop_only == ()
    table = rec.table()
    totals = rec.unit_totals()
    assert table["A"]["10"] == 10
    assert sum(totals.values()) == 30
    assert totals["A"] > totals["B"] > totals["C"]  # A first, C third, so B second
    assert max(table["B"], key=lambda f: table["B"][f]) == "20"
    cells = {(c.unit_code, c.field): c for c in rec.cells}
    assert cells["A", "10"].status == "printed"
    for c in rec.cells:
        assert c.min is not None and c.max is not None and c.min <= c.value <= c.max


def test_two_units_both_first_are_read_as_a_shared_first_place() -> None:
    rec = solve(fig("unit_rank", "A", 1), fig("unit_rank", "B", 1))
    assert not rec.feasible_as_printed
    assert {(r.figure_id, r.kind) for r in rec.relaxation} == {
        ("unit_rank.A", "weaken"),
        ("unit_rank.B", "weaken"),
    }
    totals = rec.unit_totals()
    assert (
        totals["A"] == totals["B"] >= totals["C"]
    )  # nobody above either (C may be level: its rank is not printed)
    # dropping either statement alone would do: two minimal sets of one
    assert sorted(tuple(r.figure_id for r in s) for s in rec.drop_only) == [
        ("unit_rank.A",),
        ("unit_rank.B",),
    ]


def test_two_numbers_that_contradict_need_one_dropped_either_one() -> None:
    rec = solve(fig("field_total", "330100", 10, "10"), fig("cell_count", "A", 12, "10"))
    assert not rec.feasible_as_printed
    adopted = {r.figure_id for r in rec.relaxation}
    others = [{r.figure_id for r in alt} for alt in rec.relaxation_alternatives]
    assert len(adopted) == 1 and len(others) == 1
    assert adopted | others[0] == {"field_total.330100.10", "cell_count.A.10"}
    assert all(r.kind == "drop" for r in rec.relaxation)
    if adopted == {"cell_count.A.10"}:
        assert sum(row["10"] for row in rec.table().values()) == 10
    else:
        assert rec.table()["A"]["10"] == 12
    assert len(rec.drop_only) == 2


def test_an_ordered_list_with_a_printed_count_that_breaks_it() -> None:
    # B's top field is printed as 20, but its printed 10-count exceeds everything 20 can hold
    rec = solve(
        fig("unit_top_fields", "B", ["20", "10"]),
        fig("cell_count", "B", 9, "10"),
        fig("field_total", "330100", 9, "20"),
        fig("cell_count", "A", 9, "20"),
    )
    assert not rec.feasible_as_printed
    # reading the list with ties (20 ≥ 10) is not enough: 20 has nothing left for B; something must be dropped
    assert any(r.kind == "drop" for r in rec.relaxation)
