"""/country/<ISO3>: every indicator for one economy against its groups and the world, with the targets."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from app import ids, views
from app.components import (
    country_list,
    data_table,
    figure_block,
    not_found_body,
    notices_block,
    select_data,
    source_block,
    source_field,
)
from app.context import get_data, url_context
from app.controls import MultiSelect, Select, picker_texts
from app.export.links import download_links
from app.i18n import basket_name, format_date, format_number, translator
from app.share import share_controls
from app.state import CountryView, parse, to_query
from app.urlsync import register_url_sync
from app.verdict_rows import verdict_rows

dash.register_page(__name__, path_template="/country/<iso3>", title="Country · Digital divide dashboard", order=3)

STORE = "country-query"
LANG = "country-lang"
ISO = "country-iso3"
register_url_sync(STORE)


def layout(iso3: str = "", **query) -> html.Div:
    view, notices = parse(CountryView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    code = known_code(iso3)
    if code is None:
        shown = (iso3 if isinstance(iso3, str) else "")[:12]
        return html.Div([*not_found_body(t, t("country.unknown", code=shown)), country_list(t)])
    name = data.country_name(code, view.lang)
    groups = views.country_groups(data, code, data.last_year)
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
                    groups=t("app.list_sep").join(
                        t("app.name_code", name=data.groups.label(g, view.lang), code=g) for g in groups
                    )
                    or "–",
                )
            ),
            html.Section([html.H2(t("country.latest_table")), latest_table(code, t)]),
            html.Section([html.H2(t("price.country_heading")), affordability_block(code, t)], id="affordability"),
            html.Section([html.H2(t("country.targets")), targets_block(code, t)], id="targets"),
            html.Div(
                [
                    Select(
                        id=ids.CO_INDICATOR,
                        label=t("country.indicator"),
                        value=view.indicator,
                        data=select_data((k, ind.title_in(view.lang)) for k, ind in data.registry.items()),
                        width=420,
                    ),
                    MultiSelect(
                        id=ids.CO_GROUPS,
                        label=t("country.compare"),
                        value=list(view.groups) or views.profile_groups(data, code, data.last_year),
                        data=select_data(
                            (g, t("app.name_code", name=data.groups.label(g, view.lang), code=g))
                            for g in data.group_ids
                        ),
                        maxValues=8,
                        texts=picker_texts(t),
                        width=420,
                    ),
                    Select(
                        id=ids.CO_FROM,
                        label=t("explore.from"),
                        value=str(view.start),
                        data=years,
                        width=110,
                    ),
                    Select(
                        id=ids.CO_TO,
                        label=t("explore.to"),
                        value=str(view.end or data.last_year),
                        data=years,
                        width=110,
                    ),
                ],
                className="controls row",
            ),
            # the charts are drawn into the page itself: the first chart needs no callback round trip
            dcc.Loading(html.Div(render(view, code, t), id=ids.CO_BODY), type="dot", delay_show=400),
            dcc.Store(id=STORE, data=to_query(view)),
            dcc.Store(id=LANG, data=view.lang),
            dcc.Store(id=ISO, data=code),
        ]
    )


def known_code(iso3: object) -> str | None:
    """``iso3`` as an economy code the snapshot has, else None (from the URL or from the page's store: both can be
    forged, so both are checked)."""
    code = iso3.strip().upper() if isinstance(iso3, str) else ""
    return code if code in get_data().country_codes else None


def not_found(iso3: object, t) -> list:
    """The page's "not an economy in the data" notice and the list of economies to choose from."""
    shown = (iso3 if isinstance(iso3, str) else "")[:12]
    return [html.P(t("country.unknown", code=shown), className="notice", role="status"), country_list(t)]


def latest_table(code: str, t) -> html.Div:
    data = get_data()
    lang = t.lang
    publishers = {k: v.get("publisher", k) for k, v in data.snapshot.provenance.get("sources", {}).items()}
    rows = []
    for ind_id, ind in data.registry.items():
        r = data.tidy[(data.tidy["iso3"] == code) & (data.tidy["indicator"] == ind_id) & (data.tidy["sex"] == "total")]
        if r.empty:
            rows.append({"indicator": ind.title_in(lang), "year": None, "value": None, "source": "–"})
            continue
        last = r.loc[r["year"].idxmax()]
        rows.append(
            {
                "indicator": t("app.name_code", name=ind.title_in(lang), code=ind.unit_label.get(lang, "")),
                "year": float(last["year"]),
                "value": float(last["value"]),
                "source": t(
                    "country.source_item",
                    publisher=source_field(last["source"], "publisher", publishers.get(last["source"], ""), lang),
                    code=last["source_code"],
                    vintage=format_date(last["vintage"], lang, "medium"),
                ),
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


def targets_block(code: str, t) -> html.Div:
    """The economy against every tracked target (``app.verdict_rows``), as a table."""
    data = get_data()
    frame, columns = verdict_rows(data, data.progress(iso3=code), t)
    caption = t("country.targets_caption", name=data.country_name(code, t.lang))
    return data_table(frame, columns, t.lang, caption)


def affordability_block(code: str, t) -> html.Div:
    """Each broadband basket's latest share of monthly GNI per capita, its year and basket, and whether it is under
    the 2% threshold (the Broadband Commission's, from targets.yml), with its source; in words where there is none."""
    from indicators.affordability import PRICE_GNI, economy_verdict

    data = get_data()
    lang = t.lang
    threshold = data.affordable_share
    publishers = {k: v.get("publisher", k) for k, v in data.snapshot.provenance.get("sources", {}).items()}
    items = []
    for ind in PRICE_GNI:
        v = economy_verdict(data.tidy, code, ind, threshold)
        name = data.registry[ind].title_in(lang)
        if v.status == "no_data":
            items.append(html.Li(t("price.country_none", indicator=name)))
            continue
        items.append(
            html.Li(
                t(
                    f"price.country_{v.status}",
                    indicator=name,
                    year=v.year,
                    value=format_number(v.value, lang, 2 if v.value < 10 else 1),
                    threshold=format_number(threshold, lang, 0),
                    basket=basket_name(v.basket, lang),
                    source=source_field(v.source, "publisher", publishers.get(v.source, v.source), lang),
                    vintage=format_date(v.vintage, lang, "medium"),
                ),
                className=f"afford-{v.status}",
            )
        )
    return html.Div([html.Ul(items), html.P(t("price.country_note"), className="note")])


@callback(
    Output(ids.CO_BODY, "children"),
    Output(STORE, "data"),
    Input(ids.CO_INDICATOR, "value"),
    Input(ids.CO_FROM, "value"),
    Input(ids.CO_TO, "value"),
    Input(ids.CO_GROUPS, "value"),
    State(LANG, "data"),
    State(ISO, "data"),
    prevent_initial_call=True,  # the layout already holds what the first call would draw
)
def update(indicator, start, end, groups, lang, iso3):
    chosen = ",".join(g for g in groups if isinstance(g, str)) if isinstance(groups, list) else ""
    view, _ = parse(
        CountryView,
        {"indicator": indicator or "", "from": start or "2005", "to": end or "", "group": chosen, "lang": lang or "en"},
        url_context(),
    )
    t = translator(view.lang)
    code = known_code(iso3)  # State is as forgeable as an Input: never draw or link an unknown code
    if code is None:
        return html.Div(not_found(iso3, t)), to_query(view)
    return render(view, code, t), to_query(view)


def render(view: CountryView, code: str, t) -> html.Div:
    data = get_data()
    blocks = []
    for graph_id, model in (
        ("country-graph", views.country_trend(data, view, code, t)),
        ("country-parity-graph", views.country_parity(data, view, code, t)),
    ):
        blocks += [
            figure_block(graph_id, model, t),
            download_links(model.chart, view, t, iso3=code),
            share_controls(model.chart, t),
            source_block(model.footer, t, model.indicators),
        ]
    return html.Div(blocks)
