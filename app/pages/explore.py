"""/explore: an indicator for chosen groups and countries over time, on a map, ranked, and as a table."""

from __future__ import annotations

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, callback, dcc, html

from app import ids, views
from app.components import data_table, figure_block, notices_block, select_data, source_block
from app.context import get_data, url_context
from app.export.links import briefing_link, download_links
from app.figures import lines_to_frame
from app.i18n import translator
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
            dmc.Select(
                id=ids.EX_INDICATOR,
                label=t("explore.indicator"),
                value=view.indicator,
                allowDeselect=False,
                data=select_data((k, ind.title_in(lang)) for k, ind in data.registry.items()),
                searchable=True,
            ),
            dmc.SegmentedControl(
                id=ids.EX_SEX,
                value=view.sex,
                data=_sex_data(view.indicator, t),
                fullWidth=True,
                **{"aria-label": t("explore.sex")},
            ),
            dmc.MultiSelect(
                id=ids.EX_GROUPS,
                label=t("explore.groups"),
                value=list(view.groups),
                searchable=True,
                data=select_data(
                    (g, t("app.name_code", name=data.groups.label(g, lang), code=g)) for g in data.group_ids
                ),
                maxValues=8,
            ),
            dmc.MultiSelect(
                id=ids.EX_COUNTRIES,
                label=t("explore.countries"),
                value=list(view.countries),
                searchable=True,
                placeholder=t("explore.countries_placeholder"),
                maxValues=12,
                limit=30,
                data=select_data(
                    (c, t("app.name_code", name=data.country_name(c, lang), code=c)) for c in data.country_codes
                ),
            ),
            html.Div(
                [
                    dmc.Select(
                        id=ids.EX_FROM,
                        label=t("explore.from"),
                        value=str(view.start),
                        data=years,
                        allowDeselect=False,
                        w=110,
                    ),
                    dmc.Select(
                        id=ids.EX_TO,
                        label=t("explore.to"),
                        value=str(view.end or data.last_year),
                        data=years,
                        allowDeselect=False,
                        w=110,
                    ),
                    dmc.Select(
                        id=ids.EX_YEAR,
                        label=t("explore.year"),
                        value=str(view.year or ""),
                        data=[{"value": "", "label": t("explore.latest")}] + years,
                        allowDeselect=False,
                        w=190,
                    ),
                ],
                className="row",
            ),
            dmc.Switch(id=ids.EX_MEMBERS, label=t("explore.members"), checked=view.members),
        ],
        className="controls",
    )


def _sex_data(indicator: str, t) -> list[dict]:
    sexes = get_data().registry[indicator].sexes
    return [{"value": s, "label": t(f"sex.{s}")} for s in sexes]


def layout(**query) -> html.Div:
    view, notices = parse(ExploreView, query, url_context())
    t = translator(view.lang)
    tabs = dmc.Tabs(
        id=ids.EX_TABS,
        value=view.tab,
        children=[
            dmc.TabsList([dmc.TabsTab(t(f"explore.tab_{tab}"), value=tab) for tab in TABS]),
            # the chosen tab is drawn into the page itself: the first chart needs no callback round trip
            *[
                dmc.TabsPanel(
                    html.Div(render_tab(view, t) if tab == view.tab else None, id=f"explore-panel-{tab}"), value=tab
                )
                for tab in TABS
            ],
        ],
    )
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("explore.heading")),
            html.P(t("explore.intro"), className="intro"),
            _controls(view, t),
            dcc.Loading(tabs, type="dot", delay_show=400),
            dcc.Store(id=STORE, data=to_query(view)),
            dcc.Store(id=LANG, data=view.lang),
        ]
    )


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


@callback(
    [Output(f"explore-panel-{tab}", "children") for tab in TABS],
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
    view = view_from_controls(indicator, sex, groups, countries, start, end, tab, members, year, lang)
    t = translator(view.lang)
    panels = [html.Div() for _ in TABS]
    panels[TABS.index(view.tab)] = render_tab(view, t)
    return (*panels, to_query(view), _sex_data(view.indicator, t), view.sex)


def render_tab(view: ExploreView, t) -> html.Div:
    data = get_data()
    name = f"{view.indicator.replace('_', '-')}_{'-'.join(view.groups)}"
    if view.tab == "chart":
        fig, summary, notes, _lines, footer = views.explore_trend(data, view, t)
        return html.Div(
            [
                figure_block(ids.EX_GRAPH, fig, summary, name, t),
                download_links("explore", view, t),
                _notes(notes, t),
                source_block(footer, t),
                _briefing(view, t),
            ]
        )
    if view.tab == "map":
        fig, summary, year, footer = views.explore_map(data, view, t)
        notes = [t("map.small_islands")]
        return html.Div(
            [
                figure_block(ids.EX_GRAPH, fig, summary, f"{name}_map_{year}", t),
                download_links("map", view, t),
                _notes(notes, t),
                source_block(footer, t),
                _briefing(view, t),
            ]
        )
    if view.tab == "ranking":
        fig, summary, _values, year, footer = views.explore_ranking(data, view, t)
        return html.Div(
            [
                figure_block(ids.EX_GRAPH, fig, summary, f"{name}_ranking_{year}", t),
                download_links("ranking", view, t),
                source_block(footer, t),
                _briefing(view, t),
            ]
        )
    fig, summary, notes, lines, footer = views.explore_trend(data, view, t)
    shown = lines_to_frame([ln for ln in lines if ln.kind != "member"])
    columns = {
        "label": t("table.label"),
        "year": t("table.year"),
        "value": t("table.value"),
        "coverage": t("table.coverage"),
        "n_reporting": t("table.reporting"),
        "n_members": t("table.members"),
    }
    shown["coverage"] = shown["coverage"] * 100 if "coverage" in shown else None
    table = data_table(shown.sort_values(["label", "year"]), columns, view.lang, t("explore.table_caption"))
    return html.Div(
        [
            html.P(summary, className="summary"),
            table,
            download_links("explore", view, t, formats=("csv", "zip")),
            _notes(notes, t),
            source_block(footer, t),
            _briefing(view, t),
        ]
    )


def _briefing(view: ExploreView, t) -> html.P:
    """The briefing pack for the chosen groups (the pack adds the world itself)."""
    groups = [g for g in view.groups if g != "WLD"] or ["WLD"]
    return briefing_link(groups, view.lang, t, ", ".join(get_data().groups.label(g, view.lang) for g in groups))


def _notes(notes: list[str], t) -> html.Div:
    if not notes:
        return html.Div()
    return html.Div(
        [html.H2(t("explore.notes"), className="visually-hidden"), html.Ul([html.Li(n) for n in notes])],
        className="notes",
        role="note",
    )
