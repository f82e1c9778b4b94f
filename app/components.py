"""Shared page pieces: notices, source lines, accessible figure blocks and tables."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from dash import dcc, html

from app.data import AppData
from app.i18n import format_number


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
    data: AppData, indicators: Sequence[str], t, aggregated: bool = True, *, sex=None, years=None, codes=None
) -> str:
    """'Source: … (licence), vintage …' for the rows shown, plus population weights when aggregated."""
    parts = []
    seen = set()
    for ind in indicators:
        for src in data.provenance_for(ind, sex=sex, years=years, codes=codes):
            if src["key"] in seen:
                continue
            seen.add(src["key"])
            parts.append(
                t(
                    "source.item",
                    publisher=src["publisher"],
                    title=src["title"],
                    licence=src["licence"],
                    vintage=src["vintage"],
                )
            )
    if aggregated and "worldbank" not in seen:
        pop = data.population_provenance
        if pop:
            parts.append(t("source.population", licence=pop.get("licence", ""), vintage=pop.get("vintage", "")))
    text = t("source.prefix") + "; ".join(parts) + "."
    if aggregated:
        text += " " + t("source.aggregates")
    return text


def source_block(text: str, t) -> html.P:
    return html.P(
        [html.Span(t("source.label") + " "), text, " ", dcc.Link(t("source.about"), href="/about")], className="source"
    )


def figure_block(graph_id: str, figure, summary: str, filename: str, t) -> html.Figure:
    """A graph under its title (an H2) and subtitle, with its one-sentence text alternative as the accessible
    name and a visible caption. The image's own title and footer are kept for downloads only."""
    from app.figures import screen_version

    screen, title, subtitle = screen_version(figure)
    return html.Figure(
        [
            html.H2(title, className="figure-title"),
            html.P(subtitle, className="figure-subtitle"),
            dcc.Graph(
                id=graph_id,
                figure=screen,
                config={
                    "displaylogo": False,
                    "responsive": True,
                    "topojsonURL": "/assets/topojson/",
                    "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
                },
                className="graph",
            ),
            html.Figcaption(summary, className="summary"),
        ],
        className="figure",
        **{"aria-label": summary},
    )


def data_table(frame: pd.DataFrame, columns: dict[str, str], lang: str, caption: str, digits: int = 1) -> html.Div:
    """A plain, scrollable HTML table (headers scoped for screen readers)."""
    head = html.Thead(html.Tr([html.Th(label, scope="col") for label in columns.values()]))
    body_rows = []
    for row in frame.itertuples(index=False):
        cells = []
        for col in columns:
            value = getattr(row, col)
            if "year" in col and isinstance(value, (int, float)) and value == value:
                text = str(int(value))
            elif isinstance(value, float):
                text = format_number(value, lang, digits)
            else:
                text = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
            cells.append(html.Td(text))
        body_rows.append(html.Tr(cells))
    table = html.Table([html.Caption(caption), head, html.Tbody(body_rows)], className="data-table")
    return html.Div(table, className="table-scroll", tabIndex=0, role="region", **{"aria-label": caption})


def select_data(pairs) -> list[dict]:
    return [{"value": v, "label": label} for v, label in pairs]
