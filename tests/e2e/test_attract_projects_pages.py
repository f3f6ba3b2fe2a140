"""The project pipeline's pages in real headless Chromium over the demo register and the demo pipeline: a district
officer's kanban and table with the overdue action marked, the funnel, a new project moved through the form (a
move back refused without its reason), another district's project refused, both languages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import date, timedelta

import pytest
from tests.e2e.conftest import shot
from tests.unit.attract.test_projects import write_ledger

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("demo_server")]


def _ib(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run([sys.executable, "-m", "industry_brain", *args], env=env, capture_output=True, text=True,
                          check=True)
    return proc.stdout


def test_an_officer_works_its_pipeline(browser, demo_home, tmp_path, servers) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    env = {**os.environ, "IB_HOME": str(home)}
    _ib(env, "attract", "projects", "demo")
    _ib(env, "users", "add", "bj", "--role", "district_officer", "--district", "330108", "--password", "password-1")
    yuhang = json.loads(_ib(env, "attract", "projects", "list", "--district", "余杭区", "--json"))
    assert len(yuhang) == 3
    server = servers.start(home, demo=False)
    try:
        page = browser.new_context(viewport={"width": 1500, "height": 1000}, locale="zh-CN").new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "bj")
        page.fill("input[name=password]", "password-1")
        page.click("button[type=submit]")
        page.wait_for_load_state()

        page.goto(server.url + "/attract/projects")
        assert page.locator("#pj-board .pj-col").count() == 10           # eight stages and two outcomes
        assert page.locator(".pj-card").count() == 2                     # its own district's projects only
        late = page.locator(".pj-card.overdue")
        assert late.count() == 1 and "医疗影像" in late.inner_text() and "逾期" in late.inner_text()
        colours = page.eval_on_selector_all(".pj-card", "cs => cs.map(c => getComputedStyle(c).backgroundColor)")
        assert len(set(colours)) == 2                                     # the overdue card stands out
        assert "1 个" in page.inner_text("#overdue-count")
        assert page.locator("#funnel tbody tr").count() == 8
        assert page.inner_text("#funnel tbody tr:first-child td.reached") == "2"
        assert page.locator("#funnel tbody tr:first-child td.median").inner_text() != "–"
        shot(page, "attract-projects-kanban")

        page.click("#view-table")
        page.wait_for_selector("#pj-table")
        assert page.locator("#pj-table tbody tr").count() == 2
        assert page.locator("#pj-table tbody tr.overdue").count() == 1
        shot(page, "attract-projects-table")

        page.click("#new-project")
        page.wait_for_selector("#project-form")
        assert page.eval_on_selector_all("#project-form select[name=district] option", "o => o.map(x => x.value)") == ["330108"]
        page.fill("#project-form input[name=name]", "示例·浏览器新建项目")
        page.fill("#project-form input[name=investment_wan]", "6000")
        page.select_option("#project-form select[name=field_code]", "102")
        page.fill("#project-form input[name=next_action]", "报送用地方案")
        page.fill("#project-form input[name=next_action_on]", (date.today() - timedelta(days=3)).isoformat())
        page.click("#project-form button[type=submit]")
        page.wait_for_selector("#move-form")
        assert page.inner_text("#stage-now") == "线索"
        assert "已超过 3 天" in page.inner_text("#overdue-why")
        page.check("#move-form input[value=visit]")
        page.click("#move-form button[type=submit]")
        page.wait_for_selector("#history")
        assert page.inner_text("#stage-now") == "走访/接洽"
        assert page.locator("#history tbody tr").count() == 2
        assert page.locator("#move-form input[value=signed]").count() == 0   # only allowed moves are offered
        page.check("#move-form input[value=lead]")
        page.click("#move-form button[type=submit]")
        page.wait_for_load_state()
        assert "需要填写原因" in page.inner_text("body")                     # a move back needs its reason
        page.go_back()
        page.wait_for_selector("#move-form")
        page.check("#move-form input[value=lead]")
        page.fill("#move-form textarea[name=reason]", "企业投资意向变化，重新核实")
        page.click("#move-form button[type=submit]")
        page.wait_for_selector("#history")
        assert page.inner_text("#stage-now") == "线索"
        last = page.locator("#history tbody tr").last.inner_text()
        assert "退回" in last and "重新核实" in last and "bj" in last
        shot(page, "attract-project-detail")
        page.click("#edit-project")
        page.wait_for_selector("#project-form")
        page.fill("#project-form input[name=next_action_on]", (date.today() + timedelta(days=7)).isoformat())
        page.fill("#project-form input[name=reason]", "企业约定下周来访")
        page.click("#project-form button[type=submit]")
        page.wait_for_selector("#history")
        assert page.locator("#overdue-why").count() == 0
        edited = page.locator("#history tbody tr").last.inner_text()
        assert "修改" in edited and "计划完成时间" in edited and "企业约定下周来访" in edited

        page.goto(server.url + "/attract/projects")
        assert page.inner_text("#funnel tbody tr:first-child td.reached") == "3"
        assert page.locator(".pj-card").count() == 3
        assert page.locator(".pj-card.overdue").count() == 1               # its next action is due next week now

        ledger = write_ledger(tmp_path / "滨江区招商项目台账.xlsx", [
            ["示例·台账导入项目", "滨江区", "示例光电有限公司", "", "2000", "102", "洽谈", "bj", "", "", ""],
            ["示例·越界项目", "西湖区", "", "", "", "", "线索", "", "", "", ""]])
        for expected in ("新建 1", "未做任何更改"):
            page.goto(server.url + "/attract/projects")
            page.set_input_files("#pj-import input[type=file]", str(ledger))
            page.click("#pj-import button[type=submit]")
            page.wait_for_selector("#import-summary")
            assert expected in page.inner_text("#import-summary")
            if expected == "新建 1":
                assert "district_not_allowed" in page.inner_text("#problems") and "第5行：所属区县 '西湖区' 不在本账户负责的区县（滨江区）内" in page.inner_text("#problems")
                shot(page, "attract-projects-import")

        page.goto(server.url + f"/attract/projects/{yuhang[0]['project_id']}")
        assert "无权查看 余杭区 的项目" in page.inner_text("main")

        page.goto(server.url + "/attract/projects?lang=en")
        assert "Kanban" in page.inner_text("#view-switch") and "Funnel" in page.inner_text("#funnel h2")
        assert "Lead" in page.inner_text("#pj-board") and "Overdue" in page.inner_text(".pj-card.overdue >> nth=0")
        shot(page, "attract-projects-en")
        page.goto(server.url + "/attract/projects?lang=zh-CN")
        page.locator(".pj-card", has_text="视觉芯片").click()
        page.wait_for_selector("#project")
        page.click("#target-portrait")                   # the target is a firm of the demo register
        page.wait_for_load_state()
        assert "/enterprises/" in page.url and page.locator("h1").count() >= 1
        assert [e for e in errors if "status of 422" not in e and "status of 403" not in e] == []  # only the two refusals
        page.context.close()
    finally:
        servers.stop(server)
