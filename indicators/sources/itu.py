"""ITU readers and client: DataHub CSV downloads (``itu_datahub``) and the Dec 2019 table 10 by sex (``itu_gender``).

Both return the raw frame described in ``indicators.sources``.

``obs_status`` rule for DataHub rows: ``estimate`` when ``dataSource`` or ``dataNote`` contains "ITU" followed by a
word starting with "esti" (case-insensitive; see ``ITU_ESTIMATE``). That covers the spellings in the real files
("ITU estimate.", "ITU Estimate", "ITU estimates.", "ITU estimate based on GSMA", "ITU Estimate2.", "ITU estiamte.",
"Itu estimate", "IUT estimate.", "TRR accepts ITU estimate."). Estimates by national bodies ("Estimate.",
"NSO estimate.", "ARE Estimate") and "ITU research/calculation based on …" stay ``normal``: the flag marks values
ITU itself modelled, not every figure someone called an estimate.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
import warnings
import zipfile
from functools import cache
from os import PathLike
from pathlib import Path
from typing import IO

import pandas as pd
import requests
import yaml

from indicators import PACKAGE_DIR, net
from indicators.codes import ITU_TO_ISO3, normalise_iso3
from indicators.registry import codes_for, load_registry
from indicators.sources import SourceError, empty_raw, finish_raw

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------------------------
# DataHub CSV
# --------------------------------------------------------------------------------------------------------------

DATAHUB_BASE_URL = "https://api.datahub.itu.int/v2"
DATAHUB_COLUMNS = (
    "seriesID",
    "seriesCode",
    "seriesName",
    "seriesParent",
    "seriesUnits",
    "entityID",
    "entityIso",
    "entityName",
    "dataValue",
    "dataYear",
    "dataNote",
    "dataSource",
    "seriesDescription",
)
#: The columns the reader needs; the others (names, units, descriptions) are not used.
DATAHUB_REQUIRED = ("seriesCode", "entityIso", "dataValue", "dataYear", "dataNote", "dataSource")
#: "ITU estimate" and its spellings in the real files (see the module docstring).
ITU_ESTIMATE = re.compile(r"\bI(?:TU|UT)\s+esti", re.IGNORECASE)
_ISO3 = re.compile(r"^[A-Z]{3}$")
_INTEGER = re.compile(r"^\s*\d{4}\s*$")


def _datahub_series() -> dict[str, int]:
    """{seriesCode: seriesID} for every DataHub series the registry uses."""
    out: dict[str, int] = {}
    for ind in load_registry().values():
        for ref in ind.sources:
            if ref.source == "itu_datahub" and ref.series_id is not None:
                out[ref.code] = int(ref.series_id)
    return out


#: {seriesCode: DataHub seriesID} from the registry's ``series_id`` fields.
DATAHUB_SERIES: dict[str, int] = _datahub_series()


def _name_of(path_or_buffer, origin: str | None) -> str:
    if origin:
        return origin
    if isinstance(path_or_buffer, str | PathLike):
        return str(path_or_buffer)
    return str(getattr(path_or_buffer, "name", "<buffer>"))


def _read_bytes(path_or_buffer, where: str) -> bytes | str:
    if isinstance(path_or_buffer, str | PathLike):
        try:
            return Path(path_or_buffer).read_bytes()
        except OSError as exc:
            raise SourceError(f"{where}: cannot read the file ({exc})") from exc
    return path_or_buffer.read()


def _row_of_offset(text: str) -> str:
    """Where a decode error at the end of ``text`` (the valid prefix) falls: '1-based data row N (line L)'."""
    records = list(csv.reader(io.StringIO(text)))
    at_boundary = text == "" or text.endswith("\n")
    index = len(records) if at_boundary else len(records) - 1  # 0 = header
    line = text.count("\n") + 1
    return f"line {line} (header)" if index <= 0 else f"data row {index} (line {line})"


def _decode(data: bytes | str, where: str) -> str:
    """UTF-8 (BOM optional) text, or SourceError naming the row of the first undecodable byte."""
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        prefix = data[start : exc.start].decode("utf-8")
        raise SourceError(
            f"{where}: {_row_of_offset(prefix)}: not UTF-8 (byte {data[exc.start : exc.start + 1]!r} "
            f"at offset {exc.start}); a DataHub CSV is UTF-8"
        ) from exc


def _parse_csv(text: str, where: str) -> pd.DataFrame:
    if not text.strip():
        raise SourceError(f"{where}: empty file")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError(f"{where}: not a DataHub CSV ({exc})") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in DATAHUB_REQUIRED if c not in frame.columns]
    if missing:
        raise SourceError(f"{where}: not a DataHub CSV: missing columns {missing} (found {list(frame.columns)[:13]})")
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # 1-based data row numbers, for messages
    return frame


def _fail_rows(where: str, bad: pd.Series, frame: pd.DataFrame, column: str, problem: str) -> None:
    """Raise SourceError for the first row flagged in ``bad`` (and say how many there are)."""
    if not bad.any():
        return
    rows = list(bad[bad].index)
    first = rows[0]
    more = f" (and {len(rows) - 1} more rows)" if len(rows) > 1 else ""
    raise SourceError(f"{where}: data row {first}: {column} {frame.at[first, column]!r} {problem}{more}")


def _check_duplicates(where: str, out: pd.DataFrame) -> None:
    """SourceError naming the duplicated (iso3, year, seriesCode) keys and their data rows."""
    key = ["iso3", "year", "source_code"]
    dup = out[out.duplicated(key, keep=False)]
    if dup.empty:
        return
    groups = [(k, list(g.index)) for k, g in dup.groupby(key, sort=True)]
    shown = "; ".join(f"{i}/{y}/{c} at data rows {rows}" for (i, y, c), rows in groups[:5])
    more = f" (and {len(groups) - 5} more)" if len(groups) > 5 else ""
    raise SourceError(f"{where}: duplicate (iso3, year, seriesCode): {shown}{more}")


def read_datahub_csv(
    path_or_buffer: str | PathLike | IO[bytes] | IO[str], vintage: str, origin: str | None = None
) -> pd.DataFrame:
    """Read one DataHub CSV download into a raw frame, keeping only the series codes the registry uses.

    Series are told apart by ``seriesCode`` (``seriesUnits`` is wrong for some series). ``entityIso`` goes through
    ``codes.normalise_iso3`` with ``ITU_TO_ISO3``; dropped codes (ANT, ASC, …) are logged with their row counts.
    Rows with an empty ``dataValue`` are dropped. ``origin`` names the file in messages (default: the path).
    Raises SourceError naming the file and the 1-based data row for: undecodable bytes, missing columns, a
    non-numeric value, a non-integer year, a malformed economy code; and naming the keys for duplicates.
    """
    where = _name_of(path_or_buffer, origin)
    _check_vintage(vintage)
    frame = _parse_csv(_decode(_read_bytes(path_or_buffer, where), where), where)
    frame = _keep_registry_series(frame, where)
    frame = frame[frame["dataValue"].str.strip() != ""]
    frame = _drop_zero_prices(frame, where)
    if frame.empty:
        return empty_raw()

    values = pd.to_numeric(frame["dataValue"].str.strip(), errors="coerce")
    _fail_rows(where, values.isna() | values.abs().eq(float("inf")), frame, "dataValue", "is not a number")
    _fail_rows(where, ~frame["dataYear"].str.match(_INTEGER), frame, "dataYear", "is not an integer year")

    iso3, dropped = normalise_iso3(frame["entityIso"].to_numpy(), ITU_TO_ISO3, origin=where)
    iso3.index = frame.index
    dropped.index = frame.index
    _log_dropped(where, frame.loc[dropped, "entityIso"])
    bad_code = ~dropped & ~iso3.fillna("").str.match(_ISO3)
    _fail_rows(where, bad_code, frame, "entityIso", "is not a three-letter economy code")

    keep = ~dropped
    notes = frame["dataSource"] + "\n" + frame["dataNote"]
    out = pd.DataFrame(
        {
            "iso3": iso3[keep],
            "year": frame.loc[keep, "dataYear"].str.strip().astype("int64"),
            "source_code": frame.loc[keep, "seriesCode"].str.strip(),
            "sex": "total",
            "value": values[keep],
            "obs_status": notes[keep].map(lambda s: "estimate" if ITU_ESTIMATE.search(s) else "normal"),
            "vintage": vintage,
        }
    )
    _check_duplicates(where, out)
    return finish_raw(out)


NOTE_COLUMNS = ("iso3", "year", "source_code", "note", "vintage")


def read_datahub_notes(
    path_or_buffer: str | PathLike | IO[bytes] | IO[str], vintage: str, origin: str | None = None
) -> pd.DataFrame:
    """The ``dataNote`` of every row of a DataHub CSV download that has one, for the registry's series:
    ``NOTE_COLUMNS`` (iso3, year, source_code, note, vintage), the note verbatim (outer white space stripped; a
    note may span several lines).

    A companion of ``read_datahub_csv`` that leaves the raw and tidy frames as they are: the observations are read
    there, the publisher's words here (``indicators.breaks`` reads series breaks from them). Rows are kept whatever
    their ``dataValue`` (a note may sit on a row without a value); economy codes go through the same remaps and
    drops as the observations; a row whose year is not an integer is left out (``read_datahub_csv`` rejects
    such a file anyway)."""
    where = _name_of(path_or_buffer, origin)
    _check_vintage(vintage)
    frame = _parse_csv(_decode(_read_bytes(path_or_buffer, where), where), where)
    frame = _keep_registry_series(frame, where)
    frame = frame[(frame["dataNote"].str.strip() != "") & frame["dataYear"].str.match(_INTEGER)]
    if frame.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c == "year" else "string") for c in NOTE_COLUMNS})
    iso3, dropped = normalise_iso3(frame["entityIso"].to_numpy(), ITU_TO_ISO3, origin=where)
    iso3.index = frame.index
    keep = ~dropped.set_axis(frame.index) & iso3.fillna("").str.match(_ISO3)
    out = pd.DataFrame(
        {
            "iso3": iso3[keep],
            "year": frame.loc[keep, "dataYear"].str.strip().astype("int64"),
            "source_code": frame.loc[keep, "seriesCode"].str.strip(),
            "note": frame.loc[keep, "dataNote"].str.strip(),
            "vintage": vintage,
        }
    )
    return out.astype({"iso3": "string", "source_code": "string", "note": "string", "vintage": "string"}).reset_index(
        drop=True
    )


def _drop_zero_prices(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    """Drop the ``0`` values of series whose registry entry says ``zero_is_missing`` (DataHub price baskets: a
    0 in US$, PPP$ and % of GNI alike is a missing price, never a free service)."""
    from indicators.registry import source_ref

    codes = frame["seriesCode"].str.strip()
    flagged = {c for c in set(codes) if (ref := source_ref("itu_datahub", c)) is not None and ref.zero_is_missing}
    if not flagged:
        return frame
    zero = codes.isin(flagged) & (pd.to_numeric(frame["dataValue"].str.strip(), errors="coerce") == 0)
    if zero.any():
        log.info("%s: %d zero prices read as missing (seriesCode %s)", where, int(zero.sum()), sorted(set(codes[zero])))
    return frame[~zero]


def _keep_registry_series(frame: pd.DataFrame, where: str) -> pd.DataFrame:
    wanted = set(codes_for("itu_datahub"))
    codes = frame["seriesCode"].str.strip()
    skipped = sorted(set(codes) - wanted)
    if skipped:
        log.info("%s: skipped series not in the registry: %s", where, ", ".join(skipped))
    if not (codes.isin(wanted)).any():
        log.warning("%s: no series the registry uses (found %s)", where, ", ".join(sorted(set(codes))) or "none")
    return frame[codes.isin(wanted)]


def _log_dropped(where: str, codes: pd.Series) -> None:
    if codes.empty:
        return
    counts = codes.fillna("").str.strip().str.upper().replace("", "<empty>").value_counts().sort_index()
    detail = ", ".join(f"{code} ({n} rows)" for code, n in counts.items())
    log.info("%s: dropped %d rows for economy codes: %s", where, int(counts.sum()), detail)


def _check_vintage(vintage: str) -> None:
    try:
        dt.date.fromisoformat(str(vintage))
    except ValueError as exc:
        raise ValueError(f"vintage must be an ISO date (YYYY-MM-DD), got {vintage!r}") from exc


# --------------------------------------------------------------------------------------------------------------
# DataHub client
# --------------------------------------------------------------------------------------------------------------

RETRY_STATUSES = net.RETRY_STATUSES


def datahub_session(
    total: int = 4, backoff_factor: float = 1.0, backoff_max: float = 60.0, budget: net.Budget | None = None
) -> requests.Session:
    """A Session that retries GETs on connection errors, 429 and 5xx, with backoff and honouring Retry-After, never
    past ``budget``'s deadlines (``indicators.net.make_session``)."""
    return net.make_session(retries=total, backoff=backoff_factor, backoff_max=backoff_max, budget=budget)


def datahub_url(series_id: int, base_url: str = DATAHUB_BASE_URL) -> str:
    """The download-by-id URL of one DataHub series."""
    return f"{base_url.rstrip('/')}/data/download/byid/{int(series_id)}/iscollection/false"


def _get(url: str, session: requests.Session, timeout, budget: net.Budget) -> bytes:
    resp = net.get(session, url, budget=budget, timeout=timeout)
    if resp.status_code >= 400:
        raise SourceError(f"{url}: HTTP {resp.status_code} {resp.reason or ''}".rstrip())
    body = resp.content
    if not body.strip():
        raise SourceError(f"{url}: empty response body (HTTP {resp.status_code})")
    ctype = resp.headers.get("Content-Type", "").lower()
    head = body[:512].lstrip().lower()
    if "html" in ctype or head.startswith((b"<!doctype", b"<html", b"<?xml", b"<head", b"<body")):
        raise SourceError(f"{url}: got an HTML page (HTTP {resp.status_code}), not a CSV or ZIP download")
    return body


def _csv_from_zip(body: bytes, url: str, max_bytes: int) -> tuple[bytes, str]:
    """The single CSV member of a ZIP response (at most ``max_bytes`` inflated), and its name."""
    try:
        with zipfile.ZipFile(io.BytesIO(body)) as zf:
            members = [n for n in zf.namelist() if not n.endswith("/")]
            csvs = [n for n in members if n.lower().endswith(".csv")]
            if len(csvs) != 1:
                raise SourceError(f"{url}: expected one CSV in the ZIP, found {len(csvs)} (members: {members})")
            return net.read_zip_member(zf, csvs[0], url, max_bytes), csvs[0]
    except zipfile.BadZipFile as exc:
        raise SourceError(f"{url}: corrupt ZIP ({exc})") from exc


def fetch_datahub_series(
    series_id: int,
    *,
    base_url: str = DATAHUB_BASE_URL,
    session: requests.Session | None = None,
    timeout: float | tuple[float, float] | None = None,
    vintage: str | None = None,
    budget: net.Budget | None = None,
) -> pd.DataFrame:
    """Download one DataHub series by ``seriesID`` (ZIP with one CSV, or a plain CSV) into a raw frame.

    ``vintage`` defaults to today's date (the file carries no release date, so the retrieval date stands in).
    Raises SourceError naming the URL on HTTP errors, an empty body, an HTML page, a ZIP without a CSV, or a CSV
    the reader rejects, and LimitExceeded for an answer past the limits of ``budget`` (``indicators.net``: deadlines,
    body size after decompression, same-host redirects). Uses ``datahub_session()`` (retries with backoff) unless a
    session is given.
    """
    url = datahub_url(series_id, base_url)
    vintage = vintage or dt.date.today().isoformat()
    budget = budget or net.Budget()
    session = session or datahub_session(budget=budget)
    body = _get(url, session, timeout or budget.limits.timeout, budget)
    if body[:4] == b"PK\x03\x04" or body[:4] == b"PK\x05\x06":
        data, member = _csv_from_zip(body, url, budget.limits.max_bytes)
        origin = f"{url} ({member})"
    else:
        data, origin = body, url
    return read_datahub_csv(io.BytesIO(data), vintage, origin=origin)


# --------------------------------------------------------------------------------------------------------------
# ITU table 10 (Dec 2019): Individuals using the Internet by gender and urban-rural location
# --------------------------------------------------------------------------------------------------------------

GENDER_SOURCE_CODE = "Individuals using the Internet by gender (ITU table 10)"
ECONOMY_NAMES_PATH = PACKAGE_DIR / "itu_economy_names.yml"
MISSING_MARKS = ("...", "..", "…", "")
_FOOTER = re.compile(r"^(source|note|notes)\b", re.IGNORECASE)


@cache
def load_economy_names(path: Path = ECONOMY_NAMES_PATH) -> dict[str, str]:
    """The committed map of ITU economy names to ISO3 (``itu_economy_names.yml``)."""
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    bad = {k: v for k, v in doc.items() if not (isinstance(v, str) and _ISO3.match(v))}
    if bad:
        raise ValueError(f"{path}: values must be ISO3 codes: {bad}")
    return {_clean_name(k): v for k, v in doc.items()}


def _clean_name(name) -> str:
    return " ".join(str(name).replace("\u00a0", " ").split())


def _cell(value) -> str:
    return "" if pd.isna(value) else _clean_name(value)


def _find_header(sheet: pd.DataFrame, where: str) -> tuple[int, int]:
    """(row, column) of the 'Economy name' label cell."""
    for r in range(min(len(sheet), 20)):
        for c in range(sheet.shape[1]):
            if _cell(sheet.iat[r, c]).lower() == "economy name":
                return r, c
    raise SourceError(f"{where}: no 'Economy name' header cell in the first 20 rows; not ITU table 10")


def _gender_columns(sheet: pd.DataFrame, header_row: int, where: str) -> dict[str, int]:
    """Column positions of year/total/male/female, from the two-level header (group row above the labels)."""
    groups, group = [], ""
    for c in range(sheet.shape[1]):  # the group label ('All', 'Gender', 'Urban') spans the columns to its right
        above = _cell(sheet.iat[header_row - 1, c]).lower() if header_row > 0 else ""
        group = above or group
        groups.append(group)
    labels = [_cell(sheet.iat[header_row, c]).lower() for c in range(sheet.shape[1])]
    wanted = {
        "year": lambda g, lab: lab == "year",
        "total": lambda g, lab: lab == "individuals" and g == "all",
        "male": lambda g, lab: lab == "male" and g == "gender",
        "female": lambda g, lab: lab == "female" and g == "gender",
    }
    cols: dict[str, int] = {}
    for key, test in wanted.items():
        found = [c for c in range(sheet.shape[1]) if test(groups[c], labels[c])]
        if not found:
            raise SourceError(f"{where}: header row {header_row + 1}: no column for {key!r} (labels: {labels})")
        cols[key] = found[0]
    return cols


def _data_rows(sheet: pd.DataFrame, header_row: int, name_col: int) -> range:
    """Rows after the header up to the first blank name cell or a footnote ('Source:', 'Note')."""
    end = header_row + 1
    while end < len(sheet):
        name = _cell(sheet.iat[end, name_col])
        if not name or _FOOTER.match(name):
            break
        end += 1
    return range(header_row + 1, end)


def _check_nothing_after(sheet: pd.DataFrame, rows: range, year_col: int, where: str) -> None:
    """SourceError if a row below the data block still holds a year: the table was cut short by a blank row."""
    for r in range(rows.stop, len(sheet)):
        value = sheet.iat[r, year_col]
        if isinstance(value, int | float) and not pd.isna(value) and 1990 <= value <= 2100:
            raise SourceError(f"{where}: sheet row {r + 1} holds a year below the end of the data (row {rows.stop})")


def _number(value, where: str, row: int, what: str) -> float | None:
    if pd.isna(value) or (isinstance(value, str) and value.strip() in MISSING_MARKS):
        return None
    try:
        number = float(str(value).strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        number = float("nan")
    if not math.isfinite(number):
        raise SourceError(f"{where}: sheet row {row + 1}: {what} {value!r} is not a number or '...'")
    return number


def _year(value, where: str, row: int, name: str) -> int:
    number = _number(value, where, row, "year")
    if number is None or number != int(number) or not 1990 <= number <= 2100:
        raise SourceError(f"{where}: sheet row {row + 1} ({name}): latest year {value!r} is not a year")
    return int(number)


def _read_sheet(path: str | PathLike) -> pd.DataFrame:
    with warnings.catch_warnings():
        # pandas 3 deprecates the xlrd engine; xlrd is still the only reader of legacy .xls here.
        warnings.filterwarnings("ignore", message=".*xlrd.*deprecated.*")
        return pd.read_excel(path, header=None, sheet_name=0, engine="xlrd", dtype=object)


def read_gender_xls(path: str | PathLike, vintage: str) -> pd.DataFrame:
    """Read ITU table 10 (Individuals using the Internet by gender and urban/rural location, %) into a raw frame.

    One row per economy with its latest year only (not a time series): sex ``total`` (All individuals), ``male``
    and ``female``, all with ``source_code`` GENDER_SOURCE_CODE and ``obs_status`` ``normal``. Columns are found by
    their header labels; data stop at the first blank name cell or the footnotes. ``...`` means missing (dropped).
    The urban/rural columns are ignored. Economy names map to ISO3 through ``itu_economy_names.yml`` only: a name
    not in the map is a SourceError naming it and its row.
    """
    where = str(path)
    _check_vintage(vintage)
    try:
        sheet = _read_sheet(path)
    except Exception as exc:  # xlrd raises its own XLRDError, plus OSError/ValueError
        raise SourceError(f"{where}: cannot read as an .xls workbook ({exc.__class__.__name__}: {exc})") from exc
    header_row, name_col = _find_header(sheet, where)
    cols = _gender_columns(sheet, header_row, where)
    names = load_economy_names()
    records, seen = [], {}
    rows = _data_rows(sheet, header_row, name_col)
    _check_nothing_after(sheet, rows, cols["year"], where)
    for r in rows:
        name = _cell(sheet.iat[r, name_col])
        if name not in names:
            raise SourceError(
                f"{where}: sheet row {r + 1}: economy name {name!r} is not in {ECONOMY_NAMES_PATH.name}; add it"
            )
        iso3 = names[name]
        if iso3 in seen:
            raise SourceError(f"{where}: sheet row {r + 1}: {name!r} maps to {iso3}, already used on row {seen[iso3]}")
        seen[iso3] = r + 1
        year = _year(sheet.iat[r, cols["year"]], where, r, name)
        for sex in ("total", "male", "female"):
            value = _number(sheet.iat[r, cols[sex]], where, r, f"{name} {sex}")
            records.append((iso3, year, GENDER_SOURCE_CODE, sex, value, "normal", vintage))
    if not records:
        raise SourceError(f"{where}: no data rows under the header on row {header_row + 1}")
    out = pd.DataFrame.from_records(
        records, columns=["iso3", "year", "source_code", "sex", "value", "obs_status", "vintage"]
    )
    return finish_raw(out)
