"""The innovation-service platform as users meet it: the real CLI in a subprocess and the real app over HTTP, on a
real DuckDB file — import, need, match with reasons, engagement, one rating, credit, the log's proofs."""

from __future__ import annotations

import json
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import start_server, stop_server
from tests.unit.services.conftest import PROVIDERS, write

pytestmark = pytest.mark.slow

STARS = ["--quality", "5", "--timeliness", "4", "--value", "4", "--communication", "5"]


def test_the_platform_from_the_command_line(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    providers = write(tmp_path / "机构名录.csv", PROVIDERS)
    res = run_ib("services", "providers", "import", providers, "--json")
    assert res.returncode == 0, res.stderr
    assert res.json()["rows_loaded"] == 12
    assert run_ib("services", "providers", "import", providers, "--json").json()["noop"] is True
    need = run_ib("services", "needs", "add", "需要GMP车间共享和注射剂中试", "--field", "204", "--district", "钱塘新区",
                  "--json").json()
    matched = run_ib("services", "match", need["need_id"], "--top", "3", "--json").json()
    assert matched["matches"][0]["provider_id"] == "S1"
    assert {w["component"] for w in matched["matches"][0]["why"]} >= {"text", "kind", "field", "district"}
    shown = run_ib("services", "match", need["need_id"], "--top", "1")
    assert "GMP" in shown.stdout and "同一区县" in shown.stdout, shown.stdout

    eng = run_ib("services", "engage", need["need_id"], "S1", "--json").json()
    assert eng["match_rank"] == 1
    first = run_ib("services", "rate", str(eng["engagement_id"]), "--rater", "firm-a", *STARS, "--json")
    assert first.returncode == 0 and first.json()["overall"] == 4.5, first.stderr
    second = run_ib("services", "rate", str(eng["engagement_id"]), "--rater", "firm-b", *STARS)
    assert second.returncode == 2 and "one rating per engagement" in second.stderr, second.stderr
    out_of_range = run_ib("services", "rate", str(eng["engagement_id"]), "--rater", "x", "--quality", "9",
                          "--timeliness", "4", "--value", "4", "--communication", "5")
    assert out_of_range.returncode == 2

    assert run_ib("services", "credit", "event", "S1", "--kind", "award", "--on", "2024-03-01").returncode == 0
    bad_kind = run_ib("services", "credit", "event", "S1", "--kind", "rating", "--on", "2024-03-01")
    assert bad_kind.returncode == 2
    profile = run_ib("services", "providers", "show", "S1", "--json").json()
    assert profile["rating"]["ratings"] == 1 and profile["credit"]["grade"] in "AB"
    assert any("起始" in line for line in profile["credit"]["rule"])

    assert run_ib("services", "credit", "verify", "--json").json()["ok"] is True
    proof = tmp_path / "proof" / "S1.json"
    proved = run_ib("services", "credit", "prove", "S1", "--out", proof, "--json")
    assert proved.returncode == 0 and proved.json()["events"] == 2, proved.stderr
    event_files = sorted(proof.parent.glob("S1.event-*.json"))
    checked = run_ib("ledger", "verify-proof", event_files[0], "--vkey", proof.parent / "S1.vkey")
    assert checked.returncode == 0, checked.stderr

    tile = next(p for p in sorted((ib_home / "services" / "credit-log" / "tile" / "entries").rglob("*")) if p.is_file())
    data = bytearray(tile.read_bytes())
    data[-2] ^= 0x01
    tile.write_bytes(bytes(data))
    tampered = run_ib("services", "credit", "verify")
    assert tampered.returncode == 3, tampered.stdout + tampered.stderr


def test_the_platform_over_http(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    assert run_ib("services", "providers", "import", write(tmp_path / "p.csv", PROVIDERS)).returncode == 0
    assert run_ib("users", "add", "ana", "--role", "analyst", "--password", "analyst-pw").returncode == 0
    assert run_ib("users", "add", "bj", "--role", "district_officer", "--district", "330108",
                  "--password", "officer-pw").returncode == 0
    token = run_ib("users", "token", "ana", "--json").json()["token"]
    officer = run_ib("users", "token", "bj", "--json").json()["token"]
    server = start_server(ib_home, demo=False)
    clients = ExitStack()
    try:
        base = server.url + "/api/v1/services"
        api = clients.enter_context(httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {token}"}))
        public = clients.enter_context(httpx.Client(base_url=base, timeout=60))
        assert len(public.get("/providers").json()) == 12
        assert public.get("/needs").status_code == 403
        created = api.post("/needs", json={"text": "新款充电桩要过欧盟CE认证，想找做EMC的实验室", "field": "806",
                                           "district": "钱塘新区"})
        assert created.status_code == 201, created.text
        nid = created.json()["need_id"]
        bad = api.post("/needs", json={"text": "x", "district": "月球区"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
        matches = api.get(f"/needs/{nid}/matches", params={"k": 3}).json()
        assert matches["matches"][0]["provider_id"] == "T1"
        assert matches["matches"][0]["why"][0]["reason"].startswith("文本相关度")
        en = api.get(f"/needs/{nid}/matches", params={"k": 3, "lang": "en"}).json()
        assert en["matches"][0]["why"][0]["reason"].startswith("text relevance")
        officer_api = clients.enter_context(
            httpx.Client(base_url=base, timeout=60, headers={"Authorization": f"Bearer {officer}"}))
        assert officer_api.get(f"/needs/{nid}/matches").status_code == 200
        assert officer_api.post("/needs", json={"text": "x"}).status_code == 403
        eng = api.post("/engagements", json={"need_id": nid, "provider_id": "T1"})
        assert eng.status_code == 201, eng.text
        eid = eng.json()["engagement_id"]
        stars = {"rater": "firm-a", "quality": 4, "timeliness": 4, "value_for_money": 3, "communication": 5}
        assert api.post(f"/engagements/{eid}/rating", json=stars).status_code == 201
        again = api.post(f"/engagements/{eid}/rating", json={**stars, "rater": "firm-b"})
        assert again.status_code == 409 and "one rating per engagement" in again.json()["error"]["message"]
        credit = api.get("/providers/T1/credit").json()
        assert credit["history"][0]["kind"] == "rating" and credit["grade"] == "B"
        profile = public.get("/providers/T1").json()
        assert profile["rating"]["ratings"] == 1 and profile["fits"] is None  # the public does not see needs
        assert api.get("/credit-log/verify").json()["ok"] is True
        page = httpx.get(server.url + f"/services/needs/{nid}", headers={"Authorization": f"Bearer {token}"},
                         timeout=60)
        assert page.status_code == 200 and "滨江电磁兼容检测中心" in page.text and "seg-text" in page.text
        needs_page = httpx.get(server.url + "/services", headers={"Authorization": f"Bearer {token}"}, timeout=60)
        assert needs_page.status_code == 200 and nid in needs_page.text and 'name="csrf_token"' in needs_page.text
        listed = httpx.get(server.url + "/services?status=engaged", headers={"Authorization": f"Bearer {token}"},
                           timeout=60)
        assert listed.status_code == 200 and nid in listed.text
        prov_page = httpx.get(server.url + "/services/providers/T1", timeout=60)
        assert prov_page.status_code == 200 and "贝叶斯平均" in prov_page.text
        assert json.loads(httpx.get(server.url + "/openapi.json", timeout=60).text)["paths"].get(
            "/api/v1/services/needs/{need_id}/matches") is not None
    finally:
        clients.close()
        stop_server(server)
