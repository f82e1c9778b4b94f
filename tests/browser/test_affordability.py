"""Affordability in a real browser, in English and Chinese: the price map diverges around the 2% threshold with
no-data said in words, the ranking carries the 2% line, the trend breaks at a change of basket and says so, and the
country page and the Overview state prices against the threshold. Assertions read the figure from the DOM."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.i18n import basket_name, translator
from tests.browser.conftest import dump, figure_data, open_page, wait_for_figure, wait_until

pytestmark = pytest.mark.browser

LANGS = ("en", "zh")


def _q(lang: str) -> str:
    return "" if lang == "en" else f"&lang={lang}"


COLOURSCALE_JS = """(sel) => {
    const gd = document.querySelector(sel);
    const tr = gd.data.find((d) => d.name === 'value');
    return {zmin: tr.zmin, zmax: tr.zmax, colorscale: tr.colorscale, title: tr.colorbar.title.text};
}"""


@pytest.mark.parametrize("lang", LANGS)
def test_price_map_diverges_around_two_percent_and_names_no_data(page, live_server, watch, lang):
    t = translator(lang)
    open_page(page, live_server.url, f"/explore?indicator=fixed_broadband_price_gni&tab=map&group=WLD{_q(lang)}")
    wait_until(page, "() => document.querySelectorAll('#explore-graph .choroplethlocation').length > 100")
    scale = page.evaluate(COLOURSCALE_JS, "#explore-graph .js-plotly-plot")
    # the threshold (2%) sits at a quarter of the 0–8 scale, where blue turns to orange
    assert (scale["zmin"], scale["zmax"]) == (0, 8), dump(scale)
    stops = [s for s, _c in scale["colorscale"]]
    assert stops.count(0.25) == 2, dump(scale)
    assert t("price.map_no_data") in " ".join(
        a["text"] for a in figure_data(page, "explore-graph")["layout"]["annotations"]
    )
    assert watch.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_price_ranking_draws_the_two_percent_line(page, live_server, watch, lang):
    t = translator(lang)
    open_page(page, live_server.url, f"/explore?indicator=mobile_broadband_price_gni&tab=ranking&group=LDC{_q(lang)}")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.type === 'bar')")
    bars = [tr for tr in fig["traces"] if tr["type"] == "bar"]
    assert len(bars) == 1 and len(bars[0]["y"]) > 20, dump(bars)
    lines = [s for s in fig["layout"]["shapes"] if s.get("type") == "line"]
    assert any(s["x0"] == 2 for s in lines), dump(lines)
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "①" in texts, dump(texts)  # the line's key; its name is listed under the chart
    # the groups shown have no price target: the 2% reference
    expect(page.locator("#explore-graph-keys li")).to_have_text(["① " + t("price.reference")])
    assert watch.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_price_trend_breaks_at_the_basket_change_and_says_so(page, live_server, watch, lang):
    t = translator(lang)
    open_page(page, live_server.url, f"/explore?indicator=fixed_broadband_price_gni&group=WLD,LDC&from=2010{_q(lang)}")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.meta && t.meta.kind === 'world')")
    world = next(tr for tr in fig["traces"] if (tr["meta"] or {}).get("kind") == "world")
    at = world["x"].index(2017.5)
    assert world["y"][at] is None, dump(world)  # the 1 GB and 5 GB baskets are never joined
    label = t("price.basket_from", year=2018, basket=basket_name("Fixed broadband basket (5GB)", lang))
    drawn = [re.sub("<br>| ", "", a["text"]) for a in fig["layout"]["annotations"]]  # wrapped for a phone
    assert label.replace(" ", "") in drawn, dump(fig["layout"]["annotations"])
    published = [tr for tr in fig["traces"] if (tr["meta"] or {}).get("kind") == "published"]
    assert published, dump([tr["name"] for tr in fig["traces"]])  # ITU's own medians, dotted beside ours
    expect(page.get_by_text(t("price.median_note"))).to_be_visible()
    assert watch.console_errors == []


@pytest.mark.parametrize("lang", LANGS)
def test_country_page_and_overview_state_prices_against_two_percent(page, live_server, watch, lang):
    t = translator(lang)
    open_page(page, live_server.url, "/country/NER" + ("" if lang == "en" else f"?lang={lang}"))
    section = page.locator("#affordability")
    expect(section.locator("h2")).to_have_text(t("price.country_heading"))
    expect(section.locator("li.afford-over").first).to_be_visible()  # Niger: well above 2%
    open_page(page, live_server.url, "/" + ("" if lang == "en" else f"?lang={lang}"))
    tiles = page.locator("#affordability article.tile")
    expect(tiles).to_have_count(2)
    expect(page.locator("#affordability h2")).to_have_text(t("price.overview_heading"))
    assert watch.console_errors == []
