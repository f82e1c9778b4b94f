"""Raw publisher frames → the one validated tidy frame.

``to_tidy`` maps a raw frame's upstream codes to registry indicators and validates it against the schema, naming the
file it came from; ``combine_series`` stacks every source and takes each series — (indicator, economy, total or
by sex) — whole from the first source in the registry's precedence that has it, and each upstream code's newest
vintage, so a series never splices publishers or vintages and one (iso3, year, indicator, sex) has one value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pandas as pd
import yaml

from indicators import PACKAGE_DIR
from indicators.registry import load_registry
from indicators.schema import KEY, TIDY_COLUMNS, validate_tidy

log = logging.getLogger(__name__)


def _code_map(source: str) -> dict[str, str]:
    return {ref.code: ind.id for ind in load_registry().values() for ref in ind.sources if ref.source == source}


CORRECTIONS_PATH = PACKAGE_DIR / "corrections.yml"


@cache
def load_corrections() -> tuple[dict, ...]:
    """The pipeline's corrections (``corrections.yml``): upstream observations dropped, each with its reason."""
    with open(CORRECTIONS_PATH, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    out = tuple(doc.get("corrections") or ())
    for c in out:
        if c.get("action") != "drop" or not c.get("reason"):
            raise ValueError(f"{CORRECTIONS_PATH}: each correction needs action: drop and a reason ({c})")
    return out


class UnmatchedCorrection(ValueError):
    """A correction names an observation no publisher file of its source holds: the publisher has changed or
    withdrawn it, and the correction must be reviewed (as owid/etl refuses a stale correction)."""


@dataclass
class Corrections:
    """The corrections one build applies (default: ``corrections.yml``), and which of them found their observation.

    ``apply`` drops the observations each names, per frame; ``check`` raises UnmatchedCorrection for a correction
    whose source was read in the build but which matched nothing in any of its frames."""

    entries: tuple[dict, ...]
    found: set[int] = field(default_factory=set)
    sources_read: set[str] = field(default_factory=set)

    @classmethod
    def load(cls) -> Corrections:
        return cls(load_corrections())

    def apply(self, raw: pd.DataFrame, source: str, origin: str) -> pd.DataFrame:
        """``raw`` without the observations the corrections name for ``source``, each logged with its reason."""
        self.sources_read.add(source)
        keep = pd.Series(True, index=raw.index)
        for n, c in enumerate(self.entries):
            if c["source"] != source:
                continue
            hit = (
                (raw["source_code"] == c["source_code"]) & (raw["iso3"] == c["iso3"]) & (raw["year"] == int(c["year"]))
            )
            if c.get("sex"):
                hit &= raw["sex"] == c["sex"]
            for row in raw.loc[hit].itertuples():
                log.info(
                    "%s: correction: dropped %s %s %s %s = %s (%s)",
                    origin,
                    row.source_code,
                    row.iso3,
                    row.year,
                    row.sex,
                    row.value,
                    " ".join(c["reason"].split()),
                )
            if hit.any():
                self.found.add(n)
            keep &= ~hit
        return raw.loc[keep]

    def check(self) -> None:
        """Raise UnmatchedCorrection naming every correction of a source read that matched no observation."""
        stale = [c for n, c in enumerate(self.entries) if c["source"] in self.sources_read and n not in self.found]
        if stale:
            names = "; ".join(
                f"{c['source']} {c['source_code']} {c['iso3']} {c['year']}" + (f" {c['sex']}" if c.get("sex") else "")
                for c in stale
            )
            raise UnmatchedCorrection(
                f"{CORRECTIONS_PATH}: no observation matches {len(stale)} correction(s): {names}. The publisher has "
                "changed or withdrawn it: review the correction and remove it if it no longer applies"
            )


def apply_corrections(raw: pd.DataFrame, source: str, origin: str, corrections=None) -> pd.DataFrame:
    """Drop the observations that ``corrections`` (default: ``corrections.yml``) name for ``source``, logging each
    with its reason; one frame, no check that each correction matched (a build does that: :class:`Corrections`)."""
    return Corrections(load_corrections() if corrections is None else tuple(corrections)).apply(raw, source, origin)


def precedence() -> dict[tuple[str, str], int]:
    """(source, source_code) → rank within its indicator: 0 is preferred."""
    ranks: dict[tuple[str, str], int] = {}
    for ind in load_registry().values():
        for rank, ref in enumerate(ind.sources):
            ranks[(ref.source, ref.code)] = rank
    return ranks


def split_aggregates(raw: pd.DataFrame, aggregate_codes: Iterable[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(economies, publisher aggregates) by the publisher's list of aggregate codes."""
    is_agg = raw["iso3"].isin(set(aggregate_codes))
    return raw.loc[~is_agg].reset_index(drop=True), raw.loc[is_agg].reset_index(drop=True)


def to_tidy(
    raw: pd.DataFrame,
    source: str,
    origin: str,
    economies: Iterable[str] | None = None,
    corrections: Corrections | None = None,
) -> pd.DataFrame:
    """Map ``raw`` (see indicators.sources) to tidy rows for ``source`` and validate them, naming ``origin``;
    ``corrections`` (default: ``corrections.yml``'s, unchecked) drop the observations they name.

    Upstream codes the registry does not use are dropped (logged). When ``economies`` is given, rows for other
    codes are dropped and logged: those are publisher aggregates or areas outside the country list.
    """
    codes = _code_map(source)
    known = raw["source_code"].isin(list(codes))
    if (~known).any():
        log.info("%s: ignored series not in the registry: %s", origin, sorted(set(raw.loc[~known, "source_code"])))
    ledger = Corrections.load() if corrections is None else corrections
    frame = ledger.apply(raw.loc[known], source, origin).copy()
    if economies is not None:
        keep = frame["iso3"].isin(set(economies))
        if (~keep).any():
            log.info(
                "%s: dropped %d rows for non-economy codes %s",
                origin,
                int((~keep).sum()),
                sorted(set(frame.loc[~keep, "iso3"])),
            )
        frame = frame.loc[keep]
    frame["indicator"] = frame["source_code"].map(codes)
    frame["source"] = source
    frame["basket"] = _baskets(frame, source)
    return validate_tidy(frame.reset_index(drop=True)[list(TIDY_COLUMNS)], origin=origin)


def _baskets(frame: pd.DataFrame, source: str) -> pd.Series:
    """Each row's price basket: the reader's (the workbook's, per year) or the registry's for the code, else ""."""
    from indicators.registry import source_ref

    given = frame["basket"] if "basket" in frame.columns else pd.Series(pd.NA, index=frame.index, dtype="object")
    refs = {c: source_ref(source, c) for c in set(frame["source_code"])}
    declared = frame["source_code"].map({c: (r.basket if r and r.basket else "") for c, r in refs.items()})
    return given.astype("object").where(given.notna(), declared).fillna("").astype(str)


#: columns of the record of series a source lost to a preferred one (``Combined.superseded``, data/superseded.csv)
SUPERSEDED_COLUMNS = (
    "indicator",
    "sex_class",
    "iso3",
    "kept_source",
    "kept_codes",
    "kept_vintage",
    "dropped_source",
    "dropped_codes",
    "dropped_vintage",
    "dropped_rows",
    "dropped_years",
    "reason",
)


@dataclass(frozen=True)
class Combined:
    """The tidy frame, the series other sources lost to it, and the rows an older vintage of the same series held."""

    tidy: pd.DataFrame
    superseded: pd.DataFrame
    previous_vintages: pd.DataFrame


def sex_class(sex: pd.Series) -> pd.Series:
    """``total`` or ``by_sex``: women's and men's values of one economy are chosen together, from one source."""
    return sex.where(sex == "total", "by_sex")


def _years_text(years: pd.Series) -> str:
    ys = sorted({int(y) for y in years})
    return f"{ys[0]}–{ys[-1]}" if len(ys) > 1 else str(ys[0])


def combine_series(frames: Iterable[pd.DataFrame]) -> Combined:
    """Stack tidy frames so that each series comes from one source and one vintage.

    A series is (indicator, economy, sex class): the total, or women and men together. Its source is the first of
    the indicator's registry sources (``registry.yml``, in order of precedence) that has any value for it; every
    other source's rows for that series are dropped, for all years, and recorded in ``superseded`` with the reason,
    so a series never switches publisher from one year to the next. Within the chosen source, each upstream code
    keeps its newest vintage only; the older vintages' rows go to ``previous_vintages`` (what a release revised).
    """
    frames = [f for f in frames if len(f)]
    empty = pd.DataFrame(columns=list(TIDY_COLUMNS))
    if not frames:
        return Combined(
            validate_tidy(empty, origin="combined tidy frame"), pd.DataFrame(columns=list(SUPERSEDED_COLUMNS)), empty
        )
    stacked = pd.concat(frames, ignore_index=True)
    ranks = precedence()
    stacked["_rank"] = [ranks.get((s, c), 99) for s, c in zip(stacked["source"], stacked["source_code"], strict=True)]
    stacked["_class"] = sex_class(stacked["sex"])
    series = ["indicator", "iso3", "_class", "basket"]
    best_rank = stacked.groupby([*series, "source"], sort=False)["_rank"].transform("min")
    stacked["_source_rank"] = best_rank
    chosen_rank = stacked.groupby(series, sort=False)["_source_rank"].transform("min")
    from_chosen = stacked["_source_rank"] == chosen_rank
    newest = stacked.groupby([*series, "source", "source_code", "sex"], sort=False)["vintage"].transform("max")
    is_newest = stacked["vintage"] == newest
    keep = from_chosen & is_newest
    previous = stacked.loc[from_chosen & ~is_newest, list(TIDY_COLUMNS)].reset_index(drop=True)
    superseded = _superseded(stacked, keep, from_chosen)
    replaced = _replaced_baskets(stacked, keep)
    if replaced.any():
        superseded = pd.concat([superseded, _basket_superseded(stacked, keep, replaced)], ignore_index=True)
        keep &= ~replaced
    out = stacked.loc[keep, list(TIDY_COLUMNS)]
    dup = out.duplicated(subset=list(KEY), keep=False)
    if dup.any():  # two codes of one source for the same key: the registry lists both, the first wins
        out = out.assign(_rank=stacked.loc[keep, "_rank"]).sort_values([*KEY, "_rank"], kind="stable")
        out = out.drop_duplicates(subset=list(KEY), keep="first").drop(columns="_rank")
    out = out.sort_values(["indicator", "sex", "iso3", "year"], kind="stable").reset_index(drop=True)
    for row in superseded.groupby(["indicator", "dropped_source", "kept_source"]).size().reset_index().itertuples():
        log.info("%s: %d series from %s superseded by %s", row[1], row[4], row[2], row[3])
    previous = previous.sort_values(["indicator", "sex", "iso3", "year", "vintage"]).reset_index(drop=True)
    return Combined(validate_tidy(out, origin="combined tidy frame"), superseded, previous)


def basket_starts(frame: pd.DataFrame) -> pd.DataFrame:
    """(indicator, basket, first_year, last_year) of every price basket in ``frame`` (tidy rows)."""
    rows = frame[frame["basket"] != ""]
    if rows.empty:
        return pd.DataFrame(columns=["indicator", "basket", "first_year", "last_year"])
    out = rows.groupby(["indicator", "basket"])["year"].agg(first_year="min", last_year="max").reset_index()
    return out.sort_values(["indicator", "first_year"]).reset_index(drop=True)


def _replaced_baskets(stacked: pd.DataFrame, keep: pd.Series) -> pd.Series:
    """Rows of a price basket in a year from which a newer basket of the same indicator is published: a year's
    values (and so its median) never mix two basket definitions."""
    starts = basket_starts(stacked.loc[keep])
    next_start: dict[tuple[str, str], int] = {}
    for r in starts.itertuples():
        later = starts[(starts["indicator"] == r.indicator) & (starts["first_year"] > r.first_year)]
        if len(later):
            next_start[(r.indicator, r.basket)] = int(later["first_year"].min())
    if not next_start:
        return pd.Series(False, index=stacked.index)
    keys = pd.Series(list(zip(stacked["indicator"], stacked["basket"], strict=True)), index=stacked.index)
    cut = keys.map(next_start)
    return keep & cut.notna() & (stacked["year"] >= cut.fillna(0))


def _basket_superseded(stacked: pd.DataFrame, keep: pd.Series, replaced: pd.Series) -> pd.DataFrame:
    """superseded rows for the basket rule: per series, the older basket's years a newer basket replaced."""
    lost = stacked.loc[replaced]
    kept = stacked.loc[keep & ~replaced]
    starts = basket_starts(kept)
    out = []
    for (indicator, iso3, cls, basket, source), g in lost.groupby(["indicator", "iso3", "_class", "basket", "source"]):
        year = int(g["year"].min())
        newer = starts[
            (starts["indicator"] == indicator) & (starts["first_year"] <= year) & (starts["basket"] != basket)
        ]
        newer_basket = newer.sort_values("first_year").iloc[-1] if len(newer) else None
        out.append(
            {
                "indicator": indicator,
                "sex_class": cls,
                "iso3": iso3,
                "kept_source": "",
                "kept_codes": "",
                "kept_vintage": "",
                "dropped_source": source,
                "dropped_codes": ", ".join(sorted(set(g["source_code"]))),
                "dropped_vintage": g["vintage"].max(),
                "dropped_rows": len(g),
                "dropped_years": _years_text(g["year"]),
                "reason": (
                    f"basket {basket!r} replaced by {newer_basket['basket']!r} from {int(newer_basket['first_year'])}"
                    if newer_basket is not None
                    else f"basket {basket!r} replaced by a newer basket"
                ),
            }
        )
    return pd.DataFrame(out, columns=list(SUPERSEDED_COLUMNS))


def _superseded(stacked: pd.DataFrame, keep: pd.Series, from_chosen: pd.Series) -> pd.DataFrame:
    """One row per series and dropped source: what was dropped, what was kept instead, and why."""
    series = ["indicator", "iso3", "_class", "basket"]
    lost = stacked.loc[~from_chosen]
    if lost.empty:
        return pd.DataFrame(columns=list(SUPERSEDED_COLUMNS))
    kept = (
        stacked.loc[keep]
        .groupby(series)
        .agg(
            kept_source=("source", "first"),
            kept_codes=("source_code", lambda c: ", ".join(sorted(set(c)))),
            kept_vintage=("vintage", "max"),
        )
    )
    dropped = lost.groupby([*series, "source"]).agg(
        dropped_codes=("source_code", lambda c: ", ".join(sorted(set(c)))),
        dropped_vintage=("vintage", "max"),
        dropped_rows=("value", "size"),
        dropped_years=("year", _years_text),
    )
    out = dropped.reset_index().rename(columns={"source": "dropped_source"}).join(kept, on=series)
    out["reason"] = [
        f"one source per series: {k} ({kc}) comes first in the registry's precedence for {ind}"
        for k, kc, ind in zip(out["kept_source"], out["kept_codes"], out["indicator"], strict=True)
    ]
    out = out.rename(columns={"_class": "sex_class"})[list(SUPERSEDED_COLUMNS)]
    return out.sort_values(["indicator", "iso3", "sex_class", "dropped_source"]).reset_index(drop=True)


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """The validated tidy frame of ``combine_series`` (one source and one vintage per series)."""
    return combine_series(frames).tidy
