"""Our aggregation method against the World Bank's own aggregates, where the definitions match (WDI aggregates are
population-weighted means over the same economies): our method applied to the World Bank's own country series (the
same vintage as its aggregates) must reproduce them. The snapshot itself takes Internet use from ITU's newer release
(one source per series), so its aggregates differ from the World Bank's by that release's revisions too: the About
page shows that comparison, in words, without tuning either."""

import pandas as pd
import pytest

from indicators.aggregates import aggregate
from indicators.groups import Groups
from indicators.sources.worldbank import read_bulk_csv
from indicators.tidy import to_tidy

pytestmark = [pytest.mark.snapshot, pytest.mark.raw]

WB_FILE = "wb_wdi/API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"


@pytest.fixture(scope="module")
def snap(committed_snapshot):
    return committed_snapshot


@pytest.fixture(scope="module")
def wb_tidy(snap, raw_dir):
    raw = read_bulk_csv(raw_dir / WB_FILE, vintage="2024-11-29")
    economies = set(snap.countries["iso3"])
    wb = to_tidy(raw[raw["iso3"].isin(economies)], "worldbank", origin=WB_FILE)
    population = snap.tidy[snap.tidy["indicator"] == "population"]
    return pd.concat([wb, population], ignore_index=True)


@pytest.mark.parametrize(("group", "tolerance"), [("WLD", 1.5), ("LDC", 1.0), ("LIC", 1.5), ("HIC", 0.5), ("SSF", 1.5)])
def test_our_method_on_the_world_banks_series_matches_its_aggregates(snap, wb_tidy, group, tolerance):
    groups = Groups(snap.membership)
    members = {y: groups.members(group, y) for y in range(2005, 2023)}
    ours = aggregate(wb_tidy, "internet_users", members, group=group).set_index("year")["value"]
    pa = snap.publisher_aggregates
    theirs = pa[
        (pa["source"] == "worldbank")
        & (pa["group"] == group)
        & (pa["indicator"] == "internet_users")
        & (pa["sex"] == "total")
    ]
    theirs = theirs.set_index("year")["value"].reindex(ours.index).dropna()
    assert len(theirs) >= 15, f"too few overlapping years for {group}"
    diff = (ours.reindex(theirs.index) - theirs).abs()
    assert diff.max() <= tolerance, f"{group}: largest gap {diff.max():.2f} points in {diff.idxmax()}"
