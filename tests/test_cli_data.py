"""``python -m indicators`` data commands (members, tidy, check) on the committed data/ snapshot.

Most tests call ``indicators.cli.main(argv)`` in-process and read stdout/stderr with capsys; one runs the real
``python -m indicators`` in a subprocess to show a failure prints one line and no traceback.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from indicators import DATA_DIR
from indicators.cli import main
from indicators.schema import TIDY_COLUMNS
from indicators.snapshot import read_snapshot
from tests.conftest import PROJECT_DIR


@pytest.fixture(scope="module")
def committed():
    return read_snapshot(DATA_DIR)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# ---------------------------------------------------------------------------------------------------- members


def test_members_ldc_2015_prints_48_codes(capsys):
    code, out, _ = run(capsys, "members", "--group", "LDC", "--year", "2015")
    assert code == 0
    assert len(out.splitlines()) == 48


def test_members_prints_one_sorted_iso3_code_a_line(capsys):
    _, out, _ = run(capsys, "members", "--group", "LDC", "--year", "2015")
    lines = out.splitlines()
    assert lines == sorted(lines)
    assert all(len(c) == 3 and c.isalpha() and c.isupper() for c in lines)
    assert {"NPL", "AFG", "BTN"} <= set(lines)


def test_members_follows_ldc_graduations(capsys):
    _, out_2015, _ = run(capsys, "members", "--group", "LDC", "--year", "2015")
    _, out_2025, _ = run(capsys, "members", "--group", "LDC", "--year", "2025")
    assert len(out_2025.splitlines()) == 44
    assert "BTN" in out_2015.splitlines()
    assert "BTN" not in out_2025.splitlines()  # Bhutan graduated in December 2023


def test_members_unknown_group_exits_2_naming_it_and_the_valid_ids(capsys):
    code, out, err = run(capsys, "members", "--group", "NOPE", "--year", "2015")
    assert code == 2
    assert out == ""
    assert err.startswith("error: --group NOPE: unknown group")
    for gid in ("WLD", "LDC", "LLDC", "SIDS"):
        assert gid in err


def test_members_for_a_year_outside_the_snapshot_exits_2_naming_it(capsys):
    code, out, err = run(capsys, "members", "--group", "LDC", "--year", "1850")
    assert (code, out) == (2, "")
    assert err.startswith("error: --year 1850: outside the snapshot's years (")


# ---------------------------------------------------------------------------------------------------- tidy


def test_tidy_unknown_economy_exits_2_naming_it(capsys):
    code, out, err = run(capsys, "tidy", "--indicator", "internet_users", "--iso3", "NPL,XXX")
    assert (code, out) == (2, "")
    assert err.startswith("error: --iso3 XXX: unknown economy code(s)")


def test_tidy_that_matches_nothing_says_so_in_words(capsys):
    code, out, err = run(capsys, "tidy", "--indicator", "internet_users", "--sex", "female", "--iso3", "NPL")
    assert code == 0
    assert out.strip().startswith("iso3,year,indicator")  # the header, for a script reading the CSV
    assert "no rows match --indicator internet_users --sex female --iso3 NPL" in err


def test_the_help_describes_every_command_in_full(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "affordability | revisions | breaks | progress | scorecard`` (see ``--help`` of each)." in text


def test_tidy_csv_has_the_tidy_columns(capsys):
    code, out, _ = run(capsys, "tidy", "--indicator", "internet_users", "--iso3", "NPL", "--format", "csv")
    assert code == 0
    assert out.splitlines()[0].split(",") == list(TIDY_COLUMNS)


def test_tidy_csv_prints_only_the_asked_economy_and_indicator(capsys, committed):
    _, out, _ = run(capsys, "tidy", "--indicator", "internet_users", "--iso3", "NPL", "--format", "csv")
    rows = csv_rows(out)
    tidy = committed.tidy
    expected = tidy[(tidy["iso3"] == "NPL") & (tidy["indicator"] == "internet_users")]
    assert len(rows) == len(expected)
    assert {(r["iso3"], r["indicator"]) for r in rows} == {("NPL", "internet_users")}


def test_tidy_csv_nepal_2015(capsys):
    _, out, _ = run(capsys, "tidy", "--indicator", "internet_users", "--iso3", "NPL", "--format", "csv")
    row = next(r for r in csv_rows(out) if r["year"] == "2015" and r["sex"] == "total")
    assert row == {
        "iso3": "NPL",
        "year": "2015",
        "indicator": "internet_users",
        "sex": "total",
        "value": "17.58160019",
        "source": "itu_datahub",  # ITU's own series (i99H), which the World Bank re-publishes, comes first
        "source_code": "i99H",
        "obs_status": "estimate",
        "vintage": "2026-04-24",
        "basket": "",  # a price basket's definition; empty for every other indicator
    }


def test_tidy_rows_are_sorted_by_sex_then_year(capsys):
    _, out, _ = run(capsys, "tidy", "--indicator", "internet_users", "--iso3", "NPL", "--format", "csv")
    keys = [(r["iso3"], r["sex"], int(r["year"])) for r in csv_rows(out)]
    assert keys == sorted(keys)


def test_tidy_takes_several_codes_in_any_case(capsys):
    _, out, _ = run(capsys, "tidy", "--indicator", "internet_users", "--iso3", "npl, abw", "--sex", "total")
    rows = csv_rows(out)
    assert {r["iso3"] for r in rows} == {"ABW", "NPL"}
    assert {r["sex"] for r in rows} == {"total"}


def test_tidy_unknown_indicator_exits_2_naming_it(capsys):
    code, out, err = run(capsys, "tidy", "--indicator", "internet_userz", "--iso3", "NPL")
    assert code == 2
    assert out == ""
    assert err.startswith("error: --indicator internet_userz: unknown indicator; choose one of ")
    assert "internet_users" in err


# ---------------------------------------------------------------------------------------------------- check


def test_check_exits_0_on_the_committed_snapshot(capsys):
    code, _, err = run(capsys, "check")
    assert code == 0
    assert err.startswith("snapshot OK: ")


def test_check_prints_a_coverage_table_by_year_and_indicator(capsys, committed):
    _, out, _ = run(capsys, "check", "--format", "csv")
    rows = csv_rows(out)
    assert list(rows[0])[0] == "year"
    assert set(list(rows[0])[1:]) == set(committed.tidy["indicator"])
    assert [int(r["year"]) for r in rows] == sorted(y for y in set(committed.tidy["year"]) if y >= 2000)


def test_check_coverage_counts_reporting_economies(capsys, committed):
    _, out, _ = run(capsys, "check", "--format", "csv")
    row_2015 = next(r for r in csv_rows(out) if r["year"] == "2015")
    tidy = committed.tidy
    reporting = tidy[(tidy["indicator"] == "internet_users") & (tidy["sex"] == "total") & (tidy["year"] == 2015)]
    assert int(row_2015["internet_users"]) == reporting["iso3"].nunique()
    assert int(row_2015["internet_users"]) >= 190


def test_check_summary_counts_observations(capsys, committed):
    _, _, err = run(capsys, "check")
    assert f"{len(committed.tidy):,} observations" in err


def test_check_of_an_empty_folder_exits_1_naming_the_missing_pointer(capsys, tmp_path):
    code, out, err = run(capsys, "--data", str(tmp_path), "check")
    assert code == 1
    assert out == ""
    assert err.startswith(f"error: snapshot in {tmp_path} is incomplete: missing CURRENT")
    assert len(err.strip().splitlines()) == 1


def test_members_of_an_empty_folder_exits_1(capsys, tmp_path):
    code, _, err = run(capsys, "--data", str(tmp_path), "members", "--group", "LDC", "--year", "2015")
    assert code == 1
    assert "incomplete" in err


def test_cli_check_of_an_empty_folder_prints_one_line_and_no_traceback(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "indicators", "--data", str(tmp_path), "check"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stderr.startswith("error: snapshot in ")
