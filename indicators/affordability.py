"""Affordability: price baskets against the thresholds (2% and 5% of monthly GNI per capita), as ITU reports them.

* A group's price is the **median** of its members' (``indicators.aggregates``; not population-weighted).
* Two more measures per group and year (``under_threshold``): the share of the members reporting whose basket costs
  at most the threshold, and the share of the group's **people** who live in those economies. The second is
  population-weighted on purpose (how many people live where broadband is affordable), and its denominator is the
  population of every member, so members that do not report count as not known to be under — ``people_reporting``
  says how much of the population the reporting members hold.
* ITU's own medians (``itu_panel_median``) are over a **fixed panel**: the economies with a value in every year of a
  span. Our default is every member reporting in the year; the chart says which panel each line uses.
* Per economy (``economy_verdict``): the latest basket, its year and whether it is at or under the threshold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

#: the target whose threshold (2% of monthly GNI per capita) maps, rankings and country pages read prices against:
#: the Broadband Commission's entry-level broadband target (its number lives in targets.yml, nowhere else)
REFERENCE_TARGET = "bbcom2025_2_price_developing"
#: the % of GNI indicators, each with its USD and PPP variants
PRICE_GNI = ("fixed_broadband_price_gni", "mobile_broadband_price_gni", "mobile_cellular_price_gni")

UNDER_COLUMNS = (
    "group",
    "year",
    "indicator",
    "threshold",
    "n_members",
    "n_reporting",
    "n_under",
    "members_under",
    "people_under",
    "people_reporting",
    "basket",
)


def under_threshold(
    tidy: pd.DataFrame,
    indicator: str,
    members_by_year: Mapping[int, Iterable[str]],
    *,
    group: str,
    threshold: float,
    population: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per year: members reporting, how many are at or under ``threshold``, that as a share of the reporting members
    (``members_under``), and the share of the group's people living in them (``people_under``, by total population
    of the year, carried forward from the member's latest figure; NaN without population data)."""
    rows = tidy[(tidy["indicator"] == indicator) & (tidy["sex"] == "total")]
    pop = population if population is not None else _population(tidy)
    out = []
    for year in sorted(members_by_year):
        members = sorted(set(members_by_year[year]))
        here = rows[rows["year"] == year].set_index("iso3")
        values = here["value"].reindex(members).dropna()
        if values.empty:
            continue
        under = values[values <= threshold + 1e-12]
        weights = pop.reindex(index=members)[year] if year in pop.columns else pd.Series(np.nan, index=members)
        known = weights.dropna()
        total = float(known.sum())
        people_under = float(known.reindex(under.index).sum() / total) if total > 0 else np.nan
        people_reporting = float(known.reindex(values.index).sum() / total) if total > 0 else np.nan
        baskets = sorted(set(here.loc[values.index, "basket"]))
        out.append(
            {
                "group": group,
                "year": int(year),
                "indicator": indicator,
                "threshold": float(threshold),
                "n_members": len(members),
                "n_reporting": len(values),
                "n_under": len(under),
                "members_under": len(under) / len(values),
                "people_under": people_under,
                "people_reporting": people_reporting,
                "basket": "; ".join(baskets),
            }
        )
    return pd.DataFrame(out, columns=list(UNDER_COLUMNS))


def _population(tidy: pd.DataFrame) -> pd.DataFrame:
    """iso3 × year total population, each member's latest figure carried forward."""
    pop = tidy[(tidy["indicator"] == "population") & (tidy["sex"] == "total")]
    wide = pop.pivot(index="iso3", columns="year", values="value")
    if wide.empty:
        return wide
    span = range(int(wide.columns.min()), max(int(tidy["year"].max()), int(wide.columns.max())) + 1)
    return wide.reindex(columns=span).ffill(axis=1)


def itu_panel_median(prices: pd.DataFrame, members: Iterable[str], first: int, last: int, year: int) -> float:
    """ITU's median for ``year`` over its fixed panel: the ``members`` with a value in every year of
    ``first``–``last`` (``prices``: iso3 × year values of one code). NaN when the panel is empty."""
    years = list(range(first, last + 1))
    if year not in years:
        return float("nan")
    wide = prices.reindex(index=sorted(set(members)), columns=years)
    panel = wide[wide.notna().all(axis=1)]
    return float(panel[year].median()) if len(panel) else float("nan")


@dataclass(frozen=True)
class EconomyVerdict:
    """One economy's latest basket price against a threshold (codes; each renderer words them)."""

    iso3: str
    indicator: str
    year: int | None
    value: float | None
    basket: str
    threshold: float
    status: str  # "under" (at or under the threshold) | "over" | "no_data"
    source: str = ""
    vintage: str = ""


def economy_verdict(tidy: pd.DataFrame, iso3: str, indicator: str, threshold: float) -> EconomyVerdict:
    """The latest value of ``indicator`` for ``iso3`` and whether it is at or under ``threshold``."""
    rows = tidy[(tidy["iso3"] == iso3) & (tidy["indicator"] == indicator) & (tidy["sex"] == "total")]
    if rows.empty:
        return EconomyVerdict(iso3, indicator, None, None, "", threshold, "no_data")
    last = rows.sort_values("year").iloc[-1]
    value = float(last["value"])
    return EconomyVerdict(
        iso3=iso3,
        indicator=indicator,
        year=int(last["year"]),
        value=value,
        basket=str(last["basket"]),
        threshold=threshold,
        status="under" if value <= threshold + 1e-12 else "over",
        source=str(last["source"]),
        vintage=str(last["vintage"]),
    )
