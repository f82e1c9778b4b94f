"""ITU's own published group estimates: the "Key ICT indicators" aggregates workbook (``itu_key_ict``).

``read_key_ict_xlsx`` reads ``ITU_regional_global_Key_ICT_indicator_aggregates_Nov_2024.xlsx`` (and later editions
in the same layout) into one row per published number, with the columns ``KEY_ICT_COLUMNS``. This is *not* a raw
frame of ``indicators.sources`` (there is no iso3: the rows are groups): it is ITU's reference series, to be shown
next to our own aggregates, each labelled with its edition, never tuned to one another (docs/targets.md §10).

Layout (all five sheets): blocks stacked down the sheet, each a title row in column A, then one row per group. Above
or on the data rows sit

* a *band row*: text labels at the first column of each half ("Millions" | "Per 100 inhabitants", "Total" |
  "Urban" | "Rural", "Total" | "Female" | "Male", "Total" | "Youth (15-24)" | "Rest of the population"). A band
  label holds until another label is written over its half (the first sheet states "Millions" / "Per 100
  inhabitants" once, then only "Percentage" over the right half for the coverage blocks); a band label may share
  the title row;
* a *year-header row*: years as numbers, one run per half, halves separated by a blank column. It may come before
  the block title (the first block of a sheet), after it, or on it (``By BDT region``, whose titles embed the
  left-hand unit: "Fixed-telephone subscriptions/Millions", "Individuals using the Internet(Millions)");
* region sub-blocks: a second year-header row and the ITU regions, under the same title.

Blocks are found by their text (titles, labels, years), never by row offsets; the notes ("Notes:") end a sheet.
``N/A`` and blank cells are missing and dropped. Units: "Millions" → ``count`` (value × 1e6), "Per 100
inhabitants" → ``per100``, "Percentage" / "%" → ``percent``; where the band is a breakdown (sex, area, age), the
unit comes from the title ("Percentage of …", "… (%)"). The traffic and bandwidth blocks keep their own units
(``exabytes``, ``gb_per_subscription``, ``tbit_s``, ``kbit_s_per_internet_user``); they have no registry id.

Footnote marks (``*``) are dropped from ``series``; "Individuals owning a mobile phone" is for individuals aged 10
or older (the workbook's footnote). Titles embedding a unit lose it in ``series``, so the same block has the same
``series`` on every sheet. The same number can be published on several sheets (e.g. internet use, total, on the
first sheet and again as the "Total" half of ``By gender``, ``By urban-rural area`` and ``Internet use by age``):
each is a row, told apart by ``sheet``.

Errors are ``SourceError`` naming the file (and the sheet and row at fault): not an xlsx workbook, a missing sheet,
a group label not recognised, a data row above which no year header can be found, a value that is neither a number
nor ``N/A``, a band label that is neither a known unit nor a known breakdown, a group repeated in one block, and a
"Version <month> <year>" line that contradicts ``edition``.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field
from os import PathLike

import openpyxl
import pandas as pd

from indicators.sources import SourceError

log = logging.getLogger(__name__)

KEY_ICT_NOTE = (
    "ITU's published estimates (ITU World Telecommunication/ICT Indicators database, Version November 2024, for "
    "Facts and Figures 2024) for World, the World Bank income groups, LDCs, LLDCs, SIDS (UN-OHRLLS lists) and the "
    "ITU regions. ITU imputes the economies that do not report, so these are modelled figures, not sums of reported "
    "data; values are rounded to one decimal. Provenance caveat: the committed copy was opened and re-saved in Excel "
    "by a third party (document properties: last modified 2025-11 by the committer); titles, notes and the version "
    "line are intact and the values look untouched, but the bytes are not ITU's original download."
)

KEY_ICT_COLUMNS = (
    "publisher_group",
    "group",
    "year",
    "indicator",
    "series",
    "sex",
    "area",
    "age",
    "unit",
    "value",
    "sheet",
    "edition",
)
#: The sheets every edition must have (names stripped of surrounding whitespace).
KEY_ICT_SHEETS = (
    "By dvpmnt status and spec. reg.",
    "By BDT region",
    "By urban-rural area",
    "By gender",
    "Internet use by age",
)
#: Text cells that mean "not available" (compared upper-cased, stripped); blank text is missing too.
MISSING_MARKS = frozenset({"N/A", "NA", "N.A."})

# --------------------------------------------------------------------------------------------------------------
# Labels
# --------------------------------------------------------------------------------------------------------------

#: Normalised group label (see ``_key``) → our group id. A label "Full name (ABBR)" matches on either part.
GROUP_KEYS: dict[str, str] = {
    "world": "WLD",
    "ldc": "LDC",
    "ldcs": "LDC",
    "leastdevelopedcountries": "LDC",
    "lldc": "LLDC",
    "lldcs": "LLDC",
    "landlockeddevelopingcountries": "LLDC",
    # ITU's SIDS are UN-OHRLLS's list (the workbook's notes), not the M49 flag (docs/targets.md §6)
    "sids": "SIDS_OHRLLS",
    "smallislanddevelopingstates": "SIDS_OHRLLS",
    "lowincome": "LIC",
    "lowermiddleincome": "LMC",
    "uppermiddleincome": "UMC",
    "highincome": "HIC",
    "developed": "DEVELOPED",
    "developing": "DEVELOPING",
}
#: ITU (BDT) regions: normalised label → group id ("ITU_" + the label upper-snake-cased).
ITU_REGIONS: dict[str, str] = {
    "africa": "ITU_AFRICA",
    "americas": "ITU_AMERICAS",
    "arabstates": "ITU_ARAB_STATES",
    "asiapacific": "ITU_ASIA_PACIFIC",
    "cis": "ITU_CIS",
    "europe": "ITU_EUROPE",
}
_GROUP_SUFFIXES = ("countries", "economies", "group")

#: Normalised unit label → (unit, scale).
UNIT_LABELS: dict[str, tuple[str, float]] = {
    "millions": ("count", 1e6),
    "per100inhabitants": ("per100", 1.0),
    "percentage": ("percent", 1.0),
    "percent": ("percent", 1.0),
    "%": ("percent", 1.0),
    "exabytes": ("exabytes", 1.0),
    "persubscriptiongb": ("gb_per_subscription", 1.0),
    "tbits": ("tbit_s", 1.0),
    "tbitss": ("tbit_s", 1.0),
    "perinternetuserkbits": ("kbit_s_per_internet_user", 1.0),
}
_SEX_LABELS = {"female": "female", "women": "female", "male": "male", "men": "male"}
_AREA_LABELS = {"urban": "urban", "rural": "rural"}
_AGE_RANGE = re.compile(r"(\d+)\s*[-–]\s*(\d+)")
_REST = re.compile(r"^rest\b", re.IGNORECASE)

#: Block title → {unit: registry id}, first match wins (case-insensitive, tolerant of hyphen/space variants).
#: A title that matches nothing, or a unit a pattern does not list, keeps its rows with indicator "".
INDICATOR_TITLES: tuple[tuple[re.Pattern, dict[str, str]], ...] = (
    (re.compile(r"individuals\s+using\s+the\s+internet", re.I), {"percent": "internet_users"}),
    (
        re.compile(r"fixed[\s-]*broadband\s+subscriptions", re.I),
        {"per100": "fixed_broadband_per100", "count": "fixed_broadband_subs"},
    ),
    (
        re.compile(r"mobile[\s-]*broadband\s+subscriptions", re.I),
        {"per100": "mobile_broadband_per100", "count": "mobile_broadband_subs"},
    ),
    (re.compile(r"mobile[\s-]*cellular\s+(?:telephone\s+)?subscriptions", re.I), {"per100": "mobile_cellular_per100"}),
    # ITU's "mobile-cellular network" coverage is its at-least-2G series (i271pop)
    (
        re.compile(r"population\s+covered\s+by\s+(?:at\s+least\s+)?an?\s+(?:mobile[\s-]*cellular|2G)\b", re.I),
        {"percent": "coverage_2g"},
    ),
    (re.compile(r"population\s+covered\s+by\s+(?:at\s+least\s+)?an?\s+3G\b", re.I), {"percent": "coverage_3g"}),
    (re.compile(r"population\s+covered\s+by\s+(?:at\s+least\s+)?an?\s+(?:LTE|4G)\b", re.I), {"percent": "coverage_4g"}),
    (re.compile(r"population\s+covered\s+by\s+(?:at\s+least\s+)?an?\s+5G\b", re.I), {"percent": "coverage_5g"}),
    (re.compile(r"individuals\s+owning\s+a\s+mobile(?:\s+phone)?", re.I), {"percent": "mobile_ownership"}),
)
#: A unit written into a title: "…/Millions", "…(Millions)", "… (%)".
_TITLE_UNIT = re.compile(r"^(?P<title>.*?)\s*(?:/\s*(?P<slash>[^/()]+?)|\((?P<paren>[^()]+)\))\s*$")
_VERSION = re.compile(r"\bVersion\s+([A-Za-z]+)\s+(\d{4})\b")
_EDITION = re.compile(r"^(\d{4})-(\d{2})$")
_MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}


def _text(value) -> str:
    """A cell as text with whitespace collapsed ("Youth \\n(15-24)" → "Youth (15-24)")."""
    return " ".join(str(value).split()) if value is not None else ""


def _key(label: str) -> str:
    """Lower case, ``&`` → ``and``, only letters, digits and ``%``: "Lower-middle income" → "lowermiddleincome"."""
    return re.sub(r"[^a-z0-9%]", "", label.lower().replace("&", "and"))


def _group_key_match(key: str) -> str | None:
    if key in GROUP_KEYS:
        return GROUP_KEYS[key]
    if key in ITU_REGIONS:
        return ITU_REGIONS[key]
    for suffix in _GROUP_SUFFIXES:
        if key.endswith(suffix) and key[: -len(suffix)] in GROUP_KEYS:
            return GROUP_KEYS[key[: -len(suffix)]]
    return None


def group_id(label: str) -> str | None:
    """Our group id for a workbook group label, or None when the label is not a group ITU publishes here.

    "Least Developed Countries (LDCs)" matches on the full name and on the abbreviation; the two must agree.
    """
    label = _text(label)
    m = re.match(r"^(?P<name>.*?)\s*\((?P<abbr>[^()]*)\)\s*$", label)
    if not m:
        return _group_key_match(_key(label))
    ids = {_group_key_match(_key(m["name"])), _group_key_match(_key(m["abbr"]))} - {None}
    return ids.pop() if len(ids) == 1 else None


def _unit_of(label: str) -> tuple[str, float] | None:
    return UNIT_LABELS.get(_key(label.replace("*", "")))


def _breakdown_of(label: str) -> tuple[str, str, str] | None:
    """(sex, area, age) for a band label that is a breakdown, else None."""
    key = _key(label)
    if key == "total":
        return ("total", "total", "total")
    if key in _SEX_LABELS:
        return (_SEX_LABELS[key], "total", "total")
    if key in _AREA_LABELS:
        return ("total", _AREA_LABELS[key], "total")
    if _REST.match(label.strip()):
        return ("total", "total", "rest_of_population")
    m = _AGE_RANGE.search(label)
    if m:
        return ("total", "total", f"{int(m[1])}-{int(m[2])}")
    return None


def split_title(title: str) -> tuple[str, tuple[str, float] | None]:
    """(series, unit embedded in the title or None): "Individuals owning a mobile phone***(Millions)" →
    ("Individuals owning a mobile phone", ("count", 1e6)). Only a recognised unit is cut off, so
    "…, by urban/rural area" keeps its "/rural area"."""
    title = _text(title)
    unit = None
    m = _TITLE_UNIT.match(title)
    if m:
        embedded = _unit_of(m["slash"] or m["paren"])
        if embedded is not None:
            title, unit = m["title"], embedded
    return _text(title.replace("*", "")).rstrip(" ,"), unit


def indicator_for(series: str, unit: str) -> str:
    """Our registry id for a block title and unit, or "" when the block has none."""
    for pattern, by_unit in INDICATOR_TITLES:
        if pattern.search(series):
            return by_unit.get(unit, "")
    return ""


# --------------------------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------------------------


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _is_year(value) -> bool:
    return _is_number(value) and value == int(value) and 1950 <= value <= 2100


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, str) and (not value.strip() or value.strip().upper() in MISSING_MARKS))


def _number(value, where: str, row: int, col: int, label: str) -> float | None:
    """A data cell as float, None for N/A or blank; anything else is a SourceError naming the cell."""
    if _is_missing(value):
        return None
    if _is_number(value):
        return float(value)
    if isinstance(value, str):
        try:
            number = float(value.strip().replace(",", ""))
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return number
    cell = f"{openpyxl.utils.get_column_letter(col + 1)}{row}"
    raise SourceError(f"{where}: row {row} ({label!r}), cell {cell}: value {value!r} is not a number or 'N/A'")


# --------------------------------------------------------------------------------------------------------------
# Sheet parser
# --------------------------------------------------------------------------------------------------------------


@dataclass
class _Segment:
    """One run of year columns in a year-header row: {column index: year}."""

    years: dict[int, int]

    @property
    def start(self) -> int:
        return min(self.years)

    @property
    def end(self) -> int:
        return max(self.years)


@dataclass
class _Header:
    row: int
    segments: list[_Segment]
    used: bool = False

    def year_columns(self) -> dict[int, int]:
        return {c: y for seg in self.segments for c, y in seg.years.items()}


@dataclass
class _Block:
    title_row: int
    title: str
    series: str
    title_unit: tuple[str, float] | None
    seen: dict = field(default_factory=dict)


def _segments(cells: list) -> list[_Segment]:
    """Runs of consecutive, increasing year cells; a blank column or a step back in years starts a new run."""
    segments: list[_Segment] = []
    current: dict[int, int] = {}
    last_col = last_year = None
    for col, value in enumerate(cells):
        if col == 0 or not _is_year(value):
            continue
        year = int(value)
        if current and (col != last_col + 1 or year <= last_year):
            segments.append(_Segment(current))
            current = {}
        current[col] = year
        last_col, last_year = col, year
    if current:
        segments.append(_Segment(current))
    return segments


def _is_year_header(cells: list) -> bool:
    """Two or more year numbers after column A, and no other number or value there."""
    rest = [v for v in cells[1:] if v is not None and not (isinstance(v, str) and not v.strip())]
    years = [v for v in rest if _is_year(v)]
    others = [v for v in rest if not _is_year(v)]
    return len(years) >= 2 and all(isinstance(v, str) and not _is_missing(v) for v in others)


def _band_labels(cells: list) -> dict[int, str]:
    """Text cells after column A that are not N/A: candidate unit or breakdown labels."""
    return {
        col: _text(v)
        for col, v in enumerate(cells)
        if col > 0 and isinstance(v, str) and _text(v) and not _is_missing(v)
    }


def _has_values(cells: list) -> bool:
    return any(_is_number(v) or (isinstance(v, str) and v.strip() and _is_missing(v)) for v in cells[1:])


class _SheetReader:
    def __init__(self, name: str, where: str, edition: str):
        self.name = name
        self.where = f"{where}: sheet {name!r}"
        self.edition = edition
        self.records: list[tuple] = []
        self.header: _Header | None = None
        self.block: _Block | None = None
        #: {column: (row, label)}: the band labels in force, each from the last row that wrote that column
        self.bands: dict[int, tuple[int, str]] = {}

    def read(self, rows) -> list[tuple]:
        for r, cells in enumerate(rows, start=1):
            cells = list(cells)
            first = _text(cells[0]) if cells else ""
            if re.match(r"^notes?\s*:", first, re.I):
                break
            if first and group_id(first) is not None:  # a group label: data, whatever the values look like
                self._data_row(r, first, cells)
            elif _is_year_header(cells):
                self._header_row(r, first, cells)
            elif first and _has_values(cells):
                raise SourceError(f"{self.where}: row {r}: group label {first!r} is not recognised")
            elif first:
                self._title_row(r, first, cells)
            else:
                self._take_bands(r, cells)
        if not self.records:
            raise SourceError(f"{self.where}: no data rows found (expected blocks of group rows under year headers)")
        return self.records

    # -- row kinds ---------------------------------------------------------------------------------------------

    def _take_bands(self, r: int, cells: list) -> None:
        for col, label in _band_labels(cells).items():
            self.bands[col] = (r, label)

    def _title_row(self, r: int, text: str, cells: list) -> None:
        series, unit = split_title(text)
        self.block = _Block(r, text, series, unit)
        if self.header is not None and self.header.used:
            self.header = None  # the header above belongs to the previous block
        self._take_bands(r, cells)

    def _header_row(self, r: int, first: str, cells: list) -> None:
        if first:
            self._title_row(r, first, [None])
        self.header = _Header(r, _segments(cells))
        self._take_bands(r, [None] + [v if not _is_year(v) else None for v in cells[1:]])

    def _data_row(self, r: int, label: str, cells: list) -> None:
        if self.block is None or self.header is None:
            what = f"block {self.block.title!r} (title row {self.block.title_row})" if self.block else "no block title"
            raise SourceError(f"{self.where}: row {r} ({label!r}): {what}: no year header found above the data")
        self.header.used = True
        group = group_id(label)
        years = self.header.year_columns()
        for col, value in enumerate(cells):
            if col == 0:
                continue
            number = _number(value, self.where, r, col, label)
            if number is None:
                continue
            if col not in years:
                cell = f"{openpyxl.utils.get_column_letter(col + 1)}{r}"
                raise SourceError(
                    f"{self.where}: row {r} ({label!r}), cell {cell}: value {value!r} has no year above it "
                    f"(year header on row {self.header.row})"
                )
        for seg in self.header.segments:
            unit, scale, sex, area, age = self._segment_meaning(seg, r)
            indicator = indicator_for(self.block.series, unit)
            for col, year in seg.years.items():
                value = cells[col] if col < len(cells) else None
                number = _number(value, self.where, r, col, label)
                if number is None:
                    continue
                key = (group, year, unit, sex, area, age)
                if key in self.block.seen:
                    raise SourceError(
                        f"{self.where}: row {r}: {label!r} {year} repeats row {self.block.seen[key]} in block "
                        f"{self.block.title!r}"
                    )
                self.block.seen[key] = r
                if scale != 1.0:
                    number = float(round(number * scale))
                self.records.append(
                    (
                        label,
                        group,
                        year,
                        indicator,
                        self.block.series,
                        sex,
                        area,
                        age,
                        unit,
                        number,
                        self.name,
                        self.edition,
                    )
                )

    # -- band labels -------------------------------------------------------------------------------------------

    def _segment_meaning(self, seg: _Segment, r: int) -> tuple[str, float, str, str, str]:
        """(unit, scale, sex, area, age) of one run of years: from the band label over it, else the title."""
        in_span = [(row, col, label) for col, (row, label) in self.bands.items() if seg.start <= col <= seg.end]
        label = max(in_span, key=lambda t: (t[0], -t[1]))[2] if in_span else None
        unit = breakdown = None
        if label is not None:
            unit = _unit_of(label)
            breakdown = _breakdown_of(label) if unit is None else None
            if unit is None and breakdown is None:
                raise SourceError(
                    f"{self.where}: row {r}: band label {label!r} over the years {seg.start}…{seg.end} of block "
                    f"{self.block.title!r} is neither a unit nor a sex/area/age breakdown"
                )
        if unit is None:
            unit = self._title_unit(seg, breakdown is not None)
        if unit is None:
            raise SourceError(
                f"{self.where}: row {r}: block {self.block.title!r} (title row {self.block.title_row}): no unit "
                f"for the years in columns {seg.start + 1}…{seg.end + 1} (neither a band label nor the title says)"
            )
        sex, area, age = breakdown or ("total", "total", "total")
        return (*unit, sex, area, age)

    def _title_unit(self, seg: _Segment, broken_down: bool) -> tuple[str, float] | None:
        """The unit a title states: for every half under a breakdown band ("… (%)" over Total | Urban | Rural),
        else only for the first half ("…/Millions" on a title over Millions | Per 100 inhabitants)."""
        if self.block.title_unit is not None and (broken_down or seg is self.header.segments[0]):
            return self.block.title_unit
        if re.match(r"^percentage\s+of\b", self.block.series, re.I):
            return UNIT_LABELS["percentage"]
        return None


# --------------------------------------------------------------------------------------------------------------
# Reader
# --------------------------------------------------------------------------------------------------------------


def _check_edition(sheets: dict[str, list[list]], where: str, edition: str) -> None:
    """SourceError when the workbook's "Version <month> <year>" line contradicts ``edition`` (YYYY-MM)."""
    want = _EDITION.match(edition)
    if not want:
        return
    for name, rows in sheets.items():
        for r, cells in enumerate(rows, start=1):
            m = _VERSION.search(_text(cells[0])) if cells and isinstance(cells[0], str) else None
            if m and m[1].lower() in _MONTHS:
                found = f"{int(m[2]):04d}-{_MONTHS[m[1].lower()]:02d}"
                if found != edition:
                    raise SourceError(
                        f"{where}: sheet {name!r} row {r}: the workbook says {m[0]!r} ({found}), not edition {edition}"
                    )


def _load(path, where: str) -> dict[str, list[list]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as exc:
        raise SourceError(f"{where}: file not found") from exc
    except Exception as exc:  # BadZipFile, openpyxl's InvalidFileException, KeyError/XML errors from corrupt parts
        raise SourceError(f"{where}: cannot read as an .xlsx workbook ({exc.__class__.__name__}: {exc})") from exc
    try:
        return {ws.title.strip(): [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    except Exception as exc:
        raise SourceError(f"{where}: cannot read the sheets ({exc.__class__.__name__}: {exc})") from exc
    finally:
        book.close()


def read_key_ict_xlsx(path: str | PathLike, edition: str = "2024-11") -> pd.DataFrame:
    """Read ITU's Key ICT indicator aggregates workbook into one row per published number.

    Columns ``KEY_ICT_COLUMNS``: ``publisher_group`` (the workbook's label), ``group`` (our id: WLD, LDC, LLDC,
    SIDS_OHRLLS, LIC, LMC, UMC, HIC, DEVELOPED, DEVELOPING, ITU_<REGION>), ``year``, ``indicator`` (registry id or
    ""), ``series`` (block title), ``sex``, ``area``, ``age``, ``unit``, ``value`` (Millions scaled to a count),
    ``sheet`` and ``edition``. Rows come in sheet order, then row order, then column order. See the module docstring
    for the layout and the errors (all ``SourceError``).
    """
    where = str(path)
    sheets = _load(path, where)
    missing = [s for s in KEY_ICT_SHEETS if s not in sheets]
    if missing:
        raise SourceError(f"{where}: missing sheet(s) {missing} (found {list(sheets)}); not ITU's Key ICT workbook")
    extra = [s for s in sheets if s not in KEY_ICT_SHEETS]
    if extra:
        log.warning("%s: sheets not read (not in the known layout): %s", where, extra)
    _check_edition(sheets, where, edition)
    records: list[tuple] = []
    for name in KEY_ICT_SHEETS:
        records.extend(_SheetReader(name, where, edition).read(sheets[name]))
    out = pd.DataFrame.from_records(records, columns=list(KEY_ICT_COLUMNS))
    text = [c for c in KEY_ICT_COLUMNS if c not in ("year", "value")]
    return out.astype({**dict.fromkeys(text, "string"), "year": "int64", "value": "float64"})
