"""No interpolation and no carrying across a recorded series break, and how far a member's break moves its group
(``break_effects``), on hand-made breaks frames (iso3, indicator, sex, year = the first year of the new definition;
sex ``*`` for every sex)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.aggregates import (
    BREAK_EFFECT_COLUMNS,
    MATERIAL_BREAK_EFFECT,
    Rule,
    aggregate,
    all_group_aggregates,
    break_effects,
    fill_gaps,
)
from tests.builders import tidy_rows


def breaks(*rows) -> pd.DataFrame:
    """(iso3, year[, indicator, sex]) rows as a breaks frame: internet_users, every sex by default."""
    full = [(r[0], r[2] if len(r) > 2 else "internet_users", r[3] if len(r) > 3 else "*", r[1]) for r in rows]
    return pd.DataFrame(full, columns=["iso3", "indicator", "sex", "year"])


def wide(values: dict[int, float | None], years=range(2010, 2017), code: str = "A") -> pd.DataFrame:
    return pd.DataFrame({y: [values.get(y)] for y in years}, index=[code], dtype="float64")


def filled(values, brk=None, years=range(2010, 2017), **kw) -> pd.Series:
    kw.setdefault("indicator", "internet_users")
    kw.setdefault("sex", "total")
    return fill_gaps(wide(values, years), max_carry=2, max_gap=4, breaks=brk, **kw).loc["A"]


# ---- fill_gaps --------------------------------------------------------------------------------------------------


def test_no_interpolation_between_observations_on_either_side_of_a_break():
    row = filled({2010: 10.0, 2013: 40.0}, breaks(("A", 2012)))
    assert row[2011] == 10.0  # the old definition's last value, carried up to the break
    assert math.isnan(row[2012])  # new definition, before its first observation: nothing backwards
    assert row[2013] == 40.0
    without = filled({2010: 10.0, 2013: 40.0})
    assert (without[2011], without[2012]) == (20.0, 30.0)  # the same series without the break is interpolated


def test_no_value_is_carried_across_a_break():
    row = filled({2010: 10.0}, breaks(("A", 2011)))
    assert math.isnan(row[2011]) and math.isnan(row[2012])
    assert filled({2010: 10.0})[2011] == 10.0


def test_a_break_in_the_first_year_after_the_gap_leaves_the_gap_to_the_old_definition():
    row = filled({2010: 10.0, 2014: 50.0}, breaks(("A", 2014)))
    assert (row[2011], row[2012]) == (10.0, 10.0)  # carried at most two years
    assert math.isnan(row[2013])
    assert row[2014] == 50.0


def test_interpolation_on_each_side_of_a_break_still_happens():
    row = filled({2010: 10.0, 2012: 30.0, 2013: 100.0, 2015: 120.0}, breaks(("A", 2013)))
    assert row[2011] == pytest.approx(20.0) and row[2014] == pytest.approx(110.0)


def test_breaks_of_other_economies_indicators_or_sexes_are_ignored():
    data = {2010: 10.0, 2012: 30.0}
    for other in (
        breaks(("B", 2011)),
        breaks(("A", 2011, "mobile_ownership")),
        breaks(("A", 2011, "internet_users", "female")),
    ):
        assert filled(data, other)[2011] == pytest.approx(20.0)


def test_a_star_break_applies_to_every_sex_and_a_sexed_break_to_its_own():
    data = {2010: 10.0, 2012: 30.0}
    assert filled(data, breaks(("A", 2012)), sex="female")[2011] == 10.0
    assert filled(data, breaks(("A", 2012, "internet_users", "female")), sex="female")[2011] == 10.0
    assert filled(data, breaks(("A", 2012, "internet_users", "female")), sex="male")[2011] == pytest.approx(20.0)


def test_a_frame_without_indicator_and_sex_is_taken_as_selected():
    brk = pd.DataFrame({"iso3": ["A"], "year": [2012]})
    assert math.isnan(filled({2010: 10.0, 2013: 40.0}, brk, indicator=None, sex=None)[2012])


@settings(max_examples=80, deadline=None)
@given(
    obs=st.dictionaries(st.integers(2000, 2015), st.floats(0, 100), max_size=10),
    brk=st.integers(2001, 2015),
)
def test_each_side_of_a_break_is_filled_as_if_the_other_did_not_exist(obs, brk):
    years = range(2000, 2016)
    got = fill_gaps(wide(obs, years), 2, 4, breaks(("A", brk)), indicator="internet_users", sex="total").loc["A"]
    before = fill_gaps(wide({y: v for y, v in obs.items() if y < brk}, years), 2, 4).loc["A"]
    after = fill_gaps(wide({y: v for y, v in obs.items() if y >= brk}, years), 2, 4).loc["A"]
    for y in years:
        want = before[y] if y < brk else after[y]
        assert (math.isnan(got[y]) and math.isnan(want)) or got[y] == pytest.approx(want), y


# ---- aggregate --------------------------------------------------------------------------------------------------

POP = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0}
YEARS = range(2010, 2016)


def group_rows() -> pd.DataFrame:
    """AAA and CCC report 10 and 50 every year; BBB reports 20 in 2010 and 60 in 2014 (a new definition from 2013)."""
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in YEARS]
    rows += [(c, y, "internet_users", "total", v) for y in YEARS for c, v in (("AAA", 10.0), ("CCC", 50.0))]
    rows += [("BBB", 2010, "internet_users", "total", 20.0), ("BBB", 2014, "internet_users", "total", 60.0)]
    return tidy_rows(rows)


def test_aggregate_does_not_interpolate_a_member_across_its_break():
    members = {y: set(POP) for y in YEARS}
    two = Rule(min_reporting=2)  # AAA and CCC report: the members rule is not what this test is about
    plain = aggregate(group_rows(), "internet_users", members, group="G", rule=two).set_index("year")
    broken = aggregate(group_rows(), "internet_users", members, group="G", rule=two, breaks=breaks(("BBB", 2013)))
    broken = broken.set_index("year")
    assert plain.loc[2012, "value"] == pytest.approx((100 * 10 + 300 * 40 + 600 * 50) / 1000)  # BBB interpolated
    assert broken.loc[2011, "value"] == pytest.approx((100 * 10 + 300 * 20 + 600 * 50) / 1000)  # carried
    assert broken.loc[2013, "value"] == pytest.approx((100 * 10 + 600 * 50) / 700)  # BBB: no value
    assert broken.loc[2013, "n_filled"] == 0
    assert broken.loc[2013, "band_high"] == pytest.approx((100 * 10 + 300 * 50 + 600 * 50) / 1000)


def test_all_group_aggregates_pass_the_breaks_on():
    from indicators.groups import MEMBERSHIP_COLUMNS, Groups

    membership = pd.DataFrame([("G", c, None, None, "test", "test", "") for c in POP], columns=list(MEMBERSHIP_COLUMNS))
    tidy = group_rows()
    tidy = tidy[tidy["year"] >= 2010]
    plain = all_group_aggregates(tidy, Groups(membership), Rule(min_reporting=2))
    broken = all_group_aggregates(tidy, Groups(membership), Rule(min_reporting=2), breaks=breaks(("BBB", 2013)))
    pick = lambda f: f[(f["indicator"] == "internet_users") & (f["year"] == 2013)].iloc[0]  # noqa: E731
    assert pick(plain)["n_filled"] == 1 and pick(broken)["n_filled"] == 0


# ---- break_effects ----------------------------------------------------------------------------------------------


def china_like() -> pd.DataFrame:
    """CCC (60% of the people) steps from 50 to 80 in 2023 with a new definition; AAA and BBB change by 1 a year."""
    years = range(2020, 2025)
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in years]
    rows += [("AAA", y, "internet_users", "total", 10.0 + y - 2020) for y in years]
    rows += [("BBB", y, "internet_users", "total", 20.0 + y - 2020) for y in years]
    rows += [("CCC", y, "internet_users", "total", 50.0 if y < 2023 else 80.0) for y in years]
    return tidy_rows(rows)


def test_break_effect_is_the_members_share_times_its_step():
    members = {y: set(POP) for y in range(2020, 2025)}
    out = break_effects(china_like(), "internet_users", members, breaks(("CCC", 2023)), sex="total")
    assert list(out.columns) == list(BREAK_EFFECT_COLUMNS)
    assert len(out) == 1
    row = out.iloc[0]
    assert (row["year"], row["iso3"]) == (2023, "CCC")
    assert (row["value_before"], row["value_after"], row["step"]) == (50.0, 80.0, 30.0)
    assert row["share"] == pytest.approx(0.6)
    assert row["effect"] == pytest.approx(18.0)
    assert abs(row["effect"]) >= MATERIAL_BREAK_EFFECT
    agg = aggregate(china_like(), "internet_users", members, group="G").set_index("year")["value"]
    # the aggregate's own change in 2023 is the members' +1 a year plus the break's 18 points
    assert agg[2023] - agg[2022] == pytest.approx(0.4 * 1 + 18.0)


def test_break_effect_reads_the_old_value_within_the_old_definition():
    tidy = china_like()
    tidy = tidy[~((tidy["iso3"] == "CCC") & (tidy["year"] == 2022) & (tidy["indicator"] == "internet_users"))]
    members = {y: set(POP) for y in range(2020, 2025)}
    row = break_effects(tidy, "internet_users", members, breaks(("CCC", 2023)), sex="total").iloc[0]
    assert row["value_before"] == 50.0  # 2021's value carried to 2022, not an interpolation towards 80


def test_no_break_effect_without_breaks_for_non_members_or_outside_the_years():
    members = {y: set(POP) for y in range(2020, 2025)}
    tidy = china_like()
    assert break_effects(tidy, "internet_users", members, None, sex="total").empty
    assert break_effects(tidy, "internet_users", members, breaks(("ZZZ", 2023)), sex="total").empty
    assert break_effects(tidy, "internet_users", members, breaks(("CCC", 2030)), sex="total").empty
    assert break_effects(tidy, "internet_users", members, breaks(("CCC", 2023, "mobile_ownership")), sex="total").empty
    only_ab = {y: {"AAA", "BBB"} for y in range(2020, 2025)}
    assert break_effects(tidy, "internet_users", only_ab, breaks(("CCC", 2023)), sex="total").empty


def test_break_effects_are_for_means_only():
    tidy = china_like().replace({"indicator": {"internet_users": "fixed_broadband_subs"}})
    members = {y: set(POP) for y in range(2020, 2025)}
    brk = breaks(("CCC", 2023, "fixed_broadband_subs"))
    assert break_effects(tidy, "fixed_broadband_subs", members, brk, sex="total").empty


def test_a_small_members_break_is_not_material():
    tidy = china_like()
    tidy.loc[(tidy["iso3"] == "AAA") & (tidy["year"] >= 2023) & (tidy["indicator"] == "internet_users"), "value"] += 3
    members = {y: set(POP) for y in range(2020, 2025)}
    row = break_effects(tidy, "internet_users", members, breaks(("AAA", 2023)), sex="total").iloc[0]
    assert row["effect"] == pytest.approx(0.1 * 3.0)  # +1 a year is AAA's own trend: the break is +3, 10% of people
    assert abs(row["effect"]) < MATERIAL_BREAK_EFFECT
    assert np.isfinite(row["share"])
