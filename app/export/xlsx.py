"""The Excel download: sheet "data" (a header row, then the rows, numbers as numbers) and sheet "about" (title,
permalink, sources with vintages and licences, method, rounding, date generated).

Written with openpyxl, deterministically: fixed document properties (creator, and created/modified = the date
generated) and fixed ZIP timestamps, so the same query on the same day gives the same bytes. Text cells are
neutralised as in the CSV (a leading apostrophe) and stored as strings, so no cell is ever a formula.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from app.export.tables import Meta, _plain, fixed_zip, safe_frame

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET, ABOUT_SHEET = "data", "about"


def _put(ws, row: int, col: int, value: object):
    cell = ws.cell(row=row, column=col, value=_plain(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    return cell


def _about_rows(meta: Meta, labels: dict[str, str]) -> list[tuple[str, str]]:
    rows = [(labels["title"], meta.title), (labels["subtitle"], meta.subtitle)]
    rows += [(labels["summary"], meta.summary)] if meta.summary else []
    rows.append((labels["url"], meta.url))
    rows += [(labels["source"], meta.source_line(src, labels)) for src in meta.sources]
    rows += [(labels["method"], meta.method)] if meta.method else []
    rows += [(labels["precision"], p) for p in meta.precision]
    rows += [("", n) for n in meta.notes]
    rows.append((labels["generated"], f"{meta.generated} · {meta.project}"))
    return rows


def _when(meta: Meta) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(meta.generated[:10])
    except ValueError:
        return dt.datetime(2000, 1, 1)


def to_xlsx(rows: pd.DataFrame, meta: Meta, labels: dict[str, str]) -> bytes:
    """The rows and their metadata as an .xlsx workbook (bytes)."""
    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    safe = safe_frame(rows)
    for j, name in enumerate(safe.columns, start=1):
        _put(data, 1, j, str(name)).font = Font(bold=True)
    for i, rec in enumerate(safe.itertuples(index=False), start=2):
        for j, value in enumerate(rec, start=1):
            _put(data, i, j, value)
    data.freeze_panes = "A2"
    about = wb.create_sheet(ABOUT_SHEET)
    for i, (label, text) in enumerate(_about_rows(meta, labels), start=1):
        _put(about, i, 1, label).font = Font(bold=True)
        _put(about, i, 2, text)
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 120
    when = _when(meta)
    wb.properties.creator = meta.project
    wb.properties.lastModifiedBy = meta.project
    wb.properties.title = meta.title
    wb.properties.created = when
    wb.properties.modified = when
    buf = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED)).save()
    with zipfile.ZipFile(io.BytesIO(buf.getvalue())) as zf:
        return fixed_zip((name, zf.read(name)) for name in zf.namelist())
