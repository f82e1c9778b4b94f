"""Every downloadable chart: a query (the page's own URL parameters) in, the page's figure and rows out.

``build(chart, query)`` parses the query with the same parser and view classes as the pages (app/state.py), but
strictly: where a page falls back to a default and shows a notice, an export refuses with :class:`QueryError`
(HTTP 400, CLI exit 2), so a permalink never silently returns other numbers than it names. The figures come from
the same functions the pages call (app/views.py → app/figures.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pandas as pd
import plotly.graph_objects as go

from app import views
from app.chart_model import ChartModel
from app.components import basket_text
from app.context import get_data, url_context
from app.data import AppData
from app.export.names import codes_part, file_name, slug, years_part
from app.export.precision import precision_notes, round_rows
from app.export.tables import Meta, sources_without_files
from app.i18n import translator
from app.state import CountryView, ExploreView, GenderView, parse, to_query

TREND_COLUMNS = ["series", "code", "kind", "indicator", "sex", "unit", "year", "value", "band_low", "band_high",
                 "coverage", "n_reporting", "n_members", "n_filled", "filled_share"]  # fmt: skip
#: a target's row in a trend download: the trend's columns that apply to it, its id and its comparator (>= or <=)
TARGET_COLUMNS = ["series", "code", "kind", "indicator", "sex", "unit", "year", "value", "target", "comparator"]


#: notices worded differently for an export (which refuses) than for a page (which falls back)
#: problems an export refuses in its own words (a page replaces the value and says so; a file is not made)
STRICT_KEYS = ("unknown_param", "duplicated", "sex_not_offered")


class QueryError(ValueError):
    """The query names something that does not exist; ``problems`` say which parameter and value, in words."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ChartExport:
    """One chart ready to write: the full (export) figure, the rows it shows, what they are, and a file stem."""

    chart: str
    figure: go.Figure
    rows: pd.DataFrame
    meta: Meta
    name_parts: list[str]
    lang: str
    view: Any
    model: ChartModel  # what the page shows: the same title, summary and sources line

    def file_name(self, ext: str) -> str:
        return file_name(self.name_parts, ext)


def _query_dict(query: Mapping[str, Any] | str | None) -> dict[str, str]:
    if isinstance(query, str):
        return dict(parse_qsl(query.lstrip("?"), keep_blank_values=True))
    return {str(k): "" if v is None else str(v) for k, v in (query or {}).items()}


def strict_parse(view_cls, query: Mapping[str, Any] | str | None, *, lang_hint: str = "en"):
    """The view for ``query``, or :class:`QueryError` listing every parameter the pages would have replaced."""
    view, notices = parse(view_cls, query, url_context())
    if notices:
        t = translator(getattr(view, "lang", lang_hint))
        raise QueryError(
            [
                t(f"export.{n.problem}", param=n.param[:60], value=n.value[:60])
                if n.problem in STRICT_KEYS
                else n.text(t)
                for n in notices
            ]
        )
    return view


def _sources(
    data: AppData,
    indicators: list[str],
    *,
    aggregated: bool,
    sex=None,
    years=None,
    codes=None,
    published_sources=(),
) -> list:
    """The sources behind an export's rows: the indicators' publishers, the population weights of the sex shown
    (with their exact vintage) when aggregated, and the publishers whose own group estimates are drawn."""
    out, seen = [], set()
    for ind in indicators:
        for src in data.provenance_for(ind, sex=sex, years=years, codes=codes):
            if src["key"] not in seen:
                seen.add(src["key"])
                out.append(src)
    registry = data.snapshot.provenance.get("sources", {})
    for key in published_sources:
        if key in registry and key not in seen:
            seen.add(key)
            vintage = data.published_version(key, indicators)[1] or registry[key].get("vintage")
            out.append({**registry[key], "key": key, "vintage": vintage})
    prices = bool(indicators) and all(data.registry[i].is_price for i in indicators)
    if aggregated and data.population_provenance and not prices:  # a price median is not population-weighted
        weights = data.population_weights(sex or "total")
        pop = {
            **data.population_provenance,
            "key": "worldbank_population",
            "vintage": weights.vintages[0] if weights.vintages else None,
        }
        pop["title"] = f"{pop.get('title', '')}: population weights ({sex or 'total'})"
        out.append(pop)
    return sources_without_files(out)


def _method(t, *keys: str) -> str:
    return " ".join(t(k) for k in keys)


def _price_method(data: AppData, indicator: str, t, years, aggregated: bool) -> str | None:
    """The method line of a price export: the median rule (for group values) and the basket definitions of the
    years shown; None for other indicators."""
    if not data.registry[indicator].is_price:
        return None
    head = t("price.aggregates") if aggregated else t("export.method_values")
    return " ".join(p for p in (head, basket_text(data, indicator, t, years)) if p)


def _with_baskets(data: AppData, indicator: str, rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with a ``basket`` column (the definition priced in each row's year) for a price indicator."""
    periods = data.basket_periods(indicator)
    if not periods or rows.empty:
        return rows
    by_year = {y: b for b, first, last in periods for y in range(first, last + 1)}
    return rows.assign(basket=rows["year"].map(by_year).fillna(""))


def _ind_slug(indicator: str) -> str:
    return indicator.replace("_", "-")


def _sex_part(sex: str) -> str:
    return "" if sex == "total" else sex


# ---- the charts ------------------------------------------------------------------------------------------------


def _trend_rows(data: AppData, indicator: str, sex: str, series: pd.DataFrame) -> pd.DataFrame:
    """A trend chart's lines as the download's tidy columns (``TREND_COLUMNS``)."""
    rows = series.drop(columns=["legend"], errors="ignore").rename(columns={"label": "series"})
    rows = rows.assign(indicator=indicator, sex=sex, unit=data.registry[indicator].unit).reindex(columns=TREND_COLUMNS)
    rows["year"] = rows["year"].astype("int64")
    return _with_baskets(data, indicator, rows)


def _trend_method(data: AppData, indicator: str, t, years) -> str:
    return " ".join(
        [
            _price_method(data, indicator, t, years, True)
            or _method(t, "about.m_aggregation", "about.m_gaps", "about.m_coverage"),
            t("about.m_band"),
        ]
    )


def _explore(data: AppData, view: ExploreView, t, model: ChartModel):
    start, end = views.explore_years(data, view)
    rows = _trend_rows(data, view.indicator, view.sex, model.rows)
    parts = [_ind_slug(view.indicator), codes_part(view.groups + view.countries), _sex_part(view.sex)]
    parts += ["members" if view.members else "", years_part(start, end)]
    sources = _sources(
        data,
        [view.indicator],
        aggregated=True,
        sex=view.sex,
        years=(start, end),
        published_sources=model.extra["published"],
    )
    return rows, _trend_method(data, view.indicator, t, (start, end)), parts, sources


def _map(data: AppData, view: ExploreView, t, model: ChartModel):
    year = model.year
    parts = [_ind_slug(view.indicator), "map", codes_part(view.groups), _sex_part(view.sex), year or ""]
    sources = _sources(data, [view.indicator], aggregated=False, sex=view.sex, years=(year or 0, year or 0))
    method = _price_method(data, view.indicator, t, (year or 0, year or 0), False) or t("export.method_values")
    return _with_baskets(data, view.indicator, model.rows), method, parts, sources


def _ranking(data: AppData, view: ExploreView, t, model: ChartModel):
    year, values = model.year, model.rows
    rows = pd.DataFrame(columns=["rank", "iso3", "name", "year", "value"])
    if year is not None and len(values):
        rows = values.assign(rank=range(1, len(values) + 1), year=year)[["rank", "iso3", "name", "year", "value"]]
    parts = [_ind_slug(view.indicator), "ranking", codes_part(view.groups), _sex_part(view.sex), year or ""]
    codes = list(rows["iso3"]) if len(rows) else None
    sources = _sources(
        data, [view.indicator], aggregated=False, sex=view.sex, years=(year or 0, year or 0), codes=codes
    )
    method = _price_method(data, view.indicator, t, (year or 0, year or 0), False) or t("export.method_values")
    return _with_baskets(data, view.indicator, rows), method, parts, sources


def _gender(data: AppData, view: GenderView, t, model: ChartModel):
    series = model.rows
    start, end = views.year_range(data, view.start, view.end)
    rows = series.assign(
        publisher=[
            views.publisher_label(s, e, translator("en"))
            for s, e in zip(series["source"], series["edition"], strict=True)
        ]
    ).rename(columns={"label": "series", "value": "parity_score"})
    rows = rows.reindex(columns=["series", "group", "kind", "year", "parity_score", "source", "edition", "publisher"])
    rows["year"] = rows["year"].astype("int64")
    published = list(model.extra["published"])
    sources = _sources(data, ["internet_users"], aggregated=True, years=(start, end), published_sources=published)
    parts = ["gender-parity", codes_part(view.groups), years_part(start, end)]
    return rows, _method(t, "about.m_parity", "about.m_aggregation", "about.m_coverage"), parts, sources


def _dumbbell(data: AppData, view: GenderView, t, model: ChartModel):
    indicator = model.indicators[0]
    rows = model.rows.assign(
        name=[data.country_name(c, t.lang) for c in model.rows["iso3"]],
        gap_points=model.rows["male"] - model.rows["female"],
    )
    parts = [f"{_ind_slug(indicator)}-by-sex", view.members_of]
    sources = _sources(data, [indicator], aggregated=False, codes=list(rows["iso3"]) or None)
    return rows, t("export.method_dumbbell"), parts, sources


def _target_rows(data: AppData, indicator: str, sex: str, targets, t) -> pd.DataFrame:
    """The targets a trend chart draws as rows of its download (``TARGET_COLUMNS``): ``kind`` "target", ``series``
    the label drawn, ``code`` the target's group, ``year`` its deadline, ``value`` its threshold, ``target`` its id."""
    unit = data.registry[indicator].unit
    rows = [
        {
            "series": views.target_label(tg, t.lang, t),
            "code": tg.group,
            "kind": "target",
            "indicator": indicator,
            "sex": sex,
            "unit": unit,
            "year": tg.target_year,
            "value": float(tg.threshold),
            "target": tg.id,
            "comparator": tg.comparator,
        }
        for tg in targets
    ]
    return pd.DataFrame(rows, columns=TARGET_COLUMNS)


def _with_targets(lines: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """The lines' rows, then the targets', under one header (the lines' columns, then ``target``, ``comparator``)."""
    columns = [*lines.columns, *(c for c in TARGET_COLUMNS if c not in lines.columns)]
    if targets.empty:
        return lines.reindex(columns=columns)
    return pd.concat([lines.reindex(columns=columns), targets.reindex(columns=columns)], ignore_index=True)


def _country(data: AppData, view: CountryView, t, model: ChartModel, iso3: str):
    start, end = views.year_range(data, view.start, view.end)
    lines = _trend_rows(data, view.indicator, "total", model.rows)
    targets = model.extra["targets"]
    rows = _with_targets(lines, _target_rows(data, view.indicator, "total", targets, t))
    parts = [iso3, _ind_slug(view.indicator), years_part(start, end)]
    sources = _sources(data, [view.indicator], aggregated=True, sex="total", years=(start, end))
    method = _trend_method(data, view.indicator, t, (start, end))
    if targets:
        method = f"{method} {t('export.method_targets')}"
    return rows, method, parts, sources


def _country_parity(data: AppData, view: CountryView, t, model: ChartModel, iso3: str):
    start, end = views.year_range(data, view.start, view.end)
    rows = model.rows.rename(columns={"entity": "iso3"}).assign(name=data.country_name(iso3, t.lang))
    rows = rows.reindex(columns=["iso3", "name", "year", "female", "male", "parity_score", "gap_points"])
    parts = [iso3, "gender-parity", years_part(start, end)]
    sources = _sources(data, ["internet_users"], aggregated=False, sex="female", codes=[iso3])
    return rows, t("about.m_parity"), parts, sources


#: chart → the rows, method, file-name parts and sources of its download, from its model (views.MODELS builds it)
CHARTS: dict[str, Callable] = {
    "explore": _explore,
    "map": _map,
    "ranking": _ranking,
    "gender": _gender,
    "gender-internet": _dumbbell,
    "gender-mobile": _dumbbell,
    "country": _country,
    "country-parity": _country_parity,
}
assert tuple(CHARTS) == tuple(views.MODELS)
COUNTRY_CHARTS = views.COUNTRY_CHARTS
#: the Explore tab each chart stands for (/data.csv follows ``tab``)
TAB_CHART = {"chart": "explore", "table": "explore", "map": "map", "ranking": "ranking"}


def canonical_query(chart: str, view, iso3: str | None = None) -> str:
    """The query that reproduces this export (every field written, so defaults cannot drift later)."""
    q = to_query(view)
    return f"iso3={iso3}&{q}" if iso3 else q


def permalink(chart: str, view, iso3: str | None = None, base_url: str = "") -> str:
    """A stable URL for the rows: ``/data.csv?…`` for the Explore charts, ``/download/<chart>.csv?…`` otherwise."""
    if chart in ("explore", "map", "ranking"):
        tab = {"explore": "chart"}.get(chart, chart)
        return f"{base_url}/data.csv?{to_query(dataclasses.replace(view, tab=tab))}"
    return f"{base_url}/download/{chart}.csv?{canonical_query(chart, view, iso3)}"


def build(
    chart: str,
    query: Mapping[str, Any] | str | None,
    *,
    data: AppData | None = None,
    base_url: str = "",
    today: dt.date | None = None,
) -> ChartExport:
    """The export of ``chart`` for ``query``; :class:`QueryError` for an unknown chart or any invalid parameter."""
    if chart not in CHARTS:
        raise QueryError([translator("en")("export.unknown_chart", chart=chart[:40], charts=", ".join(CHARTS))])
    data = data or get_data()
    raw = _query_dict(query)
    iso3 = None
    if chart in COUNTRY_CHARTS:
        iso3 = raw.pop("iso3", "").upper()
        if iso3 not in data.country_codes:
            lang = raw.get("lang", "en")
            raise QueryError([translator(lang)("export.unknown_iso3", value=iso3[:12])])
    view = strict_parse(views.MODELS[chart][0], raw)
    t = translator(view.lang)
    model = views.chart_model(chart, data, view, t, iso3)
    fn = CHARTS[chart]
    rows, method, parts, sources = fn(data, view, t, model, iso3) if iso3 else fn(data, view, t, model)
    fig = go.Figure(model.figure)  # the figure functions build dicts; the export layout edits a validated graph object
    indicator = getattr(view, "indicator", None)  # the gender views have none: their columns have their own rule
    unit = data.registry[indicator].unit if indicator in data.registry else None
    rows = round_rows(rows.reset_index(drop=True), unit)
    generated = (today or dt.date.today()).isoformat()
    subtitle = model.subtitle
    if chart == "ranking" and (
        focus := ", ".join(views.group_label(data, g, t.lang) for g in view.groups if g != "WLD")
    ):
        subtitle = f"{subtitle} · {focus}"  # the page shows the groups in its controls; the image must say them itself
        fig.layout.title.subtitle.text = f"{fig.layout.title.subtitle.text} · {focus}"
    if chart == "gender" and (answers := model.extra.get("answers")):
        # the page answers ¶27 above the chart ("…: no — 0.90 (ITU estimate, Nov 2024) in 2020"); the image says it too
        said = " ".join(views.parity_sentence(data, a, t) for a in answers)
        subtitle = f"{subtitle} · {said}"
        fig.layout.title.subtitle.text = f"{fig.layout.title.subtitle.text} · {said}"
    meta = Meta(
        title=model.title,
        subtitle=" ".join(subtitle.split()),
        summary=model.summary,
        notes=list(model.notes),
        url=permalink(chart, view, iso3, base_url),
        sources=sources,
        method=method,
        generated=generated,
        project=t("app.name"),
        precision=precision_notes(t, rows.columns, unit),
    )
    if view.lang != "en":
        parts.append(view.lang)
    return ChartExport(chart, fig, rows, meta, [slug(p) for p in parts if p != ""], view.lang, view, model)


def chart_for_tab(query: Mapping[str, Any] | str | None) -> str:
    """The chart an Explore query's ``tab`` shows (unknown tabs are caught by the strict parse)."""
    return TAB_CHART.get(_query_dict(query).get("tab", "chart"), "explore")
