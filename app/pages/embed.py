"""/embed/<chart>?<the page's query>: one chart alone — title, chart, summary, source line — for an ``<iframe>`` on
another site (app/security.py lets any site frame these addresses, ``EMBED_FRAME_ANCESTORS``; app/main.py drops the
navigation and footer). The chart comes from the same view functions as the pages; the query is read the pages'
lenient way (an invalid value falls back to its default, with the notice), and a link opens the full view."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import dash
from dash import html

from app import views
from app.components import figure_block, not_found_body, notices_block, source_block
from app.context import get_data, url_context
from app.i18n import normalise, translator
from app.routing import EMBED_CHARTS
from app.state import CountryView, ExploreView, GenderView, parse, to_query

dash.register_page(__name__, path_template="/embed/<chart>", title="Chart · Digital divide dashboard")

GRAPH = "embed-graph"


def _explore(tab: str) -> Callable:
    def draw(data, view: ExploreView, t, _iso3):
        if tab == "chart":
            fig, summary, _notes, _lines, footer = views.explore_trend(data, view, t)
        elif tab == "map":
            fig, summary, _year, footer = views.explore_map(data, view, t)
        else:
            fig, summary, _values, _year, footer = views.explore_ranking(data, view, t)
        return fig, summary, footer, f"/explore?{to_query(replace(view, tab=tab))}"

    return draw


def _gender(data, view: GenderView, t, _iso3):
    fig, series, _answers, footer = views.gender_parity(data, view, t)
    groups = t("app.list_sep").join(data.groups.label(g, t.lang) for g in view.groups)
    n_lines = series["label"].nunique() if len(series) else 0
    return fig, t("gender.parity_chart_summary", groups=groups, n=n_lines), footer, f"/gender?{to_query(view)}"


def _dumbbell(indicator: str) -> Callable:
    def draw(data, view: GenderView, t, _iso3):
        fig, _rows, footer, summary = views.gender_dumbbell(data, view, indicator, t)
        return fig, summary, footer, f"/gender?{to_query(view)}"

    return draw


def _country(data, view: CountryView, t, iso3: str):
    fig, _series, footer, summary = views.country_trend(data, view, iso3, t)
    return fig, summary, footer, f"/country/{iso3}?{to_query(view)}"


def _country_parity(data, view: CountryView, t, iso3: str):
    fig, _scores, footer, summary = views.country_parity(data, view, iso3, t)
    return fig, summary, footer, f"/country/{iso3}?{to_query(view)}"


#: chart → (view class, draw(data, view, t, iso3) → (figure, summary, source line, the full page's address))
DRAW: dict[str, tuple[type, Callable]] = {
    "explore": (ExploreView, _explore("chart")),
    "map": (ExploreView, _explore("map")),
    "ranking": (ExploreView, _explore("ranking")),
    "gender": (GenderView, _gender),
    "gender-internet": (GenderView, _dumbbell("internet_users")),
    "gender-mobile": (GenderView, _dumbbell("mobile_ownership")),
    "country": (CountryView, _country),
    "country-parity": (CountryView, _country_parity),
}
assert tuple(DRAW) == EMBED_CHARTS


def layout(chart: object = "", iso3: object = "", **query) -> html.Div:
    lang = normalise(query.get("lang") if isinstance(query.get("lang"), str) else None)
    data = get_data()
    code = iso3.strip().upper() if isinstance(iso3, str) else ""
    known = isinstance(chart, str) and chart in DRAW
    if not known or (chart.startswith("country") and code not in data.country_codes):
        return html.Div(not_found_body(translator(lang)))
    view_cls, draw = DRAW[chart]
    view, notices = parse(view_cls, query, url_context())
    t = translator(view.lang)
    fig, summary, footer, page = draw(data, view, t, code)
    return html.Div(
        [
            notices_block(notices, t),
            figure_block(GRAPH, fig, summary, chart, t, heading="h1"),
            source_block(footer, t),
            html.P(
                html.A(t("embed.open"), href=page, target="_blank", rel="noopener", className="embed-open"),
                className="embed-links",
            ),
        ],
        className="embed-view",
    )
