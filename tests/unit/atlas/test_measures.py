"""Measures over a unit × field table: ranks, shares, top-k, LQ, HHI, clusters, concentration labels.

``measures_hangzhou_table.csv`` is a 14 × 8 table that agrees with every figure the magazine printed
(../shared/reference/hangzhou-2019/: field totals, the 26 printed cells, each unit's top fields, printed ranks
with 江干/拱墅/临安 tied at 第七位); the unprinted cells are filled in by hand within the printed bounds.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from industry_brain._core.errors import InputError
from industry_brain.atlas._measures import (
    CONCENTRATED,
    DISPERSED,
    Change,
    Measures,
    competition_rank,
    rank_phrase,
    zh_number,
)
from industry_brain.atlas._tally import FIELDS_L1, UNITS_2019

TABLE = Path(__file__).with_name("measures_hangzhou_table.csv")
SLUG = {
    "10": "electronic_info",
    "20": "biomed",
    "30": "aerospace",
    "40": "new_materials",
    "50": "high_tech_services",
    "60": "new_energy",
    "70": "resources_env",
    "80": "adv_manufacturing",
}


def hangzhou() -> Measures:
    with TABLE.open(encoding="utf-8") as fh:
        rows = {r["unit"]: [int(r[f]) for f in FIELDS_L1] for r in csv.DictReader(fh)}
    return Measures(units=UNITS_2019, fields=FIELDS_L1, counts=np.array([rows[u] for u in UNITS_2019]))


def test_competition_ranking_is_1224() -> None:
    assert competition_rank([10, 20, 20, 5]).tolist() == [3, 1, 1, 4]
    assert competition_rank([7, 7, 7]).tolist() == [1, 1, 1]
    assert competition_rank([]).tolist() == []


@given(st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=30))
def test_competition_rank_properties(values: list[int]) -> None:
    ranks = competition_rank(values)
    for v, r in zip(values, ranks, strict=True):
        assert r == 1 + sum(1 for w in values if w > v)


def test_rank_phrases_in_the_magazines_words() -> None:
    assert rank_phrase(1, False) == "第一位"
    assert rank_phrase(7, True) == "并列第七位"
    assert rank_phrase(14, False) == "第十四位"
    assert rank_phrase(3, True, "en") == "joint 3rd"
    assert rank_phrase(12, False, "en") == "12th"
    assert [zh_number(n) for n in (10, 20, 21, 105, 110, 999)] == [
        "十",
        "二十",
        "二十一",
        "一百零五",
        "一百一十",
        "九百九十九",
    ]


def test_field_totals_shares_and_ranks_match_the_magazine() -> None:
    m = hangzhou()
    assert m.total == 3785
    printed = {
        "10": 28.59,
        "20": 7.58,
        "30": 0.16,
        "40": 12.18,
        "50": 15.80,
        "60": 3.83,
        "70": 6.63,
        "80": 25.23,
    }
    for f, pct in printed.items():
        assert round(100 * m.field_share_city[m.field_index(f)], 2) == pct
    assert m.field_rank_of("80") == (2, False)  # 领域拥有的数量在全市排名第二
    assert m.field_rank_of("50") == (3, False)
    assert [r.code for r in m.top_fields(None, 8)][-1] == "30"  # 最为薄弱的领域


def test_unit_ranks_with_the_three_way_tie() -> None:
    m = hangzhou()
    expected = {"330108": 1, "330110": 2, "330106": 3, "330109": 4, "QTXQ": 5, "330111": 6}
    for u, r in expected.items():
        assert m.unit_rank_of(u) == (r, False)
    for u in ("330104", "330105", "330112"):
        assert m.unit_rank_of(u) == (7, True)
    assert m.unit_rank_of("330182") == (10, False)  # after a three-way tie at 7 the next rank is 10


def test_top_lists_both_ways() -> None:
    m = hangzhou()
    assert [(r.code, r.count) for r in m.top_units("10")] == [
        ("330108", 466),
        ("330106", 168),
        ("330110", 141),
    ]
    assert [(r.code, r.count) for r in m.top_units("20")] == [("330108", 65), ("330110", 57), ("QTXQ", 43)]
    assert [r.code for r in m.top_fields("330110")] == ["80", "40", "10"]
    assert [r.code for r in m.top_fields("330104")] == ["50", "10", "80"]
    assert [r.code for r in m.top_fields("330182")] == ["40", "80", "20"]
    aero = m.top_units("30", 10)
    assert [(r.code, r.count, r.rank, r.tied) for r in aero] == [
        ("330106", 2, 1, True),
        ("330108", 2, 1, True),
        ("330109", 1, 3, True),
        ("QTXQ", 1, 3, True),
    ]


def test_fields_led_leaves_out_shared_firsts() -> None:
    m = hangzhou()
    assert m.fields_led("330108") == ["10", "50", "20"]  # aerospace is shared with 西湖区 (2 = 2)
    assert m.fields_led("330108", sole=False) == ["10", "50", "20", "30"]
    assert m.fields_led("330110") == ["80", "40", "70", "60"]
    assert m.fields_led("330102") == []


def test_concentration_labels_reproduce_every_printed_label() -> None:
    m = hangzhou()
    printed = {
        "10": CONCENTRATED,
        "50": CONCENTRATED,
        "40": CONCENTRATED,
        "80": CONCENTRATED,
        "20": DISPERSED,
        "60": DISPERSED,
        "70": DISPERSED,
        "30": None,
    }
    assert {f: m.concentration(f) for f in FIELDS_L1} == printed
    j = m.field_index("80")
    assert m.named_units[j] == ["330110", "330109", "QTXQ", "330108"]  # 拥有100家以上的区域有四个
    assert bool(m.named_by_floor[j])
    assert round(100 * m.named_share[j], 1) == 66.2
    assert round(100 * m.named_share[m.field_index("20")], 1) == 57.5


def test_top3_share_alone_would_mislabel() -> None:
    """§B6: the top-3 share of 先进制造与自动化 is below that of a 'dispersed' field, so it cannot be the rule."""
    m = hangzhou()

    def top3(f: str) -> float:
        return sum(r.count for r in m.top_units(f, 3)) / m.field_total(f)

    assert top3("80") < top3("20")


def test_location_quotient_with_floors_and_strong_clusters() -> None:
    m = hangzhou()
    i, j = m.unit_index("330108"), m.field_index("10")
    assert m.lq[i, j] == pytest.approx((466 / 922) / (1082 / 3785))
    assert np.isnan(m.lq[m.unit_index("330127"), j])  # 1 enterprise: below the cell floor
    assert bool(m.strong_cluster[i, j])
    assert not m.strong_cluster[m.unit_index("330127")].any()
    for jj in range(len(m.fields)):
        col = m.lq[:, jj]
        flagged = m.strong_cluster[:, jj]
        assert (col[flagged] >= 1).all()
        assert (m.counts[flagged, jj] >= m.cluster_floor).all()


def test_hhi_of_unit_mix_and_field_spread() -> None:
    m = hangzhou()
    c = m.counts.astype(float)
    assert m.hhi_field[0] == pytest.approx(((c[:, 0] / c[:, 0].sum()) ** 2).sum())
    assert m.hhi_unit[m.unit_index("330108")] == pytest.approx(((c[5] / c[5].sum()) ** 2).sum())
    assert m.hhi_field_norm.min() >= 0 and m.hhi_field_norm.max() <= 1


def test_empty_units_and_fields_do_not_break_anything() -> None:
    counts = np.zeros((3, 2), dtype=int)
    counts[0, 0] = 4
    m = Measures(units=["a", "b", "c"], fields=["x", "y"], counts=counts)
    assert m.unit_rank.tolist() == [1, 2, 2]
    assert np.isnan(m.hhi_field[1])
    assert m.concentration("y") is None
    assert m.top_units("y") == []
    assert m.to_dict()["fields"][1]["hhi"] is None


def test_bad_tables_raise_input_errors() -> None:
    with pytest.raises(InputError, match="shape"):
        Measures(units=["a"], fields=["x", "y"], counts=np.zeros((2, 2)))
    with pytest.raises(InputError, match="negative"):
        Measures(units=["a"], fields=["x"], counts=np.array([[-1]]))
    with pytest.raises(InputError, match="unknown map unit"):
        hangzhou().count("330100", "10")


def test_change_between_two_versions() -> None:
    before = hangzhou()
    counts = before.counts.copy()
    counts[before.unit_index("330112"), 0] += 10
    after = Measures(units=before.units, fields=before.fields, counts=counts)
    ch = Change(before, after).to_dict()
    assert ch["total_after"] - ch["total_before"] == 10
    [cell] = ch["cells"]
    assert (cell["unit"], cell["field"], cell["delta"]) == ("330112", "10", 10)
    linan = next(u for u in ch["units"] if u["unit"] == "330112")
    assert (linan["rank_before"], linan["rank_after"]) == (7, 7)
    assert next(u for u in ch["units"] if u["unit"] == "330104")["rank_after"] == 8
