"""Security and caching headers (app/security.py) and the production-serving settings (app/gunicorn_conf.py),
through Flask's test client: no server, no browser (tests/browser/test_csp.py loads the pages under the CSP)."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import runpy
from pathlib import Path

import pytest
from dash import Dash, html

from app.security import content_security_policy, install_security_headers
from app.settings import Settings, SettingsError

PROJECT_DIR = Path(__file__).resolve().parent.parent
INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)


@pytest.fixture(scope="module")
def dash_app():
    from app.wsgi import app

    return app


@pytest.fixture(scope="module")
def client(dash_app):
    return dash_app.server.test_client()


@pytest.fixture(scope="module")
def index_html(client) -> str:
    return client.get("/explore").get_data(as_text=True)


def directives(policy: str) -> dict[str, list[str]]:
    out = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def suite_urls(html_text: str) -> list[str]:
    return re.findall(r'src="(/_dash-component-suites/[^"]+)"', html_text)


def callback_payload() -> dict:
    return {
        "output": "..explore-panel-chart.children...",
        "outputs": [],
        "inputs": [],
        "changedPropIds": [],
        "state": [],
    }


PATHS = ["/", "/explore", "/about", "/country/NPL", "/no/such/page", "/static-chart/explore.svg", "/data.csv"]


@pytest.mark.parametrize("path", PATHS)
def test_every_page_and_endpoint_carries_the_security_headers(client, path):
    resp = client.get(path)
    assert resp.status_code < 500
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"


def test_scripts_styles_and_json_carry_the_short_policy_and_nosniff(client, index_html):
    for resp in (
        client.get(suite_urls(index_html)[0]),
        client.get("/assets/style.css"),
        client.get("/assets/controls.js"),
        client.get("/_dash-layout"),
        client.get("/_dash-dependencies"),
        client.post("/_dash-update-component", json=callback_payload()),
    ):
        assert resp.status_code < 500, resp.request.path
        assert resp.headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "X-Frame-Options" not in resp.headers and "Permissions-Policy" not in resp.headers
        assert len(str(resp.headers)) < 600, str(resp.headers)


def test_scripts_need_neither_unsafe_inline_nor_unsafe_eval(client):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client, index_html):
    policy = directives(client.get("/explore").headers["Content-Security-Policy"])
    inline = [
        m["body"]
        for m in INLINE_SCRIPT.finditer(index_html)
        if "src=" not in m["attrs"] and "application/json" not in m["attrs"]
    ]
    assert inline, "the page has no inline script (Dash's renderer bootstrap is one)"
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"], body[:80]


def test_hashes_are_listed_once(client):
    sources = directives(client.get("/").headers["Content-Security-Policy"])["script-src"]
    assert len(sources) == len(set(sources))


def test_fingerprinted_bundles_are_cached_for_a_year(client, index_html):
    fingerprinted = [u for u in suite_urls(index_html) if re.search(r"\.v[\w-]+m[0-9a-f]+\.", u)]
    assert fingerprinted
    resp = client.get(fingerprinted[0])
    assert resp.status_code == 200
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_assets_with_a_modification_stamp_are_cached_for_a_year(client, index_html):
    css = re.search(r'href="(/assets/style\.css\?m=[0-9.]+)"', index_html)
    assert css, "the page links /assets/style.css with its ?m= stamp"
    assert client.get(css[1]).headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_pages_and_unstamped_files_are_not_cached_for_long(client):
    for path in ("/", "/explore", "/assets/style.css", "/_dash-layout"):
        assert "max-age=31536000" not in client.get(path).headers.get("Cache-Control", ""), path


def test_the_big_bundle_is_compressed_when_the_browser_accepts_it(client, index_html):
    resp = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "gzip"})
    assert resp.status_code == 200
    assert resp.headers["Content-Encoding"] == "gzip"
    assert len(resp.get_data()) < 2_000_000


def test_debug_is_off(dash_app):
    assert not dash_app.server.debug
    assert "Traceback" not in dash_app.server.test_client().get("/_dash-layout?x=%ff").get_data(as_text=True)


# ---- FRAME_ANCESTORS ------------------------------------------------------------------------------------------


def test_frame_ancestors_defaults_to_self():
    assert Settings.from_env({}).frame_ancestors == "'self'"


def test_frame_ancestors_can_be_widened_explicitly():
    settings = Settings.from_env({"FRAME_ANCESTORS": "'self' https://example.org"})
    app = Dash(__name__)
    app.layout = html.Div("x")
    install_security_headers(app, settings)
    resp = app.server.test_client().get("/")
    assert directives(resp.headers["Content-Security-Policy"])["frame-ancestors"] == ["'self'", "https://example.org"]
    assert "X-Frame-Options" not in resp.headers  # would contradict the wider CSP in old browsers


@pytest.mark.parametrize("value", ["'self'; script-src *", "https://a.example,https://b.example", "x\r\ny: z"])
def test_frame_ancestors_cannot_inject_directives(value):
    with pytest.raises(SettingsError, match="FRAME_ANCESTORS"):
        Settings.from_env({"FRAME_ANCESTORS": value})


def test_policy_lists_the_given_hashes():
    policy = directives(content_security_policy(["'sha256-abc='"], "'none'"))
    assert policy["script-src"] == ["'self'", "'sha256-abc='"]
    assert policy["frame-ancestors"] == ["'none'"]


# ---- gunicorn ---------------------------------------------------------------------------------------------------


def gunicorn_settings(monkeypatch, **env) -> dict:
    for key in ("HOST", "PORT", "WEB_CONCURRENCY"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return runpy.run_path(str(PROJECT_DIR / "app" / "gunicorn_conf.py"))


def test_gunicorn_binds_loopback_with_two_workers_by_default(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["bind"] == "127.0.0.1:8050"
    assert conf["workers"] == 2
    assert "DEBUG=0" in conf["raw_env"]


def test_gunicorn_serves_with_gevent_workers_and_keeps_its_timeout(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["worker_class"] == "gevent" and conf["worker_connections"] >= 64
    assert conf["timeout"] == 30
    assert "monkey" not in conf  # patching happens only when gunicorn loads the file (as __config__), not here


def test_gunicorn_binds_elsewhere_only_when_told(monkeypatch):
    assert gunicorn_settings(monkeypatch, HOST="0.0.0.0", PORT="9000")["bind"] == "0.0.0.0:9000"


def test_make_serve_uses_the_gunicorn_config():
    makefile = (PROJECT_DIR / "Makefile").read_text()
    serve = re.search(r"^serve:.*\n\t(.+)$", makefile, re.M)
    assert serve and "--config app/gunicorn_conf.py" in serve[1] and "app.wsgi:server" in serve[1]


# ---- static bundles precompressed, callback answers cached ------------------------------------------------------


def test_the_big_bundle_goes_out_as_brotli_when_accepted(client):
    resp = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "gzip, br"}
    )
    assert resp.headers["Content-Encoding"] == "br"
    assert len(resp.get_data()) < 1_300_000
    assert "Accept-Encoding" in resp.headers["Vary"]


def test_a_client_without_compression_gets_the_plain_file(client):
    resp = client.get("/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": ""})
    assert "Content-Encoding" not in resp.headers
    assert len(resp.get_data()) > 4_000_000


def test_choose_encoding_reads_q_values_as_werkzeug_parses_them():
    from app.static_compress import choose_encoding

    assert choose_encoding("gzip, deflate, br, zstd") == "br"
    assert choose_encoding("br;q=0, gzip") == "gzip"
    assert choose_encoding("identity") is None
    assert choose_encoding("gzip;q=0.8, br;q=0.9") == "br"  # q=0.x is a preference, not a refusal
    assert choose_encoding("br;q=0.5, gzip;q=0.9") == "gzip"
    assert choose_encoding("*") == "br" and choose_encoding("*;q=0") is None and choose_encoding("GZIP") == "gzip"


def test_a_client_that_weighs_its_encodings_still_gets_compression(client):
    resp = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "gzip;q=0.8, br;q=0.9"}
    )
    assert resp.headers["Content-Encoding"] == "br"


def test_a_repeated_callback_is_answered_from_the_cache(dash_app, client):
    client.get("/")
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if "site-header" in d["output"])
    body = {
        "output": dep["output"],
        "outputs": [
            {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in dep["output"][2:-2].split("...")
        ],
        "inputs": [{**i, "value": v} for i, v in zip(dep["inputs"], ["/about", "?lang=zh"], strict=False)],
        "state": [],
        "changedPropIds": [],
    }
    cache = dash_app.callback_cache
    first = client.post("/_dash-update-component", json=body)
    hits = cache.hits
    second = client.post("/_dash-update-component", json=body)
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    assert cache.hits == hits + 1
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]


def chrome_body(client, search: str, pathname: object = "/about") -> dict:
    client.get("/")
    dep = next(d for d in client.get("/_dash-dependencies").get_json() if "site-header" in d["output"])
    return {
        "output": dep["output"],
        "outputs": [
            {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in dep["output"][2:-2].split("...")
        ],
        "inputs": [{**i, "value": v} for i, v in zip(dep["inputs"], [pathname, search], strict=True)],
        "state": [],
        "changedPropIds": [],
    }


def test_a_callback_that_raises_is_a_500_and_says_nothing_of_why(client, monkeypatch, caplog):
    from app import chrome

    def broken(*_args):
        raise KeyError("a bug")

    monkeypatch.setattr(chrome, "doc_title", broken)
    with caplog.at_level(logging.ERROR, logger="app.security"):
        resp = client.post("/_dash-update-component", json=chrome_body(client, "?lang=zh&bug=1"))
    assert resp.status_code == 500 and resp.get_json() == {"error": "internal error"}
    assert "a bug" not in resp.get_data(as_text=True) and "KeyError" in caplog.text  # logged, never sent


@pytest.mark.parametrize(
    ("pathname", "search", "reason"),
    [(17, "", "bad value for pathname"), ("/about", ["?lang=zh"], "bad value for search")],
)
def test_an_input_no_component_sends_is_a_400(client, pathname, search, reason):
    resp = client.post("/_dash-update-component", json=chrome_body(client, search, pathname))
    assert resp.status_code == 400 and resp.get_json()["reason"] == reason


def test_a_body_that_names_other_inputs_than_the_callbacks_is_a_400(client):
    body = chrome_body(client, "")
    body["inputs"] = body["inputs"][:1]
    assert client.post("/_dash-update-component", json=body).get_json()["reason"] == "bad inputs"
    body = chrome_body(client, "")
    body["inputs"][0]["id"] = "other"
    assert client.post("/_dash-update-component", json=body).status_code == 400


def test_the_callback_cache_is_bounded():
    from app.callback_cache import ResponseCache

    cache = ResponseCache(max_entries=3, max_bytes=1000)
    for i in range(10):
        cache.put(bytes([i]), b"x" * 100, "application/json")
    assert len(cache) == 3 and cache.get(bytes([0])) is None and cache.get(bytes([9])) is not None
    cache.put(b"big", b"x" * 900, "application/json")  # more than an eighth of the bytes: not kept
    assert cache.get(b"big") is None


def test_gunicorn_warms_the_caches_in_the_master(monkeypatch):
    conf = gunicorn_settings(monkeypatch)
    assert conf["preload_app"] is True
    assert callable(conf["when_ready"])


def test_warm_up_renders_every_page(dash_app):
    from app.warmup import warm_pages

    assert warm_pages(dash_app) == 7  # GET / and six layouts through Dash Pages' callback


# ---- unknown static files, gunicorn's own error pages ------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/_dash-component-suites/dash/nope.js",
        "/_dash-component-suites/plotly/package_data/nope.js",
        "/_dash-component-suites/no_such_package/x.js",
        "/_dash-component-suites/dash/../../etc/passwd",
    ],
)
def test_unknown_component_files_are_404s_without_a_logged_traceback(client, caplog, path):
    with caplog.at_level(logging.INFO):
        resp = client.get(path)
    assert resp.status_code == 404
    assert resp.headers["X-Content-Type-Options"] == "nosniff" and "Content-Security-Policy" in resp.headers
    assert not [r for r in caplog.records if r.levelno >= logging.INFO or r.exc_info]


def test_gunicorn_error_pages_are_written_with_the_headers():
    from gunicorn import util

    from app import server_errors

    raw = server_errors.error_response(414, "URI Too Long", "<script>x</script>")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 URI Too Long\r\n")
    assert b"Content-Security-Policy: default-src 'none'" in head and b"X-Content-Type-Options: nosniff" in head
    assert f"Content-Length: {len(body)}".encode() in head
    assert b"<script>" not in body
    original = util.write_error
    try:
        server_errors.install()
        assert util.write_error is not original and util.write_error.__wrapped__ is original
    finally:
        util.write_error = original
