"""Each page fetches only the scripts it renders (app/page_scripts.py, app/plotly_bundle.py), in real Chromium: a
page without a chart fetches no plotly.js, a page without a Mantine control no Mantine, no page the polyfill; from
such a page a click on the navigation is a full page load that draws the next page's chart; console errors fail
(the ``page`` fixture)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import translator
from tests.browser.conftest import open_page, wait_until

pytestmark = [pytest.mark.browser]

MANTINE = "/_dash-component-suites/dash_mantine_components/"
PLOTLY = ("plotly-custom", "plotly.min.js")
POLYFILL = "/dash/deps/polyfill@"


@pytest.fixture
def requested(page) -> list[str]:
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    return urls


@pytest.mark.parametrize("path", ["/about", "/about?lang=zh", "/country"])
def test_a_page_without_charts_or_controls_fetches_neither_plotly_nor_mantine(page, live_server, requested, path):
    open_page(page, live_server.url, path)
    page.wait_for_timeout(300)
    assert not [u for u in requested if any(p in u for p in PLOTLY)], "plotly.js was fetched"
    assert not [u for u in requested if MANTINE in u], "Mantine was fetched"
    assert not [u for u in requested if POLYFILL in u]
    assert page.evaluate("typeof window.regeneratorRuntime") == "object"  # Dash's async components need it
    for name in ("/_dash-layout", "/_dash-dependencies"):  # preloaded with the page, and that answer used
        assert len([u for u in requested if u.endswith(name)]) == 1, name


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_from_a_light_page_the_navigation_loads_the_next_page_in_full(page, live_server, requested, lang):
    t = translator(lang)
    open_page(page, live_server.url, "/about" + ("?lang=zh" if lang == "zh" else ""))
    page.evaluate("window.__same_document = true")
    page.locator("header nav a", has_text=t("nav.explore")).click()
    page.wait_for_url("**/explore**")
    page.wait_for_selector("html.fp-live", state="attached", timeout=60_000)
    expect(page.locator("main h1").first).to_have_text(t("explore.heading"))
    wait_until(page, "() => !!document.querySelector('#explore-graph .main-svg')", timeout=60_000)
    assert page.evaluate("window.__same_document === undefined")  # a new document: it loaded Mantine and plotly.js
    assert [u for u in requested if MANTINE in u] and [u for u in requested if "plotly-custom" in u]
    assert page.evaluate("document.documentElement.lang") == ("zh-Hans" if lang == "zh" else "en")


def test_a_page_with_mantine_moves_in_place(page, live_server):
    t = translator("en")
    open_page(page, live_server.url, "/explore")
    page.evaluate("window.__same_document = true")
    page.locator("header nav a", has_text=t("nav.gender")).click()
    page.wait_for_url("**/gender**")
    expect(page.locator("main h1").first).to_have_text(t("gender.heading"))
    assert page.evaluate("window.__same_document") is True  # Dash's in-page navigation, as before
