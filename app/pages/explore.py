"""/explore: an indicator for chosen groups and countries over time, on a map, ranked, and as a table."""

from __future__ import annotations

from functools import lru_cache

import dash
import dash_mantine_components as dmc
from dash import Input, Output, Patch, State, callback, dcc, html, no_update

from app import ids, views
from app.components import PICKER, data_table, figure_block, notices_block, select_data, source_block
from app.context import get_data, url_context
from app.export.links import briefing_link, download_hrefs, download_links
from app.figures import lines_to_frame, screen_version
from app.i18n import translator
from app.share import share_controls
from app.state import TABS, ExploreView, parse, to_query
from app.urlsync import register_url_sync

dash.register_page(__name__, path="/explore", title="Explore · Digital divide dashboard", order=1)

STORE = "explore-query"
LANG = "explore-lang"
RENDERED = "explore-rendered"  # the tab whose whole tree the page holds (update() patches only that tree)
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
                data=select_data(
                    (g, t("app.name_code", name=data.groups.label(g, lang), code=g)) for g in data.group_ids
                ),
                maxValues=8,
                **PICKER,
            ),
            dmc.MultiSelect(
                id=ids.EX_COUNTRIES,
                label=t("explore.countries"),
                value=list(view.countries),
                **PICKER,
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
            dcc.Store(id=RENDERED, data=view.tab),
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
    Output(RENDERED, "data"),
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
    State(RENDERED, "data"),
    prevent_initial_call=True,  # the layout already holds what the first call would draw
)
def update(indicator, sex, groups, countries, start, end, tab, members, year, lang, rendered):
    """A new tab is drawn whole; a new view of the tab on screen is sent as a Patch of the values that change (the
    figure, its texts, the links), not as a new component tree: that is most of a callback's cost otherwise.
    ``RENDERED`` names the tab whose whole tree the page holds; it changes in the same answer as the tree, so a
    patch never meets a panel an earlier, discarded answer was to fill."""
    view = view_from_controls(indicator, sex, groups, countries, start, end, tab, members, year, lang)
    t = translator(view.lang)
    index = TABS.index(view.tab)
    rendered = rendered if rendered in TABS else None  # State, as forgeable as the Inputs: a known tab or none
    if view.tab in PATCHED_TABS and rendered == view.tab:
        panels: list = [no_update] * len(TABS)
        panels[index] = patch_tab(view, t)
        marker = no_update
    else:
        panels = [None] * len(TABS)  # the hidden tabs are emptied (the graph id must stay unique)
        panels[index] = render_tab(view, t)
        marker = view.tab
    return (*panels, to_query(view), _sex_data(view.indicator, t), view.sex, marker)


#: the tabs whose content has one fixed shape (a figure block, its links, notes, source, briefing link)
PATCHED_TABS = ("chart", "map", "ranking")


def _graph_parts(view: ExploreView, t) -> tuple[str, dict, str, str, list[str], str]:
    """(chart, figure, summary, file name, notes, footer) of a graph tab."""
    data = get_data()
    name = f"{view.indicator.replace('_', '-')}_{'-'.join(view.groups)}"
    if view.tab == "chart":
        fig, summary, notes, _lines, footer = views.explore_trend(data, view, t)
        return "explore", fig, summary, name, notes, footer
    if view.tab == "map":
        fig, summary, year, footer = views.explore_map(data, view, t)
        return "map", fig, summary, f"{name}_map_{year}", [t("map.small_islands")], footer
    fig, summary, _values, year, footer = views.explore_ranking(data, view, t)
    return "ranking", fig, summary, f"{name}_ranking_{year}", [], footer


def render_tab(view: ExploreView, t) -> html.Div:
    if view.tab in PATCHED_TABS:
        chart, fig, summary, filename, notes, footer = _graph_parts(view, t)
        return html.Div(  # patch_tab writes into these positions: keep the two in step
            [
                figure_block(ids.EX_GRAPH, fig, summary, filename, t),
                download_links(chart, view, t),
                share_controls(chart, t),
                _notes(notes, t),
                source_block(footer, t, (view.indicator,)),
                _briefing(view, t),
            ]
        )
    fig, summary, notes, lines, footer = views.explore_trend(get_data(), view, t)
    shown = lines_to_frame([ln for ln in lines if ln.kind != "member"])
    columns = {
        "label": t("table.label"),
        "year": t("table.year"),
        "value": t("table.value"),
        "coverage": t("table.coverage"),
        "n_reporting": t("table.reporting"),
        "n_members": t("table.members"),
        "n_filled": t("table.filled"),
        "filled_share": t("table.filled_share"),
    }
    for share in ("coverage", "filled_share"):
        shown[share] = shown[share] * 100 if share in shown else None
    table = data_table(shown.sort_values(["label", "year"]), columns, view.lang, t("explore.table_caption"))
    return html.Div(
        [
            html.P(summary, className="summary"),
            table,
            download_links("explore", view, t, formats=("csv", "xlsx", "zip")),
            share_controls("explore", t),
            _notes(notes, t),
            source_block(footer, t, (view.indicator,)),
            _briefing(view, t),
        ]
    )


def patch_tab(view: ExploreView, t) -> Patch:
    """What ``render_tab`` would draw for ``view``, as assignments into the tree it drew for an earlier view of the
    same tab (tests/test_explore_patch.py checks that patching the old tree gives the new one)."""
    chart, fig, summary, filename, notes, footer = _graph_parts(view, t)
    screen, title, subtitle = screen_version(fig)
    patch = Patch()
    block = patch["props"]["children"][0]["props"]  # figure_block: Figure[H2, P, Graph, Figcaption]
    block["children"][0]["props"]["children"] = title
    block["children"][1]["props"]["children"] = subtitle
    block["children"][2]["props"]["figure"] = screen
    block["children"][2]["props"]["config"]["toImageButtonOptions"]["filename"] = filename
    block["children"][3]["props"]["children"] = summary
    links = patch["props"]["children"][1]["props"]["children"]  # download_links: Div[Span, A per format]
    for i, href in enumerate(download_hrefs(chart, view), start=1):
        links[i]["props"]["href"] = href
    patch["props"]["children"][3] = _notes(notes, t)  # [2] is share_controls: the same for every view of a tab
    patch["props"]["children"][4] = source_block(footer, t, (view.indicator,))
    patch["props"]["children"][5] = _briefing(view, t)
    return patch


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
