"""Issue 14 §1/§2: one view model read by the page, the static first paint and the files."""

from __future__ import annotations

import re
from html import escape

import pytest

from app.export import charts
from app.i18n import translator


@pytest.fixture(scope="module")
def client():
    from app.wsgi import app

    return app.server.test_client()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("chart", "query"),
    [("explore", "group=LDC,WLD"), ("map", "tab=map&group=SIDS"), ("gender", "group=LDC"), ("country", "iso3=NPL")],
)
def test_the_files_and_the_page_come_from_the_same_model(client, chart, query, lang):
    export = charts.build(chart, f"{query}&lang={lang}")
    model = export.model
    assert export.meta.title == model.title and export.meta.summary == model.summary
    assert export.figure.layout.title.text == model.title
    assert list(export.meta.notes) == list(model.notes)
    footer = " ".join(a.text for a in export.figure.layout.annotations if a.name == "footer")
    for src in export.meta.sources if lang == "en" else ():  # each source the file lists is in the page's footer
        assert src["licence"] in model.footer, src
    assert model.footer.split()[0] in footer.replace("<br>", " ")
    html = client.get(model.page).get_data(as_text=True)
    assert escape(model.summary) in html  # the first paint's caption
    assert re.search(r'<h[12] id="fp-[a-z-]+-title" class="figure-title">' + re.escape(escape(model.title)), html)


def test_the_static_chart_route_answers_images_and_refuses_bad_queries(client):
    resp = client.get("/static-chart/explore.svg?group=LDC")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml" and b"<svg" in resp.data
    assert client.get("/static-chart/explore.svg?group=NOPE").status_code == 400
    assert client.get("/static-chart/explore.gif").status_code == 404
    assert client.get("/static-chart/nothing.svg").status_code == 404
    assert client.get("/static-chart/country.svg?iso3=XXX").status_code == 400


def test_a_page_whose_static_copy_fails_keeps_a_translated_loading_text(monkeypatch, client):
    from app import first_paint_page

    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(first_paint_page, "_layout", broken)
    html = client.get("/explore?lang=zh").get_data(as_text=True)
    assert translator("zh")("app.loading") in html and 'id="first-paint"' not in html


def test_the_explore_callback_writes_every_part_by_id():
    from app.wsgi import app

    (key,) = [k for k in app.callback_map if "explore-graph.figure" in k]
    outputs = key.strip(".").split("...")
    assert "explore-graph-summary.children" in outputs and "explore-notes.children" in outputs
    assert not [o for o in outputs if o.startswith("explore-panel-chart")]  # no tree to patch by position


def test_the_warm_up_prerenders_the_default_views_inline_in_each_language(client, monkeypatch):
    """app/warmup.py renders the default Explore and Gender charts in the master: a cold worker's first visitor
    then gets them as inline SVG (not an <img> waiting on the browser), and the browser is stopped afterwards."""
    from app import first_paint
    from app.export import render
    from app.warmup import warm_first_paint

    monkeypatch.setattr(first_paint, "_cache", first_paint.LRUCache(maxsize=first_paint.CACHE_SIZE))
    monkeypatch.setattr(render, "is_warm", lambda: False)  # as in a fresh worker: nothing rendered on request
    before = client.get("/gender?lang=zh").get_data(as_text=True)
    assert 'class="fp-image"' in before and "fp-wide" not in before
    try:
        drawn = warm_first_paint()
    except render.RenderError as exc:  # pragma: no cover — no Chromium on this machine
        pytest.skip(str(exc))
    assert drawn == 8  # Explore's chart and Gender's three, in en and zh
    for path in ("/explore", "/gender?lang=zh", "/gender"):
        body = client.get(path).get_data(as_text=True)
        assert 'class="fp-image"' not in body and body.count('class="main-svg fp-wide"') >= 1, path
    assert not render._server_pid  # the pre-render's browser is gone: no worker inherits it


def test_the_warm_up_precompresses_every_linked_static_file():
    from app.warmup import warm_static
    from app.wsgi import app

    assert warm_static(app) >= 10
    client = app.server.test_client()
    body = client.get("/explore").get_data(as_text=True)
    bundle = re.search(r'<meta name="plotlyjs-url" content="([^"]+)">', body)
    if bundle:
        resp = client.get(bundle[1], headers={"Accept-Encoding": "br"})
        assert resp.headers["Content-Encoding"] == "br" and len(resp.get_data()) < 370_000  # quality 11


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_country_list_is_readable_without_scripts_and_its_search_box_drawn(client, lang):
    from app.context import get_data

    t = translator(lang)
    suffix = "" if lang == "en" else f"?lang={lang}"
    html = client.get(f"/country{suffix}").get_data(as_text=True)
    first_paint = html[html.index('id="first-paint"') :]
    assert f'<label class="country-search-label" for="fp-country-search">{escape(t("country.search_label"))}' in html
    assert re.search(r'<input id="fp-country-search" type="search"[^>]* disabled>', first_paint)  # scripts serve it
    assert 'aria-live="polite"' in first_paint
    data = get_data()
    for code in data.country_codes:  # every economy is a plain link, none hidden
        name = escape(t("app.name_code", name=data.country_name(code, lang), code=code))
        assert f'<li><a href="/country/{code}{suffix}">{name}</a></li>' in first_paint, code
    assert "<li hidden" not in first_paint and "<section hidden" not in first_paint
