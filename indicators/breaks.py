"""Series breaks as data: where a publisher says a value is not comparable with the one before it.

The ``breaks`` table (``breaks.csv`` in the snapshot, ``read_breaks``) has one row per break, ``BREAK_COLUMNS``:

=============  ===================================================================================================
``iso3``       the economy (ISO 3166-1 alpha-3, as in the tidy frame)
``indicator``  a registry slug (``registry.yml``)
``sex``        ``total`` / ``female`` / ``male``: always explicit, one row per sex the break concerns (never a
               wildcard). ITU DataHub series are totals, so their breaks are ``total``; a withdrawal is recorded for
               the sex whose values were withdrawn
``year``       int: the FIRST year of the new definition or series. The value at ``year`` is not comparable with
               the value at ``year - 1`` (or with the last value before it): never interpolate, fit or take a
               difference across it
``kind``       ``definition`` (what is counted changed: inclusions, exclusions, the question asked, the age or
               reference period, the speed or coverage rule), ``method`` (how it is counted or estimated changed:
               methodology, estimation, simulation, weighting, census denominators, or a break the publisher states
               without a cause), ``source`` (the data now come from another source: another survey, Eurostat, one
               operator instead of all), ``withdrawn`` (a newer release removed values an older one held: the
               value after the hole is not to be joined to the one before it)
``note``       the publisher's own words, verbatim (ITU's ``dataNote``); for ``withdrawn`` a sentence of ours saying
               what was removed between which files
``origin``     where to re-find it: the file (its path under the publisher folder), and the economy, year and series
               code of the row whose note says it (``…: dataNote of CHN 2023 (i99H); repeated on 2024, 2025``), or
               the two files compared
``source``     the publisher id of the tidy frame (``itu_datahub``, ``un_sdg``, …)
``vintage``    the vintage of the file the break was read from (for ``withdrawn``: the newer file's)
=============  ===================================================================================================

Where breaks come from. Every rule reads the publisher's words or files; none is a guess from the numbers.

1. **ITU DataHub ``dataNote``** (``indicators.sources.itu.read_datahub_notes``), of the newest vintage of each series
   (the one the tidy frame holds: an older file's notes describe values no longer shown). A note states a break
   when it matches one of three readings (case-insensitive):

   - *a break in words*: "break in (time) series / comparability / trend", "series break", "trend break",
     "not comparable", "incomparable", "comparison with previous years should not be done";
   - *a change from a year*: a clause opening with "from / as of / starting (from|with) / since / beginning /
     before / with effect from / applied from" and a year (a month or quarter may come between), followed in the
     same sentence by a change of what is counted ("includes", "excl.", "no longer", "defined", "compiled",
     "asks", "question", "methodology", "regulation", "threshold", "started using", "not comparable"). A clause
     that does not open there ("revised numbers from 2018", "estimate from 2015", "survey from 2016",
     "Information as of December 2020") is not one;
   - *a change stated*: "changed / new / improved / revised / reviewed / refined / modified … definition /
     methodology / method" (at most four words between), "methodology … was revised / changed / modified",
     "methodological revisions", "redefined", "survey was redesigned".

   The break's ``year`` is, in this order: both the year and the next year with a value for "only in YYYY" (a
   one-year break: YYYY is comparable neither with the year before nor with the year after, two rows); the year of
   the first opening clause above ("from 2023 …", so ISR's note on 2024 "Break in series: from 2023 …" gives 2023);
   YYYY for "not comparable with YYYY" when YYYY is later than the row; otherwise the year of the row ("from this
   year"). The same break said on several rows gives one row: notes of one economy and series that resolve to the
   same year, or whose matched words are the same on consecutive years without a year of their own (MDA "Review of
   the calculation methodology" on 2016 and 2017) are one break, at the first; ``origin`` lists where it repeats.

   ``kind``, from the note's words, first that applies: ``source`` ("based on Eurostat" (or "Eurosat"), "data based on",
   "operator(s) only", "of the N operators", "Source - …"); ``method`` when the note names the methodology or
   method; ``definition`` (includes/excludes, no longer, defined, question/asks, age, reference period, activity
   period, "instead of", "data refer to", access lines, premises, speeds, a regulation, the mobile phone); else
   ``method`` (estimation, simulation, calculation, weighting, census, threshold, a redesigned survey, or a break
   stated without a cause).

   A subscription count and the same count per 100 inhabitants come in one DataHub file, the notes on the count
   rows only; the per-100 series is the count divided by population (its ``seriesDescription``), so a break of the
   count is a break of the per-100 series too (``DERIVED_FROM``; the origin names the count's code).

2. **UN SDG database** (``unsd_sdg_ddf/``, ``unsd_sdg/``): nothing usable. The DDF packaging has no footnotes, only
   the observation-nature code (country data, estimated, modelled, …); a change of nature code is not the
   publisher saying two values are not comparable, so it gives no break. The SDG CSV extract has a ``FootNote``
   column, empty in every row of the file held, and an empty ``Nature``. No break is recorded from either.

3. **What a release removed** (``withdrawn_breaks``): an economy-year the older vintage of a series held
   (``previous_vintages.parquet``) and the newer release no longer has. Consecutive withdrawn years with no newer
   value between them form one run; its row's ``year`` is the first year the newer release has a value after the
   run (so nobody joins the values across the hole), or the year after the run when none follows. ITU deleted
   Pakistan's 2021–2023 Internet-use estimates between its 2025-08 and 2026-04 files: one row, PAK 2024. The SDG
   database's vintages are not compared (``NOT_COMPARED``): its newer copy is Gapminder's repackaging, whose missing
   rows may be the packaging's rather than UNSD's.

4. **Candidates, never rows** (``propose_breaks``): percentage indicators that move by more than ``threshold_pp``
   points from one year to the next where no break is recorded. A list for a person to read the publisher's notes
   against; it never adds to the table (``python -m indicators breaks --propose``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

BREAKS_FILE = "breaks.csv"
BREAK_COLUMNS = ("iso3", "indicator", "sex", "year", "kind", "note", "origin", "source", "vintage")
KINDS = ("definition", "method", "source", "withdrawn")
PROPOSAL_COLUMNS = ("iso3", "indicator", "sex", "year", "previous_year", "previous", "value", "change")
#: a jump larger than this (percentage points in one year) is proposed for review
THRESHOLD_PP = 15.0
#: DataHub per-100 series and the count they divide by population: the count's notes hold for both
DERIVED_FROM = {"i911mw": "i271mw", "i992b": "i4213tfbb"}
#: sources whose vintages are not two releases of the publisher's own files: the SDG database's newer copy is
#: Gapminder's repackaging (DDF), whose missing rows may be the packaging's, not UNSD's
NOT_COMPARED = ("un_sdg",)
#: short publisher names for the sentences of ``withdrawn`` rows
PUBLISHER_NAMES = {"itu_datahub": "ITU", "un_sdg": "UNSD (SDG database)", "worldbank": "The World Bank"}

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLAUSE = r"(?:^|[.,;:(]\s*|\b(?:because|and|that|but|so)\s+)"
#: "from 2023", "As of 2012", "starting with 2019", "From January 2019", "with effect from 18th July 2013", …
START = re.compile(
    rf"(?:{_CLAUSE}(?:from|starting(?:\s+(?:from|with|in))?|since|beginning(?:\s+(?:in|with|from))?|before)"
    rf"|\b(?:with\s+effect|applied)\s+from)\s+"
    rf"(?:(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?{_MONTH},?\s+|q[1-4]\s+)?(?P<year>(?:19|20)\d\d)\b"
    rf"|{_CLAUSE}as\s+of\s+(?:q[1-4]\s+)?(?P<year2>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
BREAK_WORDS = re.compile(
    r"\bbreaks?\s+in\s+(?:the\s+)?(?:time[- ]?)?(?:series|compa?r?abi\w*|trend)\b|\b(?:series|trend)\s+break\b"
    r"|\bnot\s+comparable\b|\bincomparable\b|\bcomparison\s+with\s+previous\s+years?\s+should\s+not\b",
    re.IGNORECASE,
)
CHANGE_WORDS = re.compile(
    r"\binc(?:l|lud\w*)?\b|\bexc(?:l|lud\w*|lusion)?\b|\bno\s+longer\b|\b(?:re)?defin\w*|\bcompiled\b|\basks?\b"
    r"|\bquestion\w*|\bmethodolog\w*|\bregulation\b|\bthreshold\b|\bstarted\s+using\b|\bnot\s+comparable\b",
    re.IGNORECASE,
)
STATED_CHANGE = re.compile(
    r"\b(?:chang\w*|new|improved|revis\w*|review\w*|refine\w*|modif\w*)\b(?:\W+\w+){0,4}?\W+"
    r"(?:definition|methodolog\w*|method)\b"
    r"|\b(?:definition|methodology|method)\b(?:\W+\w+){0,3}?\W+(?:was|were|has\s+been|have\s+been)\s+(?:\w+\s+)?"
    r"(?:revised|changed|modified|redesigned)\b"
    r"|\bmethodological\s+(?:revision|change|refinement)s?\b|\bredefin\w*|\bsurvey\s+was\s+redesigned\b",
    re.IGNORECASE,
)
ONLY_IN = re.compile(r"\bonly\s+in\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)
FROM_THIS_YEAR = re.compile(r"\bfrom\s+this\s+year\b", re.IGNORECASE)
NOT_COMPARABLE_WITH = re.compile(r"\bnot\s+comparable\s+with\s+(?P<year>(?:19|20)\d\d)\b", re.IGNORECASE)

KIND_SOURCE = re.compile(
    r"\bbased\s+on\s+euros(?:t)?at\b|\bdata\s+based\s+on\b|\boperators?\s+only\b|\bof\s+the\s+\d+\s+operators\b"
    r"|\bsource\s+-\s",
    re.IGNORECASE,
)
KIND_METHOD_NAMED = re.compile(r"\bmethodolog\w*|\bmethod\b", re.IGNORECASE)
KIND_DEFINITION = re.compile(
    r"\binc(?:l|lud\w*)?\b|\bexc(?:l|lud\w*|lusion)?\b|\bno\s+longer\b|\b(?:re)?defin\w*|\bquestion\w*|\basks?\b"
    r"|\baged?\s+\d|\byears\s+and\s+older\b|\bpopulation\s+age\b|\blast\s+(?:three|3)\s+months\b"
    r"|\bactivity\s+(?:period|criteria)\b|\binstead\s+of\b|\bdata\s+refers?\s+to\b|\bin\s+terms\s+of\b"
    r"|\baccess\s+lines\b|\bpremises\b|\bkbit|\bkbps\b|\bregulation\b|\b(?:cell|mobile)\s+(?:phone|device)s?\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reading:
    """What one note says: the break's years (one, or two for a one-year break), its kind, the words matched, and
    whether the year was stated in the note (``explicit``) or is the row's."""

    years: tuple[int, ...]
    kind: str
    words: str
    explicit: bool


def read_note(note: str, row_year: int) -> Reading | None:
    """The break a note states (see the module docstring), or None when it states none."""
    text = " ".join(str(note).split())
    if not text:
        return None
    found = BREAK_WORDS.search(text) or _change_from_a_year(text) or STATED_CHANGE.search(text)
    if found is None:
        return None
    words = " ".join(found.group(0).lower().split())
    kind = note_kind(text)
    only = ONLY_IN.search(text)
    if only:
        return Reading((int(only.group("year")),), kind, words, True)  # the caller adds the year after it
    start = START.search(text)
    if start:
        return Reading((_start_year(start),), kind, words, True)
    later = NOT_COMPARABLE_WITH.search(text)
    if later and int(later.group("year")) > row_year:
        return Reading((int(later.group("year")),), kind, words, True)
    return Reading((int(row_year),), kind, words, bool(FROM_THIS_YEAR.search(text)))


def _start_year(match: re.Match) -> int:
    return int(match.group("year") or match.group("year2"))


def _change_from_a_year(text: str) -> re.Match | None:
    """A clause opening with a start year, followed in the same sentence by a change of what is counted."""
    for sentence in re.split(r"(?<=\.)\s+(?=[A-Z])|;", text):
        for start in START.finditer(sentence):
            change = CHANGE_WORDS.search(sentence, start.end())
            if change:
                return start
    return None


def note_kind(note: str) -> str:
    """``source``, ``method`` or ``definition`` from a note's words (the order in the module docstring)."""
    if KIND_SOURCE.search(note):
        return "source"
    if KIND_METHOD_NAMED.search(note):
        return "method"
    if KIND_DEFINITION.search(note):
        return "definition"
    return "method"


# ---- the table ------------------------------------------------------------------------------------------------


def select(
    breaks: pd.DataFrame | None,
    indicator: str | None = None,
    sex: str | None = None,
    iso3: Iterable[str] | None = None,
) -> pd.DataFrame:
    """The rows of a breaks table for ``indicator``, ``sex`` (``*`` rows match every sex) and some economies, each
    when given; a frame without one of those columns is taken as already selected on it. Empty (with at least
    ``iso3, indicator, sex, year, kind``) when there are none."""
    if breaks is None or len(breaks) == 0:
        return pd.DataFrame(columns=["iso3", "indicator", "sex", "year", "kind"])
    out = breaks
    if indicator is not None and "indicator" in out:
        out = out[out["indicator"] == indicator]
    if sex is not None and "sex" in out:
        out = out[out["sex"].isin([sex, "*"])]
    if iso3 is not None:
        out = out[out["iso3"].isin(set(iso3))]
    return out


def empty_breaks() -> pd.DataFrame:
    """A breaks table with no rows and the right dtypes."""
    return typed(pd.DataFrame(columns=list(BREAK_COLUMNS)))


def typed(frame: pd.DataFrame) -> pd.DataFrame:
    """``BREAK_COLUMNS`` in order, ``year`` int64, the rest strings; ValueError naming a missing column or a kind
    not in ``KINDS``."""
    missing = [c for c in BREAK_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"breaks table lacks columns {missing}")
    out = frame[list(BREAK_COLUMNS)].copy()
    out["year"] = out["year"].astype("int64")
    for col in BREAK_COLUMNS:
        if col != "year":
            out[col] = out[col].fillna("").astype(str).astype(object)
    bad = sorted(set(out["kind"]) - set(KINDS))
    if bad:
        raise ValueError(f"breaks table: unknown kind(s) {bad}; one of {', '.join(KINDS)}")
    return out.reset_index(drop=True)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.drop_duplicates(["iso3", "indicator", "sex", "year", "kind"], keep="first")
    return typed(frame.sort_values(["iso3", "indicator", "sex", "year", "kind"], kind="stable"))


def breaks_from_notes(
    notes: pd.DataFrame,
    codes: Mapping[str, str],
    tidy: pd.DataFrame | None = None,
    *,
    source: str = "itu_datahub",
) -> pd.DataFrame:
    """The breaks ITU's notes state (rule 1 of the module docstring).

    ``notes``: ``indicators.sources.itu.NOTE_COLUMNS`` plus ``origin`` (the file, as the table names it), from one
    or more files; only the newest vintage of each series code is read. ``codes``: series code → indicator slug
    (codes outside it are left out). ``tidy``: the tidy frame, to find the year after a one-year break (the next
    year with a value; ``year + 1`` without it)."""
    if notes is None or notes.empty:
        return empty_breaks()
    notes = notes[notes["source_code"].isin(list(codes))]
    newest = notes.groupby("source_code")["vintage"].transform("max")
    notes = notes[notes["vintage"] == newest]
    notes = _with_derived(notes, codes)
    rows: list[dict] = []
    for (iso3, code), part in notes.sort_values(["iso3", "source_code", "year"]).groupby(
        ["iso3", "source_code"], sort=True
    ):
        indicator = codes[str(code)]
        merged: list[dict] = []
        for r in part.itertuples(index=False):
            reading = read_note(r.note, int(r.year))
            if reading is None:
                continue
            year = reading.years[0]
            same = next(
                (
                    m
                    for m in merged
                    if m["year"] == year
                    or (not reading.explicit and m["words"] == reading.words and m["last_row"] == int(r.year) - 1)
                ),
                None,
            )
            if same is not None:
                same["repeated"].append(int(r.year))
                same["last_row"] = int(r.year)
                continue
            merged.append(
                {
                    "year": year,
                    "only": bool(ONLY_IN.search(str(r.note))),
                    "words": reading.words,
                    "kind": reading.kind,
                    "note": str(r.note),
                    "file": str(r.origin),
                    "row": int(r.year),
                    "last_row": int(r.year),
                    "repeated": [],
                    "on": str(getattr(r, "note_code", "") or ""),
                    "code": str(code),
                    "vintage": str(r.vintage),
                }
            )
        for m in merged:
            origin = _note_origin(m, iso3)
            years = [m["year"]]
            if m["only"]:
                years.append(_next_year(tidy, str(iso3), indicator, "total", m["year"]))
            for year in years:
                rows.append(
                    {
                        "iso3": str(iso3),
                        "indicator": indicator,
                        "sex": "total",
                        "year": int(year),
                        "kind": m["kind"],
                        "note": m["note"],
                        "origin": origin,
                        "source": source,
                        "vintage": m["vintage"],
                    }
                )
    return _sorted(pd.DataFrame(rows, columns=list(BREAK_COLUMNS))) if rows else empty_breaks()


def _with_derived(notes: pd.DataFrame, codes: Mapping[str, str]) -> pd.DataFrame:
    """``notes`` plus, for each per-100 series of ``DERIVED_FROM`` the registry uses, its count's notes under the
    per-100 code (``note_code`` says which code the note sits on); a per-100 series' own note on the same
    economy-year wins."""
    notes = notes.assign(note_code="")
    extra = []
    for derived, count in DERIVED_FROM.items():
        if derived not in codes:
            continue
        borrowed = notes[notes["source_code"] == count].assign(source_code=derived, note_code=count)
        own = notes.loc[notes["source_code"] == derived, ["iso3", "year"]]
        keyed = borrowed.merge(own.assign(_own=True), on=["iso3", "year"], how="left")
        extra.append(keyed[keyed["_own"].isna()].drop(columns="_own"))
    return pd.concat([notes, *extra], ignore_index=True) if extra else notes


def _note_origin(m: dict, iso3) -> str:
    if m["on"]:
        text = f"{m['file']}: dataNote of {iso3} {m['row']} on {m['on']}"
        text += f" ({m['code']} is that count per 100 inhabitants)"
    else:
        text = f"{m['file']}: dataNote of {iso3} {m['row']} ({m['code']})"
    if m["repeated"]:
        text += "; repeated on " + ", ".join(str(y) for y in m["repeated"])
    return text


def _next_year(tidy: pd.DataFrame | None, iso3: str, indicator: str, sex: str, year: int) -> int:
    """The first year after ``year`` with a value of the series in ``tidy``, else ``year + 1``."""
    if tidy is not None and len(tidy):
        rows = tidy[(tidy["iso3"] == iso3) & (tidy["indicator"] == indicator) & (tidy["sex"] == sex)]
        later = rows.loc[rows["year"] > year, "year"]
        if len(later):
            return int(later.min())
    return int(year) + 1


def withdrawn_breaks(
    tidy: pd.DataFrame,
    previous: pd.DataFrame | None,
    files: Mapping[tuple[str, str, str], str] | None = None,
) -> pd.DataFrame:
    """``withdrawn`` rows (rule 3): economy-years an earlier vintage of a series held and the tidy frame's (newer)
    vintage of the same source and code does not. ``files``: (source, source_code, vintage) → the file's name, for
    the origin (the vintage stands in where unknown)."""
    if previous is None or previous.empty or tidy.empty:
        return empty_breaks()
    previous = previous[~previous["source"].isin(NOT_COMPARED)]
    if previous.empty:
        return empty_breaks()
    files = files or {}
    series = ["iso3", "indicator", "sex", "source", "source_code"]
    now = tidy[[*series, "year", "vintage"]]
    newer = now.groupby(series)["vintage"].max().rename("newer")
    old = previous[[*series, "year", "vintage"]].join(newer, on=series, how="inner")
    old = old[old["vintage"] < old["newer"]]
    held = set(map(tuple, now[[*series, "year"]].itertuples(index=False, name=None)))
    keys = zip(old[series].itertuples(index=False, name=None), old["year"], strict=True)
    gone = old[[(*k, int(y)) not in held for k, y in keys]]
    rows = []
    for key, part in gone.groupby([*series, "vintage"], sort=True):
        iso3, indicator, sex, source, code, old_vintage = (str(k) for k in key)
        new_vintage = str(part["newer"].iloc[0])
        years_now = sorted(
            int(y)
            for y in now.loc[
                (now["iso3"] == iso3)
                & (now["indicator"] == indicator)
                & (now["sex"] == sex)
                & (now["source"] == source)
                & (now["source_code"] == code),
                "year",
            ]
        )
        for run in _runs(sorted(int(y) for y in part["year"]), years_now):
            after = [y for y in years_now if y > run[-1]]
            rows.append(
                {
                    "iso3": iso3,
                    "indicator": indicator,
                    "sex": sex,
                    "year": after[0] if after else run[-1] + 1,
                    "kind": "withdrawn",
                    "note": _withdrawn_note(source, run, old_vintage, new_vintage),
                    "origin": (
                        f"{files.get((source, code, old_vintage), source)} (vintage {old_vintage}) against "
                        f"{files.get((source, code, new_vintage), source)} (vintage {new_vintage}): {iso3} {code}"
                    ),
                    "source": source,
                    "vintage": new_vintage,
                }
            )
    return _sorted(pd.DataFrame(rows, columns=list(BREAK_COLUMNS))) if rows else empty_breaks()


def _runs(withdrawn: list[int], kept: list[int]) -> list[list[int]]:
    """Withdrawn years grouped into runs: a run ends where the newer release has a value."""
    runs: list[list[int]] = []
    for year in withdrawn:
        if runs and not any(runs[-1][-1] < k < year for k in kept):
            runs[-1].append(year)
        else:
            runs.append([year])
    return runs


def _withdrawn_note(source: str, run: list[int], old_vintage: str, new_vintage: str) -> str:
    who = PUBLISHER_NAMES.get(source, source)
    span = f"the {run[0]}–{run[-1]} values" if len(run) > 1 else f"the {run[0]} value"
    if len(run) > 1 and run != list(range(run[0], run[-1] + 1)):
        span = "the " + ", ".join(str(y) for y in run) + " values"
    return f"{who} removed {span} between its {old_vintage[:7]} and {new_vintage[:7]} files"


def build_breaks(
    notes: pd.DataFrame | None,
    codes: Mapping[str, str],
    tidy: pd.DataFrame,
    previous: pd.DataFrame | None,
    files: Mapping[tuple[str, str, str], str] | None = None,
) -> pd.DataFrame:
    """The whole table: the breaks ITU's notes state and the values a release withdrew, sorted by economy,
    indicator, sex and year."""
    parts = [breaks_from_notes(notes, codes, tidy), withdrawn_breaks(tidy, previous, files)]
    return _sorted(pd.concat(parts, ignore_index=True))


def carried_breaks(current: pd.DataFrame | None, tidy: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """The table after ``make refresh``: every row of the snapshot refreshed (a live DataHub answer is read for its
    values only, so the note breaks are those of the files the snapshot was built from, and a withdrawal recorded
    then stays recorded: the refresh keeps earlier vintages only for economy-years it still holds), plus the
    ``withdrawn`` rows of this refresh (the refreshed tidy frame against its earlier vintages). ``make snapshot``
    reads everything again from the files."""
    kept = typed(current) if current is not None and len(current) else empty_breaks()
    return _sorted(pd.concat([kept, withdrawn_breaks(tidy, previous)], ignore_index=True))


# ---- candidates for review -----------------------------------------------------------------------------------


def propose_breaks(
    tidy: pd.DataFrame, threshold_pp: float = THRESHOLD_PP, *, breaks: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Economy-years where a percentage indicator (registry unit ``percent``) moves by more than ``threshold_pp``
    points from the year before (consecutive years only) and no break is recorded at that year: candidates for a
    person to check against the publisher's notes, largest move first (``PROPOSAL_COLUMNS``).

    Returns a new frame; it never adds to, or changes, ``breaks`` or ``tidy``."""
    from indicators.registry import load_registry

    if not threshold_pp > 0:
        raise ValueError(f"threshold_pp must be above 0, got {threshold_pp}")
    percent = [i for i, ind in load_registry().items() if ind.is_bounded_percent]
    rows = tidy.loc[tidy["indicator"].isin(percent), ["iso3", "indicator", "sex", "year", "value"]]
    rows = rows.sort_values(["iso3", "indicator", "sex", "year"])
    series = ["iso3", "indicator", "sex"]
    rows = rows.assign(
        previous_year=rows.groupby(series)["year"].shift(1), previous=rows.groupby(series)["value"].shift(1)
    )
    rows = rows[(rows["year"] - rows["previous_year"]) == 1]
    rows = rows.assign(change=rows["value"] - rows["previous"])
    rows = rows[rows["change"].abs() > threshold_pp]
    if breaks is not None and len(breaks):
        known = set(map(tuple, breaks[["iso3", "indicator", "sex", "year"]].itertuples(index=False, name=None)))
        keys = rows[["iso3", "indicator", "sex", "year"]].itertuples(index=False, name=None)
        rows = rows[[(i, ind, s, int(y)) not in known for i, ind, s, y in keys]]
    rows = rows.assign(previous_year=rows["previous_year"].astype("int64"))
    rows = rows.reindex(rows["change"].abs().sort_values(ascending=False, kind="stable").index)
    return rows[list(PROPOSAL_COLUMNS)].reset_index(drop=True)


# ---- files ----------------------------------------------------------------------------------------------------


def write_breaks(frame: pd.DataFrame, path: Path) -> None:
    """``breaks.csv``: UTF-8, LF line ends, notes quoted where they hold commas or line breaks."""
    typed(frame).to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def read_breaks(folder: Path) -> pd.DataFrame:
    """The breaks table of a snapshot folder (typed); the empty table when the folder has no ``breaks.csv`` (a
    snapshot written before the table existed)."""
    path = Path(folder) / BREAKS_FILE
    if not path.is_file():
        return empty_breaks()
    frame = pd.read_csv(path, dtype={c: str for c in BREAK_COLUMNS if c != "year"}, keep_default_na=False)
    return typed(frame)
