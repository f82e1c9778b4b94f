"""The scripts each page's HTML links: only what the page renders.

Dash writes the same ``<script>`` list into every page: every imported component library, whatever the page uses.
Measured on a first visit (brotli), that is 195 KiB of Mantine on pages without a Mantine control (``/about``,
``/country``, ``/indicator/…``, ``/embed/…``), 9 KiB of dash_table, which no page uses, and 32 KiB of
``@babel/polyfill`` (core-js 2 and regenerator), of which the browsers the app supports need only the
``regeneratorRuntime`` global that Dash's async components call. :func:`page_scripts` edits that list per request:

* a library the page's layout does not use (app/first_paint.py's walk records the namespaces it meets) is left out;
  the page then says so (``<meta name="page-scripts" content="partial">``) and app/assets/page-scripts.js turns
  a move to another page into a full page load, as that page may need what this one did not load;
* plotly.js's locale scripts (app/assets/plotly-locale-<lang>.js) of other languages than the page's are left out
  (changing the language loads the page again);
* the polyfill is replaced by regenerator-runtime alone (6.8 KiB, built by ``make plotlyjs`` into
  app/plotlyjs/dist/, fingerprinted and served like the plotly.js bundle); when it was not built, the polyfill stays.

plotly.js is not in the list at all: dcc.Graph loads it when a graph mounts (app/plotly_bundle.py).
"""

from __future__ import annotations

import re
from pathlib import Path

from dash import Dash

from app.plotly_bundle import NAMESPACE, suite_url

SUITES = "_dash-component-suites/"
#: component libraries a page may go without: namespace → the path its scripts are served under
OPTIONAL = {"dash_mantine_components": "dash_mantine_components/"}
#: component libraries no page of the app renders (tests/test_page_scripts.py checks the app's code)
UNUSED = {"dash_table": "dash/dash_table/"}
POLYFILL = "dash/deps/polyfill@"
REGENERATOR = "dist/regenerator-runtime.min.js"
REGENERATOR_FILE = Path(__file__).resolve().parent / "plotlyjs" / REGENERATOR
_SCRIPT = re.compile(r'<script src="([^"]*)"></script>\n?')
_LOCALE = re.compile(r"/assets/plotly-locale-([\w-]+)\.js")


def register(app: Dash) -> None:
    """Make regenerator-runtime servable (when it was built)."""
    if REGENERATOR_FILE.is_file():
        app.registered_paths[NAMESPACE].add(REGENERATOR)


def regenerator_url(app: Dash) -> str | None:
    return suite_url(app, REGENERATOR, REGENERATOR_FILE) if REGENERATOR_FILE.is_file() else None


def _suite_path(src: str) -> str:
    return src.split(SUITES, 1)[1] if SUITES in src else ""


def page_scripts(app: Dash, scripts: str, namespaces: frozenset[str] | None, lang: str) -> tuple[str, bool]:
    """Dash's ``{%scripts%}`` for a page in ``lang`` whose layout uses ``namespaces`` (None: unknown, every library
    stays); and whether a library was left out that another page uses (the page is then *partial*)."""

    left_out = {name for name in OPTIONAL if namespaces is not None and name not in namespaces}
    drop = tuple(OPTIONAL[name] for name in left_out) + tuple(UNUSED.values())
    regenerator = regenerator_url(app)

    def edit(match: re.Match) -> str:
        path = _suite_path(match[1])
        locale = _LOCALE.search(match[1])
        if locale and locale[1] != lang:
            return ""
        if path.startswith(drop):
            return ""
        if regenerator and path.startswith(POLYFILL):
            return f'<script src="{regenerator}"></script>\n'
        return match[0]

    return _SCRIPT.sub(edit, scripts), bool(left_out)


def partial_meta(partial: bool) -> str:
    return '\n        <meta name="page-scripts" content="partial">' if partial else ""
