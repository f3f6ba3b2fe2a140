"""Watch lists and alerts as users meet them: two versions of a list imported with the real CLI in a subprocess give
exactly the expected alerts, computing again adds nothing, and over HTTP the JSON API, the JSON Feed and the
district scoping of a district officer."""

from __future__ import annotations

import csv
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest
from tests.conftest import start_server, stop_server

from industry_brain.attract import ALERT_KINDS
from industry_brain.registry import make_uscc

pytestmark = pytest.mark.slow

XIHU, BINJIANG = "330106", "330108"
A = make_uscc("9", "1", XIHU, "TA000001")      # anchor of 西湖: moves to 滨江; opens a branch in Shanghai
B = make_uscc("9", "1", XIHU, "TA000002")      # target of 西湖: gone from the later version
C = make_uscc("9", "1", BINJIANG, "TA000003")  # target of 西湖, anchor of 滨江: deregistered
D = make_uscc("9", "1", XIHU, "TA000004")      # anchor of 西湖: renamed, capital cut by 60 %, scope changed
F = make_uscc("9", "1", XIHU, "TA000005")      # target of 西湖: certified 2018, lapses 31 Dec 2021
E = make_uscc("9", "1", XIHU, "TA000006")      # not watched: changes everything, raises nothing
SH = make_uscc("9", "1", "310115", "TB000001")  # A's branch in Shanghai (new in the later version)
HZ = make_uscc("9", "1", BINJIANG, "TB000002")  # A's branch in Hangzhou (same city: no alert)

HEADER = ["企业名称", "统一社会信用代码", "注册地址", "经营范围", "注册资本（万元）", "认定年份", "证书编号", "登记状态"]
WEST, RIVER = "浙江省杭州市西湖区文三路{}号", "浙江省杭州市滨江区江南大道{}号"
V1 = [
    ["杭州甲科技有限公司", A, WEST.format(1), "软件开发；技术服务", "1000", "2020", "GR202033000001", "存续"],
    ["杭州乙科技有限公司", B, WEST.format(2), "软件开发", "500", "2020", "GR202033000002", "存续"],
    ["杭州丙生物有限公司", C, RIVER.format(3), "生物技术开发", "800", "2020", "GR202033000003", "存续"],
    ["杭州丁网络有限公司", D, WEST.format(4), "网络技术开发；技术咨询；技术服务", "1000", "2020", "GR202033000004", "在业"],
    ["杭州戊电子有限公司", F, WEST.format(5), "电子产品研发", "300", "2018", "GR201833000005", "存续"],
    ["杭州己软件有限公司", E, WEST.format(6), "软件开发", "900", "2020", "GR202033000006", "存续"],
]
V2 = [
    ["杭州甲科技有限公司", A, RIVER.format(1), "软件开发；技术服务", "1000", "2020", "GR202033000001", "存续"],
    ["杭州丙生物有限公司", C, RIVER.format(3), "生物技术开发", "800", "2020", "GR202033000003", "注销"],
    ["杭州丁智能网络有限公司", D, WEST.format(4), "网络技术开发；技术服务；人工智能软件开发", "400", "2020",
     "GR202033000004", "在业"],
    ["杭州戊电子有限公司", F, WEST.format(5), "电子产品研发", "300", "2018", "GR201833000005", "存续"],
    ["杭州己网络软件有限公司", E, RIVER.format(6), "网络软件开发", "100", "2020", "GR202033000006", "吊销"],
    ["杭州甲科技有限公司上海分公司", SH, "上海市浦东新区张江路100号", "软件开发", "", "", "", "存续"],
    ["杭州甲科技有限公司滨江分公司", HZ, RIVER.format(9), "软件开发", "", "", "", "存续"],
]
EXPECTED = {  # (kind, district, uscc, severity) of every alert the pair must raise — and no other
    ("moved_out", XIHU, A, "high"),
    ("branch_elsewhere", XIHU, A, "medium"),
    ("removed_from_list", XIHU, B, "medium"),
    ("deregistered", XIHU, C, "high"),
    ("deregistered", BINJIANG, C, "high"),
    ("capital_reduced", XIHU, D, "high"),
    ("renamed", XIHU, D, "low"),
    ("scope_changed", XIHU, D, "low"),
}
CERT = ("cert_expiring", XIHU, F, "medium")


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def _key(a: dict[str, Any]) -> tuple[str, str, str, str]:
    return a["kind"], a["district"], a["uscc"], a["severity"]


def setup_register(run_ib: Any, tmp_path: Path) -> None:
    """Version 1, the watch lists (one imported with a bad row), version 2 — through the real CLI."""
    first = run_ib("registry", "import", write(tmp_path / "v1.csv", V1), "--source", "名单", "--json")
    assert first.returncode == 0, first.stderr
    watch = write(tmp_path / "关注清单.csv", [["杭州甲科技有限公司", A, "龙头企业", "本区纳税大户"],
                                          ["杭州乙科技有限公司", B, "招商标的", ""],
                                          ["杭州丙生物有限公司", C, "招商标的", ""],
                                          ["坏行", "12345", "招商标的", ""],
                                          ["杭州丁网络有限公司", D, "龙头", ""],
                                          ["重复", D, "龙头", ""],
                                          ["未知类型", F, "合作伙伴", ""]],
                  ["企业名称", "统一社会信用代码", "类型", "备注"])
    res = run_ib("attract", "watch", "import", watch, "--district", "西湖区", "--json")
    assert res.returncode == 0, res.stderr
    got = res.json()
    assert (got["rows_read"], got["rows_loaded"], got["rows_quarantined"]) == (7, 4, 3)
    assert {(p["source_row"], p["code"]) for p in got["problems"]} == {
        (5, "uscc_invalid"), (7, "uscc_duplicate"), (8, "kind_unknown")}
    again = run_ib("attract", "watch", "import", watch, "--district", "330106", "--json").json()
    assert again["noop"] is True
    assert run_ib("attract", "watch", "add", F, "--district", XIHU, "--kind", "target").returncode == 0
    assert run_ib("attract", "watch", "add", C, "--district", "滨江", "--kind", "anchor").returncode == 0
    listed = run_ib("attract", "watch", "list", "--district", XIHU, "--json").json()
    assert {w["uscc"]: w["kind"] for w in listed} == {A: "anchor", B: "target", C: "target", D: "anchor",
                                                     F: "target"}
    second = run_ib("registry", "import", write(tmp_path / "v2.csv", V2), "--source", "名单", "--json")
    assert second.returncode == 0, second.stderr
    assert second.json()["batch_id"] == 2
    assert "监测预警：新增 8 条" in second.stderr, second.stderr


def test_two_versions_give_exactly_the_expected_alerts(run_ib: Any, tmp_path: Path) -> None:
    setup_register(run_ib, tmp_path)
    alerts = run_ib("attract", "alerts", "list", "--json").json()
    assert {_key(a) for a in alerts} == EXPECTED and len(alerts) == len(EXPECTED)
    by = {(a["kind"], a["district"]): a for a in alerts}
    cut = by["capital_reduced", XIHU]
    assert cut["detail"]["before"] == 1000 and cut["detail"]["after"] == 400 and cut["detail"]["percent"] == 60.0
    assert "1000" in cut["message_zh"] and "400" in cut["message_zh"] and "60.0%" in cut["message_zh"]
    assert cut["versions"] == {"before": {"batch_id": 1, "source_row": 5}, "after": {"batch_id": 2, "source_row": 4}}
    assert by["moved_out", XIHU]["detail"] == {"field": "map_unit_2019", "before": XIHU, "after": BINJIANG}
    assert "西湖区" in by["moved_out", XIHU]["message_zh"] and "滨江区" in by["moved_out", XIHU]["message_zh"]
    branch = by["branch_elsewhere", XIHU]
    assert branch["detail"]["branch_uscc"] == SH and "上海市浦东新区" in branch["message_zh"]
    assert branch["versions"]["after"] == {"batch_id": 2, "source_row": 7}
    gone = by["removed_from_list", XIHU]
    assert gone["versions"]["before"] == {"batch_id": 1, "source_row": 3} and gone["versions"]["after"]["source_row"] is None
    scope = by["scope_changed", XIHU]
    assert scope["detail"]["added"] == ["人工智能软件开发"] and scope["detail"]["removed"] == ["技术咨询"]
    assert "'注销'" in by["deregistered", BINJIANG]["message_zh"]
    assert "name changed from '杭州丁网络有限公司' to '杭州丁智能网络有限公司'" in by["renamed", XIHU]["message_en"]

    # the certificate window: as of 1 Sep 2021 the 2018 certificate lapses within six months; then nothing more
    cert = run_ib("attract", "alerts", "compute", "--batch", "2", "--as-of", "2021-09-01", "--json").json()
    assert (cert["batch_before"], cert["batch_after"], cert["alerts_added"]) == (1, 2, 1)
    assert cert["by_kind"] == {"cert_expiring": 1}
    again = run_ib("attract", "alerts", "compute", "--batch", "2", "--as-of", "2021-09-01", "--json").json()
    assert again["alerts_added"] == 0 and again["alerts_found"] == len(EXPECTED) + 1
    assert run_ib("attract", "alerts", "compute", "--json").json()["alerts_added"] == 0
    narrow = run_ib("attract", "alerts", "compute", "--batch", "2", "--as-of", "2021-03-01", "--months", "3",
                    "--json").json()
    assert narrow["alerts_found"] == len(EXPECTED)          # the lapse is nine months away: not in the window
    everything = run_ib("attract", "alerts", "--json").json()
    assert {_key(a) for a in everything} == EXPECTED | {CERT}
    lapse = next(a for a in everything if a["kind"] == "cert_expiring")
    assert "2021-12-31" in lapse["message_zh"] and "GR201833000005" in lapse["message_zh"]

    # reading and filtering
    first_id = everything[0]["alert_id"]
    assert run_ib("attract", "alerts", "read", str(first_id)).returncode == 0
    unread = run_ib("attract", "alerts", "--unread", "--json").json()
    assert len(unread) == len(everything) - 1 and first_id not in {a["alert_id"] for a in unread}
    only = run_ib("attract", "alerts", "list", "--district", "滨江区", "--json").json()
    assert [_key(a) for a in only] == [("deregistered", BINJIANG, C, "high")]
    shown = run_ib("attract", "alerts", "list", "--kind", "capital_reduced")
    assert shown.returncode == 0 and "60.0%" in shown.stdout, shown.stdout
    bad = run_ib("attract", "alerts", "list", "--kind", "teleported")
    assert bad.returncode == 2 and "teleported" in bad.stderr
    missing = run_ib("attract", "alerts", "compute", "--batch", "99")
    assert missing.returncode == 2 and "99" in missing.stderr


def test_anchors_and_removal(run_ib: Any, tmp_path: Path) -> None:
    assert run_ib("registry", "import", write(tmp_path / "v1.csv", V1), "--source", "名单").returncode == 0
    res = run_ib("attract", "watch", "anchors", "--district", XIHU, "--top", "3", "--json").json()
    # high-tech first (every row is certified here), then by capital: 1000 (A, D by code), then 900 (E)
    assert [r["uscc"] for r in res] == [*sorted([A, D]), E] and all(r["added"] for r in res)
    assert "1000" in res[0]["why_zh"]
    assert not any(r["added"] for r in run_ib("attract", "watch", "anchors", "-d", XIHU, "-k", "3", "--json").json())
    assert run_ib("attract", "watch", "remove", E, "--district", XIHU).returncode == 0
    gone = run_ib("attract", "watch", "remove", E, "--district", XIHU)
    assert gone.returncode == 2 and E in gone.stderr
    assert run_ib("attract", "watch", "add", "123", "--district", XIHU).returncode == 2
    assert run_ib("attract", "watch", "add", A, "--district", "火星区").returncode == 2


def test_alerts_over_http(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    setup_register(run_ib, tmp_path)
    for args in (("ana", "--role", "analyst"), ("xh", "--role", "district_officer", "--district", XIHU),
                 ("bj", "--role", "district_officer", "--district", BINJIANG)):
        assert run_ib("users", "add", *args, "--password", "password-1").returncode == 0
    tokens = {u: run_ib("users", "token", u, "--json").json()["token"] for u in ("ana", "xh", "bj")}
    server = start_server(ib_home, demo=False)
    clients = ExitStack()
    try:
        def client(user: str | None) -> httpx.Client:
            headers = {"Authorization": f"Bearer {tokens[user]}"} if user else {}
            return clients.enter_context(httpx.Client(base_url=server.url + "/api/v1/attract", timeout=60,
                                                      headers=headers))

        ana, xh, bj, public = client("ana"), client("xh"), client("bj"), client(None)
        assert {_key(a) for a in ana.get("/alerts").json()} == EXPECTED
        assert {_key(a) for a in xh.get("/alerts").json()} == {k for k in EXPECTED if k[1] == XIHU}
        assert [_key(a) for a in bj.get("/alerts").json()] == [("deregistered", BINJIANG, C, "high")]
        denied = bj.get("/alerts", params={"district": XIHU})
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
        assert bj.get("/alerts/feed.json", params={"district": "西湖区"}).status_code == 403
        assert public.get("/alerts").status_code == 403
        assert public.get("/watch").status_code == 403

        feed = xh.get("/alerts/feed.json")
        assert feed.status_code == 200 and feed.headers["content-type"].startswith("application/feed+json")
        doc = feed.json()
        assert doc["version"] == "https://jsonfeed.org/version/1.1" and doc["title"]
        assert len(doc["items"]) == 7
        for item in doc["items"]:
            assert {"id", "title", "content_text", "date_published", "url", "tags"} <= set(item)
            assert item["url"].startswith(server.url + "/attract/alerts") and item["tags"][0] in ALERT_KINDS
        cut = next(i for i in doc["items"] if "capital_reduced" in i["tags"])
        assert "60.0%" in cut["content_text"] and "注册资本减少" in cut["title"]
        english = xh.get("/alerts/feed.json", params={"lang": "en", "kind": "capital_reduced"}).json()
        assert [i["title"] for i in english["items"]] == ["杭州丁智能网络有限公司: capital reduced"]
        assert "registered capital cut from 1000 to 400" in english["items"][0]["content_text"]

        # the page: scoped the same way; the public is sent to log in
        page = httpx.get(server.url + "/attract/alerts", headers={"Authorization": f"Bearer {tokens['bj']}",
                                                                   "Accept": "text/html"}, timeout=60)
        assert page.status_code == 200 and page.text.count('class="al-item') == 1 and "杭州丙生物有限公司" in page.text
        everyone = httpx.get(server.url + "/attract/alerts", headers={"Authorization": f"Bearer {tokens['ana']}",
                                                                       "Accept": "text/html"}, timeout=60)
        assert everyone.text.count('class="al-item') == len(EXPECTED) and 'id="watch-pick"' in everyone.text
        assert 'id="watch-form"' not in everyone.text                    # analysts read watch lists, not edit them
        anonymous = httpx.get(server.url + "/attract/alerts", headers={"Accept": "text/html"}, timeout=60)
        assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")

        # reading: the officer of the district may; another district's officer may not
        alert_id = cut["_industry_brain"]["alert_id"]
        assert bj.post(f"/alerts/{alert_id}/read").status_code == 403
        marked = xh.post(f"/alerts/{alert_id}/read")
        assert marked.status_code == 200 and marked.json()["read"] is True and marked.json()["read_by"] == "xh"
        assert alert_id not in {a["alert_id"] for a in xh.get("/alerts", params={"unread": True}).json()}

        # watch lists: officers manage their own, analysts read but do not manage
        assert {w["uscc"] for w in bj.get("/watch").json()} == {C}
        added = bj.post("/watch", json={"district": BINJIANG, "uscc": A, "kind": "target", "note": "迁入洽谈"})
        assert added.status_code == 201 and added.json()["name"] == "杭州甲科技有限公司"
        assert bj.post("/watch", json={"district": XIHU, "uscc": E}).status_code == 403
        assert ana.post("/watch", json={"district": XIHU, "uscc": E}).status_code == 403
        assert bj.post("/watch", json={"district": BINJIANG, "uscc": "bad"}).status_code == 422
        assert bj.delete(f"/watch/{BINJIANG}/{A}").status_code == 200
        assert bj.delete(f"/watch/{BINJIANG}/{A}").status_code == 404
        anchors = xh.post(f"/watch/{XIHU}/anchors", params={"top": 2})
        assert anchors.status_code == 200 and len(anchors.json()) == 2

        # an upload through the dashboard computes the new version's alerts too: D cuts its capital again
        v3 = [list(r) for r in V2]
        v3[2][4] = "100"
        body = write(tmp_path / "v3.csv", v3).read_bytes()
        upload = httpx.post(server.url + "/api/v1/imports", files={"file": ("v3.csv", body)}, data={"source": "名单"},
                            headers={"Authorization": f"Bearer {tokens['ana']}"}, timeout=60)
        assert upload.status_code == 202, upload.text
        job: dict[str, Any] = {}
        for _ in range(300):
            job = ana.get(server.url + f"/api/v1/imports/jobs/{upload.json()['job_id']}").json()
            if job["status"] in ("done", "failed"):
                break
            time.sleep(0.2)
        assert job["status"] == "done" and job["alerts"]["computed"] is True, job
        assert job["alerts"]["run"]["batch_before"] == 2 and job["alerts"]["run"]["by_kind"] == {"capital_reduced": 1}
        cuts = xh.get("/alerts", params={"kind": "capital_reduced"}).json()
        assert [(c["versions"]["before"]["batch_id"], c["detail"]["after"]) for c in cuts] == [(2, 100.0), (1, 400.0)]
    finally:
        clients.close()
        stop_server(server)


def test_the_demo_watch_lists(demo_home: Path, tmp_path: Path) -> None:
    import shutil

    from industry_brain._core.store import open_store
    from industry_brain.attract import list_alerts, load_demo_watch, watch_list

    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    with open_store(home / "industry_brain.duckdb") as store:
        assert load_demo_watch(store)["noop"] is True       # ib demo build loaded them; loading again adds nothing
        items = watch_list(store)
        assert len(items) == 33
        assert {w.district for w in items} == {XIHU, BINJIANG, "330110"}
        anchors = [w for w in items if w.kind == "anchor"]
        assert len(anchors) == 15 and all(w.unit == w.district for w in anchors)
        alerts = list_alerts(store, limit=1000)
        assert {a.district for a in alerts} == {XIHU, BINJIANG, "330110"}
        assert {a.kind for a in alerts} == {"removed_from_list", "cert_expiring"}
        assert len({(a.batch_before, a.batch_after) for a in alerts}) == 1     # one version pair: the demo's two lists
        for a in alerts:
            if a.kind == "cert_expiring":
                assert a.detail["cert_year"] == 2017 and a.detail["lapses_on"] == "2020-12-31" and a.row_after
            else:
                assert a.row_before and a.row_after is None
