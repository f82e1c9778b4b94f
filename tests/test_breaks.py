"""Series breaks as data (indicators/breaks.py): each rule on small hand-made inputs in the publishers' formats, the
proposer that never records, breaks.csv in the snapshot and in the app, the ``breaks`` command, and the real files."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from app.data import AppData
from indicators import breaks as br
from indicators.breaks import BREAK_COLUMNS, KINDS, read_breaks, read_note
from indicators.cli import main
from indicators.published import empty_published
from indicators.snapshot import BREAKS, read_snapshot, write_snapshot
from indicators.snapshot_layout import MANIFEST, write_manifest
from indicators.sources import itu
from indicators.tidy import _code_map
from tests.builders import snapshot_of, tidy_rows
from tests.conftest import PROJECT_DIR

NEW, OLD = "2026-04-24", "2025-08-01"
ITU_CODES = _code_map("itu_datahub")


@pytest.fixture(scope="module")
def notes() -> pd.DataFrame:
    path = PROJECT_DIR / "tests" / "fixtures" / "itu" / "datahub_notes.csv"
    return itu.read_datahub_notes(path, vintage=NEW).assign(origin="itu_datahub/datahub_notes.csv")


@pytest.fixture(scope="module")
def table(notes) -> pd.DataFrame:
    return br.breaks_from_notes(notes, ITU_CODES)


def rows_of(table: pd.DataFrame, iso3: str, indicator: str = "internet_users") -> pd.DataFrame:
    return table[(table["iso3"] == iso3) & (table["indicator"] == indicator)].reset_index(drop=True)


# ---- rule 1: ITU dataNote ------------------------------------------------------------------------------------


def test_the_reader_keeps_notes_verbatim_and_leaves_the_observations_alone(notes, fixtures):
    hkg = notes[(notes["iso3"] == "HKG") & (notes["source_code"] == "i4213tfbb")]["note"].iloc[0]
    assert hkg.startswith("Figure as of Mar 2019.\r\nFrom January 2019 onwards")  # embedded CR LF kept
    assert list(notes.columns[:5]) == list(itu.NOTE_COLUMNS)
    raw = itu.read_datahub_csv(fixtures / "itu" / "datahub_notes.csv", vintage=NEW)
    assert list(raw.columns) == ["iso3", "year", "source_code", "sex", "value", "obs_status", "vintage"]


def test_a_definition_note_is_a_definition_break_at_its_year(table):
    chn = rows_of(table, "CHN")
    assert chn[["year", "kind", "sex", "source", "vintage"]].values.tolist() == [
        [2023, "definition", "total", "itu_datahub", NEW]
    ]
    assert chn.at[0, "note"].startswith("Aged 6 and older. From 2023 includes individuals reporting")
    assert chn.at[0, "origin"].startswith("itu_datahub/datahub_notes.csv: dataNote of CHN 2023 (i99H)")


def test_a_note_repeated_on_several_years_gives_one_break(table):
    chn = rows_of(table, "CHN")
    assert len(chn) == 1
    assert chn.at[0, "origin"].endswith("repeated on 2024, 2025")


def test_break_in_series_from_a_year_on_a_later_row_is_at_the_year_said(table):
    isr = rows_of(table, "ISR")
    assert isr[["year", "kind"]].values.tolist() == [[2023, "definition"]]
    assert "dataNote of ISR 2024" in isr.at[0, "origin"]


def test_a_one_year_break_gives_the_year_and_the_next_year_with_a_value(notes):
    tidy = tidy_rows(
        [("CHE", y, "internet_users", "total", v) for y, v in ((2013, 86.7), (2014, 87.4), (2016, 88.0))],
        source="itu_datahub",
        source_code="i99H",
    )
    che = rows_of(br.breaks_from_notes(notes, ITU_CODES, tidy), "CHE")
    assert che["year"].tolist() == [2014, 2016]  # 2014 is comparable neither with 2013 nor with 2016
    assert set(che["kind"]) == {"source"}  # "based on Eurosat ICTSurvey"
    assert rows_of(br.breaks_from_notes(notes, ITU_CODES), "CHE")["year"].tolist() == [2014, 2015]  # no tidy


def test_a_break_without_a_year_is_at_its_row(table):
    assert rows_of(table, "CRI")[["year", "kind"]].values.tolist() == [[2013, "definition"]]


def test_nothing_is_invented_where_no_note_states_a_break(table):
    # NPL: a reference-period note; VGB: "estimate from 2015"; SWZ: "revised numbers from 2018"; ISR 2022: age only
    assert not set(table["iso3"]) & {"NPL", "VGB", "SWZ"}
    assert rows_of(table, "ISR")["year"].tolist() == [2023]


def test_a_break_of_a_count_is_a_break_of_the_count_per_100_inhabitants(table):
    subs = rows_of(table, "HKG", "fixed_broadband_subs")
    per100 = rows_of(table, "HKG", "fixed_broadband_per100")
    assert subs["year"].tolist() == per100["year"].tolist() == [2019]  # "From January 2019 onwards …"
    assert "on i4213tfbb (i992b is that count per 100 inhabitants)" in per100.at[0, "origin"]


def test_only_the_newest_vintage_of_a_series_is_read(notes):
    older = notes[notes["iso3"] == "CRI"].assign(vintage=OLD, iso3="GHA")
    table = br.breaks_from_notes(pd.concat([notes, older], ignore_index=True), ITU_CODES)
    assert "GHA" not in set(table["iso3"])


@pytest.mark.parametrize(
    ("note", "row", "expected"),
    [
        ("Break in comparability, from this year on data based on Eurostat.", 2002, ((2002,), "source")),
        (
            "Break in comparability: persons 12 years and older. Based on Census 2010 results.",
            2010,
            ((2010,), "definition"),
        ),
        (
            "Starting with 2019, the data are not comparable to the previous period, as the HBS methodology …",
            2021,
            ((2019,), "method"),
        ),
        (
            "From 2016, the Osiptel coverage regulation is followed: a district has coverage …",
            2016,
            ((2016,), "definition"),
        ),
        ("Overestimated, may include inactive subscriptions, not comparable with 2021.", 2020, ((2021,), "definition")),
        (
            "Before 2016 the data do not include households that have access to internet through mobile …",
            2016,
            ((2016,), "definition"),
        ),
        (
            "Survey was redesigned, therefore comparison with previous years should not be done.",
            2010,
            ((2010,), "method"),
        ),
        ("Review of the calculation methodology", 2016, ((2016,), "method")),
        ("Refers to 1 operator only. Break in series", 2021, ((2021,), "source")),
        ("Break in time series", 2018, ((2018,), "method")),
        ("Break in comprability.", 2012, ((2012,), "method")),
        ("estimate from 2015", 2016, None),
        ("Source - IMC survey from 2016", 2016, None),
        (
            "Information as of December 2020. Given the process of switching off 2G networks, it is no longer …",
            2020,
            None,
        ),
        ("Increase from 2013 has been due to operators investing in fiber optic cable.", 2014, None),
        ("2016 Data was re-weighted hence the figures changed to be comparable with 2017.", 2016, None),
        ("Broadband is defined as 64kbps or more.", 2005, None),
        ("", 2020, None),
    ],
)
def test_read_note_on_real_notes(note, row, expected):
    reading = read_note(note, row)
    assert (None if reading is None else (reading.years, reading.kind)) == expected


# ---- rule 3: what a release withdrew -------------------------------------------------------------------------


def two_vintages(new_years, old_years, iso3="PAK"):
    tidy = tidy_rows(
        [(iso3, y, "internet_users", "total", 10.0 + y - 2000) for y in new_years],
        source="itu_datahub",
        source_code="i99H",
        vintage=NEW,
    )
    previous = tidy_rows(
        [(iso3, y, "internet_users", "total", 9.0 + y - 2000) for y in old_years],
        source="itu_datahub",
        source_code="i99H",
        vintage=OLD,
    )
    return tidy, previous


FILES = {
    ("itu_datahub", "i99H", OLD): "itu_datahub_2025-08/individuals-using-the-internet.csv",
    ("itu_datahub", "i99H", NEW): "itu_datahub/individuals-using-the-internet.csv",
}


def test_years_an_older_vintage_held_and_the_newer_lacks_are_one_withdrawn_row_after_the_hole():
    tidy, previous = two_vintages([2019, 2020, 2024], [2019, 2020, 2021, 2022, 2023])
    out = br.withdrawn_breaks(tidy, previous, FILES)
    assert out[["iso3", "indicator", "sex", "year", "kind", "source", "vintage"]].values.tolist() == [
        ["PAK", "internet_users", "total", 2024, "withdrawn", "itu_datahub", NEW]
    ]
    assert out.at[0, "note"] == "ITU removed the 2021–2023 values between its 2025-08 and 2026-04 files"
    assert out.at[0, "origin"] == (
        "itu_datahub_2025-08/individuals-using-the-internet.csv (vintage 2025-08-01) against "
        "itu_datahub/individuals-using-the-internet.csv (vintage 2026-04-24): PAK i99H"
    )


def test_withdrawn_runs_split_where_the_newer_release_has_a_value_and_the_last_ends_the_series():
    tidy, previous = two_vintages([2016, 2018, 2019], [2017, 2020])
    out = br.withdrawn_breaks(tidy, previous)
    assert out["year"].tolist() == [2018, 2021]  # 2017 → next value 2018; 2020 at the end → the year after it


def test_the_sdg_databases_repackaged_copy_is_not_read_as_a_withdrawal():
    tidy, previous = two_vintages([2019, 2020, 2024], [2019, 2020, 2021, 2022, 2023])
    tidy, previous = tidy.assign(source="un_sdg"), previous.assign(source="un_sdg")
    assert br.withdrawn_breaks(tidy, previous).empty


def test_revised_values_are_not_withdrawn():
    tidy, previous = two_vintages([2019, 2020], [2019, 2020])
    assert br.withdrawn_breaks(tidy, previous).empty


def test_build_breaks_holds_both_rules_sorted_with_known_kinds(notes):
    tidy, previous = two_vintages([2020, 2024], [2020, 2021, 2022, 2023])
    out = br.build_breaks(notes, ITU_CODES, tidy, previous, FILES)
    assert list(out.columns) == list(BREAK_COLUMNS)
    assert set(out["kind"]) <= set(KINDS) and out["year"].dtype == "int64"
    assert {("CHN", 2023, "definition"), ("PAK", 2024, "withdrawn")} <= set(
        zip(out["iso3"], out["year"], out["kind"], strict=True)
    )
    assert out.equals(out.sort_values(["iso3", "indicator", "sex", "year", "kind"]).reset_index(drop=True))


# ---- rule 4: candidates, never rows --------------------------------------------------------------------------


def jumpy_tidy() -> pd.DataFrame:
    return pd.concat(
        [
            tidy_rows(
                [("CHN", 2022, "internet_users", "total", 75.6), ("CHN", 2023, "internet_users", "total", 90.6)]
                + [("BBB", 2020, "internet_users", "total", 20.0), ("BBB", 2021, "internet_users", "total", 40.0)]
                + [("CCC", 2018, "internet_users", "total", 20.0), ("CCC", 2020, "internet_users", "total", 60.0)],
                source="itu_datahub",
                source_code="i99H",
            ),
            tidy_rows(
                [("BBB", 2020, "mobile_broadband_per100", "total", 50.0)]
                + [("BBB", 2021, "mobile_broadband_per100", "total", 90.0)],
                source="itu_datahub",
                source_code="i911mw",
            ),
        ],
        ignore_index=True,
    )


def test_propose_lists_one_year_jumps_of_percentages_where_no_break_is_recorded(notes, table):
    out = br.propose_breaks(jumpy_tidy(), threshold_pp=15, breaks=table)
    # CHN 2023 (+15.0) is not above 15 and is recorded anyway; CCC's jump spans two years; per-100 is not a percent
    assert out[["iso3", "indicator", "year", "previous_year", "change"]].values.tolist() == [
        ["BBB", "internet_users", 2021, 2020, 20.0]
    ]
    assert list(out.columns) == list(br.PROPOSAL_COLUMNS)


def test_propose_skips_a_recorded_break_and_never_writes_to_the_table(table):
    tidy = jumpy_tidy()
    before_table, before_tidy = table.copy(), tidy.copy()
    out = br.propose_breaks(tidy, 10, breaks=table)
    assert ("CHN", 2023) not in set(zip(out["iso3"], out["year"], strict=True))  # recorded: not a candidate
    assert ("CHN", 2023) in set(zip(*br.propose_breaks(tidy, 10)[["iso3", "year"]].values.T, strict=True))
    pd.testing.assert_frame_equal(table, before_table)
    pd.testing.assert_frame_equal(tidy, before_tidy)
    with pytest.raises(ValueError, match="above 0"):
        br.propose_breaks(tidy, threshold_pp=0, breaks=table)


# ---- the snapshot, the app ------------------------------------------------------------------------------------


def small_snapshot(breaks: pd.DataFrame | None):
    tidy = jumpy_tidy()
    names = {"CHN": "China", "BBB": "Bee", "CCC": "Cee", "PAK": "Pakistan"}
    snap = snapshot_of(
        tidy,
        names=names,
        ldc=("BBB",),
        sources=("itu_datahub",),
        indicators=["internet_users"],
        published=empty_published(),
    )
    snap.breaks = breaks
    return snap


def recorded() -> pd.DataFrame:
    tidy, previous = two_vintages([2020, 2024], [2020, 2021, 2022, 2023])
    chn = pd.DataFrame(
        [
            {
                "iso3": "CHN",
                "indicator": "internet_users",
                "sex": "total",
                "year": 2023,
                "kind": "definition",
                "note": "From 2023 includes individuals reporting they have not used the Internet, but …",
                "origin": "itu_datahub/individuals-using-the-internet.csv: dataNote of CHN 2023 (i99H)",
                "source": "itu_datahub",
                "vintage": NEW,
            }
        ]
    )
    return br._sorted(pd.concat([chn, br.withdrawn_breaks(tidy, previous, FILES)], ignore_index=True))


@pytest.fixture
def data_dir(tmp_path):
    write_snapshot(small_snapshot(recorded()), tmp_path)
    return tmp_path


def test_the_snapshot_writes_lists_and_reads_back_breaks_csv(data_dir):
    snap = read_snapshot(data_dir)
    pd.testing.assert_frame_equal(snap.breaks, recorded())
    folder = data_dir / "snapshots" / (data_dir / "CURRENT").read_text().strip()
    manifest = json.loads((folder / MANIFEST).read_text())
    assert manifest["files"][BREAKS]["rows"] == 2
    text = (folder / BREAKS).read_text(encoding="utf-8")
    assert text.splitlines()[0] == ",".join(BREAK_COLUMNS)
    assert "breaks.csv" in (folder / "README.md").read_text(encoding="utf-8")
    pd.testing.assert_frame_equal(AppData(snap).breaks, recorded())


def test_a_snapshot_without_breaks_writes_the_empty_table(tmp_path):
    write_snapshot(small_snapshot(None), tmp_path)
    out = read_snapshot(tmp_path).breaks
    assert out.empty and list(out.columns) == list(BREAK_COLUMNS)


def test_an_older_snapshot_without_breaks_csv_still_loads_with_an_empty_table(data_dir):
    folder = data_dir / "snapshots" / (data_dir / "CURRENT").read_text().strip()
    (folder / BREAKS).unlink()
    old = json.loads((folder / MANIFEST).read_text())
    rows = {name: rec["rows"] for name, rec in old["files"].items() if name != BREAKS}
    write_manifest(folder, rows, aggregates_of="tidy.parquet")
    snap = read_snapshot(data_dir)
    assert snap.breaks.empty and list(snap.breaks.columns) == list(BREAK_COLUMNS)
    assert snap.breaks["year"].dtype == "int64"
    app = AppData(snap)
    assert app.breaks.empty and list(app.breaks.columns) == list(BREAK_COLUMNS)
    assert read_breaks(folder).empty


# ---- the command ----------------------------------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_breaks_prints_the_recorded_table_as_csv(capsys, data_dir):
    code, out, _ = run(capsys, "--data", str(data_dir), "breaks", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["iso3"], r["year"], r["kind"]) for r in rows] == [
        ("CHN", "2023", "definition"),
        ("PAK", "2024", "withdrawn"),
    ]
    assert list(rows[0]) == list(BREAK_COLUMNS)


def test_breaks_filters_by_economy_and_indicator(capsys, data_dir):
    _, out, _ = run(capsys, "--data", str(data_dir), "breaks", "--iso3", "pak", "--indicator", "internet_users")
    assert "PAK" in out and "CHN" not in out
    _, out, _ = run(capsys, "--data", str(data_dir), "breaks", "--indicator", "households_internet")
    assert "(no rows)" in out


def test_breaks_propose_lists_candidates_and_leaves_breaks_csv_as_it_was(capsys, data_dir):
    folder = data_dir / "snapshots" / (data_dir / "CURRENT").read_text().strip()
    before = (folder / BREAKS).read_bytes()
    code, out, err = run(capsys, "--data", str(data_dir), "breaks", "--propose", "--format", "csv")
    assert code == 0 and "nothing was added" in err
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["iso3"], r["year"]) for r in rows] == [("BBB", "2021")]
    code, out, _ = run(capsys, "--data", str(data_dir), "breaks", "--propose", "--threshold", "10", "--iso3", "CHN")
    assert code == 0 and "(no rows)" in out  # CHN 2023 moved 15 points, but its break is recorded
    assert (folder / BREAKS).read_bytes() == before


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["breaks", "--indicator", "nope"], "--indicator nope"),
        (["breaks", "--iso3", "ZZZ"], "ZZZ"),
        (["breaks", "--iso3", " , "], "--iso3"),
        (["breaks", "--threshold", "10"], "--propose"),
        (["breaks", "--propose", "--threshold", "-1"], "--threshold -1"),
    ],
)
def test_breaks_bad_arguments_exit_2_naming_the_value(capsys, data_dir, argv, named):
    code, out, err = run(capsys, "--data", str(data_dir), *argv)
    assert code == 2 and out == ""
    assert err.startswith("error: ") and named in err


def test_breaks_bad_format_is_a_usage_error_without_traceback(data_dir):
    proc = subprocess.run(
        [sys.executable, "-m", "indicators", "--data", str(data_dir), "breaks", "--format", "xml"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--format" in proc.stderr


# ---- the real files -------------------------------------------------------------------------------------------


@pytest.mark.raw
def test_raw_breaks_hold_chinas_2023_definition_and_pakistans_withdrawn_years(raw_dir):
    from indicators.snapshot import load_inputs
    from indicators.tidy import combine_series, to_tidy

    specs = [s for s in load_inputs()["files"] if s["kind"] == "itu_csv"]
    notes = pd.concat(
        [itu.read_datahub_notes(raw_dir / s["path"], vintage=s["vintage"]).assign(origin=s["path"]) for s in specs],
        ignore_index=True,
    )
    internet = [s for s in specs if s["path"].endswith("individuals-using-the-internet.csv")]
    assert len(internet) == 2
    combined = combine_series(
        [
            to_tidy(itu.read_datahub_csv(raw_dir / s["path"], vintage=s["vintage"]), "itu_datahub", s["path"])
            for s in internet
        ]
    )
    out = br.build_breaks(notes, ITU_CODES, combined.tidy, combined.previous_vintages)
    key = out.set_index(["iso3", "indicator", "year"])
    chn = key.loc[("CHN", "internet_users", 2023)]
    assert chn["kind"] == "definition" and "WeChat" in chn["note"]
    pak = key.loc[("PAK", "internet_users", 2024)]
    assert pak["kind"] == "withdrawn" and "2021–2023" in pak["note"]
    assert key.loc[("ISR", "internet_users", 2023), "kind"] == "definition"
    assert sorted(out.loc[(out["iso3"] == "CHE") & (out["indicator"] == "internet_users"), "year"]) == [2014, 2015]
