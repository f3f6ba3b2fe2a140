"""End-to-end in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("demo_server")]

from tests.e2e.conftest import shot  # noqa: E402


def test_map_renders_all_units_and_clicking_binjiang_shows_its_blurb(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/")
    page.wait_for_selector("path.unit")
    codes = page.eval_on_selector_all("path.unit", "ps => [...new Set(ps.map(p => p.dataset.code))]")
    assert len(codes) == 14
    assert "示意图" in page.inner_text("#map-note") and "2019" in page.inner_text("#map-note")
    page.locator('path.unit[data-code="330108"]').first.click(force=True)
    page.wait_for_selector("#panel-blurb")
    assert page.inner_text("#panel-title") == "滨江区"
    blurb = page.inner_text("#panel-blurb")
    assert "电子信息" in blurb and "第一位" in blurb
    shot(page, "home-binjiang")
    page.click('.vintage-switch button[data-vintage="2021"]')
    page.wait_for_function("new Set([...document.querySelectorAll('path.unit')].map(p => p.dataset.code)).size === 13")
    assert "2021" in page.inner_text("#map-note")
    page.select_option("#layer", "field:20")
    page.wait_for_function("document.getElementById('map-title').textContent.includes('生物与新医药')")
    shot(page, "home-2021-biomed")
    assert page.outside == [] and page.console_errors == []


def test_language_switch(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/units/330108")
    assert page.inner_text("h1").startswith("滨江区")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert page.inner_text("h1").startswith("Binjiang")
    assert page.get_attribute("html", "lang") == "en"
    assert "Electronic" in page.inner_text("#blurb")
    # the chart's field names (long in English) stay whole inside the chart
    page.wait_for_selector("#chart .ytick text")
    clipped = page.evaluate(
        """() => { const box = document.getElementById('chart').getBoundingClientRect();
                   return [...document.querySelectorAll('#chart .ytick text')]
                     .filter(t => t.getBoundingClientRect().left < box.left).map(t => t.textContent); }"""
    )
    names = page.eval_on_selector_all("#chart .ytick text", "ts => ts.map(t => t.textContent)")
    assert clipped == [] and any("manufacturing" in n for n in names), (clipped, names)
    shot(page, "unit-binjiang-en")
    page.goto(demo_server.url + "/fields/10")  # the choice is remembered
    assert page.get_attribute("html", "lang") == "en"
    page.click("#lang-switch")
    assert page.get_attribute("html", "lang") == "zh-CN"
    assert page.outside == []


def test_pages_make_no_request_outside_loopback(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    for path in ("/", "/units", "/fields/10", "/enterprises?q=hz", "/published", "/reconstruction", "/api/docs"):
        page.goto(demo_server.url + path)
        page.wait_for_load_state("networkidle")
        shot(page, "page" + re.sub(r"[^a-z0-9]+", "-", path))
    assert page.outside == [], page.outside
    assert page.console_errors == [], page.console_errors


def test_enterprise_portrait_from_search(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/enterprises?unit=330108")
    first = page.locator("table.enterprises a").first
    name = first.inner_text()
    first.click()
    page.wait_for_load_state()
    assert name in page.inner_text("h1")
    assert page.locator("#geo").inner_text().count("滨江") >= 1
    shot(page, "portrait")


def test_uploading_a_broken_file_shows_its_errors(page, demo_home, tmp_path, servers) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    subprocess.run([sys.executable, "-m", "industry_brain", "users", "add", "ana", "--role", "analyst", "--password",
                    "analyst-pw"], env={**os.environ, "IB_HOME": str(home)}, check=True, capture_output=True)
    server = servers.start(home, demo=False)
    try:
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "ana")
        page.fill("input[name=password]", "analyst-pw")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(server.url + "/import")
        broken = tmp_path / "名录.csv"
        broken.write_text("企业名称,统一社会信用代码,注册地址\n杭州甲有限公司,ABC,杭州市滨江区\n", encoding="utf-8")
        page.set_input_files("#file", str(broken))
        page.click("#upload")
        page.wait_for_selector("#import-done, #import-error", timeout=60000)
        shot(page, "import-broken")
        report = page.inner_text("#job-report")
        assert "1" in page.inner_text("#import-summary") and "uscc" in report
        page.click("#report-link")
        page.wait_for_selector("#quarantine")
        assert "ABC" in page.inner_text("#quarantine")
        shot(page, "import-report")
        assert page.outside == []
    finally:
        servers.stop(server)
