"""Data downloads: a plain CSV (a header row, then the rows: ``pandas.read_csv(url)`` and any spreadsheet open it
without options), a ZIP (the CSV, README.txt and metadata.json), and the JSON document (rows plus a ``meta`` object).

The metadata (title, permalink, sources with vintages and licences, method, rounding rules, date) lives in the
ZIP's README and metadata.json, in ``/data.json``'s ``meta`` and in the XLSX's "about" sheet (app/export/xlsx.py),
never as comment lines in the CSV. Numbers are rounded before writing (app/export/precision.py).

Text cells that begin with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return) get a leading apostrophe so a
spreadsheet shows them as text instead of running them as formulas (OWASP "CSV injection"). Numeric columns are
written as numbers and never touched, so ``-0.5`` stays a number.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: the timestamp of every member of a ZIP we write (the same query gives the same bytes)
ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Meta:
    """What every data download says about itself."""

    title: str
    subtitle: str
    url: str  # the permalink (path and query) that returns the same rows
    sources: list[dict] = field(default_factory=list)  # publisher, title, licence, licence_url, vintage, url
    method: str = ""
    summary: str = ""  # the chart's one-sentence summary, as on the page
    generated: str = ""
    project: str = ""
    notes: list[str] = field(default_factory=list)
    #: one sentence per rounded column: its decimals, and that coverage is in percent
    precision: list[str] = field(default_factory=list)

    def source_line(self, src: dict, labels: dict[str, str]) -> str:
        """'publisher, title; vintage …; licence …' of one source."""
        line = (
            f"{src.get('publisher', '')}, {src.get('title', '')}; "
            f"{labels['vintage']} {src.get('vintage', '')}; {labels['licence']} {src.get('licence', '')}"
        )
        return line + (f" ({src['licence_url']})" if src.get("licence_url") else "")

    def header_lines(self, labels: dict[str, str]) -> list[str]:
        """The metadata as lines of text, labels from the catalogue (the README's body and the XLSX's about sheet)."""
        lines = [self.title, self.subtitle, self.summary, f"{labels['url']}: {self.url}"]
        lines += [f"{labels['source']}: {self.source_line(src, labels)}" for src in self.sources]
        if self.method:
            lines.append(f"{labels['method']}: {self.method}")
        if self.precision:
            lines.append(f"{labels['precision']}: " + " ".join(self.precision))
        lines += self.notes
        lines.append(f"{labels['generated']}: {self.generated} · {self.project}")
        return [" ".join(line.split()) for line in lines if line]

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "summary": self.summary,
            "url": self.url,
            "sources": self.sources,
            "vintages": {s.get("key", s.get("publisher", "")): s.get("vintage", "") for s in self.sources},
            "licences": sorted({s.get("licence", "") for s in self.sources if s.get("licence")}),
            "method": self.method,
            "precision": self.precision,
            "notes": self.notes,
            "generated": self.generated,
            "project": self.project,
        }


def neutralise(value: object) -> object:
    """A text cell made safe for spreadsheets; anything that is not a string is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """``rows`` with every text (object/string) column neutralised; numeric columns untouched."""
    out = rows.copy()
    for col in out.columns:
        if not (pd.api.types.is_numeric_dtype(out[col]) or pd.api.types.is_bool_dtype(out[col])):
            # cell by cell, kept as objects: a text column's whole numbers stay whole (``map`` would infer floats)
            out[col] = pd.Series([neutralise(v) for v in out[col]], index=out.index, dtype=object)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(rows: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a BOM (so spreadsheets read non-ASCII names; pandas skips it): one header row, then the rows."""
    buf = io.StringIO()
    safe_frame(rows).to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def readme_text(meta: Meta, labels: dict[str, str], csv_name: str) -> str:
    lines = meta.header_lines(labels)
    return "\n\n".join([*lines, f"{labels['file']}: {csv_name}"]) + "\n"


def fixed_zip(members: Iterable[tuple[str, bytes]]) -> bytes:
    """A deflated ZIP of ``members`` with fixed timestamps, so the same content gives the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, body in members:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, body)
    return buf.getvalue()


def to_zip(rows: pd.DataFrame, meta: Meta, labels: dict[str, str], csv_name: str) -> bytes:
    """A ZIP with the CSV, README.txt (sources, vintages, licences, method, rounding) and metadata.json."""
    return fixed_zip(
        [
            (csv_name, to_csv(rows)),
            ("README.txt", readme_text(meta, labels, csv_name).encode("utf-8")),
            ("metadata.json", json.dumps(
                {**meta.to_json(), "file": csv_name, "columns": [str(c) for c in rows.columns]},
                ensure_ascii=False, indent=1, default=str,
            ).encode("utf-8")),
        ]
    )  # fmt: skip


def _plain(value: object) -> object:
    """A cell as a JSON/XLSX-ready Python value: NaN and pandas' NA → None, numpy scalars → Python."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def records(rows: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: NaN → null, numpy scalars → Python."""
    return [{str(k): _plain(v) for k, v in rec.items()} for rec in rows.to_dict(orient="records")]


def to_json(rows: pd.DataFrame, meta: Meta, extra: dict | None = None) -> bytes:
    """The rows with their metadata: a ``meta`` object (and, as before, the same keys at the top level)."""
    described = meta.to_json()
    doc = {
        **described,
        "meta": described,
        **(extra or {}),
        "columns": [str(c) for c in rows.columns],
        "rows": records(rows),
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def sources_without_files(sources: Iterable[dict]) -> list[dict]:
    """Provenance entries trimmed to what a reader needs (no per-file hashes)."""
    keep = ("key", "publisher", "title", "url", "licence", "licence_url", "citation", "vintage")
    return [{k: s.get(k) for k in keep if s.get(k) is not None} for s in sources]
