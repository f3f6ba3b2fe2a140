"""Survey statistics on a small hand-made response set whose every figure is known in advance.

The set (tidy CSV, every row synthetic) has 52 firms: 32 AI and 20 bio, with the demand-change answers and sizes
of ``GROUPS``, one bio firm that left the question empty and one that skipped it, and scarce-post blocks for a
catalogue of one effective post.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import InputError
from industry_brain._core.store import Store, open_store
from industry_brain.talent import (
    band,
    catalogue_data,
    import_responses,
    kish_deff,
    load_survey,
    mean_t,
    net_outlook,
    poststratify,
    report_data,
    shortage_score,
    wilson,
)
from industry_brain.talent._statistics import MIN_CELL, SurveyData, crosstab, demand_means, outlook, shares

# (sector, headcount, demand answer, number of firms)
GROUPS = [
    ("ai", "lt100", "increase", 20),
    ("ai", "lt100", "same", 6),
    ("ai", "lt100", "decrease", 2),  # the lone small cell of its column
    ("ai", "h100_499", "increase", 3),  # a column of 4 firms: all suppressed
    ("ai", "h100_499", "same", 1),
    ("bio", "ge1000", "increase", 6),
    ("bio", "ge1000", "same", 5),
    ("bio", "ge1000", "decrease", 5),
    ("bio", "h500_999", "increase", 2),
    ("bio", "ge1000", "(空)", 1),
    ("bio", "ge1000", "(跳过)", 1),
]
# scarce posts: (respondent index, title, level, persons)
POSTS = [
    (0, "算法工程师", "extreme", 10),
    (1, "算法 工程师", "short", 5),  # the same title once its spaces are removed
    (2, "算法工程师", "general", 5),
    (3, "数据标注员", "short", 30),  # named by two firms only: below MIN_FIRMS
    (4, "数据标注员", "short", 30),
]


@pytest.fixture
def store(ib_home: Path, tmp_path: Path) -> Store:
    lines: list[list[str]] = []
    i = 0
    for sector, size, demand, count in GROUPS:
        for _ in range(count):
            rid = f"r{i:03d}"
            lines += [[rid, "firm_name", "", f"杭州统计测试{i}号有限公司"], [rid, "sector", "", sector],
                      [rid, "headcount", "", size], [rid, "demand_change", "", demand]]  # fmt: skip
            i += 1
    for idx, title, level, persons in POSTS:
        rid = f"r{idx:03d}"
        lines += [[rid, "post1_title", "", title], [rid, "post1_level", "", level],
                  [rid, "post1_headcount", "", str(persons)], [rid, "post1_education", "", "master_plus"]]  # fmt: skip
    path = tmp_path / "tidy.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["respondent_id", "question", "item", "value"])
        w.writerows(lines)
    s = open_store()
    result = import_responses(s, path, "hangzhou-2018")
    assert result["respondents_loaded"] == 52
    assert [(p["respondent_id"], p["code"]) for p in result["problems"]] == [("r050", "required_missing")]
    yield s  # type: ignore[misc]
    s.close()


@pytest.fixture
def data(store: Store) -> SurveyData:
    return SurveyData.load(store, load_survey("hangzhou-2018"), 1)


def test_shares_count_only_those_who_answered(data: SurveyData) -> None:
    s = shares(data, "demand_change")
    assert (s["base"], s["empty"], s["skipped"]) == (50, 1, 1)
    opts = {o["key"]: o for o in s["options"]}
    assert [opts[k]["count"] for k in ("increase", "same", "decrease")] == [31, 12, 7]
    for k, o in opts.items():
        ci = wilson(o["count"], 50)
        assert o["pct"] == pytest.approx(100 * o["count"] / 50), k
        assert (o["low"], o["high"]) == (pytest.approx(100 * ci.low), pytest.approx(100 * ci.high))
    bio = shares(data, "demand_change", sector="bio")
    assert bio["base"] == 18 and {o["key"]: o["count"] for o in bio["options"]} == {
        "increase": 8, "same": 5, "decrease": 5,
    }  # fmt: skip


def test_outlook_overall_by_sector_and_suppressed_small_groups(data: SurveyData) -> None:
    rows = outlook(data, by="sector")
    expected = {None: (31, 12, 7), "ai": (23, 7, 2), "bio": (8, 5, 5)}
    for row in rows:
        inc, same, dec = expected[row["value"]]
        ci = net_outlook(inc, same, dec)
        assert row["n"] == inc + same + dec
        assert row["neoi"] == pytest.approx(100 * (inc - dec) / (inc + same + dec))
        assert (row["low"], row["high"]) == (pytest.approx(100 * ci.low), pytest.approx(100 * ci.high))
        assert row["method"] == "newcombe10" and row["design_effect"] == 1.0
    by_size = {r["value"]: r for r in outlook(data, by="size")[1:]}
    assert by_size["h100_499"]["suppressed"] is True and by_size["h100_499"]["neoi"] is None  # 4 firms
    assert by_size["h500_999"]["suppressed"] is True and by_size["h500_999"]["low"] is None  # 2 firms
    assert by_size["lt100"]["suppressed"] is False and by_size["lt100"]["n"] == 28
    with pytest.raises(InputError, match="breakdown"):
        outlook(data, by="colour")


def test_table1_means(data: SurveyData) -> None:
    rows = {r["sector"]: r for r in demand_means(data)}
    for key, codes in (("ai", [1] * 23 + [2] * 7 + [3] * 2), ("bio", [1] * 8 + [2] * 5 + [3] * 5),
                       (None, [1] * 31 + [2] * 12 + [3] * 7)):  # fmt: skip
        s = mean_t(codes)
        assert rows[key]["n"] == s.n
        assert rows[key]["mean"] == pytest.approx(s.mean) and rows[key]["se"] == pytest.approx(s.se)
        assert rows[key]["ci95_low"] == pytest.approx(s.low) and rows[key]["ci95_high"] == pytest.approx(
            s.high
        )
    assert rows[None]["zh"] == "总数"


def test_crosstab_suppresses_small_cells_so_none_can_be_recovered(data: SurveyData) -> None:
    t = crosstab(data, "demand_change", "size")
    cols = {c["key"]: c for c in t["columns"]}
    lt100 = {c["key"]: c for c in cols["lt100"]["cells"]}
    assert cols["lt100"]["base"] == 28
    assert lt100["increase"]["count"] == 20 and lt100["increase"]["suppressed"] is False
    assert lt100["decrease"]["suppressed"] is True and lt100["decrease"]["count"] is None  # 2 < 5
    # 28 − 20 − 6 would give the 2 away: the smallest other cell is suppressed with it
    assert lt100["same"]["suppressed"] is True and lt100["same"]["pct"] is None
    assert all(c["suppressed"] for c in cols["h100_499"]["cells"])  # base 4 < 5
    assert not any(c["suppressed"] for c in cols["ge1000"]["cells"])  # 6 / 5 / 5
    for col in t["columns"]:  # single choice: never exactly one hidden cell in a column with a shown base
        hidden = [c for c in col["cells"] if c["suppressed"]]
        assert len(hidden) != 1, col["key"]
        shown = [c for c in col["cells"] if not c["suppressed"]]
        assert all(c["count"] >= MIN_CELL for c in shown)


def test_poststratification_weights_and_design_effect(store: Store, data: SurveyData) -> None:
    result = poststratify(store, "sector", {"ai": 50, "bio": 50})
    w_ai, w_bio = 0.5 / (32 / 52), 0.5 / (20 / 52)
    assert result["weights"] == {"ai": pytest.approx(w_ai), "bio": pytest.approx(w_bio)}
    deff, n_eff = kish_deff([w_ai] * 32 + [w_bio] * 20)
    assert result["design_effect"] == pytest.approx(deff) and result["effective_n"] == pytest.approx(n_eff)
    assert result["excluded"] == 0
    weighted = report_data(store, weights="poststrat")
    assert weighted["weights"]["design_effect"] == pytest.approx(deff)
    overall = weighted["outlook"][0]
    inc = (23 * w_ai + 8 * w_bio) / (32 * w_ai + 18 * w_bio)
    dec = (2 * w_ai + 5 * w_bio) / (32 * w_ai + 18 * w_bio)
    assert overall["neoi"] == pytest.approx(100 * (inc - dec))
    # the interval of a weighted estimate is wider than the same shares would give unweighted
    plain = net_outlook(50 * inc, 50 * (1 - inc - dec), 50 * dec)
    assert overall["high"] - overall["low"] > 100 * (plain.high - plain.low)
    for bad, fragment in (
        ({"ai": 50}, "lacks"),
        ({"ai": 1, "quantum": 1}, "quantum"),
        ({"ai": 1, "bio": 0}, "positive"),
    ):
        with pytest.raises(InputError, match=fragment):
            poststratify(store, "sector", bad)


def test_catalogue_of_effective_posts(store: Store) -> None:
    cat = catalogue_data(store)
    assert [p["title"] for p in cat["posts"]] == ["算法工程师"]
    post = cat["posts"][0]
    assert (post["firms"], post["persons"], post["sector"]) == (3, 20, "ai")
    # U = mean(1, 0.5, 0) = 0.5; R = 3/3; V = ln(21)/ln(21) (the sector's largest h among effective posts)
    assert post["mean_level"] == pytest.approx(0.5)
    assert post["score"] == pytest.approx(shortage_score(0.5, 3, 3, 20, 20), abs=1e-4)
    assert post["band_zh"] == band(post["score"])[0] == "十分紧缺"
    assert post["education"] == "硕士及以上"
    assert [(e["title"], e["firms"]) for e in cat["excluded"]] == [("数据标注员", 2)]
    assert cat["min_firms"] == 3 and "S = 0.5×U" in cat["formula_zh"]


# --------------------------------------------------------------------------------------- score and bands
@pytest.mark.parametrize(
    ("score", "zh"),
    [(0.0, "一般紧缺"), (0.3333, "一般紧缺"), (1 / 3, "紧缺"), (0.5, "紧缺"), (0.6666, "紧缺"), (2 / 3, "十分紧缺"),
     (1.0, "十分紧缺")],
)  # fmt: skip
def test_bands(score: float, zh: str) -> None:
    assert band(score)[0] == zh


@pytest.mark.parametrize("score", [-0.01, 1.01, math.nan])
def test_band_refuses_scores_outside_0_1(score: float) -> None:
    with pytest.raises(InputError):
        band(score)


def test_shortage_score_known_values() -> None:
    assert shortage_score(1, 10, 10, 100, 100) == pytest.approx(1.0)
    assert shortage_score(0, 0, 10, 0, 100) == 0.0
    assert shortage_score(0.5, 5, 10, 10, 100) == pytest.approx(
        0.25 + 0.125 + 0.25 * math.log(11) / math.log(101)
    )
    with pytest.raises(InputError):
        shortage_score(0.5, 11, 10, 1, 1)
    with pytest.raises(InputError):
        shortage_score(1.5, 1, 1, 1, 1)


@settings(max_examples=300, deadline=None)
@given(
    level=st.floats(0, 1),
    firms=st.integers(0, 200),
    more_firms=st.integers(0, 200),
    persons=st.floats(0, 1e5),
    more_persons=st.floats(0, 1e5),
)
def test_shortage_score_lies_in_0_1_and_rises_with_each_term(
    level: float, firms: int, more_firms: int, persons: float, more_persons: float
) -> None:
    max_firms, max_persons = firms + more_firms, persons + more_persons
    s = shortage_score(level, firms, max_firms, persons, max_persons)
    assert 0.0 <= s <= 1.0 + 1e-12
    assert band(min(s, 1.0))[0] in ("一般紧缺", "紧缺", "十分紧缺")
    if firms < max_firms:
        assert shortage_score(level, firms + 1, max_firms, persons, max_persons) > s
    if level <= 0.9:
        assert shortage_score(level + 0.1, firms, max_firms, persons, max_persons) > s


def _report_keys(data: dict[str, Any]) -> set[str]:
    return set(data)


def test_report_data_shape(store: Store) -> None:
    data = report_data(store, lang="en")
    assert _report_keys(data) == {
        "survey", "batch", "synthetic", "generated_at", "lang", "respondents", "weights", "outlook", "table1",
        "shares", "shares_by_sector", "professional_share", "pooled", "subfields", "posts", "majors", "crosstabs",
        "catalogue", "checks", "checks_summary", "inconsistencies", "quarantine", "linking", "document_zh", "charts",
    }  # fmt: skip
    assert data["lang"] == "en" and data["synthetic"] is False
    assert all(not c["title"].startswith("图") for c in data["charts"])  # English chart titles
    zh = report_data(store)
    assert any(c["title"].startswith("图5") for c in zh["charts"])
    neoi = {c["id"]: c for c in zh["charts"]}["neoi"]  # sector names from the survey definition
    assert neoi["labels"] == ["总体", "人工智能", "生物技术和生命科学"]
    assert {c["id"]: c for c in data["charts"]}["neoi"]["labels"][1] == "Artificial intelligence"
