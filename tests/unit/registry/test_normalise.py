"""Parsers of capital, dates, years, flags, names and headers; each raises only our own errors."""

from __future__ import annotations

import contextlib
import tempfile
from datetime import date
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industry_brain._core.errors import IndustryBrainError, ParseError
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
