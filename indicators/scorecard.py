"""The resolution scorecard: each 2015 figure A/RES/70/125 states, beside our value for the same indicator, group,
sex and year, and our latest value.

Only figures stated for a registry indicator in a comparable unit (percent or per 100) are scored; counts of people
or subscriptions and figures without a number are listed in the seeds but not compared.

``ours_same_year`` is empty when that year fails the coverage rule of :mod:`indicators.aggregates`;
``ours_coverage`` is then still given, so the blank explains itself. ``latest_*`` is the last year that passes.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.aggregates import aggregate
from indicators.registry import load_registry

SCORECARD_COLUMNS = (
    "paragraph",
    "indicator",
    "group",
    "sex",
    "year",
    "stated",
    "qualifier",
    "ours_same_year",
    "ours_coverage",
    "latest_year",
    "latest_value",
    "latest_coverage",
    "difference",
)
COMPARABLE_UNITS = {"percent", "per100"}


def scorecard(tidy: pd.DataFrame, groups, seeds: dict, group: str | None = None) -> pd.DataFrame:
    """One row per scored figure; ``group`` re-scores every figure for another group (the stated value stays)."""
    reg = load_registry()
    last_year = int(tidy["year"].max())
    years = list(range(2000, last_year + 1))
    cache: dict[tuple, pd.DataFrame] = {}
    rows = []
    for number in sorted(seeds):
        for fig in seeds[number].figures:
            ind = fig.get("indicator")
            if not ind or ind not in reg or fig.get("unit") not in COMPARABLE_UNITS or fig.get("value") is None:
                continue
            grp = group or fig["group"]
            sex = fig.get("sex", "total")
            key = (ind, grp, sex)
            if key not in cache:
                members = {y: groups.members(grp, y) for y in years}
                cache[key] = aggregate(tidy, ind, members, group=grp, sex=sex, keep_below_rule=True).set_index("year")
            agg = cache[key]
            passing = agg[agg["value"].notna()]
            year = int(fig["year"])
            same = agg.loc[year] if year in agg.index else None
            latest = passing.iloc[-1] if len(passing) else None
            ours = float(same["value"]) if same is not None and not math.isnan(same["value"]) else None
            rows.append(
                {
                    "paragraph": number,
                    "indicator": ind,
                    "group": grp,
                    "sex": sex,
                    "year": year,
                    "stated": float(fig["value"]),
                    "qualifier": fig.get("qualifier", "stated"),
                    "ours_same_year": ours,
                    "ours_coverage": float(same["coverage"]) if same is not None else None,
                    "latest_year": int(passing.index[-1]) if latest is not None else None,
                    "latest_value": float(latest["value"]) if latest is not None else None,
                    "latest_coverage": float(latest["coverage"]) if latest is not None else None,
                    "difference": (ours - float(fig["value"])) if ours is not None else None,
                }
            )
    return pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))
