"""WDI bulk CSV and country-metadata readers: hand-written fixtures, then the real files (``raw_dir``)."""

from __future__ import annotations

import logging

import pytest

from indicators.sources import RAW_COLUMNS, SourceError
from indicators.sources.worldbank import read_bulk_csv, read_country_metadata

WITH_PREAMBLE = "API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_fixture.csv"
NO_PREAMBLE = "API_IT.NET.USER.ZS_DS2_en_csv_v2_nopreamble.csv"
METADATA = "Metadata_Country_API_fixture.csv"


def rows(frame):
    return sorted(frame.itertuples(index=False, name=None))


# ---- fixture files ---------------------------------------------------------------------------------------


def test_fixture_bytes_have_the_real_pitfalls(fixtures):
    data = (fixtures / "worldbank" / WITH_PREAMBLE).read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Data Source",')
    assert data.count(b"\r\n") == data.count(b"\n")  # CRLF everywhere
    assert all(line.endswith(b",") for line in data.split(b"\r\n") if line.strip())


def test_with_preamble_bom_trailing_comma_crlf(fixtures, caplog):
    with caplog.at_level(logging.INFO):
        raw = read_bulk_csv(fixtures / "worldbank" / WITH_PREAMBLE)
    assert tuple(raw.columns) == RAW_COLUMNS
    code, v = "IT.NET.USER.FE.ZS", "2024-02-21"
    assert rows(raw) == [
        ("ABW", 2020, code, "female", 97.1, "normal", v),
        ("ABW", 2021, code, "female", 97.9, "normal", v),
        ("NAM", 2021, code, "female", 52.25, "normal", v),
        ("WLD", 2019, code, "female", 51.5, "normal", v),
        ("WLD", 2020, code, "female", 56.0, "normal", v),
        ("WLD", 2021, code, "female", 59.13, "normal", v),
    ]
    assert str(raw["year"].dtype) == "int64" and str(raw["value"].dtype) == "float64"
    assert "dropped economy code CHI" in caplog.text  # CHI dropped (logged); INX has no data


def test_preamble_date_wins_over_vintage_argument(fixtures):
    raw = read_bulk_csv(fixtures / "worldbank" / WITH_PREAMBLE, vintage="2030-01-01")
    assert set(raw["vintage"]) == {"2024-02-21"}


def test_without_preamble_needs_a_vintage(fixtures):
    path = fixtures / "worldbank" / NO_PREAMBLE
    with pytest.raises(SourceError, match="no 'Last Updated Date'.*vintage") as exc:
        read_bulk_csv(path)
    assert str(path) in str(exc.value)
    raw = read_bulk_csv(path, vintage="2024-11-29")
    code, v = "IT.NET.USER.ZS", "2024-11-29"
    assert rows(raw) == [
        ("ABW", 2014, code, "total", 83.78, "normal", v),
        ("ABW", 2015, code, "total", 88.6612, "normal", v),
        ("ABW", 2016, code, "total", 93.54, "normal", v),
        ("LDC", 2014, code, "total", 9.1, "normal", v),
        ("LDC", 2016, code, "total", 13.4, "normal", v),
        ("NPL", 2015, code, "total", 17.58, "normal", v),
        ("NPL", 2016, code, "total", 19.69, "normal", v),
    ]


def test_bad_vintage_argument(fixtures):
    with pytest.raises(SourceError, match="not an ISO date"):
        read_bulk_csv(fixtures / "worldbank" / NO_PREAMBLE, vintage="29/11/2024")


def test_bad_value_names_file_line_and_column(fixtures):
    path = fixtures / "worldbank" / "API_bad_value.csv"
    with pytest.raises(SourceError) as exc:
        read_bulk_csv(path)
    msg = str(exc.value)
    assert str(path) in msg and "line 7" in msg and "'2020'" in msg and "'n/a'" in msg


def test_not_a_wdi_file(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("iso,year,value\nABW,2020,1\n", encoding="utf-8")
    with pytest.raises(SourceError, match="Country Code") as exc:
        read_bulk_csv(path, vintage="2024-01-01")
    assert str(path) in str(exc.value)


def test_no_year_columns(tmp_path):
    path = tmp_path / "API_X.csv"
    path.write_text("Country Name,Country Code,Indicator Name,Indicator Code,\nAruba,ABW,X,X,\n")
    with pytest.raises(SourceError, match="no year columns") as exc:
        read_bulk_csv(path, vintage="2024-01-01")
    assert str(path) in str(exc.value)


def test_ragged_row(tmp_path):
    path = tmp_path / "API_X.csv"
    path.write_text("Country Name,Country Code,Indicator Name,Indicator Code,2020\nAruba,ABW,X,X,1,2,3\n")
    with pytest.raises(SourceError, match="line 2: 7 fields"):
        read_bulk_csv(path, vintage="2024-01-01")


def test_header_only_gives_empty_raw(tmp_path):
    path = tmp_path / "API_X.csv"
    path.write_text("Country Name,Country Code,Indicator Name,Indicator Code,2020\nAruba,ABW,X,X,\n")
    raw = read_bulk_csv(path, vintage="2024-01-01")
    assert raw.empty and tuple(raw.columns) == RAW_COLUMNS


def test_missing_file():
    with pytest.raises(SourceError, match="cannot read"):
        read_bulk_csv("/nonexistent/API_X.csv", vintage="2024-01-01")


def test_country_metadata(fixtures):
    meta = read_country_metadata(fixtures / "worldbank" / METADATA)
    assert list(meta.columns) == ["iso3", "region", "income_group", "is_aggregate"]
    assert [tuple(r) for r in meta.itertuples(index=False)] == [
        ("ABW", "Latin America & Caribbean", "High income", False),
        ("LDC", None, None, True),
        ("NPL", "South Asia", "Lower middle income", False),
        ("VEN", "Latin America & Caribbean", None, False),
        ("WLD", None, None, True),
    ]  # CHI dropped (codes.DROPPED); the multi-line note in LDC parses
    assert meta["is_aggregate"].dtype == bool


def test_country_metadata_wrong_file(fixtures):
    path = fixtures / "worldbank" / NO_PREAMBLE
    with pytest.raises(SourceError, match="missing columns") as exc:
        read_country_metadata(path)
    assert str(path) in str(exc.value)


# ---- the real files ------------------------------------------------------------------------------------------

WB = "wb_wdi"


@pytest.fixture(scope="module")
def real_metadata(raw_dir):
    return read_country_metadata(raw_dir / WB / "Metadata_Country_API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv")


@pytest.mark.raw
def test_real_metadata_aggregates(real_metadata):
    aggregates = set(real_metadata.loc[real_metadata["is_aggregate"], "iso3"])
    assert len(aggregates) == 48
    assert {"WLD", "LDC", "SST", "HIC", "LIC"} <= aggregates
    assert len(real_metadata) - len(aggregates) == 216  # 217 economies, CHI dropped
    assert real_metadata.set_index("iso3").loc["VEN", "income_group"] is None  # unclassified


@pytest.mark.raw
def test_real_internet_users_plotly_copy(raw_dir, real_metadata):
    raw = read_bulk_csv(raw_dir / WB / "API_IT.NET.USER.ZS_DS2_en_csv_v2_2160.csv", vintage="2024-11-29")
    aggregates = set(real_metadata.loc[real_metadata["is_aggregate"], "iso3"])
    y2015 = raw[raw["year"] == 2015]
    assert y2015.loc[~y2015["iso3"].isin(aggregates), "iso3"].nunique() >= 190
    npl = y2015.loc[y2015["iso3"] == "NPL", "value"]
    assert len(npl) == 1 and 15 <= npl.iloc[0] <= 25
    assert {"WLD", "LDC"} <= set(raw["iso3"])
    assert not raw.duplicated(["iso3", "year", "source_code"]).any()
    assert raw["year"].between(1960, 2023).all()


@pytest.mark.raw
def test_real_mobile_cellular_vintage(raw_dir):
    raw = read_bulk_csv(raw_dir / WB / "API_IT.CEL.SETS.P2_DS2_en_csv_v2_2987.csv")
    assert set(raw["vintage"]) == {"2024-02-21"}
    assert set(raw["source_code"]) == {"IT.CEL.SETS.P2"} and set(raw["sex"]) == {"total"}
    assert raw["year"].max() == 2022


@pytest.mark.raw
@pytest.mark.parametrize(
    ("name", "vintage", "sex"),
    [
        ("API_SP.POP.TOTL_DS2_en_csv_v2_85.csv", "2024-02-21", "total"),
        ("API_IT.NET.BBND.P2_DS2_en_csv_v2_43250.csv", "2019-07-10", "total"),
        ("API_SP.POP.TOTL.FE.IN_DS2_en_csv_v2.csv", "2018-01-25", "female"),
    ],
)
def test_real_other_files(raw_dir, name, vintage, sex):
    raw = read_bulk_csv(raw_dir / WB / name)
    assert set(raw["vintage"]) == {vintage} and set(raw["sex"]) == {sex}
    assert "CHI" not in set(raw["iso3"])
    assert raw["value"].notna().all()
