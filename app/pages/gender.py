"""/gender: the parity score over time with the parity band and the ¶27 2020 line; women vs men by member."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from app import ids, views
from app.components import data_table, figure_block, notices_block, select_data, source_block
from app.context import get_data, url_context
from app.controls import MultiSelect, Select, picker_texts
from app.export.links import download_links
from app.i18n import format_date, translator
from app.share import share_controls
from app.state import RECENT, GenderView, parse, to_query
from app.urlsync import register_url_sync

dash.register_page(__name__, path="/gender", title="Gender · Digital divide dashboard", order=2)

STORE = "gender-query"
LANG = "gender-lang"
register_url_sync(STORE)


def layout(**query) -> html.Div:
    view, notices = parse(GenderView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    years = [str(y) for y in data.years]
    group_data = select_data(
        (g, t("app.name_code", name=data.groups.label(g, view.lang), code=g)) for g in data.group_ids
    )
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("gender.heading")),
            html.P(t("gender.intro"), className="intro"),
            html.Div(
                [
                    MultiSelect(
                        id=ids.GE_GROUPS,
                        label=t("gender.groups"),
                        value=list(view.groups),
                        data=group_data,
                        maxValues=8,
                        texts=picker_texts(t),
                    ),
                    Select(
                        id=ids.GE_MEMBERS_OF,
                        label=t("gender.members_of"),
                        value=view.members_of,
                        data=[d for d in group_data if d["value"] != "WLD"],
                        width=360,  # the longest group label fits; never wider than a phone screen
                    ),
                    Select(
                        id=ids.GE_RECENT,
                        label=t("gender.recent"),
                        value=view.recent,
                        data=select_data((r, t(f"gender.recent_{r}")) for r in RECENT),
                        width=220,
                    ),
                    html.Div(
                        [
                            Select(
                                id=ids.GE_FROM,
                                label=t("explore.from"),
                                value=str(view.start),
                                data=years,
                                width=110,
                            ),
                            Select(
                                id=ids.GE_TO,
                                label=t("explore.to"),
                                value=str(view.end or data.last_year),
                                data=years,
                                width=110,
                            ),
                        ],
                        className="row",
                    ),
                ],
                className="controls",
            ),
            # the view is drawn into the page itself: the first chart needs no callback round trip
            dcc.Loading(html.Div(render(view, t), id=ids.GE_BODY), type="dot", delay_show=400),
            dcc.Store(id=STORE, data=to_query(view)),
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
    Input(ids.GE_RECENT, "value"),
    State(LANG, "data"),
    prevent_initial_call=True,  # the layout already holds what the first call would draw
)
def update(groups, members_of, start, end, recent, lang):
    query = {
        "group": ",".join(groups or []),
        "members_of": members_of or "",
        "recent": recent or "5",
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
    parity = views.gender_parity(data, view, t)
    sentences = [views.parity_sentence(data, a, t) for a in parity.extra["answers"]]
    blocks = [
        html.Section(
            [html.H2(t("gender.answer_heading")), html.Ul([html.Li(s) for s in sentences], id="gender-answers")],
            className="answers",
        ),
        figure_block("gender-parity-graph", parity, t),
        download_links("gender", view, t),
        share_controls("gender", t),
        html.Div(html.Ul([html.Li(n) for n in parity.notes]), className="notes", role="note"),
        source_block(parity.footer, t, parity.indicators),
    ]
    for indicator, gid in (("internet_users", "gender-dumbbell-graph"), ("mobile_ownership", "gender-mobile-graph")):
        model = views.gender_dumbbell(data, view, indicator, t)
        blocks += [
            figure_block(gid, model, t),
            download_links(model.chart, view, t),
            share_controls(model.chart, t),
        ]
        if len(model.rows):
            table = model.rows.sort_values("parity_score")
            table = table.assign(release=[format_date(v, lang, "medium") for v in table["vintage"]])
            columns = {
                "name": t("table.country"),
                "year": t("table.year"),
                "female": t("gender.female"),
                "male": t("gender.male"),
                "parity_score": t("gender.col_parity"),
                "release": t("about.col_vintage"),
            }
            caption = t("gender.members_caption", group=data.groups.label(view.members_of, lang))
            blocks.append(
                html.Details([html.Summary(t("gender.members_table")), data_table(table, columns, lang, caption, 2)])
            )
        blocks.append(source_block(model.footer, t, model.indicators))
    return html.Div(blocks)
