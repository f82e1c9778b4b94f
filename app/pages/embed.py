"""/embed/<chart>?<the page's query>: one chart alone — title, chart, summary, source line — for an ``<iframe>`` on
another site (app/security.py lets any site frame these addresses, ``EMBED_FRAME_ANCESTORS``; app/main.py drops the
navigation and footer). The chart comes from the same view functions as the pages; the query is read the pages'
lenient way (an invalid value falls back to its default, with the notice), and a link opens the full view."""

from __future__ import annotations

import dash
from dash import html

from app import views
from app.components import figure_block, not_found_body, notices_block, source_block
from app.context import get_data, url_context
from app.i18n import normalise, translator
from app.routing import EMBED_CHARTS
from app.state import parse

dash.register_page(__name__, path_template="/embed/<chart>", title="Chart · Digital divide dashboard")

GRAPH = "embed-graph"


assert tuple(views.MODELS) == EMBED_CHARTS


def layout(chart: object = "", iso3: object = "", **query) -> html.Div:
    lang = normalise(query.get("lang") if isinstance(query.get("lang"), str) else None)
    data = get_data()
    code = iso3.strip().upper() if isinstance(iso3, str) else ""
    known = isinstance(chart, str) and chart in views.MODELS
    if not known or (chart.startswith("country") and code not in data.country_codes):
        return html.Div(not_found_body(translator(lang)))
    view_cls = views.MODELS[chart][0]
    view, notices = parse(view_cls, query, url_context())
    t = translator(view.lang)
    model = views.chart_model(chart, data, view, t, code)
    return html.Div(
        [
            notices_block(notices, t),
            figure_block(GRAPH, model, t, heading="h1"),
            source_block(model.footer, t, model.indicators),
            html.P(
                html.A(t("embed.open"), href=model.page, target="_blank", rel="noopener", className="embed-open"),
                className="embed-links",
            ),
        ],
        className="embed-view",
    )
