"""The partial plotly.js bundle (app/plotlyjs/, app/plotly_bundle.py): Dash's plotly.js entry kept dynamic (no page
links plotly.js), exactly one whatever the number of apps, the page's meta naming the bundle (and a preload where
the first view draws a chart), the full copy kept when the bundle is absent or stale, and the bundle served
fingerprinted, compressed and much smaller than the full copy. tests/browser/test_plotly_bundle.py draws the charts
with it and checks that a page without a chart fetches no plotly.js."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from dash import Dash, dcc, html
from plotly.offline import get_plotlyjs_version

from app import plotly_bundle
from app.plotly_bundle import (
    BUNDLE,
    DASH_PATH,
    NAMESPACE,
    RELATIVE_PATH,
    bundle_url,
    head_tags,
    use_custom_bundle,
    why_full,
)

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLOTLYJS_DIR = PROJECT_DIR / "app" / "plotlyjs"
FULL = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"


@pytest.fixture(autouse=True)
def _restore_js_dist():
    """dcc._js_dist is process-wide (every app of the process uses it): every test leaves it as it found it."""
    saved = [dict(e) for e in dcc._js_dist]
    yield
    dcc._js_dist[:] = saved


@pytest.fixture
def fake_bundle(tmp_path) -> Path:
    """A stand-in for the built bundle (only its banner is read by the swap)."""
    path = tmp_path / "plotly-custom.min.js"
    path.write_text(f"/*! plotly.js v{get_plotlyjs_version()} (partial bundle: scatter, bar, choropleth) */\n")
    return path


def plotly_entries() -> list[dict]:
    return [e for e in dcc._js_dist if "plotly" in (e.get("namespace") or "")]


def bare_app() -> Dash:
    app = Dash(__name__, serve_locally=True)
    app.layout = html.Div("x")
    return app


def script_srcs(app: Dash) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', app.server.test_client().get("/").get_data(as_text=True))


# ---- the pins ---------------------------------------------------------------------------------------------------


def test_package_json_pins_the_plotly_js_of_plotly_python_exactly():
    package = json.loads((PLOTLYJS_DIR / "package.json").read_text())
    deps = package["dependencies"]
    assert package["private"] is True
    assert deps["plotly.js"] == get_plotlyjs_version(), "plotly.js must match the plotly python's bundled version"
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in deps.values()), f"exact versions only: {deps}"
    lock = json.loads((PLOTLYJS_DIR / "package-lock.json").read_text())
    for name, version in deps.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version, name
    installed = {k: p for k, p in lock["packages"].items() if k and not p.get("link")}
    assert installed and all(p.get("integrity", "").startswith("sha512-") for p in installed.values())
    # registry packages only (npm ci on a fresh machine needs nothing but the npm registry)
    assert not [
        p["resolved"]
        for p in installed.values()
        if not p.get("resolved", "https://registry.npmjs.org/").startswith("https://registry.npmjs.org/")
    ]


def test_the_bundle_is_gitignored_and_built_by_make_setup():
    assert "app/plotlyjs/dist/" in (PROJECT_DIR / ".gitignore").read_text().splitlines()
    makefile = (PROJECT_DIR / "Makefile").read_text()
    assert re.search(r"^plotlyjs:.*\n\tcd app/plotlyjs && npm ci .*&& npm run build", makefile, re.M)
    venv = re.search(r"^venv:.*\n((?:\t.*\n)+)", makefile, re.M)
    assert venv and "plotlyjs" in venv[1]


# ---- the swap ---------------------------------------------------------------------------------------------------


DYNAMIC = {"relative_package_path": DASH_PATH, "namespace": "plotly", "async": "eager"}


def only_dashs_dynamic_entry() -> bool:
    entries = plotly_entries()
    return len(entries) == 1 and {k: entries[0].get(k) for k in DYNAMIC} == DYNAMIC


def test_the_swap_keeps_dashs_dynamic_entry_and_serves_the_bundle(fake_bundle):
    app = bare_app()
    assert any(e.get("relative_package_path") == DASH_PATH for e in plotly_entries())  # Dash() added its own
    assert use_custom_bundle(app, fake_bundle) is True
    assert only_dashs_dynamic_entry()  # written into no page: dcc.Graph loads it when a graph mounts
    assert RELATIVE_PATH in app.registered_paths[NAMESPACE]  # servable before any page is rendered
    assert DASH_PATH in app.registered_paths["plotly"]  # dcc.Graph's fallback stays servable
    tags = head_tags(app, preload=True)
    url = re.search(r'<meta name="plotlyjs-url" content="([^"]+)">', tags)[1]
    assert f'<link rel="preload" href="{url}" as="script">' in tags
    assert "preload" not in head_tags(app, preload=False) and url in head_tags(app, preload=False)


def test_the_swap_is_idempotent_across_many_apps(fake_bundle):
    for _ in range(5):
        app = bare_app()  # each Dash() appends its plotly.js entry again
        use_custom_bundle(app, fake_bundle)
        use_custom_bundle(app, fake_bundle)
    assert only_dashs_dynamic_entry()


needs_bundle = pytest.mark.skipif(not BUNDLE.is_file(), reason=f"{BUNDLE} not built: run `make plotlyjs` (npm)")


@needs_bundle
def test_no_page_links_plotly_js_but_every_page_names_the_bundle():
    apps = []
    for _ in range(3):
        app = bare_app()
        assert use_custom_bundle(app) is True
        apps.append(app)
    for app in (apps[0], apps[-1]):  # the first app renders after the last Dash() added its entry again
        srcs = script_srcs(app)
        assert not any("plotly" in s.split("/_dash-component-suites/", 1)[-1].split("/")[0] for s in srcs), srcs
        assert not any("plotly.min.js" in s or "plotly-custom" in s for s in srcs)
        tags = head_tags(app, preload=False)
        assert bundle_url(app) in tags and re.search(r"plotly-custom\.v[\w-]+m\d+\.min\.js", tags)


def test_absent_bundle_keeps_dashs_full_copy_with_a_warning(tmp_path, caplog):
    app = bare_app()
    with caplog.at_level(logging.WARNING, logger=plotly_bundle.__name__):
        assert use_custom_bundle(app, tmp_path / "missing.js") is False
    assert "make plotlyjs" in caplog.text and "missing.js" in caplog.text
    entries = plotly_entries()
    assert entries and all(e.get("relative_package_path") == DASH_PATH for e in entries)
    assert not any("plotly-custom" in s for s in script_srcs(app))
    assert head_tags(app, preload=True) == ""  # no meta: dcc.Graph loads Dash's own URL
    resp = app.server.test_client().get(f"/_dash-component-suites/plotly/{DASH_PATH}")
    assert resp.status_code == 200 and len(resp.get_data()) > 4_000_000


def test_fallback_after_a_swap_puts_dashs_entry_back(fake_bundle, tmp_path):
    app = bare_app()
    use_custom_bundle(app, fake_bundle)
    assert use_custom_bundle(app, fake_bundle, full=True) is False
    entries = plotly_entries()
    assert len(entries) == 1 and entries[0]["relative_package_path"] == DASH_PATH
    assert entries[0]["async"] == "eager" and entries[0]["external_url"].startswith("https://cdn.plot.ly/")
    assert head_tags(app, preload=True) == ""
    assert use_custom_bundle(app, fake_bundle) is True
    assert only_dashs_dynamic_entry() and "plotlyjs-url" in head_tags(app, preload=False)


def test_plotlyjs_full_forces_the_full_copy(fake_bundle):
    assert why_full(fake_bundle, full=True) == "PLOTLYJS=full"
    assert use_custom_bundle(bare_app(), fake_bundle, full=True) is False


def test_a_bundle_of_another_plotly_js_is_not_used(tmp_path, caplog):
    stale = tmp_path / "plotly-custom.min.js"
    stale.write_text("/*! plotly.js v0.0.1 (partial bundle: scatter) */\n")
    with caplog.at_level(logging.WARNING, logger=plotly_bundle.__name__):
        assert use_custom_bundle(bare_app(), stale) is False
    assert "0.0.1" in caplog.text and get_plotlyjs_version() in caplog.text


# ---- the built bundle, served by the app ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def main_app():
    from app.wsgi import app

    return app


@needs_bundle
def test_create_app_serves_the_bundle_small_fingerprinted_and_compressed(main_app):
    if why_full() is not None:
        pytest.skip(f"the bundle cannot be used: {why_full()}")
    assert use_custom_bundle(main_app)  # already done by create_app, unless it ran with PLOTLYJS=full
    client = main_app.server.test_client()
    url = bundle_url(main_app)
    explore = client.get("/explore").get_data(as_text=True)
    assert f'<meta name="plotlyjs-url" content="{url}">' in explore
    assert f'<link rel="preload" href="{url}" as="script">' in explore  # its first view draws a chart
    about = client.get("/about").get_data(as_text=True)
    assert url in about and f'<link rel="preload" href="{url}"' not in about  # named (a later page may draw one)
    plain = client.get(url, headers={"Accept-Encoding": ""})
    assert plain.status_code == 200
    assert plain.mimetype in ("application/javascript", "text/javascript")
    body = plain.get_data()
    assert body == BUNDLE.read_bytes() and body.startswith(b"/*! plotly.js v" + get_plotlyjs_version().encode())
    assert len(body) < FULL.stat().st_size / 3
    assert plain.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    br = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert br.headers["Content-Encoding"] == "br" and len(br.get_data()) < 500_000
    gz = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and len(gz.get_data()) < 550_000
    assert "Content-Security-Policy" in br.headers


@needs_bundle
def test_the_bundle_needs_no_unsafe_eval_and_sets_window_plotly():
    code = BUNDLE.read_text(encoding="utf-8")
    assert not re.search(r"\bnew Function\s*\(|[^.\w$]Function\s*\(|[^.\w$]eval\s*\(", code)
    assert "window.Plotly=" in code.replace(" ", "")
