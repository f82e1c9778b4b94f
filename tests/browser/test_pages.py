"""Every page loads in a real browser with no console error and no external request, bad links degrade to a
notice, and the Explore controls fit and work on a 390 px phone screen."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.i18n import translator
from tests.browser.conftest import figure_data, open_page, wait_for_figure, wait_until

pytestmark = pytest.mark.browser

T = translator("en")
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}

PAGES = [
    ("/", T("overview.heading"), None),
    ("/explore", T("explore.heading"), "explore-graph"),
    ("/gender", T("gender.heading"), "gender-parity-graph"),
    ("/country/NPL", "Nepal", "country-graph"),
    ("/country", T("country.choose"), None),
    ("/about", T("about.heading"), None),
]


@pytest.mark.parametrize(("path", "heading", "graph"), PAGES, ids=[p for p, _, _ in PAGES])
def test_page_loads_with_its_heading(page, live_server, path, heading, graph):
    open_page(page, live_server.url, path)
    h1 = page.locator("h1")
    expect(h1).to_have_count(1)
    expect(h1).to_be_visible()
    expect(h1).to_contain_text(heading)
    expect(page.locator("#url-notice")).to_have_count(0)
    if graph:
        fig = wait_for_figure(page, graph)
        assert any(tr["y"] for tr in fig["traces"]), f"{path}: #{graph} has no plotted values"
    # zero console errors / external requests is checked by the page fixture at teardown


def test_bad_parameters_show_a_notice_and_the_page_still_renders(page, live_server):
    open_page(page, live_server.url, "/explore?indicator=bogus&group=LDC,XYZ&foo=1")
    notice = page.locator("#url-notice")
    expect(notice).to_be_visible()
    for word in ("bogus", "XYZ", "foo"):
        expect(notice).to_contain_text(word)
    expect(page.locator("h1")).to_have_text(T("explore.heading"))
    # the defaults stand in: the default indicator, and LDC (the valid part of the group list)
    fig = wait_for_figure(page, "explore-graph")
    series = [tr for tr in fig["traces"] if (tr["meta"] or {}).get("kind") == "group"]
    assert len(series) == 1 and "Least developed countries" in series[0]["hovertemplate"], series
    expect(page.locator("#explore-indicator")).to_have_value("internet_users")  # a native select: the option's value
    expect(page.locator("#explore-indicator option:checked")).to_have_text("Individuals using the Internet")


def test_unknown_country_shows_a_message_not_a_traceback(page, live_server, watch):
    open_page(page, live_server.url, "/country/XXX")
    expect(page.locator("h1")).to_have_text(T("not_found.heading"))  # and the answer is a 404 (test_sharing.py)
    watch.console_errors[:] = [m for m in watch.console_errors if "status of 404" not in m]
    message = page.locator("main .notice")
    expect(message).to_be_visible()
    expect(message).to_contain_text("XXX")
    body = page.locator("body").inner_text()
    assert "Traceback" not in body and "Error" not in body
    # the list of economies to choose from is offered instead
    expect(page.locator("main a[href='/country/NPL']")).to_have_count(1)


@pytest.mark.parametrize("context_args", [PHONE], ids=["390px"])
def test_explore_controls_fit_a_phone_and_work_by_tapping(page, live_server, context_args):
    open_page(page, live_server.url, "/explore")
    wait_for_figure(page, "explore-graph")
    width = page.evaluate("window.innerWidth")
    assert width == 390
    controls = {
        "indicator": page.locator("#explore-indicator"),
        "groups": page.locator("#explore-groups").locator("xpath=ancestor::div[contains(@class,'ctl-multi')]"),
        "tabs": page.locator("#explore-tabs [role=tablist]"),
    }
    for name, loc in controls.items():
        expect(loc).to_be_visible()
        box = loc.bounding_box()
        assert box is not None, name
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"{name} overflows 0..{width}: {box}"
    for tab in page.locator("#explore-tabs [role=tab]").all():
        box = tab.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5, f"tab {tab.inner_text()} overflows: {box}"
    # no horizontal scrolling of the document
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    before = figure_data(page, "explore-graph")
    # a native select: the phone draws its own picker, which a test cannot tap; a tap reaches the select, then the
    # choice is made as the picker makes it
    select = page.locator("#explore-indicator")
    box = select.bounding_box()
    assert box["height"] >= 36, box  # a finger-sized target
    select.tap()
    page.select_option("#explore-indicator", label="Households with Internet access at home")
    expect(select).to_have_value("households_internet")
    fig = wait_for_figure(page, "explore-graph", "fig.layout.title.startsWith('Households with Internet')")
    assert fig["traces"] != before["traces"]
    wait_until(page, "() => new URLSearchParams(location.search).get('indicator') === 'households_internet'")


def test_about_compares_our_aggregates_with_the_world_banks(page, live_server):
    open_page(page, live_server.url, "/about")
    sentence = page.locator("#publisher-comparison")
    expect(sentence).to_be_visible()
    expect(sentence).to_contain_text(
        "Checked against the World Bank's own aggregates of Individuals using the Internet"
    )
    text = sentence.inner_text()
    assert re.search(r"differ by \d+\.\d percentage points on average and by at most \d+\.\d points", text), text


@pytest.mark.parametrize("context_args", [PHONE], ids=["390px"])
@pytest.mark.parametrize("path", ["/", "/gender", "/country/NPL", "/about"])
def test_other_pages_fit_a_phone_without_sideways_scrolling(page, live_server, context_args, path):
    open_page(page, live_server.url, path)
    assert page.evaluate("window.innerWidth") == 390  # a wider layout viewport means something overflows
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    widths = page.locator(".js-plotly-plot .main-svg").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    )
    assert all(right <= 390.5 for right in widths), widths
    controls = page.locator("main .ctl").all()
    assert controls or path == "/about", f"{path}: no control boxes found"
    for control in controls:
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390.5, box
