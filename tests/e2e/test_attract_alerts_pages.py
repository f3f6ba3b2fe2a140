"""The alert inbox in real headless Chromium: a district officer reads its district's alerts in Chinese and in
English, marks one read, and adds a firm to its watch list through the form; another district's inbox is refused."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.e2e.conftest import shot
from tests.integration.test_attract_alerts import BINJIANG, XIHU, E, setup_register

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SCREENSHOT = Path("/tmp/attract-alerts-inbox.png")


def _login(page: Any, url: str, user: str, password: str) -> None:
    page.goto(url + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_officer_reads_marks_and_watches(browser: Any, run_ib: Any, ib_home: Path, tmp_path: Path,
                                         servers: Any) -> None:
    setup_register(run_ib, tmp_path)
    env = {**os.environ, "IB_HOME": str(ib_home)}
    subprocess.run([sys.executable, "-m", "industry_brain", "users", "add", "xh", "--role", "district_officer",
                    "--district", XIHU, "--password", "password-1"], env=env, check=True, capture_output=True)
    server = servers.start(ib_home, demo=False)
    try:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        _login(page, server.url, "xh", "password-1")
        page.goto(server.url + "/attract/alerts")
        items = page.locator("#al-inbox li.al-item")
        assert items.count() == 7                                   # 西湖区's seven; 滨江区's one is not shown
        assert "共 7 条，未读 7 条" in page.inner_text("#al-counts")
        cut = page.locator("li.al-item[data-kind=capital_reduced]")
        assert "注册资本减少" in cut.inner_text() and "减少 60.0%" in cut.inner_text()
        assert "批次 1 第 5 行" in cut.inner_text() and "批次 2 第 4 行" in cut.inner_text()
        assert cut.locator("a.al-firm").get_attribute("href", timeout=2000).startswith("/enterprises/")
        assert page.locator("#watch-table tbody tr").count() == 5
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        shot(page, "attract-alerts")

        # mark read: the card fades, the counter drops, the unread filter leaves it out
        cut.locator("form.al-mark button").click()
        page.wait_for_load_state()
        cut = page.locator("li.al-item[data-kind=capital_reduced]")
        assert "al-read" in (cut.get_attribute("class") or "") and "标为未读" in cut.inner_text()
        assert "未读 6 条" in page.inner_text("#al-counts")
        page.check("#al-filter input[name=unread]")
        page.click("#al-filter button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#al-inbox li.al-item").count() == 6
        assert page.locator("li.al-item[data-kind=capital_reduced]").count() == 0

        # filter by kind
        page.goto(server.url + "/attract/alerts")
        page.select_option("#al-filter select[name=kind]", "moved_out")
        page.click("#al-filter button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("#al-inbox li.al-item").count() == 1
        assert "西湖区" in page.inner_text("#al-inbox") and "滨江区" in page.inner_text("#al-inbox")

        # add a watched firm through the form
        page.goto(server.url + "/attract/alerts")
        page.fill("#watch-form input[name=uscc]", E)
        page.select_option("#watch-form select[name=kind]", "anchor")
        page.fill("#watch-form input[name=note]", "重点走访")
        page.click("#watch-form button[type=submit]")
        page.wait_for_load_state()
        row = page.locator(f"#watch-table tr[data-uscc='{E}']")
        assert row.count() == 1 and "重点走访" in row.inner_text() and "本区龙头企业" in row.inner_text()
        assert "杭州己网络软件有限公司" in row.inner_text()

        # English, one switch away
        page.click("#lang-switch")
        page.wait_for_load_state()
        assert "6 unread" in page.inner_text("#al-counts")
        moved = page.locator("li.al-item[data-kind=moved_out]")
        assert "map unit changed from Xihu to Binjiang" in moved.inner_text()
        assert "Mark read" in moved.inner_text()
        shot(page, "attract-alerts-en")
        page.click("#lang-switch")
        page.wait_for_load_state()

        assert errors == []

        # another district's inbox is refused
        refused = page.goto(server.url + f"/attract/alerts?district={BINJIANG}")
        assert refused is not None and refused.status == 403
    finally:
        servers.stop(server)
