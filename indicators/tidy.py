"""Raw publisher frames → the one validated tidy frame.

``to_tidy`` maps a raw frame's upstream codes to registry indicators and validates it against the schema, naming the
file it came from; ``combine`` stacks every source and keeps, for each key, the value of the source listed first in
the registry (precedence), so one (iso3, year, indicator, sex) has exactly one value.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
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


def apply_corrections(raw: pd.DataFrame, source: str, origin: str, corrections=None) -> pd.DataFrame:
    """Drop the observations that ``corrections`` name for ``source``, logging each with its reason."""
    keep = pd.Series(True, index=raw.index)
    for c in load_corrections() if corrections is None else corrections:
        if c["source"] != source:
            continue
        hit = (raw["source_code"] == c["source_code"]) & (raw["iso3"] == c["iso3"]) & (raw["year"] == int(c["year"]))
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
        keep &= ~hit
    return raw.loc[keep]


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


def to_tidy(raw: pd.DataFrame, source: str, origin: str, economies: Iterable[str] | None = None) -> pd.DataFrame:
    """Map ``raw`` (see indicators.sources) to tidy rows for ``source`` and validate them, naming ``origin``.

    Upstream codes the registry does not use are dropped (logged). When ``economies`` is given, rows for other
    codes are dropped and logged: those are publisher aggregates or areas outside the country list.
    """
    codes = _code_map(source)
    known = raw["source_code"].isin(list(codes))
    if (~known).any():
        log.info("%s: ignored series not in the registry: %s", origin, sorted(set(raw.loc[~known, "source_code"])))
    frame = apply_corrections(raw.loc[known], source, origin).copy()
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
    return validate_tidy(frame.reset_index(drop=True)[list(TIDY_COLUMNS)], origin=origin)


def combine(frames: Iterable[pd.DataFrame]) -> pd.DataFrame:
    """Stack tidy frames; where keys collide keep the registry's preferred source. Returns a validated frame."""
    frames = [f for f in frames if len(f)]
    if not frames:
        return validate_tidy(pd.DataFrame(columns=list(TIDY_COLUMNS)), origin="combined tidy frame")
    stacked = pd.concat(frames, ignore_index=True)
    ranks = precedence()
    stacked["_rank"] = [ranks.get((s, c), 99) for s, c in zip(stacked["source"], stacked["source_code"], strict=True)]
    stacked = stacked.sort_values([*KEY, "_rank"], kind="stable")
    dup = stacked.duplicated(subset=list(KEY), keep="first")
    if dup.any():
        superseded = stacked.loc[dup].groupby(["indicator", "source", "source_code"]).size()
        for (ind, src, code), n in superseded.items():
            log.info("%s: %d rows from %s %s superseded by a preferred source", ind, n, src, code)
    out = stacked.loc[~dup].drop(columns="_rank")
    out = out.sort_values(["indicator", "sex", "iso3", "year"], kind="stable").reset_index(drop=True)
    return validate_tidy(out, origin="combined tidy frame")
