"""/country/<ISO3>: every indicator for one economy against its groups and the world, with the targets."""

from __future__ import annotations

import dash
import dash_mantine_components as dmc
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from app import figures, ids, views
from app.components import data_table, figure_block, notices_block, select_data, source_block, source_text
from app.context import get_data, url_context
from app.figures import TargetLine
from app.i18n import format_number, translator
from app.state import CountryView, parse, to_query
from app.urlsync import register_url_sync

dash.register_page(__name__, path_template="/country/<iso3>", title="Country · Digital divide dashboard", order=3)

STORE = "country-query"
LANG = "country-lang"
ISO = "country-iso3"
register_url_sync(STORE)
PROFILE_GROUPS = ("LDC", "LLDC", "SIDS", "DEVELOPING", "DEVELOPED", "LIC", "LMC", "UMC", "HIC")


def country_groups(iso3: str, year: int) -> list[str]:
    data = get_data()
    return [g for g in data.group_ids if g != "WLD" and iso3 in data.members(g, year)]


def layout(iso3: str = "", **query) -> html.Div:
    view, notices = parse(CountryView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    code = (iso3 or "").upper()
    if code not in data.country_codes:
        from app.pages.countries import country_list

        return html.Div(
            [
                html.H1(t("country.title")),
                html.P(t("country.unknown", code=(iso3 or "")[:12]), className="notice", role="status"),
                country_list(t),
            ]
        )
    name = data.country_name(code)
    groups = country_groups(code, data.last_year)
    years = [str(y) for y in data.years]
    return html.Div(
        [
            notices_block(notices, t),
            html.H1(t("country.heading", name=name)),
            html.P(t("country.intro", name=name), className="intro"),
            html.P(
                t(
                    "country.groups",
                    year=data.last_year,
                    groups=", ".join(f"{data.groups.label(g, view.lang)} ({g})" for g in groups) or "–",
                )
            ),
            html.Section([html.H2(t("country.latest_table")), latest_table(code, t)]),
            html.Div(
                [
                    dmc.Select(
                        id=ids.CO_INDICATOR,
                        label=t("country.indicator"),
                        value=view.indicator,
                        data=select_data((k, ind.title_in(view.lang)) for k, ind in data.registry.items()),
                        allowDeselect=False,
                        w=420,
                    ),
                    dmc.Select(
                        id=ids.CO_FROM,
                        label=t("explore.from"),
                        value=str(view.start),
                        data=years,
                        allowDeselect=False,
                        w=110,
                    ),
                    dmc.Select(
                        id=ids.CO_TO,
                        label=t("explore.to"),
                        value=str(view.end or data.last_year),
                        data=years,
                        allowDeselect=False,
                        w=110,
                    ),
                ],
                className="controls row",
            ),
            dcc.Loading(html.Div(id=ids.CO_BODY), type="dot", delay_show=400),
            dcc.Store(id=STORE),
            dcc.Store(id=LANG, data=view.lang),
            dcc.Store(id=ISO, data=code),
        ]
    )


def latest_table(code: str, t) -> html.Div:
    data = get_data()
    lang = t.lang
    rows = []
    for ind_id, ind in data.registry.items():
        r = data.tidy[(data.tidy["iso3"] == code) & (data.tidy["indicator"] == ind_id) & (data.tidy["sex"] == "total")]
        if r.empty:
            rows.append({"indicator": ind.title_in(lang), "year": None, "value": None, "source": "–"})
            continue
        last = r.loc[r["year"].idxmax()]
        rows.append(
            {
                "indicator": f"{ind.title_in(lang)} ({ind.unit_label.get(lang, '')})",
                "year": float(last["year"]),
                "value": float(last["value"]),
                "source": f"{last['source']} {last['source_code']}, {last['vintage']}",
            }
        )
    frame = pd.DataFrame(rows)
    cols = {
        "indicator": t("country.col_indicator"),
        "year": t("country.col_year"),
        "value": t("country.col_value"),
        "source": t("country.col_source"),
    }
    return data_table(frame, cols, lang, t("country.latest_table"))


@callback(
    Output(ids.CO_BODY, "children"),
    Output(STORE, "data"),
    Input(ids.CO_INDICATOR, "value"),
    Input(ids.CO_FROM, "value"),
    Input(ids.CO_TO, "value"),
    State(LANG, "data"),
    State(ISO, "data"),
)
def update(indicator, start, end, lang, iso3):
    view, _ = parse(
        CountryView,
        {"indicator": indicator or "", "from": start or "2005", "to": end or "", "lang": lang or "en"},
        url_context(),
    )
    t = translator(view.lang)
    return render(view, iso3, t), to_query(view)


def render(view: CountryView, code: str, t) -> html.Div:
    data = get_data()
    lang = t.lang
    start, end = views.year_range(data, view.start, view.end)
    groups = ["WLD"] + [g for g in country_groups(code, end) if g in PROFILE_GROUPS]
    parts = []
    for g in groups:
        agg = data.group_aggregate(view.indicator, g)
        agg = agg[(agg["year"] >= start) & (agg["year"] <= end)]
        parts.append(agg.assign(label=data.groups.label(g, lang), kind="world" if g == "WLD" else "group"))
    own = data.country_rows(view.indicator, [code])
    own = own[(own["year"] >= start) & (own["year"] <= end)]
    parts.append(
        pd.DataFrame({"label": data.country_name(code), "kind": "country", "year": own["year"], "value": own["value"]})
    )
    series = pd.concat([p for p in parts if len(p)], ignore_index=True)
    targets = views.applicable_targets(data, view.indicator, "total", groups)
    lines = [
        TargetLine(views.target_label(tg, lang, t), float(tg.threshold), tg.target_year, start_year=start)
        for tg in targets
    ]
    footer = source_text(data, [view.indicator], t)
    title = f"{data.country_name(code)}: {data.registry[view.indicator].title_in(lang)}"
    fig = figures.trend_figure(
        series,
        title=title,
        subtitle=f"{', '.join(dict.fromkeys(series['label']))} · {start}–{end}",
        y_title=views.unit_label(data, view.indicator, lang),
        footer=footer,
        targets=lines,
        no_data=t("figure.no_data"),
        coverage_label=t("figure.coverage"),
        percent=data.registry[view.indicator].unit == "percent",
    )
    latest = own.sort_values("year").tail(1)
    if latest.empty:
        summary = t("summary.none", indicator=data.registry[view.indicator].title_in(lang))
    else:
        summary = t(
            "summary.trend",
            indicator=title,
            unit=views.unit_label(data, view.indicator, lang),
            year=int(latest["year"].iloc[0]),
            items=t(
                "summary.item", label=data.country_name(code), value=format_number(float(latest["value"].iloc[0]), lang)
            ),
        )
    return html.Div(
        [
            figure_block("country-graph", fig, summary, f"{code}_{view.indicator.replace('_', '-')}", t),
            source_block(footer, t),
        ]
    )
