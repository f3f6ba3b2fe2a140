"""Registered capital in old and foreign currencies through the real CLI, DuckDB file and HTTP app: parsed,
converted to 元 with the rate and its basis on the portrait; only text that is not an amount warns."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import httpx
from tests.conftest import start_server, stop_server

from industry_brain.registry import make_uscc

CAPITALS = {
    "50(万法国法郎)": ("FRF", 50 * 7.8205 / 6.55957),
    "120万德国马克": ("DEM", 120 * 7.8205 / 1.95583),
    "100万美元": ("USD", None),
    "80万新台币": ("TWD", None),
    "300万元人民币": ("CNY", 300.0),
    "HENRI PERROT": (None, None),
}


def _register(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    path = tmp_path / "capital.csv"
    codes = {}
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["企业名称", "统一社会信用代码", "注册日期", "注册资本", "注册地址"])
        for i, raw in enumerate(CAPITALS):
            code = make_uscc("9", "1", "330106", f"MA{i:06d}")
            codes[raw] = code
            w.writerow([f"杭州外资样例{i}有限公司", code, "1996-05-0" + str(i + 1), raw, f"杭州市西湖区文三路{i + 1}号"])
    return path, codes


def test_capital_in_old_currencies_is_parsed_converted_and_explained(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    path, codes = _register(tmp_path)
    res = run_ib("registry", "import", path, "--json")
    assert res.returncode == 0, res.stderr
    assert res.json()["rows_warned"] == 1  # only the person's name in the capital column
    problems = run_ib("registry", "quarantine", "--warnings", "--json").json()
    capital_problems = [p for p in problems if p["field"] == "capital"]
    assert [p["value"] for p in capital_problems] == ["HENRI PERROT"]
    assert capital_problems[0]["code"] == "capital_invalid"

    for raw, (code, cny) in CAPITALS.items():
        shown = run_ib("registry", "show", codes[raw], "--json").json()
        reg = shown["registration"]
        assert reg["capital_currency"] == code, raw
        if cny is not None:
            assert abs(reg["capital_wan_cny"] - cny) < 1e-3 * cny, raw
    usd = run_ib("registry", "show", codes["100万美元"], "--json").json()
    usd = usd["registration"]
    assert 600 < usd["capital_wan_cny"] < 800  # converted at the table's ECB cross rate
    twd = run_ib("registry", "show", codes["80万新台币"], "--json").json()
    assert twd["registration"]["capital_wan_cny"] is None  # no rate in the sources: not invented

    server = start_server(ib_home, demo=True)
    try:
        frf = httpx.get(f"{server.url}/api/v1/enterprises/{codes['50(万法国法郎)']}", timeout=30).json()
        assert frf["capital"].startswith("50.00 万法国法郎（FRF） ≈ 59.61 万元"), frf["capital"]
        conv = frf["capital_conversion"]
        assert conv["rate"] == "1 法国法郎 = 1.19223 元"
        assert "6.55957" in conv["basis"] and "2866/98" in conv["basis"] and "2019-12-31" in conv["basis"]
        en = httpx.get(f"{server.url}/api/v1/enterprises/{codes['50(万法国法郎)']}?lang=en", timeout=30).json()
        assert "French franc" in en["capital"] and "irrevocable" in en["capital_conversion"]["basis"]
        taiwan = httpx.get(f"{server.url}/api/v1/enterprises/{codes['80万新台币']}", timeout=30).json()
        assert taiwan["capital_conversion"]["rate"] == "未折算"
        page = httpx.get(f"{server.url}/enterprises/{codes['50(万法国法郎)']}", timeout=30).text
        assert "1 法国法郎 = 1.19223 元" in page and "欧元固定兑换率" in page
    finally:
        stop_server(server)
