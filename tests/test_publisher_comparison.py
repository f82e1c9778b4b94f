"""Our aggregates against the World Bank's own, where the definitions match (WDI aggregates are population-weighted
means over the same economies), on the committed snapshot."""

import pytest

from indicators.aggregates import aggregate
from indicators.groups import Groups
from indicators.snapshot import read_snapshot

pytestmark = pytest.mark.snapshot


@pytest.fixture(scope="module")
def snap():
    return read_snapshot()


@pytest.mark.parametrize(("group", "tolerance"), [("WLD", 1.5), ("LDC", 1.0), ("LIC", 1.5), ("HIC", 0.5), ("SSF", 1.5)])
def test_internet_use_aggregates_match_the_world_banks_within_tolerance(snap, group, tolerance):
    groups = Groups(snap.membership)
    ours = aggregate(snap.tidy, "internet_users", {y: groups.members(group, y) for y in range(2005, 2023)}, group=group)
    ours = ours.set_index("year")["value"]
    pa = snap.publisher_aggregates
    theirs = pa[(pa["group"] == group) & (pa["indicator"] == "internet_users") & (pa["sex"] == "total")]
    theirs = theirs.set_index("year")["value"].reindex(ours.index).dropna()
    assert len(theirs) >= 15, f"too few overlapping years for {group}"
    diff = (ours.reindex(theirs.index) - theirs).abs()
    assert diff.max() <= tolerance, f"{group}: largest gap {diff.max():.2f} points in {diff.idxmax()}"
