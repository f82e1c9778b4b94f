"""app/page_scripts.py: a page links the component libraries its layout uses, never dash_table or the babel
polyfill (regenerator-runtime alone in its place), says when it left a library out, and plotly.js is linked by no
page (app/plotly_bundle.py). The browser side is tests/browser/test_page_scripts.py."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import dash_mantine_components as dmc
import pytest
from dash import dcc, html

from app.first_paint_page import namespaces
from app.page_scripts import OPTIONAL, REGENERATOR_FILE, UNUSED, page_scripts, regenerator_url

PROJECT_DIR = Path(__file__).resolve().parent.parent

SCRIPTS = "\n".join(
    f'<script src="/_dash-component-suites/{p}"></script>'
    for p in (
        "dash/deps/polyfill@7.v4_4_1m1.12.1.min.js",
        "dash/deps/react@18.v4_4_1m1.3.1.min.js",
        "dash/dash-renderer/build/dash_renderer.v4_4_1m1.min.js",
        "dash/dcc/dash_core_components.v4_4_1m1.js",
        "dash/dash_table/bundle.v7_4_1m1.js",
        "dash_mantine_components/dash_mantine_components.v2_8_1m1.js",
    )
)


@pytest.fixture(scope="module")
def app():
    from app.main import app

    return app


def srcs(html_: str) -> list[str]:
    return re.findall(r'<script src="([^"]+)"></script>', html_)


def test_namespaces_are_found_in_children_and_component_props():
    tree = html.Div([html.P("x"), dcc.Loading(html.Details([html.Summary(dmc.Badge("b"))]))])
    assert namespaces(tree) == {"dash_html_components", "dash_core_components", "dash_mantine_components"}
    assert namespaces(html.Div(dcc.Store(id="s"))) == {"dash_html_components", "dash_core_components"}


def test_a_page_without_mantine_leaves_it_out_and_says_so(app):
    scripts, partial = page_scripts(app, SCRIPTS, frozenset({"dash_html_components", "dash_core_components"}), "en")
    assert partial is True
    assert not [s for s in srcs(scripts) if "dash_mantine_components" in s or "dash_table" in s]
    assert [s for s in srcs(scripts) if "dash_core_components" in s]


def test_a_page_with_mantine_keeps_it_and_is_whole(app):
    scripts, partial = page_scripts(app, SCRIPTS, frozenset({"dash_html_components", "dash_mantine_components"}), "en")
    assert partial is False
    assert [s for s in srcs(scripts) if "dash_mantine_components" in s]
    assert not [s for s in srcs(scripts) if "dash_table" in s]  # no page uses it


def test_unknown_namespaces_keep_every_optional_library(app):
    scripts, partial = page_scripts(app, SCRIPTS, None, "en")
    assert partial is False and [s for s in srcs(scripts) if "dash_mantine_components" in s]


@pytest.mark.skipif(not REGENERATOR_FILE.is_file(), reason="regenerator-runtime not built: run `make plotlyjs`")
def test_the_polyfill_is_replaced_by_regenerator_runtime_served_fingerprinted(app):
    scripts, _ = page_scripts(app, SCRIPTS, None, "en")
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
    assert set(OPTIONAL).isdisjoint(UNUSED)


@pytest.mark.parametrize(
    ("path", "mantine", "preload"),
    [
        ("/explore", True, True),
        ("/gender?lang=zh", True, True),
        ("/country/KEN", True, True),
        ("/", True, False),
        ("/about", False, False),
        ("/country", False, False),
        ("/indicator/internet_users", False, False),
        ("/embed/explore", False, True),
    ],
)
def test_each_page_links_what_it_renders(app, path, mantine, preload):
    body = app.server.test_client().get(path).get_data(as_text=True)
    linked = srcs(body)
    assert bool([s for s in linked if "dash_mantine_components" in s]) is mantine
    assert ('<meta name="page-scripts" content="partial">' in body) is (not mantine)
    suites = [s for s in linked if "/_dash-component-suites/" in s]
    assert not [s for s in suites if "plotly" in s.rsplit("/", 1)[-1] or "dash_table" in s or "polyfill" in s]
    locales = [s for s in linked if "plotly-locale-" in s]
    assert locales == ([s for s in locales if "plotly-locale-zh.js" in s] if "lang=zh" in path else [])
    assert bool(re.search(r'<link rel="preload" href="[^"]*plotly-custom[^"]*" as="script">', body)) is preload


def test_a_page_module_imported_under_its_package_name_keeps_the_first_paint(app):
    """``import app.pages.explore`` registers a second /explore entry without a layout (Dash imported the page as
    ``pages.explore``): the first paint, and so the page's script list, must not depend on which entry matches."""
    importlib.import_module("app.pages.explore")

    body = app.server.test_client().get("/explore").get_data(as_text=True)
    assert 'class="fp-chart"' in body and re.search(r'rel="preload" href="[^"]*plotly-custom', body)


@pytest.mark.parametrize("path", ["/", "/about", "/explore?lang=zh"])
def test_every_page_preloads_the_renderers_layout_and_callbacks(app, path):
    body = app.server.test_client().get(path).get_data(as_text=True)
    for name in ("_dash-layout", "_dash-dependencies"):
        assert f'<link rel="preload" href="/{name}" as="fetch" crossorigin="anonymous">' in body
