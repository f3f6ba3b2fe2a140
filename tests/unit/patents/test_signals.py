"""Warnings: similarity to in-force patents (character n-gram TF-IDF) and bursts of priority claims (抢注)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from industry_brain.patents import claim_bursts, similar_patents, similar_texts
from industry_brain.patents._signals import char_grams, cosine, max_window, tfidf_vectors

CORPUS = [
    ("CN1", "一种锂离子电池隔膜的制备方法", "一种锂离子电池隔膜的制备方法 聚乙烯微孔膜 涂覆陶瓷"),
    ("CN2", "基于深度学习的交通信号控制系统", "基于深度学习的交通信号控制系统 路口 视频"),
    ("CN3", "中药提取物在降血糖中的应用", "中药提取物在降血糖中的应用"),
]


def test_char_grams_normalise_width_and_punctuation() -> None:
    assert char_grams("ＡＢ，c") == char_grams("ab c")
    assert sum(char_grams("锂电池").values()) == 3  # 2 bigrams + 1 trigram


def test_vectors_are_unit_length_and_self_similar() -> None:
    vecs = tfidf_vectors([c[2] for c in CORPUS])
    for v in vecs:
        assert cosine(v, v) == pytest.approx(1.0)
    assert cosine(vecs[0], vecs[1]) < 0.1


def test_similar_chinese_title_found_and_unrelated_not() -> None:
    hits = similar_texts("锂离子电池隔膜及其制备方法", CORPUS)
    assert [h.patent_no for h in hits] == ["CN1"]
    assert 0.35 <= hits[0].score < 1.0
    assert similar_texts("一种新型自行车车铃", CORPUS) == []
    assert similar_texts("，，", CORPUS) == []


def test_similarity_warning_on_patent_record(world) -> None:  # type: ignore[no-untyped-def]
    from industry_brain.patents._book import warnings_for

    world.patent("CN201910000001.1", title="一种锂离子电池隔膜的制备方法")
    world.patent("CN201510000001.1", title="一种锂离子电池隔膜的制造方法", filed_on="2015-01-01",
                 expires_on="2018-01-01")  # lapsed: never warned about
    entry = world.draft("patent_record", {
        "patent_no": "CN201910000077.7", "title": "锂离子电池隔膜制备方法", "ipc": ["H01M"],
        "filed_on": "2019-02-01", "expires_on": "2039-02-01", "owners": [{"party": "carol", "share_bp": 10000}],
        "inventors": ["carol"]}, ["ipo"])
    warnings = warnings_for(world.state, entry)
    assert [w["patent_no"] for w in warnings] == ["CN201910000001.1"]
    assert warnings[0]["code"] == "warn_similar" and "相似度" in warnings[0]["message"]["zh"]
    assert [s.patent_no for s in similar_patents(world.state, "锂离子电池隔膜", day="2019-03-01")] == [
        "CN201910000001.1"]


T0 = datetime(2019, 1, 1, tzinfo=UTC)


def test_max_window() -> None:
    times = [T0 + timedelta(days=d) for d in (0, 1, 2, 40, 41, 100)]
    count, start, end = max_window(times, timedelta(days=30))
    assert (count, start, end) == (3, T0, T0 + timedelta(days=2))


def test_burst_rule() -> None:
    claims = {f"p{i}": [T0 + timedelta(days=60 * k) for k in range(i % 2 + 1)] for i in range(20)}
    claims["squatter"] = [T0 + timedelta(hours=6 * k) for k in range(12)]
    flagged = claim_bursts(claims)
    assert [b.party for b in flagged] == ["squatter"]
    b = flagged[0]
    assert (b.count, b.median, b.threshold) == (12, 1.0, 5.0)  # median 1, MAD 0 → spread 1 → max(5, 1 + 3)


def test_burst_rule_needs_min_count_and_is_relative() -> None:
    few = {"a": [T0, T0 + timedelta(days=1)], "b": [T0]}
    assert claim_bursts(few) == []
    busy = {f"firm{i}": [T0 + timedelta(days=k) for k in range(8)] for i in range(5)}  # everyone files 8 a month
    assert claim_bursts(busy) == []


def test_burst_warning_on_submission(world) -> None:  # type: ignore[no-untyped-def]
    from industry_brain.patents._book import warnings_for

    for i in range(5):
        world.submit("priority_claim", {"claimants": ["carol"], "commitment": f"{i:02d}" * 32}, ["carol"])
    for party in ("alice", "bob", "dave", "erin"):  # the population files one claim each
        world.submit("priority_claim", {"claimants": [party], "commitment": party[0] * 64}, [party])
    entry = world.draft("priority_claim", {"claimants": ["carol"], "commitment": "cc" * 32}, ["carol"])
    warnings = warnings_for(world.state, entry)
    assert [(w["code"], w["party"], w["count"]) for w in warnings] == [("warn_burst", "carol", 6)]
