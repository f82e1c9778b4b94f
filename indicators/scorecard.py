"""The resolution scorecard: each 2015 figure A/RES/70/125 states, beside ITU's own later estimate for the same
group and year and beside our aggregate, and our latest value — like with like.

* The resolution's figures were ITU's **projections for end-2015**; ``itu_estimate`` is ITU's estimate for 2015 from
  its Key ICT workbook (the same publisher, a later edition: November 2024), ``ours_same_year`` our aggregate of the
  reported country data. Each is named for what it is.
* A figure stated as a comparison ("over 80%": qualifier ``over``) is scored as one: ``comparison`` is ``>`` and
  ``holds`` says whether our value is above it; ``difference`` is only given for figures stated as a value.
* Figures counted in people or subscriptions, and shares of those *without* access, are scored from their
  ``related_indicator`` as the seed's ``derive`` says (``count``: the group's rate × its population, or a per-100
  rate × population / 100; ``complement``: 100 − the rate; ``complement_count``: the people without), with
  ``method`` naming the computation.

``ours_same_year`` is empty when that year fails the coverage rule of :mod:`indicators.aggregates`; ``ours_coverage``
is then still given, so the blank explains itself. ``latest_*`` is the last year that passes.
"""

from __future__ import annotations

import math

import pandas as pd

from indicators.aggregates import aggregate
from indicators.registry import load_registry

SCORECARD_COLUMNS = (
    "paragraph",
    "indicator",
    "measure",
    "derive",
    "group",
    "sex",
    "year",
    "unit",
    "stated",
    "qualifier",
    "comparison",
    "itu_estimate",
    "ours_same_year",
    "ours_coverage",
    "holds",
    "latest_year",
    "latest_value",
    "latest_coverage",
    "difference",
    "method",
)
COMPARABLE_UNITS = {"percent", "per100"}
#: how each qualifier is compared: ``>`` a lower bound, ``≈`` a rounded value
COMPARISONS = {"over": ">", "about": "≈", "near": "≈", "estimate": "≈", "projected": "≈", "stated": "="}
METHODS = {
    "count": "{rate} / 100 × the group's population",
    "complement": "100 − {rate}",
    "complement_count": "(100 − {rate}) × the group's population / 100",
}


def scorecard(tidy: pd.DataFrame, groups, seeds: dict, group: str | None = None, published=None) -> pd.DataFrame:
    """One row per scored figure; ``group`` re-scores every figure for another group (the stated value stays);
    ``published`` (the publishers' own group estimates) gives ITU's estimate beside each."""
    reg = load_registry()
    years = list(range(2000, int(tidy["year"].max()) + 1))
    cache: dict[tuple, pd.DataFrame] = {}

    def agg(indicator: str, grp: str, sex: str) -> pd.DataFrame:
        key = (indicator, grp, sex)
        if key not in cache:
            members = {y: groups.members(grp, y) for y in years}
            cache[key] = aggregate(tidy, indicator, members, group=grp, sex=sex, keep_below_rule=True).set_index("year")
        return cache[key]

    rows = []
    for number in sorted(seeds):
        for fig in seeds[number].figures:
            derive = fig.get("derive")
            ind = fig.get("indicator") or (fig.get("related_indicator") if derive else None)
            if not ind or ind not in reg or fig.get("value") is None:
                continue
            if not derive and fig.get("unit") not in COMPARABLE_UNITS:
                continue
            grp = group or fig["group"]
            sex = fig.get("sex", "total")
            series = _derived(agg(ind, grp, sex), agg("population", grp, sex), derive, reg[ind].unit)
            passing = series[series["value"].notna()]
            year = int(fig["year"])
            same = series.loc[year] if year in series.index else None
            latest = passing.iloc[-1] if len(passing) else None
            ours = float(same["value"]) if same is not None and not math.isnan(same["value"]) else None
            comparison = COMPARISONS.get(fig.get("qualifier", "stated"), "≈")
            stated = float(fig["value"])
            rows.append(
                {
                    "paragraph": number,
                    "indicator": ind,
                    "measure": fig.get("measure") or "",
                    "derive": derive or "",
                    "group": grp,
                    "sex": sex,
                    "year": year,
                    "unit": fig.get("unit"),
                    "stated": stated,
                    "qualifier": fig.get("qualifier", "stated"),
                    "comparison": comparison,
                    "itu_estimate": None if derive else _itu_estimate(published, ind, grp, sex, year),
                    "ours_same_year": ours,
                    "ours_coverage": float(same["coverage"]) if same is not None else None,
                    "holds": (ours > stated) if comparison == ">" and ours is not None else None,
                    "latest_year": int(passing.index[-1]) if latest is not None else None,
                    "latest_value": float(latest["value"]) if latest is not None else None,
                    "latest_coverage": float(latest["coverage"]) if latest is not None else None,
                    "difference": (ours - stated) if ours is not None and comparison != ">" else None,
                    "method": _method(derive, ind, reg[ind].unit),
                }
            )
    return pd.DataFrame(rows, columns=list(SCORECARD_COLUMNS))


def _derived(rate: pd.DataFrame, population: pd.DataFrame, derive: str | None, unit: str) -> pd.DataFrame:
    """(value, coverage) by year: the rate itself, or the count / complement the seed's ``derive`` asks for."""
    if not derive:
        return rate[["value", "coverage"]]
    people = population["value"].reindex(rate.index)
    value = rate["value"]
    if derive == "complement":
        value = 100 - value
    elif derive == "count":
        value = value / 100 * people  # percent of people, or subscriptions per 100 people
    elif derive == "complement_count":
        value = (100 - value) / 100 * people
    return pd.DataFrame({"value": value, "coverage": rate["coverage"]}, index=rate.index)


def _method(derive: str | None, indicator: str, unit: str) -> str:
    if not derive:
        return "our population-weighted aggregate"
    return METHODS[derive].format(rate=indicator)


def _itu_estimate(published, indicator: str, group: str, sex: str, year: int) -> float | None:
    """ITU's own estimate (Key ICT workbook) for the group and year, or None."""
    if published is None or published.empty:
        return None
    from indicators import published as pub

    rows = pub.for_group(published[published["source"] == "itu_key_ict"], indicator, group, sex)
    hit = rows[rows["year"] == year]
    return float(hit["value"].iloc[0]) if len(hit) else None
