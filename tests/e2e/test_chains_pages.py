"""The chain command view and the peer-city benchmark in real headless Chromium on the demo."""

from __future__ import annotations

import pytest
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("demo_server")]


def test_a_chain_diagram_a_segment_and_the_district_filter(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/chains")
    assert page.locator("#chains tbody tr").count() == 8
    page.click("#chains a[href='/chains/life_health']")
    page.wait_for_selector("#diagram")
    stages = page.eval_on_selector_all(".chain-diagram .stage", "s => s.map(x => x.dataset.stage)")
    assert stages == ["upstream", "midstream", "downstream"]
    page.click('button.segment[data-segment="devices"]')
    page.wait_for_selector("#segment-firms tbody tr")
    assert "医疗器械" in page.inner_text("#segment-title")
    assert page.locator("#segment-anchors li").count() >= 1 and page.locator("#segment-policies li").count() >= 1
    shot(page, "chain-life-health")
    page.select_option("#district", "330110")
    page.click("form.searchbar button[type=submit]")
    page.wait_for_selector("#diagram[data-district='330110']")
    assert "余杭" in page.inner_text("h1")
    page.goto(demo_server.url + "/chains/vr")
    assert "verdict-missing" in (page.get_attribute('button.segment[data-segment="components"]', "class") or "")
    page.click("#lang-switch")
    page.wait_for_load_state()
    assert "missing" in page.inner_text("#gap-table")
    page.click("#lang-switch")
    assert page.outside == [] and page.console_errors == []


def test_the_peer_benchmark_chart_draws(page, demo_server) -> None:  # type: ignore[no-untyped-def]
    page.goto(demo_server.url + "/chains/peers")
    page.wait_for_selector("#peer-chart .main-svg")
    assert page.locator("#peer-chart .scatterlayer .trace").count() >= 10
    assert "不及北京的20%" in page.inner_text("#peer-table")
    shot(page, "chains-peers")
    assert page.outside == [] and page.console_errors == []
