"""The Dash app factory: ``create_app(settings)`` builds the app on the snapshot and settings it is given.

No app is built at import. The entry points build one each: app/wsgi.py for gunicorn (``make serve``),
``python -m app.main`` for the development server (``make run``); tests and benchmarks call ``create_app``.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

import dash
import plotly.io as pio
from dash import Dash, dcc, html
from flask import has_request_context, request

from app import context, ids, theme  # noqa: F401  (theme registers the plotly template)
from app.callback_cache import install_callback_cache
from app.chrome import DOC_TITLE, doc_title, header, install_chrome
from app.export.routes import register_export_routes
from app.first_paint_page import first_paint, register_static_chart_route, strip_dash_social_tags
from app.http_cache import install_http_cache
from app.i18n import html_lang, lang_of
from app.page_scripts import page_scripts
from app.page_scripts import register as register_page_scripts
from app.plotly_bundle import head_tags as plotly_head_tags
from app.plotly_bundle import use_custom_bundle
from app.routing import install_not_found_status
from app.security import callback_failed, install_callback_guard, install_query_guard, install_security_headers
from app.settings import Settings
from app.share import texts_store
from app.static_compress import install_static_compression

APP_DIR = Path(__file__).resolve().parent

pio.templates.default = "divide"

INDEX = """<!DOCTYPE html>
<html lang="en">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


def create_app(settings: Settings | None = None) -> Dash:
    """Build the app on ``settings`` (default: ``Settings()``, the project's data/): the snapshot is loaded here,
    before the first request, and kept with the settings on the Flask app (app/context.py).

    ``Dash("app", …)`` names the pages after the package (``app.pages.explore``), so a module that imports
    ``app.pages.explore`` gets the page Dash registered."""
    settings = settings or Settings()
    app = Dash(
        "app",
        use_pages=True,
        pages_folder=str(APP_DIR / "pages"),
        assets_folder=str(APP_DIR / "assets"),
        title="Digital divide dashboard",
        update_title=None,  # not "Updating...": the title stays in the page's language
        compress=True,
        suppress_callback_exceptions=True,
        serve_locally=True,
        on_error=callback_failed,  # a callback's own exception is a 500, not the 400 of a request it cannot read
    )
    data = context.install(app.server, settings).data
    use_custom_bundle(app, full=settings.plotlyjs == "full")  # the partial plotly.js in place of Dash's full copy
    register_page_scripts(app)  # each page links only the libraries it renders (app/page_scripts.py)
    app.index_string = INDEX
    _localise_index(app)
    install_chrome(app)
    install_security_headers(app, settings)
    install_callback_guard(app)
    install_query_guard(app)
    if settings.callback_cache:
        install_callback_cache(app)
    install_static_compression(app)
    install_not_found_status(app)
    install_http_cache(app, settings)
    register_export_routes(app.server)  # /data.csv, /data.json, /download/<chart>.<fmt>, /download/briefing.pdf
    register_static_chart_route(app.server)  # /static-chart/<chart>.<svg|png>: the first paint's chart images
    built = data.snapshot.provenance.get("built", "")
    with app.server.app_context():  # the header reads this app's snapshot
        app.layout = html.Div(
            [
                dcc.Location(id=ids.URL),
                html.Header(id=ids.HEADER, className="site-header", children=header("/", "en")),
                html.Main(dash.page_container, id="main", tabIndex=-1),
                html.Footer(id=ids.FOOTER, className="site-footer", **{"data-built": built}),
                dcc.Store(id=DOC_TITLE),
                texts_store(),
            ],
            className="page",
        )
    return app


def renderer_preloads(app: Dash) -> str:
    """``<link rel="preload">`` for the two answers dash-renderer asks for once its scripts have run (the layout and
    the callbacks): fetched with the scripts instead of two round trips after them. ``crossorigin`` matches the
    renderer's ``fetch`` (cors, same-origin credentials), so the browser uses the preloaded answer."""
    prefix = app.config.requests_pathname_prefix
    return "".join(
        f'\n        <link rel="preload" href="{prefix}{name}" as="fetch" crossorigin="anonymous">'
        for name in ("_dash-layout", "_dash-dependencies")
    )


def _localise_index(app: Dash) -> None:
    """Serve ``<html lang>`` and ``<title>`` in the language the request asks for (``?lang=zh`` → ``zh-Hans``),
    before any script runs; app/chrome.py's clientside callback keeps them right after in-app navigation."""
    plain = app.interpolate_index

    def interpolate_index(**kwargs) -> str:
        if not has_request_context():
            return plain(**kwargs)
        query = request.query_string.decode("utf-8", "replace")
        lang = lang_of(query)
        title = doc_title(request.path, lang)
        paint = first_paint(request.path, query, lang, title)
        kwargs["app_entry"] = f'<div id="react-entry-point">{paint.body}</div>'
        kwargs["scripts"] = page_scripts(app, kwargs.get("scripts", ""), lang)
        kwargs["metas"] = (
            strip_dash_social_tags(kwargs.get("metas", ""))
            + paint.metas
            + plotly_head_tags(app, preload=paint.charts)
            + renderer_preloads(app)
        )
        page = plain(**kwargs)
        page = re.sub(r"<title>.*?</title>", lambda _m: f"<title>{escape(title)}</title>", page, count=1, flags=re.S)
        return page.replace('<html lang="en">', f'<html lang="{html_lang(lang)}">', 1)

    app.interpolate_index = interpolate_index


def main() -> None:
    """``python -m app.main`` (``make run``): the development server on ``HOST``:``PORT``; debug with ``DEBUG=1``."""
    settings = Settings.from_env()
    create_app(settings).run(host=settings.host, port=settings.port, debug=settings.debug)


if __name__ == "__main__":
    main()
