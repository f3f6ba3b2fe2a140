"""Parsers of capital, dates, years, flags, names and headers; each raises only our own errors."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import IndustryBrainError, ParseError
from industry_brain.registry import _normalise as norm
from industry_brain.registry import normalise_name, parse_capital, parse_date
from industry_brain.registry._columns import field_for_header, find_header, load_mapping, map_columns
from industry_brain.registry._normalise import capital, initials, parse_flag, parse_year, text
from industry_brain.registry._readers import open_source


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("200(万元人民币)", (200.0, "CNY")),
        ('"50万人民币"', (50.0, "CNY")),
        ("1000万美元", (1000.0, "USD")),
        ("5000000元", (500.0, "CNY")),
        ("515.5万人民币", (515.5, "CNY")),
        ("1.2亿元", (12000.0, "CNY")),
        ("100万(美元)", (100.0, "USD")),
        ("200(万香港元)", (200.0, "HKD")),
        ("1,000万元", (1000.0, "CNY")),
        ("８００万元", (800.0, "CNY")),
        ("500", (500.0, "CNY")),
        ("N/A", None),
        ("", None),
        (None, None),
    ],
)
def test_capital(raw: str | None, expected: tuple[float, str] | None) -> None:
    assert parse_capital(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "万元", "100万火星币", "-5万元"])
def test_capital_rejects(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_capital(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2019-01-02", date(2019, 1, 2)),
        ("2019/1/2", date(2019, 1, 2)),
        ("2019.1.2", date(2019, 1, 2)),
        ("2019年1月2日", date(2019, 1, 2)),
        ("20190102", date(2019, 1, 2)),
        ("43467", date(2019, 1, 2)),  # Excel serial
        ("2019-01-02 13:45:00", date(2019, 1, 2)),
        ("２０１９－０１－０２", date(2019, 1, 2)),
        ("N/A", None),
    ],
)
def test_dates(raw: str, expected: date | None) -> None:
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2019-02-30", "2019-13-01", "1800-01-01", "yesterday", "2019年", "99999999"])
def test_dates_reject(raw: str) -> None:
    with pytest.raises(ParseError):
        parse_date(raw)


def test_years_and_flags() -> None:
    assert parse_year("2018") == 2018 and parse_year("2018年") == 2018 and parse_year("2018.0") == 2018
    assert parse_year(None) is None
    with pytest.raises(ParseError):
        parse_year("18")
    assert parse_flag("是") is True and parse_flag("否") is False and parse_flag("Y") is True
    with pytest.raises(ParseError):
        parse_flag("也许")


def test_capital_column_reports_bad_values() -> None:
    wan, cur, ok = capital(pa.array(["200(万元人民币)", "xyz", None, "1000万美元"]))
    assert wan.to_pylist() == [200.0, None, None, 1000.0]
    assert cur.to_pylist() == ["CNY", None, None, "USD"]
    assert ok.tolist() == [True, False, True, True]


def test_name_norm_strips_legal_forms_as_data() -> None:
    assert normalise_name("杭州融达票证印刷有限公司") == "融达票证印刷"
    assert normalise_name("融达票证印刷（杭州）有限公司") == "融达票证印刷"
    assert normalise_name("阿里巴巴（中国）网络技术有限公司") == "阿里巴巴网络技术"
    assert normalise_name("浙江大华技术股份有限公司") == "大华技术"
    assert normalise_name("某某科技有限责任公司滨江分公司") == "某某科技"
    assert normalise_name("有限公司") == "有限公司"  # never empty


def test_initials_and_text() -> None:
    assert initials(["杭州融达", "ABC科技", None]) == ["hzrd", "abckj", None]
    assert text(pa.array(["  ＡＢＣ　 有限 ", "", None])).to_pylist() == ["ABC 有限", None, None]


def test_headers_and_synonyms() -> None:
    assert field_for_header("企业名称") == "name"
    assert field_for_header(" 单位名称* ") == "name"
    assert field_for_header("统一社会信用代码（必填）") == "uscc"
    assert field_for_header("注册资本(万元)") == "capital"
    assert field_for_header("所在区域") == "district"
    assert field_for_header("备注") is None
    rows: list[list[object]] = [
        ["2019年高新技术企业名单"],
        ["说明：按区县排列"],
        [],
        ["序号", "企业名称", "统一社会信用代码", "所属区县"],
    ]
    assert find_header(rows) == 3
    cm = map_columns(["序号", "公司名称", "信用代码", "NAME"], {"序号": None})
    assert cm.fields == {1: "name", 2: "uscc"}


def test_mapping_file(tmp_path: Path) -> None:
    p = tmp_path / "map.yaml"
    p.write_text("企业名字: name\n代码: uscc\n备注: null\n", encoding="utf-8")
    assert load_mapping(p) == {"企业名字": "name", "代码": "uscc", "备注": None}
    p.write_text("企业名字: nombre\n", encoding="utf-8")
    with pytest.raises(IndustryBrainError, match="nombre"):
        load_mapping(p)
    p.write_text("[1, 2", encoding="utf-8")
    with pytest.raises(IndustryBrainError):
        load_mapping(p)
    with pytest.raises(IndustryBrainError, match="not found"):
        load_mapping(tmp_path / "absent.json")


@given(st.text(max_size=40))
def test_value_parsers_raise_only_our_errors(value: str) -> None:
    for parse in (parse_capital, parse_date, parse_year, parse_flag):
        with contextlib.suppress(IndustryBrainError):
            parse(value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from([".csv", ".xlsx", ".parquet", ".txt"]))
def test_readers_raise_only_our_errors(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"input{suffix}"
        p.write_bytes(data)
        try:
            src = open_source(p)
            for _ in src.chunks:
                pass
        except IndustryBrainError:
            pass


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.text(alphabet='企业名称统一社会信用代码,"\n;\t 9A', max_size=12), max_size=5), max_size=6
    )
)
def test_csv_reader_raises_only_our_errors_on_text(rows: list[list[str]]) -> None:
    body = "企业名称,统一社会信用代码\n" + "\n".join(",".join(r) for r in rows)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "x.csv"
        p.write_text(body, encoding="utf-8")
        try:
            src = open_source(p)
            for _ in src.chunks:
                pass
        except IndustryBrainError:
            pass


# ---- the vectorised paths agree with the plain ones -------------------------------------------------------

_ALPHABET = st.sampled_from(
    [
        *"杭州西湖区科技有限公司（）()：:；;，,、 \t\n\u3000\u00a0ＡＢ１２ａｂ—…①ｶﾞé\u0301abcXYZ019-_/",
        "\u2028",
        "\U00020000",
    ]
)


def _text_reference(arr: pa.Array) -> pa.Array:
    out = pc.utf8_normalize(arr, form="NFKC")
    out = pc.replace_substring_regex(out, pattern=r"\s+", replacement=" ")
    out = pc.utf8_trim_whitespace(out)
    return pc.if_else(pc.equal(out, ""), pa.scalar(None, pa.string()), out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(_ALPHABET, max_size=12)), max_size=20))
def test_text_fast_path_equals_nfkc_then_whitespace(values: list[str | None]) -> None:
    arr = pa.array(values, pa.string())
    assert norm.text(arr).to_pylist() == _text_reference(arr).to_pylist()
    sliced = arr.slice(1) if len(arr) > 1 else arr
    assert norm.text(sliced).to_pylist() == _text_reference(sliced).to_pylist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(_ALPHABET, max_size=12)), max_size=20))
def test_initials_column_equals_translate(values: list[str | None]) -> None:
    table = norm._initials_table()

    def one(s: str) -> str:
        t = s.translate(table)
        return "".join(ch for ch in t if ch.isascii())

    assert norm.initials(values) == [None if v is None else one(v) for v in values]


def test_initials_table_agrees_with_pypinyin() -> None:
    from pypinyin import Style, pinyin

    table = norm._initials_table()
    for cp in range(0x4E00, 0x9FA6, 7):
        got = pinyin(chr(cp), style=Style.FIRST_LETTER, heteronym=False, errors="ignore")
        want = got[0][0][0].lower() if got and got[0] and got[0][0] else None
        assert table.get(cp) == want, hex(cp)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.dates().map(lambda d: d.isoformat()),
            st.from_regex(r"\A\d{4}-\d{2}-\d{2}\Z"),
            st.from_regex(r"\A\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?\Z"),
            st.text(max_size=10),
        ),
        max_size=15,
    )
)
def test_dates_column_equals_parse_date(values: list[str | None]) -> None:
    arr = pa.array(values, pa.string())
    got, ok = norm.dates(arr)
    for v, d, good in zip(values, got.to_pylist(), ok, strict=True):
        try:
            want = norm.parse_date(v)
        except ParseError:
            assert not good and d is None, v
        else:
            assert good and d == want, v


_NAME_PARTS = [
    *"杭州西湖科技()（） ",
    "有限公司",
    "股份有限公司",
    "分公司",
    "浙江",
    "杭州市",
    "(杭州)",
    "集团",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(st.none(), st.lists(st.sampled_from(_NAME_PARTS), min_size=1, max_size=6).map("".join)),
        max_size=12,
    )
)
def test_name_norm_column_equals_the_patterns_applied_in_turn(values: list[str | None]) -> None:
    import re

    names = pa.array(values, pa.string())
    want = []
    for v in values:
        if v is None:
            want.append(None)
            continue
        out = v
        for p in norm._name_patterns():
            out = re.sub(p, "", out)
        want.append(out or v)
    assert norm.name_norm(names).to_pylist() == want
