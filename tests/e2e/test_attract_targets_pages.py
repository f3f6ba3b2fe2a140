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
