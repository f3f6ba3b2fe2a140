"""The innovation-service platform's pages in real headless Chromium: the read-only demo, then a firm that posts a
need, chooses a provider and rates it, and a provider that edits its own record — each through the forms."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("demo_server")]

FIRM = "91330106DM00000139"


def test_demo_directory_match_and_profile(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/services/providers")
    assert "180" in page.inner_text("#provider-count")
    page.select_option("select[name=kind]", "testing")
    page.click("form.searchbar button[type=submit]")
    page.wait_for_load_state()
    assert "20" in page.inner_text("#provider-count")
    shot(page, "services-providers")
    page.goto(demo_server.url + "/services")
    page.locator("#needs tbody a").first.click()
    page.wait_for_selector("#matches li.match")
    assert len(page.locator("#matches li.match").all()) == 10
    assert "文本相关度" in page.inner_text("#matches li.match >> nth=0")
    bars = page.eval_on_selector_all("#matches li.match:first-child .bar .seg", "s => s.map(x => x.getBoundingClientRect().width)")
    assert len(bars) == 7 and sum(bars) > 0        # one bar per component (services COMPONENTS)
    assert page.locator("form.engage").count() == 0          # the demo is read-only
    shot(page, "services-match")
    page.locator("#matches li.match a").first.click()
    page.wait_for_selector("#credit")
    assert "贝叶斯" in page.inner_text("#rating") and page.inner_text("#credit .grade")[0] in "ABCD"
    shot(page, "services-provider")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "Bayesian" in page.inner_text("#rating")
    page.click("#lang-switch")
    assert page.outside == [] and page.console_errors == []


def _login(page, url: str, user: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def test_a_firm_posts_chooses_and_rates_and_a_provider_edits_its_record(  # type: ignore[no-untyped-def]
        browser, demo_home, tmp_path, servers) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo_home, home)
    env = {**os.environ, "IB_HOME": str(home)}
    for args in (("acme", "--role", "enterprise", "--subject", FIRM), ("lab", "--role", "provider", "--subject", "P012")):
        subprocess.run([sys.executable, "-m", "industry_brain", "users", "add", *args, "--password", "password-1"],
                       env=env, check=True, capture_output=True)
    server = servers.start(home, demo=False)
    try:
        firm = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
        _login(firm, server.url, "acme", "password-1")
        firm.goto(server.url + "/services")
        assert "91330106DM00000139" in firm.inner_text("#own-note")
        assert firm.locator("#needs tbody tr").count() == 0       # the demo's needs belong to no firm of its own
        firm.fill("#need-form input[name=text]", "我们的医疗器械要做生物相容性和细胞毒性检测，准备注册检验")
        firm.select_option("#need-form select[name=field]", "205")
        firm.fill("#need-form input[name=budget_wan]", "12")
        firm.click("#need-form button[type=submit]")
        firm.wait_for_selector("#matches li.match")
        first = firm.locator("#matches li.match").first
        assert "检测" in first.inner_text()
        first.locator("form.engage button").click()
        firm.wait_for_selector("form.rating-form")
        firm.select_option("form.rating-form select[name=timeliness]", "3")
        firm.fill("form.rating-form input[name=comment]", "报告出得快")
        shot(firm, "services-rate")
        firm.click("form.rating-form button[type=submit]")
        firm.wait_for_selector("#engagements .rated")
        assert "acme" in firm.inner_text("#engagements .rated") and firm.locator("form.rating-form").count() == 0
        shot(firm, "services-rated")
        firm.goto(server.url + "/services/needs/N001")             # another firm's need
        assert "403" in firm.inner_text("body") or "only for its own" in firm.inner_text("body")
        firm.context.close()

        lab = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
        _login(lab, server.url, "lab", "password-1")
        lab.goto(server.url + "/services/providers/P013")
        assert lab.locator("#edit-provider").count() == 0
        lab.goto(server.url + "/services/providers/P012")
        lab.click("#edit-provider")
        lab.wait_for_selector("#provider-form")
        lab.fill("#provider-form input[name=price]", "首次咨询免费")
        lab.fill("#provider-form input[name=fields]", "204;火星学")
        lab.click("#provider-form button[type=submit]")
        lab.wait_for_load_state()
        assert "服务领域" in lab.inner_text("body") and "火星学" in lab.inner_text("body")   # refused, field named
        lab.goto(server.url + "/services/providers/P012/edit")
        assert "首次咨询免费" not in lab.input_value("#provider-form input[name=price]")   # nothing was half-saved
        lab.fill("#provider-form input[name=price]", "首次咨询免费")
        lab.fill("#provider-form input[name=capacity]", "25")
        shot(lab, "services-provider-edit")
        lab.click("#provider-form button[type=submit]")
        lab.wait_for_selector("#credit")
        assert "首次咨询免费" in lab.inner_text("main") and "25" in lab.inner_text("main")
        assert lab.locator("#fits li").count() > 0                # its own fits are shown to it
        lab.context.close()
    finally:
        servers.stop(server)
