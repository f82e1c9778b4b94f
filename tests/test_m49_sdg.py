"""UNSD M49 overview (both layouts) and the UN SDG Global Database CSV reader."""

from __future__ import annotations

import logging

import pandas as pd
import pytest

from indicators.sources import RAW_COLUMNS, SourceError
from indicators.sources.m49 import OUT_COLUMNS, m49_to_iso3, read_m49
from indicators.sources.sdg import read_sdg_csv, release_to_vintage

M49_CURRENT = "unsd_m49/UNSD — Methodology.csv"
M49_LEGACY = "unsd_m49_legacy/UNSD — Methodology.csv"
SDG_FILE = "unsd_sdg/sdg_database_ind_own_mobile.csv"


# ------------------------------------------------------------------------------------------ M49 fixtures


def test_fixture_current_layout_is_semicolon_bom_crlf(fixtures):
    raw = (fixtures / "unsd" / "m49_current.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw and b";" in raw.splitlines()[0]


def test_read_m49_current_layout(fixtures):
    m = read_m49(fixtures / "unsd" / "m49_current.csv")
    assert tuple(m.columns) == OUT_COLUMNS
    assert len(m) == 10
    assert m["m49"].dtype == "int64"
    eth = m.set_index("iso3").loc["ETH"]
    assert eth["m49"] == 231 and eth["name"] == "Ethiopia" and eth["iso2"] == "ET"
    assert bool(eth["ldc"]) and bool(eth["lldc"]) and not bool(eth["sids"])
    assert eth["region"] == "Africa" and eth["subregion_code"] == 202 and eth["intermediate_region_code"] == 14
    assert m["development"].isna().all()  # the current layout has no developed/developing column
    assert m.loc[m["iso3"] == "DZA", "intermediate_region"].item() is None


def test_namibia_iso2_is_not_missing(fixtures):
    m = read_m49(fixtures / "unsd" / "m49_current.csv")
    assert m.loc[m["iso3"] == "NAM", "iso2"].item() == "NA"


def test_antarctica_has_no_region(fixtures):
    m = read_m49(fixtures / "unsd" / "m49_current.csv")
    ata = m[m["iso3"] == "ATA"].iloc[0]
    assert ata["region"] is None and pd.isna(ata["region_code"])


def test_read_m49_legacy_layout(fixtures):
    m = read_m49(fixtures / "unsd" / "m49_legacy.csv")
    assert tuple(m.columns) == OUT_COLUMNS
    assert m["iso2"].isna().all()  # no ISO-alpha2 in the legacy layout
    dev = dict(zip(m["name"], m["development"], strict=True))
    assert dev["France"] == "Developed" and dev["Ethiopia"] == "Developing" and dev["Antarctica"] is None
    assert "Cyprus, test quoted" in dev  # quoted comma inside a field
    assert m.loc[m["iso3"] == "VUT", "ldc"].item()


def test_row_without_iso3_is_kept(fixtures, caplog):
    with caplog.at_level(logging.INFO):
        m = read_m49(fixtures / "unsd" / "m49_legacy.csv")
    sark = m[m["m49"] == 680]
    assert len(sark) == 1 and sark["iso3"].item() is None and sark["name"].item() == "Sark"
    assert "Sark" in caplog.text
    assert 680 not in m49_to_iso3(m)


def test_m49_missing_required_column(tmp_path, fixtures):
    text = (fixtures / "unsd" / "m49_current.csv").read_text(encoding="utf-8-sig")
    bad = tmp_path / "bad.csv"
    bad.write_text(text.replace("ISO-alpha3 Code", "ISO3"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"bad\.csv.*ISO-alpha3 Code"):
        read_m49(bad)


def test_m49_row_without_code(tmp_path, fixtures):
    text = (fixtures / "unsd" / "m49_current.csv").read_text(encoding="utf-8-sig")
    bad = tmp_path / "nocode.csv"
    bad.write_text(text.replace("France;250;", "France;;"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"nocode\.csv: row 10 \('France'\) has no valid M49 code"):
        read_m49(bad)


def test_m49_to_iso3(fixtures):
    mp = m49_to_iso3(read_m49(fixtures / "unsd" / "m49_current.csv"))
    assert mp[231] == "ETH" and mp[516] == "NAM" and len(mp) == 10


# ------------------------------------------------------------------------------------------ SDG fixtures


@pytest.fixture
def m49_map(fixtures):
    return m49_to_iso3(read_m49(fixtures / "unsd" / "m49_current.csv"))


def test_sdg_reader_contract(fixtures, m49_map):
    raw = read_sdg_csv(fixtures / "unsd" / "sdg_small.csv", m49_map)
    assert tuple(raw.columns) == RAW_COLUMNS
    assert set(raw["source_code"]) == {"IT_MOB_OWN"}  # the unregistered series is dropped
    assert raw["value"].notna().all()
    assert set(raw["obs_status"]) <= {"normal", "estimate", "provisional"}


def test_sdg_sex_and_nature(fixtures, m49_map):
    raw = read_sdg_csv(fixtures / "unsd" / "sdg_small.csv", m49_map)
    eth = raw[raw["iso3"] == "ETH"].set_index("sex")
    assert eth.loc["total", "value"] == pytest.approx(38.51)  # the Age 15-24 row is dropped, no duplicate
    assert eth.loc["female", "value"] == pytest.approx(32.1)
    assert eth.loc["male", "obs_status"] == "estimate"  # Nature E
    assert eth.loc["total", "obs_status"] == "normal"  # Nature C
    assert raw.loc[raw["iso3"] == "FRA", "obs_status"].tolist() == ["estimate"]  # Nature M; empty value dropped


def test_sdg_aggregates_dropped_with_log(fixtures, m49_map, caplog):
    with caplog.at_level(logging.INFO):
        raw = read_sdg_csv(fixtures / "unsd" / "sdg_small.csv", m49_map)
    assert set(raw["iso3"]) == {"ETH", "DZA", "FRA"}
    assert "1 World" in caplog.text and "202 Sub-Saharan Africa" in caplog.text


def test_sdg_bounds_kept_as_estimates(fixtures, m49_map, caplog):
    with caplog.at_level(logging.INFO):
        raw = read_sdg_csv(fixtures / "unsd" / "sdg_small.csv", m49_map)
    dza = raw[raw["iso3"] == "DZA"].set_index("sex")
    assert dza.loc["total", "value"] == 95.0 and dza.loc["total", "obs_status"] == "estimate"
    assert dza.loc["female", "value"] == 5.0 and dza.loc["female", "obs_status"] == "estimate"
    assert 2017 not in set(raw.loc[raw["iso3"] == "DZA", "year"])  # "NaN" is dropped
    assert "NaN" in caplog.text


def test_sdg_vintage_from_release_or_argument(fixtures, m49_map):
    raw = read_sdg_csv(fixtures / "unsd" / "sdg_small.csv", m49_map)
    assert set(raw["vintage"]) == {"2020-10-01"}
    raw = read_sdg_csv(fixtures / "unsd" / "sdg_small.csv", m49_map, vintage="2021-03-15")
    assert set(raw["vintage"]) == {"2021-03-15"}
    assert release_to_vintage("2020.Q4.G.02") == "2020-10-01"
    assert release_to_vintage("2024.Q1.G.01") == "2024-01-01"
    assert release_to_vintage("latest") is None


def test_sdg_duplicate_keys(tmp_path, fixtures, m49_map):
    lines = (fixtures / "unsd" / "sdg_small.csv").read_text(encoding="utf-8").splitlines()
    dup = tmp_path / "dup.csv"
    dup.write_text("\n".join([*lines, lines[1].replace("38.51", "40.0")]) + "\n", encoding="utf-8")
    with pytest.raises(SourceError, match=r"dup\.csv: duplicate .*ETH/2016/IT_MOB_OWN/total: rows \[2, 14\]"):
        read_sdg_csv(dup, m49_map)


def test_sdg_bad_year_and_missing_columns(tmp_path, fixtures, m49_map):
    text = (fixtures / "unsd" / "sdg_small.csv").read_text(encoding="utf-8")
    bad = tmp_path / "year.csv"
    bad.write_text(text.replace("Ethiopia,2016,38.51", "Ethiopia,2016-Q1,38.51"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"year\.csv: row 2 .*TimePeriod"):
        read_sdg_csv(bad, m49_map)
    nocol = tmp_path / "nocol.csv"
    nocol.write_text(text.replace("GeoAreaCode", "AreaCode", 1), encoding="utf-8")
    with pytest.raises(SourceError, match="GeoAreaCode"):
        read_sdg_csv(nocol, m49_map)


# ------------------------------------------------------------------------------------------ real files


@pytest.mark.raw
def test_real_m49_counts(raw_dir):
    m = read_m49(raw_dir / M49_CURRENT)
    assert len(m) == 248
    assert (int(m["ldc"].sum()), int(m["lldc"].sum()), int(m["sids"].sum())) == (44, 32, 53)
    assert not ({"BTN", "STP", "VUT"} & set(m.loc[m["ldc"], "iso3"]))
    assert m.loc[m["iso3"] == "NAM", "iso2"].item() == "NA"
    assert m["iso3"].notna().all()  # the current file has no row without ISO3 (Sark is only in the legacy file)


@pytest.mark.raw
def test_real_m49_legacy_counts(raw_dir):
    m = read_m49(raw_dir / M49_LEGACY)
    assert len(m) == 249
    counts = m["development"].value_counts()
    assert (counts["Developed"], counts["Developing"]) == (66, 182)
    assert int(m["ldc"].sum()) == 47  # the list in force mid-2017 .. Dec 2020
    assert m.loc[m["m49"] == 680, "iso3"].item() is None  # Sark


@pytest.mark.raw
def test_real_sdg_file(raw_dir, caplog):
    mp = m49_to_iso3(read_m49(raw_dir / M49_CURRENT))
    src = pd.read_csv(raw_dir / SDG_FILE, dtype=str, keep_default_na=False)
    areas = set(src["GeoAreaCode"].astype(int))
    assert len(areas) == 82
    with caplog.at_level(logging.INFO):
        raw = read_sdg_csv(raw_dir / SDG_FILE, mp)
    assert raw["iso3"].nunique() == len(areas & set(mp)) == 81
    assert "158 Other non-specified areas in Eastern Asia" in caplog.text
    assert set(raw["sex"]) == {"total", "female", "male"}
    assert set(raw["year"]) <= set(range(2013, 2019))
    assert set(raw["vintage"]) == {"2020-10-01"}
    assert not raw.duplicated(["iso3", "year", "source_code", "sex"]).any()
