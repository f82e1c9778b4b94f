"""Gender parity: score = female ÷ male (ITU's definition), parity when 0.98 ≤ score ≤ 1.02.

Works on any frame with ``value`` by ``sex`` (countries from the tidy frame, or group aggregates): the output has
one row per entity and year where both sexes have a value, with ``female``, ``male``, ``parity_score``,
``gap_points`` (male − female, percentage points), ``gap_percent`` (the gap as a share of the male rate, %) and
``status``: ``parity``, ``women behind`` or ``men behind``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PARITY_BAND = (0.98, 1.02)
GENDER_INDICATORS = ("internet_users", "mobile_ownership")
PARITY_COLUMNS = (
    "entity",
    "year",
    "indicator",
    "female",
    "male",
    "parity_score",
    "gap_points",
    "gap_percent",
    "status",
)


def parity_status(score: float, band: tuple[float, float] = PARITY_BAND) -> str:
    if np.isnan(score):
        return "no data"
    if band[0] <= round(score, 10) <= band[1]:
        return "parity"
    return "women behind" if score < band[0] else "men behind"


def parity(frame: pd.DataFrame, entity_col: str = "iso3", indicator: str | None = None) -> pd.DataFrame:
    """Parity scores from rows with columns ``entity_col``, ``year``, ``indicator``, ``sex``, ``value``."""
    rows = frame[frame["sex"].isin(["female", "male"])]
    if indicator is not None:
        rows = rows[rows["indicator"] == indicator]
    rows = rows.dropna(subset=["value"])
    if rows.empty:
        return pd.DataFrame(columns=list(PARITY_COLUMNS))
    wide = rows.pivot_table(index=[entity_col, "year", "indicator"], columns="sex", values="value", aggfunc="first")
    wide = wide.reindex(columns=["female", "male"]).dropna().reset_index()
    wide = wide[wide["male"] > 0]
    wide["parity_score"] = wide["female"] / wide["male"]
    wide["gap_points"] = wide["male"] - wide["female"]
    wide["gap_percent"] = 100 * wide["gap_points"] / wide["male"]
    wide["status"] = [parity_status(s) for s in wide["parity_score"]]
    wide = wide.rename(columns={entity_col: "entity"})
    wide.columns.name = None
    return wide[list(PARITY_COLUMNS)].sort_values(["entity", "indicator", "year"]).reset_index(drop=True)


#: the year resolution 70/125 ¶27 set for gender equality among Internet users
PARITY_DEADLINE = 2020
#: who may witness a group's parity score, in order of preference: our aggregate where the coverage rule holds,
#: then ITU's own estimates, then the UN SDG database's
WITNESS_ORDER = ("ours", "itu_key_ict", "un_sdg")


@dataclass(frozen=True)
class Witness:
    """One parity score for a group and year, and who computed it (``ours`` or a publisher key, with its edition)."""

    source: str
    edition: str
    year: int
    score: float
    group: str = ""  # the publisher's own group, where its list differs from ours (ITU's SIDS: SIDS_OHRLLS)

    @property
    def status(self) -> str:
        return parity_status(self.score)


@dataclass(frozen=True)
class ParityAnswer:
    """¶27 for one group, as a code and its parameters (each renderer words it in its own language).

    ``verdict``: ``parity`` (the score at the deadline lies in the band), ``women behind`` / ``men behind`` (it does
    not), or ``no data`` (no one gives a score for the deadline year). ``at_deadline`` is the first witness in
    ``WITNESS_ORDER`` with a deadline-year score, ``others`` the other witnesses' scores for that year, ``latest`` the
    most recent score of the first witness that has any.
    """

    group: str
    verdict: str
    deadline: int
    at_deadline: Witness | None
    others: tuple[Witness, ...]
    latest: Witness | None


def parity_answer(group: str, witnesses: pd.DataFrame, deadline: int = PARITY_DEADLINE) -> ParityAnswer:
    """¶27 for ``group`` from ``witnesses`` (columns source, edition, year, parity_score: ours and publishers')."""
    rank = {s: i for i, s in enumerate(WITNESS_ORDER)}
    rows = witnesses.dropna(subset=["parity_score"]) if len(witnesses) else witnesses
    rows = rows.assign(_rank=[rank.get(s, len(rank)) for s in rows["source"]]) if len(rows) else rows
    found = [
        Witness(
            str(r.source),
            str(r.edition),
            int(r.year),
            float(r.parity_score),
            str(getattr(r, "group", group)) if str(getattr(r, "group", group)) != group else "",
        )
        for r in (rows.sort_values(["_rank", "year"]).itertuples() if len(rows) else [])
    ]
    at = [w for w in found if w.year == deadline]
    latest = None
    if found:
        first = found[0].source
        latest = max((w for w in found if w.source == first), key=lambda w: w.year)
    if not at:
        return ParityAnswer(group, "no data", deadline, None, (), latest)
    return ParityAnswer(group, at[0].status, deadline, at[0], tuple(at[1:]), latest)
