"""ITU readers and client: DataHub CSV/ZIP, the DataHub download client, and ITU table 10 (internet use by sex)."""

from __future__ import annotations

import io
import logging
import zipfile

import pandas as pd
import pytest
import yaml

from indicators.registry import codes_for
from indicators.sources import RAW_COLUMNS, SourceError, itu
from tests.support.fake_publisher import Reply

VINTAGE = "2025-12-28"
GENDER_FILE = "10. Individuals using the Internet by gender and urban-rural location.xls"
#: Mapped codes that are deliberately not in UNSD M49 (see itu_economy_names.yml).
NOT_IN_M49 = {"XKX": "Kosovo", "TWN": "Taiwan, Province of China"}


@pytest.fixture
def datahub_csv(fixtures):
    return fixtures / "itu" / "datahub_small.csv"


@pytest.fixture
def datahub_text(datahub_csv) -> str:
    return datahub_csv.read_bytes().decode("utf-8-sig")


def _read_text(text: str, origin: str = "bad.csv", encoding: str = "utf-8-sig"):
    return itu.read_datahub_csv(io.BytesIO(text.encode(encoding)), VINTAGE, origin=origin)


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def _session():
    return itu.datahub_session(total=3, backoff_factor=0)


# ---------------------------------------------------------------------------------------------------------------
# DataHub CSV reader
# ---------------------------------------------------------------------------------------------------------------

EXPECTED = [
    ("CHN", 2020, "i4213tfbb", 483549000.0, "estimate"),
    ("CHN", 2020, "i992b", 34.2681, "normal"),
    ("ABW", 2020, "i992b", 16.4212, "normal"),
    ("GGY", 2020, "i992b", 40.1, "normal"),
    ("JEY", 2020, "i992b", 38.0, "normal"),
    ("XKX", 2020, "i992b", 18.5, "estimate"),
    ("TON", 2019, "i992b", 3.1, "estimate"),
    ("MMR", 2001, "i99H", 2.89277380848561e-4, "estimate"),  # capital-E scientific notation (i99H, April 2026)
    ("USA", 2020, "i99H", 90.9, "normal"),  # dataSource with an embedded CR LF
    ("ABW", 2020, "i4213tfbb", 22000.0, "normal"),
    ("DEU", 2020, "i4213tfbb", 36000000.0, "normal"),
    ("CIV", 2020, "i4213tfbb", 190000.0, "normal"),
]


def test_datahub_csv_exact_values(datahub_csv):
    out = itu.read_datahub_csv(datahub_csv, VINTAGE)
    assert tuple(out.columns) == RAW_COLUMNS
    got = list(out[["iso3", "year", "source_code", "value", "obs_status"]].itertuples(index=False, name=None))
    assert got == EXPECTED
    assert set(out["sex"]) == {"total"}
    assert set(out["vintage"]) == {VINTAGE}
    assert out["year"].dtype == "int64" and out["value"].dtype == "float64"


def test_datahub_series_picked_by_code_not_units(datahub_csv):
    out = itu.read_datahub_csv(datahub_csv, VINTAGE)
    # i992b is labelled "count" and i4213tfbb "per 100 people" in the file; codes decide, and i112 is not used
    assert set(out["source_code"]) == {"i992b", "i4213tfbb", "i99H"}
    assert set(out["source_code"]) <= set(codes_for("itu_datahub"))
    per100 = out[out["source_code"] == "i992b"]["value"]
    assert per100.max() < 100


def test_datahub_remaps_drops_and_logs(datahub_csv, caplog):
    with caplog.at_level(logging.INFO):
        out = itu.read_datahub_csv(datahub_csv, VINTAGE)
    assert {"GGY", "JEY", "XKX"} <= set(out["iso3"])
    assert not {"AAA", "GBJ", "KSO", "ANT"} & set(out["iso3"])
    assert "dropped 1 rows for economy codes: ANT (1 rows)" in caplog.text
    assert str(datahub_csv) in caplog.text
    assert "i112" in caplog.text  # the skipped series is named


def test_datahub_empty_values_dropped(datahub_csv):
    out = itu.read_datahub_csv(datahub_csv, VINTAGE)
    assert not ((out["iso3"] == "ABW") & (out["year"] == 2021)).any()
    assert "FRA" not in set(out["iso3"])
    assert out["value"].notna().all()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ITU estimate.", "estimate"),
        ("ITU estimate based on GSMA", "estimate"),
        ("Itu estimate\r\n", "estimate"),
        ("ITU estiamte.", "estimate"),
        ("Estimate.", "normal"),
        ("NSO estimate.", "normal"),
        ("ITU research based on GSMA.", "normal"),
        ("Revised from 95.0 reported in ITU Long Questionnaire 2017", "normal"),
    ],
)
def test_obs_status_rule(text, expected):
    assert ("estimate" if itu.ITU_ESTIMATE.search(text) else "normal") == expected


def test_datahub_accepts_text_buffer_without_bom(datahub_text):
    out = itu.read_datahub_csv(io.StringIO(datahub_text), VINTAGE, origin="x.csv")
    assert len(out) == len(EXPECTED)


def test_datahub_missing_columns(datahub_text):
    text = datahub_text.replace('"dataYear"', '"year"', 1)
    with pytest.raises(SourceError, match=r"bad\.csv: not a DataHub CSV: missing columns \['dataYear'\]"):
        _read_text(text)


def test_datahub_non_numeric_value_names_file_and_row(datahub_text):
    text = datahub_text.replace('"40.1"', '"n/a"')  # data row 5 (Guernsey)
    with pytest.raises(SourceError, match=r"^bad\.csv: data row 5: dataValue 'n/a' is not a number$"):
        _read_text(text)


def test_datahub_non_integer_year_names_file_and_row(datahub_text):
    text = datahub_text.replace('"3.6e+007",2020', '"3.6e+007",2020.5')  # data row 14 (Germany)
    with pytest.raises(SourceError, match=r"^bad\.csv: data row 14: dataYear '2020\.5' is not an integer year$"):
        _read_text(text)


def test_datahub_wrong_encoding_names_data_row(datahub_text):
    # Côte d'Ivoire is data row 15 but physical line 19: three notes above it span two lines
    with pytest.raises(SourceError, match=r"^bad\.csv: data row 15 \(line 19\): not UTF-8"):
        _read_text(datahub_text, encoding="cp1252")


def test_datahub_duplicates_named(datahub_text):
    lines = datahub_text.splitlines(keepends=True)
    dup = next(line for line in lines if '"GBJ"' in line).replace('"38"', '"39"')
    with pytest.raises(SourceError, match=r"duplicate \(iso3, year, seriesCode\): JEY/2020/i992b at data rows"):
        _read_text(datahub_text + dup)


def test_datahub_duplicate_after_remap(datahub_text):
    lines = datahub_text.splitlines(keepends=True)
    dup = next(line for line in lines if '"AAA"' in line).replace('"AAA"', '"GGY"')
    with pytest.raises(SourceError, match=r"GGY/2020/i992b at data rows \[5, 17\]"):
        _read_text(datahub_text + dup)


def test_datahub_empty_file():
    with pytest.raises(SourceError, match="empty.csv: empty file"):
        _read_text("", origin="empty.csv")


def test_datahub_series_map_from_registry():
    assert itu.DATAHUB_SERIES["xHH6_IDI"] == 12047
    assert itu.DATAHUB_SERIES["i911mw"] == 12066
    assert set(itu.DATAHUB_SERIES) == set(codes_for("itu_datahub"))


# ---------------------------------------------------------------------------------------------------------------
# DataHub client
# ---------------------------------------------------------------------------------------------------------------

PATH = "/v2/data/download/byid/19303/iscollection/false"


def _fetch(publisher, **kw):
    return itu.fetch_datahub_series(19303, base_url=publisher.url + "/v2", session=_session(), vintage=VINTAGE, **kw)


def test_fetch_zip(publisher, datahub_csv):
    body = _zip({"i992b.csv": datahub_csv.read_bytes()})
    publisher.add(PATH, Reply(body=body, headers={"Content-Type": "application/zip"}))
    out = _fetch(publisher)
    expected = itu.read_datahub_csv(datahub_csv, VINTAGE)
    pd.testing.assert_frame_equal(out, expected)
    assert [p for p, _ in publisher.requests] == [PATH]


def test_fetch_plain_csv(publisher, datahub_csv):
    publisher.add(PATH, Reply(body=datahub_csv.read_bytes(), headers={"Content-Type": "text/csv"}))
    assert len(_fetch(publisher)) == len(EXPECTED)


def test_fetch_default_vintage_is_today(publisher, datahub_csv):
    publisher.add(PATH, Reply(body=datahub_csv.read_bytes()))
    out = itu.fetch_datahub_series(19303, base_url=publisher.url + "/v2", session=_session())
    assert set(out["vintage"]) == {pd.Timestamp.today().date().isoformat()}


def test_fetch_zip_without_csv(publisher):
    publisher.add(PATH, Reply(body=_zip({"readme.txt": b"nothing here"})))
    with pytest.raises(SourceError, match=rf"{publisher.url}{PATH}: expected one CSV in the ZIP, found 0"):
        _fetch(publisher)


def test_fetch_html_200(publisher):
    page = b"<!DOCTYPE html><html><body>Please enable JavaScript</body></html>"
    publisher.add(PATH, Reply(body=page, headers={"Content-Type": "text/html; charset=utf-8"}))
    with pytest.raises(SourceError, match=rf"{publisher.url}{PATH}: got an HTML page"):
        _fetch(publisher)


def test_fetch_empty_body(publisher):
    publisher.add(PATH, Reply(status=200, body=b""))
    with pytest.raises(SourceError, match=rf"{publisher.url}{PATH}: empty response body"):
        _fetch(publisher)


def test_fetch_retries_503_then_succeeds(publisher, datahub_csv):
    ok = Reply(body=_zip({"x.csv": datahub_csv.read_bytes()}))
    publisher.add(PATH, Reply(status=503, headers={"Retry-After": "0"}), Reply(status=429), ok)
    assert len(_fetch(publisher)) == len(EXPECTED)
    assert len(publisher.requests) == 3


def test_fetch_http_error_names_url(publisher):
    publisher.add(PATH, Reply(status=404, body=b"not found"))
    with pytest.raises(SourceError, match=rf"{publisher.url}{PATH}: HTTP 404"):
        _fetch(publisher)


def test_fetch_gives_up_after_retries(publisher):
    publisher.add(PATH, Reply(status=503))
    with pytest.raises(SourceError, match=rf"{PATH}: HTTP 503"):
        _fetch(publisher)
    assert len(publisher.requests) == 4  # first try + 3 retries


def test_fetch_bad_csv_names_url(publisher):
    publisher.add(PATH, Reply(body=b'{"message": "Unauthorized"}', headers={"Content-Type": "application/json"}))
    with pytest.raises(SourceError, match=rf"{publisher.url}{PATH}: not a DataHub CSV"):
        _fetch(publisher)


# ---------------------------------------------------------------------------------------------------------------
# ITU table 10 (xls)
# ---------------------------------------------------------------------------------------------------------------


def test_gender_xls_exact_values(fixtures):
    out = itu.read_gender_xls(fixtures / "itu" / "gender_small.xls", "2019-12-01")
    assert tuple(out.columns) == RAW_COLUMNS
    wide = out.pivot(index="iso3", columns="sex", values="value")
    assert wide.loc["DZA"].to_dict() == {"female": 42.9, "male": 55.1, "total": 49.0}
    assert wide.loc["TWN"].to_dict() == {"female": 86.6, "male": 85.8, "total": 86.2}  # numeric cells
    assert list(wide.index) == sorted(["DZA", "CIV", "KOR", "HKG", "XKX", "TWN"])
    civ = out[out["iso3"] == "CIV"]  # '...' for male and female: only the total row
    assert list(civ["sex"]) == ["total"] and civ["year"].tolist() == [2017]
    assert out.set_index(["iso3", "sex"])["year"].to_dict()[("XKX", "female")] == 2019
    assert set(out["source_code"]) == {itu.GENDER_SOURCE_CODE}
    assert set(out["obs_status"]) == {"normal"} and set(out["vintage"]) == {"2019-12-01"}
    assert len(out) == 16  # six economies x 3 sexes, less CIV male/female; footnotes read as nothing


def test_gender_source_code_is_the_registry_code():
    assert codes_for("itu_gender") == [itu.GENDER_SOURCE_CODE]


def test_gender_unknown_name_names_it_and_row(fixtures):
    path = fixtures / "itu" / "gender_unknown_name.xls"
    with pytest.raises(SourceError, match=r"gender_unknown_name\.xls: sheet row 6: economy name 'Atlantis'"):
        itu.read_gender_xls(path, "2019-12-01")


def test_gender_blank_row_inside_data_is_an_error(fixtures):
    path = fixtures / "itu" / "gender_blank_row.xls"
    with pytest.raises(SourceError, match=r"gender_blank_row\.xls: sheet row 7 holds a year below the end of the data"):
        itu.read_gender_xls(path, "2019-12-01")


def test_gender_not_an_xls(tmp_path):
    path = tmp_path / "table.xls"
    path.write_bytes(b"not a workbook")
    with pytest.raises(SourceError, match=r"table\.xls: cannot read as an \.xls workbook"):
        itu.read_gender_xls(path, "2019-12-01")


def test_economy_names_map_is_well_formed():
    names = itu.load_economy_names()
    assert len(names) == 112
    assert len(set(names.values())) == len(names)


# ---------------------------------------------------------------------------------------------------------------
# The real publisher files (skipped when absent)
# ---------------------------------------------------------------------------------------------------------------


def _m49_iso3(raw_dir) -> set[str]:
    m49 = pd.read_csv(raw_dir / "unsd_m49" / "UNSD — Methodology.csv", sep=";", encoding="utf-8-sig", dtype=str)
    return set(m49["ISO-alpha3 Code"].dropna())


@pytest.mark.raw
def test_real_gender_names_all_mapped_and_in_m49(raw_dir):
    sheet = itu._read_sheet(raw_dir / "itu_gender" / GENDER_FILE)
    names = [itu._clean_name(n) for n in sheet.iloc[3:115, 1]]
    mapping = yaml.safe_load((itu.ECONOMY_NAMES_PATH).read_text(encoding="utf-8"))
    assert sorted(names) == sorted(mapping), "the map holds exactly the economies of the real file"
    not_in_m49 = {code for code in mapping.values() if code not in _m49_iso3(raw_dir)}
    assert not_in_m49 == set(NOT_IN_M49)


@pytest.mark.raw
def test_real_gender_xls(raw_dir):
    out = itu.read_gender_xls(raw_dir / "itu_gender" / GENDER_FILE, "2019-12-01")
    wide = out.pivot(index="iso3", columns="sex", values="value")
    assert len(wide) == 112
    assert wide[["female", "male"]].dropna().shape[0] >= 100
    assert out["year"].between(2015, 2019).all()
    assert out["value"].between(0, 100).all()
    assert wide.loc["DZA"].to_dict() == {"female": 42.9, "male": 55.1, "total": 49.0}


@pytest.mark.raw
def test_real_households_with_internet(raw_dir):
    out = itu.read_datahub_csv(raw_dir / "itu_datahub" / "households_with_internet_access_at_home.csv", VINTAGE)
    assert set(out["source_code"]) == {"xHH6_IDI"}
    assert out.loc[out["year"] == 2015, "iso3"].nunique() >= 170
    assert out["value"].between(0, 100).all()
    assert (out["obs_status"] == "estimate").any() and (out["obs_status"] == "normal").any()


@pytest.mark.raw
def test_real_mobile_broadband_units_by_code(raw_dir):
    out = itu.read_datahub_csv(raw_dir / "itu_datahub" / "active_mobile_broadband_subscriptions.csv", VINTAGE)
    per100 = out.loc[out["source_code"] == "i911mw", "value"]
    counts = out.loc[out["source_code"] == "i271mw", "value"]
    assert len(per100) > 3000 and len(counts) > 3000
    assert per100.max() < 500
    assert counts.max() > 1e8  # China alone has over a billion
    assert not {"ANT", "ASC"} & set(out["iso3"])


@pytest.mark.raw
def test_real_datahub_files_all_read(raw_dir):
    m49 = _m49_iso3(raw_dir)
    for path in sorted((raw_dir / "itu_datahub").glob("*.csv")):
        if "5GB" in path.name:  # the price baskets: no registry series read from them yet
            continue
        out = itu.read_datahub_csv(path, VINTAGE)
        assert len(out) > 1000, path.name
        assert set(out["iso3"]) - m49 <= {"XKX", "TWN"}, path.name
