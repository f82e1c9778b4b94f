import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.aggregates import Rule, aggregate, fill_gaps, population_weights
from indicators.gender import parity, parity_status
from tests.builders import tidy_rows
from tests.support.examples import examples

POP = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0}

#: the population rule alone: these tests are about weights and gap filling, not the members rule (whose own tests
#: are in tests/test_members_rule.py)
COVERAGE_ONLY = Rule(min_members_reporting=0.0, min_reporting=1)


def pop_rows(years, pops=POP, sex="total"):
    return [(c, y, "population", sex, p) for c, p in pops.items() for y in years]


def frame(rows):
    return tidy_rows(rows)


def test_population_weighted_mean_by_hand():
    rows = pop_rows([2015]) + [
        ("AAA", 2015, "internet_users", "total", 10.0),
        ("BBB", 2015, "internet_users", "total", 20.0),
        ("CCC", 2015, "internet_users", "total", 30.0),
    ]
    out = aggregate(frame(rows), "internet_users", {2015: POP.keys()}, group="G")
    row = out.iloc[0]
    assert row["value"] == pytest.approx((100 * 10 + 300 * 20 + 600 * 30) / 1000)  # 25.0
    assert (row["n_members"], row["n_reporting"], row["n_filled"], row["coverage"]) == (3, 3, 0, 1.0)
    assert "population-weighted mean" in row["method"]


def test_coverage_exactly_at_threshold_passes_and_just_below_is_absent():
    pops = {"AAA": 70.0, "BBB": 30.0}
    rows = pop_rows([2014, 2015], pops) + [
        ("AAA", 2015, "internet_users", "total", 10.0),
        ("BBB", 2014, "internet_users", "total", 50.0),  # carried into 2015: filled, not reporting
    ]
    out = aggregate(frame(rows), "internet_users", {2015: pops.keys()}, group="G", rule=COVERAGE_ONLY)
    assert out.iloc[0]["coverage"] == pytest.approx(0.70)
    assert out.iloc[0]["value"] == pytest.approx(0.7 * 10 + 0.3 * 50)
    assert out.iloc[0]["n_filled"] == 1
    assert "estimates" in out.iloc[0]["method"]

    pops = {"AAA": 69.0, "BBB": 31.0}
    rows = pop_rows([2014, 2015], pops) + rows[-2:]
    assert aggregate(frame(rows), "internet_users", {2015: pops.keys()}, group="G", rule=COVERAGE_ONLY).empty
    kept = aggregate(
        frame(rows), "internet_users", {2015: pops.keys()}, group="G", rule=COVERAGE_ONLY, keep_below_rule=True
    )
    assert math.isnan(kept.iloc[0]["value"]) and kept.iloc[0]["coverage"] == pytest.approx(0.69)


def test_gap_filling_interpolates_inside_and_carries_at_most_n_years():
    wide = pd.DataFrame(
        {2010: [10.0], 2011: [None], 2012: [30.0], 2013: [None], 2014: [None], 2015: [None]}, index=["A"]
    )
    filled = fill_gaps(wide, max_carry=2)
    assert filled.loc["A", 2011] == pytest.approx(20.0)
    assert filled.loc["A", 2014] == pytest.approx(30.0)
    assert math.isnan(filled.loc["A", 2015])
    before = pd.DataFrame({2010: [None], 2011: [5.0]}, index=["A"])
    assert math.isnan(fill_gaps(before, 3).loc["A", 2010])  # never extrapolated backwards


def test_members_last_year_in_group_is_respected():
    rows = pop_rows([2015, 2016]) + [
        (c, y, "internet_users", "total", v) for y in (2015, 2016) for c, v in (("AAA", 10.0), ("BBB", 20.0))
    ]
    members = {2015: {"AAA", "BBB"}, 2016: {"AAA"}}  # BBB left (graduated) after 2015
    out = aggregate(frame(rows), "internet_users", members, group="G", rule=COVERAGE_ONLY).set_index("year")
    assert out.loc[2015, "value"] == pytest.approx((100 * 10 + 300 * 20) / 400)
    assert out.loc[2016, "value"] == pytest.approx(10.0)
    assert out.loc[2016, "n_members"] == 1


def test_group_with_no_reporting_member_is_absent_and_said_with_keep():
    rows = pop_rows([2015])
    assert aggregate(frame(rows), "internet_users", {2015: POP.keys()}, group="G").empty
    kept = aggregate(frame(rows), "internet_users", {2015: POP.keys()}, group="G", keep_below_rule=True)
    assert kept.iloc[0]["n_reporting"] == 0 and kept.iloc[0]["coverage"] == 0


def test_counts_are_summed():
    rows = pop_rows([2020]) + [
        ("AAA", 2020, "fixed_broadband_subs", "total", 5.0),
        ("BBB", 2020, "fixed_broadband_subs", "total", 7.0),
        ("CCC", 2020, "fixed_broadband_subs", "total", 100.0),
    ]
    out = aggregate(frame(rows), "fixed_broadband_subs", {2020: POP.keys()}, group="G")
    assert out.iloc[0]["value"] == 112.0
    assert out.iloc[0]["method"].startswith("sum")


def test_years_past_last_population_carry_it_forward_flagged():
    rows = pop_rows([2022]) + [(c, 2024, "internet_users", "total", 40.0) for c in POP]
    out = aggregate(frame(rows), "internet_users", {2024: POP.keys()}, group="G")
    assert out.iloc[0]["value"] == pytest.approx(40.0)
    assert bool(out.iloc[0]["population_carried"]) is True


def test_female_population_derived_from_last_share_and_male_as_remainder():
    rows = pop_rows([2015, 2020], {"AAA": 1000.0}) + [("AAA", 2015, "population", "female", 400.0)]
    w_f, _ = population_weights(frame(rows), "female", [2015, 2020])
    w_m, _ = population_weights(frame(rows), "male", [2015, 2020])
    assert w_f.loc["AAA", 2020] == pytest.approx(400.0)  # 40% share carried to 2020
    assert w_m.loc["AAA", 2015] == pytest.approx(600.0)


def test_female_rates_weighted_by_female_population():
    rows = [
        ("AAA", 2019, "population", "total", 100.0),
        ("BBB", 2019, "population", "total", 100.0),
        ("AAA", 2019, "population", "female", 20.0),
        ("BBB", 2019, "population", "female", 80.0),
        ("AAA", 2019, "internet_users", "female", 10.0),
        ("BBB", 2019, "internet_users", "female", 60.0),
    ]
    out = aggregate(frame(rows), "internet_users", {2019: {"AAA", "BBB"}}, group="G", rule=COVERAGE_ONLY, sex="female")
    assert out.iloc[0]["value"] == pytest.approx((20 * 10 + 80 * 60) / 100)


values = st.lists(st.floats(min_value=0, max_value=100, allow_nan=False), min_size=1, max_size=6)


@settings(max_examples=examples(60), deadline=None)
@given(vals=values, pops=st.lists(st.floats(min_value=1, max_value=1e9), min_size=6, max_size=6))
def test_aggregate_lies_between_member_min_and_max_and_ignores_non_members(vals, pops):
    codes = [f"X{chr(65 + i)}{chr(65 + i)}" for i in range(len(vals))]
    rows = [(c, 2020, "population", "total", p) for c, p in zip(codes, pops, strict=False)]
    rows += [(c, 2020, "internet_users", "total", v) for c, v in zip(codes, vals, strict=True)]
    base = aggregate(frame(rows), "internet_users", {2020: codes}, group="G", rule=COVERAGE_ONLY)
    value = base.iloc[0]["value"]
    assert min(vals) - 1e-9 <= value <= max(vals) + 1e-9
    outsider = rows + [("ZZZ", 2020, "population", "total", 1e9), ("ZZZ", 2020, "internet_users", "total", 99.0)]
    assert (
        aggregate(frame(outsider), "internet_users", {2020: codes}, group="G", rule=COVERAGE_ONLY).iloc[0]["value"]
        == value
    )


@settings(max_examples=examples(30), deadline=None)
@given(
    c=st.floats(min_value=0, max_value=100),
    pops=st.lists(st.floats(min_value=1, max_value=1e9), min_size=2, max_size=5),
)
def test_weights_sum_to_one_so_a_constant_series_aggregates_to_itself(c, pops):
    codes = [f"Y{chr(65 + i)}{chr(65 + i)}" for i in range(len(pops))]
    rows = [(k, 2020, "population", "total", p) for k, p in zip(codes, pops, strict=True)]
    rows += [(k, 2020, "internet_users", "total", c) for k in codes]
    assert aggregate(frame(rows), "internet_users", {2020: codes}, group="G", rule=COVERAGE_ONLY).iloc[0][
        "value"
    ] == pytest.approx(c)


def test_parity_score_gap_and_band():
    rows = frame(
        [
            ("AAA", 2019, "internet_users", "female", 48.0),
            ("AAA", 2019, "internet_users", "male", 58.0),
            ("BBB", 2019, "internet_users", "female", 50.0),
            ("BBB", 2019, "internet_users", "male", 50.5),
            ("CCC", 2019, "internet_users", "female", 30.0),  # no male value: no score
        ]
    )
    out = parity(rows).set_index("entity")
    assert out.loc["AAA", "parity_score"] == pytest.approx(48 / 58)
    assert out.loc["AAA", "gap_points"] == pytest.approx(10.0)
    assert out.loc["AAA", "gap_percent"] == pytest.approx(100 * 10 / 58)
    assert out.loc["AAA", "status"] == "women behind"
    assert out.loc["BBB", "status"] == "parity"
    assert "CCC" not in out.index


@pytest.mark.parametrize(
    ("score", "status"), [(0.98, "parity"), (1.02, "parity"), (0.9799, "women behind"), (1.0201, "men behind")]
)
def test_parity_band_edges(score, status):
    assert parity_status(score) == status


def test_parity_works_on_aggregates_too():
    agg = pd.DataFrame(
        {
            "group": ["WLD", "WLD"],
            "year": [2023, 2023],
            "indicator": ["internet_users"] * 2,
            "sex": ["female", "male"],
            "value": [65.0, 70.0],
        }
    )
    out = parity(agg, entity_col="group")
    assert out.iloc[0]["parity_score"] == pytest.approx(65 / 70)
