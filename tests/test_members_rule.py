"""The members rule (at least half of a group's members, and at least 3, reporting) and the missing-data band
(``band_low``/``band_high``) of means, sums and medians, on hand-built groups with every number worked out here."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.aggregates import AGG_COLUMNS, DEFAULT_RULE, Rule, aggregate, describe_method, failed_rules
from tests.builders import tidy_rows

PRICE = "fixed_broadband_price_gni"


def group(pops: dict[str, float], values: dict[str, float], indicator: str = "internet_users", year: int = 2020):
    rows = [(c, year, "population", "total", p) for c, p in pops.items()]
    rows += [(c, year, indicator, "total", v) for c, v in values.items()]
    return tidy_rows(rows)


def one(pops, values, indicator="internet_users", **kw):
    out = aggregate(group(pops, values, indicator), indicator, {2020: set(pops)}, group="G", keep_below_rule=True, **kw)
    assert len(out) == 1
    return out.iloc[0]


# ---- the members rule ------------------------------------------------------------------------------------------


def test_default_rule_needs_half_the_members_and_at_least_three():
    assert (DEFAULT_RULE.min_members_reporting, DEFAULT_RULE.min_reporting) == (0.50, 3)
    for kind in ("mean", "sum", "median"):
        text = describe_method(kind)
        assert "≥50% of members" in text and "at least 3 members reporting" in text
    assert "≥70% of population" in describe_method("mean")


def test_exactly_half_of_the_members_reporting_passes():
    pops = {"AAA": 300.0, "BBB": 300.0, "CCC": 300.0, "DDD": 50.0, "EEE": 30.0, "FFF": 20.0}
    row = one(pops, {"AAA": 10.0, "BBB": 20.0, "CCC": 30.0})  # 3 of 6, 90% of the people
    assert (row["n_reporting"], row["n_members"]) == (3, 6)
    assert row["value"] == pytest.approx(20.0)
    assert failed_rules(row) == []


def test_fewer_than_half_of_the_members_fails_though_the_population_rule_holds():
    pops = {"AAA": 300.0, "BBB": 300.0, "CCC": 300.0, "DDD": 50.0, "EEE": 30.0, "FFF": 10.0, "GGG": 10.0}
    row = one(pops, {"AAA": 10.0, "BBB": 20.0, "CCC": 30.0})  # 3 of 7, 90% of the people
    assert row["coverage"] == pytest.approx(0.9)
    assert math.isnan(row["value"]) and math.isnan(row["band_low"]) and math.isnan(row["band_high"])
    assert (row["n_reporting"], row["n_members"]) == (3, 7)
    assert failed_rules(row) == ["members_share"]
    assert aggregate(group(pops, {"AAA": 10.0, "BBB": 20.0, "CCC": 30.0}), "internet_users", {2020: set(pops)},
                     group="G").empty  # fmt: skip


def test_a_group_of_two_never_has_an_aggregate():
    row = one({"AAA": 100.0, "BBB": 100.0}, {"AAA": 10.0, "BBB": 20.0})  # both report: 100% of members and people
    assert math.isnan(row["value"])
    assert failed_rules(row) == ["min_reporting"]


def test_two_of_four_reporting_is_half_but_fewer_than_three():
    row = one({"AAA": 400.0, "BBB": 400.0, "CCC": 100.0, "DDD": 100.0}, {"AAA": 10.0, "BBB": 20.0})
    assert row["coverage"] == pytest.approx(0.8)
    assert math.isnan(row["value"])
    assert failed_rules(row) == ["min_reporting"]


def test_one_populous_member_alone_does_not_speak_for_the_group():
    # South Asia 2025: India alone (1 of 8 members) holds ~75% of the people
    pops = {"IND": 1450.0, "PAK": 250.0, "BGD": 170.0, "AFG": 40.0, "NPL": 30.0, "LKA": 22.0, "BTN": 1.0, "MDV": 0.5}
    row = one(pops, {"IND": 70.0})
    assert row["coverage"] > DEFAULT_RULE.min_coverage
    assert math.isnan(row["value"])
    assert (row["n_reporting"], row["n_members"]) == (1, 8)  # what a page says: "only 1 of 8 members report"
    assert failed_rules(row) == ["members_share", "min_reporting"]


def test_filled_members_do_not_count_as_reporting():
    pops = {"AAA": 400.0, "BBB": 400.0, "CCC": 100.0, "DDD": 100.0}
    rows = [(c, y, "population", "total", p) for c, p in pops.items() for y in (2019, 2020)]
    rows += [("AAA", 2020, "internet_users", "total", 10.0), ("BBB", 2020, "internet_users", "total", 20.0)]
    rows += [("CCC", 2019, "internet_users", "total", 30.0), ("DDD", 2019, "internet_users", "total", 40.0)]
    out = aggregate(tidy_rows(rows), "internet_users", {2020: set(pops)}, group="G", keep_below_rule=True)
    row = out.iloc[0]
    assert (row["n_reporting"], row["n_filled"]) == (2, 2)  # every member has a value, only two report
    assert math.isnan(row["value"])
    assert failed_rules(row) == ["min_reporting"]


def test_the_population_rule_still_applies_with_enough_members():
    pops = {"AAA": 10.0, "BBB": 10.0, "CCC": 10.0, "DDD": 970.0}
    row = one(pops, {"AAA": 10.0, "BBB": 20.0, "CCC": 30.0})  # 3 of 4 members, 3% of the people
    assert math.isnan(row["value"])
    assert failed_rules(row) == ["coverage"]


def test_sums_follow_the_members_rule_too():
    pops = {"AAA": 400.0, "BBB": 400.0, "CCC": 100.0, "DDD": 100.0}
    row = one(pops, {"AAA": 5.0, "BBB": 7.0}, "fixed_broadband_subs")
    assert math.isnan(row["value"]) and failed_rules(row) == ["min_reporting"]


def test_the_rule_is_a_parameter():
    row = one({"AAA": 100.0, "BBB": 100.0}, {"AAA": 10.0, "BBB": 20.0}, rule=Rule(min_reporting=2))
    assert row["value"] == pytest.approx(15.0)


@pytest.mark.parametrize(
    ("n_members", "n_reporting", "passes"),
    [(6, 3, True), (4, 2, False), (5, 2, False), (7, 3, False), (3, 3, True), (2, 2, False), (10, 5, True)],
)
def test_medians_need_half_the_members_and_at_least_three(n_members, n_reporting, passes):
    codes = [f"M{chr(65 + i)}{chr(65 + i)}" for i in range(n_members)]
    values = {c: float(i + 1) for i, c in enumerate(codes[:n_reporting])}
    row = one(dict.fromkeys(codes, 100.0), values, PRICE)
    assert (row["n_reporting"], row["n_members"]) == (n_reporting, n_members)
    assert (not math.isnan(row["value"])) is passes
    assert (failed_rules(row, kind="median") == []) is passes


# ---- the missing-data band -------------------------------------------------------------------------------------


def test_band_is_in_the_aggregate_columns():
    assert {"band_low", "band_high"} <= set(AGG_COLUMNS)


def test_mean_band_puts_the_members_without_a_value_at_the_lowest_then_highest_value():
    pops = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0, "DDD": 400.0}
    row = one(pops, {"AAA": 10.0, "BBB": 20.0, "CCC": 30.0})  # DDD has no value; coverage 1000 / 1400
    assert row["value"] == pytest.approx(25.0)
    assert row["band_low"] == pytest.approx((100 * 10 + 300 * 20 + 600 * 30 + 400 * 10) / 1400)  # 20.71
    assert row["band_high"] == pytest.approx((100 * 10 + 300 * 20 + 600 * 30 + 400 * 30) / 1400)  # 26.43


def test_band_weighs_female_rates_by_female_population():
    rows = [(c, 2020, "population", "total", 1000.0) for c in ("AAA", "BBB", "CCC", "DDD")]
    rows += [(c, 2020, "population", "female", p) for c, p in (("AAA", 100.0), ("BBB", 300.0), ("CCC", 600.0))]
    rows += [("DDD", 2020, "population", "female", 400.0)]
    rows += [(c, 2020, "internet_users", "female", v) for c, v in (("AAA", 10.0), ("BBB", 20.0), ("CCC", 30.0))]
    out = aggregate(tidy_rows(rows), "internet_users", {2020: {"AAA", "BBB", "CCC", "DDD"}}, group="G", sex="female")
    assert out.iloc[0]["band_low"] == pytest.approx((25_000 + 4_000) / 1400)
    assert out.iloc[0]["band_high"] == pytest.approx((25_000 + 12_000) / 1400)


def test_band_closes_when_every_member_has_a_value_observed_or_filled():
    pops = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0, "DDD": 100.0}
    rows = [(c, y, "population", "total", p) for c, p in pops.items() for y in (2019, 2020)]
    rows += [(c, 2020, "internet_users", "total", v) for c, v in (("AAA", 10.0), ("BBB", 20.0), ("CCC", 30.0))]
    rows += [("DDD", 2019, "internet_users", "total", 90.0)]  # carried into 2020: a value, not missing
    row = aggregate(tidy_rows(rows), "internet_users", {2020: set(pops)}, group="G").iloc[0]
    assert row["n_filled"] == 1
    assert row["band_low"] == pytest.approx(row["value"]) and row["band_high"] == pytest.approx(row["value"])


def test_sum_band_runs_from_the_sum_to_the_members_without_a_value_at_the_highest_rate_per_person():
    pops = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0, "DDD": 400.0}
    row = one(pops, {"AAA": 50.0, "BBB": 60.0, "CCC": 300.0}, "fixed_broadband_subs")  # 0.5, 0.2, 0.5 a person
    assert row["value"] == pytest.approx(410.0)  # DDD counted as none
    assert row["band_low"] == pytest.approx(410.0)
    assert row["band_high"] == pytest.approx(410.0 + 0.5 * 400)


@pytest.mark.parametrize(
    ("values", "n_members", "median", "low", "high"),
    [
        ((1.0, 2.0, 3.0), 5, 2.0, 1.0, 3.0),  # [1,2,3,1,1] → 1; [1,2,3,3,3] → 3
        ((1.0, 2.0, 3.0, 4.0), 6, 2.5, 1.5, 3.5),  # [1,1,1,2,3,4] → 1.5; [1,2,3,4,4,4] → 3.5
        ((1.0, 2.0, 9.0), 3, 2.0, 2.0, 2.0),  # everyone reports: the band is the median
    ],
)
def test_median_band_puts_the_members_not_reporting_at_the_lowest_then_highest_price(
    values, n_members, median, low, high
):
    codes = [f"P{chr(65 + i)}{chr(65 + i)}" for i in range(n_members)]
    row = one(dict.fromkeys(codes, 100.0), dict(zip(codes, values, strict=False)), PRICE)
    assert (row["value"], row["band_low"], row["band_high"]) == pytest.approx((median, low, high))


def test_a_year_without_a_value_has_no_band():
    row = one({"AAA": 100.0, "BBB": 100.0, "CCC": 100.0}, {"AAA": 10.0})
    assert math.isnan(row["value"]) and math.isnan(row["band_low"]) and math.isnan(row["band_high"])


@settings(max_examples=60, deadline=None)
@given(
    vals=st.lists(st.one_of(st.none(), st.floats(min_value=0, max_value=100)), min_size=3, max_size=8),
    pops=st.lists(st.floats(min_value=1, max_value=1e9), min_size=8, max_size=8),
    indicator=st.sampled_from(["internet_users", "fixed_broadband_subs", PRICE]),
)
def test_the_value_lies_inside_its_band(vals, pops, indicator):
    codes = [f"Z{chr(65 + i)}{chr(65 + i)}" for i in range(len(vals))]
    values = {c: v for c, v in zip(codes, vals, strict=True) if v is not None}
    loose = Rule(min_coverage=0.0, min_members_reporting=0.0, min_reporting=1)
    row = one(dict(zip(codes, pops, strict=False)), values, indicator, rule=loose)
    if not values:
        assert math.isnan(row["value"])
        return
    tol = 1e-9 * max(1.0, abs(row["value"]))
    assert row["band_low"] - tol <= row["value"] <= row["band_high"] + tol
    if len(values) == len(codes):
        assert row["band_low"] == pytest.approx(row["value"]) and row["band_high"] == pytest.approx(row["value"])
