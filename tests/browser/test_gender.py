"""The Gender page in a real browser, in English and Chinese: the parity chart draws the publishers' estimates for
every chosen group, ``#gender-answers`` answers ¶27 once per group, both follow the group picker, the URL follows
it too and reopens exactly that view; and Explore draws the publishers' estimates of women's Internet use even
though our own female aggregate is absent. Assertions read the figure data from the DOM, never pixels; a
screenshot of each view goes to test-artifacts/screenshots/."""

from __future__ import annotations

from functools import cache

import pytest
from playwright.sync_api import expect

from app.i18n import html_lang, translator
from tests.browser.conftest import SCREENSHOTS, dump, figure_data, open_page, wait_for_figure, wait_until

pytestmark = pytest.mark.browser

GROUPS = ("WLD", "LDC", "LLDC", "SIDS")
REMOVED = "LLDC"
#: the publishers whose estimates the parity chart draws for each group: their legend tags
TAGS = ("ITU", "SDG")
DEADLINE = "2020"


@cache
def group_label(group: str, lang: str) -> str:
    """The group's name as the app writes it (indicators/groups.yml titles, through the app's data)."""
    from app.context import get_data

    return get_data().groups.label(group, lang)


def legend(group: str, lang: str) -> str:
    """The legend stem of a group's traces: its short name ("LDCs"), or the translated "World"."""
    from app.views import legend_label

    return legend_label(group, translator(lang)("legend.world"), lang)


def estimate_names(fig: dict) -> set[str]:
    """Legend names of the publishers' estimates in the parity chart (not the band's legend entry)."""
    return {
        tr["name"]
        for tr in fig["traces"]
        if (tr["meta"] or {}).get("kind") in ("world", "group") and any(v is not None for v in tr["y"])
    }


def expected_names(groups, lang: str) -> set[str]:
    return {f"{legend(g, lang)} · {tag}" for g in groups for tag in TAGS}


def names_js(names: set[str]) -> str:
    """A ``wait_for_figure`` predicate: the chart's trace names include every one of ``names``."""
    quoted = ", ".join(f"{n!r}" for n in sorted(names))
    return f"[{quoted}].every(n => fig.traces.some(t => t.name === n))"


def check_answers(page, groups, lang: str) -> list[str]:
    """``#gender-answers`` holds one item per group, in the order chosen, each naming its group and the deadline."""
    items = page.locator("#gender-answers li")
    expect(items).to_have_count(len(groups))
    texts = items.all_inner_texts()
    for g, text in zip(groups, texts, strict=True):
        assert text.startswith(group_label(g, lang)), (g, text)
        assert DEADLINE in text, (g, text)
    others = [group_label(g, lang) for g in GROUPS if g not in groups]
    for text in texts:  # no item names a group that is not chosen (labels are not prefixes of one another)
        assert not any(text.startswith(o) for o in others), (others, text)
    return texts


def check_parity_chart(page, groups, lang: str) -> dict:
    """The parity chart has the ITU and SDG estimate of every chosen group, and no trace of another group."""
    want = expected_names(groups, lang)
    fig = wait_for_figure(page, "gender-parity-graph", names_js(want))
    got = estimate_names(fig)
    assert got == want, dump(sorted(got))
    for tr in fig["traces"]:
        kind = (tr["meta"] or {}).get("kind")
        if kind in ("world", "group"):
            values = [v for v in tr["y"] if v is not None]
            assert values and all(0.5 < v < 1.2 for v in values), dump(tr)
    return fig


def chosen_groups(page) -> list[str]:
    """The group codes the URL's ``group=`` parameter holds."""
    return (page.evaluate("new URLSearchParams(location.search).get('group')") or "").split(",")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_gender_page_answers_each_group_and_follows_the_picker(page, live_server, watch, lang):
    t = translator(lang)
    open_page(page, live_server.url, f"/gender?group={','.join(GROUPS)}&lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", html_lang(lang))
    check_parity_chart(page, GROUPS, lang)
    check_answers(page, GROUPS, lang)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"gender-{lang}.png"), full_page=True)
    page.locator("#gender-parity-graph").screenshot(path=str(SCREENSHOTS / f"gender-{lang}-parity-chart.png"))

    # remove one group with the picker: its pill's remove button (a chosen group is not offered in the list again,
    # so Enter on a typed name can never take it away: tests/browser/test_sharing.py)
    page.evaluate("window.__marker = 1")
    label = t("app.name_code", name=group_label(REMOVED, lang), code=REMOVED)
    root = page.locator("#gender-groups").locator("xpath=ancestor::div[contains(@class,'ctl-multi')]")
    pill = root.locator(".ctl-pill").filter(has_text=label)
    expect(pill).to_have_count(1)
    remove = pill.locator(".ctl-remove")
    expect(remove).to_have_accessible_name(t("control.remove", name=label))
    remove.click()
    left = tuple(g for g in GROUPS if g != REMOVED)
    wait_until(page, f"() => new URLSearchParams(location.search).get('group') === {','.join(left)!r}")
    fig = check_parity_chart(page, left, lang)
    assert not any(tr["name"].startswith(f"{REMOVED} ·") for tr in fig["traces"]), dump(fig["traces"])
    check_answers(page, left, lang)
    assert page.evaluate("window.__marker") == 1, "changing the group picker reloaded the page"
    assert chosen_groups(page) == list(left)
    params = page.evaluate("Object.fromEntries(new URLSearchParams(location.search))")
    assert params.get("lang") == lang, params
    page.screenshot(path=str(SCREENSHOTS / f"gender-{lang}-without-{REMOVED}.png"), full_page=True)

    # the link reopens exactly that view
    url = page.url
    page.reload()
    page.locator("main h1").first.wait_for()
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__marker") is None, "the page did not reload"
    assert page.url == url
    check_parity_chart(page, left, lang)
    check_answers(page, left, lang)
    pills = (
        page.locator("#gender-groups")
        .locator("xpath=ancestor::div[contains(@class,'ctl-multi')]")
        .locator(".ctl-pill .ctl-pill-label")
    )
    expect(pills).to_have_count(len(left))
    assert pills.all_inner_texts() == [t("app.name_code", name=group_label(g, lang), code=g) for g in left]
    assert chosen_groups(page) == list(left)
    assert watch.console_errors == [] and watch.page_errors == [], watch.problems()


def test_explore_draws_the_publishers_estimates_of_womens_internet_use(page, live_server, watch):
    t = translator("en")
    open_page(page, live_server.url, "/explore?indicator=internet_users&group=LDC&sex=female")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.meta && t.meta.kind === 'published')")
    published = [tr for tr in fig["traces"] if (tr["meta"] or {}).get("kind") == "published"]
    assert published, dump(fig["traces"])
    for tr in published:
        assert tr["name"].startswith(legend("LDC", "en") + " · "), dump(tr)
        values = [v for v in tr["y"] if v is not None]
        assert values and all(0 <= v <= 100 for v in values), dump(tr)
    assert legend("LDC", "en") + " · ITU" in {tr["name"] for tr in published}, dump(published)
    no_data = t("figure.no_data")
    for graph in page.locator("main .js-plotly-plot").all():
        graph_id = graph.evaluate("el => el.closest('[id]').id")
        annotations = (figure_data(page, graph_id) or {"layout": {"annotations": []}})["layout"]["annotations"]
        assert not any(no_data in (a["text"] or "") for a in annotations), (graph_id, annotations)
    assert "No data" not in page.locator("main").text_content()
    assert watch.console_errors == [] and watch.page_errors == [], watch.problems()


TRACE_COLOURS_JS = """() => document.querySelector('#explore-graph .js-plotly-plot').data
    .map(t => [t.name, (t.meta || {}).kind || null, (t.line || {}).color || null])"""


def test_explore_draws_each_groups_estimates_in_that_groups_own_colour(page, live_server):
    open_page(page, live_server.url, "/explore?indicator=internet_users&group=DEVELOPED,LDC,SIDS&sex=female")
    ldc, sids = legend("LDC", "en"), legend("SIDS", "en")
    wait_for_figure(page, "explore-graph", f"fig.traces.some(t => t.name === '{sids} · ITU')")
    colours = {name: (kind, colour) for name, kind, colour in page.evaluate(TRACE_COLOURS_JS)}
    developed = colours[legend("DEVELOPED", "en")]
    assert developed[0] == "group", dump(colours)  # our female aggregate exists for the developed economies only
    for name in (f"{ldc} · ITU", f"{sids} · ITU"):
        assert colours[name][0] == "published", dump(colours)
    # each group's estimates share one colour, and no two groups share it
    assert colours[f"{ldc} · ITU"][1] == colours[f"{ldc} · SDG"][1], dump(colours)
    assert len({developed[1], colours[f"{ldc} · ITU"][1], colours[f"{sids} · ITU"][1]}) == 3, dump(colours)
