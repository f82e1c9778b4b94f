"""app/page_scripts.py: no page links dash_table or the babel polyfill (regenerator-runtime alone in its place),
plotly.js is linked by no page (app/plotly_bundle.py), and no page links a component library other than Dash's own:
the form controls are the app's (app/controls.py). The browser side is tests/browser/test_page_scripts.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.page_scripts import REGENERATOR_FILE, UNUSED, page_scripts, regenerator_url

PROJECT_DIR = Path(__file__).resolve().parent.parent

SCRIPTS = "\n".join(
    f'<script src="/_dash-component-suites/{p}"></script>'
    for p in (
        "dash/deps/polyfill@7.v4_4_1m1.12.1.min.js",
        "dash/deps/react@18.v4_4_1m1.3.1.min.js",
        "dash/dash-renderer/build/dash_renderer.v4_4_1m1.min.js",
        "dash/dcc/dash_core_components.v4_4_1m1.js",
        "dash/dash_table/bundle.v7_4_1m1.js",
    )
)


@pytest.fixture(scope="module")
def app():
    from app.wsgi import app

    return app


def srcs(html_: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"></script>', html_)


def test_dash_table_is_left_out_and_the_rest_kept(app):
    scripts = srcs(page_scripts(app, SCRIPTS, "en"))
    assert not [s for s in scripts if "dash_table" in s]
    assert [s for s in scripts if "dash_core_components" in s] and [s for s in scripts if "dash_renderer" in s]


@pytest.mark.skipif(not REGENERATOR_FILE.is_file(), reason="regenerator-runtime not built: run `make plotlyjs`")
def test_the_polyfill_is_replaced_by_regenerator_runtime_served_fingerprinted(app):
    scripts = page_scripts(app, SCRIPTS, "en")
    url = regenerator_url(app)
    assert url and re.search(r"regenerator-runtime\.v[\w-]+m\d+\.min\.js$", url)
    assert srcs(scripts)[0] == url and not [s for s in srcs(scripts) if "polyfill" in s]
    resp = app.server.test_client().get(url, headers={"Accept-Encoding": ""})
    assert resp.status_code == 200 and b"regeneratorRuntime" in resp.get_data()
    assert resp.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_unused_libraries_are_used_nowhere_in_the_app():
    for name in UNUSED:
        used = [
            p
            for p in (PROJECT_DIR / "app").rglob("*.py")
            if p.name != "page_scripts.py" and re.search(rf"\b{name}\b|DataTable", p.read_text(encoding="utf-8"))
        ]
        assert not used, f"{name} is used in {used}: take it out of page_scripts.UNUSED"


@pytest.mark.parametrize(
    ("path", "preload"),
    [
        ("/explore", True),
        ("/gender?lang=zh", True),
        ("/country/KEN", True),
        ("/", False),
        ("/about", False),
        ("/country", False),
        ("/indicator/internet_users", False),
        ("/embed/explore", True),
    ],
)
def test_each_page_links_what_it_renders(app, path, preload):
    body = app.server.test_client().get(path).get_data(as_text=True)
    linked = srcs(body)
    suites = [s for s in linked if "/_dash-component-suites/" in s]
    assert {s.split("/_dash-component-suites/", 1)[1].split("/", 1)[0] for s in suites} <= {"dash", "app.plotlyjs"}
    assert not [s for s in suites if "plotly" in s.rsplit("/", 1)[-1] or "dash_table" in s or "polyfill" in s]
    assert [s for s in linked if "/assets/controls.js" in s]
    locales = [s for s in linked if "plotly-locale-" in s]
    assert locales == ([s for s in locales if "plotly-locale-zh.js" in s] if "lang=zh" in path else [])
    assert bool(re.search(r'<link rel="preload" href="[^"]*plotly-custom[^"]*" as="script">', body)) is preload


@pytest.mark.parametrize("path", ["/", "/about", "/explore?lang=zh"])
def test_every_page_preloads_the_renderers_layout_and_callbacks(app, path):
    body = app.server.test_client().get(path).get_data(as_text=True)
    for name in ("_dash-layout", "_dash-dependencies"):
        assert f'<link rel="preload" href="/{name}" as="fetch" crossorigin="anonymous">' in body
