"""Integration: group aggregates on the committed snapshot in data/ (marked ``snapshot``; run with -s to see the
printed series), checked for sanity against each other and ITU's published world figure."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import DATA_DIR
from indicators.aggregates import aggregate
from indicators.snapshot import has_snapshot

pytestmark = [
    pytest.mark.snapshot,
    pytest.mark.skipif(not has_snapshot(DATA_DIR), reason=f"no committed snapshot in {DATA_DIR}"),
]
YEARS = range(2005, 2023)


@pytest.fixture(scope="module")
def series() -> pd.DataFrame:
    """year × group → internet_users (coverage rule applied; NaN where a year fails it)."""
    from indicators.groups import Groups
    from indicators.snapshot import read_snapshot

    snap = read_snapshot(DATA_DIR)
    groups = Groups(snap.membership)
    out = {}
    for gid in ("WLD", "HIC", "LDC", "LLDC", "SIDS"):
        members = {y: groups.members(gid, y) for y in YEARS}
        agg = aggregate(snap.tidy, "internet_users", members, group=gid, keep_below_rule=True)
        out[gid] = agg.set_index("year")["value"]
        out[f"{gid}_cov"] = agg.set_index("year")["coverage"]
    return pd.DataFrame(out).reindex(YEARS)


def test_print_series(series):
    with pd.option_context("display.width", 200, "display.max_rows", None):
        print("\ninternet_users, % of individuals (population-weighted; coverage = share of population reporting)")
        print(series.round(3).to_string())
    assert series[["LDC", "LLDC", "SIDS"]].notna().sum().min() >= 10


def test_ldc_below_world_below_high_income(series):
    both = series[["LDC", "WLD", "HIC"]].dropna()
    assert len(both) >= 15
    assert (both["LDC"] < both["WLD"]).all() and (both["WLD"] < both["HIC"]).all()


def test_2015_levels_match_itu(series):
    assert 35 <= series.loc[2015, "WLD"] <= 45  # ITU: about 40% of individuals in 2015
    assert 10 <= series.loc[2015, "LDC"] <= 20
    assert series.loc[2015, "WLD_cov"] >= 0.7 and series.loc[2015, "LDC_cov"] >= 0.7


def test_series_rise_over_the_decade(series):
    for gid in ("WLD", "LDC", "LLDC", "SIDS"):
        assert series.loc[2022, gid] > series.loc[2012, gid] > series.loc[2005, gid]
