"""``fill_gaps`` and ``aggregate`` under the gap rule (interpolate between observations ≤ ``max_gap`` = 4 years apart,
carry the latest value ≤ ``max_carry`` = 2 years, never backwards), on hand-built frames with every expected value
worked out in the test."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.aggregates import DEFAULT_RULE, Rule, aggregate, fill_gaps
from tests.builders import tidy_rows

#: the population rule alone: these tests are about weights and gap filling, not the members rule (whose own tests
#: are in tests/test_members_rule.py)
COVERAGE_ONLY = Rule(min_members_reporting=0.0, min_reporting=1)


def wide(values: dict[int, float | None], years: range | None = None, code: str = "A") -> pd.DataFrame:
    """One member's row over ``years`` (default: the span of ``values``), NaN where ``values`` has no entry."""
    years = years or range(min(values), max(values) + 1)
    row = {y: values.get(y) for y in years}
    return pd.DataFrame({y: [float("nan") if v is None else float(v)] for y, v in row.items()}, index=[code])


def filled_row(values: dict[int, float], years: range, **kw) -> pd.Series:
    kw.setdefault("max_carry", DEFAULT_RULE.max_carry)
    kw.setdefault("max_gap", DEFAULT_RULE.max_gap)
    return fill_gaps(wide(values, years), **kw).loc["A"]


def test_default_rule_is_gap_4_carry_2_coverage_70():
    assert (DEFAULT_RULE.max_gap, DEFAULT_RULE.max_carry, DEFAULT_RULE.min_coverage) == (4, 2, 0.70)


# ---- fill_gaps ----------------------------------------------------------------------------------------------------


def test_observations_four_years_apart_are_interpolated_linearly():
    row = filled_row({2010: 10.0, 2014: 30.0}, range(2010, 2015))
    assert [row[y] for y in range(2010, 2015)] == pytest.approx([10.0, 15.0, 20.0, 25.0, 30.0])


def test_observations_five_years_apart_leave_the_gap_empty():
    row = filled_row({2010: 10.0, 2015: 35.0}, range(2010, 2016))
    assert row[2010] == 10.0 and row[2015] == 35.0
    assert all(math.isnan(row[y]) for y in range(2011, 2015)), row.to_dict()


def test_interpolation_uses_the_nearest_observations_on_either_side():
    # 2010 → 2012 (2 apart) and 2012 → 2016 (4 apart) are both filled, each from its own pair
    row = filled_row({2010: 10.0, 2012: 20.0, 2016: 60.0}, range(2010, 2017))
    assert row[2011] == pytest.approx(15.0)
    assert [row[y] for y in (2013, 2014, 2015)] == pytest.approx([30.0, 40.0, 50.0])


def test_latest_observation_is_carried_forward_two_years_and_no_further():
    row = filled_row({2016: 5.0, 2018: 40.0}, range(2016, 2023))
    assert row[2019] == 40.0 and row[2020] == 40.0
    assert math.isnan(row[2021]) and math.isnan(row[2022])


def test_nothing_is_extrapolated_backwards():
    row = filled_row({2012: 25.0, 2013: 30.0}, range(2009, 2014))
    assert all(math.isnan(row[y]) for y in (2009, 2010, 2011)), row.to_dict()


def test_an_interior_gap_too_wide_is_not_carried_into():
    # 2010 then 2016: six years apart, so 2011–2015 stay empty; 2011–2012 are NOT the 2010 value carried forward,
    # because 2010 is not the latest observation
    row = filled_row({2010: 10.0, 2016: 70.0}, range(2010, 2019))
    assert all(math.isnan(row[y]) for y in range(2011, 2016)), row.to_dict()
    assert row[2017] == 70.0 and row[2018] == 70.0  # after the latest one, carrying applies


def test_limits_are_parameters():
    values = {2010: 10.0, 2015: 35.0}
    row = filled_row(values, range(2010, 2018), max_gap=5, max_carry=1)
    assert row[2012] == pytest.approx(20.0)  # 5 apart is allowed with max_gap=5
    assert row[2016] == 35.0 and math.isnan(row[2017])  # carried one year only


def test_each_row_is_filled_on_its_own_and_columns_are_kept():
    frame = pd.DataFrame(
        {2010: [10.0, None], 2011: [None, 1.0], 2012: [None, None], 2013: [None, None], 2014: [30.0, None]},
        index=["A", "B"],
    )
    out = fill_gaps(frame, max_carry=2)
    assert list(out.columns) == [2010, 2011, 2012, 2013, 2014] and list(out.index) == ["A", "B"]
    assert out.loc["A", 2012] == pytest.approx(20.0)
    assert out.loc["B", 2012] == 1.0 and out.loc["B", 2013] == 1.0 and math.isnan(out.loc["B", 2014])
    assert math.isnan(out.loc["B", 2010])


def test_interpolation_goes_by_years_not_by_column_position():
    # the frame holds only some years; 2013 lies three quarters of the way from 2010 to 2014
    frame = pd.DataFrame({2010: [10.0], 2013: [None], 2014: [30.0], 2016: [None], 2017: [None]}, index=["A"])
    out = fill_gaps(frame, max_carry=2)
    assert list(out.columns) == [2010, 2013, 2014, 2016, 2017]
    assert out.loc["A", 2013] == pytest.approx(25.0)
    assert out.loc["A", 2016] == 30.0 and math.isnan(out.loc["A", 2017])


def test_observed_values_are_never_changed():
    values = {2010: 10.0, 2011: 11.5, 2014: 12.0, 2019: 3.0}
    row = filled_row(values, range(2010, 2020))
    for y, v in values.items():
        assert row[y] == v


# ---- aggregate on a three-member group -----------------------------------------------------------------------------

POP = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0}  # 1,000 in all
YEARS = range(2010, 2021)


def group_frame() -> pd.DataFrame:
    """AAA reports every year (10 in 2010, +1 a year). BBB reports 2010 (20) and 2014 (40): 2011–2013 interpolated,
    2015–2016 carried, nothing from 2017. CCC reports 50 every year 2010–2017: 2018–2019 carried, nothing in 2020."""
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in YEARS]
    rows += [("AAA", y, "internet_users", "total", 10.0 + (y - 2010)) for y in YEARS]
    rows += [("BBB", 2010, "internet_users", "total", 20.0), ("BBB", 2014, "internet_users", "total", 40.0)]
    rows += [("CCC", y, "internet_users", "total", 50.0) for y in range(2010, 2018)]
    return tidy_rows(rows)


@pytest.fixture(scope="module")
def by_year() -> pd.DataFrame:
    members = {y: set(POP) for y in YEARS}
    return aggregate(
        group_frame(), "internet_users", members, group="G", rule=COVERAGE_ONLY, keep_below_rule=True
    ).set_index("year")


def test_every_requested_year_is_a_row_with_keep_below_rule(by_year):
    assert list(by_year.index) == list(YEARS)
    assert set(by_year["n_members"]) == {3}
    assert "filled_share" in by_year.columns


def test_year_with_everyone_observed_has_nothing_filled(by_year):
    row = by_year.loc[2010]
    assert (row["n_reporting"], row["n_filled"], row["coverage"], row["filled_share"]) == (3, 0, 1.0, 0.0)
    assert row["value"] == pytest.approx((100 * 10 + 300 * 20 + 600 * 50) / 1000)  # 37.0
    assert "estimates" not in row["method"]


def test_interpolated_member_counts_as_filled_not_reporting(by_year):
    row = by_year.loc[2012]  # AAA 12, BBB interpolated 30, CCC 50
    assert row["value"] == pytest.approx((100 * 12 + 300 * 30 + 600 * 50) / 1000)  # 40.2
    assert (row["n_reporting"], row["n_filled"]) == (2, 1)
    assert row["coverage"] == pytest.approx(0.7)  # AAA + CCC: 700 of 1,000
    assert row["filled_share"] == pytest.approx(0.3)  # BBB: 300 of 1,000
    assert "estimates" in row["method"]


def test_carried_member_counts_as_filled(by_year):
    row = by_year.loc[2016]  # AAA 16, BBB carried 40 (2 years after 2014), CCC 50
    assert row["value"] == pytest.approx((100 * 16 + 300 * 40 + 600 * 50) / 1000)  # 43.6
    assert (row["n_reporting"], row["n_filled"], row["filled_share"]) == (2, 1, pytest.approx(0.3))


def test_member_beyond_the_carry_limit_neither_reports_nor_counts_as_filled(by_year):
    row = by_year.loc[2017]  # BBB's 2014 value is 3 years old: BBB has no value
    assert row["value"] == pytest.approx((100 * 17 + 600 * 50) / 700)
    assert (row["n_reporting"], row["n_filled"], row["filled_share"]) == (2, 0, 0.0)
    assert row["coverage"] == pytest.approx(0.7)
    assert "estimates" not in row["method"]


def test_year_failing_the_coverage_rule_is_a_break_not_a_guess(by_year):
    row = by_year.loc[2018]  # only AAA reports (10%); CCC carried (60%) does not make coverage
    assert math.isnan(row["value"])
    assert row["coverage"] == pytest.approx(0.1)
    assert (row["n_reporting"], row["n_filled"], row["filled_share"]) == (1, 1, pytest.approx(0.6))
    row = by_year.loc[2020]  # CCC's 2017 value is 3 years old: not filled either
    assert math.isnan(row["value"])
    assert (row["n_reporting"], row["n_filled"], row["filled_share"]) == (1, 0, 0.0)


def test_years_failing_the_rule_are_dropped_without_keep_below_rule():
    members = {y: set(POP) for y in YEARS}
    out = aggregate(group_frame(), "internet_users", members, group="G", rule=COVERAGE_ONLY)
    assert list(out["year"]) == list(range(2010, 2018))  # 2018–2020: coverage 10%
    assert out["value"].notna().all()


def test_filled_share_is_the_share_of_all_members_population_with_unequal_weights():
    # AAA (100) interpolated and CCC (600) carried, BBB (300) reports: coverage 0.3 fails, filled share 0.7
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in (2010, 2011, 2012)]
    rows += [
        ("AAA", 2010, "internet_users", "total", 10.0),
        ("AAA", 2012, "internet_users", "total", 20.0),
        ("BBB", 2011, "internet_users", "total", 30.0),
        ("CCC", 2010, "internet_users", "total", 60.0),
    ]
    out = aggregate(
        tidy_rows(rows), "internet_users", {2011: set(POP)}, group="G", rule=COVERAGE_ONLY, keep_below_rule=True
    )
    row = out.iloc[0]
    assert (row["n_reporting"], row["n_filled"]) == (1, 2)
    assert row["coverage"] == pytest.approx(0.3)
    assert row["filled_share"] == pytest.approx(0.7)
    assert math.isnan(row["value"])
    passing = aggregate(
        tidy_rows(rows),
        "internet_users",
        {2011: set(POP)},
        group="G",
        rule=Rule(min_coverage=0.3, min_members_reporting=0.0, min_reporting=1),
    ).iloc[0]
    assert passing["value"] == pytest.approx((100 * 15 + 300 * 30 + 600 * 60) / 1000)  # 46.5


def test_aggregate_does_not_interpolate_across_five_years():
    pops = {"AAA": 800.0, "BBB": 200.0}
    rows = [(c, y, "population", "total", p) for c, p in pops.items() for y in range(2010, 2016)]
    rows += [("AAA", y, "internet_users", "total", 50.0) for y in range(2010, 2016)]
    rows += [("BBB", 2010, "internet_users", "total", 10.0), ("BBB", 2015, "internet_users", "total", 60.0)]
    out = aggregate(tidy_rows(rows), "internet_users", {2012: set(pops)}, group="G", rule=COVERAGE_ONLY).iloc[0]
    assert out["value"] == pytest.approx(50.0)  # BBB has no value: not (0.8 × 50 + 0.2 × 30)
    assert (out["n_reporting"], out["n_filled"], out["filled_share"]) == (1, 0, 0.0)


def test_aggregate_fills_from_observations_outside_the_requested_years():
    # only 2012 is asked for; BBB's 2010 and 2014 observations still interpolate it
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in range(2010, 2015)]
    rows += [("AAA", 2012, "internet_users", "total", 10.0), ("CCC", 2012, "internet_users", "total", 50.0)]
    rows += [("BBB", 2010, "internet_users", "total", 20.0), ("BBB", 2014, "internet_users", "total", 40.0)]
    row = aggregate(tidy_rows(rows), "internet_users", {2012: set(POP)}, group="G", rule=COVERAGE_ONLY).iloc[0]
    assert row["value"] == pytest.approx((100 * 10 + 300 * 30 + 600 * 50) / 1000)
    assert row["n_filled"] == 1


def test_no_backward_extrapolation_in_aggregate():
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in (2010, 2011)]
    rows += [("AAA", 2010, "internet_users", "total", 10.0), ("CCC", 2010, "internet_users", "total", 50.0)]
    rows += [("BBB", 2011, "internet_users", "total", 99.0)]  # first observed after the year asked for
    row = aggregate(tidy_rows(rows), "internet_users", {2010: set(POP)}, group="G", rule=COVERAGE_ONLY).iloc[0]
    assert row["value"] == pytest.approx((100 * 10 + 600 * 50) / 700)
    assert (row["n_filled"], row["filled_share"]) == (0, 0.0)


def test_filled_counts_are_summed_too():
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in (2019, 2020)]
    rows += [
        ("AAA", 2020, "fixed_broadband_subs", "total", 5.0),
        ("BBB", 2019, "fixed_broadband_subs", "total", 7.0),  # carried into 2020
        ("CCC", 2020, "fixed_broadband_subs", "total", 100.0),
    ]
    row = aggregate(tidy_rows(rows), "fixed_broadband_subs", {2020: set(POP)}, group="G", rule=COVERAGE_ONLY).iloc[0]
    assert row["value"] == 112.0
    assert (row["n_filled"], row["filled_share"], row["coverage"]) == (1, pytest.approx(0.3), pytest.approx(0.7))
