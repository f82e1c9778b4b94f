"""The scripts each page's HTML links: only what the page renders.

Dash writes the same ``<script>`` list into every page, whatever the page uses. Measured on a first visit (brotli),
that is 9 KiB of dash_table, which no page uses, and 32 KiB of ``@babel/polyfill`` (core-js 2 and regenerator), of
which the browsers the app supports need only the ``regeneratorRuntime`` global that Dash's async components call.
(The pages' form controls are the app's own, app/controls.py: 2.7 KiB, where Mantine's cost 195.) :func:`page_scripts`
edits that list per request:

* dash_table is left out;
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


def page_scripts(app: Dash, scripts: str, lang: str) -> str:
    """Dash's ``{%scripts%}`` for a page in ``lang``."""
    drop = tuple(UNUSED.values())
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

    return _SCRIPT.sub(edit, scripts)
