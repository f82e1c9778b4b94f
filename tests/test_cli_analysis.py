"""The analysis subcommands (aggregate, progress, scorecard) through ``indicators.cli.main`` on the committed
snapshot in data/."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from indicators import DATA_DIR
from indicators.cli import AGGREGATE_OUTPUT, EXIT_USAGE, PROGRESS_OUTPUT, main
from indicators.snapshot import has_snapshot
from indicators.targets import load_targets

pytestmark = [
    pytest.mark.snapshot,
    pytest.mark.skipif(not has_snapshot(DATA_DIR), reason=f"no committed snapshot in {DATA_DIR}"),
]


def run_csv(capsys, *argv: str) -> pd.DataFrame:
    assert main([*argv, "--format", "csv"]) == 0
    return pd.read_csv(io.StringIO(capsys.readouterr().out))


def test_aggregate_ldc_internet_users_csv(capsys):
    out = run_csv(capsys, "aggregate", "--indicator", "internet_users", "--group", "LDC", "--years", "2005:2022")
    assert list(out.columns) == list(AGGREGATE_OUTPUT)
    assert list(out["year"]) == list(range(2005, 2023))
    row = out.set_index("year").loc[2015]
    assert row["coverage"] >= 0.7
    assert 0 < row["value"] < 100
    assert row["n_reporting"] <= row["n_members"]


def test_aggregate_keeps_years_failing_the_rule_with_an_empty_value(capsys):
    out = run_csv(
        capsys, "aggregate", "--indicator", "internet_users", "--group", "WLD", "--sex", "female", "--years", "2015"
    )
    assert len(out) == 1 and pd.isna(out.loc[0, "value"]) and out.loc[0, "coverage"] < 0.7


def test_aggregate_custom_group_of_iso3_codes(capsys):
    out = run_csv(capsys, "aggregate", "--indicator", "internet_users", "--group", "npl,BGD", "--years", "2015:2016")
    assert list(out["n_members"]) == [2, 2]


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["--years", "20x5"], "--years 20x5"),
        (["--years", "2020:2010"], "--years 2020:2010"),
        (["--group", "NOPE"], "--group NOPE"),
        (["--group", "NPL,XXX"], "XXX"),
        (["--indicator", "bogus"], "--indicator bogus"),
        (["--sex", "other"], "--sex other"),
    ],
)
def test_aggregate_bad_arguments_exit_2_naming_the_value(capsys, argv, named):
    base = {"--indicator": "internet_users", "--group": "LDC", "--years": "2005:2022"}
    base.update(dict(zip(argv[::2], argv[1::2], strict=True)))
    assert main(["aggregate", *[x for kv in base.items() for x in kv]]) == EXIT_USAGE
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and named in err and "\n" not in err


def test_progress_prints_a_row_per_tracked_target(capsys):
    out = run_csv(capsys, "progress")
    tracked = [t for t in load_targets() if t.tracked and t.indicator]
    assert list(out.columns) == list(PROGRESS_OUTPUT)
    assert list(out["target_id"]) == [t.id for t in tracked]
    assert set(out["verdict"]) <= {"met", "met late", "missed", "on track", "off track", "insufficient data"}


def test_progress_for_a_country_and_bad_codes(capsys):
    out = run_csv(capsys, "progress", "--iso3", "NPL")
    assert set(out["entity"]) == {"NPL"}
    assert main(["progress", "--iso3", "XYZ"]) == EXIT_USAGE
    assert main(["progress", "--group", "NOPE"]) == EXIT_USAGE
    assert "--group NOPE" in capsys.readouterr().err


def test_scorecard_has_paragraph_21s_43_percent(capsys):
    out = run_csv(capsys, "scorecard")
    row = out[(out["paragraph"] == 21) & (out["sex"] == "total")]
    assert len(row) == 1
    assert (row.iloc[0]["indicator"], row.iloc[0]["year"], row.iloc[0]["stated"]) == ("internet_users", 2015, 43.0)
    assert 35 <= row.iloc[0]["ours_same_year"] <= 45


def test_table_format_prints_without_error(capsys):
    assert main(["scorecard", "--group", "LDC"]) == 0
    assert "paragraph" in capsys.readouterr().out
