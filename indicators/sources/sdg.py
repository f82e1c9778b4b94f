"""UN SDG Global Database series → raw frames: the CSV download (``read_sdg_csv``) and Gapminder's DDF copy
(``read_sdg_ddf``, rules in its docstring and the block above it).

``read_sdg_csv`` reads the SDG Global Database CSV (``unstats.un.org/sdgs/dataportal`` downloads).

The layout has about 60 columns (``ID, Goal, Target, Indicator, ReleaseStatus, ReleaseName, SeriesID, SeriesCode,
…, GeoAreaCode, GeoAreaName, TimePeriod, Value, …, Nature, Sex, …, Units, …``); most disaggregation columns are
empty. Rules, in order:

* **Series**: only the series codes the registry uses for ``un_sdg`` are kept (``codes_for("un_sdg")``); pass
  ``series`` to override.
* **Areas**: ``GeoAreaCode`` is an M49 numeric code, mapped to ISO3 with ``m49_to_iso3`` (build it with
  ``indicators.sources.m49.m49_to_iso3(read_m49(...))``). Codes not in the map — world and regional aggregates
  (1 World, 202 Sub-Saharan Africa, …) and areas with no ISO3 in M49 (158 "Other non-specified areas in
  Eastern Asia") — are dropped and each is logged with its name.
* **Other disaggregations**: a row is kept only when every dimension column other than ``Sex`` is empty or an
  "all" total (``ALLAGE``, ``ALLAREA``, …); the rest are dropped with a log (the dashboard has no such axis).
* **Sex**: ``BOTHSEX`` (or empty) → ``total``, ``FEMALE`` → ``female``, ``MALE`` → ``male``; other codes are
  dropped with a log.
* **Year**: ``TimePeriod`` as int; a period that is not a year is a SourceError naming the row.
* **Value**: numeric values as float. A bound such as ``"<5"``, ``"<=2.5"``, ``">95"`` keeps the bound as the
  value with ``obs_status`` ``estimate`` (the true value lies beyond it; a bound of 95 % is still informative for
  a divide dashboard) and is logged. Empty or other non-numeric values (``NaN``, ``N/A``, footnote markers) are
  dropped and logged.
* **obs_status** from ``Nature``: ``C`` (country data), ``CA`` (country adjusted), ``N`` (non-relevant),
  ``NA`` / empty → ``normal``; ``E`` (estimated), ``M`` (modelled), ``G`` (global monitoring data, produced by
  the custodian agency) → ``estimate``; unknown codes → ``normal`` with a warning. Bounds are always ``estimate``.
* **Vintage**: the ``vintage`` argument (an ISO date) if given; otherwise from ``ReleaseName``
  (``"2020.Q4.G.02"`` = year 2020, quarter 4, global release 2): the **first day of the release quarter**
  (``"2020-10-01"``), the earliest date the release can have been published. A row whose ReleaseName cannot be
  parsed, with no argument, is a SourceError.
* **Duplicates**: two rows with the same (iso3, year, source_code, sex) after all this are a SourceError naming
  the file rows.
"""

from __future__ import annotations

import logging
import math
import re
from pathlib import Path

import pandas as pd

from indicators.sources import SourceError, finish_raw, read_csv_rows

log = logging.getLogger(__name__)

REQUIRED = ("SeriesCode", "GeoAreaCode", "GeoAreaName", "TimePeriod", "Value")
SEX_MAP = {"BOTHSEX": "total", "": "total", "FEMALE": "female", "MALE": "male"}
NATURE_NORMAL = {"", "C", "CA", "N", "NA"}
NATURE_ESTIMATE = {"E", "M", "G"}

#: Columns that describe the series, area, time, value or an attribute; every other column is a dimension.
NON_DIMENSIONS = {
    "ID", "Goal", "Target", "Indicator", "ReleaseStatus", "ReleaseName", "SeriesID", "SeriesCode", "isDSDSeries",
    "SeriesDescription", "SeriesObservationCount", "GeoAreaCode", "GeoAreaName", "TimePeriod", "Value",
    "ValueType", "Time_Detail", "TimeCoverage", "UpperBound", "LowerBound", "BasePeriod", "Source", "GeoInfoUrl",
    "FootNote", "ObservationID", "Freq", "Nature", "Sex", "UnitMultiplier", "Units", "Reporting Type",
    "Observation Status",
}  # fmt: skip
#: Dimension values that mean "no breakdown".
TOTAL_CODES = {"", "ALLAGE", "ALLAREA", "_T", "ALL", "_Z", "NOTSPECIFIED"}

_BOUND = re.compile(r"^\s*([<>]=?)\s*([0-9]+(?:\.[0-9]*)?)\s*$")
_RELEASE = re.compile(r"^\s*(\d{4})\.Q([1-4])\b")
_VINTAGE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def release_to_vintage(release: str) -> str | None:
    """``"2020.Q4.G.02"`` → ``"2020-10-01"`` (first day of the release quarter); None when not parseable."""
    m = _RELEASE.match(release or "")
    if not m:
        return None
    year, quarter = int(m.group(1)), int(m.group(2))
    return f"{year:04d}-{3 * (quarter - 1) + 1:02d}-01"


def _parse_value(text: str) -> tuple[float | None, bool]:
    """(value, is_bound). None when the text is empty or not a number or a bound."""
    t = (text or "").strip()
    if not t:
        return None, False
    try:
        v = float(t)
    except ValueError:
        m = _BOUND.match(t)
        if m:
            return float(m.group(2)), True
        return None, False
    if pd.isna(v):
        return None, False
    return v, False


def read_sdg_csv(
    path: str | Path,
    m49_to_iso3: dict[int, str],
    vintage: str | None = None,
    series: list[str] | tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Read an SDG Global Database CSV into a raw frame (see the module docstring for every rule)."""
    path = Path(path)
    if vintage is not None and not _VINTAGE.match(vintage):
        raise ValueError(f"vintage must be an ISO date YYYY-MM-DD, got {vintage!r}")
    if series is None:
        from indicators.registry import codes_for

        series = codes_for("un_sdg")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, ValueError) as exc:
        raise SourceError(f"{path}: not a readable SDG Global Database CSV ({exc})") from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise SourceError(f"{path}: SDG CSV lacks required columns {missing}")
    df = df.apply(lambda s: s.str.strip())
    df["_row"] = df.index + 2  # 1-based file line (header is line 1)

    keep = df["SeriesCode"].isin(list(series))
    if (~keep).any():
        log.info("%s: dropped %d rows of series not in the registry: %s", path.name, int((~keep).sum()),
                 sorted(set(df.loc[~keep, "SeriesCode"])))  # fmt: skip
    df = df[keep]

    # Areas: M49 numeric -> ISO3; everything not in the map is an aggregate or an area without ISO3.
    code = pd.to_numeric(df["GeoAreaCode"], errors="coerce")
    if code.isna().any():
        r = df.loc[code.isna()].iloc[0]
        raise SourceError(f"{path}: row {r['_row']} has a non-numeric GeoAreaCode {r['GeoAreaCode']!r}")
    df = df.assign(_m49=code.astype("int64"))
    df["iso3"] = df["_m49"].map(m49_to_iso3)
    unmapped = df["iso3"].isna()
    if unmapped.any():
        names = df.loc[unmapped].groupby("_m49")["GeoAreaName"].first()
        log.info("%s: dropped %d areas not in the M49 country map (aggregates or no ISO3): %s", path.name,
                 len(names), "; ".join(f"{c} {n}" for c, n in names.items()))  # fmt: skip
    df = df[~unmapped]

    # Other disaggregations.
    dims = [c for c in df.columns if c not in NON_DIMENSIONS and not c.startswith("_") and c != "iso3"]
    broken = pd.Series(False, index=df.index)
    for c in dims:
        broken |= ~df[c].str.upper().isin(TOTAL_CODES)
    if broken.any():
        which = [c for c in dims if (~df.loc[broken, c].str.upper().isin(TOTAL_CODES)).any()]
        log.info("%s: dropped %d rows broken down by a dimension other than sex (%s)", path.name,
                 int(broken.sum()), which)  # fmt: skip
    df = df[~broken]

    # Sex.
    sex_raw = df["Sex"].str.upper() if "Sex" in df.columns else pd.Series("", index=df.index)
    sex = sex_raw.map(SEX_MAP)
    if sex.isna().any():
        log.info("%s: dropped %d rows with Sex codes %s", path.name, int(sex.isna().sum()),
                 sorted(set(sex_raw[sex.isna()])))  # fmt: skip
    df = df.assign(sex=sex)[sex.notna()]

    # Year.
    year = pd.to_numeric(df["TimePeriod"], errors="coerce")
    bad = year.isna() | (year != year.round())
    if bad.any():
        r = df.loc[bad].iloc[0]
        raise SourceError(f"{path}: row {r['_row']} has a TimePeriod that is not a year: {r['TimePeriod']!r}")
    df = df.assign(year=year.astype("int64"))

    # Value.
    parsed = df["Value"].map(_parse_value)
    df = df.assign(value=[p[0] for p in parsed], _bound=[p[1] for p in parsed])
    dropped = df["value"].isna()
    nonnum = dropped & (df["Value"] != "")
    if nonnum.any():
        log.info("%s: dropped %d non-numeric values: %s", path.name, int(nonnum.sum()),
                 sorted(set(df.loc[nonnum, "Value"]))[:10])  # fmt: skip
    if df["_bound"].any():
        log.info("%s: %d bound values (e.g. '<5') kept as the bound with obs_status 'estimate': rows %s",
                 path.name, int(df["_bound"].sum()), df.loc[df["_bound"], "_row"].tolist()[:10])  # fmt: skip
    df = df[~dropped]

    # obs_status.
    nature = df["Nature"].str.upper() if "Nature" in df.columns else pd.Series("", index=df.index)
    unknown = ~nature.isin(NATURE_NORMAL | NATURE_ESTIMATE)
    if unknown.any():
        log.warning("%s: unknown Nature codes %s treated as 'normal'", path.name, sorted(set(nature[unknown])))
    status = nature.isin(NATURE_ESTIMATE) | df["_bound"]
    df = df.assign(obs_status=status.map({True: "estimate", False: "normal"}))

    # Vintage.
    if vintage is not None:
        df = df.assign(vintage=vintage)
    else:
        rel = df["ReleaseName"] if "ReleaseName" in df.columns else pd.Series("", index=df.index)
        vint = rel.map(release_to_vintage)
        if vint.isna().any():
            r = df.loc[vint.isna()].iloc[0]
            raise SourceError(
                f"{path}: row {r['_row']} has a ReleaseName {r.get('ReleaseName', '')!r} that gives no vintage; "
                "pass vintage="
            )
        df = df.assign(vintage=vint)

    df = df.assign(source_code=df["SeriesCode"])
    key = ["iso3", "year", "source_code", "sex"]
    dup = df.duplicated(key, keep=False)
    if dup.any():
        groups = df[dup].groupby(key)["_row"].apply(list).head(5)
        detail = "; ".join(f"{'/'.join(map(str, k))}: rows {v}" for k, v in groups.items())
        raise SourceError(f"{path}: duplicate (iso3, year, series, sex) keys: {detail}")
    out = finish_raw(df.sort_values(key))
    return out


# ==============================================================================================================
# Gapminder DDF layout (open-numbers/ddf--unstats--sdg_indicators)
# ==============================================================================================================
#
# One CSV per SDG series, ``ddf--datapoints--<series>--by--<dim>--<dim>…csv``; the header is the dimensions
# (lower-case: ``age, geo_area, nature, sex, units, year``, …) and one value column named after the series
# (``it_use_ii99``). Every code is lower-cased (``bothsex``, ``notspec``, ``percent``, ``c``). ``geo_area`` is
# the M49 numeric code, with the SDG database's aggregates mixed in. Next to the data files,
# ``ddf--entities--geo_area.csv`` (``geo_area,name``) is the SDG GeoArea list: every area, economies, former
# states, sub-national parts and aggregates alike, so it names areas but does not say which are aggregates.

#: SDG ``geo_area`` codes that are not M49 countries but are economies the dashboard shows.
SDG_EXTRA_ECONOMIES = {
    158: "TWN",  # "Other non-specified areas in Eastern Asia": the SDG database's code for the Taiwan area (not in M49)
    412: "XKX",  # Kosovo: not in M49 and no ISO 3166 code; XKX as the World Bank, the EU and codes.ITU_TO_ISO3 use
}
#: SDG aggregates that are groups of the dashboard (``groups.yml`` ids); every other aggregate is ``SDG_<code>``.
SDG_GROUP_IDS = {1: "WLD", 199: "LDC", 432: "LLDC", 722: "SIDS"}
#: ``geo_area`` codes of the SDG database's aggregates (from its GeoArea list). The GeoArea list also holds
#: areas that are neither economies nor aggregates (680 Sark, 830 Channel Islands, 827 England and Wales,
#: 736 Sudan [former], 890 Yugoslavia [former], 920 Azores, residual/unallocated and FAO/marine areas …): those
#: are not here, so they are dropped with a log rather than taken for a group.
SDG_AGGREGATES = frozenset(
    {1, 2, 5, 9, 11, 13, 14, 15, 17, 18, 19, 21, 29, 30, 34, 35, 39, 53, 54, 57, 61, 142, 143, 145, 150, 151,
     154, 155, 202, 419}  # M49 regions, sub-regions and intermediate regions
    | {62, 513, 543, 747, 753}  # SDG regions (Central and Southern Asia, Europe and Northern America, …)
    | {199, 432, 722, 514, 515}  # LDCs, LLDCs, SIDS; developed / developing regions
    | {97, 127, 135, 198, 223, 420, 485, 487, 518, 527, 593, 636, 738, 746, 889, 951}  # other groupings
    | set(range(901, 917))  # ILO regions, MDG region, World Bank income groups, WTO groups
    | set(range(923, 939))  # LDC / LLDC / SIDS by continent, "World (total) by …", Member States
)  # fmt: skip
#: Dimension columns every DDF datapoints file has (besides the ones its file name lists after ``--by--``).
DDF_DIMENSIONS = ("age", "geo_area", "nature", "sex", "units", "year")
DDF_REQUIRED = ("geo_area", "sex", "units", "year")
DDF_SEX = {"bothsex": "total", "female": "female", "male": "male"}
#: ``nature`` codes (lower-cased in the DDF files). ``notspec`` is in ddf--entities--nature.csv ("not specified").
DDF_NATURE_NORMAL = {"", "c", "ca", "n", "na", "notspec"}
DDF_NATURE_ESTIMATE = {"e", "m", "g"}
#: Values of ``age`` (and of any other breakdown dimension) that mean "no breakdown". The real it_use_ii99 file
#: has only ``notspec``; ``allage`` is the SDG code for all ages; ``_t``/``t`` the SDMX total.
DDF_TOTAL_CODES = {"", "notspec", "allage", "_t", "t"}
DDF_UNITS = {"percent"}
GROUP_COLUMNS = ("group", "publisher_group", "m49", "year", "source_code", "sex", "value", "obs_status", "vintage")

_DDF_NAME = re.compile(r"^ddf--datapoints--(?P<concept>.+?)--by--(?P<by>.+)$")
_INT = re.compile(r"^-?\d+$")
_DDF_YEAR = re.compile(r"^\d{4}$")


def sdg_group_id(m49: int) -> str:
    """Our group id for an SDG aggregate code: 1 → WLD, 199 → LDC, 432 → LLDC, 722 → SIDS, else ``SDG_<code>``."""
    return SDG_GROUP_IDS.get(int(m49), f"SDG_{int(m49)}")


def _ddf_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """(header, [(1-based line, cells)]) of a DDF CSV; BOM tolerated, blank lines skipped."""
    rows = read_csv_rows(path)
    if not rows:
        raise SourceError(f"{path}: empty file, no DDF header")
    return [c.strip().lower() for c in rows[0][1]], rows[1:]


def _ddf_geo_names(path: Path) -> dict[int, str]:
    """``geo_area`` code → name from ``ddf--entities--geo_area.csv`` next to the data file ({} when absent)."""
    entities = path.with_name("ddf--entities--geo_area.csv")
    if not entities.is_file():
        return {}
    header, rows = _ddf_rows(entities)
    if "geo_area" not in header or "name" not in header:
        raise SourceError(f"{entities}: expected columns geo_area,name, got {header}")
    g, n = header.index("geo_area"), header.index("name")
    names = {}
    for line, row in rows:
        code = row[g].strip() if g < len(row) else ""
        if not _INT.match(code):
            raise SourceError(f"{entities}: line {line}: geo_area {code!r} is not an integer code")
        names[int(code)] = row[n].strip() if n < len(row) else ""
    return names


def read_sdg_ddf(
    path: str | Path,
    m49_to_iso3: dict[int, str],
    vintage: str,
    series_code: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read one Gapminder DDF datapoints file of an SDG series into (economies, groups).

    ``economies`` is a raw frame (``RAW_COLUMNS``): areas in ``m49_to_iso3`` plus ``SDG_EXTRA_ECONOMIES``
    (158 → TWN, 412 → XKX). ``groups`` has ``GROUP_COLUMNS``: the SDG database's own aggregates
    (``SDG_AGGREGATES``; ``group`` from ``sdg_group_id``, ``publisher_group`` the GeoArea name from
    ``ddf--entities--geo_area.csv`` next to the file, else the code). Any other area is dropped with a log.

    * ``source_code``: ``series_code``, else the value column upper-cased (``it_use_ii99`` → ``IT_USE_II99``).
      The value column is the one header column that is not a dimension (``DDF_DIMENSIONS`` and the
      dimensions the file name lists after ``--by--``); it must match the series the file name names.
    * Rows broken down by age (or any other extra dimension) are dropped with a log: only ``DDF_TOTAL_CODES``
      are kept. Units other than ``percent`` and sex codes other than bothsex/female/male are dropped with a log.
    * ``nature`` → ``obs_status``: c, ca, n, empty → normal; e, m, g → estimate; unknown → normal with a warning.
    * Empty values are dropped (logged). SourceError naming the file and 1-based line: missing columns, a
      geo_area that is not an integer, a non-numeric value, a year that is not an integer, duplicate keys.
    """
    path = Path(path)
    if not _VINTAGE.match(vintage or ""):
        raise ValueError(f"vintage must be an ISO date YYYY-MM-DD, got {vintage!r}")
    header, rows = _ddf_rows(path)

    m = _DDF_NAME.match(path.stem)
    by = [d.strip().lower() for d in m.group("by").split("--")] if m else []
    dims = set(DDF_DIMENSIONS) | set(by)
    missing = [c for c in dict.fromkeys([*DDF_REQUIRED, *by]) if c not in header]
    if missing:
        raise SourceError(f"{path}: line 1: DDF header {header} lacks columns {missing}")
    values = [c for c in header if c not in dims]
    if len(values) != 1:
        raise SourceError(f"{path}: line 1: expected one value column besides the dimensions, got {values}")
    value_col = values[0]
    if m and m.group("concept").lower() != value_col:
        raise SourceError(f"{path}: line 1: value column {value_col!r} is not the file's series {m.group('concept')!r}")
    source_code = (series_code or value_col).strip()
    if series_code is None:
        source_code = source_code.upper()

    # Parse every row: integer geo_area and year, numeric value (empty values dropped).
    col = {c: i for i, c in enumerate(header)}
    records, empty = [], 0
    for line, row in rows:
        if len(row) != len(header):
            raise SourceError(f"{path}: line {line}: {len(row)} fields where the header has {len(header)}")
        cells = {c: row[i].strip() for c, i in col.items()}
        geo, year, text = cells["geo_area"], cells["year"], cells[value_col]
        if not _INT.match(geo):
            raise SourceError(f"{path}: line {line}: geo_area {geo!r} is not an integer M49 code")
        if not _DDF_YEAR.match(year):
            raise SourceError(f"{path}: line {line}: year {year!r} is not an integer year")
        if not text:
            empty += 1
            continue
        try:
            value = float(text)
        except ValueError:
            raise SourceError(f"{path}: line {line}: value {text!r} is not a number") from None
        if not math.isfinite(value):
            raise SourceError(f"{path}: line {line}: value {text!r} is not a finite number")
        rec = {c: cells[c].lower() for c in header if c in dims}
        rec.update(_line=line, _m49=int(geo), year=int(year), value=value)
        records.append(rec)
    if empty:
        log.info("%s: dropped %d rows with an empty value", path.name, empty)
    columns = [*[c for c in header if c in dims and c not in ("geo_area", "year")], "_line", "_m49", "year", "value"]
    df = pd.DataFrame.from_records(records, columns=columns)  # from_records keeps only ``columns``: geo_area goes
    df = df.astype({"_line": "int64", "_m49": "int64", "year": "int64", "value": "float64"})

    # Breakdowns other than sex: keep only the "no breakdown" codes.
    breakdowns = [c for c in header if c in dims and c not in DDF_REQUIRED and c != "nature"]
    for c in breakdowns:
        broken = ~df[c].isin(DDF_TOTAL_CODES)
        if broken.any():
            log.info("%s: dropped %d rows broken down by %s (%s)", path.name, int(broken.sum()), c,
                     sorted(set(df.loc[broken, c])))  # fmt: skip
            df = df[~broken]

    # Units.
    other = ~df["units"].isin(DDF_UNITS)
    if other.any():
        log.info("%s: dropped %d rows in units %s (not percent)", path.name, int(other.sum()),
                 sorted(set(df.loc[other, "units"])))  # fmt: skip
        df = df[~other]

    # Sex.
    sex = df["sex"].map(DDF_SEX)
    if sex.isna().any():
        log.info("%s: dropped %d rows with sex codes %s", path.name, int(sex.isna().sum()),
                 sorted(set(df.loc[sex.isna(), "sex"])))  # fmt: skip
    df = df.assign(sex=sex)[sex.notna()]

    # obs_status from nature.
    nature = df["nature"] if "nature" in df.columns else pd.Series("", index=df.index, dtype=object)
    unknown = ~nature.isin(DDF_NATURE_NORMAL | DDF_NATURE_ESTIMATE)
    if unknown.any():
        log.warning("%s: unknown nature codes %s treated as 'normal'", path.name, sorted(set(nature[unknown])))
    df = df.assign(obs_status=nature.isin(DDF_NATURE_ESTIMATE).map({True: "estimate", False: "normal"}))
    df = df.assign(source_code=source_code, vintage=vintage)

    # Areas: economies (M49 map, then the explicit extras), SDG aggregates, the rest dropped.
    names = _ddf_geo_names(path)
    economy_of = {**SDG_EXTRA_ECONOMIES, **{int(k): v for k, v in m49_to_iso3.items()}}
    iso3 = df["_m49"].map(economy_of)
    is_group = iso3.isna() & df["_m49"].isin(SDG_AGGREGATES)
    dropped = iso3.isna() & ~is_group
    if dropped.any():
        codes = sorted(set(df.loc[dropped, "_m49"]))
        log.info("%s: dropped %d rows of %d areas that are neither economies nor SDG aggregates: %s", path.name,
                 int(dropped.sum()), len(codes), "; ".join(f"{c} {names.get(c, '?')}" for c in codes))  # fmt: skip

    econ = df[iso3.notna()].assign(iso3=iso3[iso3.notna()])
    _ddf_check_duplicates(econ, ["iso3", "year", "source_code", "sex"], path)
    economies = finish_raw(econ.sort_values(["iso3", "year", "sex"]))

    grp = df[is_group]
    grp = grp.assign(
        group=grp["_m49"].map(sdg_group_id),
        publisher_group=grp["_m49"].map(lambda c: names.get(c) or str(c)),
        m49=grp["_m49"],
    )
    _ddf_check_duplicates(grp, ["m49", "year", "source_code", "sex"], path)
    groups = (
        grp.sort_values(["m49", "year", "sex"])
        .loc[:, list(GROUP_COLUMNS)]
        .astype(
            {
                "group": "string",
                "publisher_group": "string",
                "m49": "int64",
                "year": "int64",
                "source_code": "string",
                "sex": "string",
                "value": "float64",
                "obs_status": "string",
                "vintage": "string",
            }
        )
        .reset_index(drop=True)
    )
    return economies, groups


def _ddf_check_duplicates(frame: pd.DataFrame, key: list[str], path: Path) -> None:
    dup = frame.duplicated(key, keep=False)
    if dup.any():
        lines = frame[dup].groupby(key)["_line"].apply(list).head(5)
        detail = "; ".join(f"{'/'.join(map(str, k))}: lines {v}" for k, v in lines.items())
        raise SourceError(f"{path}: duplicate ({', '.join(key)}) keys: {detail}")
