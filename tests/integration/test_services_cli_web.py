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


FIRM = "91330106DM00000139"          # synthetic codes (organisation body DM…, as the demo's), both check characters valid
OTHER_FIRM = "91330106DM00000214"


def test_firms_and_providers_see_and_edit_their_own(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    assert run_ib("services", "providers", "import", write(tmp_path / "p.csv", PROVIDERS)).returncode == 0
    for args in (("ana", "--role", "analyst"), ("acme", "--role", "enterprise", "--subject", FIRM),
                 ("lab", "--role", "provider", "--subject", "T1")):
        made = run_ib("users", "add", *args, "--password", "password-1")
        assert made.returncode == 0, made.stdout + made.stderr
    unknown = run_ib("users", "add", "ghost", "--role", "provider", "--subject", "NOPE", "--password", "password-1")
    assert unknown.returncode == 2 and "NOPE" in unknown.stderr      # not in the directory: refused, nothing added
    tokens = {u: run_ib("users", "token", u, "--json").json()["token"] for u in ("ana", "acme", "lab")}
    server = start_server(ib_home, demo=False)
    with ExitStack() as clients:
        def client(user: str) -> httpx.Client:
            return clients.enter_context(httpx.Client(base_url=server.url + "/api/v1/services", timeout=60,
                                                      headers={"Authorization": f"Bearer {tokens[user]}"}))

        ana, acme, lab = client("ana"), client("acme"), client("lab")
        try:
            theirs = ana.post("/needs", json={"text": "医疗器械注册检验", "uscc": OTHER_FIRM}).json()["need_id"]
            spoof = acme.post("/needs", json={"text": "需要EMC测试", "uscc": OTHER_FIRM})
            assert spoof.status_code == 403
            mine = acme.post("/needs", json={"text": "新款充电桩要过CE认证，找做EMC的实验室", "field": "806"})
            assert mine.status_code == 201 and mine.json()["uscc"] == FIRM, mine.text   # filed for its own firm
            nid = mine.json()["need_id"]
            assert [n["need_id"] for n in acme.get("/needs").json()] == [nid]      # only its own
            assert {n["need_id"] for n in ana.get("/needs").json()} == {nid, theirs}
            assert acme.get(f"/needs/{theirs}/matches").status_code == 403
            assert acme.get(f"/needs/{nid}/matches").json()["matches"][0]["provider_id"] == "T1"
            assert acme.post("/engagements", json={"need_id": theirs, "provider_id": "T2"}).status_code == 403
            eng = acme.post("/engagements", json={"need_id": nid, "provider_id": "T1"})
            assert eng.status_code == 201 and eng.json()["match_rank"] == 1, eng.text
            stars = {"quality": 5, "timeliness": 4, "value_for_money": 4, "communication": 5, "rater": "someone else"}
            rated = acme.post(f"/engagements/{eng.json()['engagement_id']}/rating", json=stars)
            assert rated.status_code == 201 and rated.json()["rater"] == "acme"       # a firm rates as itself
            assert acme.post("/providers", json={"name": "x", "kind": "testing", "description": "y"}).status_code == 403

            assert lab.get("/needs").status_code == 403
            fits = lab.get("/providers/T1/fits")
            assert fits.status_code == 200 and lab.get("/providers/T2/fits").status_code == 403
            profile = lab.get("/providers/T1").json()["provider"]
            edited = lab.put("/providers/T1", json={**profile, "description": profile["description"] + "，可加急"})
            assert edited.status_code == 200 and edited.json()["description"].endswith("可加急"), edited.text
            assert edited.json()["owner"] == "lab"
            assert lab.put("/providers/T2", json={**profile, "provider_id": "T2"}).status_code == 403

            added = ana.post("/providers", json={"name": "江干标准化研究院", "kind": "检验检测", "fields": ["806"],
                                                 "district": "上城区", "description": "标准制定与标准化咨询"})
            assert added.status_code == 201 and added.json()["district"] == "330102", added.text
            assert ana.post("/providers", json={"name": "江干标准化研究院", "kind": "testing",
                                                "description": "重复"}).status_code == 409
            bad = ana.post("/providers", json={"name": "某机构", "kind": "火星服务", "description": "说明"})
            assert bad.status_code == 422 and bad.json()["error"]["details"]["field"] == "kind"
        finally:
            stop_server(server)


PENALTY_HEADER = ["行政相对人名称", "统一社会信用代码", "行政处罚决定书文号", "处罚内容", "处罚决定日期", "处罚机关"]


def test_a_penalty_list_becomes_credit_events_once(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    assert run_ib("services", "providers", "import", write(tmp_path / "p.csv", PROVIDERS)).returncode == 0
    today = __import__("datetime").date.today()
    rows = [
        ["下沙医疗器械检测所", "", "杭市监罚〔2026〕17号", "出具虚假检验报告", today.isoformat(), "杭州市市场监督管理局"],
        ["不在名录的公司", "", "杭市监罚〔2026〕18号", "虚假宣传", today.isoformat(), "杭州市市场监督管理局"],
        ["钱江专利事务所", "", "浙知罚〔2026〕3号", "代理违规", "去年", "浙江省知识产权局"],
    ]
    penalties = write(tmp_path / "行政处罚公示.csv", rows, header=PENALTY_HEADER)
    res = run_ib("services", "credit", "import", penalties, "--json")
    assert res.returncode == 0, res.stderr
    got = res.json()
    assert (got["rows_read"], got["rows_loaded"], got["rows_quarantined"]) == (3, 1, 2)
    codes = {p["source_row"]: p["code"] for p in got["problems"]}
    assert codes == {3: "provider_unmatched", 4: "event_date_invalid"}
    assert run_ib("services", "credit", "import", penalties, "--json").json()["noop"] is True
    # the same decision in another export of the list is recognised and not counted twice
    again = write(tmp_path / "行政处罚公示-更新.csv", rows[:1], header=PENALTY_HEADER)
    second = run_ib("services", "credit", "import", again, "--json").json()
    assert second["rows_loaded"] == 0 and second["problems"][0]["code"] == "event_on_record"
    credit = run_ib("services", "credit", "show", "T2", "--json").json()
    assert [e["kind"] for e in credit["events"]] == ["penalty"] and credit["grade"] == "D"   # 80 − 30 = 50, below the C floor of 60
    assert "杭市监罚〔2026〕17号" in credit["events"][0]["source"]
    assert run_ib("services", "credit", "verify").returncode == 0
    proof = run_ib("services", "credit", "prove", "T2", "--out", tmp_path / "t2.json")
    assert proof.returncode == 0, proof.stderr
