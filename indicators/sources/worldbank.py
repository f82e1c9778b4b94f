"""World Bank WDI: the bulk ``API_<CODE>_DS2`` CSV, its country metadata, and the Indicators API v2.

* ``read_bulk_csv`` / ``read_country_metadata`` read the files inside the bulk-download ZIP (``read_bulk_csv``
  also reads copies re-saved without the 4-line preamble, given ``vintage``).
* ``read_long_csv`` reads a long-format reshape of one series (``Country Name,Country Code,Year,Value``).
* ``WorldBankClient`` talks to ``https://api.worldbank.org/v2`` with retries (429/5xx, read timeouts,
  ``Retry-After``) within the limits of ``indicators.net`` (deadlines counting the whole body, at most
  ``max_pages`` pages, bodies capped after decompression, same-host redirects) and returns raw frames (see
  ``indicators.sources``).

World Bank aggregate codes (WLD, LDC, HIC, …) are kept verbatim; ``codes.DROPPED`` codes (CHI) are dropped.
"""

from __future__ import annotations

import io
import json
import logging
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
import requests

from indicators import net
from indicators.codes import normalise_iso3
from indicators.net import Budget, LimitExceeded, Limits
from indicators.registry import source_ref
from indicators.sources import OBS_STATUSES, SourceError, empty_raw, finish_raw, read_csv_rows

log = logging.getLogger(__name__)

SOURCE = "worldbank"
BASE_URL = "https://api.worldbank.org/v2"
API_CODES = [
    "IT.NET.USER.ZS",
    "IT.NET.USER.FE.ZS",
    "IT.NET.USER.MA.ZS",
    "IT.NET.BBND.P2",
    "IT.CEL.SETS.P2",
    "SP.POP.TOTL",
    "SP.POP.TOTL.FE.IN",
    "SP.POP.TOTL.MA.IN",
]
#: The API accepts at most 60 indicators in one multi-indicator call.
MAX_INDICATORS_PER_CALL = 60
RETRY_STATUSES = net.RETRY_STATUSES

_YEAR = re.compile(r"^\d{4}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ID_COLUMNS = ("Country Code", "Indicator Code")
#: WB ``obs_status`` flags → the raw contract's statuses.
_OBS_STATUS_MAP = {"e": "estimate", "estimated": "estimate", "p": "provisional", "": "normal"}


# --------------------------------------------------------------------------------------------------------------
# Shared helpers
# --------------------------------------------------------------------------------------------------------------


def sex_for(code: str) -> str:
    """The sex the registry gives a WB series (``total`` when the registry does not use the code)."""
    ref = source_ref(SOURCE, code)
    return ref.sexes[0] if ref else "total"


def _check_vintage(value: str, where: str) -> str:
    value = value.strip()
    if not _ISO_DATE.match(value):
        raise SourceError(f"{where}: vintage {value!r} is not an ISO date (YYYY-MM-DD)")
    return value


def _drop_codes(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Upper-case ``iso3`` and drop the codes ``codes.DROPPED`` lists (and empty ones), logging them."""
    iso3, dropped = normalise_iso3(frame["iso3"].tolist(), origin=origin)
    frame = frame.assign(iso3=iso3.to_numpy())
    return frame.loc[~dropped.to_numpy()]


# --------------------------------------------------------------------------------------------------------------
# Bulk CSV files
# --------------------------------------------------------------------------------------------------------------


def _read_rows(path: Path) -> list[tuple[int, list[str]]]:
    """The CSV rows of ``path`` (BOM stripped) with their 1-based line numbers; blank rows left out."""
    return read_csv_rows(path)


def _split_preamble(rows: list[tuple[int, list[str]]], path: Path) -> tuple[str | None, int]:
    """(the ``Last Updated Date`` or None, index of the header row) from the optional 4-line preamble."""
    updated = None
    for i, (_line, row) in enumerate(rows[:10]):
        cells = [c.strip() for c in row]
        if all(c in cells for c in _ID_COLUMNS):
            return updated, i
        if cells and cells[0] == "Last Updated Date" and len(cells) > 1:
            updated = _check_vintage(cells[1], str(path))
    raise SourceError(f"{path}: no header row with 'Country Code' and 'Indicator Code'; not a WDI bulk CSV")


def _parse_value(cell: str, path: Path, line: int, column: str) -> float | None:
    cell = cell.strip()
    if not cell:
        return None
    try:
        return float(cell)
    except ValueError:
        raise SourceError(f"{path}: line {line}, column {column!r}: value {cell!r} is not a number") from None


def _long_rows(rows: list[tuple[int, list[str]]], header: list[str], path: Path) -> list[dict]:
    """Wide data rows → one dict per non-empty (economy, year) cell."""
    cols = {name: j for j, name in enumerate(header)}
    years = [(j, name) for j, name in enumerate(header) if _YEAR.match(name)]
    if not years:
        raise SourceError(f'{path}: no year columns ("1960", …) in the header')
    out = []
    for line, row in rows:
        extra = row[len(header) :]
        if len(row) < len(header) or any(c.strip() for c in extra):
            raise SourceError(f"{path}: line {line}: {len(row)} fields where the header has {len(header)}")
        iso3, code = row[cols["Country Code"]].strip(), row[cols["Indicator Code"]].strip()
        for j, year in years:
            value = _parse_value(row[j], path, line, year)
            if value is not None:
                out.append({"iso3": iso3, "year": int(year), "source_code": code, "value": value})
    return out


def read_bulk_csv(path: str | Path, vintage: str | None = None) -> pd.DataFrame:
    """Read a WDI bulk ``API_<CODE>_DS2_…csv`` (with or without its preamble) into a raw frame.

    The vintage is the file's ``Last Updated Date``; files re-saved without the preamble need ``vintage``.
    """
    path = Path(path)
    rows = _read_rows(path)
    updated, h = _split_preamble(rows, path)
    vintage = updated or (_check_vintage(vintage, str(path)) if vintage else None)
    if not vintage:
        raise SourceError(f"{path}: the file has no 'Last Updated Date'; pass vintage= (the download date)")
    header = [c.strip() for c in rows[h][1]]
    records = _long_rows(rows[h + 1 :], header, path)
    if not records:
        return empty_raw()
    frame = _drop_codes(pd.DataFrame.from_records(records), origin=str(path))
    frame = frame.assign(sex=frame["source_code"].map(sex_for), obs_status="normal", vintage=vintage)
    return finish_raw(frame)


#: Columns of the long-format reshape (datasets/population): ``Country Name,Country Code,Year,Value``.
LONG_COLUMNS = ("Country Code", "Year", "Value")


def read_long_csv(path: str | Path, code: str, vintage: str) -> pd.DataFrame:
    """Read a long-format WB series (``Country Name,Country Code,Year,Value``, e.g. datasets/population) into a
    raw frame of series ``code`` (sex from ``sex_for(code)``, obs_status normal, the given ``vintage``).

    Empty values are dropped; aggregate codes are kept verbatim and ``codes.DROPPED`` codes (CHI) dropped, as in
    ``read_bulk_csv``. SourceError naming the file and line: missing columns, a year that is not four digits, a
    value that is not a number, a ragged row, or two rows for one (economy, year).
    """
    path = Path(path)
    vintage = _check_vintage(vintage, str(path))
    rows = _read_rows(path)
    if not rows:
        raise SourceError(f"{path}: empty file; expected the header {','.join(('Country Name', *LONG_COLUMNS))}")
    header = [c.strip() for c in rows[0][1]]
    missing = [c for c in LONG_COLUMNS if c not in header]
    if missing:
        raise SourceError(f"{path}: line {rows[0][0]}: header {header} lacks columns {missing}")
    ci, yi, vi = (header.index(c) for c in LONG_COLUMNS)
    records, seen = [], {}
    for line, row in rows[1:]:
        if len(row) != len(header):
            raise SourceError(f"{path}: line {line}: {len(row)} fields where the header has {len(header)}")
        iso3, year = row[ci].strip().upper(), row[yi].strip()
        if not _YEAR.match(year):
            raise SourceError(f"{path}: line {line}: Year {year!r} is not a four-digit year")
        key = (iso3, int(year))
        if key in seen:
            raise SourceError(f"{path}: lines {seen[key]} and {line}: two rows for {iso3} {year}")
        seen[key] = line
        value = _parse_value(row[vi], path, line, "Value")
        if value is not None:
            records.append({"iso3": iso3, "year": int(year), "value": value})
    if not records:
        return empty_raw()
    frame = _drop_codes(pd.DataFrame.from_records(records), origin=str(path))
    frame = frame.assign(source_code=code, sex=sex_for(code), obs_status="normal", vintage=vintage)
    return finish_raw(frame)


def read_country_metadata(path: str | Path) -> pd.DataFrame:
    """Read ``Metadata_Country_…csv``: iso3, region, income_group, is_aggregate (empty Region = aggregate)."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise SourceError(f"{path}: cannot read as CSV: {exc}") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in ("Country Code", "Region", "IncomeGroup") if c not in frame.columns]
    if missing:
        raise SourceError(f"{path}: missing columns {missing}; not a WDI Metadata_Country file")
    region = [r.strip() or None for r in frame["Region"]]
    income = [g.strip() or None for g in frame["IncomeGroup"]]
    out = pd.DataFrame(
        {
            "iso3": frame["Country Code"].str.strip(),
            "region": pd.Series(region, dtype=object),
            "income_group": pd.Series(income, dtype=object),
            "is_aggregate": pd.Series([r is None for r in region], dtype=bool),
        }
    )
    return _drop_codes(out, origin=str(path)).reset_index(drop=True)


# --------------------------------------------------------------------------------------------------------------
# API v2
# --------------------------------------------------------------------------------------------------------------


def make_session(retries: int = 4, backoff: float = 1.0, budget: Budget | None = None) -> requests.Session:
    """A session that retries GETs on 429/5xx, connection errors and read timeouts, honouring Retry-After, never past
    ``budget``'s deadlines (``indicators.net.make_session``)."""
    return net.make_session(retries=retries, backoff=backoff, budget=budget)


def looks_like_html(resp: requests.Response | net.Body) -> bool:
    """True for an HTML page (an error or login page a proxy or CDN sends, often with HTTP 200)."""
    head = resp.content[:512].lstrip().lower()
    ctype = resp.headers.get("Content-Type", "").lower()
    return "html" in ctype or head.startswith((b"<!doctype", b"<html", b"<head", b"<body"))


def _message_error(body: object) -> str | None:
    """The text of an API error body ``[{"message": [{"id", "key", "value"}]}]`` (sent with HTTP 200)."""
    if not (isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]):
        return None
    msgs = body[0]["message"] if isinstance(body[0]["message"], list) else [body[0]["message"]]
    parts = []
    for m in msgs:
        if isinstance(m, dict):
            parts.append(f"id={m.get('id')} key={m.get('key')!r} value={m.get('value')!r}")
        else:
            parts.append(repr(m))
    return "; ".join(parts) or "empty message"


def _paging(meta: dict, url: str) -> tuple[int, int]:
    """(page, pages) from a page's meta, coercing the string-typed fields with int()."""
    try:
        nums = {k: int(meta[k]) for k in ("page", "pages", "per_page", "total") if k in meta}
        return nums["page"], nums["pages"]
    except (KeyError, TypeError, ValueError) as exc:
        raise SourceError(f"{url}: bad paging fields in {meta!r} ({exc!r})") from exc


def _obs_status(flag: object) -> str:
    text = str(flag or "").strip().lower()
    if text in OBS_STATUSES:
        return text
    if text in _OBS_STATUS_MAP:
        return _OBS_STATUS_MAP[text]
    log.warning("worldbank: unknown obs_status %r, kept as normal", flag)
    return "normal"


class WorldBankClient:
    """A small client for the World Bank Indicators API v2 returning raw frames."""

    def __init__(
        self,
        base_url: str = BASE_URL,
        lang: str = "en",
        per_page: int = 20000,
        timeout: tuple[float, float] | None = None,
        retries: int = 4,
        backoff: float = 1.0,
        session: requests.Session | None = None,
        limits: Limits | None = None,
        budget: Budget | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.lang = lang
        self.per_page = per_page
        #: time, pages and bytes (``indicators.net``); ``budget`` is shared with the refresh's other requests
        self.budget = budget or Budget(limits)
        self.limits = self.budget.limits
        self.timeout = timeout or self.limits.timeout
        # a caller-supplied session keeps its own retry policy (``retries``/``backoff`` are then unused)
        self.session = session or make_session(retries=retries, backoff=backoff, budget=self.budget)
        self._iso2_to_iso3: dict[str, str] | None = None

    # -- transport ---------------------------------------------------------------------------------------------

    def url_for(self, path: str, params: dict | None = None, lang: str | None = None) -> str:
        """``{base}/{lang}/{path}?…`` (no language segment for English)."""
        lang = self.lang if lang is None else lang
        prefix = f"{self.base_url}/{lang}" if lang and lang != "en" else self.base_url
        query = urlencode(params or {}, safe=":;")
        return f"{prefix}/{path.lstrip('/')}" + (f"?{query}" if query else "")

    def _get(self, url: str) -> net.Body:
        """GET ``url`` within the client's limits (retries, deadlines, body cap, same-host redirects); SourceError
        naming the URL on failure."""
        resp = net.get(self.session, url, budget=self.budget, timeout=self.timeout)
        if resp.status_code != 200:
            raise SourceError(f"{url}: HTTP {resp.status_code} {resp.reason or ''}".rstrip())
        return resp

    def _get_json(self, url: str) -> object:
        resp = self._get(url)
        if looks_like_html(resp):
            raise SourceError(f"{url}: got an HTML page (HTTP {resp.status_code}), not JSON from the API")
        if not resp.content.strip():
            raise SourceError(f"{url}: empty response body (HTTP {resp.status_code})")
        try:
            body = json.loads(resp.content)
        except RecursionError as exc:
            raise SourceError(f"{url}: JSON nested too deeply to read ({exc})") from exc
        except ValueError as exc:
            raise SourceError(f"{url}: not JSON or truncated JSON ({exc})") from exc
        error = _message_error(body)
        if error:
            raise SourceError(f"{url}: API error: {error}")
        return body

    def _pages(self, path: str, params: dict | None = None) -> Iterator[tuple[dict, list, str]]:
        """Yield (meta, records, url) for each page of ``path`` until ``page == pages``."""
        params = {"format": "json", "per_page": self.per_page, **(params or {})}
        expected_pages = None
        page = 1
        while True:
            url = self.url_for(path, {**params, "page": page})
            body = self._get_json(url)
            if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict)):
                raise SourceError(f"{url}: expected [meta, records], got {str(body)[:200]}")
            meta, records = body[0], body[1] or []
            if not isinstance(records, list):
                raise SourceError(f"{url}: records are not a list")
            got_page, pages = _paging(meta, url)
            if pages > self.limits.max_pages:
                raise LimitExceeded(
                    f"{url}: the answer announces {pages:,} pages, more than the limit of {self.limits.max_pages} "
                    "(--max-pages)"
                )
            if got_page != page:
                raise SourceError(f"{url}: asked for page {page}, got page {got_page}")
            if expected_pages is not None and pages != expected_pages:
                raise SourceError(f"{url}: page count changed from {expected_pages} to {pages} while paging")
            if not records and page < pages:
                raise SourceError(f"{url}: page {page} of {pages} is empty; the answer is incomplete")
            expected_pages = pages
            yield meta, records, url
            if page >= pages:
                return
            page += 1

    # -- countries ---------------------------------------------------------------------------------------------

    def fetch_countries(self) -> pd.DataFrame:
        """Economies and aggregates from ``/v2/country`` (names in the client's language)."""
        rows = []
        for _meta, records, url in self._pages("country", {"per_page": 400}):
            for rec in records:
                rows.append(_country_row(rec, url))
        columns = ["iso3", "iso2", "name", "region_id", "region", "income_id", "income_group", "is_aggregate"]
        frame = pd.DataFrame(rows, columns=columns)
        return frame.astype({"is_aggregate": bool})

    def country_map(self) -> dict[str, str]:
        """``country.id`` (the 2-character code in data records) → ISO3/WB code, fetched once per client."""
        if self._iso2_to_iso3 is None:
            countries = self.fetch_countries()
            self._iso2_to_iso3 = dict(zip(countries["iso2"], countries["iso3"], strict=True))
        return self._iso2_to_iso3

    # -- indicators --------------------------------------------------------------------------------------------

    def fetch_indicator(self, code: str, start: int = 2000, end: int = 2024) -> pd.DataFrame:
        """One indicator, all economies and aggregates, ``start``–``end``, as a raw frame."""
        return self._fetch(f"country/all/indicator/{code}", {"date": f"{start}:{end}"})

    def fetch_indicators(
        self, codes: Iterable[str], start: int = 2000, end: int = 2024, source: int = 2
    ) -> pd.DataFrame:
        """Several indicators of one WB source (2 = WDI) in multi-indicator calls, as one raw frame."""
        codes = list(codes)
        frames = []
        for i in range(0, len(codes), MAX_INDICATORS_PER_CALL):
            chunk = ";".join(codes[i : i + MAX_INDICATORS_PER_CALL])
            params = {"date": f"{start}:{end}", "source": source}
            frames.append(self._fetch(f"country/all/indicator/{chunk}", params))
        frames = [f for f in frames if len(f)]
        return finish_raw(pd.concat(frames, ignore_index=True)) if frames else empty_raw()

    def _fetch(self, path: str, params: dict) -> pd.DataFrame:
        rows: list[dict] = []
        for meta, records, url in self._pages(path, params):
            vintage = str(meta.get("lastupdated") or "").strip() or date.today().isoformat()
            vintage = _check_vintage(vintage, url)
            rows.extend(r for r in (self._data_row(rec, url, vintage) for rec in records) if r)
        if not rows:
            return empty_raw()
        frame = _drop_codes(pd.DataFrame.from_records(rows), origin=self.url_for(path, params))
        return finish_raw(frame.assign(sex=frame["source_code"].map(sex_for)))

    def _data_row(self, rec: dict, url: str, vintage: str) -> dict | None:
        """One API record → a raw row, or None when its value is null."""
        try:
            value = rec["value"]
            if value is None:
                return None
            iso3 = str(rec.get("countryiso3code") or "").strip()
            if not iso3:
                iso3 = self._resolve_country(rec["country"]["id"], url)
            return {
                "iso3": iso3,
                "year": int(rec["date"]),
                "source_code": rec["indicator"]["id"],
                "value": float(value),
                "obs_status": _obs_status(rec.get("obs_status")),
                "vintage": vintage,
            }
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(f"{url}: unreadable record {str(rec)[:200]} ({exc!r})") from exc

    def _resolve_country(self, country_id: str, url: str) -> str:
        """ISO3 for a record whose ``countryiso3code`` is empty (seen for income aggregates)."""
        iso3 = self.country_map().get(country_id, "")
        if not iso3:
            log.warning("%s: no ISO3 for country.id %r; its rows are dropped", url, country_id)
        return iso3

    # -- bulk download -----------------------------------------------------------------------------------------

    def fetch_bulk_zip(self, code: str, dest_dir: str | Path) -> tuple[Path, Path]:
        """Download the bulk CSV ZIP of ``code``; extract and return (API_… csv, Metadata_Country_… csv)."""
        url = f"{self.base_url}/en/indicator/{code}?downloadformat=csv"  # always English: the headers are
        content = self._get(url).content
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
        except zipfile.BadZipFile as exc:
            raise SourceError(f"{url}: not a ZIP file ({exc})") from exc
        dest = Path(dest_dir)
        dest.mkdir(parents=True, exist_ok=True)
        with archive:
            data = _extract(archive, "API_", dest, url, self.limits.max_bytes)
            meta = _extract(archive, "Metadata_Country_", dest, url, self.limits.max_bytes)
        return data, meta


def _extract(archive: zipfile.ZipFile, prefix: str, dest: Path, url: str, max_bytes: int) -> Path:
    """Extract the one ``prefix*.csv`` member of ``archive`` into ``dest`` (by base name only), at most
    ``max_bytes`` of it."""
    names = [n for n in archive.namelist() if Path(n).name.startswith(prefix) and n.lower().endswith(".csv")]
    if not names:
        raise SourceError(f"{url}: the ZIP has no {prefix}*.csv (members: {archive.namelist()})")
    target = dest / Path(names[0]).name
    target.write_bytes(net.read_zip_member(archive, names[0], url, max_bytes))
    return target


def _country_row(rec: dict, url: str) -> dict:
    """One ``/v2/country`` record → a row of ``fetch_countries``."""
    try:
        region, income = rec.get("region") or {}, rec.get("incomeLevel") or {}
        row = {
            "iso3": rec["id"],
            "iso2": rec.get("iso2Code", ""),
            "name": rec.get("name", ""),
            "region_id": region.get("id", ""),
            "region": region.get("value", ""),
            "income_id": income.get("id", ""),
            "income_group": income.get("value", ""),
        }
        # the API pads some names ("Latin America & Caribbean ", "Sub-Saharan Africa "): strip every text field
        row = {k: str(v or "").strip() for k, v in row.items()}
        return {**row, "is_aggregate": row["region_id"] == "NA"}
    except (KeyError, TypeError, AttributeError) as exc:
        raise SourceError(f"{url}: unreadable country record {str(rec)[:200]} ({exc!r})") from exc
