"""/: the resolution scorecard, headline gaps, and a tile per target with its verdict."""

from __future__ import annotations

from functools import cache
from types import SimpleNamespace

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from app import ids, scorecard_text
from app.components import data_table, notices_block, select_data, source_text
from app.context import get_data, url_context
from app.controls import Select
from app.export.links import briefing_link
from app.i18n import format_number, lang_query, lookup, translator
from app.reasons import render_reasons, verdict_flags
from app.state import ExploreView, OverviewView, parse, to_query
from app.urlsync import register_url_sync
from indicators.scorecard import COMPARISONS, scorecard

dash.register_page(__name__, path="/", title="Overview · Digital divide dashboard", order=0)

STORE = "overview-query"
LANG = "overview-lang"
register_url_sync(STORE)


def _progress():
    return get_data().progress()


@cache
def _then_and_now():
    from indicators.targets import SEEDS_80_173_PATH, load_seeds
    from indicators.then_and_now import then_and_now

    data = get_data()
    return then_and_now(data.tidy, data.groups, data.seeds, load_seeds(SEEDS_80_173_PATH), data.published)


@cache
def _scorecard():
    data = get_data()
    return scorecard(data.tidy, data.groups, data.seeds, published=data.published)


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
                    Select(
                        id=ids.OV_GROUP,
                        label=t("overview.group"),
                        value=view.group,
                        data=select_data(
                            (g, t("app.name_code", name=data.groups.label(g, view.lang), code=g))
                            for g in data.group_ids
                            if g != "WLD"
                        ),
                        width=360,
                    ),
                    html.Div(_body(view, t), id=ids.OV_BODY),
                ]
            ),
            html.Section([html.H2(t("overview.then_now")), then_now_block(t)], id="then-and-now"),
            html.Section([html.H2(t("overview.targets")), target_tiles(t), untracked_block(t)]),
            html.Section([html.H2(t("price.overview_heading")), affordability_tiles(t)], id="affordability"),
            dcc.Store(id=STORE, data=to_query(view)),
            dcc.Store(id=LANG, data=view.lang),
        ]
    )


def scorecard_block(t) -> html.Div:
    """The scorecard's table in the words every renderer uses (``app.scorecard_text``), its sources with every
    vintage the table uses, and its downloads."""
    data = get_data()
    sc = scorecard_text.worded(data, _scorecard(), t)
    indicators = sorted(set(sc["indicator"]))
    source = source_text(data, indicators, t, published_sources=["itu_key_ict"])
    return html.Div(
        [
            data_table(sc, scorecard_text.headers(t), t.lang, t("overview.scorecard_caption")),
            html.P(source, className="source", id="scorecard-source"),
            scorecard_links(t),
        ]
    )


def scorecard_links(t) -> html.Div:
    """``Download the scorecard: CSV data · Excel`` (the same words as the table, beside the numbers)."""
    links = [
        html.A(
            t(f"export.{fmt}"),
            href=f"/download/scorecard.{fmt}?lang={t.lang}",
            download="",
            className=f"download-link download-{fmt}",
            **{"data-format": fmt, "data-chart": "scorecard"},
        )
        for fmt in ("csv", "xlsx")
    ]
    label = t("export.scorecard_downloads")
    return html.Div(
        [html.Span(label, className="downloads-label"), *links],
        className="downloads",
        role="group",
        **{"aria-label": label},
    )


def then_now_block(t) -> html.Div:
    """2015 → 2025: each figure of 70/125 beside the matching one of 80/173, ITU's estimates and ours for both years,
    and ¶27 answered between them."""
    from app import views
    from app.state import GenderView

    data = get_data()
    lang = t.lang
    rows = _then_and_now().copy()

    def label(r) -> str:
        if r.status == "no_series":
            slug = "".join(ch if ch.isalnum() else "_" for ch in r.measure.lower()).strip("_")
            measure = lookup(lang, f"data.measure.{slug}", r.measure)
            if r.sex != "total":
                measure = t("app.name_code", name=measure, code=t("sex." + r.sex))
            return t("overview.no_series", measure=measure)
        name = data.registry[r.indicator].title_in(lang)
        if r.sex != "total":
            name = t("app.name_code", name=name, code=t("sex." + r.sex))
        if r.area != "total":
            name = t("app.name_code", name=name, code=t("overview.area_" + r.area))
        if r.derive:
            name = t(f"overview.derive_{r.derive}", indicator=name)
        return t("overview.figure_of", figure=name, group=data.groups.label(r.group, lang))

    def stated(paragraph, value, qualifier) -> str:
        if value is None or value != value:
            return "–"
        comparison = COMPARISONS.get(qualifier or "stated", "≈")  # as the scorecard: '>' a bound, '≈' an estimate
        return t(
            "overview.stated", paragraph=int(paragraph), value=scorecard_text.number_text(value, False, t, comparison)
        )

    def number(value, year=None) -> str:
        if value is None or value != value:
            return "–"
        text = format_number(value, lang, 1)
        return t("overview.value_year", value=text, year=int(year)) if year is not None and year == year else text

    table = pd.DataFrame(
        {
            "figure": [label(r) for r in rows.itertuples()],
            "then": [
                stated(p, v, q)
                for p, v, q in zip(rows["then_paragraph"], rows["then_value"], rows["then_qualifier"], strict=True)
            ],
            "now": [
                stated(p, v, q)
                for p, v, q in zip(rows["now_paragraph"], rows["now_value"], rows["now_qualifier"], strict=True)
            ],
            "itu_then": [number(v) for v in rows["itu_then"]],
            "itu_now": [number(v, y) for v, y in zip(rows["itu_now"], rows["itu_now_year"], strict=True)],
            "ours_then": [number(v) for v in rows["ours_then"]],
            "ours_now": [number(v, y) for v, y in zip(rows["ours_now"], rows["ours_now_year"], strict=True)],
        }
    )
    cols = {
        "figure": t("overview.col_figure"),
        "then": t("overview.col_then"),
        "now": t("overview.col_now"),
        "itu_then": t("overview.col_itu_then"),
        "itu_now": t("overview.col_itu_now"),
        "ours_then": t("overview.col_ours_then"),
        "ours_now": t("overview.col_ours_now"),
    }
    answers = views.parity_answers(data, GenderView(groups=("WLD", "LDC", "LLDC", "SIDS")))
    return html.Div(
        [
            html.P(t("overview.then_now_intro")),
            data_table(table, cols, lang, t("overview.then_now_caption")),
            html.H3(t("overview.between")),
            html.Ul([html.Li(views.parity_sentence(data, a, t)) for a in answers], id="then-now-p27"),
            html.P(source_text(data, ["internet_users"], t, published_sources=["itu_key_ict"]), className="source"),
        ]
    )


def untracked_block(t) -> html.Div:
    """The targets this tool cannot judge, named, with why (no series in the publisher files)."""
    data = get_data()
    lang = t.lang
    items = [
        html.Li(t("overview.untracked_item", title=tg.title_in(lang), year=tg.target_year or "–"))
        for tg in data.all_targets
        if not tg.tracked
    ]
    if not items:
        return html.Div()
    return html.Div([html.H3(t("overview.untracked")), html.Ul(items)], className="untracked")


def target_meta(tg, t) -> str:
    """A tile's group and deadline; a target whose framework switched groups says so ("DEVELOPING → LMY from 2022")."""
    group = tg.group
    if tg.group_from_2022:
        group = t("reason.group_switch", old=tg.group, new=tg.group_from_2022)
    return f"{group} · {t('overview.deadline', year=tg.target_year)}"


def target_tiles(t) -> html.Div:
    data = get_data()
    lang = t.lang
    prog = _progress()
    by_id = {tg.id: tg for tg in data.targets}
    tiles = []
    for rec in prog.to_dict("records"):
        row = SimpleNamespace(**{k: v for k, v in rec.items() if k != "break"})
        tg = by_id[row.target_id]
        verdict = row.verdict
        lines = [html.Span(t(f"verdict.{verdict}"), className=f"verdict verdict-{verdict.replace(' ', '-')}")]
        for kind, words in verdict_flags(rec, t):
            lines.append(html.Span(words, className=f"flag flag-{kind}"))
        if row.latest_year == row.latest_year and row.latest_value is not None:
            digits = 2 if tg.metric == "parity_score" else 1
            lines.append(
                html.Span(
                    t("overview.latest", year=int(row.latest_year), value=format_number(row.latest_value, lang, digits))
                )
            )
        if row.reasons:
            reason = render_reasons(
                row.reasons,
                t,
                lambda g: t("legend.world") if g == "WLD" else g,
                lambda i: data.registry[i].title_in(lang) if i in data.registry else i,
                lambda c: data.country_name(c, lang),
            )
            lines.append(html.Span(reason, className="reason"))
        tiles.append(
            html.Article(
                [
                    html.H3(tg.title_in(lang)),
                    html.P(target_meta(tg, t), className="meta"),
                    html.P(lines, className="tile-body"),
                ],
                className="tile",
            )
        )
    return html.Div(tiles, className="tiles")


def affordability_tiles(t) -> html.Div:
    """One tile per broadband basket: each group's median price in its latest year and the shares of its members
    and people where the basket costs at most 2% of monthly GNI per capita."""
    from app.views import AFFORDABILITY_INDICATORS, affordability_rows

    data = get_data()
    lang = t.lang
    rows = affordability_rows(data)
    tiles = []
    for ind in AFFORDABILITY_INDICATORS:
        mine = rows[rows["indicator"] == ind] if len(rows) else rows
        if mine.empty:
            body = [html.Span(t("price.overview_none"))]
        else:
            body = [
                html.Span(
                    t(
                        "price.overview_item",
                        group=t("legend.world") if r.group == "WLD" else data.groups.label(r.group, lang),
                        year=r.year,
                        median=format_number(r.median, lang, 1),
                        members=format_number(100 * r.members_under, lang, 0),
                        people=format_number(100 * r.people_under, lang, 0),
                        n=r.n_reporting,
                        of=r.n_members,
                    )
                )
                for r in mine.itertuples()
            ]
        query = to_query(ExploreView(indicator=ind, groups=("WLD", "LMY", "LDC"), start=2008, lang=lang))
        link = dcc.Link(t("price.overview_link"), href=f"/explore?{query}")
        tiles.append(
            html.Article(
                [
                    html.H3(data.registry[ind].title_in(lang)),
                    html.P(data.registry[ind].unit_label.get(lang, ""), className="meta"),
                    html.P(body, className="tile-body"),
                    html.P(link),
                ],
                className="tile",
            )
        )
    note = html.P(t("price.overview_note", threshold=format_number(data.affordable_share, lang, 0)), className="note")
    return html.Div([html.Div(tiles, className="tiles"), note])


@callback(
    Output(ids.OV_BODY, "children"),
    Output(STORE, "data"),
    Input(ids.OV_GROUP, "value"),
    State(LANG, "data"),
    prevent_initial_call=True,  # the layout already holds what the first call would draw
)
def update(group, lang):
    view, _ = parse(OverviewView, {"group": group or "", "lang": lang or "en"}, url_context())
    t = translator(view.lang)
    return _body(view, t), to_query(view)


def _body(view: OverviewView, t) -> list:
    """The briefing link and the gaps of the chosen group."""
    label = get_data().groups.label(view.group, view.lang)
    return [briefing_link([view.group], view.lang, t, label), gaps_block(view.group, t)]


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
