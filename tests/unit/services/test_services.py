"""The services context on a real DuckDB store: the directory import, matching with reasons, one rating per
engagement, the Bayesian rating, the credit rule across a scripted history, and the credit log's verification."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from industry_brain import services
from industry_brain._core.errors import ConflictError, InputError, NotFoundError
from industry_brain._core.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "ib.duckdb")


@pytest.fixture
def loaded(store: Store, directory_csv: Path) -> Store:
    res = services.import_providers(store, directory_csv)
    assert res.rows_loaded == 12 and res.rows_quarantined == 0, res.problems
    return store


def test_all_is_pinned() -> None:
    assert services.__all__ == sorted(services.__all__, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for name in services.__all__:
        assert hasattr(services, name), name


def test_import_quarantines_errors_keeps_warnings_and_is_idempotent(store: Store, bad_csv: Path) -> None:
    res = services.import_providers(store, bad_csv)
    codes = sorted((p["source_row"], p["code"]) for p in res.problems)
    assert codes == [(4, "name_missing"), (5, "kind_unknown"), (6, "capacity_invalid"), (6, "district_unknown"),
                     (6, "field_unknown"), (7, "id_duplicate")]
    assert (res.rows_read, res.rows_loaded, res.rows_quarantined, res.warnings) == (6, 3, 3, 3)
    x3 = services.get_provider(store, "X3")
    assert x3.fields == ("806",) and x3.district is None and x3.capacity is None
    assert services.get_provider(store, "T1").name == "滨江电磁兼容检测中心"  # the duplicate row did not replace it
    kind_problem = next(p for p in res.problems if p["code"] == "kind_unknown")
    assert "火星服务" in kind_problem["message_zh"] and "testing" in kind_problem["message_en"]
    again = services.import_providers(store, bad_csv)
    assert again.noop and again.batch_id == res.batch_id
    assert len(services.providers(store)) == 3
    assert [p["code"] for p in services.problems_of(store, res.batch_id)].count("kind_unknown") == 1


def test_a_file_without_the_required_columns_is_refused(store: Store, tmp_path: Path) -> None:
    from tests.unit.services.conftest import write

    path = write(tmp_path / "p.csv", [["a", "b"]], header=["名称", "电话"])
    with pytest.raises(InputError, match="机构类型"):
        services.import_providers(store, path)
    assert services.providers(store) == []


@pytest.mark.parametrize(
    ("text", "field", "district", "expected"),
    [
        ("新款充电桩要过欧盟CE认证，想找做EMC的实验室", "806", "钱塘新区", "T1"),
        ("需要GMP车间共享和注射剂中试", "204", "钱塘新区", "S1"),
        ("想申请发明专利，顺便布局一下美国和欧洲", None, "上城区", "I1"),
        ("初创团队找天使轮投资，做工业视觉检测的", None, "余杭区", "F1"),
        ("研发人员社保和个税怎么筹划", None, "滨江区", "L1"),
        ("刚毕业的创业团队，找个地方落地办公", None, "余杭区", "B1"),
        ("新药要做毒理和药代，准备报IND", "203", "余杭区", "C1"),
        ("注册商标被人抢注了，要提异议", None, "西湖区", "I2"),
    ],
)
def test_the_right_provider_ranks_first_and_says_why(loaded: Store, text: str, field: str | None,
                                                      district: str | None, expected: str) -> None:
    need = services.add_need(loaded, text, field_code=field, district=district)
    res = services.match_need(loaded, need.need_id, 5)
    assert res.matches[0]["provider_id"] == expected, [m["provider_id"] for m in res.matches]
    top = res.matches[0]
    assert [w["component"] for w in top["why"]] == list(services.COMPONENTS)
    assert abs(sum(w["contribution"] for w in top["why"]) - top["score"]) < 1e-3
    assert all(w["reason"] for w in top["why"])
    assert sum(res.weights.values()) == pytest.approx(1.0)


def test_reverse_matching_finds_the_needs_a_provider_fits(loaded: Store) -> None:
    services.add_need(loaded, "需要GMP车间共享和注射剂中试", field_code="204")
    services.add_need(loaded, "商标续展", district="西湖区")
    fits = services.needs_for_provider(loaded, "S1", 2)
    assert fits[0]["need"]["text"].startswith("需要GMP")


def test_one_rating_per_engagement_and_the_shrunk_average(loaded: Store, tmp_path: Path) -> None:
    log = tmp_path / "credit-log"
    a = services.add_need(loaded, "EMC 摸底测试")
    b = services.add_need(loaded, "EMC 整改")
    e1 = services.engage(loaded, a.need_id, "T1")
    with pytest.raises(ConflictError):
        services.engage(loaded, a.need_id, "T1")
    five = {"quality": 5, "timeliness": 5, "value_for_money": 5, "communication": 5}
    services.rate(loaded, e1, "firm-a", five, log_dir=log)
    with pytest.raises(ConflictError, match=r"already rated by 'firm-a'.*one rating per engagement"):
        services.rate(loaded, e1, "firm-b", five, log_dir=log)
    with pytest.raises(InputError, match=r"1–5"):
        services.rate(loaded, services.engage(loaded, b.need_id, "T2"), "firm-b", {**five, "quality": 6}, log_dir=log)
    one = services.shown_rating(loaded, "T1")
    assert one.ratings == 1 and one.mean == 5.0
    assert one.shown == pytest.approx((10 * 3.5 + 5.0) / 11)  # a neutral prior of 3.5 stars, weight 10
    # a provider with many good ratings overtakes one with a single perfect one
    for i in range(30):
        n = services.add_need(loaded, f"医疗器械生物相容性 {i}")
        e = services.engage(loaded, n.need_id, "T2")
        services.rate(loaded, e, f"firm-{i}", {"quality": 5, "timeliness": 4, "value_for_money": 5, "communication": 4},
                      log_dir=log)
    t1, t2 = services.shown_rating(loaded, "T1"), services.shown_rating(loaded, "T2")
    assert t1.mean is not None and t2.mean is not None and t1.mean > t2.mean
    assert t2.shown > t1.shown
    assert "贝叶斯平均" in t2.rule("zh") and "Bayesian" in t2.rule("en")


def test_the_credit_grade_follows_its_rule_across_a_scripted_history(loaded: Store, tmp_path: Path) -> None:
    log = tmp_path / "credit-log"
    start = date(2024, 1, 1)
    steps = [
        ("award", 0, 85.0, "B"),
        ("award", 10, 90.0, "A"),
        ("complaint_upheld", 20, 80.0, "B"),
        ("award", 30, 85.0, "B"),
        ("award", 40, 90.0, "A"),
        ("contract_broken", 50, 70.0, "C"),
        ("award", 60, 75.0, "B"),      # by score B, and the broken contract caps at B
        ("award", 70, 80.0, "B"),
        ("award", 80, 85.0, "B"),
        ("award", 90, 90.0, "B"),      # 90 would be A, the cap holds B while the breach is in the window
        ("penalty", 100, 60.0, "C"),
    ]
    for kind, days, score, grade in steps:
        services.record_event(loaded, "F1", kind, start + timedelta(days=days), log_dir=log)
        rep = services.credit(loaded, "F1", start + timedelta(days=days))
        assert (rep.score, rep.grade) == (score, grade), (kind, days, rep.to_dict())
    history = services.credit(loaded, "F1", start + timedelta(days=100)).history
    assert [h["grade"] for h in history] == [g for *_, g in steps]
    # three years on, the grave events have left the window
    later = services.credit(loaded, "F1", start + timedelta(days=100 + 1095))
    assert later.caps == () and later.score == 80.0 + 5 * 0 and later.grade == "B"
    assert any("窗口" in line or "近" in line for line in later.rule("zh"))
    with pytest.raises(InputError):
        services.record_event(loaded, "F1", "gossip", start, log_dir=log)
    with pytest.raises(NotFoundError):
        services.record_event(loaded, "NOPE", "award", start, log_dir=log)


def test_the_credit_log_verifies_proves_and_catches_tampering(loaded: Store, tmp_path: Path) -> None:
    from industry_brain.ledger import verify_proof_bundle

    log = tmp_path / "credit-log"
    for d in range(3):
        services.record_event(loaded, "I1", "award", date(2024, 5, 1 + d), detail=f"表彰 {d}", log_dir=log)
    services.record_event(loaded, "I2", "complaint_upheld", date(2024, 5, 9), log_dir=log)
    assert services.verify_credit_log(log)["ok"]
    proofs = services.credit_proofs(loaded, "I1", log)
    assert len(proofs["events"]) == 3
    import json

    for e in proofs["events"]:
        report = verify_proof_bundle(json.dumps(e["bundle"]).encode(), proofs["verifier_key"])  # raises if not
        entry = json.loads(report.entry)
        assert entry["provider_id"] == "I1" and entry["event_id"] == e["event_id"] and entry["kind"] == "award"
    tile = next(p for p in sorted((log / "tile" / "entries").rglob("*")) if p.is_file())
    data = bytearray(tile.read_bytes())
    data[-3] ^= 0x01
    tile.write_bytes(bytes(data))
    assert not services.verify_credit_log(log)["ok"]


def test_evaluation_against_the_keyword_baseline(loaded: Store) -> None:
    labelled = {
        "E1": ("充电桩要做欧盟认证，电磁兼容摸底", "806", {"T1": 2}),
        "E2": ("植入器械做细胞毒性和致敏", "205", {"T2": 2}),
        "E3": ("冻干粉针放大生产，找洁净车间", "204", {"S1": 2}),
        "E4": ("材料样品拍扫描电镜", "401", {"S2": 2}),
        "E5": ("海外专利布局", None, {"I1": 2, "I2": 1}),
        "E6": ("做视觉检测的团队找种子轮", None, {"F1": 2, "B1": 1}),
        "E7": ("拿专利去银行贷款", None, {"F2": 2, "I1": 1}),
        "E8": ("高企认定和研发费用加计扣除", None, {"L1": 2}),
    }
    needs = [services.Need(i, text, field) for i, (text, field, _) in labelled.items()]
    res = services.evaluate(services.matcher(loaded), needs, {i: g for i, (*_, g) in labelled.items()})
    ours, base = res["ranker"]["all"], res["baseline_keyword_overlap"]["all"]
    assert ours["needs"] == 8 and res["providers"] == 12
    assert ours["ideal_in_top5"] == 1.0 and ours["ndcg@5"] >= 0.8
    assert 0 <= base["recall@10"] <= 1 and set(res["ranker"]) == {"all", "odd", "even"}
    assert services.ndcg(["A", "B"], {"B": 2, "A": 1}, 5) < 1.0 == services.ndcg(["B", "A"], {"B": 2, "A": 1}, 5)
    assert services.recall(["A"], {"A": 2, "B": 1}, 10) == 0.5


def test_the_labelled_demo_needs_rank_better_than_keyword_overlap() -> None:
    labels = services.labelled_needs()
    assert len(labels) >= 60 and all(any(g == 2 for g in v.values()) for v in labels.values())
    res = services.evaluate_demo()
    ours, base = res["ranker"]["all"], res["baseline_keyword_overlap"]["all"]
    assert res["providers"] == 180 and ours["needs"] == len(labels)
    assert ours["ndcg@5"] > base["ndcg@5"] and ours["recall@10"] > base["recall@10"]
    assert ours["ideal_in_top5"] >= 0.85  # the rate reported: 0.91 on the 90 labelled needs


def test_the_blocked_product_is_the_documented_sum_and_chunked_ranking_is_exact() -> None:
    import random

    import numpy as np

    from industry_brain.services import COMPONENTS, Matcher, Need, Provider, kinds

    rng = random.Random(7)
    ks = list(kinds().values())
    words = ["芯片", "检测", "专利", "融资", "中试", "注射剂", "招聘", "孵化", "电镜", "商标", "认证", "贷款"]
    districts = ["330108", "330106", "QTXQ", "330110", None]
    providers = [Provider(f"Z{i:04d}", f"机构{i}", rng.choice(ks).code, "提供" + "、".join(rng.sample(words, 3)),
                          (rng.choice(["806", "204", "*", "40"]),), rng.choice(districts), rng.choice([None, 5, 80]))
                 for i in range(1500)]
    needs = [Need(f"Q{i}", "需要" + "和".join(rng.sample(words, 2)), rng.choice([None, "806", "204"]),
                  rng.choice(districts)) for i in range(60)]
    m = Matcher(providers)
    scores = m.scores(needs)
    for i in range(0, 60, 7):
        for j in range(0, 1500, 97):
            parts = m.components(needs[i], j)
            assert abs(sum(m.weights[c] * parts[c] for c in COMPONENTS) - scores[i, j]) < 1e-5
    chunked = m.match_many(needs, 10, block=16, providers_per_block=600)   # several need blocks × provider chunks
    for i, got in enumerate(chunked):
        order = np.lexsort((np.arange(1500), -scores[i]))[:10]      # ids are in sorted order: ties by id
        assert [pid for pid, _ in got] == [m.ids[j] for j in order]
        assert [x.provider_id for x in m.match(needs[i])] == [pid for pid, _ in got]


def test_the_field_vector_is_field_fit_for_every_provider() -> None:
    from industry_brain.services import Matcher, Provider
    from industry_brain.services._matching import field_fit

    served = [("*",), ("806",), ("80",), ("8061",), ("204", "40"), ("401",), ("2",)]
    m = Matcher([Provider(f"F{i}", f"机构{i}", "testing", "检测", s) for i, s in enumerate(served)])
    for code in (None, "", "8", "80", "806", "8061", "807", "204", "40", "401", "402", "2"):
        assert list(m._field_vector(code)) == [field_fit(code, s) for s in served], code
