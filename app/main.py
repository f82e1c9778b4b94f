"""The Dash app factory. ``make run`` serves it on http://127.0.0.1:8050; ``server`` is the WSGI app for gunicorn."""

from __future__ import annotations

import os
import re
from html import escape
from pathlib import Path

import dash
import plotly.io as pio
from dash import ALL, Dash, Input, Output, callback, clientside_callback, dcc, html

from app import ids, theme  # noqa: F401  (theme registers the plotly template)
from app.callback_cache import install_callback_cache
from app.export.routes import register_export_routes
from app.first_paint_page import first_paint, register_static_chart_route, strip_dash_social_tags
from app.http_cache import install_http_cache
from app.i18n import format_date, html_lang, lang_of, lang_query, language_name, languages, translator
from app.page_scripts import page_scripts
from app.page_scripts import register as register_page_scripts
from app.plotly_bundle import head_tags as plotly_head_tags
from app.plotly_bundle import use_custom_bundle
from app.public_url import public_base_url
from app.routing import install_not_found_status, is_embed, page_exists
from app.security import install_callback_guard, install_query_guard, install_security_headers
from app.share import TEXTS, share_texts, texts_store
from app.static_compress import install_static_compression

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
        <div class="dash-scripts">
            {%config%}
            {%scripts%}
            {%renderer%}
        </div>
    </body>
</html>"""


LANG_BUTTON = "lang-button"  # pattern-matching id type: {"type": LANG_BUTTON, "lang": code}
DOC_TITLE = "doc-title"  # dcc.Store: the translated document title for the current page


def _page_key(pathname: str) -> str:
    """The NAV key of the page at ``pathname`` (``/country/KEN`` → ``country``)."""
    if (pathname or "").startswith("/indicator/"):
        return "indicator"  # not in the navigation: reached from every chart's source line
    for key, href in NAV:
        if pathname == href or (href != "/" and (pathname or "").startswith(href)):
            return key
    return "overview"


def doc_title(pathname: str, lang: str) -> str:
    """The document title of the page at ``pathname``: its NAV name, the economy's for a country profile ("Nepal ·
    Digital divide …"), "Page not found" for an address that names no page, "Chart" for an embed."""
    from app.context import get_data

    t = translator(lang)
    path = pathname or "/"
    parts = path.strip("/").split("/")
    if not page_exists(path):
        page = t("not_found.heading")
    elif is_embed(path):
        page = t("embed.page")
    elif len(parts) == 2 and parts[0] == "country" and parts[1].upper() in get_data().country_codes:
        page = get_data().country_name(parts[1].upper(), lang)
    else:
        page = t(f"nav.{_page_key(path)}")
    return t("app.doc_title", page=page)


#: the pages whose ``group`` parameter the navigation carries over, so moving between them keeps the groups chosen
GROUP_PAGES = ("/explore", "/gender")


def chosen_groups(search: str | None) -> str:
    """The ``group`` parameter of ``search`` when every id in it is a known group ("" otherwise): carried by the
    navigation links of Explore and Gender."""
    from urllib.parse import parse_qs

    from app.context import get_data

    values = parse_qs((search or "").lstrip("?")).get("group", [])
    if len(values) != 1:
        return ""
    ids_ = [g for g in values[0].split(",") if g]
    known = set(get_data().group_ids)
    return ",".join(ids_) if ids_ and len(ids_) <= 12 and all(g in known for g in ids_) else ""


def header(pathname: str, lang: str, groups: str = "") -> list:
    t = translator(lang)
    suffix = lang_query(lang)
    links = []
    for key, href in NAV:
        current = pathname == href or (href != "/" and (pathname or "").startswith(href))
        label = [t(f"nav.{key}")] + (
            [html.Span(" " + t("nav.current"), className="visually-hidden")] if current else []
        )
        target = href + suffix
        if groups and href in GROUP_PAGES:
            target += ("&" if suffix else "?") + f"group={groups}"
        links.append(dcc.Link(label, href=target, className="nav-link" + (" current" if current else "")))
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
                    language_name(code),
                    id={"type": LANG_BUTTON, "lang": code},
                    className="lang" + (" current" if lang == code else ""),
                    lang=html_lang(code),
                    **{"aria-pressed": "true" if lang == code else "false"},
                )
                for code in languages()
            ],
            className="lang-switch",
            role="group",
            **{"aria-label": t("app.language")},
        ),
    ]


def footer(lang: str) -> list:
    """The site footer: what the dashboard is and the snapshot's build date, in ``lang``."""
    from app.context import get_data

    t = translator(lang)
    built = format_date(get_data().snapshot.provenance.get("built", ""), lang)
    return [html.P(t("footer.text")), html.P(t("footer.snapshot", built=built))]


def create_app(data_dir: str | Path | None = None) -> Dash:
    """Build the app on the snapshot in ``data_dir`` (default: the project's data/)."""
    if data_dir is not None:
        os.environ["DIVIDE_DATA_DIR"] = str(data_dir)
    from app.context import get_data

    public_base_url()  # a malformed PUBLIC_BASE_URL stops the start, not the first download
    data = get_data()  # load the snapshot once, before the first request
    app = Dash(
        __name__,
        use_pages=True,
        pages_folder=str(APP_DIR / "pages"),
        assets_folder=str(APP_DIR / "assets"),
        title="Digital divide dashboard",
        update_title=None,  # not "Updating...": the title stays in the page's language
        compress=True,
        suppress_callback_exceptions=True,
        serve_locally=True,
    )
    use_custom_bundle(app)  # the partial plotly.js (app/plotlyjs/) in place of Dash's full copy
    register_page_scripts(app)  # each page links only the libraries it renders (app/page_scripts.py)
    app.index_string = INDEX
    _localise_index(app)
    install_security_headers(app)
    install_callback_guard(app)
    install_query_guard(app)
    install_callback_cache(app)
    install_static_compression(app)
    install_not_found_status(app)
    install_http_cache(app)
    register_export_routes(app.server)  # /data.csv, /data.json, /download/<chart>.<fmt>, /download/briefing.pdf
    register_static_chart_route(app.server)  # /static-chart/<chart>.<svg|png>: the first paint's chart images
    built = data.snapshot.provenance.get("built", "")
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
    before any script runs; the clientside callback below keeps them right after in-app navigation."""
    from flask import has_request_context, request

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


@callback(
    Output(ids.HEADER, "children"),
    Output(ids.FOOTER, "children"),
    Output(DOC_TITLE, "data"),
    Output(TEXTS, "data"),
    Input(ids.URL, "pathname"),
    Input(ids.URL, "search"),
)
def _chrome(pathname, search):
    """Header, footer and document title in the language of the address (``?lang=``)."""
    lang = lang_of(search)
    t = translator(lang)
    doc = {"lang": html_lang(lang), "title": doc_title(pathname or "/", lang)}
    if is_embed(pathname):  # the chart alone: no navigation, no footer
        return [], [], doc, share_texts(t)
    return header(pathname or "/", lang, chosen_groups(search)), footer(lang), doc, share_texts(t)


# <html lang> and the document title: Dash's pages set the registered (English) title when the page changes, so the
# translated one is applied just after it.
clientside_callback(
    """
    function(doc, pages) {
        if (!doc) { return window.dash_clientside.no_update; }
        document.documentElement.lang = doc.lang;
        setTimeout(function () { document.title = doc.title; }, 0);
        return window.dash_clientside.no_update;
    }
    """,
    Output(ids.URL, "hash"),
    Input(DOC_TITLE, "data"),
    Input("_pages_store", "data"),
)

clientside_callback(
    """
    function(clicks) {
        var ctx = window.dash_clientside.callback_context;
        var trig = (ctx.triggered[0] || {});
        if (!trig.prop_id || trig.prop_id === "." || !trig.value) { return window.dash_clientside.no_update; }
        var lang = JSON.parse(trig.prop_id.slice(0, trig.prop_id.lastIndexOf("."))).lang;
        var params = new URLSearchParams(window.location.search);
        params.set("lang", lang);
        window.location.assign(window.location.pathname + "?" + params.toString());
        return window.dash_clientside.no_update;
    }
    """,
    Output({"type": LANG_BUTTON, "lang": ALL}, "className"),
    Input({"type": LANG_BUTTON, "lang": ALL}, "n_clicks"),
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
