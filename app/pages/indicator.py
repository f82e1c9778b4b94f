"""/indicator/<id>: "Learn more about this indicator" — definition, unit, sources with series codes, licences and
the vintages in the snapshot, coverage by year, how groups are aggregated, breaks and corrections, a citation.

Linked from the source line under every chart (app/components.source_block). The rows come from
app/indicator_info.py; an unknown id renders a translated notice and the list of indicators.
"""

from __future__ import annotations

import datetime as dt

import dash
from dash import dcc, html

from app import indicator_info as info
from app.components import data_table, notices_block
from app.context import get_data, url_context
from app.i18n import format_date, lang_query, translator
from app.settings import current
from app.state import AboutView, parse

dash.register_page(
    __name__, path_template="/indicator/<indicator_id>", title="Indicator · Digital divide dashboard", order=5
)


def indicator_href(indicator: str, lang: str) -> str:
    """The address of ``indicator``'s page in ``lang``."""
    return f"/indicator/{indicator}{lang_query(lang)}"


def layout(indicator_id: str = "", **query) -> html.Div:
    view, notices = parse(AboutView, query, url_context())
    t = translator(view.lang)
    data = get_data()
    ind = data.registry.get(indicator_id) if isinstance(indicator_id, str) else None
    if ind is None:
        return html.Div([html.H1(t("indicator.heading_unknown")), *not_found(indicator_id, t)], id="indicator-page")
    return html.Div([notices_block(notices, t), *sections(ind, t)], id="indicator-page")


def not_found(indicator_id: object, t) -> list:
    """The "no such indicator" notice and the list of indicators to choose from."""
    shown = (indicator_id if isinstance(indicator_id, str) else "")[:40]
    return [html.P(t("indicator.unknown", id=shown), className="notice", role="status"), indicator_list(t)]


def indicator_list(t) -> html.Ul:
    data = get_data()
    return html.Ul(
        [html.Li(dcc.Link(ind.title_in(t.lang), href=indicator_href(i, t.lang))) for i, ind in data.registry.items()],
        className="indicator-list",
    )


def _facts(ind, t) -> html.Dl:
    pairs = [
        (t("indicator.id"), _latin(ind.id)),
        (t("indicator.unit"), ind.unit_label.get(t.lang) or ind.unit_label.get("en", ind.unit)),
        (t("indicator.sexes"), t("app.list_sep").join(t(f"sex.{s}") for s in ind.sexes)),
        (t("indicator.aggregation"), t(f"indicator.agg_{ind.aggregation}")),
    ]
    return html.Dl([item for label, value in pairs for item in (html.Dt(label), html.Dd(value))], className="facts")


def _latin(text: str) -> html.Code:
    """A series code or URL: typed as the publisher wrote it, in any language (marked so)."""
    return html.Code(text, lang="en")


def _sources_table(srcs, t) -> html.Div:
    """The sources as a table like ``data_table``'s, with the series codes and URLs marked as code."""
    heads = ["about.col_source", "indicator.col_code", "about.col_licence", "indicator.col_vintages",
             "price.col_years", "about.col_economies"]  # fmt: skip
    rows = []
    for s in srcs:
        vintages = t("app.list_sep").join(format_date(v, t.lang, "medium") for v in s.vintages)
        cells = [
            s.publisher + t("about.source_sep") + s.title,
            _latin(s.code),
            s.licence,
            vintages or t("indicator.not_in_snapshot"),
            f"{s.first_year}–{s.last_year}" if s.first_year is not None else "–",
            str(s.economies),
        ]
        rows.append(html.Tr([html.Td(c) for c in cells]))
    caption = t("indicator.sources_caption")
    table = html.Table(
        [
            html.Caption(caption),
            html.Thead(html.Tr([html.Th(t(h), scope="col") for h in heads])),
            html.Tbody(rows),
        ],
        className="data-table",
    )
    return html.Div(table, className="table-scroll", tabIndex=0, role="region", **{"aria-label": caption})


def _citation(src, ind, t, *, accessed: str, permalink: str) -> html.Li:
    """The suggested citation, its series code and URLs marked as code (``info.citation`` is the same as text)."""
    marks = {"\x01": src.code, "\x02": src.url, "\x03": permalink}
    text = t(
        "indicator.citation",
        publisher=src.publisher,
        title=src.title,
        indicator=ind.title_in(t.lang),
        code="\x01",
        vintage=format_date(src.vintages[-1], t.lang) if src.vintages else "–",
        url="\x02",
        accessed=format_date(accessed, t.lang),
        project=t("app.name"),
        permalink="\x03",
    )
    parts, plain = [], ""
    for ch in text:
        if ch in marks:
            parts += [plain, _latin(marks[ch])] if plain else [_latin(marks[ch])]
            plain = ""
        else:
            plain += ch
    return html.Li([*parts, plain] if plain else parts, className="citation")


def _coverage_table(ind, t) -> html.Div:
    data = get_data()
    table = info.coverage_by_year(data, ind)
    columns = {"year": t("table.year"), **{s: t("indicator.col_economies", sex=t(f"sex.{s}")) for s in ind.sexes}}
    columns = {k: v for k, v in columns.items() if k in table.columns}
    return data_table(table, columns, t.lang, t("indicator.coverage_caption", indicator=ind.title_in(t.lang)), 0)


def sections(ind, t) -> list:
    """The page's headings and sections for indicator ``ind``."""
    data = get_data()
    lang = t.lang
    srcs = info.sources(data, ind, lang)
    used = [s for s in srcs if s.vintages]
    breaks = info.breaks(data, ind, lang)
    fixes = info.corrections(data, ind, t)
    permalink = f"{current().public_base_url}/indicator/{ind.id}"
    accessed = dt.date.today().isoformat()
    licences = sorted({s.licence for s in used})
    explore = f"/explore?indicator={ind.id}" + (f"&lang={lang}" if lang != "en" else "")
    return [
        html.H1(ind.title_in(lang)),
        html.P(ind.definition_in(lang), className="intro", id="indicator-definition"),
        _facts(ind, t),
        html.P(dcc.Link(t("indicator.explore"), href=explore)) if ind.id != "population" else html.Div(),
        html.Section(
            [html.H2(t("indicator.sources")), html.P(t("indicator.sources_intro")), _sources_table(srcs, t)],
            id="indicator-sources",
        ),
        html.Section(
            [html.H2(t("indicator.aggregation_heading")), html.P(t(f"indicator.agg_{ind.aggregation}_text"))],
            id="indicator-aggregation",
        ),
        html.Section(
            [html.H2(t("indicator.coverage")), html.P(t("indicator.coverage_intro")), _coverage_table(ind, t)],
            id="indicator-coverage",
        ),
        html.Section(
            [
                html.H2(t("indicator.breaks")),
                html.Ul([html.Li(t("indicator.break_item", basket=b, first=f, last=la)) for b, f, la in breaks])
                if breaks
                else html.P(t("indicator.no_breaks")),
                html.H3(t("about.corrections")),
                html.Ul([html.Li(c) for c in fixes]) if fixes else html.P(t("indicator.no_corrections")),
            ],
            id="indicator-breaks",
        ),
        html.Section(
            [
                html.H2(t("indicator.licence")),
                html.P(t("indicator.licence_text", licences=t("app.list_sep").join(licences) or "–")),
                html.P(t("about.licence_note"), className="licence"),
            ],
            id="indicator-licence",
        ),
        html.Section(
            [
                html.H2(t("indicator.citation_heading")),
                html.Ul([_citation(s, ind, t, accessed=accessed, permalink=permalink) for s in used]),
            ],
            id="indicator-citation",
        ),
    ]
