"""Issue 14 §2/§5: every page is readable before its scripts run, and the live page replaces the static copy
without a jump. Real headless Chromium; the ``page`` fixture fails on console errors."""

from __future__ import annotations

import urllib.request

import pytest

from tests.browser.conftest import make_context, watch_page

ZH_EXPLORE = "/explore?indicator=internet_users&group=LDC&lang=zh"
#: the page parts compared before and after the hand-over, and the most either may move (one line of text)
PARTS = "h1, .figure-title, figcaption.summary, .downloads"
ONE_LINE_PX = 24
#: the form controls (app/controls.py): the first paint draws the same elements, which must not move at all
CONTROLS = ".ctl, .ctl-segmented, .ctl-switch, .ctl-tab, .ctl-pill"
CONTROL_PX = 1

BOXES_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect(); return [e.tagName, Math.round(r.top + window.scrollY), e.textContent]; })"""
CONTROL_BOXES_JS = """(sel) => Array.from(document.querySelectorAll(sel)).map(e => {
    const r = e.getBoundingClientRect();
    const name = (e.querySelector(".ctl-label, .ctl-pill-label, .ctl-switch-label") || e).textContent;
    return [e.className, name.slice(0, 30), r.left, r.top + window.scrollY, r.width, r.height]; })"""


def test_without_javascript_the_chinese_explore_page_shows_heading_chart_and_summary(browser, live_server, watch):
    context = make_context(browser, watch, java_script_enabled=False)
    pg = watch_page(context.new_page(), watch)
    pg.goto(live_server.url + ZH_EXPLORE)
    assert pg.locator("h1").first.inner_text() == "按组别探索指标"
    chart = pg.locator(".fp-chart").first
    assert chart.is_visible() and chart.bounding_box()["height"] >= 300
    drawn = pg.locator(".fp-chart svg.fp-wide, .fp-chart img.fp-image").first
    assert drawn.is_visible()
    if drawn.evaluate("e => e.tagName") == "IMG":  # not pre-rendered yet: the image must arrive and decode
        pg.wait_for_function("() => { const i = document.querySelector('.fp-image'); return i && i.naturalWidth > 0 }")
    summary = pg.locator("figcaption.summary").first.inner_text()
    assert summary.startswith("互联网用户比例") and "最不发达国家" in summary
    assert pg.locator("a.ctl-tab[href*='tab=map']").count() == 1  # tabs and language are plain links
    current = pg.locator("#fp-explore-tabs a.ctl-tab.ctl-current[aria-current=page]")
    assert current.count() == 1 and current.inner_text() == "图表"
    # the controls are the live page's elements, drawn disabled (they cannot act without scripts), fp- ids
    indicator = pg.locator("select#fp-explore-indicator")
    assert indicator.is_disabled() and indicator.input_value() == "internet_users"
    assert indicator.locator("option:checked").inner_text() == "互联网用户比例"
    assert pg.locator("label.ctl-label[for=fp-explore-indicator]").inner_text() == "指标"
    radios = pg.locator("#fp-explore-sex[role=radiogroup] input[type=radio]")
    assert radios.count() == 3 and all(r.is_disabled() for r in radios.all())
    assert pg.locator("#fp-explore-sex input:checked").get_attribute("value") == "total"
    groups = pg.locator(".ctl-multi:has(#fp-explore-groups)")
    assert groups.locator(".ctl-pill .ctl-pill-label").all_inner_texts() == ["最不发达国家（LDC）"]
    assert pg.locator("#fp-explore-groups").is_disabled()
    switch = pg.locator("#fp-explore-members[role=switch]")
    assert switch.is_disabled() and not switch.is_checked()
    assert pg.locator("[id^='explore-']").count() == 0  # no live id in the static copy
    assert "Loading" not in pg.locator("body").inner_text()
    context.close()
    assert not watch.problems(), watch.problems()


@pytest.mark.parametrize("path", [ZH_EXPLORE, "/gender", "/country/NPL?lang=zh"])
@pytest.mark.parametrize("width", [1280, 390])
def test_the_live_page_replaces_the_static_copy_without_a_jump(browser, live_server, watch, path, width):
    viewport = {"width": width, "height": 900}
    still = make_context(browser, watch, java_script_enabled=False, viewport=viewport)
    before = watch_page(still.new_page(), watch)
    before.goto(live_server.url + path)
    static = before.evaluate(BOXES_JS, PARTS)
    static_controls = before.evaluate(CONTROL_BOXES_JS, CONTROLS)
    still.close()
    context = make_context(browser, watch, viewport=viewport)
    pg = watch_page(context.new_page(), watch)
    pg.goto(live_server.url + path)
    pg.wait_for_selector("html.fp-live", timeout=30_000)
    assert pg.locator("#first-paint").count() == 0  # the copy is gone, the live page is shown
    assert pg.locator(".js-plotly-plot .main-svg").first.is_visible()
    live = pg.evaluate(BOXES_JS, PARTS)
    live_controls = pg.evaluate(CONTROL_BOXES_JS, CONTROLS)
    context.close()
    assert [(tag, text) for tag, _y, text in static] == [(tag, text) for tag, _y, text in live]
    moved = [(text[:40], abs(a - b)) for (_t, a, text), (_u, b, _x) in zip(static, live, strict=True)]
    assert max(d for _text, d in moved) <= ONE_LINE_PX, moved
    assert static_controls, f"{path}: no form control drawn"
    assert [c[:2] for c in static_controls] == [c[:2] for c in live_controls]
    shifted = [
        (a[0], a[1], [round(y - x, 1) for x, y in zip(a[2:], b[2:], strict=True)])
        for a, b in zip(static_controls, live_controls, strict=True)
        if any(abs(y - x) > CONTROL_PX for x, y in zip(a[2:], b[2:], strict=True))
    ]
    assert not shifted, f"controls moved or resized in the hand-over: {shifted}"
    assert not watch.problems(), watch.problems()


def test_a_shared_link_previews_the_chart(live_server):
    with urllib.request.urlopen(live_server.url + ZH_EXPLORE) as resp:
        html = resp.read().decode("utf-8")
    import re

    tags = dict(re.findall(r'<meta property="(og:[a-z]+)" content="([^"]*)"', html))
    assert tags["og:title"].startswith("探索")
    assert tags["og:description"].startswith("互联网用户比例")
    image = tags["og:image"].replace("&amp;", "&")
    with urllib.request.urlopen(live_server.url + image if image.startswith("/") else image) as resp:
        assert resp.headers["Content-Type"] == "image/png"
        assert resp.read(8) == b"\x89PNG\r\n\x1a\n"
