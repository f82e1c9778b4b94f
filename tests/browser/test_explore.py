"""Explore and Gender in a real browser: controls change the plotted data, deep links restore their view and the
URL follows the controls without a reload, the map draws offline, and the gender parity chart carries the
publishers' estimates, the parity band and the ¶27 deadline. Assertions read the figure data from the DOM, never
pixels."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.i18n import translator
from app.views import legend_label
from tests.browser.conftest import dump, figure_data, open_page, wait_for_figure, wait_until

pytestmark = pytest.mark.browser

T = translator("en")
SIDS_LABEL = "Small island developing States (SIDS, M49)"
LDC_LABEL = "Least developed countries (LDCs)"
HOUSEHOLDS = "Households with Internet access at home"
HOUSEHOLDS_KEY = "households_internet"  # a native <select>'s DOM value is the option's value, not its label


def _series(fig: dict) -> list[dict]:
    """Data traces (groups, world, countries), without the target lines."""
    return [tr for tr in fig["traces"] if (tr["meta"] or {}).get("kind") in ("group", "world", "country")]


def _trace_of(traces: list[dict], code: str, label: str) -> dict | None:
    """The trace of group ``code``: legends show the code or the full label; the hover always names the label."""
    for tr in traces:
        if tr["name"] in (code, label) or f"<b>{label}</b>" in tr["hovertemplate"]:
            return tr
    return None


def _choose(page, control_id: str, option: str) -> None:
    """Pick the option with this exact label in a native select (app/controls.py ``Select``)."""
    page.select_option(f"#{control_id}", label=option)


def test_choosing_sids_adds_a_sids_trace(page, live_server):
    open_page(page, live_server.url, "/explore?group=WLD")
    before = _series(wait_for_figure(page, "explore-graph"))
    assert [tr["meta"]["kind"] for tr in before] == ["world"], dump(before)

    page.locator("#explore-groups").click()
    option = page.get_by_role("option", name=re.compile(r"^Small island developing States.*\(SIDS\)$"))
    expect(option).to_have_count(1)
    label = option.inner_text().removesuffix(" (SIDS)")  # options read "<group label> (<code>)"
    option.click()
    page.keyboard.press("Escape")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.filter(t => t.meta && t.meta.kind === 'group').length")

    after = _series(fig)
    assert len(after) == 2, dump(after)
    sids = _trace_of(after, "SIDS", label)
    assert sids is not None and sids["meta"]["kind"] == "group", dump(after)
    world = next(tr for tr in after if tr["meta"]["kind"] == "world")
    assert world["y"] == before[0]["y"]  # the world line is unchanged
    assert sids["y"] and all(0 <= v <= 100 for v in sids["y"] if v is not None), dump(sids)
    assert sids["y"] != world["y"]
    assert [tr["y"] for tr in after] != [tr["y"] for tr in before]
    wait_until(page, "() => new URLSearchParams(location.search).get('group') === 'WLD,SIDS'")


def test_deep_link_restores_its_view_and_the_url_follows_the_controls(page, live_server):
    query = "indicator=households_internet&sex=total&group=LDC,SIDS&from=2010&to=2020&tab=chart"
    open_page(page, live_server.url, "/explore?" + query)
    expect(page.locator("#explore-indicator")).to_have_value(HOUSEHOLDS_KEY)
    expect(page.locator("#explore-indicator option:checked")).to_have_text(HOUSEHOLDS)
    expect(page.locator("#explore-from")).to_have_value("2010")
    expect(page.locator("#explore-to")).to_have_value("2020")
    expect(page.locator("#explore-tabs [role=tab][aria-selected=true]")).to_have_text(T("explore.tab_chart"))
    expect(page.locator("#url-notice")).to_have_count(0)

    fig = wait_for_figure(page, "explore-graph")
    assert fig["layout"]["title"].startswith(HOUSEHOLDS)
    series = _series(fig)
    assert _trace_of(series, "LDC", LDC_LABEL) and _trace_of(series, "SIDS", SIDS_LABEL), dump(series)
    assert len(series) == 2, dump(series)
    years = [x for tr in series for x in tr["x"]]
    assert years and min(years) >= 2010 and max(years) <= 2020, years

    page.evaluate("window.__marker = 1")
    _choose(page, "explore-to", "2016")
    wait_until(page, "() => new URLSearchParams(location.search).get('to') === '2016'")
    fig = wait_for_figure(
        page, "explore-graph", "fig.traces.every(t => !t.meta || t.meta.kind !== 'group' || t.x.every(x => x <= 2016))"
    )
    assert page.evaluate("window.__marker") == 1, "changing a control reloaded the page"
    params = page.evaluate("Object.fromEntries(new URLSearchParams(location.search))")
    assert params["indicator"] == "households_internet"
    assert params["group"] == "LDC,SIDS"
    assert params["from"] == "2010"
    assert max(x for tr in _series(fig) for x in tr["x"]) <= 2016


def test_map_draws_with_every_external_request_aborted(page, live_server, watch):
    open_page(page, live_server.url, "/explore?tab=map")
    expect(page.locator("#explore-tabs [role=tab][aria-selected=true]")).to_have_text(T("explore.tab_map"))
    wait_until(
        page, "() => document.querySelectorAll('#explore-graph .choroplethlocation').length > 100", timeout=20_000
    )
    n = page.locator("#explore-graph .choroplethlocation").count()
    assert n > 100
    fig = figure_data(page, "explore-graph")
    kinds = {tr["name"]: tr for tr in fig["traces"]}
    assert {tr["type"] for tr in fig["traces"]} == {"choropleth"}
    # members of every chosen group coloured: World is among the default groups, so no economy is drawn grey as
    # "not in the chosen groups" (without World the others are grey: tests/test_price_views.py)
    assert set(kinds) == {"value"}, dump(fig["traces"])
    assert {"NPL", "USA", "FRA"} <= set(kinds["value"]["locations"])  # an LDC and LLDC; the USA and Europe too
    assert watch.external_requests == []
    assert watch.console_errors == []


def test_ranking_tab_renders(page, live_server):
    open_page(page, live_server.url, "/explore?group=LDC&tab=ranking")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.type === 'bar')")
    bars = [tr for tr in fig["traces"] if tr["type"] == "bar"]
    assert len(bars) == 1 and len(bars[0]["y"]) > 10, dump(bars)
    assert "Nepal" in bars[0]["y"]
    values = bars[0]["x"]
    assert values == sorted(values), "ranking bars are not sorted"


def test_table_tab_renders_rows(page, live_server):
    open_page(page, live_server.url, "/explore?group=WLD,LDC&tab=table")
    rows = page.locator("#explore-panel-table table.data-table tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() > 10
    headers = page.locator("#explore-panel-table table.data-table thead th").all_inner_texts()
    assert headers[:3] == [T("table.label"), T("table.year"), T("table.value")]
    labels = set(page.locator("#explore-panel-table tbody tr td:first-child").all_inner_texts())
    assert "World (all economies)" in labels and LDC_LABEL in labels, labels


#: the default groups of /gender and how each publisher's estimate is drawn (WITNESS_STYLES in app/figures.py)
GENDER_GROUPS = ("WLD", "LDC", "LLDC", "SIDS")
PUBLISHER_STYLES = {"ITU": ("dash", "diamond-open"), "SDG": ("dot", "square-open")}
LINE_STYLES_JS = """() => document.querySelector('#gender-parity-graph .js-plotly-plot').data
    .map(t => [t.name, (t.line || {}).dash || null, (t.marker || {}).symbol || null])"""


def test_gender_page_has_publisher_estimates_deadline_and_dumbbell(page, live_server):
    open_page(page, live_server.url, "/gender")
    fig = wait_for_figure(page, "gender-parity-graph")
    kinds = [(tr["meta"] or {}).get("kind") for tr in fig["traces"]]
    assert "reference" not in kinds, dump(fig["traces"])  # the hard-coded Facts and Figures diamonds are gone
    by_name = {tr["name"]: tr for tr in fig["traces"]}
    for g in GENDER_GROUPS:
        legend = legend_label(g, T("legend.world"), "en")
        for tag in PUBLISHER_STYLES:
            tr = by_name.get(f"{legend} · {tag}")
            assert tr is not None, f"no {tag} estimate for {g}: " + dump(sorted(by_name))
            assert tr["meta"]["kind"] == ("world" if g == "WLD" else "group"), dump(tr)
            values = [v for v in tr["y"] if v is not None]
            assert values and all(0.5 < v < 1.2 for v in values), dump(tr)
            assert 2020 in tr["x"], dump(tr)  # every publisher has a score at the ¶27 deadline
    styles = {name: (dash, symbol) for name, dash, symbol in page.evaluate(LINE_STYLES_JS)}
    for name, style in styles.items():
        tag = name.rsplit(" · ", 1)[-1]
        if tag in PUBLISHER_STYLES:
            assert style == PUBLISHER_STYLES[tag], (name, style)
    deadline = [s for s in fig["layout"]["shapes"] if s.get("type") == "line" and s.get("x0") == s.get("x1") == 2020]
    assert len(deadline) == 1, dump(fig["layout"]["shapes"])
    assert any(a["text"] == T("gender.deadline") and a["x"] == 2020 for a in fig["layout"]["annotations"])
    band = [s for s in fig["layout"]["shapes"] if s.get("type") == "rect"]
    assert len(band) == 1, "parity band missing"
    assert by_name.get(T("gender.parity_band")) is not None, "parity band legend entry missing"

    dumbbell = wait_for_figure(page, "gender-dumbbell-graph")
    by_name = {tr["name"]: tr for tr in dumbbell["traces"]}
    assert {T("gender.female"), T("gender.male")} <= set(by_name), dump(dumbbell["traces"])
    women, men = by_name[T("gender.female")], by_name[T("gender.male")]
    assert women["y"] and women["y"] == men["y"]  # one row per economy, women and men on the same rows


def test_low_coverage_is_said_under_the_chart_and_marked_in_it(page, live_server):
    open_page(page, live_server.url, "/explore?indicator=households_internet&group=LDC")
    wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.meta && t.meta.kind === 'group')")
    notes = page.locator("#explore-notes .notes")
    expect(notes).to_be_visible()
    expect(notes).to_contain_text("Low coverage for Least developed countries (LDCs) in")
    expect(notes).to_contain_text("of the group's population")
    symbols = page.evaluate(
        """() => document.querySelector('#explore-graph .js-plotly-plot').data
                 .filter(t => t.meta && t.meta.kind === 'group').map(t => t.marker.symbol)"""
    )
    assert len(symbols) == 1 and "circle-open" in symbols[0] and "circle" in symbols[0], symbols


def test_a_year_without_an_aggregate_breaks_the_line(page, live_server):
    # too few LDCs report households online for 2017: no aggregate that year, and no line drawn across it
    open_page(page, live_server.url, "/explore?indicator=households_internet&group=LDC")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.meta && t.meta.kind === 'group')")
    ldc = _trace_of(_series(fig), "LDC", LDC_LABEL)
    assert ldc is not None, dump(fig["traces"])
    by_year = dict(zip(ldc["x"], ldc["y"], strict=True))
    assert 2017 in by_year and by_year[2017] is None, dump(ldc)
    assert by_year.get(2016) is not None and by_year.get(2018) is not None, dump(ldc)
    connect = page.evaluate(
        """() => document.querySelector('#explore-graph .js-plotly-plot').data
                 .filter(t => t.meta && ['group', 'world'].includes(t.meta.kind)).map(t => t.connectgaps)"""
    )
    assert connect and all(c is False for c in connect), connect
