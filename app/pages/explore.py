"""/explore: an indicator for chosen groups and countries over time, on a map, ranked, and as a table."""

from __future__ import annotations

from functools import lru_cache

import dash
from dash import Input, Output, State, callback, dcc, html

from app import ids, views
from app.components import (
    data_table,
    figure_block,
    graph_config,
    notices_block,
    select_data,
    source_block,
)
from app.context import get_data, url_context
from app.controls import MultiSelect, Segmented, Select, Switch, Tabs, picker_texts
from app.export.links import IMAGE_AND_DATA, briefing_link, download_links
from app.figures import lines_to_frame
from app.i18n import translator
from app.share import share_controls
from app.state import TABS, ExploreView, parse, to_query
from app.urlsync import register_url_sync

dash.register_page(__name__, path="/explore", title="Explore · Digital divide dashboard", order=1)

STORE = "explore-query"
LANG = "explore-lang"
register_url_sync(STORE)


def _controls(view: ExploreView, t) -> html.Div:
    data = get_data()
    lang = t.lang
    years = [str(y) for y in data.years]
    return html.Div(
        [
            Select(
                id=ids.EX_INDICATOR,
                label=t("explore.indicator"),
                value=view.indicator,
                data=select_data((k, ind.title_in(lang)) for k, ind in data.registry.items()),
            ),
            Segmented(
                id=ids.EX_SEX, value=view.sex, data=_sex_data(view.indicator, t), **{"aria-label": t("explore.sex")}
            ),
            MultiSelect(
                id=ids.EX_GROUPS,
                label=t("explore.groups"),
                value=list(view.groups),
                data=select_data(
                    (g, t("app.name_code", name=data.groups.label(g, lang), code=g)) for g in data.group_ids
                ),
                maxValues=8,
                texts=picker_texts(t),
            ),
            MultiSelect(
                id=ids.EX_COUNTRIES,
                label=t("explore.countries"),
                value=list(view.countries),
                texts=picker_texts(t),
                placeholder=t("explore.countries_placeholder"),
                maxValues=12,
                limit=30,
                data=select_data(
                    (c, t("app.name_code", name=data.country_name(c, lang), code=c)) for c in data.country_codes
                ),
            ),
            html.Div(
                [
                    Select(
                        id=ids.EX_FROM,
                        label=t("explore.from"),
                        value=str(view.start),
                        data=years,
                        width=110,
                    ),
                    Select(
                        id=ids.EX_TO,
                        label=t("explore.to"),
                        value=str(views.explore_years(data, view)[1]),
                        data=years,
                        width=110,
                    ),
                    Select(
                        id=ids.EX_YEAR,
                        label=t("explore.year"),
                        value=str(view.year or ""),
                        data=[{"value": "", "label": t("explore.latest")}] + years,
                        width=190,
                    ),
                ],
                className="row",
            ),
            Switch(id=ids.EX_MEMBERS, label=t("explore.members"), checked=view.members),
        ],
        className="controls",
    )


def _sex_data(indicator: str, t) -> list[dict]:
    sexes = get_data().registry[indicator].sexes
    return [{"value": s, "label": t(f"sex.{s}")} for s in sexes]


def layout(**query) -> html.Div:
    view, notices = parse(ExploreView, query, url_context())
    t = translator(view.lang)
    # the chosen view is drawn into the page itself: the first chart needs no callback round trip
    parts = view_parts(view, t)
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("explore.heading")),
            html.P(t("explore.intro"), className="intro"),
            _controls(view, t),
            # one panel under the tabs: the view in it has one fixed set of ids whichever tab is chosen
            Tabs(
                id=ids.EX_TABS,
                value=view.tab,
                data=[{"value": tab, "label": t(f"explore.tab_{tab}")} for tab in TABS],
                children=dcc.Loading(
                    html.Div(
                        [
                            figure_block(ids.EX_GRAPH, parts["model"], t, hidden=view.tab == "table"),
                            *[html.Div(parts[key], id=ident) for key, ident in REGIONS.items()],
                        ],
                        id=ids.EX_VIEW,
                    ),
                    type="dot",
                    delay_show=400,
                ),
                **{"aria-label": t("explore.tabs_label")},
            ),
            dcc.Store(id=STORE, data=to_query(view)),
            dcc.Store(id=LANG, data=view.lang),
        ]
    )


#: the parts of the view under the tabs, by id (the callback writes each by its id)
REGIONS = {
    "table": ids.EX_TABLE,
    "downloads": ids.EX_DOWNLOADS,
    "share": ids.EX_SHARE,
    "notes": ids.EX_NOTES,
    "source": ids.EX_SOURCE,
    "briefing": ids.EX_BRIEFING,
}


def view_from_controls(indicator, sex, groups, countries, start, end, tab, members, year, lang) -> ExploreView:
    """Controls → view through the same validation as the URL (a forged callback payload gets defaults)."""
    query = {
        "indicator": indicator or "",
        "sex": sex or "total",
        "group": ",".join(groups or []),
        "countries": ",".join(countries or []),
        "from": start or "",
        "to": end or "",
        "tab": tab or "chart",
        "members": "1" if members else "0",
        "year": year or "",
        "lang": lang or "en",
    }
    view, _ = parse(ExploreView, {k: v for k, v in query.items() if not (k == "from" and v == "")}, url_context())
    return view


#: the chart each tab shows (the table tab lists the trend chart's lines)
TAB_CHART = {"chart": "explore", "table": "explore", "map": "map", "ranking": "ranking"}


def view_parts(view: ExploreView, t) -> dict:
    """The model of the tab's chart and every part of the view under the tabs, keyed as in ``REGIONS``."""
    chart = TAB_CHART[view.tab]
    model = views.chart_model(chart, get_data(), view, t)
    formats = ("csv", "xlsx", "zip") if view.tab == "table" else IMAGE_AND_DATA
    return {
        "model": model,
        "table": _table(model, view, t) if view.tab == "table" else None,
        "downloads": download_links(chart, view, t, formats=formats),
        "share": share_controls(chart, t),
        "notes": _notes(list(model.notes), t),
        "source": source_block(model.footer, t, model.indicators),
        "briefing": _briefing(view, t),
    }


@callback(
    Output(f"{ids.EX_GRAPH}-title", "children"),
    Output(f"{ids.EX_GRAPH}-subtitle", "children"),
    Output(ids.EX_GRAPH, "figure"),
    Output(ids.EX_GRAPH, "config"),
    Output(f"{ids.EX_GRAPH}-summary", "children"),
    Output(f"{ids.EX_GRAPH}-keys", "children"),
    Output(f"{ids.EX_GRAPH}-figure", "hidden"),
    *[Output(ident, "children") for ident in REGIONS.values()],
    Output(STORE, "data"),
    Output(ids.EX_SEX, "data"),
    Output(ids.EX_SEX, "value"),
    Input(ids.EX_INDICATOR, "value"),
    Input(ids.EX_SEX, "value"),
    Input(ids.EX_GROUPS, "value"),
    Input(ids.EX_COUNTRIES, "value"),
    Input(ids.EX_FROM, "value"),
    Input(ids.EX_TO, "value"),
    Input(ids.EX_TABS, "value"),
    Input(ids.EX_MEMBERS, "checked"),
    Input(ids.EX_YEAR, "value"),
    State(LANG, "data"),
    prevent_initial_call=True,  # the layout already holds what the first call would draw
)
def update(indicator, sex, groups, countries, start, end, tab, members, year, lang):
    """The view under the tabs for the controls' state: every part written by its id (the figure and its texts, the
    table, the links, notes and sources), whichever tab is chosen."""
    view = view_from_controls(indicator, sex, groups, countries, start, end, tab, members, year, lang)
    t = translator(view.lang)
    parts = view_parts(view, t)
    model = parts["model"]
    regions = [parts[key] for key in REGIONS]
    figure = [model.title, model.subtitle, model.screen, graph_config(model.filename, t), model.summary]
    figure.append([html.Li(key) for key in model.keys])
    return (*figure, view.tab == "table", *regions, to_query(view), _sex_data(view.indicator, t), view.sex)


def _table(model, view: ExploreView, t) -> html.Div:
    """The table tab: the summary and the trend chart's lines (not the members') as a table."""
    shown = lines_to_frame([ln for ln in model.extra["lines"] if ln.kind != "member"])
    columns = {
        "label": t("table.label"),
        "year": t("table.year"),
        "value": t("table.value"),
        "band_low": t("table.band_low"),
        "band_high": t("table.band_high"),
        "coverage": t("table.coverage"),
        "n_reporting": t("table.reporting"),
        "n_members": t("table.members"),
        "n_filled": t("table.filled"),
        "filled_share": t("table.filled_share"),
    }
    for share in ("coverage", "filled_share"):
        shown[share] = shown[share] * 100 if share in shown else None
    table = data_table(shown.sort_values(["label", "year"]), columns, view.lang, t("explore.table_caption"))
    return html.Div([html.P(model.summary, className="summary"), table])


def _briefing(view: ExploreView, t) -> html.P:
    """The briefing pack for the chosen groups (the pack adds the world itself)."""
    return _briefing_for(tuple(g for g in view.groups if g != "WLD") or ("WLD",), view.lang)


@lru_cache(maxsize=1024)
def _briefing_for(groups: tuple[str, ...], lang: str) -> html.P:
    """One link per (groups, language), built once: components are only read when a response is serialised."""
    labels = ", ".join(get_data().groups.label(g, lang) for g in groups)
    return briefing_link(list(groups), lang, translator(lang), labels)


def _notes(notes: list[str], t) -> html.Div:
    if not notes:
        return html.Div()
    return html.Div(
        [html.H2(t("explore.notes"), className="visually-hidden"), html.Ul([html.Li(n) for n in notes])],
        className="notes",
        role="note",
    )
