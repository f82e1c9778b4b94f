"""scorecard on a hand-made tidy frame, membership and seed paragraphs: exact values, and what is skipped."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from indicators.groups import Groups
from indicators.scorecard import SCORECARD_COLUMNS, scorecard
from indicators.targets import SeedParagraph
from tests.builders import tidy_rows, without_members_rule


@pytest.fixture(autouse=True)
def _population_rule_only(monkeypatch):
    """The scorecard's logic on groups of one and two members: the members rule (tests/test_members_rule.py) would
    leave them without any aggregate."""
    without_members_rule(monkeypatch)


POP = {"AAA": 100.0, "BBB": 300.0}


def membership() -> pd.DataFrame:
    rows = [("WLD", "AAA"), ("WLD", "BBB"), ("LDC", "AAA")]
    frame = pd.DataFrame(rows, columns=["group", "iso3"])
    frame["since"], frame["until"], frame["defined_by"], frame["source"], frame["note"] = None, None, "t", "t", ""
    return frame


def tiny_tidy() -> pd.DataFrame:
    years = range(2015, 2019)
    rows = [(c, y, "population", "total", p) for c, p in POP.items() for y in years]
    rows += [(c, y, "population", "female", p / 2) for c, p in POP.items() for y in years]
    rows += [
        ("AAA", 2015, "internet_users", "total", 10.0),
        ("BBB", 2015, "internet_users", "total", 50.0),
        ("AAA", 2018, "internet_users", "total", 20.0),
        ("BBB", 2018, "internet_users", "total", 60.0),
        ("AAA", 2015, "mobile_broadband_per100", "total", 30.0),
        ("BBB", 2015, "mobile_broadband_per100", "total", 70.0),
        ("AAA", 2015, "internet_users", "female", 8.0),  # AAA holds only 25% of the women: below the rule
    ]
    return tidy_rows(rows)


def figure(**kw) -> dict:
    base = {"indicator": "internet_users", "group": "WLD", "sex": "total", "year": 2015, "unit": "percent"}
    return {**base, "qualifier": "stated", **kw}


def seeds() -> dict[int, SeedParagraph]:
    def para(number, *figures):
        return SeedParagraph(number=number, topic={}, summary={}, figures=tuple(figures), targets=())

    return {
        21: para(
            21,
            figure(value=43, qualifier="about"),
            figure(value=41, sex="female"),
            figure(indicator=None, measure="content in ten languages", value=80),  # no indicator: skipped
        ),
        14: para(
            14,
            figure(indicator="mobile_broadband_per100", value=47, unit="per100"),
            figure(indicator="mobile_broadband_per100", value=12, unit="multiple"),  # not comparable: skipped
            figure(value=3.2e9, unit="people", qualifier="projected"),  # a count of people: skipped
            figure(value=None, value_text="most"),  # no number: skipped
        ),
    }


def test_scorecard_exact_values():
    card = scorecard(tiny_tidy(), Groups(membership()), seeds())
    assert list(card.columns) == list(SCORECARD_COLUMNS)
    assert list(zip(card["paragraph"], card["indicator"], card["sex"], strict=True)) == [
        (14, "mobile_broadband_per100", "total"),
        (21, "internet_users", "total"),
        (21, "internet_users", "female"),
    ]
    mob, total, female = (card.iloc[i] for i in range(3))

    assert mob["stated"] == 47.0
    assert mob["ours_same_year"] == pytest.approx((100 * 30 + 300 * 70) / 400)  # 60
    assert mob["difference"] == pytest.approx(60 - 47)
    assert (mob["latest_year"], mob["latest_value"]) == (2015, pytest.approx(60.0))

    assert (total["qualifier"], total["stated"]) == ("about", 43.0)
    assert total["ours_same_year"] == pytest.approx((100 * 10 + 300 * 50) / 400)  # 40
    assert total["ours_coverage"] == pytest.approx(1.0)
    assert total["difference"] == pytest.approx(40 - 43)
    # 2016–2017 are filled (interpolated) by both members: coverage 0, so the latest is 2018
    assert total["latest_year"] == 2018
    assert total["latest_value"] == pytest.approx((100 * 20 + 300 * 60) / 400)  # 50
    assert total["latest_coverage"] == pytest.approx(1.0)


def test_a_year_below_the_coverage_rule_has_no_value_but_says_its_coverage():
    female = scorecard(tiny_tidy(), Groups(membership()), seeds()).iloc[2]
    assert math.isnan(female["ours_same_year"]) and math.isnan(female["difference"])
    assert female["ours_coverage"] == pytest.approx(50 / 200)  # AAA's women out of WLD's
    assert math.isnan(female["latest_value"])


def test_rescoring_for_another_group_keeps_the_stated_value():
    card = scorecard(tiny_tidy(), Groups(membership()), seeds(), group="LDC")
    assert set(card["group"]) == {"LDC"}
    total = card[(card["indicator"] == "internet_users") & (card["sex"] == "total")].iloc[0]
    assert (total["stated"], total["ours_same_year"], total["latest_value"]) == (43.0, 10.0, 20.0)
    female = card[card["sex"] == "female"].iloc[0]
    assert female["ours_same_year"] == pytest.approx(8.0)  # AAA is all of the LDC here


def test_only_non_comparable_figures_gives_an_empty_card():
    only_counts = {14: SeedParagraph(14, {}, {}, (figure(value=7.1e9, unit="count"),), ())}
    card = scorecard(tiny_tidy(), Groups(membership()), only_counts)
    assert card.empty and list(card.columns) == list(SCORECARD_COLUMNS)


# ---- like with like: bounds, derived counts and ITU's own estimate ---------------------------------------------


def derived_seeds() -> dict[int, SeedParagraph]:
    related = {"indicator": None, "related_indicator": "internet_users"}
    figs = (
        figure(**related, measure="Internet users, count", value=2.0e2, unit="people", derive="count"),
        figure(**related, measure="not online, %", value=60.0, qualifier="about", derive="complement"),
        figure(**related, measure="not online, count", value=2.4e2, unit="people", derive="complement_count"),
        figure(value=30.0, qualifier="over"),
        figure(value=45.0, qualifier="over"),
    )
    return {14: SeedParagraph(14, {}, {}, figs, ())}


def test_counts_and_shares_without_are_scored_from_rate_times_population():
    card = scorecard(tiny_tidy(), Groups(membership()), derived_seeds()).set_index("derive")
    # WLD 2015: 40% of 400 people online = 160; 60% offline = 240
    assert card.loc["count", "ours_same_year"] == pytest.approx(160.0)
    assert card.loc["count", "difference"] == pytest.approx(160.0 - 200.0)
    assert card.loc["complement", "ours_same_year"] == pytest.approx(60.0)
    assert card.loc["complement_count", "ours_same_year"] == pytest.approx(240.0)
    assert card.loc["count", "method"] == "internet_users / 100 × the group's population"


def test_an_over_figure_is_a_bound_that_holds_or_not():
    card = scorecard(tiny_tidy(), Groups(membership()), derived_seeds())
    bounds = card[card["comparison"] == ">"].set_index("stated")
    assert bool(bounds.loc[30.0, "holds"]) is True and bool(bounds.loc[45.0, "holds"]) is False  # ours: 40
    assert bounds["difference"].isna().all()  # a bound has no difference to a number


def test_itu_estimate_stands_beside_the_resolution_figure():
    from indicators.published import typed

    published = typed(
        pd.DataFrame(
            {
                "source": ["itu_key_ict"],
                "edition": ["2024-11"],
                "group": ["WLD"],
                "publisher_group": ["World"],
                "year": [2015],
                "indicator": ["internet_users"],
                "sex": ["total"],
                "area": ["total"],
                "value": [39.8],
                "source_code": ["Individuals using the Internet"],
                "vintage": ["2024-11-01"],
            }
        )  # fmt: skip
    )
    card = scorecard(tiny_tidy(), Groups(membership()), seeds(), published=published)
    total = card[(card["indicator"] == "internet_users") & (card["sex"] == "total")].iloc[0]
    assert (total["stated"], total["itu_estimate"], total["ours_same_year"]) == (43.0, 39.8, pytest.approx(40.0))


@pytest.mark.snapshot
def test_the_committed_scorecard_scores_the_count_figures(committed_snapshot):
    from indicators.targets import load_seeds

    snap = committed_snapshot
    card = scorecard(snap.tidy, Groups(snap.membership), load_seeds(), published=snap.publisher_aggregates)
    counts = card[card["derive"].isin(["count", "complement_count"])]
    assert set(counts["paragraph"]) == {14, 55}
    mobile = counts[(counts["indicator"] == "mobile_cellular_per100") & (counts["year"] == 2015)].iloc[0]
    assert mobile["ours_same_year"] == pytest.approx(7.1e9, rel=0.05)  # ¶14: about 7.1 billion subscriptions
    over80 = card[(card["stated"] == 80) & (card["group"] == "DEVELOPED")].iloc[0]
    assert over80["comparison"] == ">" and over80["holds"] in (True, False)
