"""The snapshot: build from the publisher files, atomic write, read back, provenance, and the committed data/."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

import indicators.groups
import indicators.snapshot
from indicators import DATA_DIR
from indicators.aggregates import aggregate, aggregate_years
from indicators.groups import MEMBERSHIP_COLUMNS, Groups
from indicators.schema import KEY, ValidationError
from indicators.snapshot import (
    BREAKS,
    FILES,
    GROUP_AGGREGATES,
    PREVIOUS_VINTAGES,
    SUPERSEDED,
    Snapshot,
    SnapshotError,
    build_snapshot,
    current_dir,
    load_inputs,
    read_snapshot,
    write_snapshot,
)
from indicators.snapshot_layout import MANIFEST, POINTER, SNAPSHOTS
from indicators.tidy import Corrections, UnmatchedCorrection
from tests.builders import tidy_rows
from tests.support.snapshot_files import current_files, tree_bytes

ITU_LICENCE = "CC BY-NC-SA 3.0 IGO"
WB_LICENCE = "CC BY 4.0"


def sort_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(KEY), kind="stable").reset_index(drop=True)


def sort_membership(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["group", "iso3", "since"], na_position="first", kind="stable").reset_index(drop=True)


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as Python objects with None for missing, so NaN/None/pd.NA and str/object dtypes compare equal."""
    out = frame.astype(object)
    return out.where(frame.notna(), None)


def file_bytes(folder) -> dict[str, bytes]:
    """Every file under the data folder (pointer, snapshot directories, leftovers) by relative path."""
    return tree_bytes(folder)


def small_snapshot(npl_2015: float = 17.58) -> Snapshot:
    """A hand-made snapshot: two World Bank rows, one ITU DataHub row, one UN SDG row."""
    tidy = pd.concat(
        [
            tidy_rows(
                [("NPL", 2015, "internet_users", "total", npl_2015), ("ABW", 2015, "internet_users", "total", 88.66)],
                source="worldbank",
                source_code="IT.NET.USER.ZS",
                vintage="2024-11-29",
            ),
            tidy_rows(
                [("ABW", 2020, "fixed_broadband_per100", "total", 16.42)],
                source="itu_datahub",
                source_code="i992b",
                vintage="2025-12-28",
            ),
            tidy_rows(
                [("ETH", 2016, "mobile_ownership", "total", 38.51)],
                source="un_sdg",
                source_code="IT_MOB_OWN",
                vintage="2020-10-01",
            ),
        ],
        ignore_index=True,
    )
    membership = pd.DataFrame(
        [
            ("LDC", "NPL", "1971-11-18", None, "UN", "UN-OHRLLS", ""),
            ("LDC", "ETH", "1971-11-18", None, "UN", "UN-OHRLLS", ""),
            ("WLD", "ABW", None, None, "all economies", "M49", ""),
        ],
        columns=list(MEMBERSHIP_COLUMNS),
    )
    countries = pd.DataFrame(
        {
            "iso3": ["ABW", "ETH", "NPL", "XKX"],
            "m49": pd.array([533, 231, 524, None], dtype="Int64"),
            "name": ["Aruba", "Ethiopia", "Nepal", "Kosovo"],
            "ldc": [False, True, True, False],
        }
    )
    publishers = load_inputs()["publishers"]
    provenance = {
        "built": "2025-01-01",
        "builder": "tests",
        "tidy_rows": len(tidy),
        "sources": {
            key: {**publishers[key], "vintage": None, "files": [], "tidy_rows": 0, "indicators": []}
            for key in ("worldbank", "itu_datahub", "un_sdg")
        },
    }
    aggregates = pd.DataFrame(
        [("WLD", 2015, "internet_users", "total", 40.0, "worldbank", "IT.NET.USER.ZS", "2024-11-29")],
        columns=["group", "year", "indicator", "sex", "value", "source", "source_code", "vintage"],
    )
    return Snapshot(tidy, aggregates, membership, countries, provenance)


# --------------------------------------------------------------------------------------------------------------
# Hand-made snapshots: write, read back, atomicity
# --------------------------------------------------------------------------------------------------------------


def test_write_then_read_gives_back_the_tidy_rows(tmp_path):
    snap = small_snapshot()
    write_snapshot(snap, tmp_path)
    back = read_snapshot(tmp_path)
    pd.testing.assert_frame_equal(sort_tidy(back.tidy), sort_tidy(snap.tidy), check_dtype=False)


SNAPSHOT_FILES = sorted([*FILES, GROUP_AGGREGATES, SUPERSEDED, PREVIOUS_VINTAGES, BREAKS, "README.md", MANIFEST])


def test_write_writes_every_file_a_readme_and_a_manifest(tmp_path):
    folder = write_snapshot(small_snapshot(), tmp_path)
    assert folder == current_dir(tmp_path) and folder.parent == tmp_path / SNAPSHOTS
    assert sorted(p.name for p in folder.iterdir()) == SNAPSHOT_FILES
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, SNAPSHOTS]


def _live(snap: Snapshot, indicator: str, group: str, sex: str = "total") -> pd.DataFrame:
    groups = Groups(snap.membership)
    members = {y: groups.members(group, y) for y in aggregate_years(snap.tidy)}
    return aggregate(snap.tidy, indicator, members, group=group, sex=sex, keep_below_rule=True, breaks=snap.breaks)


def _stored(snap: Snapshot, indicator: str, group: str, sex: str = "total") -> pd.DataFrame:
    frame = snap.group_aggregates
    rows = frame[(frame["indicator"] == indicator) & (frame["group"] == group) & (frame["sex"] == sex)]
    return rows.reset_index(drop=True)


def test_write_precomputes_every_group_aggregate_as_the_live_computation_gives_it(tmp_path):
    snap = small_snapshot()
    write_snapshot(snap, tmp_path)
    back = read_snapshot(tmp_path)
    stored = back.group_aggregates
    assert set(stored["indicator"]) == {"internet_users", "fixed_broadband_per100", "mobile_ownership"}
    groups = Groups(snap.membership)
    with_members = {g for g in groups.ids() if any(groups.members(g, y) for y in aggregate_years(snap.tidy))}
    assert set(stored["group"]) == with_members == {"LDC", "WLD"}  # a group without members is left out
    for indicator, group in (
        ("internet_users", "WLD"),
        ("fixed_broadband_per100", "LDC"),
        ("mobile_ownership", "LDC"),
    ):
        pd.testing.assert_frame_equal(_stored(back, indicator, group), _live(snap, indicator, group), check_dtype=False)


def test_an_older_snapshot_without_group_aggregates_still_loads_and_the_app_computes_them(tmp_path):
    from app.data import AppData

    folder = write_snapshot(small_snapshot(), tmp_path)
    (folder / GROUP_AGGREGATES).unlink()  # a snapshot whose manifest does not list them
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    del manifest["files"][GROUP_AGGREGATES], manifest["group_aggregates_computed_from"]
    (folder / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    back = read_snapshot(tmp_path)
    assert back.group_aggregates is None
    computed = AppData(back).group_aggregate("internet_users", "WLD")
    pd.testing.assert_frame_equal(computed, _live(back, "internet_users", "WLD"), check_dtype=False)


def test_the_app_serves_the_stored_aggregates_without_computing(tmp_path, monkeypatch):
    import app.data

    write_snapshot(small_snapshot(), tmp_path)
    data = app.data.AppData(read_snapshot(tmp_path))
    expected = _live(data.snapshot, "internet_users", "WLD")

    def _no_computing(*args, **kwargs):
        raise AssertionError("computed an aggregate the snapshot holds")

    monkeypatch.setattr(app.data, "aggregate", _no_computing)
    rows = data.group_aggregate("internet_users", "WLD")
    pd.testing.assert_frame_equal(rows, expected, check_dtype=False)
    assert rows.loc[rows["year"] == 2015, "n_reporting"].tolist() == [1]  # NPL (ABW is not in this WLD)


def test_write_then_read_keeps_membership_and_provenance(tmp_path):
    snap = small_snapshot()
    write_snapshot(snap, tmp_path)
    back = read_snapshot(tmp_path)
    assert Groups(back.membership).members("LDC", 2015) == frozenset({"ETH", "NPL"})
    assert back.provenance == snap.provenance


def test_countries_m49_stays_an_integer_code_through_a_round_trip(tmp_path):
    # Kosovo has no M49 code: the empty cell must not turn the column into floats (533.0) on a rewrite.
    write_snapshot(small_snapshot(), tmp_path)
    first = (current_dir(tmp_path) / "countries.csv").read_bytes()
    write_snapshot(read_snapshot(tmp_path), tmp_path)
    assert (current_dir(tmp_path) / "countries.csv").read_bytes() == first
    assert b"ABW,533,Aruba" in first


def test_rewriting_what_was_read_is_byte_identical(tmp_path):
    write_snapshot(small_snapshot(), tmp_path)
    before = current_files(tmp_path)
    write_snapshot(read_snapshot(tmp_path), tmp_path)
    assert current_files(tmp_path) == before  # the manifest too: it depends on the files only


def _validate_raises(*args, **kwargs):
    raise ValidationError("tidy.parquet: injected failure")


def _write_membership_raises(*args, **kwargs):
    raise OSError("disk full (injected)")


def test_failed_validation_leaves_the_snapshot_byte_identical(tmp_path, monkeypatch):
    write_snapshot(small_snapshot(), tmp_path)
    before = file_bytes(tmp_path)
    monkeypatch.setattr(indicators.snapshot, "validate_tidy", _validate_raises)
    with pytest.raises(ValidationError, match="injected failure"):
        write_snapshot(small_snapshot(npl_2015=20.0), tmp_path)
    assert file_bytes(tmp_path) == before


def test_failed_write_midway_leaves_the_snapshot_byte_identical(tmp_path, monkeypatch):
    write_snapshot(small_snapshot(), tmp_path)
    before = file_bytes(tmp_path)
    monkeypatch.setattr(indicators.groups, "write_membership", _write_membership_raises)
    with pytest.raises(OSError, match="disk full"):
        write_snapshot(small_snapshot(npl_2015=20.0), tmp_path)
    assert file_bytes(tmp_path) == before


def test_a_frame_that_breaks_the_schema_leaves_the_snapshot_byte_identical(tmp_path):
    write_snapshot(small_snapshot(), tmp_path)
    before = file_bytes(tmp_path)
    with pytest.raises(ValidationError, match="percentages lie within"):
        write_snapshot(small_snapshot(npl_2015=150.0), tmp_path)
    assert file_bytes(tmp_path) == before


def test_a_failed_write_leaves_no_staging_folder(tmp_path, monkeypatch):
    write_snapshot(small_snapshot(), tmp_path)
    monkeypatch.setattr(indicators.snapshot, "validate_tidy", _validate_raises)
    with pytest.raises(ValidationError):
        write_snapshot(small_snapshot(npl_2015=20.0), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, SNAPSHOTS]
    assert [p.name for p in (tmp_path / SNAPSHOTS).iterdir()] == [current_dir(tmp_path).name]


def test_a_successful_write_leaves_no_staging_folder(tmp_path):
    first = write_snapshot(small_snapshot(), tmp_path)
    second = write_snapshot(small_snapshot(npl_2015=20.0), tmp_path)
    assert first != second and not first.exists()  # the previous snapshot is removed after the switch
    assert [p.name for p in (tmp_path / SNAPSHOTS).iterdir()] == [second.name]
    assert sorted(p.name for p in tmp_path.iterdir()) == [POINTER, SNAPSHOTS]


def test_a_successful_rewrite_replaces_the_rows(tmp_path):
    write_snapshot(small_snapshot(), tmp_path)
    write_snapshot(small_snapshot(npl_2015=20.0), tmp_path)
    tidy = read_snapshot(tmp_path).tidy
    assert tidy.loc[(tidy["iso3"] == "NPL") & (tidy["year"] == 2015), "value"].tolist() == [20.0]


@pytest.mark.parametrize("missing", FILES)
def test_read_names_the_missing_file(tmp_path, missing):
    folder = write_snapshot(small_snapshot(), tmp_path)
    (folder / missing).unlink()
    with pytest.raises(SnapshotError, match=rf"missing \['{missing}'\]"):
        read_snapshot(tmp_path)


def test_read_of_an_empty_folder_names_the_missing_pointer(tmp_path):
    with pytest.raises(SnapshotError, match=rf"snapshot in {tmp_path} is incomplete: missing {POINTER}"):
        read_snapshot(tmp_path)


def test_read_of_an_altered_file_names_it(tmp_path):
    folder = write_snapshot(small_snapshot(), tmp_path)
    (folder / "provenance.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(SnapshotError, match=rf"{folder}: provenance.json does not match its manifest.json"):
        read_snapshot(tmp_path)


# --------------------------------------------------------------------------------------------------------------
# End to end from the hand-written fixtures in tests/fixtures
# --------------------------------------------------------------------------------------------------------------


def fixture_inputs() -> dict:
    return {
        "publishers": load_inputs()["publishers"],
        "files": [
            {
                "path": "worldbank/API_IT.NET.USER.ZS_DS2_en_csv_v2_nopreamble.csv",
                "source": "worldbank",
                "kind": "wb_bulk",
                "vintage": "2024-11-29",
            },
            {
                "path": "worldbank/API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_fixture.csv",
                "source": "worldbank",
                "kind": "wb_bulk",
            },
            {
                "path": "worldbank/Metadata_Country_API_fixture.csv",
                "source": "worldbank",
                "kind": "wb_meta",
                "vintage": "2024-11-29",
            },
            {"path": "itu/datahub_small.csv", "source": "itu_datahub", "kind": "itu_csv", "vintage": "2025-12-28"},
            {"path": "itu/gender_small.xls", "source": "itu_gender", "kind": "itu_gender", "vintage": "2019-12-01"},
            {"path": "unsd/sdg_small.csv", "source": "un_sdg", "kind": "sdg"},
            {
                "path": "unsd/sdg_ddf/ddf--datapoints--it_use_ii99--by--age--geo_area--nature--sex--units--year.csv",
                "source": "un_sdg",
                "kind": "sdg_ddf",
                "vintage": "2023-12-17",
            },
            {
                "path": "worldbank/population_long.csv",
                "source": "worldbank",
                "kind": "wb_long",
                "code": "SP.POP.TOTL",
                "vintage": "2026-03-06",
            },
            {
                "path": "itu/key_ict_small.xlsx",
                "source": "itu_key_ict",
                "kind": "key_ict",
                "vintage": "2024-11-01",
                "edition": "2024-11",
            },
            {"path": "unsd/m49_current.csv", "source": "unsd_m49", "kind": "m49", "vintage": "2025-06-04"},
            {"path": "unsd/m49_legacy.csv", "source": "unsd_m49", "kind": "m49_legacy"},
        ],
    }


@pytest.fixture(scope="module")
def fixture_snapshot() -> Snapshot:
    from tests.conftest import FIXTURES

    return build_snapshot(
        FIXTURES, fixture_inputs(), corrections=Corrections(())
    )  # they hold none of corrections.yml's


def test_a_build_whose_files_lack_a_corrected_observation_stops_naming_it():
    """corrections.yml drops CRI 2016 and ZAF 2015 mobile ownership; the fixture files of un_sdg hold neither."""
    from tests.conftest import FIXTURES

    with pytest.raises(UnmatchedCorrection, match="un_sdg IT_MOB_OWN CRI 2016; un_sdg IT_MOB_OWN ZAF 2015"):
        build_snapshot(FIXTURES, fixture_inputs())


def test_fixture_build_has_rows_from_every_source(fixture_snapshot):
    counts = fixture_snapshot.tidy.groupby("source").size().to_dict()
    assert counts == {"itu_datahub": 12, "itu_gender": 10, "un_sdg": 20, "worldbank": 13}


def test_fixture_build_takes_each_series_from_one_source(fixture_snapshot):
    tidy = fixture_snapshot.tidy
    by_series = tidy.assign(cls=tidy["sex"].where(tidy["sex"] == "total", "by_sex"))
    sources = by_series.groupby(["indicator", "cls", "iso3"])[["source", "vintage"]].nunique()
    assert (sources.max(axis=1) == 1).all()
    # Kosovo: SDG 17.8.1 by sex wins over ITU's one-year table, for every year, and the drop is recorded
    dropped = fixture_snapshot.superseded.set_index(["iso3", "sex_class"])
    xkx = dropped.loc[("XKX", "by_sex")]
    assert (xkx["kept_source"], xkx["dropped_source"], xkx["dropped_years"]) == ("un_sdg", "itu_gender", "2019")
    assert set(tidy.loc[(tidy["iso3"] == "XKX") & (tidy["sex"] != "total"), "source"]) == {"un_sdg"}


def test_fixture_build_keeps_the_publishers_group_estimates_apart(fixture_snapshot):
    pub = fixture_snapshot.publisher_aggregates
    assert {"itu_key_ict", "un_sdg", "worldbank"} <= set(pub["source"])
    assert {"edition", "publisher_group", "area"} <= set(pub.columns)
    assert not set(pub["group"]) & set(fixture_snapshot.tidy["iso3"])  # never mixed into the economies
    sdg_world = pub[(pub["source"] == "un_sdg") & (pub["group"] == "WLD") & (pub["sex"] == "female")]
    assert sdg_world[["year", "value"]].values.tolist() == [[2019, 50.9]]


def test_fixture_build_keeps_nepal_2015_from_the_world_bank(fixture_snapshot):
    tidy = fixture_snapshot.tidy
    row = tidy[(tidy["iso3"] == "NPL") & (tidy["year"] == 2015) & (tidy["indicator"] == "internet_users")]
    assert row[["sex", "value", "source", "vintage"]].values.tolist() == [["total", 17.58, "worldbank", "2024-11-29"]]


def test_fixture_build_moves_world_bank_aggregates_out_of_the_tidy_frame(fixture_snapshot):
    assert not {"LDC", "WLD"} & set(fixture_snapshot.tidy["iso3"])
    aggregates = fixture_snapshot.publisher_aggregates
    aggregates = aggregates[(aggregates["source"] == "worldbank") & (aggregates["indicator"] == "internet_users")]
    assert aggregates[["group", "year", "sex", "value"]].values.tolist() == [
        ["LDC", 2014, "total", 9.1],
        ["LDC", 2016, "total", 13.4],
        ["WLD", 2019, "female", 51.5],
        ["WLD", 2020, "female", 56.0],
        ["WLD", 2021, "female", 59.13],
    ]


def test_fixture_build_provenance_hashes_every_input(fixture_snapshot, fixtures):
    files = [f for s in fixture_snapshot.provenance["sources"].values() for f in s["files"]]
    assert sorted(f["path"] for f in files) == sorted(s["path"] for s in fixture_inputs()["files"])
    for f in files:
        assert f["sha256"] == hashlib.sha256((fixtures / f["path"]).read_bytes()).hexdigest()


def test_fixture_build_writes_and_reads_back(fixture_snapshot, tmp_path):
    write_snapshot(fixture_snapshot, tmp_path)
    back = read_snapshot(tmp_path)
    pd.testing.assert_frame_equal(sort_tidy(back.tidy), sort_tidy(fixture_snapshot.tidy), check_dtype=False)
    pd.testing.assert_frame_equal(
        sort_membership(back.membership), sort_membership(fixture_snapshot.membership), check_dtype=False
    )


def test_build_names_missing_publisher_files(tmp_path):
    with pytest.raises(SnapshotError, match="publisher files missing") as err:
        build_snapshot(tmp_path, fixture_inputs())
    assert "unsd/m49_current.csv" in str(err.value)


# --------------------------------------------------------------------------------------------------------------
# Integration: the real publisher files (skipped when ../shared/data/raw is absent)
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built(raw_dir) -> Snapshot:
    return build_snapshot(raw_dir)


@pytest.fixture(scope="module")
def round_trip(built, tmp_path_factory) -> Snapshot:
    folder = tmp_path_factory.mktemp("snapshot")
    write_snapshot(built, folder)
    return read_snapshot(folder)


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_round_trip_keeps_the_tidy_rows(built, round_trip):
    pd.testing.assert_frame_equal(sort_tidy(round_trip.tidy), sort_tidy(built.tidy), check_dtype=False)


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
@pytest.mark.parametrize(
    ("indicator", "group", "sex"),
    [("internet_users", "LDC", "total"), ("households_internet", "SIDS", "total"), ("internet_users", "WLD", "female")],
)
def test_raw_stored_group_aggregates_equal_the_live_computation(round_trip, indicator, group, sex):
    stored = _stored(round_trip, indicator, group, sex)
    assert len(stored) == len(aggregate_years(round_trip.tidy))
    pd.testing.assert_frame_equal(stored, _live(round_trip, indicator, group, sex), check_dtype=False)


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_round_trip_keeps_membership_countries_and_provenance(built, round_trip):
    pd.testing.assert_frame_equal(sort_membership(round_trip.membership), sort_membership(built.membership))
    pd.testing.assert_frame_equal(plain(round_trip.countries), plain(built.countries))
    assert round_trip.provenance == built.provenance


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_internet_users_2015_covers_at_least_190_economies(built):
    tidy = built.tidy
    rows = tidy[(tidy["indicator"] == "internet_users") & (tidy["sex"] == "total") & (tidy["year"] == 2015)]
    assert rows["iso3"].nunique() >= 190


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_nepal_internet_users_2015_is_plausible(built):
    tidy = built.tidy
    rows = tidy[
        (tidy["iso3"] == "NPL")
        & (tidy["indicator"] == "internet_users")
        & (tidy["sex"] == "total")
        & (tidy["year"] == 2015)
    ]
    assert len(rows) == 1
    assert 15 <= rows["value"].iloc[0] <= 25


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_provenance_states_publisher_url_licence_and_vintage(built):
    sources = built.provenance["sources"]
    assert sorted(sources) == sorted({s["source"] for s in load_inputs()["files"]})
    for key, s in sources.items():
        for field in ("publisher", "url", "licence", "vintage"):
            assert s.get(field), f"{key}: {field} is empty"


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_provenance_sha256_matches_every_input_file(built, raw_dir):
    files = [f for s in built.provenance["sources"].values() for f in s["files"]]
    assert sorted(f["path"] for f in files) == sorted(s["path"] for s in load_inputs()["files"])
    for f in files:
        assert f["sha256"] == hashlib.sha256((raw_dir / f["path"]).read_bytes()).hexdigest(), f["path"]


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_itu_rows_are_licensed_cc_by_nc_sa(built):
    sources = built.provenance["sources"]
    itu = sorted(s for s in built.tidy["source"].unique() if s.startswith("itu"))
    assert itu == ["itu_datahub", "itu_gender", "itu_price_baskets"]
    assert {sources[s]["licence"] for s in itu} == {ITU_LICENCE}


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_world_bank_rows_are_licensed_cc_by(built):
    assert built.provenance["sources"]["worldbank"]["licence"] == WB_LICENCE


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_raw_every_tidy_source_has_provenance(built):
    assert set(built.tidy["source"]) <= set(built.provenance["sources"])


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
@pytest.mark.parametrize(("year", "count"), [(2015, 48), (2021, 46), (2024, 45), (2025, 44)])
def test_raw_ldc_membership_by_year(built, year, count):
    assert len(Groups(built.membership).members("LDC", year)) == count


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_committed_tidy_equals_a_fresh_build(built):
    committed = read_snapshot(DATA_DIR)
    pd.testing.assert_frame_equal(sort_tidy(committed.tidy), sort_tidy(built.tidy), check_dtype=False)


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_committed_membership_equals_a_fresh_build(built):
    committed = read_snapshot(DATA_DIR)
    pd.testing.assert_frame_equal(sort_membership(committed.membership), sort_membership(built.membership))


@pytest.mark.slow  # builds the snapshot from every publisher file
@pytest.mark.raw
def test_committed_countries_equal_a_fresh_build(built):
    committed = read_snapshot(DATA_DIR)
    pd.testing.assert_frame_equal(plain(committed.countries), plain(built.countries))


@pytest.mark.snapshot
@pytest.mark.parametrize(
    ("indicator", "group", "sex"),
    [("internet_users", "LDC", "total"), ("coverage_4g", "LLDC", "total"), ("population", "SIDS", "female")],
)
def test_committed_group_aggregates_follow_todays_method(indicator, group, sex):
    """The stored aggregates are today's computation on the committed rows (a changed rule or method without
    `make snapshot` would leave them stale)."""
    committed = read_snapshot(DATA_DIR)
    assert committed.group_aggregates is not None, "data/ has no group_aggregates.parquet: run `make snapshot`"
    stored = _stored(committed, indicator, group, sex)
    pd.testing.assert_frame_equal(stored, _live(committed, indicator, group, sex), check_dtype=False)


@pytest.mark.raw
def test_committed_provenance_hashes_match_the_raw_files(raw_dir):
    provenance = json.loads((current_dir(DATA_DIR) / "provenance.json").read_text(encoding="utf-8"))
    for s in provenance["sources"].values():
        for f in s["files"]:
            if f.get("path"):
                assert f["sha256"] == hashlib.sha256((raw_dir / f["path"]).read_bytes()).hexdigest(), f["path"]
