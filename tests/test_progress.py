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


def logit_fit(years, values) -> tuple[float, float]:
    """Least squares of logit(p) on year, written out (not np.polyfit): slope = cov(x, z) / var(x)."""
    x = np.asarray(years, dtype=float)
    p = np.asarray(values, dtype=float) / 100
    z = np.log(p / (1 - p))
    slope = ((x - x.mean()) * (z - z.mean())).sum() / ((x - x.mean()) ** 2).sum()
    return slope, z.mean() - slope * x.mean()


# ---- verdicts -----------------------------------------------------------------------------------------------------


def test_series_that_already_meets_its_target_is_met_with_the_first_year_satisfied():
    row = run(series(2014, [40, 50, 62, 58, 65]), threshold=60, target_year=2020)
    assert row["verdict"] == "met"
    assert row["met_year"] == 2016  # 62 ≥ 60 first; the dip in 2017 does not move it
    assert row["met_by_deadline"] is True
    assert (row["latest_year"], row["latest_value"], row["distance"]) == (2018, 65.0, 0.0)
    assert row["projected_year"] is None  # nothing left to project
    assert row["reasons"] == (("met_in_time", {"met": 2016, "deadline": 2020}),)
    assert row["reason"] == "first reached in 2016, by the 2020 deadline"


def test_met_after_the_deadline_is_met_late_and_says_when():
    row = run(series(2018, [50, 55, 58, 61, 63]), threshold=60, target_year=2020)
    assert row["verdict"] == "met late"
    assert row["reasons"] == (("met_late", {"met": 2021, "deadline": 2020}),)
    assert (row["met_year"], row["met_by_deadline"]) == (2021, False)
    assert row["reason"] == "met in 2021, after the 2020 deadline"


def test_deadline_past_and_not_reached_is_missed_with_the_logistic_year():
    years, values = list(range(2010, 2017)), [10, 12, 14, 16, 18, 20, 22]
    row = run(series(2010, values), threshold=50, target_year=2015)
    slope, intercept = logit_fit(years, values)
    # 50% is logit 0: the fitted line crosses it at -intercept / slope; the first whole year on or after that
    crossing = -intercept / slope
    expected = max(2017, math.ceil(crossing))
    assert crossing > 2016 and expected < HORIZON  # the hand calculation itself is sane
    assert row["verdict"] == "missed"
    assert row["met_by_deadline"] is False
    assert row["met_year"] is None
    assert row["value_at_deadline"] == 20.0
    assert row["projected_year"] == expected
    assert row["projected_value"] is None  # the deadline is behind the data: nothing to project to it
    assert row["distance"] == pytest.approx(28.0)
    assert row["reason"] == (
        f"deadline 2015 passed unmet: 20 in 2015, latest 22 in 2016; the trend reaches it in {expected}"
    )
    assert row["model"] == "logistic (linear in logit) fit to 7 points, 2010–2016"


def test_future_deadline_reached_by_a_straight_line_is_on_track():
    # per-100 rates are fitted with a straight line: 30 + 5·(year − 2015), exactly
    row = run(series(2015, [30, 35, 40, 45, 50]), threshold=60, target_year=2025, bounded_percent=False)
    assert row["verdict"] == "on track"
    assert row["projected_value"] == pytest.approx(80.0)  # 30 + 5·10
    assert row["projected_year"] == 2021  # 30 + 5·6 = 60
    assert row["met_by_deadline"] is None  # the deadline is still ahead of the data
    # 2025 has passed in the calendar (pinned to 2026 here) but not in the data: the verdict says so
    assert row["reason"] == "no 2025 data yet; the trend gives 80 in 2025; it reaches the target in 2021"


def test_future_deadline_not_reached_by_a_straight_line_is_off_track():
    row = run(series(2015, [30, 35, 40, 45, 50]), threshold=90, target_year=2025, bounded_percent=False)
    assert row["verdict"] == "off track"
    assert row["projected_value"] == pytest.approx(80.0)
    assert row["projected_year"] == 2027  # 30 + 5·12 = 90
    assert row["distance"] == pytest.approx(40.0)


def test_future_deadline_with_the_logistic_projection_matches_numpy():
    years, values = list(range(2015, 2020)), [30, 35, 40, 45, 50]
    slope, intercept = logit_fit(years, values)
    at_2025 = 100 / (1 + math.exp(-(intercept + slope * 2025)))
    row = run(series(2015, values), threshold=60, target_year=2025)
    assert row["projected_value"] == pytest.approx(at_2025)
    assert at_2025 < 80  # the logistic bends below the straight line's 80
    assert row["verdict"] == ("on track" if at_2025 >= 60 else "off track")


def test_declining_series_never_reaches_a_higher_target():
    row = run(series(2015, [50, 48, 46, 44]), threshold=60, target_year=2025, bounded_percent=False)
    assert row["verdict"] == "off track"
    assert row["projected_year"] is None
    assert row["reason"].endswith(f"it does not reach the target by {HORIZON}")


def test_no_deadline_judges_on_reaching_it_by_the_horizon():
    row = run(series(2015, [30, 35, 40, 45, 50]), threshold=60, target_year=None, bounded_percent=False)
    assert (row["verdict"], row["projected_year"], row["met_by_deadline"]) == ("on track", 2021, None)


# ---- too few points -----------------------------------------------------------------------------------------------


def test_too_few_points_is_insufficient_data_naming_the_window():
    row = run(series(2021, [20, 22]), threshold=60, target_year=2025)
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


def test_parity_inside_the_band_is_met():
    row = run(series(2016, [0.95, 0.97, 0.99]), bounded_percent=False, target_year=2025, **PARITY)
    assert (row["verdict"], row["met_year"], row["distance"]) == ("met", 2018, 0.0)


def test_parity_band_edges_count_as_met():
    for edge in (0.98, 1.02):
        assert run(series(2016, [0.9, 0.95, edge]), bounded_percent=False, **PARITY)["verdict"] == "met"


def test_women_behind_closing_the_gap_is_on_track_even_if_the_line_overshoots():
    # 0.90 + 0.02·(year − 2016): in the band from 2020 (0.98); by 2025 the straight line is at 1.08, outside it
    row = run(series(2016, [0.90, 0.92, 0.94, 0.96]), bounded_percent=False, target_year=2025, **PARITY)
    assert row["projected_year"] == 2020
    assert row["projected_value"] == pytest.approx(1.08)
    assert row["verdict"] == "on track"
    assert row["distance"] == pytest.approx(0.02)  # 0.98 − 0.96


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
    row = run(series(2016, [10, 9, 8, 7]), comparator="<=", threshold=5, target_year=2025, bounded_percent=False)
    assert row["verdict"] == "on track"
    assert (row["projected_year"], row["distance"]) == (2021, 2.0)
    assert row["projected_value"] == pytest.approx(1.0)
    met = run(series(2016, [10, 6, 5, 4]), comparator="<=", threshold=5, target_year=2025, bounded_percent=False)
    assert (met["verdict"], met["met_year"], met["met_by_deadline"]) == ("met", 2018, True)
    rising = run(series(2016, [7, 8, 9]), comparator="<=", threshold=5, target_year=2025, bounded_percent=False)
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
    targets = [target(), target(**PARITY_TARGET), target(**UNTRACKED)]
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
    by_country = progress_table(tiny_tidy(), groups, [target(threshold=22)], iso3="AAA").iloc[0]
    assert (by_country["entity"], by_country["latest_value"], by_country["met_year"]) == ("AAA", 20.0, None)
    assert by_country["verdict"] == "on track"  # 10, 12, …, 20: a logistic fit passes 22 by 2020
    by_group = progress_table(tiny_tidy(), groups, [target()], group="WLD").iloc[0]
    assert by_group["latest_value"] == pytest.approx((100 * 20 + 300 * 40 + 100 * 30) / 500)  # 34, all three
    assert bool(by_group["applies"]) is False
