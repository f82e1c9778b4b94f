"""ITU ICT Price Baskets workbook (``ITU_ICTPriceBaskets_2008-2023.xlsx``): prices by economy, ITU's own group medians
and the history of the basket definitions.

Sheets read:

* ``BasketHistory``: which basket a code family measured in which years (fixed broadband 1 GB for 2008–2017, 5 GB
  from 2018; data-only mobile broadband 1 GB, 1.5 GB, 2 GB; …). Every price row gets its ``basket`` from here.
* ``economies_2008-2023``: one row per economy and code (``i154_FBB_ts_GNI``, ``…_PPP``, ``…$``), years as columns.
  Economy codes are ISO3 except ``WBG`` (West Bank and Gaza → PSE, ``codes.ITU_PRICES_TO_ISO3``).
  Missing values are the string ``NA``; a ``0`` is not a free service but a missing price (SLE 2013): both dropped.
  The economy's ITU groups (``ITURegion``, ``LDC``, ``LLDC``, ``SIDS``, ``Income_2023``: the flag text or ``NA``)
  are returned apart, for reproducing ITU's medians.
* ``medians_<span>``: ITU's medians by group. Each is the median over a **fixed panel**: the economies with a value
  in every year of the span for which the sheet reports the world (``N (World)`` economies); ``medians_2023`` is over
  every economy reporting in 2023 and has an ``n (group)`` column.

The ``medians_2008-2023`` sheet declares a bogus 1,048,415-row dimension, so sheets are read with pandas (which
stops at the last cell with data), never with openpyxl's read-only iterator.
"""

from __future__ import annotations

import logging
import re
import zipfile
from dataclasses import dataclass
from os import PathLike
from pathlib import Path

import pandas as pd

from indicators.codes import ITU_PRICES_TO_ISO3, normalise_iso3
from indicators.sources import SourceError, finish_raw

log = logging.getLogger(__name__)

ECONOMIES_SHEET = "economies_2008-2023"
HISTORY_SHEET = "BasketHistory"
MEDIAN_SHEET = re.compile(r"^medians_(\d{4})(?:-(\d{4}))?$")
ECONOMY_COLUMNS = ("IsoCode", "Economy", "Unit", "Code", "ITURegion", "LDC", "LLDC", "SIDS", "Income_2023")
GROUP_COLUMNS = ("ITURegion", "LDC", "LLDC", "SIDS", "Income_2023")
#: ``Codes (time series)`` in BasketHistory ends in ``_*``: replaced by ``_GNI``, ``_PPP`` or ``$``
CODE_SUFFIXES = ("_GNI", "_PPP", "$")
_YEARS = re.compile(r"^\s*(\d{4})\s*-\s*(\d{4})?\s*$")


@dataclass(frozen=True)
class PriceWorkbook:
    """What the workbook holds, each part in a frame.

    ``prices``: a raw frame (``indicators.sources``) with ``basket``; ``itu_groups``: iso3 and ITU's group columns;
    ``medians``: ITU's medians (code, grouping, group, year, value, panel_first, panel_last, n_world, n_group);
    ``baskets``: the basket history (family, basket, first_year, last_year, simplified, latest)."""

    prices: pd.DataFrame
    itu_groups: pd.DataFrame
    medians: pd.DataFrame
    baskets: pd.DataFrame


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    """The sheets this reader uses (BasketHistory, economies, medians_*), without their headers parsed."""
    try:
        names = pd.ExcelFile(path).sheet_names
        wanted = [n for n in names if n in (HISTORY_SHEET, ECONOMIES_SHEET) or MEDIAN_SHEET.match(n)]
        return pd.read_excel(path, sheet_name=wanted, header=None, na_values=["NA"], keep_default_na=False)
    except FileNotFoundError as exc:
        raise SourceError(f"{path}: cannot read the file ({exc})") from exc
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as exc:
        raise SourceError(f"{path}: not an Excel workbook ({exc})") from exc


def _header_row(sheet: pd.DataFrame, first_cell: str, where: str) -> int:
    for i in range(min(len(sheet), 30)):
        cells = [str(c).strip() for c in sheet.iloc[i].tolist()]
        if first_cell in cells:
            return i
    raise SourceError(f"{where}: no header row with {first_cell!r} in the first 30 rows")


def _table(sheet: pd.DataFrame, first_cell: str, where: str) -> pd.DataFrame:
    """The sheet's table below its header row (the row holding ``first_cell``), empty columns dropped."""
    row = _header_row(sheet, first_cell, where)
    header = [_column_name(c) for c in sheet.iloc[row].tolist()]
    body = sheet.iloc[row + 1 :].copy()
    body.columns = header
    body = body.loc[:, [c for c in header if c != ""]]
    return body.dropna(how="all").reset_index(drop=True)


def _column_name(cell) -> str | int:
    if isinstance(cell, float) and cell == cell and cell.is_integer():
        return int(cell)
    if isinstance(cell, int):
        return cell
    text = "" if cell is None or (isinstance(cell, float) and cell != cell) else str(cell).strip()
    return int(text) if text.isdigit() and len(text) == 4 else text


def read_basket_history(sheet: pd.DataFrame, where: str) -> pd.DataFrame:
    """BasketHistory as rows (family, basket, first_year, last_year, simplified, latest); ``last_year`` is None for
    an open-ended period ("2018-")."""
    table = _table(sheet, "Baskets_combined_simplified", where)
    columns = list(table.columns)
    need = ("Baskets_combined_simplified", "Historical baskets", "Codes (time series)")
    missing = [c for c in need if c not in columns]
    if missing:
        raise SourceError(f"{where}: BasketHistory lacks columns {missing} (found {columns})")
    years_col = next((c for c in columns if "collection years" in str(c)), None)
    latest_col = next((c for c in columns if str(c).startswith("Latest basket")), None)
    if years_col is None:
        raise SourceError(f"{where}: BasketHistory has no '(data collection years)' column")
    rows = []
    for i, r in table.iterrows():
        family = str(r["Codes (time series)"]).strip()
        if not family.endswith("_*"):
            continue  # the footnote row ("Note: replace * by …")
        match = _YEARS.match(str(r[years_col]))
        if not match:
            raise SourceError(
                f"{where}: BasketHistory row {i + 1}: years {r[years_col]!r} are not 'YYYY-' or 'YYYY-YYYY'"
            )
        rows.append(
            {
                "family": family.removesuffix("_*"),
                "basket": " ".join(str(r["Historical baskets"]).split()),
                "first_year": int(match.group(1)),
                "last_year": int(match.group(2)) if match.group(2) else None,
                "simplified": " ".join(str(r["Baskets_combined_simplified"]).split()),
                "latest": " ".join(str(r[latest_col]).split()) if latest_col else "",
            }
        )
    if not rows:
        raise SourceError(f"{where}: BasketHistory lists no basket")
    return pd.DataFrame(rows).astype({"first_year": "int64", "last_year": "Int64"})


def family_of(code: str) -> str:
    """``i154_FBB_ts_GNI`` → ``i154_FBB_ts`` (the BasketHistory code family)."""
    for suffix in CODE_SUFFIXES:
        if code.endswith(suffix):
            return code[: -len(suffix)]
    return code


def basket_for(baskets: pd.DataFrame, code: str, year: int) -> str | None:
    """The basket a workbook code measured in ``year`` (BasketHistory), or None when no period covers it."""
    rows = baskets[baskets["family"] == family_of(code)]
    for r in rows.itertuples():
        last = r.last_year if pd.notna(r.last_year) else 9999
        if r.first_year <= year <= last:
            return r.basket
    return None


def baskets_of(baskets: pd.DataFrame, codes: pd.Series, years: pd.Series) -> pd.Series:
    """``basket_for`` for many rows at once (a per-row lookup takes ~25 s on the real sheet)."""
    out = pd.Series([None] * len(codes), index=codes.index, dtype=object)
    families = codes.map(family_of)
    for r in baskets.itertuples():
        last = r.last_year if pd.notna(r.last_year) else 9999
        hit = (families == r.family) & years.between(r.first_year, last)
        out[hit] = r.basket
    return out


def _economies(sheet: pd.DataFrame, baskets: pd.DataFrame, vintage: str, where: str):
    table = _table(sheet, "IsoCode", where)
    missing = [c for c in ECONOMY_COLUMNS if c not in table.columns]
    if missing:
        raise SourceError(f"{where}: sheet {ECONOMIES_SHEET} lacks columns {missing}")
    years = [c for c in table.columns if isinstance(c, int)]
    if not years:
        raise SourceError(f"{where}: sheet {ECONOMIES_SHEET} has no year columns")
    iso3, dropped = normalise_iso3(table["IsoCode"].to_numpy(), ITU_PRICES_TO_ISO3, origin=where)
    iso3.index = table.index
    table = table.assign(iso3=iso3).loc[~dropped]
    bad = ~table["iso3"].fillna("").str.match(r"^[A-Z]{3}$")
    if bad.any():
        first = table.index[bad][0]
        raise SourceError(f"{where}: {ECONOMIES_SHEET} row {first + 2}: IsoCode {table.at[first, 'IsoCode']!r}")
    long = table.melt(id_vars=["iso3", "Code"], value_vars=years, var_name="year", value_name="value")
    values = pd.to_numeric(long["value"], errors="coerce")
    not_number = long["value"].notna() & values.isna()
    if not_number.any():
        r = long[not_number].iloc[0]
        raise SourceError(
            f"{where}: {ECONOMIES_SHEET}: {r['iso3']} {r['Code']} {r['year']}: {r['value']!r} is not a number"
        )
    long = long.assign(value=values)
    zero = long["value"] == 0
    if zero.any():
        shown = ", ".join(f"{r.iso3} {r.Code} {r.year}" for r in long[zero].itertuples())
        log.info("%s: %d zero prices read as missing (a basket is never free): %s", where, int(zero.sum()), shown)
    long = long[long["value"].notna() & ~zero]
    long = long.assign(source_code=long["Code"].astype(str).str.strip(), year=long["year"].astype("int64"))
    long["basket"] = baskets_of(baskets, long["source_code"], long["year"])
    orphan = long["basket"].isna()
    if orphan.any():
        r = long[orphan].iloc[0]
        raise SourceError(f"{where}: BasketHistory has no basket for {r['source_code']} in {r['year']}")
    dup = long.duplicated(["iso3", "source_code", "year"], keep=False)
    if dup.any():
        r = long[dup].iloc[0]
        raise SourceError(f"{where}: {ECONOMIES_SHEET}: duplicate row for {r['iso3']} {r['source_code']}")
    prices = finish_raw(long.assign(sex="total", obs_status="normal", vintage=vintage))
    groups = table[["iso3", *GROUP_COLUMNS]].drop_duplicates("iso3").reset_index(drop=True)
    return prices, groups.astype(object).where(groups.notna(), None)


def _medians(name: str, sheet: pd.DataFrame, where: str) -> pd.DataFrame:
    span = MEDIAN_SHEET.match(name)
    first, last = int(span.group(1)), int(span.group(2) or span.group(1))
    table = _table(sheet, "Code_ts", where)
    need = ("Code_ts", "N (World)", "grouping", "group")
    missing = [c for c in need if c not in table.columns]
    if missing:
        raise SourceError(f"{where}: sheet {name} lacks columns {missing}")
    years = [c for c in table.columns if isinstance(c, int)]
    ids = [c for c in ("Code_ts", "N (World)", "n (group)", "grouping", "group") if c in table.columns]
    long = table.melt(id_vars=ids, value_vars=years, var_name="year", value_name="value")
    long["value"] = pd.to_numeric(long["value"], errors="coerce")
    long = long.dropna(subset=["value"])
    return pd.DataFrame(
        {
            "code": long["Code_ts"].astype(str).str.strip(),
            "grouping": long["grouping"].astype(str).str.strip(),
            "group": long["group"].astype(str).str.strip(),
            "year": long["year"].astype("int64"),
            "value": long["value"].astype("float64"),
            "panel_first": first,
            "panel_last": last,
            "n_world": pd.to_numeric(long["N (World)"], errors="coerce").astype("Int64"),
            "n_group": pd.to_numeric(long.get("n (group)"), errors="coerce").astype("Int64")
            if "n (group)" in long
            else pd.array([pd.NA] * len(long), dtype="Int64"),
            "sheet": name,
        }
    )


def read_price_baskets_xlsx(path: str | PathLike, vintage: str) -> PriceWorkbook:
    """Read the ICT Price Baskets workbook (see the module docstring). Raises SourceError naming the file, the sheet
    and the row for a missing sheet or column, a value that is not a number, or a year no basket covers."""
    path = Path(path)
    sheets = _sheets(path)
    for needed in (HISTORY_SHEET, ECONOMIES_SHEET):
        if needed not in sheets:
            raise SourceError(f"{path}: no sheet {needed!r} (found {list(sheets)})")
    baskets = read_basket_history(sheets[HISTORY_SHEET], f"{path} [{HISTORY_SHEET}]")
    prices, groups = _economies(sheets[ECONOMIES_SHEET], baskets, vintage, f"{path} [{ECONOMIES_SHEET}]")
    median_parts = [_medians(n, s, f"{path} [{n}]") for n, s in sheets.items() if MEDIAN_SHEET.match(n)]
    medians = pd.concat(median_parts, ignore_index=True) if median_parts else pd.DataFrame()
    return PriceWorkbook(prices=prices, itu_groups=groups, medians=medians, baskets=baskets)
