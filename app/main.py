"""The Dash app factory. ``make run`` serves it on http://127.0.0.1:8050; ``server`` is the WSGI app for gunicorn."""

from __future__ import annotations

import os
from pathlib import Path

import dash
import dash_mantine_components as dmc
import plotly.io as pio
from dash import Dash, Input, Output, callback, clientside_callback, dcc, html

from app import ids, theme  # noqa: F401  (theme registers the plotly template)
from app.i18n import translator

APP_DIR = Path(__file__).resolve().parent
NAV = (("overview", "/"), ("explore", "/explore"), ("gender", "/gender"), ("country", "/country"), ("about", "/about"))

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
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def _lang_of(search: str | None) -> str:
    from urllib.parse import parse_qs

    values = parse_qs((search or "").lstrip("?")).get("lang", ["en"])
    return values[0] if values and values[0] in ("en", "zh") else "en"


def header(pathname: str, lang: str) -> list:
    t = translator(lang)
    suffix = "?lang=zh" if lang == "zh" else ""
    links = []
    for key, href in NAV:
        current = pathname == href or (href != "/" and (pathname or "").startswith(href))
        label = [t(f"nav.{key}")] + (
            [html.Span(" " + t("nav.current"), className="visually-hidden")] if current else []
        )
        links.append(dcc.Link(label, href=href + suffix, className="nav-link" + (" current" if current else "")))
    return [
        html.A(t("app.skip"), href="#main", className="skip-link"),
        html.Div(
            [
                html.A(t("app.name"), href="/" + suffix, className="brand"),
                html.Span(t("app.tagline"), className="tagline"),
            ],
            className="brand-row",
        ),
        html.Nav(links, className="nav", **{"aria-label": t("nav.label")}),
        html.Div(
            [
                html.Button(
                    "English",
                    id="lang-en",
                    className="lang" + (" current" if lang == "en" else ""),
                    lang="en",
                    **{"aria-pressed": "true" if lang == "en" else "false"},
                ),
                html.Button(
                    "中文",
                    id="lang-zh",
                    className="lang" + (" current" if lang == "zh" else ""),
                    lang="zh",
                    **{"aria-pressed": "true" if lang == "zh" else "false"},
                ),
            ],
            className="lang-switch",
            role="group",
            **{"aria-label": t("app.language")},
        ),
    ]


def create_app(data_dir: str | Path | None = None) -> Dash:
    """Build the app on the snapshot in ``data_dir`` (default: the project's data/)."""
    if data_dir is not None:
        os.environ["DIVIDE_DATA_DIR"] = str(data_dir)
    from app.context import get_data

    data = get_data()  # load the snapshot once, before the first request
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(APP_DIR / "pages"),
        assets_folder=str(APP_DIR / "assets"),
        title="Digital divide dashboard",
        compress=True,
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    app.index_string = INDEX
    built = data.snapshot.provenance.get("built", "")
    app.layout = dmc.MantineProvider(
        html.Div(
            [
                dcc.Location(id=ids.URL),
                html.Header(id=ids.HEADER, className="site-header", children=header("/", "en")),
                html.Main(dash.page_container, id="main", tabIndex=-1),
                html.Footer(id=ids.FOOTER, className="site-footer", **{"data-built": built}),
            ],
            className="page",
        )
    )
    return app


@callback(
    Output(ids.HEADER, "children"), Output(ids.FOOTER, "children"), Input(ids.URL, "pathname"), Input(ids.URL, "search")
)
def _chrome(pathname, search):
    from app.context import get_data

    lang = _lang_of(search)
    t = translator(lang)
    built = get_data().snapshot.provenance.get("built", "")
    return header(pathname or "/", lang), [html.P(t("footer.text")), html.P(t("footer.snapshot", built=built))]


clientside_callback(
    """
    function(search) {
        var lang = new URLSearchParams(search || "").get("lang") === "zh" ? "zh" : "en";
        document.documentElement.lang = lang === "zh" ? "zh-Hans" : "en";
        return window.dash_clientside.no_update;
    }
    """,
    Output(ids.URL, "hash"),
    Input(ids.URL, "search"),
)

clientside_callback(
    """
    function(en, zh) {
        var trig = (window.dash_clientside.callback_context.triggered[0] || {}).prop_id || "";
        if (!trig || trig === ".") { return window.dash_clientside.no_update; }
        var lang = trig.indexOf("lang-zh") === 0 ? "zh" : "en";
        var params = new URLSearchParams(window.location.search);
        params.set("lang", lang);
        window.location.assign(window.location.pathname + "?" + params.toString());
        return window.dash_clientside.no_update;
    }
    """,
    Output("lang-en", "className"),
    Input("lang-en", "n_clicks"),
    Input("lang-zh", "n_clicks"),
    prevent_initial_call=True,
)

app = create_app()
server = app.server


def main() -> None:
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8050"))
    debug = os.environ.get("DEBUG", "0") == "1"
    app.run(host=host, port=port, debug=debug)


if __name__ == "__main__":
    main()
