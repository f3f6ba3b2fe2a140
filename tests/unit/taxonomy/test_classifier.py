"""The business-scope classifier on hand-picked cases: decisions, boilerplate, trade clauses, future tags."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import IndustryBrainError, InputError
from industry_brain.taxonomy import Classification, classify_many, classify_scope


@pytest.mark.parametrize(
    ("text", "l1", "l2", "l3"),
    [
        ("集成电路设计、技术开发；销售：电子产品", "10", "102", "10201"),
        ("计算机软件的技术开发、技术服务、成果转让；计算机系统集成", "10", "101", None),
        ("生物医药技术开发，诊断试剂的研发", "20", "201", "20103"),
        ("无人机及配件的研发、生产、销售；航空器维修", "30", "301", "30101"),
        ("改性塑料、工程塑料的研发、生产、加工", "40", "403", "40302"),
        ("检验检测服务；计量校准；认证服务", "50", "502", "50201"),
        ("光伏发电设备、光伏组件的研发、生产、安装", "60", "601", "60101"),
        ("污水处理设备、废气处理设备的研发、生产、安装；环保工程施工", "70", None, None),
        ("工业机器人、数控机床的研发、制造", "80", "804", None),
    ],
)
def test_decides_field(text: str, l1: str, l2: str | None, l3: str | None) -> None:
    c = classify_scope(text)
    assert c.field_l1 == l1
    if l2 is not None:
        assert c.field_l2 == l2
    if l3 is not None:
        assert c.field_l3 == l3
    assert 0 < c.confidence <= 1
    assert c.phrases


@pytest.mark.parametrize(
    "text",
    [
        "餐饮服务；预包装食品销售",
        "批发、零售：服装、鞋帽、日用百货",
        "房地产开发经营；物业管理",
        "销售：电子产品、五金交电、建筑材料",
        "技术开发、技术咨询、技术服务、成果转让",
        "经营中国银行业监督管理委员会依照有关法律、行政法规和其他规定批准的业务",
        "（依法须经批准的项目，经相关部门批准后方可开展经营活动）",
        "货物进出口、技术进出口",
    ],
)
def test_no_field(text: str) -> None:
    c = classify_scope(text)
    assert c.field_l1 is None and c.field_l2 is None and c.field_l3 is None
    assert c.confidence == 0.0


def test_empty_and_none() -> None:
    for value in (None, "", "   ", math.nan):
        c = classify_scope(value)  # type: ignore[arg-type]
        assert c == Classification(None, None, None, (), 0.0, ())


def test_non_text_is_an_input_error() -> None:
    with pytest.raises(InputError, match="expected text"):
        classify_scope(42)  # type: ignore[arg-type]


def test_trade_clause_counts_little() -> None:
    made = classify_scope("生产：仪器仪表、传感器")
    sold = classify_scope("批发、零售：仪器仪表、传感器")
    assert made.field_l1 == "80" or made.field_l1 == "10"
    assert sold.field_l1 is None


def test_boilerplate_does_not_change_the_decision() -> None:
    plain = classify_scope("软件开发；信息技术咨询服务")
    noisy = classify_scope(
        "一般经营项目：软件开发；信息技术咨询服务；货物及技术进出口（法律、行政法规禁止的项目除外，"
        "法律、行政法规限制的项目取得许可后方可经营）（依法须经批准的项目，经相关部门批准后方可开展经营活动）**"
    )
    assert (plain.field_l1, plain.field_l2, plain.field_l3) == (
        noisy.field_l1,
        noisy.field_l2,
        noisy.field_l3,
    )


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("人工智能技术开发；机器学习算法服务", ("ai",)),
        ("虚拟现实设备研发", ("vr",)),
        ("区块链技术开发", ("blockchain",)),
        ("量子通信设备研发", ("quantum",)),
        ("3D打印设备的研发、生产", ("additive",)),
        ("增材制造技术服务", ("additive",)),
        ("无人机研发、生产", ("aerospace",)),
        ("卫星导航定位设备研发", ("aerospace",)),
        ("基因检测技术开发；细胞治疗技术研发", ("biotech",)),
        ("人工智能、区块链技术开发", ("ai", "blockchain")),
        ("软件开发", ()),
    ],
)
def test_future_industries(text: str, tags: tuple[str, ...]) -> None:
    assert classify_scope(text).future_industries == tags


def test_field_implies_future_industry() -> None:
    c = classify_scope("疫苗的研发、生产")  # 20101 新型疫苗 lies under 201, which implies biotech
    assert c.field_l2 == "201" and "biotech" in c.future_industries


def test_phrases_decide() -> None:
    c = classify_scope("集成电路设计；批发：电子产品")
    assert c.phrases[0] == "集成电路设计"


def test_classify_many_equals_one_by_one() -> None:
    texts = ["软件开发", None, "餐饮服务", "软件开发", "", "检验检测服务", "软件开发"]
    assert classify_many(texts) == [classify_scope(t) for t in texts]
    assert classify_many([]) == []
    assert classify_many(iter(texts)) == classify_many(texts)


def test_to_dict() -> None:
    d = classify_scope("区块链技术开发").to_dict()
    assert set(d) == {"field_l1", "field_l2", "field_l3", "future_industries", "confidence", "phrases"}
    assert d["future_industries"] == ["blockchain"]


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_classify_scope_on_any_text(text: str) -> None:
    try:
        c = classify_scope(text)
    except IndustryBrainError:
        return
    assert 0.0 <= c.confidence <= 1.0
    assert (c.field_l1 is None) == (c.confidence == 0.0)
    if c.field_l2 is not None:
        assert c.field_l1 is not None and c.field_l2.startswith(c.field_l1)
    if c.field_l3 is not None:
        assert c.field_l2 is not None and c.field_l3.startswith(c.field_l2)
