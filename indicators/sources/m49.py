"""UNSD M49 "overview" file: standard country or area codes with the LDC / LLDC / SIDS flags.

Two layouts are read (see ``../shared/data/raw/SOURCES.md`` §5, §6):

* current (2020s): ``;``-delimited, UTF-8 with BOM, CRLF; has ``ISO-alpha2 Code``; no developed/developing column;
* legacy: ``,``-delimited, no ``ISO-alpha2 Code``, and a ``Developed / Developing Countries`` column that UNSD
  has since dropped.

The delimiter is detected from the header line, the BOM is stripped, and CRLF is handled by the CSV parser.
Every cell is read as text with ``keep_default_na=False``: Namibia's ISO-alpha2 code is ``NA`` and must not
become a missing value.

Output columns (one row per country or area, in file order):

``m49`` (int), ``iso3``, ``iso2`` (None in the legacy layout), ``name``, ``region_code``, ``region``,
``subregion_code``, ``subregion``, ``intermediate_region_code``, ``intermediate_region`` (codes are nullable
ints, names None when empty, e.g. Antarctica has no region), ``ldc``, ``lldc``, ``sids`` (bool, from ``x``),
``development`` ("Developed" / "Developing" / None; only the legacy layout has it).

Rows without an ISO-alpha3 code are kept with ``iso3`` None: the legacy file has Sark (M49 680), which has no
ISO 3166 code. A row without an M49 code is an error.
"""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pandas as pd

from indicators.sources import SourceError

log = logging.getLogger(__name__)

#: publisher column -> our column. ``ISO-alpha2 Code`` and the developed/developing column are optional.
COLUMNS = {
    "M49 Code": "m49",
    "ISO-alpha3 Code": "iso3",
    "ISO-alpha2 Code": "iso2",
    "Country or Area": "name",
    "Region Code": "region_code",
    "Region Name": "region",
    "Sub-region Code": "subregion_code",
    "Sub-region Name": "subregion",
    "Intermediate Region Code": "intermediate_region_code",
    "Intermediate Region Name": "intermediate_region",
    "Least Developed Countries (LDC)": "ldc",
    "Land Locked Developing Countries (LLDC)": "lldc",
    "Small Island Developing States (SIDS)": "sids",
    "Developed / Developing Countries": "development",
}
OPTIONAL = ("ISO-alpha2 Code", "Developed / Developing Countries")
REQUIRED = tuple(c for c in COLUMNS if c not in OPTIONAL)
OUT_COLUMNS = tuple(COLUMNS.values())
_CODE_COLUMNS = ("region_code", "subregion_code", "intermediate_region_code")
_TEXT_COLUMNS = ("iso3", "iso2", "name", "region", "subregion", "intermediate_region")
_FLAGS = ("ldc", "lldc", "sids")
_DEVELOPMENT = {"developed": "Developed", "developing": "Developing"}


def _detect_delimiter(header: str, path) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    delim = max(counts, key=counts.get)
    if counts[delim] == 0:
        raise SourceError(f"{path}: cannot detect the delimiter of the M49 header line {header[:80]!r}")
    return delim


def read_m49(path: str | Path) -> pd.DataFrame:
    """Read a UNSD M49 overview CSV (current ``;`` or legacy ``,`` layout) into the columns listed above."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"{path}: cannot read as UTF-8 text ({exc})") from exc
    text = text.lstrip("\ufeff")
    header = text.splitlines()[0] if text else ""
    delim = _detect_delimiter(header, path)
    try:
        raw = pd.read_csv(
            io.StringIO(text),
            sep=delim,
            dtype=str,
            keep_default_na=False,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError(f"{path}: not a readable M49 CSV ({exc})") from exc
    raw.columns = [str(c).strip().lstrip("\ufeff") for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise SourceError(f"{path}: M49 file lacks required columns {missing} (found {list(raw.columns)})")

    raw = raw.apply(lambda s: s.str.strip())
    out = pd.DataFrame(index=raw.index)
    m49 = pd.to_numeric(raw["M49 Code"], errors="coerce")
    bad = m49.isna() | (m49 != m49.round())
    if bad.any():
        i = int(bad.idxmax())
        raise SourceError(
            f"{path}: row {i + 2} ({raw.at[i, 'Country or Area']!r}) has no valid M49 code ({raw.at[i, 'M49 Code']!r})"
        )
    out["m49"] = m49.astype("int64")
    for src, dst in COLUMNS.items():
        if dst == "m49":
            continue
        col = raw[src] if src in raw.columns else pd.Series("", index=raw.index)
        if dst in _FLAGS:
            out[dst] = col.str.lower().eq("x")
        elif dst in _CODE_COLUMNS:
            out[dst] = pd.to_numeric(col.replace("", None), errors="coerce").astype("Int64")
        elif dst == "development":
            out[dst] = col.str.lower().map(_DEVELOPMENT).astype(object).where(lambda s: s.notna(), None)
        else:
            out[dst] = col.where(col != "", None).astype(object)
    out["iso3"] = out["iso3"].map(lambda v: v.upper() if isinstance(v, str) else None)
    for c in (*_TEXT_COLUMNS, "development"):
        out[c] = pd.Series([v if isinstance(v, str) else None for v in out[c]], index=out.index, dtype=object)
    dup = out["m49"].duplicated(keep=False)
    if dup.any():
        rows = [int(i) + 2 for i in out.index[dup]]
        raise SourceError(f"{path}: duplicate M49 codes on rows {rows}")
    no_iso = out.loc[out["iso3"].isna(), ["m49", "name"]]
    for _, r in no_iso.iterrows():
        log.info("%s: M49 %s (%s) has no ISO-alpha3 code; kept with iso3 None", path.name, r["m49"], r["name"])
    return out[list(OUT_COLUMNS)].reset_index(drop=True)


def m49_to_iso3(m49: pd.DataFrame) -> dict[int, str]:
    """``{m49 code: iso3}`` for rows that have an ISO-alpha3 code (the map ``read_sdg_csv`` needs)."""
    has = m49["iso3"].notna()
    return dict(zip(m49.loc[has, "m49"].astype(int), m49.loc[has, "iso3"], strict=True))
