"""The charts draw in Chromium with the partial plotly.js (app/plotlyjs/): the Explore line chart (scatter), the map
(choropleth, shapes from the local topojson), the ranking (bar) and the Chinese page (plotly-locale-zh.js registers
zh-CN with the bundle). The page links the bundle, never Dash's full plotly.min.js; console errors fail the test (the
``page`` fixture)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import translator
from app.plotly_bundle import NAMESPACE, why_full
from tests.browser.conftest import open_page, wait_for_figure, wait_until

pytestmark = [pytest.mark.browser]

_reason = why_full()
if _reason is not None:  # the live server (same environment, same files) serves Dash's full copy
    pytestmark.append(pytest.mark.skip(reason=f"the partial plotly.js bundle is not in use: {_reason}"))

BUNDLE_PATH = f"/_dash-component-suites/{NAMESPACE}/dist/plotly-custom.v"
FULL_PATH = "package_data/plotly.min.js"

PLOTLY_JS = """
() => ({
    version: window.Plotly && window.Plotly.version,
    scripts: Array.from(document.querySelectorAll('script[src]'), (s) => s.getAttribute('src')),
    traces: window.Plotly ? Object.keys(window.Plotly.PlotSchema.get().traces).sort() : [],
})
"""


@pytest.fixture
def requested(page) -> list[str]:
    """Every URL the page requests."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


def assert_custom_bundle(page, requested: list[str]) -> None:
    from plotly.offline import get_plotlyjs_version

    info = page.evaluate(PLOTLY_JS)
    ours = [s for s in info["scripts"] if s.startswith(BUNDLE_PATH) and s.endswith(".min.js")]
    assert len(ours) == 1, info["scripts"]
    assert not [s for s in info["scripts"] if FULL_PATH in s], info["scripts"]
    assert not [u for u in requested if FULL_PATH in u], "the full plotly.js was fetched"
    assert any(BUNDLE_PATH in u for u in requested)
    assert info["version"] == get_plotlyjs_version()
    assert info["traces"] == ["bar", "choropleth", "scatter"]


def test_explore_chart_draws_with_the_bundle(page, live_server, requested):
    open_page(page, live_server.url, "/explore?indicator=internet_users&group=LDC,SIDS&from=2000&to=2024")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some((t) => t.type === 'scatter' && t.y.length)")
    assert {tr["type"] for tr in fig["traces"]} == {"scatter"}
    wait_until(page, "() => document.querySelectorAll('#explore-graph .scatterlayer .trace path.js-line').length")
    assert_custom_bundle(page, requested)


def test_map_draws_with_the_bundle(page, live_server, requested):
    open_page(page, live_server.url, "/explore?tab=map")
    wait_until(
        page,
        "() => document.querySelectorAll('#explore-graph .choroplethlayer path.choroplethlocation').length > 100",
        timeout=20_000,
    )
    assert page.locator("#explore-graph .choroplethlayer path").count() > 100
    assert page.locator("#explore-graph .colorbar").count() == 1
    assert any("/assets/topojson/" in u for u in requested), "the shapes come from the local topojson"
    assert_custom_bundle(page, requested)


def test_ranking_bars_draw_with_the_bundle(page, live_server, requested):
    open_page(page, live_server.url, "/explore?group=LDC&tab=ranking")
    wait_for_figure(page, "explore-graph", "fig.traces.some((t) => t.type === 'bar')")
    wait_until(page, "() => document.querySelectorAll('#explore-graph .barlayer .point path').length > 10")
    assert_custom_bundle(page, requested)


def test_chinese_locale_registers_with_the_bundle(page, live_server, requested):
    zh = translator("zh")
    open_page(page, live_server.url, "/explore?lang=zh")
    expect(page.locator("h1")).to_have_text(zh("explore.heading"))
    wait_for_figure(page, "explore-graph")
    titles = wait_until(
        page,
        """() => {
            const t = Array.from(document.querySelectorAll('#explore-graph .modebar-btn'),
                                 (b) => b.getAttribute('data-title'));
            return t.length ? t : null;
        }""",
    )
    assert "将图表下载为PNG图片" in titles, titles  # "Download plot as a PNG", from app/assets/plotly-locale-zh.js
    assert "Download plot as a PNG" not in titles
    context_locale = page.evaluate("document.querySelector('#explore-graph .js-plotly-plot')._context.locale")
    assert context_locale == "zh-CN"
    assert_custom_bundle(page, requested)
