"""A chart export written as bytes in one format: png/svg/pdf (briefing figure through kaleido), csv, xlsx, zip,
json."""

from __future__ import annotations

import dataclasses

from app.export import render
from app.export.charts import ChartExport
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


def export_bytes(exp: ChartExport, fmt: str) -> bytes:
    """``exp`` in ``fmt`` (one of FORMATS)."""
    t = translator(exp.lang)
    if fmt in render.IMAGE_FORMATS:
        return render.to_bytes(export_figure(exp), fmt)
    if fmt == "csv":
        return to_csv(exp.rows)
    if fmt == "xlsx":
        return to_xlsx(exp.rows, exp.meta, labels(t))
    if fmt == "zip":
        return to_zip(exp.rows, exp.meta, labels(t), exp.file_name("csv"))
    if fmt == "json":
        view = {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(exp.view).items()}
        return to_json(exp.rows, exp.meta, {"chart": exp.chart, "view": view})
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
