"""World Bank population files: the by-sex bulk copies without preamble, and the long-format reshape."""

from __future__ import annotations

import csv
import logging

import pandas as pd
import pytest

from indicators.sources import RAW_COLUMNS, SourceError
from indicators.sources.worldbank import read_bulk_csv, read_country_metadata, read_long_csv

BY_SEX = "API_SP.POP.TOTL.FE.IN_nopreamble_quoted_lf.csv"
LONG = "population_long.csv"
LONG_HEAD = "Country Name,Country Code,Year,Value\r\n"


def rows(frame):
    return sorted(frame.itertuples(index=False, name=None))


def write(tmp_path, text: str, name: str = "population.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# ---- by-sex bulk file without the preamble (read_bulk_csv) ----------------------------------------------


def test_by_sex_fixture_bytes_have_the_real_pitfalls(fixtures):
    data = (fixtures / "worldbank" / BY_SEX).read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Country Name","Country Code",')  # BOM, header on the first line
    assert b"\r" not in data  # LF only
    lines = data[3:].split(b"\n")[:-1]
    assert all(line.startswith(b'"') and line.endswith(b'",') for line in lines)  # all quoted, trailing comma


def test_by_sex_without_preamble(fixtures, caplog):
    path = fixtures / "worldbank" / BY_SEX
    with pytest.raises(SourceError, match="no 'Last Updated Date'"):
        read_bulk_csv(path)
    with caplog.at_level(logging.INFO):
        raw = read_bulk_csv(path, vintage="2025-01-28")
    assert tuple(raw.columns) == RAW_COLUMNS
    c, v = "SP.POP.TOTL.FE.IN", "2025-01-28"
    assert rows(raw) == [
        ("ABW", 2021, c, "female", 55223.0, "normal", v),  # the first data line is read (no lines skipped)
        ("ABW", 2022, c, "female", 55338.0, "normal", v),
        ("ABW", 2023, c, "female", 55432.0, "normal", v),
        ("BHS", 2021, c, "female", 207001.0, "normal", v),  # "Bahamas, The": the quoted comma
        ("BHS", 2022, c, "female", 207652.0, "normal", v),
        ("BHS", 2023, c, "female", 208225.0, "normal", v),
        ("WLD", 2021, c, "female", 3944325000.0, "normal", v),  # aggregates kept verbatim
        ("WLD", 2022, c, "female", 3979103480.0, "normal", v),
        ("WLD", 2023, c, "female", 4011942016.0, "normal", v),
        ("XKX", 2022, c, "female", 896436.0, "normal", v),  # empty cells dropped
    ]
    assert "dropped economy code CHI" in caplog.text


def test_male_code_gives_male(fixtures, tmp_path):
    text = (fixtures / "worldbank" / BY_SEX).read_bytes().decode("utf-8-sig").replace(".FE.IN", ".MA.IN")
    raw = read_bulk_csv(write(tmp_path, text), vintage="2025-01-28")
    assert set(raw["sex"]) == {"male"} and set(raw["source_code"]) == {"SP.POP.TOTL.MA.IN"}


# ---- long format (read_long_csv) -------------------------------------------------------------------------


def test_long_fixture_bytes(fixtures):
    data = (fixtures / "worldbank" / LONG).read_bytes()
    assert data.startswith(b"Country Name,Country Code,Year,Value\r\n")  # no BOM
    assert data.count(b"\r\n") == data.count(b"\n")


def test_long_rows(fixtures, caplog):
    with caplog.at_level(logging.INFO):
        raw = read_long_csv(fixtures / "worldbank" / LONG, "SP.POP.TOTL", "2026-03-06")
    assert tuple(raw.columns) == RAW_COLUMNS
    assert str(raw["year"].dtype) == "int64" and str(raw["value"].dtype) == "float64"
    c, v = "SP.POP.TOTL", "2026-03-06"
    assert rows(raw) == [
        ("ABW", 2023, c, "total", 107359.0, "normal", v),
        ("ABW", 2024, c, "total", 107624.0, "normal", v),
        ("BHS", 2024, c, "total", 401283.0, "normal", v),  # quoted name with a comma
        ("LDC", 2024, c, "total", 1185012000.0, "normal", v),  # aggregates kept verbatim for the caller
        ("WLD", 2023, c, "total", 8064976550.0, "normal", v),
        ("WLD", 2024, c, "total", 8142056826.0, "normal", v),
        ("XKX", 2023, c, "total", 1756374.0, "normal", v),  # XKX 2024 is an empty cell: dropped
        ("ZWE", 2024, c, "total", 16634373.0, "normal", v),  # "zwe" upper-cased
    ]
    assert "dropped economy code CHI" in caplog.text  # codes.DROPPED, as in read_bulk_csv


def test_long_sex_from_the_code(fixtures):
    raw = read_long_csv(fixtures / "worldbank" / LONG, "SP.POP.TOTL.FE.IN", "2026-03-06")
    assert set(raw["sex"]) == {"female"} and set(raw["source_code"]) == {"SP.POP.TOTL.FE.IN"}


def test_long_bom_and_lf_tolerated(fixtures, tmp_path):
    text = (fixtures / "worldbank" / LONG).read_text(encoding="utf-8").replace("\r\n", "\n")
    path = tmp_path / "p.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    got = read_long_csv(path, "SP.POP.TOTL", "2026-03-06")
    pd.testing.assert_frame_equal(got, read_long_csv(fixtures / "worldbank" / LONG, "SP.POP.TOTL", "2026-03-06"))


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ("Aruba,ABW,2023,107359\r\nAruba,ABW,2024.0,1\r\n", r"line 3: Year '2024.0' is not a four-digit year"),
        ("Aruba,ABW,2023,107359\r\nAruba,ABW,,1\r\n", r"line 3: Year ''"),
        ("Aruba,ABW,2023,107359\r\nAruba,ABW,2024,n/a\r\n", r"line 3, column 'Value': value 'n/a' is not a number"),
        ("Aruba,ABW,2023,107359\r\nAruba,ABW,2024\r\n", r"line 3: 3 fields where the header has 4"),
        ("Aruba,ABW,2023,107359\r\nAruba,ABW,2023,107360\r\n", r"lines 2 and 3: two rows for ABW 2023"),
        ("Aruba,ABW,2023,107359\r\nAruba,abw,2023,\r\n", r"lines 2 and 3: two rows for ABW 2023"),
    ],
    ids=["year-decimal", "year-empty", "value", "ragged", "duplicate", "duplicate-case"],
)
def test_long_bad_rows_name_file_and_line(tmp_path, body, match):
    path = write(tmp_path, LONG_HEAD + body)
    with pytest.raises(SourceError, match=match) as exc:
        read_long_csv(path, "SP.POP.TOTL", "2026-03-06")
    assert str(path) in str(exc.value)


def test_long_missing_columns_vintage_and_empty(tmp_path):
    path = write(tmp_path, "Country Name,Country Code,Date,Value\r\nAruba,ABW,2023,1\r\n")
    with pytest.raises(SourceError, match=r"line 1: .*lacks columns \['Year'\]") as exc:
        read_long_csv(path, "SP.POP.TOTL", "2026-03-06")
    assert str(path) in str(exc.value)
    with pytest.raises(SourceError, match="not an ISO date"):
        read_long_csv(write(tmp_path, LONG_HEAD), "SP.POP.TOTL", "March 2026")
    with pytest.raises(SourceError, match="empty file"):
        read_long_csv(write(tmp_path, ""), "SP.POP.TOTL", "2026-03-06")
    raw = read_long_csv(write(tmp_path, LONG_HEAD + "Aruba,ABW,2023,\r\n"), "SP.POP.TOTL", "2026-03-06")
    assert raw.empty and tuple(raw.columns) == RAW_COLUMNS


# ---- the real files --------------------------------------------------------------------------------------

WDI25 = "wb_wdi_2025-01"
METADATA = "wb_wdi/Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv"


@pytest.fixture(scope="module")
def aggregates(raw_dir) -> set[str]:
    meta = read_country_metadata(raw_dir / METADATA)
    return set(meta.loc[meta["is_aggregate"], "iso3"])


@pytest.fixture(scope="module")
def real_by_sex(raw_dir):
    female = read_bulk_csv(raw_dir / WDI25 / "population_female.csv", vintage="2025-01-28")
    male = read_bulk_csv(raw_dir / WDI25 / "population_male.csv", vintage="2025-01-28")
    total = read_bulk_csv(raw_dir / WDI25 / "population_total.csv")
    return female, male, total


@pytest.mark.raw
def test_real_by_sex_files_bytes(raw_dir):
    for name in ("population_female.csv", "population_male.csv"):
        data = (raw_dir / WDI25 / name).read_bytes()
        assert data.startswith(b'\xef\xbb\xbf"Country Name",') and b"\r\n" not in data
    data = (raw_dir / WDI25 / "population_total.csv").read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Data Source",') and b"\r\n" in data


@pytest.mark.raw
def test_real_by_sex_files(real_by_sex, aggregates):
    female, male, total = real_by_sex
    assert set(total["vintage"]) == {"2025-01-28"}  # from the preamble of the total file
    for frame, code, sex in ((female, "SP.POP.TOTL.FE.IN", "female"), (male, "SP.POP.TOTL.MA.IN", "male"),
                             (total, "SP.POP.TOTL", "total")):  # fmt: skip
        assert set(frame["source_code"]) == {code} and set(frame["sex"]) == {sex}
        assert frame["year"].min() == 1960 and frame["year"].max() == 2023
        assert "CHI" not in set(frame["iso3"])
        econ = frame[~frame["iso3"].isin(aggregates) & frame["year"].between(2000, 2023)]
        # 217 economies in every year 2000-2023 (SOURCES.md §12), 216 once codes.DROPPED removes CHI
        assert econ.groupby("year")["iso3"].nunique().eq(216).all()
        assert aggregates <= set(frame["iso3"])


@pytest.mark.raw
def test_real_female_plus_male_is_the_total(real_by_sex):
    female, male, total = real_by_sex
    key = ["iso3", "year"]
    both = female.merge(male, on=key, suffixes=("_f", "_m")).merge(total, on=key)
    both = both[both["year"].between(2000, 2023)]
    gap = (both["value_f"] + both["value_m"] - both["value"]).abs()
    y2023 = gap[both["year"] == 2023]
    assert len(y2023) == 264 and (y2023 == 0).all()  # exact for every entity in 2023
    assert gap.max() <= 0.5  # rounding of the split in earlier years (e.g. WLD 2000)


@pytest.mark.raw
def test_real_long_population(raw_dir, aggregates, real_by_sex, caplog):
    path = raw_dir / "wb_population_2026" / "population.csv"
    with open(path, newline="", encoding="utf-8") as fh:
        src = list(csv.DictReader(fh))
    codes_2024 = {r["Country Code"] for r in src if r["Year"] == "2024"}
    assert len(codes_2024 - aggregates) == 217 and len(codes_2024 & aggregates) == 48  # as the file has it
    with caplog.at_level(logging.INFO):
        raw = read_long_csv(path, "SP.POP.TOTL", "2026-03-06")
    assert "dropped economy code CHI" in caplog.text
    assert len(raw) == len(src) - sum(r["Country Code"] == "CHI" for r in src)  # no empty cells in this copy
    y2024 = raw[raw["year"] == 2024]
    assert y2024.loc[~y2024["iso3"].isin(aggregates), "iso3"].nunique() == 216  # 217 less CHI
    assert aggregates <= set(y2024["iso3"])  # aggregates kept verbatim
    assert raw["year"].min() == 1960 and raw["year"].max() == 2024
    assert set(raw["sex"]) == {"total"} and set(raw["vintage"]) == {"2026-03-06"}
    # a newer vintage than 2025-01: its 2023 values differ for about a quarter of the entities (SOURCES.md §12)
    _, _, total = real_by_sex
    key = ["iso3", "year"]
    pair = raw[raw["year"] == 2023].merge(total[total["year"] == 2023], on=key, suffixes=("_26", "_25"))
    assert len(pair) == 264
    assert 0.2 < (pair["value_26"] != pair["value_25"]).mean() < 0.3
