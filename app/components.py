"""Shared page pieces: notices, source lines, accessible figure blocks and tables."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
from dash import dcc, html

from app.context import get_data
from app.data import AppData
from app.export.precision import INTEGER_COLUMNS
from app.i18n import basket_name, format_date, format_number, lang_query, languages, lookup, translator

#: a searchable group/country picker: Enter adds the first match, and a chosen item is not offered again (Enter on
#: an offered item that is already chosen would remove it)
#: plotly.js locale per catalogue language (app/assets/plotly-locale-<lang>.js registers the non-English ones)
PLOTLY_LOCALES = {"en": "en", "zh": "zh-CN"}


def notices_block(notices, t) -> html.Div:
    """The in-page notice for ignored or invalid URL parameters (never an error page)."""
    if not notices:
        return html.Div()
    return html.Div(
        [html.Strong(t("notice.title")), html.Ul([html.Li(n.text(t)) for n in notices])],
        className="notice",
        role="status",
        id="url-notice",
    )


def source_text(
    data: AppData,
    indicators: Sequence[str],
    t,
    aggregated: bool = True,
    *,
    sex=None,
    years=None,
    codes=None,
    published_sources: Sequence[str] = (),
    groups: Sequence[str] = (),
) -> str:
    """'Source: … (licence), vintage …' for the rows shown; when aggregated, the population weights of the sex shown
    with their exact vintage; and the publishers whose own group estimates are drawn (``published_sources``)."""
    used: dict[str, tuple[dict, set]] = {}  # a source's every vintage the rows use (one per indicator, may differ)
    for ind in indicators:
        for src in data.provenance_for(ind, sex=sex, years=years, codes=codes):
            used.setdefault(src["key"], (src, set()))[1].add(src["vintage"])
    parts = [source_item(key, src, sorted(vintages), t) for key, (src, vintages) in used.items()]
    seen = set(used)
    sources = data.snapshot.provenance.get("sources", {})
    for key in published_sources:
        if key in sources and key not in seen:
            seen.add(key)
            vintage = data.published_version(key, indicators, groups)[1]
            parts.append(source_item(key, sources[key], vintage or sources[key].get("vintage", ""), t))
    prices = all(data.registry[i].is_price for i in indicators) if indicators else False
    if aggregated and not prices:  # a price median is not population-weighted
        parts.append(population_text(data, sex or "total", t))
    text = t("source.prefix") + t("source.separator").join(p for p in parts if p) + t("source.end")
    for ind in indicators:
        if data.registry[ind].is_price:
            text += t("summary.join") + basket_text(data, ind, t, years)
    if aggregated:
        text += t("summary.join") + t("price.aggregates" if prices else "source.aggregates")
    return text


def basket_text(data: AppData, indicator: str, t, years=None) -> str:
    """'Basket definitions (ITU's BasketHistory): … 2008–2017, … 2018–2025. …' for the years shown: every price
    image and download carries the definition of what was priced."""
    periods = data.basket_periods(indicator)
    if years:
        periods = tuple(p for p in periods if p[1] <= years[1] and p[2] >= years[0])
    items = [t("price.basket_period", basket=basket_name(b, t.lang), first=f, last=la) for b, f, la in periods]
    return t("price.basket_note", periods=t("app.list_sep").join(items)) if items else ""


def source_item(key: str, src: dict, vintage: str | Sequence[str], t) -> str:
    """'publisher, title (licence), vintage …'; several vintages (the rows of two indicators downloaded on different
    days) are all named."""
    vintages = [vintage] if isinstance(vintage, str) else list(vintage)
    return t(
        "source.item",
        publisher=source_field(key, "publisher", src.get("publisher", ""), t.lang),
        title=source_field(key, "title", src.get("title", ""), t.lang),
        licence=source_field(key, "licence", src.get("licence", ""), t.lang),
        vintage=t("source.vintages_sep").join(format_date(v, t.lang, "medium") for v in vintages),
    )


def population_text(data: AppData, sex: str, t) -> str:
    """'population weights: World Bank WDI (CC BY 4.0), vintage …' for the weight series of ``sex``, naming how the
    years after its last figure are derived."""
    pop = data.population_provenance
    weights = data.population_weights(sex)
    if not pop or not weights.vintages:
        return ""
    licence = source_field("worldbank", "licence", pop.get("licence", ""), t.lang)
    vintage = format_date(weights.vintages[0], t.lang, "medium")
    if weights.derived_years is None:
        return t("source.population", licence=licence, vintage=vintage)
    first, last = weights.derived_years
    return t(
        "source.population_sex",
        licence=licence,
        vintage=vintage,
        last=weights.last_year,
        years=str(first) if first == last else f"{first}–{last}",
        total_vintage=format_date(weights.total_vintage, t.lang, "medium"),
    )


def source_field(key: str, name: str, english: str, lang: str) -> str:
    """A provenance field (publisher, title, licence) of source ``key`` in ``lang``; the data's English otherwise."""
    return lookup(lang, f"data.source.{key}.{name}", english)


def source_block(text: str, t, indicators: Sequence[str] = ()) -> html.P:
    """'Source: …' under a chart, with a link to the methods and, for each indicator shown, to its page
    (/indicator/<id>: definition, vintages, coverage, citation). Built once per text, language and indicators:
    components are only read when a response is serialised."""
    return _source_block(text, t.lang, tuple(indicators))


@lru_cache(maxsize=2048)
def _source_block(text: str, lang: str, indicators: tuple[str, ...] = ()) -> html.P:
    t = translator(lang)
    links: list = [dcc.Link(t("source.about"), href="/about" + lang_query(lang))]
    for ind in indicators:
        label = t("indicator.learn_more")
        if len(indicators) > 1:
            from app.context import get_data

            label = t("indicator.learn_more_named", indicator=get_data().registry[ind].title_in(lang))
        links += [" · ", dcc.Link(label, href=f"/indicator/{ind}{lang_query(lang)}", className="indicator-link")]
    return html.P([html.Span(t("source.label") + " "), text, " ", *links], className="source")


def figure_block(graph_id: str, model, t, *, heading: str = "h2", hidden: bool = False) -> html.Figure:
    """A chart model's graph under its title (an H2, or an H1 where the chart is the page) and subtitle. The figure
    is named by its title; the plot is one image whose accessible name is the one-sentence summary, shown as the
    caption and announced once (app/assets/chart-a11y.js labels plotly's drawing with the caption, which is itself
    hidden from screen readers). The image's own title and footer are kept for downloads only. Every part has an id
    (``<graph_id>-title``, ``-subtitle``, ``-keys``, ``-summary``) for the callbacks that update it; ``data-chart`` and
    ``data-query`` let the first paint (app/first_paint.py) draw the same chart without scripts."""
    title_tag = html.H1 if heading == "h1" else html.H2
    return html.Figure(
        [
            title_tag(model.title, className="figure-title", id=f"{graph_id}-title"),
            html.P(model.subtitle, className="figure-subtitle", id=f"{graph_id}-subtitle"),
            dcc.Graph(id=graph_id, figure=model.screen, config=graph_config(model.filename, t), className="graph"),
            target_list(graph_id, model.keys, t),
            html.Figcaption(model.summary, className="summary", id=f"{graph_id}-summary", **{"aria-hidden": "true"}),
        ],
        className="figure",
        id=f"{graph_id}-figure",
        hidden=hidden,
        **{"aria-labelledby": f"{graph_id}-title", "data-chart": model.chart, "data-query": model.query},
    )


def target_list(graph_id: str, keys, t) -> html.Ul:
    """The targets drawn on a chart, by the keys that mark their diamonds (①, ②, …): a list under the graph that
    wraps on any screen and is read by screen readers (an exported image lists them under its plot)."""
    return html.Ul(
        [html.Li(key) for key in keys],
        className="target-keys",
        id=f"{graph_id}-keys",
        **{"aria-label": t("figure.targets")},
    )


def graph_config(filename: str, t) -> dict:
    """The plotly config of every graph: no cloud, no lasso, the page's locale, the toolbar PNG named ``filename``."""
    return {
        "displaylogo": False,
        "showSendToCloud": False,  # "Share chart" would upload the data to Plotly's cloud
        "modeBarButtonsToRemove": ["select2d", "lasso2d"],
        "locale": PLOTLY_LOCALES.get(t.lang, "en"),
        "responsive": True,
        "topojsonURL": "/assets/topojson/",
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
    }


def data_table(frame: pd.DataFrame, columns: dict[str, str], lang: str, caption: str, digits: int = 1) -> html.Div:
    """A plain, scrollable HTML table (headers scoped for screen readers); years and counts (``n_members``,
    ``n_reporting``, ``n_filled``, ``rank``: ``precision.INTEGER_COLUMNS``) are whole numbers, other floats have
    ``digits`` decimals."""
    head = html.Thead(html.Tr([html.Th(label, scope="col") for label in columns.values()]))
    body_rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for col in columns:
            value = getattr(row, col)
            if (col == "year" or col.endswith("_year")) and _is_number(value):
                text = str(int(value))
            elif col in INTEGER_COLUMNS and _is_number(value):
                text = format_number(value, lang, 0)  # a count of members: "37", never "37.0"
            elif isinstance(value, float):
                text = format_number(value, lang, digits)
            else:
                text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            cells.append(html.Td(text))
        body_rows.append(html.Tr(cells))
    table = html.Table([html.Caption(caption), head, html.Tbody(body_rows)], className="data-table")
    return html.Div(table, className="table-scroll", tabIndex=0, role="region", **{"aria-label": caption})


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and value == value


def select_data(pairs) -> list[dict]:
    return [{"value": v, "label": label} for v, label in pairs]


#: the ids of the /country search: the box, its live region, its data, and the list's items and regions
COUNTRY_SEARCH = "country-search"
COUNTRY_SEARCH_STATUS = "country-search-status"
COUNTRY_SEARCH_DATA = "country-search-data"
COUNTRY_ITEM = "country-item"
COUNTRY_REGION = "country-region"
#: what separates the names in a search key (folded text never holds it, so no match spans two names)
KEY_SEP = "|"


def search_text(text: str) -> str:
    """``text`` as the country search compares it: accents dropped (NFKD, marks removed), lower case, every run of
    spaces and punctuation one space. app/assets/country-search.js folds what is typed the same way."""
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.category(ch).startswith("M"))
    return " ".join(re.sub(r"[\W_]+", " ", bare.lower()).split())


def search_key(data: AppData, iso3: str) -> str:
    """What the search matches for ``iso3``: its name in every catalogue language and its code, folded."""
    names = dict.fromkeys(search_text(data.country_name(iso3, lang)) for lang in languages())
    return KEY_SEP.join([*names, iso3.lower()])


def search_matches(query: str, key: str) -> bool:
    """Whether a search key matches what is typed (an empty query matches everything), as the page's script does."""
    return search_text(query) in key


def _country_sections(data: AppData, t) -> list[tuple[str, list[tuple[str, str]]]]:
    """(M49 region, [(name, iso3)] sorted by name) for every region with economies, in the regions' order."""
    frame = data.countries.reindex(data.country_codes)
    regions = frame["m49_region"].fillna("none").replace("", "none")
    return [
        (str(region), sorted((data.country_name(c, t.lang), c) for c in grp.index))
        for region, grp in frame.groupby(regions, sort=True)
    ]


def country_list(t) -> html.Div:
    """Links to every economy's profile, grouped by M49 region (the /country page, and /country/<unknown>); each
    item and region has an id the search box above it (``country_search``) hides it by."""
    suffix = lang_query(t.lang)
    sections = []
    for region, names in _country_sections(get_data(), t):
        links = [
            html.Li(
                html.A(t("app.name_code", name=name, code=c), href=f"/country/{c}{suffix}"),
                id={"type": COUNTRY_ITEM, "iso3": c},
            )
            for name, c in names
        ]
        sections.append(
            html.Section(
                [html.H2(t(f"region.{region}")), html.Ul(links, className="country-list")],
                id={"type": COUNTRY_REGION, "region": region},
            )
        )
    return html.Div(sections)


def country_search(t) -> html.Div:
    """The search box above the list of economies: typing narrows the list (English or Chinese name, or ISO3 code;
    accents and case ignored), a polite live region says how many match, Enter opens the first match. The
    filtering is app/assets/country-search.js, a clientside callback (app/pages/countries.py)."""
    data = get_data()
    suffix = lang_query(t.lang)
    items = [
        [c, search_key(data, c), region, f"/country/{c}{suffix}"]
        for region, names in _country_sections(data, t)
        for _name, c in names
    ]
    texts = {
        "one": t("country.search_one", n="{n}"),
        "many": t("country.search_many", n="{n}"),
        "none": t("country.search_none", query="{query}"),
    }
    return html.Div(
        [
            html.Label(t("country.search_label"), htmlFor=COUNTRY_SEARCH, className="country-search-label"),
            dcc.Input(
                id=COUNTRY_SEARCH,
                type="search",
                placeholder=t("country.search_hint"),
                autoComplete="off",
                spellCheck=False,
                className="country-search-input",
            ),
            html.P(
                id=COUNTRY_SEARCH_STATUS, className="country-search-status", role="status", **{"aria-live": "polite"}
            ),
            dcc.Store(id=COUNTRY_SEARCH_DATA, data={"items": items, **texts}),
        ],
        className="country-search",
        role="search",
    )


def not_found_body(t, detail: str | None = None) -> list:
    """Page not found: the heading, what happened, the way back (the 404 page, /country/<unknown code>)."""
    return [
        html.H1(t("not_found.heading")),
        html.P(detail or t("not_found.text"), className="notice", role="status"),
        html.P(dcc.Link(t("not_found.home"), href="/" + lang_query(t.lang))),
    ]
