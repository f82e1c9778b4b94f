"""SDG series in Gapminder's DDF layout (``read_sdg_ddf``): hand-written fixtures, then the real files (``raw_dir``)."""

from __future__ import annotations

import csv
import logging
import shutil

import pandas as pd
import pytest

from indicators.sources import RAW_COLUMNS, SourceError
from indicators.sources.m49 import m49_to_iso3, read_m49
from indicators.sources.sdg import (
    GROUP_COLUMNS,
    SDG_AGGREGATES,
    SDG_EXTRA_ECONOMIES,
    read_sdg_ddf,
    sdg_group_id,
)

IT_USE = "ddf--datapoints--it_use_ii99--by--age--geo_area--nature--sex--units--year.csv"
IT_MOB = "ddf--datapoints--it_mob_own--by--geo_area--nature--sex--units--year.csv"
GEO = "ddf--entities--geo_area.csv"
V = "2023-12-17"  # the Gapminder build date of the real files


@pytest.fixture
def m49_map(fixtures):
    return m49_to_iso3(read_m49(fixtures / "unsd" / "m49_current.csv"))  # DZA BTN ETH FRA NAM … (10 areas)


@pytest.fixture
def ddf_dir(fixtures):
    return fixtures / "unsd" / "sdg_ddf"


def rows(frame):
    return sorted(frame.itertuples(index=False, name=None))


def write(tmp_path, text: str, name: str = IT_USE, encoding: str = "utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEAD = "age,geo_area,nature,sex,units,year,it_use_ii99\n"


# ---- the fixture -----------------------------------------------------------------------------------------


def test_fixture_bytes_are_like_the_real_files(ddf_dir):
    data = (ddf_dir / IT_USE).read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf") and b"\r" not in data  # UTF-8 without BOM, LF
    assert data.splitlines()[0] == b"age,geo_area,nature,sex,units,year,it_use_ii99"


def test_economies_contract_and_rows(ddf_dir, m49_map):
    econ, _ = read_sdg_ddf(ddf_dir / IT_USE, m49_map, V)
    assert tuple(econ.columns) == RAW_COLUMNS
    assert str(econ["year"].dtype) == "int64" and str(econ["value"].dtype) == "float64"
    c = "IT_USE_II99"
    assert rows(econ) == [
        ("BTN", 2020, c, "total", 71.38, "normal", V),  # empty age = no breakdown; the empty 2019 value dropped
        ("DZA", 2018, c, "total", 49.04, "normal", V),  # empty nature -> normal; the 'number' row dropped
        ("ETH", 2019, c, "female", 14.2, "estimate", V),  # nature e
        ("ETH", 2019, c, "male", 27.0, "estimate", V),
        ("ETH", 2019, c, "total", 20.6, "normal", V),  # nature c; the 15_24 row dropped, so no duplicate
        ("FRA", 2020, c, "female", 83.03, "estimate", V),  # nature m
        ("FRA", 2020, c, "male", 86.12, "estimate", V),  # nature g
        ("FRA", 2020, c, "total", 84.8, "normal", V),  # age allage, nature ca
        ("NAM", 2019, c, "total", 29.4, "normal", V),  # NOTSPEC / C / BOTHSEX / PERCENT in capitals
        ("TWN", 2019, c, "female", 87.6, "normal", V),  # 158: the Taiwan area, not in M49
        ("TWN", 2019, c, "male", 90.5, "normal", V),
        ("TWN", 2019, c, "total", 89.04, "normal", V),
        ("XKX", 2019, c, "female", 88.5, "normal", V),  # 412: Kosovo, not in M49 (by sex only, as in the real file)
        ("XKX", 2019, c, "male", 92.3, "normal", V),
    ]


def test_groups_rows(ddf_dir, m49_map):
    _, groups = read_sdg_ddf(ddf_dir / IT_USE, m49_map, V)
    assert tuple(groups.columns) == GROUP_COLUMNS
    assert str(groups["m49"].dtype) == "int64" and str(groups["year"].dtype) == "int64"
    c = "IT_USE_II99"
    assert rows(groups) == [
        ("LDC", "Least Developed Countries (LDCs)", 199, 2022, c, "female", 29.6, "normal", V),
        ("LLDC", "Landlocked developing countries (LLDCs)", 432, 2022, c, "male", 40.1, "normal", V),
        ("SDG_62", "Central and Southern Asia", 62, 2022, c, "total", 50.2, "normal", V),
        ("SIDS", "Small island developing States (SIDS)", 722, 2022, c, "total", 66.33, "normal", V),
        ("WLD", "World", 1, 2019, c, "female", 50.9, "normal", V),
        ("WLD", "World", 1, 2019, c, "male", 56.4, "normal", V),
        ("WLD", "World", 1, 2019, c, "total", 53.7, "normal", V),
    ]


def test_what_is_dropped_is_logged(ddf_dir, m49_map, caplog):
    with caplog.at_level(logging.INFO):
        read_sdg_ddf(ddf_dir / IT_USE, m49_map, V)
    text = caplog.text
    assert "dropped 1 rows with an empty value" in text
    assert "dropped 1 rows broken down by age (['15_24'])" in text
    assert "dropped 1 rows in units ['number']" in text
    assert "680 Sark" in text and "999 ?" in text  # in the GeoArea list but no economy / not listed at all
    assert "unknown nature" not in text


def test_without_the_entities_file_the_code_names_the_group(ddf_dir, m49_map, tmp_path):
    shutil.copy(ddf_dir / IT_USE, tmp_path / IT_USE)
    _, groups = read_sdg_ddf(tmp_path / IT_USE, m49_map, V)
    assert dict(zip(groups["group"], groups["publisher_group"], strict=False)) == {
        "LDC": "199", "LLDC": "432", "SDG_62": "62", "SIDS": "722", "WLD": "1"
    }  # fmt: skip


def test_series_code_override_and_other_series(ddf_dir, m49_map):
    econ, groups = read_sdg_ddf(ddf_dir / IT_USE, m49_map, V, series_code="IT_USE_ii99")
    assert set(econ["source_code"]) == set(groups["source_code"]) == {"IT_USE_ii99"}
    econ, groups = read_sdg_ddf(ddf_dir / IT_MOB, m49_map, V)  # no age column
    assert rows(econ) == [
        ("ETH", 2016, "IT_MOB_OWN", "female", 32.1, "normal", V),
        ("ETH", 2016, "IT_MOB_OWN", "male", 45.0, "normal", V),
        ("TWN", 2019, "IT_MOB_OWN", "total", 94.8, "normal", V),
    ]
    assert sorted(zip(groups["group"], groups["sex"], strict=True)) == [
        ("LLDC", "total"), ("WLD", "female"), ("WLD", "male"), ("WLD", "total")
    ]  # fmt: skip


def test_group_ids():
    assert [sdg_group_id(c) for c in (1, 199, 432, 722, 62, 202)] == ["WLD", "LDC", "LLDC", "SIDS", "SDG_62", "SDG_202"]
    assert set(SDG_EXTRA_ECONOMIES) == {158, 412} and not set(SDG_EXTRA_ECONOMIES) & SDG_AGGREGATES
    assert 680 not in SDG_AGGREGATES and 830 not in SDG_AGGREGATES  # Sark, Channel Islands: not aggregates


def test_bom_and_crlf_tolerated(ddf_dir, m49_map, tmp_path):
    text = (ddf_dir / IT_USE).read_text(encoding="utf-8").replace("\n", "\r\n")
    path = write(tmp_path, text, encoding="utf-8-sig")
    got, _ = read_sdg_ddf(path, m49_map, V)
    want, _ = read_sdg_ddf(ddf_dir / IT_USE, m49_map, V)
    pd.testing.assert_frame_equal(got, want)


def test_unknown_nature_is_normal_with_a_warning(tmp_path, m49_map, caplog):
    path = write(tmp_path, HEAD + "notspec,231,zz,bothsex,percent,2019,20.6\n")
    with caplog.at_level(logging.WARNING):
        econ, _ = read_sdg_ddf(path, m49_map, V)
    assert list(econ["obs_status"]) == ["normal"]
    assert "unknown nature codes ['zz']" in caplog.text


def test_other_sex_codes_dropped(tmp_path, m49_map, caplog):
    path = write(tmp_path, HEAD + "notspec,231,c,notspec,percent,2019,20.6\nnotspec,231,c,male,percent,2019,27\n")
    with caplog.at_level(logging.INFO):
        econ, _ = read_sdg_ddf(path, m49_map, V)
    assert list(econ["sex"]) == ["male"] and "sex codes ['notspec']" in caplog.text


# ---- errors ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "match"),
    [
        ("notspec,231,c,bothsex,percent,2019,n/a", r"line 3: value 'n/a' is not a number"),
        ("notspec,231,c,bothsex,percent,2019,NaN", r"line 3: value 'NaN' is not a finite number"),
        ("notspec,231,c,bothsex,percent,2019.5,20", r"line 3: year '2019.5' is not an integer year"),
        ("notspec,231,c,bothsex,percent,2019Q1,20", r"line 3: year '2019Q1'"),
        ("notspec,ETH,c,bothsex,percent,2019,20", r"line 3: geo_area 'ETH' is not an integer"),
        ("notspec,231,c,bothsex,percent,2019", r"line 3: 6 fields where the header has 7"),
    ],
    ids=["value", "nan", "year-decimal", "year-quarter", "geo", "ragged"],
)
def test_bad_rows_name_file_and_line(tmp_path, m49_map, line, match):
    path = write(tmp_path, HEAD + "notspec,250,c,bothsex,percent,2019,80\n" + line + "\n")
    with pytest.raises(SourceError, match=match) as exc:
        read_sdg_ddf(path, m49_map, V)
    assert str(path) in str(exc.value)


def test_duplicate_keys_name_the_lines(tmp_path, m49_map):
    text = HEAD + "notspec,231,c,bothsex,percent,2019,20.6\nnotspec,1,n,male,percent,2019,56\n"
    text += "allage,231,c,bothsex,percent,2019,21\n"  # notspec and allage both mean "all ages": ambiguous
    path = write(tmp_path, text)
    with pytest.raises(SourceError, match=r"duplicate \(iso3, year, source_code, sex\).*ETH/2019/IT_USE_II99/total: "
                       r"lines \[2, 4\]") as exc:  # fmt: skip
        read_sdg_ddf(path, m49_map, V)
    assert str(path) in str(exc.value)
    path = write(tmp_path, HEAD + "notspec,1,n,male,percent,2019,56\nNOTSPEC,1,N,MALE,PERCENT,2019,57\n")
    with pytest.raises(SourceError, match=r"duplicate \(m49, year, source_code, sex\).*1/2019/IT_USE_II99/male"):
        read_sdg_ddf(path, m49_map, V)


def test_missing_and_extra_columns(tmp_path, m49_map):
    path = write(tmp_path, "age,geo_area,nature,units,year,it_use_ii99\nnotspec,231,c,percent,2019,20\n")
    with pytest.raises(SourceError, match=r"line 1: .*lacks columns \['sex'\]") as exc:
        read_sdg_ddf(path, m49_map, V)
    assert str(path) in str(exc.value)
    path = write(tmp_path, "geo_area,nature,sex,units,year,it_use_ii99\n231,c,bothsex,percent,2019,20\n")
    with pytest.raises(SourceError, match=r"lacks columns \['age'\]"):  # the file name says --by--age--
        read_sdg_ddf(path, m49_map, V)
    path = write(tmp_path, HEAD.replace("\n", ",footnote\n") + "notspec,231,c,bothsex,percent,2019,20,x\n")
    with pytest.raises(SourceError, match=r"one value column .*\['it_use_ii99', 'footnote'\]"):
        read_sdg_ddf(path, m49_map, V)
    path = write(tmp_path, HEAD.replace("it_use_ii99", "it_mob_own") + "notspec,231,c,bothsex,percent,2019,20\n")
    with pytest.raises(SourceError, match=r"value column 'it_mob_own' is not the file's series 'it_use_ii99'"):
        read_sdg_ddf(path, m49_map, V)


def test_other_file_names_find_the_value_column(tmp_path, m49_map):
    path = write(tmp_path, "geo_area,sex,units,year,value_x\n231,female,percent,2019,20\n", name="small.csv")
    econ, groups = read_sdg_ddf(path, m49_map, V)
    assert rows(econ) == [("ETH", 2019, "VALUE_X", "female", 20.0, "normal", V)] and groups.empty
    assert tuple(groups.columns) == GROUP_COLUMNS


def test_bad_vintage_and_missing_file(ddf_dir, m49_map, tmp_path):
    with pytest.raises(ValueError, match="ISO date"):
        read_sdg_ddf(ddf_dir / IT_USE, m49_map, "17/12/2023")
    with pytest.raises(SourceError, match="cannot read"):
        read_sdg_ddf(tmp_path / IT_USE, m49_map, V)


# ---- the real files --------------------------------------------------------------------------------------

M49_CURRENT = "unsd_m49/UNSD — Methodology.csv"
DDF = "unsd_sdg_ddf"


@pytest.fixture(scope="module")
def real_map(raw_dir):
    return m49_to_iso3(read_m49(raw_dir / M49_CURRENT))


@pytest.fixture(scope="module")
def real_it_use(raw_dir, real_map):
    return read_sdg_ddf(raw_dir / DDF / IT_USE, real_map, V)


def both_sexes(econ: pd.DataFrame, year: int, exclude=()) -> set[str]:
    y = econ[(econ["year"] == year) & ~econ["iso3"].isin(list(exclude))]
    return set(y.loc[y["sex"] == "female", "iso3"]) & set(y.loc[y["sex"] == "male", "iso3"])


@pytest.mark.raw
def test_real_codes_in_the_file(raw_dir):
    with open(raw_dir / DDF / IT_USE, newline="", encoding="utf-8") as fh:
        src = list(csv.DictReader(fh))
    assert {r["age"] for r in src} == {"notspec"}  # no age breakdown in this series
    assert {r["nature"] for r in src} == {"c", "e", "n"}
    assert {r["units"] for r in src} == {"percent"} and {r["sex"] for r in src} == {"bothsex", "female", "male"}
    assert len(src) == 7504


@pytest.mark.raw
def test_real_it_use_by_sex_counts(real_it_use):
    econ, _ = real_it_use
    extras = set(SDG_EXTRA_ECONOMIES.values())
    # SOURCES.md §11 counts M49 economies only: 92 in 2019, 73 in 2021. The Taiwan area (158 -> TWN) adds one
    # in 2019; Kosovo (412 -> XKX) has by-sex values for 2017-2018 only.
    assert len(both_sexes(econ, 2019, exclude=extras)) == 92
    assert len(both_sexes(econ, 2019)) == 93 and "TWN" in both_sexes(econ, 2019)
    assert len(both_sexes(econ, 2021)) == len(both_sexes(econ, 2021, exclude=extras)) == 73
    assert len(both_sexes(econ, 2020, exclude=extras)) == 72
    assert econ.loc[econ["sex"] != "total", "iso3"].nunique() - 2 == 131  # 131 M49 economies by sex in all


@pytest.mark.raw
def test_real_2022_totals_are_aggregates_only(real_it_use):
    econ, groups = real_it_use
    assert econ.loc[(econ["year"] == 2022) & (econ["sex"] == "total")].empty
    assert len(groups[(groups["year"] == 2022) & (groups["sex"] == "total")]) == 26
    # Unlike SOURCES.md §11 ("2022 holds aggregates only"), 8 economies have female and male values for 2022
    # (with no total): DNK, ECU, DEU, LVA, SGP, SWE, TUR, EGY.
    assert both_sexes(econ, 2022) == {"DEU", "DNK", "ECU", "EGY", "LVA", "SGP", "SWE", "TUR"}


@pytest.mark.raw
def test_real_group_rows(real_it_use):
    _, groups = real_it_use
    for gid in ("WLD", "LDC", "LLDC", "SIDS"):
        g = groups[groups["group"] == gid]
        for year in range(2019, 2023):
            assert set(g.loc[g["year"] == year, "sex"]) == {"total", "female", "male"}, (gid, year)
        assert set(g.loc[g["year"] < 2019, "sex"]) == {"total"}  # by sex only from 2019
    wld = groups[groups["group"] == "WLD"].set_index(["year", "sex"])["value"]
    assert (wld[(2022, "female")], wld[(2022, "male")], wld[(2022, "total")]) == (63.4, 69.2, 66.3)
    assert set(groups.loc[groups["group"] == "WLD", "publisher_group"]) == {"World"}
    assert set(groups.loc[groups["m49"] == 62, "publisher_group"]) == {"Central and Southern Asia"}
    sdg = {int(g[4:]) for g in groups["group"] if g.startswith("SDG_")}
    assert {62, 202, 419, 513, 543, 747, 753} <= sdg
    assert set(groups["m49"]) <= SDG_AGGREGATES and groups["m49"].nunique() == 27


@pytest.mark.raw
def test_real_nothing_unexplained_is_dropped(raw_dir, real_map, caplog):
    with caplog.at_level(logging.INFO):
        econ, groups = read_sdg_ddf(raw_dir / DDF / IT_USE, real_map, V)
    assert "neither economies nor SDG aggregates" not in caplog.text
    assert len(econ) + len(groups) == 7504  # every row is an economy or an SDG aggregate
    assert {"TWN", "XKX"} <= set(econ["iso3"])
    assert set(econ["obs_status"]) == {"normal", "estimate"}
    assert not econ.duplicated(["iso3", "year", "source_code", "sex"]).any()


@pytest.mark.raw
def test_real_it_mob_own(raw_dir, real_map):
    econ, groups = read_sdg_ddf(raw_dir / DDF / IT_MOB, real_map, V)
    assert set(econ["source_code"]) == {"IT_MOB_OWN"} and len(econ) + len(groups) == 1116
    extras = set(SDG_EXTRA_ECONOMIES.values())
    counts = {y: len(both_sexes(econ, y, exclude=extras)) for y in (2015, 2017, 2019, 2021)}
    assert counts == {2015: 28, 2017: 49, 2019: 50, 2021: 37}  # SOURCES.md §11 (TWN adds 1 in 2017 and 2019)
    wld = groups[groups["group"] == "WLD"]
    assert set(wld["year"]) == {2019, 2020, 2021, 2022} and set(wld["sex"]) == {"total", "female", "male"}
