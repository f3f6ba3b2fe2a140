"""Registered capital in every currency of the table, old ones included, and its conversion to 元 with a basis."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pyarrow as pa
import pytest

from industry_brain.registry import currency, parse_capital
from industry_brain.registry._currency import currencies, rates_basis_date, spellings
from industry_brain.registry._normalise import capital

REPO = Path(__file__).resolve().parents[3]
SCRIPT = REPO / "scripts" / "build_currency_rates.py"

# the irrevocable euro conversion rates (Council Regulations (EC) No 2866/98 and No 1478/2000)
FIXED = {
    "DEM": 1.95583, "FRF": 6.55957, "ITL": 1936.27, "ESP": 166.386, "NLG": 2.20371, "BEF": 40.3399,
    "LUF": 40.3399, "ATS": 13.7603, "PTE": 200.482, "FIM": 5.94573, "IEP": 0.787564, "GRD": 340.750,
}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("50(万法国法郎)", (50.0, "FRF")),
        ("120万德国马克", (120.0, "DEM")),
        ("300(万荷兰盾)", (300.0, "NLG")),
        ("5000万意大利里拉", (5000.0, "ITL")),
        ("800万比利时法郎", (800.0, "BEF")),
        ("60万奥地利先令", (60.0, "ATS")),
        ("2000万西班牙比塞塔", (2000.0, "ESP")),
        ("40万芬兰马克", (40.0, "FIM")),
        ("10万爱尔兰镑", (10.0, "IEP")),
        ("900万葡萄牙埃斯库多", (900.0, "PTE")),
        ("30万瑞士法郎", (30.0, "CHF")),
        ("30万法郎", (30.0, "FRF")),
        ("100万美金", (100.0, "USD")),
        ("100万美圆", (100.0, "USD")),
        ("100万元港币", (100.0, "HKD")),
        ("50万澳门元", (50.0, "MOP")),
        ("50万澳元", (50.0, "AUD")),
        ("50万加元", (50.0, "CAD")),
        ("1000万日圆", (1000.0, "JPY")),
        ("80万新台币", (80.0, "TWD")),
        ("80万台币", (80.0, "TWD")),
        ("20万新币", (20.0, "SGD")),
        ("3亿韩元", (30000.0, "KRW")),
        ("500000欧元", (50.0, "EUR")),
        ("100万 USD", (100.0, "USD")),
    ],
)
def test_capital_in_every_spelling(raw: str, expected: tuple[float, str]) -> None:
    assert parse_capital(raw) == expected


def test_every_spelling_of_the_table_parses_to_its_currency() -> None:
    for word, code in spellings():
        assert parse_capital(f"12.5万{word}") == (12.5, code), word


@pytest.mark.parametrize("raw", ["HENRI PERROT", "HAKAM MUNZER A", "张三", "100万火星币", "万法国法郎"])
def test_text_that_is_not_an_amount_still_warns(raw: str) -> None:
    wan, cur, ok = capital(pa.array([raw]))
    assert ok.tolist() == [False] and wan.to_pylist() == [None] and cur.to_pylist() == [None]


def test_old_currencies_convert_through_the_euro() -> None:
    eur = currency("EUR")
    assert eur is not None and eur.cny_per_unit is not None
    for code, per_euro in FIXED.items():
        old = currency(code)
        assert old is not None and old.cny_per_unit is not None, code
        assert old.cny_per_unit == pytest.approx(eur.cny_per_unit / per_euro, rel=1e-5), code
        regulation = "1478/2000" if code == "GRD" else "2866/98"
        assert f"1 EUR = {per_euro:g}" in old.basis("en").replace("340.750", "340.75") and regulation in old.basis("en")
        assert rates_basis_date() in old.basis("zh")


def test_every_rate_says_its_basis_and_only_the_unquoted_are_unconverted() -> None:
    for c in currencies().values():
        if c.code == "CNY":
            assert c.cny_per_unit == 1.0
            continue
        assert c.basis("zh") and c.basis("en"), c.code
        if c.cny_per_unit is None:
            assert c.code == "TWD", c.code
        else:
            assert c.cny_per_unit > 0 and rates_basis_date() in c.basis("en"), c.code
    mop, hkd = currency("MOP"), currency("HKD")
    assert mop and hkd and mop.cny_per_unit == pytest.approx(hkd.cny_per_unit * 100 / 103, rel=1e-5)  # type: ignore[operator]


def test_the_committed_table_is_what_the_script_builds() -> None:
    spec = importlib.util.spec_from_file_location("build_currency_rates", SCRIPT)
    assert spec and spec.loader
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    committed = json.loads((REPO / "src/industry_brain/registry/_data/currencies.json").read_text(encoding="utf-8"))
    assert committed == build.build(build.DEFAULT_DATE)
    assert committed["currencies"]["EUR"]["cny_per_unit"] == 7.8205  # ECB reference rate of 2019-12-31
