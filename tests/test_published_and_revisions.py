"""The ``published`` and ``revisions`` commands on the committed snapshot, and ``indicators.revisions.revisions`` on a
hand-built tidy frame and earlier vintage, with every point and group change worked out in the test."""

from __future__ import annotations

import contextlib
import io
import re

import pandas as pd
import pytest

from indicators import DATA_DIR
from indicators.aggregates import Rule
from indicators.cli import EXIT_USAGE, main
from indicators.groups import Groups
from indicators.revisions import GROUP_COLUMNS, POINT_COLUMNS, revisions
from indicators.snapshot import has_snapshot
from tests.builders import POPULATION_RULE_ONLY, tidy_rows

#: the revision tests use groups of one and two members: the population rule alone (tests/test_members_rule.py)
TINY = Rule(**POPULATION_RULE_ONLY)

needs_snapshot = pytest.mark.skipif(not has_snapshot(DATA_DIR), reason=f"no committed snapshot in {DATA_DIR}")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- published ----------------------------------------------------------------------------------------------------


@pytest.mark.snapshot
@needs_snapshot
def test_published_ldc_women_csv_has_itus_2024_estimate(capsys):
    code, out, _ = run(
        capsys, "published", "--indicator", "internet_users", "--group", "LDC", "--sex", "female", "--format", "csv"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "publisher,edition,group,year,sex,value"
    assert "itu_key_ict,2024-11,LDC,2024,female,28.7" in lines
    rows = pd.read_csv(io.StringIO(out))
    assert set(rows["group"]) == {"LDC"} and set(rows["sex"]) == {"female"}
    assert "itu_key_ict" in set(rows["publisher"]) and "un_sdg" in set(rows["publisher"])
    itu = rows[rows["publisher"] == "itu_key_ict"].set_index("year")["value"]
    assert itu[2020] == pytest.approx(20.7)  # docs/targets.md §10: LDC women 2020


@pytest.mark.snapshot
@needs_snapshot
def test_published_unknown_indicator_exits_2_with_one_line_naming_it(capsys):
    code, out, err = run(capsys, "published", "--indicator", "bogus_indicator")
    assert code == EXIT_USAGE
    assert out == ""
    assert err.startswith("error: --indicator bogus_indicator: unknown indicator")
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.snapshot
@needs_snapshot
def test_published_unknown_group_exits_2_with_one_line_naming_it(capsys):
    code, out, err = run(capsys, "published", "--indicator", "internet_users", "--group", "NOPE_GROUP")
    assert code == EXIT_USAGE
    assert out == ""
    assert err.startswith("error: --group NOPE_GROUP: unknown group")
    assert err.count("\n") == 1
    assert "LDC" in err and "ITU_AFRICA" in err  # ours and the publishers' group ids are both offered


# ---- revisions CLI ------------------------------------------------------------------------------------------------

HEADLINE = re.compile(
    r"^internet_users: itu_datahub i99H, vintage (?P<new>\S+) against (?P<old>\S+): "
    r"(?P<common>[\d,]+) economy-years in both, (?P<moved>[\d,]+) moved by more than 1$",
    re.M,
)


def _revisions_csv(what: str) -> tuple[str, pd.DataFrame]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["revisions", "--indicator", "internet_users", "--format", "csv", "--what", what])
    assert code == 0
    return err.getvalue(), pd.read_csv(io.StringIO(out.getvalue()))


@pytest.fixture(scope="module")
def revisions_csv():
    """(stderr, points, groups) of ``revisions --indicator internet_users --format csv`` (one table per run)."""
    err, points = _revisions_csv("points")
    _, groups = _revisions_csv("groups")
    assert list(groups.columns) == list(GROUP_COLUMNS)
    return err, points, groups


@pytest.mark.snapshot
@needs_snapshot
def test_revisions_names_the_two_vintages_and_counts_the_moved_points(revisions_csv):
    err, points, _ = revisions_csv
    m = HEADLINE.search(err)
    assert m, err
    assert (m["new"], m["old"]) == ("2026-04-24", "2025-08-01")
    assert list(points.columns) == list(POINT_COLUMNS)
    assert int(m["common"].replace(",", "")) == len(points)
    assert int(m["moved"].replace(",", "")) == int((points["change"].abs() > 1).sum())
    assert 100 < int(m["moved"].replace(",", "")) < len(points) / 2  # SOURCES.md §7: 364 of 4,844 moved by > 0.01
    assert set(points["previous_vintage"]) == {"2025-08-01"} and set(points["vintage"]) == {"2026-04-24"}


@pytest.mark.snapshot
@needs_snapshot
def test_revisions_lists_group_aggregates_that_moved(revisions_csv):
    err, _, groups = revisions_csv
    m = re.search(r"^group aggregates that moved by more than 1: (\d+)$", err, re.M)
    assert m, err
    moved = groups[groups["change"].abs() > 1]  # the CSV holds every group-year; the count is of those that moved
    assert int(m[1]) == len(moved) > 0
    assert list(groups["change"]) == pytest.approx(list(groups["value"] - groups["previous"]))
    assert set(groups["group"]) <= {"WLD", "LDC", "LLDC", "SIDS", "LIC", "LMC", "UMC", "HIC"}
    assert "WLD" in set(groups["group"])
    assert list(groups["change"].abs()) == sorted(groups["change"].abs(), reverse=True)


@pytest.mark.snapshot
@needs_snapshot
def test_revisions_ago_2022_moved_from_42_07_to_35_84(revisions_csv):
    _, points, _ = revisions_csv
    ago = points[(points["iso3"] == "AGO") & (points["year"] == 2022)]
    assert len(ago) == 1
    row = ago.iloc[0]
    assert row["previous"] == pytest.approx(42.07, abs=0.01)  # SOURCES.md §7
    assert row["value"] == pytest.approx(35.84, abs=0.01)
    assert row["change"] == pytest.approx(35.84 - 42.07, abs=0.02)
    zaf = points[(points["iso3"] == "ZAF") & (points["year"] == 2022)].iloc[0]
    assert (zaf["previous"], zaf["value"]) == (pytest.approx(75.46, abs=0.01), pytest.approx(78.29, abs=0.01))


@pytest.mark.snapshot
@needs_snapshot
def test_revisions_of_an_indicator_without_earlier_vintage_says_so(capsys):
    code, out, err = run(capsys, "revisions", "--indicator", "households_internet")
    assert code == 0 and out == ""
    assert "no earlier vintage of households_internet" in err


@pytest.mark.snapshot
@needs_snapshot
def test_revisions_unknown_indicator_exits_2_naming_it(capsys):
    code, _, err = run(capsys, "revisions", "--indicator", "bogus_indicator")
    assert code == EXIT_USAGE
    assert err.startswith("error: --indicator bogus_indicator") and err.count("\n") == 1


# ---- revisions() on hand-built frames ----------------------------------------------------------------------------

ITU = {"source": "itu_datahub", "source_code": "i99H"}
NEW, OLD = "2026-04-24", "2025-08-01"
POP = {"AAA": 100.0, "BBB": 300.0}


def membership(rows: list[tuple[str, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["group", "iso3"])
    frame["since"], frame["until"], frame["defined_by"], frame["source"], frame["note"] = None, None, "t", "t", ""
    return frame


GROUPS = Groups(membership([("WLD", "AAA"), ("WLD", "BBB"), ("LDC", "AAA")]))


def population(pops=POP, years=(2019, 2020, 2021)) -> pd.DataFrame:
    return tidy_rows([(c, y, "population", "total", p) for c, p in pops.items() for y in years])


def internet(rows, vintage: str) -> pd.DataFrame:
    return tidy_rows([(c, y, "internet_users", "total", v) for c, y, v in rows], vintage=vintage, **ITU)


@pytest.fixture(scope="module")
def revision():
    """Newer: AAA 20, 30 and BBB 40, 50 (2020, 2021). Earlier: AAA 18, 30; BBB 40, 45, and BBB 2019 (earlier only)."""
    new = internet([("AAA", 2020, 20.0), ("AAA", 2021, 30.0), ("BBB", 2020, 40.0), ("BBB", 2021, 50.0)], NEW)
    old = internet(
        [("AAA", 2020, 18.0), ("AAA", 2021, 30.0), ("BBB", 2019, 35.0), ("BBB", 2020, 40.0), ("BBB", 2021, 45.0)], OLD
    )
    tidy = pd.concat([population(), new], ignore_index=True)
    found = revisions(tidy, old, "internet_users", GROUPS, group_ids=("WLD", "LDC", "NOT_A_GROUP"), rule=TINY)
    assert len(found) == 1
    return found[0]


def test_revision_names_source_code_and_both_vintages(revision):
    assert (revision.indicator, revision.source, revision.source_code) == ("internet_users", "itu_datahub", "i99H")
    assert (revision.previous_vintage, revision.vintage) == (OLD, NEW)


def test_points_are_the_economy_years_both_vintages_hold_largest_change_first(revision):
    p = revision.points
    assert list(p.columns) == list(POINT_COLUMNS)
    assert revision.n_common == 4  # BBB 2019 is only in the earlier vintage
    assert list(zip(p["iso3"], p["year"], strict=True)) == [("BBB", 2021), ("AAA", 2020), ("AAA", 2021), ("BBB", 2020)]
    assert list(p["change"]) == pytest.approx([5.0, 2.0, 0.0, 0.0])
    assert list(p["previous"]) == pytest.approx([45.0, 18.0, 30.0, 40.0])
    assert revision.n_moved == 2
    assert list(revision.largest(1)["iso3"]) == ["BBB"]


def test_group_aggregates_are_recomputed_with_the_earlier_vintage(revision):
    g = revision.groups.set_index(["group", "year"])
    assert list(revision.groups.columns) == list(GROUP_COLUMNS)
    # WLD 2020: (100·20 + 300·40) / 400 = 35 now, (100·18 + 300·40) / 400 = 34.5 then
    assert g.loc[("WLD", 2020), "value"] == pytest.approx(35.0)
    assert g.loc[("WLD", 2020), "previous"] == pytest.approx(34.5)
    assert g.loc[("WLD", 2020), "change"] == pytest.approx(0.5)
    # WLD 2021: (100·30 + 300·50) / 400 = 45 now, (100·30 + 300·45) / 400 = 41.25 then
    assert g.loc[("WLD", 2021), "change"] == pytest.approx(3.75)
    # LDC is AAA alone: 20 − 18 and 30 − 30
    assert g.loc[("LDC", 2020), "change"] == pytest.approx(2.0)
    assert g.loc[("LDC", 2021), "change"] == pytest.approx(0.0)
    # 2019: only the earlier computation has a value (BBB 2019, 75% coverage): not a comparison
    assert 2019 not in set(revision.groups["year"])
    assert set(revision.groups["group"]) == {"WLD", "LDC"}  # an id Groups does not know is skipped
    moved = revision.groups_moved()
    assert list(zip(moved["group"], moved["year"], strict=True)) == [("WLD", 2021), ("LDC", 2020)]


def test_no_earlier_vintage_gives_no_revision():
    tidy = pd.concat([population(), internet([("AAA", 2020, 1.0)], NEW)], ignore_index=True)
    assert revisions(tidy, None, "internet_users", GROUPS) == []
    assert revisions(tidy, tidy.iloc[0:0], "internet_users", GROUPS) == []
    other = internet([("AAA", 2020, 1.0)], OLD).assign(indicator="households_internet", source_code="xHH6_IDI")
    assert revisions(tidy, other, "internet_users", GROUPS) == []


def test_without_groups_only_points_are_compared():
    tidy = pd.concat([population(), internet([("AAA", 2020, 20.0)], NEW)], ignore_index=True)
    (rev,) = revisions(tidy, internet([("AAA", 2020, 25.0)], OLD), "internet_users")
    assert rev.points["change"].tolist() == pytest.approx([-5.0])
    assert rev.groups.empty and list(rev.groups.columns) == list(GROUP_COLUMNS)


def test_economy_only_in_the_earlier_download_stays_in_the_earlier_aggregate():
    # BBB is only in the earlier download: combine_series keeps its rows (of vintage OLD) in the tidy frame, and
    # none in previous_vintages. The earlier computation must still include BBB, with the same value as now.
    pops = {"AAA": 500.0, "BBB": 500.0}
    tidy = pd.concat(
        [population(pops), internet([("AAA", 2020, 30.0)], NEW), internet([("BBB", 2020, 50.0)], OLD)],
        ignore_index=True,
    )
    previous = internet([("AAA", 2020, 20.0)], OLD)
    (rev,) = revisions(tidy, previous, "internet_users", GROUPS, group_ids=("WLD",), rule=TINY)
    assert rev.n_common == 1 and rev.points["change"].tolist() == pytest.approx([10.0])
    g = rev.groups.set_index(["group", "year"])
    assert ("WLD", 2020) in g.index, "no earlier WLD aggregate: BBB was dropped, leaving 50% coverage"
    assert g.loc[("WLD", 2020), "previous"] == pytest.approx((20 + 50) / 2)
    assert g.loc[("WLD", 2020), "value"] == pytest.approx((30 + 50) / 2)
    assert g.loc[("WLD", 2020), "change"] == pytest.approx(5.0)
