"""404 for addresses that name no page, ETag / Cache-Control / 304 for the responses that depend only on the
snapshot, and the framing rules of /embed/ (app/routing.py, app/http_cache.py, app/security.py), through Flask's
test client."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from dash import Dash, html

from app.http_cache import FILE_CACHE, PAGE_CACHE, etag_for
from app.security import install_security_headers
from app.settings import Settings, SettingsError

pytestmark = pytest.mark.snapshot
QUERY = "indicator=internet_users&group=LDC,SIDS&from=2005&to=2024"


@pytest.fixture(scope="module")
def client():
    from app.wsgi import app

    return app.server.test_client()


def page_layout(path: str):
    """The layout function Dash registered for ``path`` (a path or a path template)."""
    from dash import page_registry

    return next(p["layout"] for p in page_registry.values() if path in (p["path"], p["path_template"]))


def title(resp) -> str:
    return re.search(r"<title>(.*?)</title>", resp.get_data(as_text=True), re.S)[1]


def frame_ancestors_of(resp) -> str:
    policy = dict(p.strip().split(" ", 1) for p in resp.headers["Content-Security-Policy"].split(";"))
    return policy["frame-ancestors"]


# ---- 404 ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/no/such/page", "/country/XXX", "/country/NPL/extra", "/embed/bogus", "/404"])
@pytest.mark.parametrize(("lang", "expected"), [("en", "Page not found"), ("zh", "找不到页面")])
def test_an_address_that_names_no_page_is_a_translated_404(client, path, lang, expected):
    resp = client.get(f"{path}?lang={lang}")
    assert resp.status_code == 404
    assert title(resp).startswith(expected)
    assert resp.headers["Cache-Control"] == "no-store" and "ETag" not in resp.headers
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in resp.headers


@pytest.mark.parametrize(
    "path", ["/", "/explore", f"/explore?{QUERY}", "/gender", "/country", "/country/NPL", "/country/npl", "/about"]
)
def test_deep_links_to_pages_stay_200(client, path):
    assert client.get(path).status_code == 200


def test_dash_routes_are_not_touched(client):
    assert client.get("/_dash-layout").status_code == 200
    assert client.get("/_dash-dependencies").status_code == 200
    assert client.get("/assets/style.css").status_code == 200


def test_unknown_country_layout_says_page_not_found(client):
    layout = page_layout("/country/<iso3>")
    text = str(layout("XXX", lang="zh"))
    assert "找不到页面" in text and "XXX" in text


# ---- ETag and Cache-Control --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "cache"),
    [
        ("/explore", PAGE_CACHE),
        (f"/explore?{QUERY}&lang=zh", PAGE_CACHE),
        ("/country/NPL", PAGE_CACHE),
        (f"/embed/explore?{QUERY}", PAGE_CACHE),
        (f"/data.csv?{QUERY}", FILE_CACHE),
        (f"/data.json?{QUERY}", FILE_CACHE),
        ("/download/gender.csv?group=WLD,LDC&lang=en", FILE_CACHE),
    ],
)
def test_snapshot_answers_carry_an_etag_and_revalidate_to_304(client, path, cache):
    full = client.get(path)
    assert full.status_code == 200
    etag = full.headers["ETag"]
    assert re.fullmatch(r'W/"[0-9a-f]{32}"', etag)
    assert full.headers["Cache-Control"] == cache
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and again.headers["Cache-Control"] == cache
    # the security headers are on the 304 too
    assert "default-src 'self'" in again.headers["Content-Security-Policy"]
    assert again.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(path, headers={"If-None-Match": 'W/"other"'}).status_code == 200


def test_the_etag_names_the_query_and_the_language(client):
    en = client.get("/explore?lang=en").headers["ETag"]
    zh = client.get("/explore?lang=zh").headers["ETag"]
    other = client.get(f"/explore?{QUERY}").headers["ETag"]
    assert len({en, zh, other}) == 3
    assert client.get("/explore?lang=en").headers["ETag"] == en  # derived, not per request or per worker


def test_the_etag_changes_with_the_snapshot_and_the_day():
    base = etag_for("file", "/data.csv", QUERY, "20260101T000000Z-aaaa", today=dt.date(2026, 1, 1))
    assert base != etag_for("file", "/data.csv", QUERY, "20260102T000000Z-bbbb", today=dt.date(2026, 1, 1))
    assert base != etag_for("file", "/data.csv", QUERY, "20260101T000000Z-aaaa", today=dt.date(2026, 1, 2))
    page = etag_for("page", "/explore", "", "s", today=dt.date(2026, 1, 1))
    assert page == etag_for("page", "/explore", "", "s", today=dt.date(2026, 1, 2))  # pages carry no date


def test_errors_and_callbacks_get_no_etag(client):
    assert "ETag" not in client.get("/data.csv?indicator=bogus").headers
    assert "ETag" not in client.get("/_dash-layout").headers
    resp = client.get("/no/such/page", headers={"If-None-Match": "*"})
    assert resp.status_code == 404


# ---- framing -----------------------------------------------------------------------------------------------------


def test_pages_may_be_framed_only_by_the_app_and_embeds_by_any_site(client):
    page = client.get("/explore")
    assert frame_ancestors_of(page) == "'self'" and page.headers["X-Frame-Options"] == "SAMEORIGIN"
    embed = client.get(f"/embed/explore?{QUERY}")
    assert embed.status_code == 200
    assert frame_ancestors_of(embed) == "*" and "X-Frame-Options" not in embed.headers


def test_embed_framing_is_configurable():
    settings = Settings.from_env({"EMBED_FRAME_ANCESTORS": "https://news.example https://blog.example"})
    assert settings.embed_frame_ancestors == "https://news.example https://blog.example"
    app = Dash(__name__)
    app.layout = html.Div("x")
    install_security_headers(app, settings)
    resp = app.server.test_client().get("/embed/explore")
    assert frame_ancestors_of(resp) == "https://news.example https://blog.example"
    assert "X-Frame-Options" not in resp.headers
    assert frame_ancestors_of(app.server.test_client().get("/")) == "'self'"


@pytest.mark.parametrize("value", ["*; script-src *", "a,b", "x\r\ny"])
def test_embed_framing_cannot_inject_directives(value):
    with pytest.raises(SettingsError, match="EMBED_FRAME_ANCESTORS"):
        Settings.from_env({"EMBED_FRAME_ANCESTORS": value})
    assert Settings.from_env({}).embed_frame_ancestors == "*"


# ---- the embed page ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("chart", "query"),
    [
        ("explore", QUERY),
        ("map", QUERY),
        ("ranking", QUERY),
        ("gender", "group=WLD,LDC"),
        ("gender-internet", "members_of=LDC"),
        ("gender-mobile", "members_of=LDC"),
        ("country", "iso3=NPL"),
        ("country-parity", "iso3=NPL"),
    ],
)
def test_every_embed_draws_title_chart_summary_and_source(client, chart, query):
    from urllib.parse import parse_qsl

    layout = page_layout("/embed/<chart>")
    tree = layout(chart, **dict(parse_qsl(query)))
    text = str(tree)
    assert "embed-graph" in text and "figure-title" in text and "summary" in text and "source" in text
    assert "embed-open" in text


def test_an_embed_of_an_unknown_economy_is_not_found(client):
    layout = page_layout("/embed/<chart>")
    assert "Page not found" in str(layout("country", iso3="XXX"))


@pytest.mark.parametrize(
    "query",
    [
        {"chart": ["explore", "map"]},
        {"chart": "explore", "group": ["LDC", "XYZ"], "lang": ["zh", "en"], "from": "abc"},
        {"chart": "country", "iso3": ["NPL", "KEN"]},
        {"chart": "country-parity", "iso3": "npl", "lang": "zh", "bogus": "1"},
    ],
)
def test_an_embed_never_fails_on_hostile_values(client, query):
    layout = page_layout("/embed/<chart>")
    assert layout(**query) is not None
