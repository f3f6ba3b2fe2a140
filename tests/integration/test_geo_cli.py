"""``ib geo`` through the real CLI in a subprocess."""

from __future__ import annotations

from typing import Any


def test_resolve_json(run_ib: Any) -> None:
    r = run_ib("geo", "resolve", "杭州市江干区下沙街道6号大街", "--json")
    assert r.returncode == 0, r.stderr
    out = r.json()
    assert (out["map_unit_2019"], out["district_2021"], out["method"], out["street"]) == (
        "QTXQ", "330114", "street", "下沙街道")


def test_resolve_with_authority_code_human(run_ib: Any) -> None:
    r = run_ib("geo", "resolve", "建国北路190号", "--code", "330103")
    assert r.returncode == 0, r.stderr
    assert "authority-code" in r.stdout and "下城区" in r.stdout and "拱墅区" in r.stdout


def test_units(run_ib: Any) -> None:
    r = run_ib("geo", "units", "--json")
    assert r.returncode == 0
    assert [u["code"] for u in r.json()][-1] == "QTXQ" and len(r.json()) == 14
    r = run_ib("geo", "units", "--vintage", "2021")
    assert r.returncode == 0 and "临平区" in r.stdout and "钱塘新区" not in r.stdout
    r = run_ib("geo", "units", "--vintage", "2020")
    assert r.returncode == 2 and "2020" in r.stderr and "Traceback" not in r.stderr


def test_division(run_ib: Any) -> None:
    r = run_ib("geo", "division", "330104", "--json")
    assert r.returncode == 0
    assert r.json()["history"][0]["name"] == "江干区"
    r = run_ib("geo", "division", "120110")
    assert "东郊区" in r.stdout and "东丽区" in r.stdout
    for bad, code in (("12345", 2), ("999999", 2)):
        r = run_ib("geo", "division", bad)
        assert r.returncode == code and bad in r.stderr and "Traceback" not in r.stderr
