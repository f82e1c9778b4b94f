"""The app's own form controls (app/controls.py, app/assets/controls.js) in real Chromium on /explore, in English
and Chinese, used with the keyboard only:

- the group picker (an ARIA 1.2 combobox): Tab reaches it, typing filters and makes the first match active,
  ArrowDown moves ``aria-activedescendant``, Enter adds that option and the URL's ``group`` follows, the polite live
  region says what was added and removed in the page's language, Backspace in the empty box removes the last pill, a
  pill's remove button removes it and gives the focus back to the typing field, Escape closes the list, and
  ``maxValues`` (8) stops a 9th choice with a status that says so;
- the tabs: ArrowRight, End, Home and ArrowLeft move the focus and select, ``aria-selected`` and the roving
  ``tabindex`` follow, the panel is labelled by the selected tab, the URL's ``tab`` follows;
- the sex radio group: arrow keys check the next radio and the URL's ``sex`` follows;
- the switch: Space toggles it and the URL's ``members`` follows;
- a native select changed with the arrow keys;
- axe-core finds no serious or critical violation with the group list open.

Focus must be visible at every Tab stop (``tab_to``); console errors fail every test (the ``page`` fixture).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.i18n import html_lang, translator
from tests.browser.conftest import dump, open_page, wait_for_figure, wait_until
from tests.browser.test_i18n_a11y import AXE, AXE_RUN_JS, PROJECT_DIR, focused, tab_to

pytestmark = pytest.mark.browser

LANGS = ("en", "zh")
PICKER = "explore-groups"
MAX_GROUPS = 8  # app/pages/explore.py
#: part of the names of the five World Bank income groups (LIC, LMC, UMC, HIC, LMY, in that order in the list)
INCOME = {"en": "INCOME", "zh": "收入"}
INCOME_GROUPS = ("LIC", "LMC", "UMC", "HIC", "LMY")
SEVEN = ("WLD", "LDC", "LLDC", "SIDS", "SIDS_OHRLLS", "DEVELOPING", "DEVELOPED")


def lang_url(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


def group_name(code: str, lang: str) -> str:
    """The group's option label, as the picker shows it ("Name (CODE)")."""
    from app.context import get_data

    return translator(lang)("app.name_code", name=get_data().groups.label(code, lang), code=code)


def param(page, name: str) -> str | None:
    return page.evaluate("(n) => new URLSearchParams(location.search).get(n)", name)


def wait_param(page, name: str, value: str) -> None:
    wait_until(page, "([n, v]) => new URLSearchParams(location.search).get(n) === v", [name, value])


PICKER_JS = """
(id) => {
    const input = document.getElementById(id);
    const root = input.closest(".ctl-multi");
    const listbox = document.getElementById(input.getAttribute("aria-controls"));
    const activeId = input.getAttribute("aria-activedescendant");
    const active = activeId ? document.getElementById(activeId) : null;
    const options = [...listbox.querySelectorAll("[role=option]")];
    return {
        focused: document.activeElement === input,
        expanded: input.getAttribute("aria-expanded"),
        listboxShown: !listbox.hidden && listbox.checkVisibility(),
        activeId: activeId,
        activeText: active ? active.textContent : null,
        activeInList: !!active && listbox.contains(active) && active.getAttribute("role") === "option",
        selected: options.filter((o) => o.getAttribute("aria-selected") === "true").map((o) => o.id),
        options: options.map((o) => o.textContent),
        query: input.value,
        pills: [...root.querySelectorAll(".ctl-pill .ctl-pill-label")].map((p) => p.textContent),
        status: root.querySelector("[aria-live=polite]").textContent,
    };
}
"""


def picker(page) -> dict:
    return page.evaluate(PICKER_JS, PICKER)


def wait_picker(page, predicate_js: str) -> dict:
    """Wait until the picker's state (``s``, what PICKER_JS returns) satisfies ``predicate_js``."""
    fn = f"(id) => {{ const s = ({PICKER_JS})(id); return ({predicate_js}) ? s : null; }}"
    try:
        return wait_until(page, fn, PICKER)
    except AssertionError:
        raise AssertionError(f"the picker never reached {predicate_js}: {dump(picker(page))}") from None


def open_explore(page, live_server, lang: str, query: str = "") -> None:
    open_page(page, live_server.url, lang_url("/explore" + (f"?{query}" if query else ""), lang))
    wait_for_figure(page, "explore-graph")
    assert page.evaluate("document.documentElement.lang") == html_lang(lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_group_picker_works_with_the_keyboard_alone(page, live_server, lang):
    t = translator(lang)
    open_explore(page, live_server, lang, "group=WLD")
    tab_to(page, lambda f: f["id"] == PICKER, "the group picker")
    state = picker(page)
    assert state["focused"] and state["expanded"] == "false" and not state["listboxShown"], dump(state)
    assert state["pills"] == [group_name("WLD", lang)], dump(state)

    # typing filters (case folded) and makes the first match the active option
    page.keyboard.type(INCOME[lang])
    names = [group_name(g, lang) for g in INCOME_GROUPS]
    state = wait_picker(page, "s.expanded === 'true' && s.listboxShown")
    assert state["options"] == names, dump(state)
    assert state["activeId"] == f"{PICKER}-opt-0" and state["activeInList"], dump(state)
    assert state["activeText"] == names[0] and state["selected"] == [f"{PICKER}-opt-0"], dump(state)
    assert state["status"] == t("control.count", n=len(names)), dump(state)

    # ArrowDown moves the active option; Enter adds it
    page.keyboard.press("ArrowDown")
    state = wait_picker(page, f"s.activeId === '{PICKER}-opt-1'")
    assert state["activeText"] == names[1] and state["selected"] == [f"{PICKER}-opt-1"], dump(state)
    assert state["focused"], "the focus left the typing field"
    page.keyboard.press("Enter")
    wait_param(page, "group", "WLD,LMC")
    added = t("control.added", name=names[1])
    state = wait_picker(page, f"s.pills.length === 2 && s.status === {added!r}")
    assert state["pills"] == [group_name("WLD", lang), names[1]] and state["query"] == "", dump(state)
    assert names[1] not in state["options"], "a chosen group is still offered"
    assert state["focused"]

    # Backspace in the empty box removes the last pill
    page.keyboard.press("Backspace")
    wait_param(page, "group", "WLD")
    removed = t("control.removed", name=names[1])
    state = wait_picker(page, f"s.pills.length === 1 && s.status === {removed!r}")
    assert state["pills"] == [group_name("WLD", lang)], dump(state)

    # add one again, then remove it with its pill's own button (Shift+Tab reaches it): the focus comes back
    page.keyboard.type(INCOME[lang])
    wait_picker(page, f"s.activeText === {names[0]!r}")
    page.keyboard.press("Enter")
    wait_param(page, "group", "WLD,LIC")
    wait_picker(page, "s.pills.length === 2")
    page.keyboard.press("Shift+Tab")
    button = focused(page)
    label = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert button["tag"] == "BUTTON" and label == t("control.remove", name=names[0]), dump(button)
    assert button["focusVisible"] and button["outline"], f"focus not visible on {dump(button)}"
    page.keyboard.press("Enter")
    wait_param(page, "group", "WLD")
    removed = t("control.removed", name=names[0])
    state = wait_picker(page, f"s.pills.length === 1 && s.status === {removed!r}")
    assert state["focused"], "the focus did not come back to the typing field"

    # Escape closes the list (and leaves what was typed), a second Escape clears it
    page.keyboard.type(INCOME[lang][:3])
    wait_picker(page, "s.expanded === 'true' && s.listboxShown")
    page.keyboard.press("Escape")
    state = wait_picker(page, "s.expanded === 'false' && !s.listboxShown")
    assert state["activeId"] is None and state["query"] == INCOME[lang][:3], dump(state)
    page.keyboard.press("Escape")
    wait_picker(page, "s.query === ''")
    assert param(page, "group") == "WLD"


@pytest.mark.parametrize("lang", LANGS)
def test_the_group_picker_stops_at_eight_and_says_so(page, live_server, lang):
    t = translator(lang)
    open_explore(page, live_server, lang, "group=" + ",".join(SEVEN))
    tab_to(page, lambda f: f["id"] == PICKER, "the group picker")
    page.keyboard.press("ArrowDown")  # opens the list on the first option not chosen
    first = group_name("LIC", lang)
    state = wait_picker(page, f"s.expanded === 'true' && s.activeText === {first!r}")
    assert not set(state["options"]) & {group_name(g, lang) for g in SEVEN}, dump(state)
    page.keyboard.press("Enter")
    wait_param(page, "group", ",".join((*SEVEN, "LIC")))
    wait_picker(page, f"s.pills.length === {MAX_GROUPS}")

    # the 9th: nothing is offered, the status says why, Enter adds nothing
    page.keyboard.type(INCOME[lang])
    full = t("control.full", n=MAX_GROUPS)
    state = wait_picker(page, f"s.status === {full!r}")
    assert state["expanded"] == "false" and state["options"] == [] and state["activeId"] is None, dump(state)
    expect(page.locator(".ctl-multi:has(#explore-groups) .ctl-empty")).to_have_text(full)
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    assert param(page, "group") == ",".join((*SEVEN, "LIC"))
    assert len(picker(page)["pills"]) == MAX_GROUPS


@pytest.mark.parametrize("lang", LANGS)
def test_the_tabs_move_and_select_with_the_arrow_keys(page, live_server, lang):
    t = translator(lang)
    open_explore(page, live_server, lang, "tab=chart")
    tablist = page.locator("#explore-tabs [role=tablist]")
    expect(tablist).to_have_accessible_name(t("explore.tabs_label"))
    tabs = ("chart", "map", "ranking", "table")

    def check(selected: str) -> None:
        wait_param(page, "tab", selected)
        for tab in tabs:
            el = page.locator(f"#explore-tabs-tab-{tab}")
            expect(el).to_have_attribute("aria-selected", "true" if tab == selected else "false")
            expect(el).to_have_attribute("tabindex", "0" if tab == selected else "-1")
            expect(el).to_have_attribute("aria-controls", "explore-tabs-panel")
        panel = page.locator("#explore-tabs-panel")
        expect(panel).to_have_attribute("role", "tabpanel")
        expect(panel).to_have_attribute("aria-labelledby", f"explore-tabs-tab-{selected}")
        expect(panel).to_have_accessible_name(t(f"explore.tab_{selected}"))
        info = focused(page)
        assert info["id"] == f"explore-tabs-tab-{selected}", f"the focus is not on the {selected} tab: {dump(info)}"
        assert info["focusVisible"] and info["outline"], dump(info)

    info = tab_to(page, lambda f: f["role"] == "tab", "the tab list")
    assert info["id"] == "explore-tabs-tab-chart", "Tab must reach the selected tab first"
    check("chart")
    page.keyboard.press("ArrowRight")
    check("map")
    wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.type === 'choropleth')", timeout=30_000)
    page.keyboard.press("End")
    check("table")
    expect(page.locator("#explore-panel-table table.data-table")).to_be_visible()
    page.keyboard.press("Home")
    check("chart")
    page.keyboard.press("ArrowLeft")  # wraps round to the last tab
    check("table")
    page.keyboard.press("ArrowRight")  # and back to the first
    check("chart")
    # one Tab stop for the whole list: the next Tab leaves it
    page.keyboard.press("Tab")
    assert focused(page).get("role") != "tab", dump(focused(page))


@pytest.mark.parametrize("lang", LANGS)
def test_the_sex_radio_group_and_the_switch_work_with_the_keyboard(page, live_server, lang):
    t = translator(lang)
    open_explore(page, live_server, lang, "indicator=internet_users&sex=total&members=0")
    group = page.locator("#explore-sex")
    expect(group).to_have_attribute("role", "radiogroup")
    expect(group).to_have_accessible_name(t("explore.sex"))
    info = tab_to(page, lambda f: page.evaluate("document.activeElement.name") == "explore-sex", "the sex radios")
    checked = "() => document.querySelector('#explore-sex input:checked').value"
    assert page.evaluate("document.activeElement.value") == "total" == page.evaluate(checked), dump(info)
    page.keyboard.press("ArrowRight")
    wait_param(page, "sex", "female")
    assert page.evaluate(checked) == "female" == page.evaluate("document.activeElement.value")
    expect(page.get_by_role("radio", name=t("sex.female"), exact=True)).to_be_checked()
    info = focused(page)
    assert info["focusVisible"] and info["outline"], f"focus not visible on the segment: {dump(info)}"
    page.keyboard.press("ArrowRight")
    wait_param(page, "sex", "male")
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    wait_param(page, "sex", "total")
    assert page.evaluate(checked) == "total"

    # the switch: a checkbox with role=switch, toggled by Space
    switch = page.get_by_role("switch", name=t("explore.members"))
    expect(switch).not_to_be_checked()
    tab_to(page, lambda f: f["id"] == "explore-members", "the member switch")
    page.keyboard.press("Space")
    wait_param(page, "members", "1")
    expect(switch).to_be_checked()
    page.keyboard.press("Space")
    wait_param(page, "members", "0")
    expect(switch).not_to_be_checked()


@pytest.mark.parametrize("lang", LANGS)
def test_a_select_changes_with_the_arrow_keys(page, live_server, lang):
    t = translator(lang)
    open_explore(page, live_server, lang, "from=2010&to=2020")
    select = page.locator("#explore-from")
    expect(select).to_have_accessible_name(t("explore.from"))
    tab_to(page, lambda f: f["id"] == "explore-from", "the first-year select")
    page.keyboard.press("ArrowDown")
    wait_param(page, "from", "2011")
    expect(select).to_have_value("2011")
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    wait_param(page, "from", "2009")
    fig = wait_for_figure(page, "explore-graph", "fig.traces.some(t => t.x.some(x => x === 2009))")
    series = [tr for tr in fig["traces"] if (tr["meta"] or {}).get("kind") in ("group", "world", "country")]
    assert series and min(x for tr in series for x in tr["x"]) == 2009, dump(series)
    assert param(page, "to") == "2020"


@pytest.mark.parametrize("context_args", [{"bypass_csp": True}], ids=["axe"])
@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_serious_violation_with_the_group_list_open(page, live_server, lang, context_args):
    if not AXE.exists():
        pytest.skip(f"{AXE.relative_to(PROJECT_DIR)} missing: run `npm ci` in tests/a11y (make setup does)")
    open_explore(page, live_server, lang)
    page.add_script_tag(path=str(AXE))
    page.locator(f"#{PICKER}").focus()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    state = wait_picker(page, f"s.expanded === 'true' && s.listboxShown && s.activeId === '{PICKER}-opt-1'")
    assert state["options"], dump(state)
    violations = page.evaluate(AXE_RUN_JS)
    assert not violations, f"/explore ({lang}), the group list open: {dump(violations)}"
    # and filtered down to one match, and to none
    page.keyboard.type(INCOME[lang])
    wait_picker(page, "s.options.length === 5")
    assert not page.evaluate(AXE_RUN_JS), "the filtered list"
    page.keyboard.type("zzzz")
    wait_picker(page, f"s.status === {translator(lang)('control.none')!r}")
    violations = page.evaluate(AXE_RUN_JS)
    assert not violations, f"/explore ({lang}), no match: {dump(violations)}"
