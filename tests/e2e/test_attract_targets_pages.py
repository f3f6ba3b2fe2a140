"""The attraction targets and the backtest in real headless Chromium on the demo."""

from __future__ import annotations

import pytest
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("demo_server")]


def test_the_targets_page_ranks_explains_and_switches(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/attract?district=330108")
    page.wait_for_selector("#opportunity-chart .main-svg")
    assert page.locator("#opportunity-chart .scatterlayer .point").count() == page.locator("#field-targets tbody tr").count()
    assert page.locator("#field-targets tbody tr").count() >= 5
    assert "街道/镇面板" in page.inner_text("#panel-text")
    first_why = page.inner_text("#field-targets tbody tr:first-child td:last-child")
    assert "关联密度" in first_why and "得分构成" in first_why
    assert page.locator("#segment-targets tbody tr").count() >= 1
    assert page.locator("#firm-targets tbody tr").count() >= 5
    assert "零和" in page.inner_text("#firm-targets") or "市外" in page.inner_text("#firm-targets")
    shot(page, "attract-targets")
    page.select_option("#district", "330110")
    page.select_option("#preset", "long_jumps")
    page.click("#target-form button[type=submit]")
    page.wait_for_selector("#opportunity-chart .main-svg")
    assert "district=330110" in page.url and "长跳" in page.inner_text("#basis")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "Attraction targets" in page.inner_text("h1") and "relatedness density" in page.inner_text("#field-targets")
    page.click("#lang-switch")
    assert page.outside == [] and page.console_errors == []


def test_the_backtest_page_draws_its_roc_curves(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/attract/backtest?as_of=2012&horizon=3&units=street")
    page.wait_for_selector("#roc-chart .main-svg")
    assert page.locator("#roc-chart .scatterlayer .trace").count() == 4
    assert page.locator("#metrics tbody tr").count() == 4
    assert "基线：随机" in page.inner_text("#metrics") and "ROC" in page.inner_text("#backtest-result")
    shot(page, "attract-backtest")
    page.fill("input[name=as_of]", "1990")
    page.click("#backtest-form button[type=submit]")
    page.wait_for_selector("#backtest-error")
    assert "as-of 1990" in page.inner_text("#backtest-error")
    assert page.outside == [] and page.console_errors == []


def test_an_officer_watches_a_target_firm_and_opens_a_project(browser, run_ib, ib_home, tmp_path,  # type: ignore[no-untyped-def]
                                                               servers) -> None:
    from tests.conftest import write_attract_register

    assert run_ib("registry", "import", write_attract_register(tmp_path / "名录.csv", late_entry=False)).returncode == 0
    assert run_ib("users", "add", "bj", "--role", "district_officer", "--district", "330108",
                  "--password", "officer-pw").returncode == 0
    server = servers.start(ib_home, demo=False)
    try:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(server.url + "/login")
        page.fill("input[name=username]", "bj")
        page.fill("input[name=password]", "officer-pw")
        page.click("button[type=submit]")
        page.wait_for_load_state()
        page.goto(server.url + "/attract")
        assert page.input_value("#district") == "330108"            # the officer's own district first
        first = page.locator("#firm-targets tbody tr").first
        uscc = first.get_attribute("data-uscc")
        first.locator("button.watch").click()
        page.wait_for_selector("#firm-targets tbody tr:first-child button.watch.done")
        watched = page.request.get(server.url + "/api/v1/attract/watch?district=330108")   # the session's own view
        assert watched.ok, watched.text()
        assert any(w["uscc"] == uscc and w["kind"] == "target" for w in watched.json()), watched.text()
        first.locator("a.button").click()
        page.wait_for_selector("#project-form")
        assert page.input_value("input[name=target_uscc]") == uscc
        assert page.input_value("select[name=district]") == "330108"
        assert page.input_value("select[name=field_code]") == "104"
        page.fill("input[name=name]", "滨江区引进通信技术企业")
        page.click("#project-form button[type=submit]")
        page.wait_for_load_state()
        assert "滨江区引进通信技术企业" in page.inner_text("main")
        assert errors == []
    finally:
        servers.stop(server)
