"""/: the resolution scorecard, headline gaps, and a tile per target with its verdict."""

from __future__ import annotations

from functools import cache

import dash
import dash_mantine_components as dmc
from dash import Input, Output, State, callback, dcc, html

from app import ids
from app.components import data_table, notices_block, select_data, source_text
from app.context import get_data, url_context
from app.export.links import briefing_link
from app.i18n import format_number, lang_query, translator
from app.reasons import render_reasons
from app.state import OverviewView, parse, to_query
from app.urlsync import register_url_sync
from indicators.progress import progress_table
from indicators.scorecard import scorecard

dash.register_page(__name__, path="/", title="Overview · Digital divide dashboard", order=0)

STORE = "overview-query"
LANG = "overview-lang"
register_url_sync(STORE)


@cache
def _progress():
    data = get_data()
    return progress_table(data.tidy, data.groups, data.targets, published=data.published)


@cache
def _scorecard():
    data = get_data()
    return scorecard(data.tidy, data.groups, data.seeds)


def layout(**query) -> html.Div:
    view, notices = parse(OverviewView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("overview.heading")),
            html.P(t("overview.intro"), className="intro"),
            html.Section([html.H2(t("overview.scorecard")), scorecard_block(t)], **{"aria-labelledby": "sc"}),
            html.Section(
                [
                    html.H2(t("overview.gaps")),
                    dmc.Select(
                        id=ids.OV_GROUP,
                        label=t("overview.group"),
                        value=view.group,
                        allowDeselect=False,
                        data=select_data(
                            (g, t("app.name_code", name=data.groups.label(g, view.lang), code=g))
                            for g in data.group_ids
                            if g != "WLD"
                        ),
                        w=360,
                        maw="100%",
                    ),
                    html.Div(id=ids.OV_BODY),
                ]
            ),
            html.Section([html.H2(t("overview.targets")), target_tiles(t)]),
            dcc.Store(id=STORE),
            dcc.Store(id=LANG, data=view.lang),
        ]
    )


def scorecard_block(t) -> html.Div:
    data = get_data()
    sc = _scorecard().rename(columns={"ours_same_year": "ours"})  # "*_year" columns are shown as years
    lang = t.lang
    sc["indicator_label"] = [
        (
            data.registry[i].title_in(lang)
            if s == "total"
            else t("app.name_code", name=data.registry[i].title_in(lang), code=t("sex." + s))
        )
        for i, s in zip(sc["indicator"], sc["sex"], strict=True)
    ]
    sc["group_label"] = [data.groups.label(g, lang) for g in sc["group"]]
    sc["coverage_pct"] = sc["ours_coverage"] * 100
    cols = {
        "paragraph": t("overview.col_paragraph"),
        "indicator_label": t("overview.col_indicator"),
        "group_label": t("overview.col_group"),
        "year": t("overview.col_year"),
        "stated": t("overview.col_stated"),
        "ours": t("overview.col_ours"),
        "coverage_pct": t("overview.col_coverage"),
        "latest_year": t("overview.col_latest_year"),
        "latest_value": t("overview.col_latest"),
    }
    sc["year"] = sc["year"].astype(float)
    indicators = sorted(set(sc["indicator"]))
    return html.Div(
        [
            data_table(sc, cols, lang, t("overview.scorecard_caption")),
            html.P(source_text(data, indicators, t), className="source"),
        ]
    )


def target_tiles(t) -> html.Div:
    data = get_data()
    lang = t.lang
    prog = _progress()
    by_id = {tg.id: tg for tg in data.targets}
    tiles = []
    for row in prog.itertuples():
        tg = by_id[row.target_id]
        verdict = row.verdict
        lines = [html.Span(t(f"verdict.{verdict}"), className=f"verdict verdict-{verdict.replace(' ', '-')}")]
        if row.latest_year == row.latest_year and row.latest_value is not None:
            digits = 2 if tg.metric == "parity_score" else 1
            lines.append(
                html.Span(
                    t("overview.latest", year=int(row.latest_year), value=format_number(row.latest_value, lang, digits))
                )
            )
        if row.met_year == row.met_year and row.met_year is not None:
            lines.append(html.Span(t("overview.met_year", year=int(row.met_year))))
        elif verdict != "insufficient data":
            lines.append(
                html.Span(
                    t("overview.projected", year=int(row.projected_year))
                    if row.projected_year == row.projected_year and row.projected_year
                    else t("overview.not_reached")
                )
            )
        if row.reasons:
            reason = render_reasons(
                row.reasons,
                t,
                lambda g: t("legend.world") if g == "WLD" else g,
                lambda i: data.registry[i].title_in(lang) if i in data.registry else i,
            )
            lines.append(html.Span(reason, className="reason"))
        tiles.append(
            html.Article(
                [
                    html.H3(tg.title_in(lang)),
                    html.P(f"{tg.group} · {t('overview.deadline', year=tg.target_year)}", className="meta"),
                    html.P(lines, className="tile-body"),
                ],
                className="tile",
            )
        )
    return html.Div(tiles, className="tiles")


@callback(Output(ids.OV_BODY, "children"), Output(STORE, "data"), Input(ids.OV_GROUP, "value"), State(LANG, "data"))
def update(group, lang):
    view, _ = parse(OverviewView, {"group": group or "", "lang": lang or "en"}, url_context())
    t = translator(view.lang)
    label = get_data().groups.label(view.group, view.lang)
    return [briefing_link([view.group], view.lang, t, label), gaps_block(view.group, t)], to_query(view)


def gaps_block(group: str, t) -> html.Ul:
    data = get_data()
    lang = t.lang
    items = []
    for ind in ("internet_users", "households_internet", "mobile_broadband_per100", "coverage_4g"):
        g = data.group_aggregate(ind, group).dropna(subset=["value"])
        w = data.group_aggregate(ind, "WLD").dropna(subset=["value"])
        common = sorted(set(g["year"]) & set(w["year"]))
        if not common:
            continue
        y = common[-1]
        items.append(
            html.Li(
                t(
                    "overview.gap_item",
                    indicator=data.registry[ind].title_in(lang),
                    group=data.groups.label(group, lang),
                    value=format_number(float(g.loc[g["year"] == y, "value"].iloc[0]), lang),
                    world=format_number(float(w.loc[w["year"] == y, "value"].iloc[0]), lang),
                    year=y,
                )
            )
        )
    dev = data.group_aggregate("households_internet", "DEVELOPING").dropna(subset=["value"])
    dvd = data.group_aggregate("households_internet", "DEVELOPED").dropna(subset=["value"])
    common = sorted(set(dev["year"]) & set(dvd["year"]))
    if common:
        y = common[-1]
        items.append(
            html.Li(
                t(
                    "overview.households_gap",
                    dev=format_number(float(dev.loc[dev["year"] == y, "value"].iloc[0]), lang),
                    devd=format_number(float(dvd.loc[dvd["year"] == y, "value"].iloc[0]), lang),
                    year=y,
                )
            )
        )
    items.append(html.Li(dcc.Link(t("overview.gap_sex"), href="/gender" + lang_query(lang))))
    return html.Ul(items, className="gaps")
