"""``make refresh`` against a scripted World Bank API v2 and ITU DataHub (offline; retries 1, backoff 0).

The snapshot refreshed here is hand-made (no publisher files needed): World Bank and ITU DataHub rows that the
refresh must replace, and UN SDG and ITU gender rows it must keep. Every failure must leave every file of the
snapshot byte-identical and raise SnapshotError naming the URL that failed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest

from indicators.groups import MEMBERSHIP_COLUMNS
from indicators.refresh import datahub_series_ids, refresh_snapshot
from indicators.snapshot import Snapshot, SnapshotError, load_inputs, read_snapshot, write_snapshot
from indicators.sources.itu import DATAHUB_COLUMNS, datahub_url
from indicators.sources.worldbank import API_CODES
from tests.builders import tidy_rows
from tests.conftest import PROJECT_DIR
from tests.support.fake_publisher import FakePublisher, Reply, json_body
from tests.support.snapshot_files import current_files, tree_bytes

TODAY = dt.date.today().isoformat()
END = dt.date.today().year
WB_LASTUPDATED = "2025-07-01"


class _PinnedDate(dt.date):
    @classmethod
    def today(cls) -> dt.date:
        return cls.fromisoformat(TODAY)


@pytest.fixture(autouse=True)
def _pinned_today(monkeypatch):
    """A refresh stamps rows with "today": pin it to TODAY, so a run that crosses midnight still compares equal."""
    import types

    import indicators.refresh as refresh_module

    monkeypatch.setattr(refresh_module, "dt", types.SimpleNamespace(date=_PinnedDate))


#: The value each World Bank series gives NPL for 2015 (and WLD, an aggregate, gets twice that).
WB_VALUES = {
    "IT.NET.USER.ZS": 21.3,
    "IT.NET.USER.FE.ZS": 18.1,
    "IT.NET.USER.MA.ZS": 24.7,
    "IT.NET.BBND.P2": 1.2,
    "IT.CEL.SETS.P2": 97.0,
    "SP.POP.TOTL": 27_610_325.0,
    "SP.POP.TOTL.FE.IN": 14_500_000.0,
    "SP.POP.TOTL.MA.IN": 13_110_325.0,
}
WB_INDICATORS = {
    "IT.NET.USER.ZS": ("internet_users", "total"),
    "IT.NET.USER.FE.ZS": ("internet_users", "female"),
    "IT.NET.USER.MA.ZS": ("internet_users", "male"),
    "IT.NET.BBND.P2": ("fixed_broadband_per100", "total"),
    "IT.CEL.SETS.P2": ("mobile_cellular_per100", "total"),
    "SP.POP.TOTL": ("population", "total"),
    "SP.POP.TOTL.FE.IN": ("population", "female"),
    "SP.POP.TOTL.MA.IN": ("population", "male"),
}


# --------------------------------------------------------------------------------------------------------------
# Publisher bodies
# --------------------------------------------------------------------------------------------------------------


def wb_country(iso3: str, iso2: str, name: str, region_id: str, region: str, income_id: str = "NA") -> dict:
    return {
        "id": iso3,
        "iso2Code": iso2,
        "name": name,
        "region": {"id": region_id, "iso2code": "", "value": region},
        "incomeLevel": {"id": income_id, "iso2code": "", "value": income_id},
    }


def wb_countries() -> Reply:
    records = [
        wb_country("NPL", "NP", "Nepal", "SAS", "South Asia", "LMC"),
        wb_country("ABW", "AW", "Aruba", "LCN", "Latin America & Caribbean ", "HIC"),
        wb_country("WLD", "1W", "World", "NA", "Aggregates"),
    ]
    meta = {"page": 1, "pages": 1, "per_page": "400", "total": len(records)}
    return json_body([meta, records])


def wb_record(code: str, iso3: str, iso2: str, year: int, value: float | None) -> dict:
    return {
        "indicator": {"id": code, "value": code},
        "country": {"id": iso2, "value": iso3},
        "countryiso3code": iso3,
        "date": str(year),
        "value": value,
        "unit": "",
        "obs_status": "",
        "decimal": 1,
    }


def wb_indicator_body(code: str) -> bytes:
    value = WB_VALUES[code]
    records = [
        wb_record(code, "NPL", "NP", 2015, value),
        wb_record(code, "NPL", "NP", 2014, None),
        wb_record(code, "WLD", "1W", 2015, value * 2 if value < 50 else value),
    ]
    meta = {"page": 1, "pages": 1, "per_page": 20000, "total": 3, "sourceid": "2", "lastupdated": WB_LASTUPDATED}
    return json.dumps([meta, records]).encode()


def wb_indicator(code: str) -> Reply:
    return Reply(body=wb_indicator_body(code), headers={"Content-Type": "application/json"})


def datahub_value(series_id: int) -> float:
    """A distinct, valid (percent-safe) value per series."""
    return round(10 + series_id % 80 + 0.5, 1)


def datahub_csv(code: str, series_id: int) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
    writer.writerow(DATAHUB_COLUMNS)
    for iso3, name, year in (("ABW", "Aruba", 2022), ("NPL", "Nepal", 2022)):
        value = datahub_value(series_id) + (1 if iso3 == "NPL" else 0)
        writer.writerow(
            [series_id, code, code, "", "%", 1, iso3, name, str(value), year, "", "ITU estimate.", "description"]
        )
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def datahub_zip(code: str, series_id: int) -> Reply:
    return Reply(
        body=zip_of({f"{code}.csv": datahub_csv(code, series_id)}), headers={"Content-Type": "application/zip"}
    )


def datahub_path(series_id: int) -> str:
    return f"/v2/data/download/byid/{series_id}/iscollection/false"


def serve_publishers(srv: FakePublisher) -> None:
    """Healthy answers for every request a refresh makes."""
    srv.add("/v2/country", wb_countries())
    for code in API_CODES:
        srv.add(f"/v2/country/all/indicator/{code}", wb_indicator(code))
    for code, series_id in datahub_series_ids().items():
        srv.add(datahub_path(series_id), datahub_zip(code, series_id))


# --------------------------------------------------------------------------------------------------------------
# The snapshot before the refresh
# --------------------------------------------------------------------------------------------------------------


def old_snapshot() -> Snapshot:
    tidy = pd.concat(
        [
            tidy_rows(
                [("NPL", 2015, "internet_users", "total", 17.58), ("NPL", 2010, "internet_users", "total", 7.9)],
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
            tidy_rows(
                [("KOR", 2018, "internet_users", "female", 94.4)],
                source="itu_gender",
                source_code="Individuals using the Internet by gender (ITU table 10)",
                vintage="2019-12-01",
            ),
        ],
        ignore_index=True,
    )
    aggregates = pd.DataFrame(
        [("WLD", 2015, "internet_users", "total", 40.0, "worldbank", "IT.NET.USER.ZS", "2024-11-29")],
        columns=["group", "year", "indicator", "sex", "value", "source", "source_code", "vintage"],
    )
    membership = pd.DataFrame(
        [
            ("LDC", "NPL", "1971-11-18", None, "UN", "UN-OHRLLS", ""),
            ("WLD", "ABW", None, None, "all economies", "M49", ""),
            ("WLD", "NPL", None, None, "all economies", "M49", ""),
        ],
        columns=list(MEMBERSHIP_COLUMNS),
    )
    countries = pd.DataFrame(
        {
            "iso3": ["ABW", "ETH", "KOR", "NPL", "XKX"],
            "m49": pd.array([533, 231, 410, 524, None], dtype="Int64"),
            "name": ["Aruba", "Ethiopia", "Republic of Korea", "Nepal", None],
            "ldc": [False, True, False, True, False],
        }
    )
    publishers = load_inputs()["publishers"]
    sources = {
        key: {
            **publishers[key],
            "vintage": vintage,
            "files": [{"path": f"{key}/old.csv", "sha256": "0" * 64, "vintage": vintage}],
            "tidy_rows": int((tidy["source"] == key).sum()),
            "indicators": sorted(set(tidy.loc[tidy["source"] == key, "indicator"])),
        }
        for key, vintage in (
            ("worldbank", "2024-11-29"),
            ("itu_datahub", "2025-12-28"),
            ("itu_gender", "2019-12-01"),
            ("un_sdg", "2020-10-01"),
        )
    }
    provenance = {"built": "2025-01-01", "builder": "tests", "tidy_rows": len(tidy), "sources": sources}
    return Snapshot(tidy, aggregates, membership, countries, provenance)


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    write_snapshot(old_snapshot(), folder)
    return folder


def file_bytes(folder) -> dict[str, bytes]:
    """Every file of the data folder (pointer, snapshot directories, leftovers) by relative path."""
    return tree_bytes(folder)


# --------------------------------------------------------------------------------------------------------------
# Server and refresh call
# --------------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def _server():
    with FakePublisher() as srv:
        yield srv


def _reset(srv: FakePublisher) -> FakePublisher:
    with srv._lock:
        srv.routes.clear()
        srv.requests.clear()
    return srv


@pytest.fixture
def publisher(_server):
    """One server for the module, emptied for each test (a server per test costs 0.5 s to shut down)."""
    return _reset(_server)


def refresh(data_dir, srv: FakePublisher, allow_shrink: bool = True) -> str:
    """A refresh against the scripted publishers. They answer one year for Nepal where the old snapshot holds two
    (test_refresh_drops_world_bank_rows_the_api_no_longer_gives), so the shrink is allowed unless a test says not."""
    return refresh_snapshot(
        data_dir,
        wb_base=srv.url + "/v2",
        itu_base=srv.url + "/v2",
        retries=1,
        backoff=0,
        timeout=(1, 2),
        progress=False,
        allow_shrink=allow_shrink,
    )


@dataclass
class Run:
    """One refresh of a fresh copy of ``old_snapshot()``: the current snapshot's files before and after (by name),
    the whole data folder before and after, and what it returned."""

    data_dir: Path
    before: dict[str, bytes]
    after: dict[str, bytes]
    tree_before: dict[str, bytes]
    tree_after: dict[str, bytes]
    summary: str | None = None
    error: SnapshotError | None = None
    requests: list = field(default_factory=list)


def run_refresh(tmp_path_factory, srv: FakePublisher, break_publisher=None) -> Run:
    """A refresh against healthy publishers, one of which ``break_publisher`` may break (it returns the URL)."""
    folder = tmp_path_factory.mktemp("data")
    write_snapshot(old_snapshot(), folder)
    before, tree_before = current_files(folder), file_bytes(folder)
    serve_publishers(_reset(srv))
    summary = error = None
    if break_publisher:
        break_publisher(srv)
    try:
        summary = refresh(folder, srv)
    except SnapshotError as err:
        error = err
    after, tree_after = current_files(folder), file_bytes(folder)
    return Run(folder, before, after, tree_before, tree_after, summary, error, list(srv.requests))


@pytest.fixture(scope="module")
def success(tmp_path_factory, _server) -> Run:
    return run_refresh(tmp_path_factory, _server)


@pytest.fixture(scope="module")
def refreshed(success) -> Snapshot:
    assert success.error is None, success.error
    return read_snapshot(success.data_dir)


# --------------------------------------------------------------------------------------------------------------
# Success
# --------------------------------------------------------------------------------------------------------------


def rows_of(tidy: pd.DataFrame, source: str) -> list[tuple]:
    part = tidy[tidy["source"] == source].sort_values(["indicator", "sex", "iso3", "year"])
    return list(part[["iso3", "year", "indicator", "sex", "value"]].itertuples(index=False, name=None))


#: World Bank series whose ITU original the refresh also pulls for Nepal: one source per series, ITU's wins
SUPERSEDED_BY_ITU = ("IT.NET.USER.ZS", "IT.NET.BBND.P2")


def test_refresh_replaces_the_world_bank_rows(refreshed):
    expected = sorted(
        ("NPL", 2015, *WB_INDICATORS[code], WB_VALUES[code]) for code in API_CODES if code not in SUPERSEDED_BY_ITU
    )
    assert sorted(rows_of(refreshed.tidy, "worldbank")) == expected
    dropped = refreshed.superseded
    npl = dropped[(dropped["iso3"] == "NPL") & (dropped["dropped_source"] == "worldbank")]
    assert sorted(npl["dropped_codes"]) == sorted(SUPERSEDED_BY_ITU)
    assert set(npl["kept_source"]) == {"itu_datahub"}


def test_refresh_drops_world_bank_rows_the_api_no_longer_gives(refreshed):
    tidy = refreshed.tidy
    assert tidy[(tidy["iso3"] == "NPL") & (tidy["year"] == 2010)].empty


def test_refresh_keeps_world_bank_aggregates_out_of_the_tidy_frame(refreshed):
    assert "WLD" not in set(refreshed.tidy["iso3"])


def test_refresh_replaces_the_publisher_aggregates(refreshed):
    agg = refreshed.publisher_aggregates
    got = agg[(agg["indicator"] == "internet_users") & (agg["sex"] == "total")]
    assert got[["group", "year", "value", "vintage"]].values.tolist() == [["WLD", 2015, 42.6, WB_LASTUPDATED]]


def test_refresh_gives_world_bank_rows_the_api_vintage(refreshed):
    tidy = refreshed.tidy
    assert set(tidy.loc[tidy["source"] == "worldbank", "vintage"]) == {WB_LASTUPDATED}


def test_refresh_replaces_the_itu_datahub_rows(refreshed):
    got = {(r[0], r[2]): r[4] for r in rows_of(refreshed.tidy, "itu_datahub")}
    from indicators.registry import load_registry

    indicator_of = {ref.code: ind.id for ind in load_registry().values() for ref in ind.sources}
    expected = {}
    for code, series_id in datahub_series_ids().items():
        expected[("ABW", indicator_of[code])] = datahub_value(series_id)
        expected[("NPL", indicator_of[code])] = datahub_value(series_id) + 1
    assert got == expected
    assert ("ABW", 2020) not in {(r[0], r[1]) for r in rows_of(refreshed.tidy, "itu_datahub")}


def test_refresh_dates_itu_rows_with_the_retrieval_day_and_flags_itu_estimates(refreshed):
    itu = refreshed.tidy[refreshed.tidy["source"] == "itu_datahub"]
    assert set(itu["vintage"]) == {TODAY}
    assert set(itu["obs_status"]) == {"estimate"}


def test_refresh_keeps_the_un_sdg_and_itu_gender_rows(refreshed):
    assert rows_of(refreshed.tidy, "un_sdg") == [("ETH", 2016, "mobile_ownership", "total", 38.51)]
    assert rows_of(refreshed.tidy, "itu_gender") == [("KOR", 2018, "internet_users", "female", 94.4)]


def test_refresh_keeps_membership_and_countries_byte_identical(success):
    assert success.after["membership.csv"] == success.before["membership.csv"]
    assert success.after["countries.csv"] == success.before["countries.csv"]


def test_refresh_rewrites_tidy_and_provenance(success):
    assert success.after["tidy.parquet"] != success.before["tidy.parquet"]
    assert success.after["provenance.json"] != success.before["provenance.json"]


def test_refresh_records_every_url_in_provenance(refreshed, _server):
    sources = refreshed.provenance["sources"]
    wb_urls = [f["url"] for f in sources["worldbank"]["files"]]
    assert wb_urls == [f"{_server.url}/v2/country/all/indicator/{code}?date=2000:{END}" for code in API_CODES]
    itu_urls = [f["url"] for f in sources["itu_datahub"]["files"]]
    assert itu_urls == [datahub_url(i, _server.url + "/v2") for i in datahub_series_ids().values()]


def test_refresh_records_the_retrieval_date_in_provenance(refreshed):
    for key in ("worldbank", "itu_datahub"):
        assert {f["retrieved"] for f in refreshed.provenance["sources"][key]["files"]} == {TODAY}
    assert refreshed.provenance["built"] == TODAY
    assert refreshed.provenance["builder"] == "python -m indicators refresh"


def test_refresh_records_vintages_and_row_counts_in_provenance(refreshed):
    sources = refreshed.provenance["sources"]
    assert sources["worldbank"]["vintage"] == WB_LASTUPDATED
    assert sources["worldbank"]["tidy_rows"] == len(API_CODES) - len(SUPERSEDED_BY_ITU)
    assert sources["itu_datahub"]["vintage"] == TODAY
    assert sources["itu_datahub"]["tidy_rows"] == 2 * len(datahub_series_ids())
    assert refreshed.provenance["tidy_rows"] == len(refreshed.tidy)


def test_refresh_keeps_the_provenance_of_other_sources(refreshed):
    old = old_snapshot().provenance["sources"]
    for key in ("un_sdg", "itu_gender"):
        assert refreshed.provenance["sources"][key] == old[key]


def test_refresh_keeps_licences_in_provenance(refreshed):
    sources = refreshed.provenance["sources"]
    assert sources["worldbank"]["licence"] == "CC BY 4.0"
    assert sources["itu_datahub"]["licence"] == "CC BY-NC-SA 3.0 IGO"


def test_refresh_returns_a_summary(success):
    n = len(API_CODES) + len(datahub_series_ids())
    assert success.summary.startswith(f"refreshed {n} series into {success.data_dir}: ")


def test_refresh_asks_the_world_bank_for_json_from_2000_to_this_year(success):
    query = next(q for p, q in success.requests if p == "/v2/country/all/indicator/IT.NET.USER.ZS")
    assert (query["format"], query["date"], query["page"]) == (["json"], [f"2000:{END}"], ["1"])


def test_refresh_leaves_no_staging_folder_and_writes_its_report(success):
    assert sorted(success.after) == sorted([*success.before, "refresh_report.json"])
    # one snapshot directory (the previous one removed after the switch) and the pointer to it
    assert sorted({path.split("/")[0] for path in success.tree_after}) == ["CURRENT", "snapshots"]
    assert len({path.split("/")[1] for path in success.tree_after if path.startswith("snapshots/")}) == 1


# --------------------------------------------------------------------------------------------------------------
# Failures: SnapshotError naming the URL, snapshot byte-identical
# --------------------------------------------------------------------------------------------------------------

FIRST_SERIES = next(iter(datahub_series_ids().items()))
TRUNCATED_CODE = "IT.CEL.SETS.P2"


def itu_500(srv: FakePublisher) -> str:
    _code, series_id = FIRST_SERIES
    srv.add(datahub_path(series_id), Reply(status=500, body=b"upstream error"))
    return f"{datahub_url(series_id, srv.url + '/v2')}: HTTP 500"


def wb_message_error(srv: FakePublisher) -> str:
    body = [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]
    srv.add("/v2/country/all/indicator/IT.NET.USER.FE.ZS", json_body(body))
    return f"{srv.url}/v2/country/all/indicator/IT.NET.USER.FE.ZS?"


def wb_truncated_json(srv: FakePublisher) -> str:
    body = wb_indicator_body(TRUNCATED_CODE)
    srv.add(f"/v2/country/all/indicator/{TRUNCATED_CODE}", Reply(body=body[: len(body) // 2]))
    return f"{srv.url}/v2/country/all/indicator/{TRUNCATED_CODE}?"


def wb_truncated_transfer(srv: FakePublisher) -> str:
    srv.add(f"/v2/country/all/indicator/{TRUNCATED_CODE}", Reply(body=wb_indicator_body(TRUNCATED_CODE), truncate=True))
    return f"{srv.url}/v2/country/all/indicator/{TRUNCATED_CODE}?"


def itu_zip_without_csv(srv: FakePublisher) -> str:
    _code, series_id = FIRST_SERIES
    srv.add(datahub_path(series_id), Reply(body=zip_of({"readme.txt": b"no data here"})))
    return f"{datahub_url(series_id, srv.url + '/v2')}: expected one CSV in the ZIP"


def wb_countries_down(srv: FakePublisher) -> str:
    srv.add("/v2/country", Reply(status=503))
    return f"{srv.url}/v2/country?"


def wb_value_out_of_range(srv: FakePublisher) -> str:
    body = json.loads(wb_indicator_body("IT.NET.USER.ZS"))
    body[1][0]["value"] = 150.0
    srv.add("/v2/country/all/indicator/IT.NET.USER.ZS", json_body(body))
    return f"{srv.url}/v2/country/all/indicator/IT.NET.USER.ZS?date=2000:{END}"


def itu_value_not_a_number(srv: FakePublisher) -> str:
    code, series_id = FIRST_SERIES
    text = datahub_csv(code, series_id).replace(str(datahub_value(series_id)).encode(), b"n/a", 1)
    srv.add(datahub_path(series_id), Reply(body=zip_of({f"{code}.csv": text})))
    return f"{datahub_url(series_id, srv.url + '/v2')} ({code}.csv): data row 1: dataValue 'n/a' is not a number"


FAILURES = {
    "itu_500": itu_500,
    "wb_message_error": wb_message_error,
    "wb_truncated_json": wb_truncated_json,
    "wb_truncated_transfer": wb_truncated_transfer,
    "itu_zip_without_csv": itu_zip_without_csv,
    "wb_countries_down": wb_countries_down,
    "wb_value_out_of_range": wb_value_out_of_range,
    "itu_value_not_a_number": itu_value_not_a_number,
}


@pytest.fixture(scope="module", params=list(FAILURES))
def failed(request, tmp_path_factory, _server) -> tuple[Run, str]:
    """A refresh with one publisher broken by FAILURES[param], and the text its error must contain."""
    names: list[str] = []
    run = run_refresh(tmp_path_factory, _server, lambda srv: names.append(FAILURES[request.param](srv)))
    return run, names[0]


def test_failure_raises_snapshot_error_naming_the_url(failed):
    run, names = failed
    assert run.error is not None, "the refresh did not fail"
    assert names in str(run.error)
    assert "the snapshot was left as it was" in str(run.error)


def test_failure_leaves_every_file_byte_identical(failed):
    run, _ = failed
    assert run.tree_after == run.tree_before


def test_itu_500_is_retried_then_given_up(tmp_path_factory, _server):
    run = run_refresh(tmp_path_factory, _server, itu_500)
    path = datahub_path(FIRST_SERIES[1])
    assert [p for p, _q in run.requests].count(path) == 2  # the first try and retries=1


def test_refresh_of_a_missing_snapshot_fetches_nothing(tmp_path, publisher):
    serve_publishers(publisher)
    with pytest.raises(SnapshotError, match="incomplete"):
        refresh(tmp_path, publisher)
    assert publisher.requests == []


# --------------------------------------------------------------------------------------------------------------
# python -m indicators refresh
# --------------------------------------------------------------------------------------------------------------


def run_cli(args: list[str], srv: FakePublisher) -> subprocess.CompletedProcess:
    env = {**os.environ, "WB_API_BASE": srv.url + "/v2", "ITU_API_BASE": srv.url + "/v2"}
    return subprocess.run(
        [sys.executable, "-m", "indicators", *args],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_cli_refresh_failure_exits_1_with_one_line_and_no_traceback(data_dir, publisher):
    before = file_bytes(data_dir)
    serve_publishers(publisher)
    url = wb_message_error(publisher)
    proc = run_cli(["--data", str(data_dir), "refresh", "--quiet", "--allow-shrink"], publisher)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: refresh failed")
    assert url in lines[0]
    assert file_bytes(data_dir) == before


def test_cli_refresh_success_prints_the_summary(data_dir, publisher):
    serve_publishers(publisher)
    proc = run_cli(["--data", str(data_dir), "refresh", "--quiet", "--allow-shrink"], publisher)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("refreshed ")
    assert read_snapshot(data_dir).provenance["builder"] == "python -m indicators refresh"
