"""The partial plotly.js bundle (app/plotlyjs/, app/plotly_bundle.py): Dash's plotly.js entry swapped for it,
idempotently, the full copy kept when the bundle is absent or stale, and the bundle served fingerprinted, compressed
and much smaller than the full copy. tests/browser/test_plotly_bundle.py draws the charts with it."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest
from dash import Dash, dcc, html
from plotly.offline import get_plotlyjs_version

from app import plotly_bundle
from app.plotly_bundle import BUNDLE, DASH_PATH, NAMESPACE, RELATIVE_PATH, bundle_url, use_custom_bundle, why_full

PROJECT_DIR = Path(__file__).resolve().parent.parent
PLOTLYJS_DIR = PROJECT_DIR / "app" / "plotlyjs"
FULL = Path(__import__("plotly").__file__).parent / "package_data" / "plotly.min.js"


@pytest.fixture(autouse=True)
def _restore_js_dist(monkeypatch):
    """dcc._js_dist is process-wide (app.main's app uses it too): every test leaves it as it found it."""
    monkeypatch.delenv("PLOTLYJS", raising=False)
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


def test_the_swap_replaces_dashs_plotly_entry(fake_bundle):
    app = bare_app()
    assert any(e.get("relative_package_path") == DASH_PATH for e in plotly_entries())  # Dash() added its own
    assert use_custom_bundle(app, fake_bundle) is True
    assert plotly_entries() == [{"relative_package_path": RELATIVE_PATH, "namespace": NAMESPACE}]
    assert RELATIVE_PATH in app.registered_paths[NAMESPACE]  # servable before any page is rendered
    assert DASH_PATH in app.registered_paths["plotly"]  # dcc.Graph's fallback stays servable


def test_the_swap_is_idempotent_across_many_apps(fake_bundle):
    for _ in range(5):
        app = bare_app()  # each Dash() appends its plotly.js entry again
        use_custom_bundle(app, fake_bundle)
        use_custom_bundle(app, fake_bundle)
    assert plotly_entries() == [{"relative_package_path": RELATIVE_PATH, "namespace": NAMESPACE}]


needs_bundle = pytest.mark.skipif(not BUNDLE.is_file(), reason=f"{BUNDLE} not built: run `make plotlyjs` (npm)")


@needs_bundle
def test_every_app_links_the_bundle_once_and_not_the_full_copy():
    apps = []
    for _ in range(3):
        app = bare_app()
        assert use_custom_bundle(app) is True
        apps.append(app)
    for app in (apps[0], apps[-1]):  # the first app renders after the last Dash() added its entry again
        srcs = script_srcs(app)
        ours = [s for s in srcs if f"/_dash-component-suites/{NAMESPACE}/dist/plotly-custom.v" in s]
        assert ours == [bundle_url(app)], srcs
        assert re.search(r"plotly-custom\.v[\w-]+m\d+\.min\.js$", ours[0])
        assert not any("plotly.min.js" in s for s in srcs)
        # after dcc's bundle; dash-renderer starts in the inline script after all of them
        assert srcs.index(ours[0]) > next(i for i, s in enumerate(srcs) if "dash_core_components" in s)


def test_absent_bundle_keeps_dashs_full_copy_with_a_warning(tmp_path, caplog):
    app = bare_app()
    with caplog.at_level(logging.WARNING, logger=plotly_bundle.__name__):
        assert use_custom_bundle(app, tmp_path / "missing.js") is False
    assert "make plotlyjs" in caplog.text and "missing.js" in caplog.text
    entries = plotly_entries()
    assert entries and all(e.get("relative_package_path") == DASH_PATH for e in entries)
    assert not any("plotly-custom" in s for s in script_srcs(app))
    resp = app.server.test_client().get(f"/_dash-component-suites/plotly/{DASH_PATH}")
    assert resp.status_code == 200 and len(resp.get_data()) > 4_000_000


def test_fallback_after_a_swap_puts_dashs_entry_back(fake_bundle, tmp_path, monkeypatch):
    app = bare_app()
    use_custom_bundle(app, fake_bundle)
    monkeypatch.setenv("PLOTLYJS", "full")
    assert use_custom_bundle(app, fake_bundle) is False
    entries = plotly_entries()
    assert len(entries) == 1 and entries[0]["relative_package_path"] == DASH_PATH
    assert entries[0]["async"] == "eager" and entries[0]["external_url"].startswith("https://cdn.plot.ly/")
    monkeypatch.delenv("PLOTLYJS")
    assert use_custom_bundle(app, fake_bundle) is True
    assert plotly_entries() == [{"relative_package_path": RELATIVE_PATH, "namespace": NAMESPACE}]


def test_plotlyjs_full_forces_the_full_copy(fake_bundle, monkeypatch):
    monkeypatch.setenv("PLOTLYJS", "full")
    assert why_full(fake_bundle) == "PLOTLYJS=full"
    assert use_custom_bundle(bare_app(), fake_bundle) is False


def test_a_bundle_of_another_plotly_js_is_not_used(tmp_path, caplog):
    stale = tmp_path / "plotly-custom.min.js"
    stale.write_text("/*! plotly.js v0.0.1 (partial bundle: scatter) */\n")
    with caplog.at_level(logging.WARNING, logger=plotly_bundle.__name__):
        assert use_custom_bundle(bare_app(), stale) is False
    assert "0.0.1" in caplog.text and get_plotlyjs_version() in caplog.text


# ---- the built bundle, served by the app ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def main_app():
    from app.main import app

    return app


@needs_bundle
def test_create_app_serves_the_bundle_small_fingerprinted_and_compressed(main_app):
    if why_full() is not None:
        pytest.skip(f"the bundle cannot be used: {why_full()}")
    assert use_custom_bundle(main_app)  # already done by create_app, unless it ran with PLOTLYJS=full
    client = main_app.server.test_client()
    url = bundle_url(main_app)
    assert url in client.get("/explore").get_data(as_text=True)
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
