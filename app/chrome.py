"""The site's chrome around every page: the header (brand, navigation, language switch), the footer and the
document title, in the language of the address, and the callbacks that keep them right after in-app navigation
(:func:`install_chrome`). The first paint (app/first_paint_page.py) draws the same header and footer as HTML."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import ALL, Dash, Input, Output, dcc, html

from app import ids
from app.context import get_data
from app.i18n import format_date, html_lang, lang_of, lang_query, language_name, languages, translator
from app.routing import is_embed, page_exists
from app.share import TEXTS, share_texts

NAV = (("overview", "/"), ("explore", "/explore"), ("gender", "/gender"), ("country", "/country"), ("about", "/about"))


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
    t = translator(lang)
    built = format_date(get_data().snapshot.provenance.get("built", ""), lang)
    return [html.P(t("footer.text")), html.P(t("footer.snapshot", built=built))]


def chrome(pathname, search):
    """Header, footer and document title in the language of the address (``?lang=``)."""
    lang = lang_of(search)
    t = translator(lang)
    doc = {"lang": html_lang(lang), "title": doc_title(pathname or "/", lang)}
    if is_embed(pathname):  # the chart alone: no navigation, no footer
        return [], [], doc, share_texts(t)
    return header(pathname or "/", lang, chosen_groups(search)), footer(lang), doc, share_texts(t)


#: ``<html lang>`` and the document title: Dash's pages set the registered (English) title when the page changes, so
#: the translated one is applied just after it.
APPLY_DOC_TITLE = """
    function(doc, pages) {
        if (!doc) { return window.dash_clientside.no_update; }
        document.documentElement.lang = doc.lang;
        setTimeout(function () { document.title = doc.title; }, 0);
        return window.dash_clientside.no_update;
    }
    """

#: a language button reloads the address with its ``?lang=``
SWITCH_LANGUAGE = """
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
    """


def install_chrome(app: Dash) -> None:
    """Register the chrome's callbacks on ``app``: header, footer and title from the address (:func:`chrome`),
    :data:`APPLY_DOC_TITLE` and :data:`SWITCH_LANGUAGE` in the browser."""
    app.callback(
        Output(ids.HEADER, "children"),
        Output(ids.FOOTER, "children"),
        Output(DOC_TITLE, "data"),
        Output(TEXTS, "data"),
        Input(ids.URL, "pathname"),
        Input(ids.URL, "search"),
    )(chrome)
    app.clientside_callback(
        APPLY_DOC_TITLE, Output(ids.URL, "hash"), Input(DOC_TITLE, "data"), Input("_pages_store", "data")
    )
    app.clientside_callback(
        SWITCH_LANGUAGE,
        Output({"type": LANG_BUTTON, "lang": ALL}, "className"),
        Input({"type": LANG_BUTTON, "lang": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
