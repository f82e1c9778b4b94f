"""/gender: the parity score over time with the parity band and the ¶27 2020 line; women vs men by member."""

from __future__ import annotations

from functools import cache

import dash
import dash_mantine_components as dmc
import pandas as pd
import yaml
from dash import Input, Output, State, callback, dcc, html

from app import figures, ids, views
from app.components import figure_block, notices_block, select_data, source_block, source_text
from app.context import get_data, url_context
from app.i18n import format_number, translator
from app.state import GenderView, parse, to_query
from app.urlsync import register_url_sync
from indicators import PROJECT_DIR
from indicators.gender import PARITY_BAND

dash.register_page(__name__, path="/gender", title="Gender · Digital divide dashboard", order=2)

STORE = "gender-query"
LANG = "gender-lang"
register_url_sync(STORE)
REFERENCE_PATH = PROJECT_DIR / "seeds" / "itu_facts_and_figures.yml"


@cache
def published_reference() -> tuple[pd.DataFrame, dict]:
    with open(REFERENCE_PATH, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    rows = pd.DataFrame(doc["editions"])
    return rows, doc["source"]


def layout(**query) -> html.Div:
    view, notices = parse(GenderView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    years = [str(y) for y in data.years]
    group_data = select_data((g, f"{data.groups.label(g, view.lang)} ({g})") for g in data.group_ids)
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("gender.heading")),
            html.P(t("gender.intro"), className="intro"),
            html.Div(
                [
                    dmc.MultiSelect(
                        id=ids.GE_GROUPS,
                        label=t("gender.groups"),
                        value=list(view.groups),
                        data=group_data,
                        searchable=True,
                        maxValues=8,
                    ),
                    dmc.Select(
                        id=ids.GE_MEMBERS_OF,
                        label=t("gender.members_of"),
                        value=view.members_of,
                        data=[d for d in group_data if d["value"] != "WLD"],
                        allowDeselect=False,
                        w=260,
                    ),
                    html.Div(
                        [
                            dmc.Select(
                                id=ids.GE_FROM,
                                label=t("explore.from"),
                                value=str(view.start),
                                data=years,
                                allowDeselect=False,
                                w=110,
                            ),
                            dmc.Select(
                                id=ids.GE_TO,
                                label=t("explore.to"),
                                value=str(view.end or data.last_year),
                                data=years,
                                allowDeselect=False,
                                w=110,
                            ),
                        ],
                        className="row",
                    ),
                ],
                className="controls",
            ),
            dcc.Loading(html.Div(id=ids.GE_BODY), type="dot", delay_show=400),
            dcc.Store(id=STORE),
            dcc.Store(id=LANG, data=view.lang),
        ]
    )


@callback(
    Output(ids.GE_BODY, "children"),
    Output(STORE, "data"),
    Input(ids.GE_GROUPS, "value"),
    Input(ids.GE_MEMBERS_OF, "value"),
    Input(ids.GE_FROM, "value"),
    Input(ids.GE_TO, "value"),
    State(LANG, "data"),
)
def update(groups, members_of, start, end, lang):
    query = {
        "group": ",".join(groups or []),
        "members_of": members_of or "",
        "from": start or "2005",
        "to": end or "",
        "lang": lang or "en",
    }
    view, _ = parse(GenderView, query, url_context())
    t = translator(view.lang)
    return render(view, t), to_query(view)


def render(view: GenderView, t) -> html.Div:
    data = get_data()
    lang = t.lang
    start, end = views.year_range(data, view.start, view.end)
    series = views.gender_parity_series(data, view, lang)
    refs, ref_source = published_reference()
    refs = refs[(refs["year"] >= start) & (refs["year"] <= end)]
    ref_rows = pd.DataFrame({"label": t("gender.published"), "year": refs["year"], "value": refs["parity_score"]})
    footer = source_text(data, ["internet_users"], t) + f" {ref_source['title']} ({ref_source['publisher']})."
    groups_text = ", ".join(data.groups.label(g, lang) for g in view.groups)
    fig = figures.parity_figure(
        series,
        title=t("gender.parity_title"),
        subtitle=t("gender.parity_subtitle", groups=groups_text, start=start, end=end),
        footer=footer,
        band=PARITY_BAND,
        band_label=t("gender.parity_band"),
        deadline=2020,
        deadline_label=t("gender.deadline"),
        y_title=t("gender.y_parity"),
        no_data=t("figure.no_data"),
        references=ref_rows,
        x_range=(start, end),
    )
    notes = views.parity_coverage_notes(data, view, t, lang) + [t("gender.published_note")]
    items = [f"{r.label} {r.year}: {r.value:.2f}" for r in ref_rows.itertuples()]
    items += (
        [
            f"{label} {int(g['year'].max())}: {g.loc[g['year'].idxmax(), 'value']:.2f}"
            for label, g in series.groupby("label")
        ]
        if len(series)
        else []
    )
    parity_summary = t("gender.parity_summary", items="; ".join(items) or "–")

    blocks = [
        figure_block("gender-parity-graph", fig, parity_summary, "gender-parity_" + "-".join(view.groups), t),
        html.Div(html.Ul([html.Li(n) for n in notes]), className="notes", role="note"),
        source_block(footer, t),
    ]
    for indicator, title_key, gid in (
        ("internet_users", "gender.dumbbell_title", "gender-dumbbell-graph"),
        ("mobile_ownership", "gender.mobile_title", "gender-mobile-graph"),
    ):
        rows = views.dumbbell_rows(data, indicator, view.members_of)
        glabel = data.groups.label(view.members_of, lang)
        foot = source_text(data, [indicator], t, aggregated=False)
        dfig = figures.dumbbell_figure(
            rows,
            title=t(title_key, group=glabel),
            subtitle=t("gender.dumbbell_subtitle"),
            footer=foot,
            x_title=t("gender.x_percent") if indicator == "internet_users" else data.registry[indicator].title_in(lang),
            female_label=t("gender.female"),
            male_label=t("gender.male"),
            no_data=t("gender.no_members_data", group=glabel),
        )
        if rows.empty:
            summary = t("gender.no_members_data", group=glabel)
        else:
            widest = rows.assign(gap=rows["male"] - rows["female"]).sort_values("gap").iloc[-1]
            summary = t(
                "gender.dumbbell_summary",
                n=len(rows),
                group=glabel,
                widest=widest["name"],
                gap=format_number(widest["gap"], lang),
            )
        blocks += [
            figure_block(gid, dfig, summary, f"{indicator.replace('_', '-')}-by-sex_{view.members_of}", t),
            source_block(foot, t),
        ]
    return html.Div(blocks)
