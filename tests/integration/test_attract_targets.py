"""Attraction targets as users meet them: the real CLI in a subprocess and the real app over HTTP on a real DuckDB
file — field targets with reasons, firms to approach, the backtest kept and shown, roles."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import start_server, stop_server, write_attract_register

pytestmark = pytest.mark.slow


def test_targets_and_backtest_from_the_command_line(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    early = write_attract_register(tmp_path / "名录2012.csv", late_entry=False)
    assert run_ib("registry", "import", early, "--source", "hightech").returncode == 0
    got = run_ib("attract", "targets", "--district", "滨江区", "--json")
    assert got.returncode == 0, got.stderr
    data = got.json()
    assert data["district"] == "330108" and data["targets"][0]["field"] == "104"
    assert data["panel"]["kind"] == "street" and data["panel"]["units"] == 35
    shown = run_ib("attract", "targets", "--district", "330108")
    assert "关联密度" in shown.stdout and "街道/镇面板" in shown.stdout and "规则" in shown.stdout, shown.stdout
    english = run_ib("--lang", "en", "attract", "targets", "--district", "330108")
    assert "should court" in english.stdout and "Rule:" in english.stdout, english.stdout
    firms = run_ib("attract", "firms", "--district", "330108", "--limit", "5", "--json").json()
    assert len(firms["firms"]) == 5 and firms["firms"][0]["field"] == "104" and firms["firms"][0]["why"]
    segs = run_ib("attract", "segments", "--district", "330108", "--json").json()
    assert any(r["chain"] == "vr" and r["segment"] == "components" and r["verdict"] == "missing" for r in segs)
    presets = run_ib("attract", "presets", "--json").json()
    assert [p["code"] for p in presets] == ["low_hanging", "balanced", "long_jumps", "chain_first"]
    bad = run_ib("attract", "targets", "--district", "330108", "--preset", "greedy")
    assert bad.returncode == 2 and "preset 'greedy'" in bad.stderr, bad.stderr
    nowhere = run_ib("attract", "targets", "--district", "鼓楼区")
    assert nowhere.returncode == 2 and "not a Hangzhou district" in nowhere.stderr

    later = write_attract_register(tmp_path / "名录2014.csv")
    assert run_ib("registry", "import", later, "--source", "hightech").returncode == 0
    bt = run_ib("attract", "backtest", "--as-of", "2012", "--horizon", "3", "--json")
    assert bt.returncode == 0, bt.stderr
    res = bt.json()
    assert res["positives"] == 1 and res["metrics"]["density"]["auc"] == 1.0 and res["run_id"] == 1
    table = run_ib("attract", "backtest", "--as-of", "2012", "--horizon", "3", "--units", "street", "--no-save")
    assert "ROC-AUC" in table.stdout and "基线：随机" in table.stdout and "已保存" not in table.stdout
    too_late = run_ib("attract", "backtest", "--as-of", "2020")
    assert too_late.returncode == 2 and "--as-of 2020" in too_late.stderr


def test_targets_over_http_by_role(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    assert run_ib("registry", "import", write_attract_register(tmp_path / "名录.csv")).returncode == 0
    assert run_ib("attract", "backtest", "--as-of", "2012").returncode == 0
    assert run_ib("users", "add", "bj", "--role", "district_officer", "--district", "330108",
                  "--password", "officer-pw").returncode == 0
    assert run_ib("users", "add", "firm", "--role", "enterprise", "--subject", "91330106DM00000139",
                  "--password", "firm-password").returncode == 0
    officer = run_ib("users", "token", "bj", "--json").json()["token"]
    firm = run_ib("users", "token", "firm", "--json").json()["token"]
    server = start_server(ib_home, demo=False)
    clients = ExitStack()
    try:
        base = server.url + "/api/v1/attract"
        api = clients.enter_context(httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {officer}"}))
        public = clients.enter_context(httpx.Client(base_url=base, timeout=60))
        self_service = clients.enter_context(httpx.Client(base_url=base, timeout=60,
                                                          headers={"Authorization": f"Bearer {firm}"}))
        got = api.get("/targets")                       # the officer's own district by default
        assert got.status_code == 200, got.text
        assert got.json()["district"] == "330108" and got.json()["rule"]
        other = api.get("/targets", params={"district": "西湖区", "preset": "chain_first", "level": "l2"})
        assert other.status_code == 200 and other.json()["district"] == "330106"
        assert other.json()["preset"]["code"] == "chain_first"
        firms = api.get("/firms", params={"district": "330108", "limit": 3}).json()
        assert len(firms["firms"]) == 3 and all(f["why"] for f in firms["firms"])
        bt = api.get("/backtest", params={"as_of": 2012, "horizon": 3}).json()
        assert bt["positives"] == 1 and bt["metrics"]["density"]["auc"] == 1.0
        assert api.get("/backtests").json()[0]["params"]["as_of"] == 2012
        bad = api.get("/targets", params={"preset": "greedy"})
        assert bad.status_code == 422 and "preset" in bad.json()["error"]["message"], bad.text
        assert public.get("/targets").status_code in (401, 403)
        assert self_service.get("/targets").status_code == 403
        page = clients.enter_context(httpx.Client(base_url=server.url, timeout=60,
                                                  headers={"Authorization": f"Bearer {officer}"}))
        html = page.get("/attract").text
        assert "招商标的精准推荐" in html and "104" in html and 'id="firm-targets"' in html
        assert page.get("/attract/backtest", params={"as_of": 2012}).status_code == 200
    finally:
        clients.close()
        stop_server(server)
