"""fit_trend / assess / progress_table on hand-made series, each expected value worked out in the test."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from indicators import progress
from indicators.groups import Groups
from indicators.progress import (
    HORIZON,
    Trend,
    assess,
    first_year_satisfied,
    fit_trend,
    progress_table,
    target_series,
)
from indicators.targets import parse_target
from tests.builders import tidy_rows


def series(start: int, values) -> pd.Series:
    return pd.Series([float(v) for v in values], index=range(start, start + len(values)))


@pytest.fixture(autouse=True)
def _this_year(monkeypatch):
    """Verdicts depend on the calendar year (a passed deadline without data yet): pin it."""
    monkeypatch.setattr(progress, "today_year", lambda: 2026)


def run(s: pd.Series, **kw) -> dict:
    args = {
        "target_id": "t",
        "entity": "G",
        "indicator": "internet_users",
        "sex": "total",
        "metric": "value",
        "comparator": ">=",
        "threshold": 60.0,
        "band": None,
        "target_year": 2020,
        "bounded_percent": True,
    }
    args.update(kw)
    return assess(s, **args)


# ---- verdicts: judged on the deadline's own value ----------------------------------------------------------------


def test_met_is_judged_on_the_deadline_value_and_names_the_run_that_reaches_it():
    # 62 in 2016, a dip to 58 in 2017, then ≥ 60 from 2018 through the deadline
    row = run(series(2014, [40, 50, 62, 58, 61, 63, 65, 66]), threshold=60, target_year=2020)
    assert (row["verdict"], row["met_by_deadline"], row["value_at_deadline"]) == ("met", True, 65.0)
    assert row["met_year"] == 2018  # the run of satisfied years that reaches 2020 starts in 2018, not 2016
    assert row["projected_year"] is None and row["distance"] == 0.0
    assert row["reasons"] == (("met_at_deadline", {"value": 65.0, "deadline": 2020, "since": 2018}),)
    assert row["reason"] == "65 in 2020 meets it (reached in 2018)"


def test_reached_early_and_fallen_by_the_deadline_is_not_met():
    row = run(series(2016, [62, 64, 58, 57, 59, 61]), threshold=60, target_year=2020)
    assert (row["verdict"], row["met_year"], row["met_by_deadline"]) == ("met late", 2021, False)
    assert row["reasons"] == (("met_late", {"value_at": 59.0, "deadline": 2020, "met": 2021, "value_met": 61.0}),)
    assert row["reason"] == "59 in 2020 falls short; first met in 2021 (61)"


def test_reached_early_fallen_and_never_back_is_missed():
    row = run(series(2016, [62, 64, 58, 57, 59, 58]), threshold=60, target_year=2020)
    assert (row["verdict"], row["met_year"], row["met_by_deadline"]) == ("missed", None, False)
    assert row["reasons"][0] == (
        "missed",
        {"deadline": 2020, "value_at": 59.0, "latest": 58.0, "latest_year": 2021},
    )


def test_no_value_in_the_deadline_year_gives_no_verdict_whatever_the_years_around_it_say():
    s = pd.Series({2017: 55.0, 2018: 57.0, 2019: 58.0, 2021: 63.0, 2022: 65.0})  # 2020 absent; 2021 meets it
    row = run(s, threshold=60, target_year=2020)
    assert (row["verdict"], row["met_by_deadline"], row["met_year"]) == ("insufficient data", None, None)
    assert row["reasons"] == (
        ("no_deadline_value", {"deadline": 2020}),
        ("nearest_before", {"value": 58.0, "year": 2019}),
        ("nearest_after", {"value": 63.0, "year": 2021}),
    )


def test_a_deadline_passed_in_the_calendar_but_not_in_the_data_is_not_on_track():
    # 2025 target, data to 2024, this year pinned to 2026: the deadline has passed without its value
    row = run(series(2017, [30, 35, 40, 45, 50, 55, 60, 65]), threshold=60, target_year=2025, bounded_percent=False)
    assert row["verdict"] == "insufficient data"
    assert row["reasons"] == (
        ("no_deadline_value", {"deadline": 2025}),
        ("nearest_before", {"value": 65.0, "year": 2024}),
    )


def test_deadline_past_and_not_reached_is_missed_with_the_year_the_trend_reaches_it():
    years, values = list(range(2010, 2017)), [10, 12, 14, 16, 18, 20, 22]
    row = run(series(2010, values), threshold=50, target_year=2015)
    slope, intercept = weighted_logit_fit(years, values)
    crossing = -intercept / slope  # 50% is logit 0
    expected = max(2017, math.ceil(crossing))
    assert crossing > 2016 and expected < HORIZON
    assert (row["verdict"], row["met_by_deadline"], row["value_at_deadline"]) == ("missed", False, 20.0)
    assert row["projected_year"] == expected
    assert row["projected_value"] is None  # the deadline is behind the data: nothing to project to it
    assert row["reason"] == (
        f"deadline 2015 passed unmet: 20 in 2015, latest 22 in 2016; the trend reaches it in {expected}"
    )
    assert row["model"] == "anticipated progress: time-weighted logistic (linear in logit) fit to 7 points, 2010–2016"


# ---- before the deadline: anticipated progress ------------------------------------------------------------------


def weighted_logit_fit(years, values) -> tuple[float, float]:
    """Weighted least squares of logit(p) on year, weights 1, 2, 3, … from the first year, written out."""
    x = np.asarray(years, dtype=float)
    p = np.asarray(values, dtype=float) / 100
    z = np.log(p / (1 - p))
    w = x - x.min() + 1
    mx, mz = (w * x).sum() / w.sum(), (w * z).sum() / w.sum()
    slope = (w * (x - mx) * (z - mz)).sum() / (w * (x - mx) ** 2).sum()
    return slope, mz - slope * mx


def test_on_track_when_the_trend_projected_to_the_deadline_meets_it():
    # per-100 rates: a straight line 30 + 5·(year − 2015), which any weighting fits exactly
    row = run(series(2015, [30, 35, 40, 45, 50]), threshold=60, target_year=2030, bounded_percent=False)
    assert (row["verdict"], row["met_by_deadline"]) == ("on track", None)
    assert row["projected_value"] == pytest.approx(105.0)  # 30 + 5·15
    assert row["projected_year"] == 2021  # 30 + 5·6 = 60
    code, params = row["reasons"][0]
    # the required progress is 60 − 30 from the window's start; the projection makes 105 − 30 of it: 250%
    assert code == "anticipated" and params == {"first": 2015, "last": 2019, "value": pytest.approx(105.0),
                                                  "year": 2030, "ratio": 250}  # fmt: skip


def test_off_track_when_it_does_not_and_says_when_it_would():
    row = run(series(2015, [30, 35, 40, 45, 50]), threshold=120, target_year=2030, bounded_percent=False)
    assert row["verdict"] == "off track"
    assert row["projected_year"] == 2033  # 30 + 5·18 = 120
    assert row["reasons"][0][1]["ratio"] == 83  # (105 − 30) / (120 − 30)
    assert row["reasons"][-1] == ("trend_reaches", {"year": 2033})


def test_the_logistic_projection_is_the_time_weighted_fit():
    years, values = list(range(2015, 2020)), [30, 35, 40, 45, 50]
    slope, intercept = weighted_logit_fit(years, values)
    at_2030 = 100 / (1 + math.exp(-(intercept + slope * 2030)))
    row = run(series(2015, values), threshold=90, target_year=2030)
    assert row["projected_value"] == pytest.approx(at_2030)
    assert row["verdict"] == ("on track" if at_2030 >= 90 else "off track")


def test_already_met_before_the_deadline_is_on_track_not_met():
    row = run(series(2020, [58, 61, 63, 65]), threshold=60, target_year=2030, bounded_percent=False)
    assert (row["verdict"], row["met_by_deadline"]) == ("on track", None)
    assert row["reasons"][0] == ("already_met", {"year": 2023, "value": 65.0, "deadline": 2030})


def test_declining_series_never_reaches_a_higher_target():
    row = run(series(2015, [50, 48, 46, 44]), threshold=60, target_year=2030, bounded_percent=False)
    assert (row["verdict"], row["projected_year"]) == ("off track", None)
    assert row["reason"].endswith(f"the trend does not reach it by {HORIZON}")


def test_no_deadline_judges_on_reaching_it_by_the_horizon():
    row = run(series(2015, [30, 35, 40, 45, 50]), threshold=60, target_year=None, bounded_percent=False)
    assert (row["verdict"], row["projected_year"], row["met_by_deadline"]) == ("on track", 2021, None)


# ---- breaks: never fitted across ------------------------------------------------------------------------------


def test_the_trend_is_fitted_after_the_last_break_only():
    # 20, 22, 24, 26, 28 then a new definition from 2021 adds 30 points: 60, 61, 62
    s = series(2016, [20, 22, 24, 26, 28, 60, 61, 62])
    trend = fit_trend(s, bounded_percent=False, breaks=[2021])
    assert trend.years == (2021, 2022, 2023)
    assert trend.slope == pytest.approx(1.0)
    across = fit_trend(s, bounded_percent=False)
    assert across.years[0] == 2016 and across.slope > 5  # what fitting across the break would have said


def test_a_break_too_recent_to_fit_after_leaves_too_few_points_and_says_so():
    row = run(series(2016, [20, 22, 24, 26, 28, 30, 60, 61]), threshold=90, target_year=2030, breaks=[2022],
              bounded_percent=False)  # fmt: skip
    assert row["verdict"] == "insufficient data"
    assert row["reasons"] == (
        ("fit_after_break", {"year": 2022}),
        ("too_few", {"n": 2, "start": 2022, "end": 2023, "points": 3, "span": 3}),
    )


# ---- too few points -----------------------------------------------------------------------------------------------


def test_too_few_points_is_insufficient_data_naming_the_window():
    row = run(series(2021, [20, 22]), threshold=60, target_year=2030)
    assert row["verdict"] == "insufficient data"
    assert row["reason"] == "only 2 observed value(s) in 2015–2022; a projection needs 3 spanning 3 years"
    assert row["latest_value"] == 22.0  # what we have is still shown


def test_old_points_outside_the_window_do_not_count():
    s = pd.Series({2005: 5.0, 2006: 6.0, 2007: 7.0, 2021: 20.0, 2022: 22.0})
    assert fit_trend(s, bounded_percent=True) == (
        "only 2 observed value(s) in 2015–2022; a projection needs 3 spanning 3 years"
    )


def test_empty_series_is_insufficient_data():
    row = run(pd.Series(dtype=float), entity="XYZ")
    assert (row["verdict"], row["reason"], row["latest_year"]) == ("insufficient data", "no value for XYZ", None)


def test_nan_values_are_not_points():
    s = series(2018, [10, math.nan, math.nan, 16])
    assert isinstance(fit_trend(s, bounded_percent=False), str)


# ---- the logistic model -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [[90, 95, 98, 99.5, 99.9], [60, 75, 88, 97, 100], [1, 5, 25, 60, 90], [0, 0.01, 50, 99.99, 100]],
)
def test_logistic_projection_of_a_percentage_never_exceeds_100(values):
    trend = fit_trend(series(2018, values), bounded_percent=True)
    assert isinstance(trend, Trend) and trend.logit
    projected = [trend.value(y) for y in range(1990, HORIZON + 41)]
    assert all(0 <= v <= 100 for v in projected)
    assert projected == sorted(projected)  # rising series stay rising


def test_steep_logistic_neither_overflows_nor_leaves_0_100():
    trend = Trend(slope=50.0, intercept=-50.0 * 2020, logit=True, years=(2019, 2020, 2021))
    assert trend.value(1900) == pytest.approx(0.0, abs=1e-12)  # logit −6000: e^6000 would overflow
    assert trend.value(2100) == pytest.approx(100.0)
    assert trend.value(2020) == pytest.approx(50.0)


def test_straight_line_for_per100_rates_may_exceed_100():
    trend = fit_trend(series(2018, [90, 100, 110]), bounded_percent=False)
    assert trend.value(2022) == pytest.approx(130.0)


# ---- parity bands and `<=` ----------------------------------------------------------------------------------------

PARITY = {"metric": "parity_score", "comparator": "within", "threshold": 1.0, "band": (0.98, 1.02)}


def test_parity_inside_the_band_at_the_deadline_is_met():
    row = run(series(2016, [0.95, 0.97, 0.99, 0.99, 1.0]), bounded_percent=False, **PARITY)
    assert (row["verdict"], row["met_year"], row["distance"]) == ("met", 2018, 0.0)


def test_parity_band_edges_count_as_met():
    for edge in (0.98, 1.02):
        row = run(series(2018, [0.9, 0.95, edge]), bounded_percent=False, **PARITY)
        assert row["verdict"] == "met"


def test_parity_in_the_band_before_the_deadline_and_out_of_it_at_the_deadline_is_not_met():
    row = run(series(2017, [0.95, 0.99, 0.97, 0.96]), bounded_percent=False, **PARITY)
    assert (row["verdict"], row["met_by_deadline"]) == ("missed", False)


def test_women_behind_closing_the_gap_is_judged_on_the_projection_at_the_deadline():
    # 0.90 + 0.01·(year − 2020): 1.00 in 2030, inside the band
    row = run(series(2020, [0.90, 0.91, 0.92, 0.93]), bounded_percent=False, target_year=2030, **PARITY)
    assert row["projected_value"] == pytest.approx(1.0)
    assert (row["verdict"], row["projected_year"]) == ("on track", 2028)
    assert row["distance"] == pytest.approx(0.05)  # 0.98 − 0.93


def test_a_line_that_overshoots_the_band_by_the_deadline_is_off_track():
    # 0.90 + 0.02·(year − 2020): in the band in 2024, 1.10 by 2030
    row = run(series(2020, [0.90, 0.92, 0.94, 0.96]), bounded_percent=False, target_year=2030, **PARITY)
    assert row["projected_value"] == pytest.approx(1.10)
    assert row["verdict"] == "off track"


def test_men_behind_closing_from_above_is_measured_to_the_upper_edge():
    row = run(series(2016, [1.10, 1.08, 1.06, 1.04]), bounded_percent=False, target_year=2019, **PARITY)
    assert row["distance"] == pytest.approx(0.02)  # 1.04 − 1.02
    assert (row["verdict"], row["met_by_deadline"], row["projected_year"]) == ("missed", False, 2020)


def test_a_trend_that_steps_over_a_narrow_band_between_two_years_counts():
    trend = Trend(slope=0.1, intercept=0.85 - 0.1 * 2020, logit=False, years=(2018, 2019, 2020))
    # 2021: 0.95 (below), 2022: 1.05 (above): never inside at a whole year, but it crossed the band in 2022
    assert first_year_satisfied(trend, 2021, "within", 1.0, (0.98, 1.02)) == 2022


def test_at_most_comparator():
    # a price falling 1 point a year: 10 − (year − 2016); ≤ 5 from 2021
    row = run(series(2016, [10, 9, 8, 7]), comparator="<=", threshold=5, target_year=2030, bounded_percent=False)
    assert row["verdict"] == "on track"
    assert (row["projected_year"], row["distance"]) == (2021, 2.0)
    met = run(series(2016, [10, 6, 5, 4, 4.5]), comparator="<=", threshold=5, target_year=2020, bounded_percent=False)
    assert (met["verdict"], met["met_year"], met["met_by_deadline"]) == ("met", 2018, True)
    rising = run(series(2016, [7, 8, 9]), comparator="<=", threshold=5, target_year=2030, bounded_percent=False)
    assert (rising["verdict"], rising["projected_year"]) == ("off track", None)


# ---- progress_table on a hand-made frame and membership -------------------------------------------------------

POP_TOTAL = {"AAA": 100.0, "BBB": 300.0, "CCC": 100.0}
POP_FEMALE = {"AAA": 40.0, "BBB": 150.0, "CCC": 60.0}  # male is derived: AAA 60, BBB 150, CCC 40
YEARS = range(2014, 2020)


def membership() -> pd.DataFrame:
    rows = [
        ("LDC", "AAA", None, None),
        ("LDC", "BBB", None, "2018-01-01"),  # graduates on 1 January 2018: out from 2018
        ("LDC", "CCC", None, None),
        ("WLD", "AAA", None, None),
        ("WLD", "BBB", None, None),
        ("WLD", "CCC", None, None),
    ]
    frame = pd.DataFrame(rows, columns=["group", "iso3", "since", "until"])
    frame["defined_by"], frame["source"], frame["note"] = "test", "test", ""
    return frame


def tiny_tidy() -> pd.DataFrame:
    rows = [(c, y, "population", "total", p) for c, p in POP_TOTAL.items() for y in YEARS]
    rows += [(c, y, "population", "female", p) for c, p in POP_FEMALE.items() for y in YEARS]
    start = {"AAA": 10.0, "BBB": 30.0, "CCC": 20.0}  # each rises 2 points a year
    rows += [(c, y, "internet_users", "total", v + 2 * (y - 2014)) for c, v in start.items() for y in YEARS]
    # sex-disaggregated values from AAA alone, in 2018
    rows += [("AAA", 2018, "internet_users", "female", 15.0), ("AAA", 2018, "internet_users", "male", 20.0)]
    return tidy_rows(rows)


def target(**kw):
    raw = {
        "id": "ldc_internet",
        "title": {"en": "t", "zh": "t"},
        "framework": "SDG",
        "indicator": "internet_users",
        "group": "LDC",
        "sex": "total",
        "metric": "value",
        "comparator": ">=",
        "threshold": 20,
        "unit": "percent",
        "target_year": 2020,
        "source": {"name": "n", "url": "https://example.org"},
    }
    raw.update(kw)
    return parse_target(raw)


PARITY_TARGET = {
    "id": "ldc_parity",
    "sex": "female",
    "metric": "parity_score",
    "comparator": "within",
    "threshold": 1.0,
    "band": [0.98, 1.02],
    "unit": "ratio",
}
UNTRACKED = {"id": "price", "indicator": None, "measure": "a price", "tracked": False, "untracked_reason": "none"}


def test_target_series_for_a_group_follows_dated_membership():
    got = target_series(tiny_tidy(), Groups(membership()), target(), "LDC")
    # 2014–2017 all three: (100·a + 300·b + 100·c) / 500; from 2018 BBB has graduated and AAA and CCC alone are
    # fewer than the 3 members an aggregate needs: no value (it would read (a + c) / 2 = 23, 25)
    expected = {
        2014: (100 * 10 + 300 * 30 + 100 * 20) / 500,  # 24
        2015: (100 * 12 + 300 * 32 + 100 * 22) / 500,  # 26
        2016: 28.0,
        2017: 30.0,
    }
    assert got.to_dict() == pytest.approx(expected)


def test_progress_table_on_a_tiny_frame():
    targets = [target(target_year=2017), target(**PARITY_TARGET), target(**UNTRACKED)]
    table = progress_table(tiny_tidy(), Groups(membership()), targets)
    assert list(table["target_id"]) == ["ldc_internet", "ldc_parity"]  # the untracked target is left out
    row = table.iloc[0]
    assert (row["entity"], row["latest_year"], row["latest_value"]) == ("LDC", 2017, pytest.approx(30.0))
    assert (row["verdict"], row["met_year"], bool(row["met_by_deadline"])) == ("met", 2014, True)
    assert bool(row["applies"]) is True
    parity_row = table.iloc[1]
    assert parity_row["verdict"] == "insufficient data"
    # 2018: AAA holds 40 of the 100 LDC women (AAA + CCC) and 60 of the 100 men; the lower share binds
    assert parity_row["reason"] == (
        "no year in which reporting members hold ≥70% of LDC's female/male population (best: 40% in 2018)"
    )


def test_progress_table_single_sex_reason_and_no_reporting_member():
    female = target(id="ldc_female", sex="female", threshold=50)
    mobile = target(id="ldc_mobile", indicator="mobile_ownership")
    table = progress_table(tiny_tidy(), Groups(membership()), [female, mobile]).set_index("target_id")
    assert table.loc["ldc_female", "reason"] == (
        "no year in which reporting members hold ≥70% of LDC's female population (best: 40% in 2018)"
    )
    assert table.loc["ldc_mobile", "reason"] == "no member of LDC reports mobile_ownership (total)"


def test_progress_table_benchmarks_a_country_and_another_group():
    groups = Groups(membership())
    by_country = progress_table(tiny_tidy(), groups, [target(threshold=22, target_year=2030)], iso3="AAA").iloc[0]
    assert (by_country["entity"], by_country["latest_value"], by_country["met_year"]) == ("AAA", 20.0, None)
    assert by_country["verdict"] == "on track"  # 10, 12, …, 20: a logistic fit passes 22 by 2030
    by_group = progress_table(tiny_tidy(), groups, [target()], group="WLD").iloc[0]
    assert by_group["latest_value"] == pytest.approx((100 * 20 + 300 * 40 + 100 * 30) / 500)  # 34, all three
    assert bool(by_group["applies"]) is False


def test_in_the_target_but_heading_out_of_it_by_the_deadline_is_off_track_without_a_year_to_reach():
    # a parity score inside the band and rising 0.01 a year: 1.05 by 2030, past the band's top
    row = run(series(2020, [0.99, 1.0, 1.01]), bounded_percent=False, target_year=2030, **PARITY)
    assert row["verdict"] == "off track"
    assert [c for c, _ in row["reasons"]] == ["already_met", "anticipated_keeps"]  # no "required progress" share
