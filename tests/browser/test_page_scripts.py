"""Each page fetches only the scripts it renders (app/page_scripts.py, app/plotly_bundle.py), in real Chromium: a
page without a chart fetches no plotly.js, no page the polyfill, and no page Mantine (the form controls are the
app's own, app/controls.py and app/assets/controls.js); every page loads the same scripts, so a click on the
navigation moves in place (Dash's in-page navigation, the same document) and the next page's controls work; console
errors fail (the ``page`` fixture)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import html_lang, translator
from tests.browser.conftest import open_page, wait_for_figure, wait_until

pytestmark = [pytest.mark.browser]

MANTINE = "/_dash-component-suites/dash_mantine_components/"
CONTROLS = "/assets/controls.js"
PLOTLY = ("plotly-custom", "plotly.min.js")
POLYFILL = "/dash/deps/polyfill@"


@pytest.fixture
def requested(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


def lang_url(path: str, lang: str) -> str:
    return path if lang == "en" else path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("path", ["/about", "/about?lang=zh", "/country"])
def test_a_page_without_charts_fetches_no_plotly_and_no_polyfill(page, live_server, requested, path):
    open_page(page, live_server.url, path)
    page.wait_for_timeout(300)
    assert not [u for u in requested if any(p in u for p in PLOTLY)], "plotly.js was fetched"
    assert not [u for u in requested if POLYFILL in u]
    assert page.evaluate("typeof window.regeneratorRuntime") == "object"  # Dash's async components need it
    for name in ("/_dash-layout", "/_dash-dependencies"):  # preloaded with the page, and that answer used
        assert len([u for u in requested if u.endswith(name)]) == 1, name


@pytest.mark.parametrize("path", ["/", "/explore", "/gender", "/country/NPL", "/about", "/country"])
def test_no_page_fetches_mantine_and_every_page_has_the_apps_controls(page, live_server, requested, path):
    open_page(page, live_server.url, path)
    page.wait_for_timeout(300)
    assert not [u for u in requested if MANTINE in u], "Mantine was fetched"
    assert not page.evaluate("() => [...document.scripts].some(s => s.src.includes('dash_mantine_components'))")
    assert [u for u in requested if CONTROLS in u], "app/assets/controls.js was not loaded"
    assert page.evaluate("() => Object.keys(window.app_controls || {}).sort()") == [
        "MultiSelect",
        "Segmented",
        "Select",
        "Switch",
        "Tabs",
    ]
    assert page.locator('meta[name="page-scripts"]').count() == 0  # no page is "partial" any more


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_from_about_the_navigation_moves_to_explore_in_place_and_its_controls_work(page, live_server, requested, lang):
    t = translator(lang)
    open_page(page, live_server.url, lang_url("/about", lang))
    page.evaluate("window.__same_document = 1")
    page.locator("header nav a", has_text=t("nav.explore")).click()
    page.wait_for_url("**/explore**")
    expect(page.locator("main h1").first).to_have_text(t("explore.heading"))
    fig = wait_for_figure(page, "explore-graph", timeout=60_000)
    assert page.evaluate("window.__same_document") == 1, "the move to /explore loaded a new document"
    assert page.evaluate("document.documentElement.lang") == html_lang(lang)
    assert [u for u in requested if any(p in u for p in PLOTLY)], "plotly.js was not loaded for the chart"
    assert not [u for u in requested if MANTINE in u], "Mantine was fetched"

    # the controls Dash drew in place work: a select, the group picker, the tabs
    page.select_option("#explore-indicator", "households_internet")
    title = fig["layout"]["title"]
    fig = wait_for_figure(page, "explore-graph", f"fig.layout.title !== {title!r}")
    wait_until(page, "() => new URLSearchParams(location.search).get('indicator') === 'households_internet'")
    groups = page.evaluate("new URLSearchParams(location.search).get('group')").split(",")
    picker = page.locator("#explore-groups")
    picker.click()
    picker.press("Enter")  # the first group not chosen yet
    wait_until(
        page,
        "(n) => (new URLSearchParams(location.search).get('group') || '').split(',').length === n",
        len(groups) + 1,
    )
    expect(page.locator("#explore-groups").locator("xpath=..").locator(".ctl-pill")).to_have_count(len(groups) + 1)
    page.locator("#explore-tabs-tab-map").click()
    wait_until(page, "() => new URLSearchParams(location.search).get('tab') === 'map'")
    wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.type === 'choropleth')", timeout=30_000)
    assert page.evaluate("window.__same_document") == 1, "a control reloaded the page"
    assert page.evaluate("new URLSearchParams(location.search).get('lang')") == lang


def test_a_page_with_controls_moves_in_place(page, live_server):
    t = translator("en")
    open_page(page, live_server.url, "/explore")
    page.evaluate("window.__same_document = 1")
    page.locator("header nav a", has_text=t("nav.gender")).click()
    page.wait_for_url("**/gender**")
    expect(page.locator("main h1").first).to_have_text(t("gender.heading"))
    wait_for_figure(page, "gender-parity-graph", timeout=60_000)
    assert page.evaluate("window.__same_document") == 1  # Dash's in-page navigation
