"""A chart export written as bytes in one format: png/svg (the briefing figure through kaleido), pdf (that SVG on
one page through the document engine, app/export/document.py), csv, xlsx, zip, json."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from app.export import document, render
from app.export.charts import ChartExport
from app.export.image_meta import permalink_text, png_with_metadata, svg_with_metadata
from app.export.layout import briefing_version
from app.export.tables import to_csv, to_json, to_zip
from app.export.xlsx import MIME as XLSX_MIME
from app.export.xlsx import to_xlsx
from app.i18n import format_date, translator

FORMATS = ("png", "svg", "pdf", "csv", "xlsx", "zip", "json")
MIME = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_MIME,
    "zip": "application/zip",
    "json": "application/json; charset=utf-8",
}


def labels(t) -> dict[str, str]:
    """The words of the README, metadata sheet and JSON, from the catalogue."""
    keys = (
        "title",
        "subtitle",
        "summary",
        "url",
        "source",
        "vintage",
        "licence",
        "method",
        "precision",
        "generated",
        "file",
    )
    return {k: t(f"export.{k}") for k in keys}


def credit(t, generated: str, url: str) -> str:
    """The image's last footer line: project name, date generated and, when absolute, the data permalink."""
    date = format_date(generated, t.lang)
    if url.startswith(("http://", "https://")):
        return t("export.credit", project=t("app.name"), date=date, url=url)
    return t("export.credit_no_url", project=t("app.name"), date=date)


def export_figure(exp: ChartExport):
    """The figure as it is burned into images (title, subtitle, targets, footer with sources and credit)."""
    t = translator(exp.lang)
    return briefing_version(exp.figure, credit=credit(t, exp.meta.generated, exp.meta.url), lang=exp.lang)


def licences_of(sources: Iterable[dict]) -> list[str]:
    """The licences of ``sources``, each once, in order."""
    return list(dict.fromkeys(s["licence"] for s in sources if s.get("licence")))


def source_line(exp: ChartExport) -> str:
    """The sources with their vintages, one line (an image's ``Source``)."""
    t = translator(exp.lang)
    return "; ".join(
        f"{s.get('publisher', '')}, {s.get('title', '')} ({t('export.vintage')} {s.get('vintage', '')})"
        for s in exp.meta.sources
    )


def rights_line(exp: ChartExport) -> str:
    """The licence line (an image's ``Copyright``): the licences of the data, and the dashboard's name."""
    t = translator(exp.lang)
    return f"{t('about.col_licence')}: {'; '.join(licences_of(exp.meta.sources))} · {exp.meta.project}"


def chart_svg(exp: ChartExport, fig=None) -> bytes:
    """The chart's SVG as the download serves it (``fig``: the export figure, when the caller changed it), with its
    title, summary and metadata (source, licence, permalink)."""
    t = translator(exp.lang)
    svg = render.to_bytes(fig if fig is not None else export_figure(exp), "svg")
    fields = {
        "title": exp.meta.title,
        "source": source_line(exp),
        "rights": rights_line(exp),
        "identifier": permalink_text(exp.meta.url, t),
        "language": exp.lang,
        "date": exp.meta.generated,
        "creator": exp.meta.project,
    }
    desc = exp.meta.summary or exp.meta.subtitle
    return svg_with_metadata(svg, title=exp.meta.title, desc=desc, fields=fields, lang=exp.lang)


def chart_png(exp: ChartExport) -> bytes:
    """The chart's PNG (at 2×) with its print resolution and its title, source, licence and permalink."""
    t = translator(exp.lang)
    png = render.to_bytes(export_figure(exp), "png")
    fields = {
        "Title": exp.meta.title,
        "Source": source_line(exp),
        "Copyright": rights_line(exp),
        "Description": permalink_text(exp.meta.url, t),
        "Creation Time": exp.meta.generated,
        "Software": exp.meta.project,
    }
    return png_with_metadata(png, fields=fields, lang=exp.lang)


#: the line under a single-chart PDF's image (its permalink), in CSS px
CAPTION_PX = 36


def chart_pdf(exp: ChartExport) -> bytes:
    """One page at the chart's size: the SVG (title, subtitle, targets, sources and licences, credit) and its
    permalink under it, as a link when absolute; tagged, with the chart's language and metadata."""
    t = translator(exp.lang)
    fig = export_figure(exp)
    width, height = int(fig.layout.width), int(fig.layout.height)
    svg = chart_svg(exp, fig)
    absolute = document.is_absolute(exp.meta.url)
    meta = document.DocMeta(
        title=exp.meta.title,
        lang=exp.lang,
        author=t("app.name"),
        subject=" · ".join(p for p in (exp.meta.subtitle, exp.meta.summary) if p),
        keywords=tuple(exp.name_parts),
        licence="; ".join(licences_of(exp.meta.sources)),
        permalink=exp.meta.url,
        created=exp.meta.generated,
    )
    label = document.esc(t("export.url") if absolute else t("export.url_relative"))
    body = (
        f'<figure class="chart"><img src="{document.svg_src(svg)}" alt="{document.esc(exp.meta.summary)}" '
        f'width="{width}" height="{height}"><figcaption>{label}: {document.link(exp.meta.url, limit=160)}'
        "</figcaption></figure>"
    )
    page = document.document(meta, body, f"{width}px {height + CAPTION_PX}px", body_class="chart-file")
    return document.to_pdf(page)


#: the formats that carry rows, not a drawing
DATA_FORMATS = ("csv", "xlsx", "zip", "json")


def data_bytes(rows, meta, t, fmt: str, csv_name: str, identity: dict) -> bytes:
    """Rows and their metadata in one of ``DATA_FORMATS`` (``identity``: what the JSON names, chart and view)."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xlsx":
        return to_xlsx(rows, meta, labels(t))
    if fmt == "zip":
        return to_zip(rows, meta, labels(t), csv_name)
    return to_json(rows, meta, identity)


def export_bytes(exp: ChartExport, fmt: str) -> bytes:
    """``exp`` in ``fmt`` (one of FORMATS)."""
    t = translator(exp.lang)
    if fmt == "pdf":
        return chart_pdf(exp)
    if fmt == "svg":
        return chart_svg(exp)
    if fmt == "png":
        return chart_png(exp)
    if fmt in DATA_FORMATS:
        view = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(exp.view).items()}
        return data_bytes(exp.rows, exp.meta, t, fmt, exp.file_name("csv"), {"chart": exp.chart, "view": view})
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
