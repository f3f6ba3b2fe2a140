"""The project pipeline as users meet it: the real CLI in a subprocess and the real app over HTTP on a real DuckDB
file — an illegal move refused with its message, a ledger imported with its bad rows quarantined and re-imported as
a no-op, the export read back, and district officers kept to their own districts."""

from __future__ import annotations

import io
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from tests.conftest import start_server, stop_server
from tests.unit.attract.test_projects import BAD, FIRM, GOOD, write_ledger

pytestmark = pytest.mark.slow


def _rows(res: Any) -> list[tuple[Any, ...]]:
    keys = ("name", "district", "stage", "target_uscc", "investment_wan", "field_code", "owner", "next_action",
            "next_action_on", "notes")
    return sorted(tuple(p[k] for k in keys) for p in res.json())


def test_the_pipeline_from_the_command_line(run_ib: Any, tmp_path: Path) -> None:
    stages = run_ib("attract", "projects", "stages")
    assert stages.returncode == 0 and "线索" in stages.stdout and "签约 → 建设" in stages.stdout, stages.stderr
    added = run_ib("attract", "projects", "add", "示例·芯片封装项目", "--district", "西湖区", "--investment", "3亿",
                   "--field", "102", "--uscc", FIRM, "--by", "xh", "--json")
    assert added.returncode == 0, added.stderr
    pid = str(added.json()["project_id"])
    for to in ("走访", "洽谈", "政策商议", "签约"):
        assert run_ib("attract", "projects", "move", pid, to, "--by", "xh").returncode == 0
    refused = run_ib("attract", "projects", "move", pid, "投产")
    assert refused.returncode == 2
    assert "不能从「签约」直接到「投产」" in refused.stderr and "推进到「注册」" in refused.stderr, refused.stderr
    refused_en = run_ib("--lang", "en", "attract", "projects", "move", pid, "production", "--json")
    assert refused_en.json()["error"]["code"] == "conflict"
    assert "'Signed' → 'In production' is not allowed" in refused_en.json()["error"]["message"]
    no_reason = run_ib("attract", "projects", "move", pid, "终止")
    assert no_reason.returncode == 2 and "需要填写原因" in no_reason.stderr
    assert run_ib("attract", "projects", "move", pid, "建设", "--by", "xh").returncode == 0   # the configured skip
    shown = run_ib("attract", "projects", "show", pid, "--json").json()
    assert [(e["from_stage"], e["to_stage"], e["actor"]) for e in shown["history"]][-1] == ("signed", "construction", "xh")
    assert shown["history"][-1]["move"] == "skip" and shown["allowed_moves"][0]["to"] == "production"
    text = run_ib("attract", "projects", "show", pid)
    assert "跳过: 签约 → 建设" in text.stdout, text.stdout
    bad_edit = run_ib("attract", "projects", "edit", pid, "--uscc", "91330106DM00000130")
    assert bad_edit.returncode == 2 and "91330106DM00000130" in bad_edit.stderr

    ledger = write_ledger(tmp_path / "西湖区台账.xlsx", GOOD + BAD)
    imported = run_ib("attract", "projects", "import", ledger, "--by", "xh")
    assert imported.returncode == 0, imported.stderr
    assert "新建 3" in imported.stdout and "隔离 4" in imported.stdout and "district_unknown" in imported.stdout
    assert "第7行" in imported.stdout and "火星区" in imported.stdout, imported.stdout
    again = run_ib("attract", "projects", "import", ledger, "--json")
    assert again.json()["noop"] is True
    assert "未做任何更改" in run_ib("attract", "projects", "import", ledger).stdout
    listed = run_ib("attract", "projects", "list", "--json")
    assert len(listed.json()) == 4
    assert [p["name"] for p in run_ib("attract", "projects", "list", "--stage", "洽谈", "--json").json()] == ["示例·视觉芯片项目"]
    overdue = run_ib("attract", "projects", "list", "--overdue", "--json").json()
    assert {p["name"] for p in overdue} == {"示例·视觉芯片项目"} and overdue[0]["overdue_why"]
    funnel = run_ib("attract", "projects", "funnel", "--json").json()
    assert funnel["projects"] == 4 and funnel["stages"][0]["reached"] == 4

    for name in ("out.xlsx", "out.csv"):
        out = tmp_path / name
        assert run_ib("attract", "projects", "export", out, "--json").json()["rows"] == 4
        other = tmp_path / f"other-{name}"
        res = run_ib("attract", "projects", "import", out, "--json", env={"IB_HOME": str(other)})
        assert res.returncode == 0 and res.json()["created"] == 4 and res.json()["quarantined"] == 0, res.stdout
        back = run_ib("attract", "projects", "list", "--json", env={"IB_HOME": str(other)})
        assert _rows(back) == _rows(listed)


def test_the_pipeline_over_http(run_ib: Any, ib_home: Path, tmp_path: Path) -> None:
    for args in (("ana", "--role", "analyst"), ("xh", "--role", "district_officer", "--district", "330106"),
                 ("bj", "--role", "district_officer", "--district", "330108")):
        assert run_ib("users", "add", *args, "--password", "password-1").returncode == 0
    tokens = {u: run_ib("users", "token", u, "--json").json()["token"] for u in ("ana", "xh", "bj")}
    server = start_server(ib_home, demo=False)
    clients = ExitStack()
    try:
        def client(user: str | None) -> httpx.Client:
            headers = {"Authorization": f"Bearer {tokens[user]}"} if user else {}
            return clients.enter_context(httpx.Client(base_url=server.url, timeout=60, headers=headers))

        xh, bj, ana, public = client("xh"), client("bj"), client("ana"), client(None)
        base = "/api/v1/attract/projects"
        made = xh.post(base, json={"name": "示例·西湖项目", "district": "西湖区", "investment_wan": 5000,
                                   "field_code": "102", "next_action": "走访", "next_action_on": "2020-01-02"})
        assert made.status_code == 201, made.text
        own = made.json()["project"]["project_id"]
        other = bj.post(base, json={"name": "示例·滨江项目", "district": "330108", "stage": "洽谈"}).json()
        theirs = other["project"]["project_id"]
        assert other["project"]["stage"] == "negotiation"
        assert xh.post(base, json={"name": "示例·越界", "district": "330108"}).status_code == 403
        bad = xh.post(base, json={"name": "示例·错区", "district": "月球区"})
        assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_input"
        assert "月球区" in bad.json()["error"]["message"]

        denied = xh.get(f"{base}/{theirs}")
        assert denied.status_code == 403 and denied.json()["error"]["code"] == "permission_denied"
        assert xh.post(f"{base}/{theirs}/moves", json={"to": "policy"}).status_code == 403
        assert [p["project_id"] for p in xh.get(base).json()] == [own]
        assert {p["project_id"] for p in ana.get(base).json()} == {own, theirs}
        assert public.get(base).status_code == 403 and public.get(f"{base}/{own}").status_code == 403
        assert ana.post(f"{base}/{own}/moves", json={"to": "visit"}).status_code == 403

        illegal = xh.post(f"{base}/{own}/moves", json={"to": "签约"})
        assert illegal.status_code == 409
        err = illegal.json()["error"]
        assert err["code"] == "conflict" and "「线索」" in err["message"] and "「签约」" in err["message"]
        assert err["details"]["allowed"][0] == "visit"
        en = xh.post(f"{base}/{own}/moves?lang=en", json={"to": "signed"}).json()["error"]["message"]
        assert "'Lead' → 'Signed' is not allowed" in en
        moved = xh.post(f"{base}/{own}/moves", json={"to": "走访"})
        assert moved.status_code == 201 and moved.json()["project"]["stage"] == "visit"
        edited = xh.patch(f"{base}/{own}", json={"owner": "xh", "reason": "指定负责人"})
        assert edited.status_code == 200 and edited.json()["history"][-1]["changes"] == {"owner": [None, "xh"]}
        assert xh.get(base, params={"overdue": "true"}).json()[0]["project_id"] == own
        assert xh.get(f"{base}/funnel").json()["projects"] == 1
        assert ana.get(f"{base}/funnel").json()["projects"] == 2
        assert len(ana.get(f"{base}/stages").json()["stages"]) == 8

        ledger = write_ledger(tmp_path / "台账.xlsx", GOOD + BAD)
        with ledger.open("rb") as fh:
            up = xh.post(f"{base}/import", files={"file": ("台账.xlsx", fh.read())})
        assert up.status_code == 201, up.text
        assert (up.json()["created"], up.json()["quarantined"]) == (3, 4)
        with ledger.open("rb") as fh:
            assert xh.post(f"{base}/import", files={"file": ("台账.xlsx", fh.read())}).json()["noop"] is True
        assert ana.post(f"{base}/import", files={"file": ("台账.xlsx", b"x")}).status_code == 403

        exported = xh.get(f"{base}/export", params={"format": "xlsx"})
        assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
        ws = openpyxl.load_workbook(io.BytesIO(exported.content)).active
        assert ws is not None
        table = list(ws.iter_rows(values_only=True))
        assert table[0][:3] == ("项目名称", "所属区县", "目标企业") and len(table) == 5   # its own district only
        assert "示例·滨江项目" not in {r[0] for r in table}
        assert xh.get(f"{base}/export", params={"format": "csv"}).content.startswith("\ufeff项目名称".encode())

        page = xh.get("/attract/projects")
        assert page.status_code == 200 and "示例·西湖项目" in page.text and "示例·滨江项目" not in page.text
        assert 'id="funnel"' in page.text and "pj-card overdue" in page.text
        table_page = xh.get("/attract/projects", params={"view": "table"})
        assert 'id="pj-table"' in table_page.text and 'class="overdue"' in table_page.text
        detail = xh.get(f"/attract/projects/{own}")
        assert detail.status_code == 200 and 'id="move-form"' in detail.text and 'name="csrf_token"' in detail.text
        assert xh.get(f"/attract/projects/{theirs}").status_code == 403
        ana_detail = ana.get(f"/attract/projects/{own}")
        assert ana_detail.status_code == 200 and 'id="move-form"' not in ana_detail.text
        assert public.get("/attract/projects", headers={"accept": "text/html"}, follow_redirects=False).status_code == 303
        assert "/api/v1/attract/projects/{project_id}/moves" in httpx.get(server.url + "/openapi.json").json()["paths"]
    finally:
        clients.close()
        stop_server(server)


def test_the_demo_refuses_writes(run_ib: Any, ib_home: Path) -> None:
    assert run_ib("attract", "projects", "add", "示例·演示项目", "--district", "330106").returncode == 0
    server = start_server(ib_home, demo=True)
    try:
        with httpx.Client(base_url=server.url, timeout=60) as viewer:
            assert viewer.get("/api/v1/attract/projects").json()[0]["name"] == "示例·演示项目"
            refused = viewer.post("/api/v1/attract/projects/1/moves", json={"to": "visit"})
            assert refused.status_code == 403 and "read-only" in refused.json()["error"]["message"]
            page = viewer.get("/attract/projects/1")
            assert page.status_code == 200 and 'id="move-form"' not in page.text and "new-project" not in page.text
    finally:
        stop_server(server)
