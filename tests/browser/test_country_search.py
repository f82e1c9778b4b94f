"""The /country search box (issue 15 §3) in a real browser, in English and Chinese: typing narrows the list to the
economies the server's search keys match, a polite live region says how many, a string that matches nothing is
said in words, and Enter opens the first match. No console error (the page fixture fails the test on one)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.components import search_key, search_matches
from app.context import get_data
from app.i18n import lang_query, translator
from tests.browser.conftest import DEFAULT_TIMEOUT_MS, open_page, wait_until

pytestmark = pytest.mark.browser

VISIBLE_LINKS = """() => Array.from(document.querySelectorAll("main .country-list li"))
    .filter((li) => li.offsetParent !== null).map((li) => li.querySelector("a").getAttribute("href"))"""


def _expected(query: str, lang: str) -> list[str]:
    """The profile links the list should still show for ``query``, sorted."""
    data = get_data()
    codes = [c for c in data.country_codes if search_matches(query, search_key(data, c))]
    return sorted(f"/country/{c}{lang_query(lang)}" for c in codes)


def _shown(page, n: int) -> list[str]:
    """The visible profile links, once there are ``n`` of them."""
    return wait_until(page, f"() => {{ const s = ({VISIBLE_LINKS})(); return s.length === {n} && s; }}")


def _type(page, text: str) -> None:
    box = page.locator("#country-search")
    box.fill("")
    box.press_sequentially(text, delay=20)


def _status(page, text: str) -> None:
    status = page.locator("#country-search-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text(text)


@pytest.mark.parametrize(("lang", "query"), [("en", "ken"), ("en", "cote"), ("en", "REPUBLIC"), ("zh", "尼亚")])
def test_typing_narrows_the_list_and_says_how_many_match(page, live_server, lang, query):
    t = translator(lang)
    open_page(page, live_server.url, "/country" + lang_query(lang))
    expect(page.get_by_label(t("country.search_label"))).to_be_visible()
    everyone = len(page.evaluate(VISIBLE_LINKS))
    assert everyone == len(get_data().country_codes)
    want = _expected(query, lang)
    assert 0 < len(want) < everyone, want
    _type(page, query)
    _status(page, t("country.search_one" if len(want) == 1 else "country.search_many", n=len(want)))
    assert sorted(_shown(page, len(want))) == want
    _type(page, "")  # an empty box shows everyone again and says nothing
    _status(page, "")
    _shown(page, everyone)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_string_that_matches_nothing_is_said_in_words(page, live_server, lang):
    t = translator(lang)
    open_page(page, live_server.url, "/country" + lang_query(lang))
    _type(page, "qxzzy")
    _status(page, t("country.search_none", query="qxzzy"))
    wait_until(page, f"() => ({VISIBLE_LINKS})().length === 0")  # _shown(0) would return a falsy []
    expect(page.locator("main section:visible")).to_have_count(0)  # no region heading over an empty list
    expect(page.locator("main h1")).to_have_text(t("country.choose"))


@pytest.mark.parametrize(
    ("lang", "query", "iso3"), [("en", "kenya", "KEN"), ("zh", "肯尼亚", "KEN"), ("zh", "npl", "NPL")]
)
def test_a_name_finds_the_economy_and_enter_opens_it(page, live_server, lang, query, iso3):
    t = translator(lang)
    open_page(page, live_server.url, "/country" + lang_query(lang))
    _type(page, query)
    _status(page, t("country.search_one", n=1))
    name = t("app.name_code", name=get_data().country_name(iso3, lang), code=iso3)
    expect(page.locator("main .country-list li:visible a")).to_have_text([name])
    page.locator("#country-search").press("Enter")
    page.wait_for_url(f"**/country/{iso3}{lang_query(lang)}", timeout=3 * DEFAULT_TIMEOUT_MS)  # a full page load
    page.wait_for_selector("html.fp-live", state="attached", timeout=3 * DEFAULT_TIMEOUT_MS)
    expect(page.locator("main h1")).to_contain_text(get_data().country_name(iso3, lang))
