"""Data downloads: CSV with a ``#``-comment header block, a ZIP (CSV + README.txt), and the JSON document.

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


@dataclass(frozen=True)
class Meta:
    """What every data download says about itself."""

    title: str
    subtitle: str
    url: str  # the permalink (path and query) that returns the same rows
    sources: list[dict] = field(default_factory=list)  # publisher, title, licence, licence_url, vintage, url
    method: str = ""
    generated: str = ""
    project: str = ""
    notes: list[str] = field(default_factory=list)

    def header_lines(self, labels: dict[str, str]) -> list[str]:
        """The header block as lines of text (no comment marks), labels from the catalogue."""
        lines = [self.title, self.subtitle, f"{labels['url']}: {self.url}"]
        for src in self.sources:
            lines.append(
                f"{labels['source']}: {src.get('publisher', '')}, {src.get('title', '')}; "
                f"{labels['vintage']} {src.get('vintage', '')}; {labels['licence']} {src.get('licence', '')}"
                + (f" ({src['licence_url']})" if src.get("licence_url") else "")
            )
        if self.method:
            lines.append(f"{labels['method']}: {self.method}")
        lines += self.notes
        lines.append(f"{labels['generated']}: {self.generated} · {self.project}")
        return [" ".join(line.split()) for line in lines if line]

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "subtitle": self.subtitle,
            "url": self.url,
            "sources": self.sources,
            "vintages": {s.get("key", s.get("publisher", "")): s.get("vintage", "") for s in self.sources},
            "licences": sorted({s.get("licence", "") for s in self.sources if s.get("licence")}),
            "method": self.method,
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
            out[col] = out[col].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def to_csv(rows: pd.DataFrame, meta: Meta, labels: dict[str, str]) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets read non-ASCII names) headed by ``# `` comment lines."""
    buf = io.StringIO()
    for line in meta.header_lines(labels):
        buf.write("# " + str(neutralise(line)).replace("\n", " ") + "\n")
    safe_frame(rows).to_csv(buf, index=False, lineterminator="\n")
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def readme_text(meta: Meta, labels: dict[str, str], csv_name: str) -> str:
    lines = meta.header_lines(labels)
    return "\n\n".join([lines[0], *lines[1:], f"{labels['file']}: {csv_name}"]) + "\n"


def to_zip(rows: pd.DataFrame, meta: Meta, labels: dict[str, str], csv_name: str) -> bytes:
    """A ZIP with the CSV (same header block) and README.txt naming sources, vintages, licences and the method."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(csv_name, to_csv(rows, meta, labels))
        zf.writestr("README.txt", readme_text(meta, labels, csv_name).encode("utf-8"))
    return buf.getvalue()


def records(rows: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: NaN → null, numpy scalars → Python."""
    out = []
    for rec in rows.to_dict(orient="records"):
        clean = {}
        for key, value in rec.items():
            if hasattr(value, "item"):
                value = value.item()
            if isinstance(value, float) and math.isnan(value):
                value = None
            clean[str(key)] = value
        out.append(clean)
    return out


def to_json(rows: pd.DataFrame, meta: Meta, extra: dict | None = None) -> bytes:
    doc = {**meta.to_json(), **(extra or {}), "columns": [str(c) for c in rows.columns], "rows": records(rows)}
    return json.dumps(doc, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def sources_without_files(sources: Iterable[dict]) -> list[dict]:
    """Provenance entries trimmed to what a reader needs (no per-file hashes)."""
    keep = ("key", "publisher", "title", "url", "licence", "licence_url", "citation", "vintage")
    return [{k: s.get(k) for k in keep if s.get(k) is not None} for s in sources]
