"""Sharing, embedding, 404s and the chart's accessible name, in a real browser and in both languages (issue 15,
sections 1 and 4).

- "Copy link" puts the view's address on the clipboard, says so, and the address reopens the same view.
- ``/embed/explore?…`` drawn in an ``<iframe>`` of a page served from another origin (a small ``http.server`` on
  ``localhost``, another port): the chart draws inside it, alone (no navigation).
- An unknown address and ``/country/XXX`` answer 404 with a translated "Page not found" page (title too), still
  with the navigation.
- The chart is one image named by its summary sentence, announced once (Chromium's own accessibility tree); no
  unnamed image in the figure; every toolbar button has a name.
- In the group picker, typing a name and Enter adds the first match and never removes a chosen group.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from app.i18n import translator
from tests.browser.conftest import open_page, wait_for_figure, wait_until

pytestmark = pytest.mark.browser

LANGS = ("en", "zh")
CLIPBOARD = {"permissions": ["clipboard-read", "clipboard-write"]}
VIEW = "/explore?indicator=households_internet&group=LDC,SIDS&from=2008&to=2022"


def lang_url(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("context_args", [CLIPBOARD], ids=["clipboard"])
@pytest.mark.parametrize("lang", LANGS)
def test_copy_link_puts_an_address_on_the_clipboard_that_reopens_the_view(page, live_server, lang, context_args):
    t = translator(lang)
    open_page(page, live_server.url, lang_url(VIEW, lang))
    wait_for_figure(page, "explore-graph")
    title = page.locator("#explore-graph-title").inner_text()
    button = page.get_by_role("button", name=t("share.copy"), exact=True)
    expect(button).to_be_visible()
    button.click()
    status = page.locator(".share-status[role=status]")
    expect(status).to_contain_text(t("share.copied"))
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(live_server.url + "/explore?"), copied
    query = parse_qs(urlsplit(copied).query)
    assert query["indicator"] == ["households_internet"] and query["group"] == ["LDC,SIDS"], copied
    assert query["from"] == ["2008"] and query["to"] == ["2022"] and query["lang"] == [lang], copied

    again = page.context.new_page()
    again.goto(copied)
    again.locator("main h1").first.wait_for()
    wait_for_figure(again, "explore-graph")
    expect(again.locator("#explore-graph-title")).to_have_text(title)
    expect(again.locator("html")).to_have_attribute("lang", "en" if lang == "en" else "zh-Hans")
    assert again.evaluate("location.href") == copied
    again.close()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    ("path", "graph", "embed", "needles"),
    [
        (VIEW, "explore-graph", "/embed/explore?", ("indicator=households_internet", "group=LDC%2CSIDS")),
        ("/country/NPL?indicator=internet_users", "country-graph", "/embed/country?iso3=NPL&", ("from=2005",)),
    ],
    ids=["explore", "country"],
)
def test_embed_dialog_gives_the_iframe_code_of_the_view(page, live_server, lang, path, graph, embed, needles):
    t = translator(lang)
    open_page(page, live_server.url, lang_url(path, lang))
    wait_for_figure(page, graph)
    wait_until(page, "() => new URLSearchParams(location.search).has('from')")  # the address holds the view
    page.locator(".share-embed").first.click()
    code = page.get_by_label(t("share.embed_label")).first
    expect(code).to_be_visible()
    wait_until(page, "() => (document.querySelector('.share-embed-code') || {}).value")
    text = code.input_value()
    assert text.startswith(f'<iframe src="{live_server.url}{embed}'), text
    assert all(n in text for n in needles) and f"lang={lang}" in text, text
    assert 'title="' in text and "</iframe>" in text
    # the code itself opens the chart alone
    src = text.split('src="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert page.context.request.get(src).status == 200


class _HostPage(http.server.BaseHTTPRequestHandler):
    """Serves one page that frames ``src`` (another origin than the app's)."""

    def __init__(self, *args, src: str, **kwargs):
        self.src = src
        super().__init__(*args, **kwargs)

    def do_GET(self):  # noqa: N802  (http.server's name)
        body = (
            "<!DOCTYPE html><html lang='en'><head><title>Host site</title></head><body><h1>Host site</h1>"
            f"<iframe src='{self.src}' title='Embedded chart' width='900' height='640'></iframe></body></html>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def host_site(src: str):
    """A page on http://localhost:<free port>/ whose iframe shows ``src``."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_HostPage, src=src))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://localhost:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("lang", LANGS)
def test_embed_draws_the_chart_alone_in_an_iframe_on_another_origin(page, live_server, lang):
    from app.context import get_data

    t = translator(lang)
    src = live_server.url + lang_url("/embed/explore?indicator=internet_users&group=LDC,SIDS&from=2005&to=2024", lang)
    with host_site(src) as host:
        page.goto(host)
        frame = page.frame_locator("iframe")
        frame.locator("html.fp-live").wait_for(state="attached", timeout=45_000)  # the live page is in
        heading = frame.locator("main h1")
        expect(heading).to_be_visible(timeout=45_000)
        expect(heading).to_contain_text(get_data().registry["internet_users"].title_in(lang))
        expect(frame.locator("#embed-graph .js-plotly-plot .main-svg").first).to_be_visible()
        child = next(f for f in page.frames if f.url.startswith(live_server.url))
        fig = wait_for_figure(child, "embed-graph")
        assert any(tr["y"] for tr in fig["traces"]), "the embedded chart has no plotted values"
        expect(frame.locator("figcaption.summary")).not_to_be_empty()
        expect(frame.locator("p.source")).to_contain_text(t("source.label"))
        expect(frame.locator(".embed-open")).to_have_text(t("embed.open"))
        expect(frame.locator("nav")).to_have_count(0)
        assert not child.locator(".site-header").is_visible()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", ["/no/such/page", "/country/XXX", "/embed/nothing"])
def test_an_address_that_names_no_page_answers_404_with_a_translated_page(page, live_server, watch, path, lang):
    t = translator(lang)
    response = page.goto(live_server.url + lang_url(path, lang))
    assert response.status == 404
    page.wait_for_selector("html.fp-live", state="attached")
    heading = page.locator("main h1")
    expect(heading).to_have_text(t("not_found.heading"))
    wait_until(page, "(title) => document.title === title", t("app.doc_title", page=t("not_found.heading")))
    if not path.startswith("/embed/"):
        expect(page.get_by_role("navigation", name=t("nav.label"))).to_be_visible()
    # Chromium logs the document's own 404 as a console error: that is the point here, not an error of the page
    watch.console_errors[:] = [m for m in watch.console_errors if "status of 404" not in m]


def ax_descendants(session, root_name: str, role: str = "figure") -> list[dict]:
    """The unignored accessibility nodes under the first ``role`` node named ``root_name`` (Chromium's tree)."""
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}
    root = next(
        n for n in nodes if n.get("role", {}).get("value") == role and n.get("name", {}).get("value") == root_name
    )
    out, stack = [], list(root.get("childIds", []))
    while stack:
        node = by_id.get(stack.pop())
        if node is None:
            continue
        if not node.get("ignored"):
            out.append(node)
        stack.extend(node.get("childIds", []))
    return out


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("path", "graph"), [("/explore", "explore-graph"), ("/explore?tab=map", "explore-graph"),
                                             ("/gender", "gender-parity-graph")])  # fmt: skip
def test_the_chart_is_named_once_by_its_summary(page, live_server, path, graph, lang):
    open_page(page, live_server.url, lang_url(path, lang))
    wait_for_figure(page, graph)
    summary = page.locator(f"#{graph}-summary").inner_text()
    title = page.locator(f"#{graph}-title").inner_text()
    assert summary and title
    wait_until(page, f"() => document.querySelector('#{graph} svg.main-svg[role=img][aria-labelledby]')")
    session = page.context.new_cdp_session(page)
    nodes = ax_descendants(session, title)
    names = [(n.get("role", {}).get("value"), n.get("name", {}).get("value", "")) for n in nodes]
    assert [r for r, name in names if name == summary] == ["image"], names
    assert not [n for r, n in names if r == "StaticText" and summary in n], "the summary is read twice"
    assert not [r for r, n in names if r == "image" and not n.strip()], f"an unnamed image: {names}"
    buttons = [n for r, n in names if r == "button"]
    assert buttons and all(b.strip() for b in buttons), buttons
    # the plot's tick and target labels are not read out one by one
    assert len([r for r, _n in names if r == "StaticText"]) < 10, names


@pytest.mark.parametrize("lang", LANGS)
def test_enter_in_the_group_picker_adds_the_first_match_and_never_removes_a_group(page, live_server, lang):
    from app.context import get_data

    groups = get_data().groups
    open_page(page, live_server.url, lang_url("/explore", lang))
    wait_for_figure(page, "explore-graph")

    def chosen() -> list[str]:
        return parse_qs(page.evaluate("location.search").lstrip("?"))["group"][0].split(",")

    wait_until(page, "() => new URLSearchParams(location.search).get('group')")
    before = chosen()
    assert "LDC" in before and "HIC" not in before
    picker = page.locator("#explore-groups")
    picker.click()
    picker.fill(groups.label("HIC", lang)[:4])
    picker.press("Enter")
    wait_until(page, "() => (new URLSearchParams(location.search).get('group') || '').includes('HIC')")
    assert chosen() == [*before, "HIC"]
    picker.fill(groups.label("LDC", lang))  # a chosen group's own name: Enter must not take it away
    picker.press("Enter")
    page.wait_for_timeout(800)
    assert set(before) | {"HIC"} <= set(chosen()), chosen()
    picker.press("Escape")
