"""Gender parity: score = female ÷ male (ITU's definition), parity when 0.98 ≤ score ≤ 1.02.

Works on any frame with ``value`` by ``sex`` (countries from the tidy frame, or group aggregates): the output has
one row per entity and year where both sexes have a value, with ``female``, ``male``, ``parity_score``,
``gap_points`` (male − female, percentage points), ``gap_percent`` (the gap as a share of the male rate, %) and
``status``: ``parity``, ``women behind`` or ``men behind``.
"""

from __future__ import annotations

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
