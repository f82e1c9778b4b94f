"""UN SDG Global Database CSV (``unstats.un.org/sdgs/dataportal`` downloads) → raw frame.

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
import re
from pathlib import Path

import pandas as pd

from indicators.sources import SourceError, finish_raw

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
