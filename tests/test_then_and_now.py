"""2015 → 2025: the figures of 70/125 beside those of 80/173 and what the data say for both years."""

from __future__ import annotations

import pytest

from indicators.groups import Groups
from indicators.targets import SEEDS_80_173_PATH, load_seeds, load_targets
from indicators.then_and_now import THEN_NOW_COLUMNS, then_and_now

pytestmark = pytest.mark.snapshot


@pytest.fixture(scope="module")
def table(committed_snapshot):
    snap = committed_snapshot
    frame = then_and_now(
        snap.tidy, Groups(snap.membership), load_seeds(), load_seeds(SEEDS_80_173_PATH), snap.publisher_aggregates
    )
    return frame.set_index(["indicator", "derive", "area", "group", "sex"], drop=False)


def test_columns(table):
    assert list(table.columns) == list(THEN_NOW_COLUMNS)


def test_world_internet_use_then_and_now(table):
    row = table.loc[("internet_users", "", "total", "WLD", "total")]
    assert (row["then_paragraph"], row["then_value"], row["then_qualifier"]) == (14, 43.0, "over")
    assert (row["now_paragraph"], row["now_value"]) == (20, 74.0)
    assert row["itu_then"] == pytest.approx(39.8) and row["itu_now"] == pytest.approx(67.6)  # docs/targets.md §10
    assert row["itu_now_year"] == 2024 and row["ours_now_year"] == 2024
    assert row["ours_then"] == pytest.approx(39.8, abs=1.0)


def test_women_then_and_now_with_itu_by_sex(table):
    row = table.loc[("internet_users", "", "total", "WLD", "female")]
    assert (row["then_value"], row["now_value"], row["itu_now"]) == (41.0, 71.0, pytest.approx(65.3))


def test_urban_and_rural_come_from_itu_by_area(table):
    urban = table.loc[("internet_users", "", "urban", "WLD", "total")]
    rural = table.loc[("internet_users", "", "rural", "WLD", "total")]
    assert urban["now_value"] == 85.0 and rural["now_value"] == 58.0
    assert urban["itu_now"] > rural["itu_now"] > 0
    assert urban["ours_now"] is None or urban["ours_now"] != urban["ours_now"]  # we hold no urban/rural series


def test_figures_without_a_series_say_so(table):
    missing = table[table["status"] == "no_series"]
    assert len(missing) >= 1
    assert missing["measure"].str.contains("languages").any()


def test_the_school_target_is_listed_as_not_judged_here():
    school = next(t for t in load_targets() if t.id == "wsis20_p37_schools_connected_2030")
    assert (school.tracked, school.target_year) == (False, 2030)
    assert "no data in this tool" in school.untracked_reason
