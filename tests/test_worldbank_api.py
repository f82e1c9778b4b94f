"""World Bank API v2 client against the scripted FakePublisher (offline; backoff 0, short timeouts)."""

from __future__ import annotations

import io
import json
import time
import zipfile
from datetime import date

import pytest

from indicators.sources import RAW_COLUMNS, SourceError
from indicators.sources.worldbank import API_CODES, WorldBankClient, make_session
from tests.support.fake_publisher import FakePublisher, Reply, json_body

IND = "/v2/country/all/indicator/IT.NET.USER.ZS"
COUNTRIES = [
    {
        "id": "BRA",
        "iso2Code": "BR",
        "name": "Brazil",
        "region": {"id": "LCN", "iso2code": "ZJ", "value": "Latin America & Caribbean "},
        "incomeLevel": {"id": "UMC", "iso2code": "XT", "value": "Upper middle income"},
    },
    {
        "id": "HIC",
        "iso2Code": "XD",
        "name": "High income",
        "region": {"id": "NA", "iso2code": "NA", "value": "Aggregates"},
        "incomeLevel": {"id": "NA", "iso2code": "NA", "value": "Aggregates"},
    },
]


@pytest.fixture(scope="module")
def _server():
    with FakePublisher() as srv:
        yield srv


@pytest.fixture
def publisher(_server):
    """conftest's ``publisher``, but one server per module, emptied for each test.

    ``FakePublisher.__exit__`` waits up to 0.5 s (``serve_forever``'s poll interval) per server, which would
    dominate this module's runtime with a server per test.
    """
    with _server._lock:
        _server.routes.clear()
        _server.requests.clear()
    return _server


def client(srv, **kw) -> WorldBankClient:
    opts = {"base_url": srv.url + "/v2", "timeout": (1, 0.5), "retries": 2, "backoff": 0}
    return WorldBankClient(**{**opts, **kw})


def rec(iso3, cid, year, value, code="IT.NET.USER.ZS", obs_status=""):
    return {
        "indicator": {"id": code, "value": "name"},
        "country": {"id": cid, "value": "name"},
        "countryiso3code": iso3,
        "date": str(year),
        "value": value,
        "unit": "",
        "obs_status": obs_status,
        "decimal": 1,
    }


def meta(page=1, pages=1, total=1, lastupdated="2025-07-01"):
    return {"page": page, "pages": pages, "per_page": 2, "total": total, "sourceid": "2", "lastupdated": lastupdated}


def ok(*records, **kw):
    return json_body([meta(**kw), list(records)])


def rows(frame):
    return sorted(frame.itertuples(index=False, name=None))


# ---- paging and parsing --------------------------------------------------------------------------------------


def test_paging_three_pages_with_string_fields(publisher):
    pages = {
        "1": [rec("BRA", "BR", 2021, 81.3), rec("BRA", "BR", 2020, None)],
        "2": [rec("WLD", "1W", 2021, 62.5), rec("NPL", "NP", 2021, 51.6, obs_status="E")],
        "3": [rec("AFE", "ZH", 2023, 34.9)],
    }

    def answer(query):
        p = query["page"][0]
        head = {"page": p, "pages": "3", "per_page": "2", "total": "5", "lastupdated": "2025-07-01"}
        return json_body([head, pages[p]])

    publisher.add(IND, answer)
    raw = client(publisher, per_page=2).fetch_indicator("IT.NET.USER.ZS", 2015, 2023)
    assert tuple(raw.columns) == RAW_COLUMNS
    c, v = "IT.NET.USER.ZS", "2025-07-01"
    assert rows(raw) == [
        ("AFE", 2023, c, "total", 34.9, "normal", v),
        ("BRA", 2021, c, "total", 81.3, "normal", v),
        ("NPL", 2021, c, "total", 51.6, "estimate", v),
        ("WLD", 2021, c, "total", 62.5, "normal", v),
    ]  # the null value is dropped
    assert [q["page"] for _, q in publisher.requests] == [["1"], ["2"], ["3"]]
    _, q = publisher.requests[0]
    assert q["format"] == ["json"] and q["per_page"] == ["2"] and q["date"] == ["2015:2023"]


def test_pages_count_changing_is_an_error(publisher):
    publisher.add(
        IND,
        lambda q: ok(rec("BRA", "BR", 2021, 1.0), page=int(q["page"][0]), pages=2 if q["page"] == ["1"] else 3),
    )
    with pytest.raises(SourceError, match="page count changed") as exc:
        client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert publisher.url + IND in str(exc.value)


def test_empty_result_is_zero_rows(publisher):
    publisher.add(IND, json_body([{"page": 1, "pages": 0, "per_page": "50", "total": 0}, None]))
    raw = client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert raw.empty and tuple(raw.columns) == RAW_COLUMNS


def test_vintage_defaults_to_today(publisher):
    publisher.add(IND, ok(rec("BRA", "BR", 2021, 81.3), lastupdated=None))
    raw = client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert list(raw["vintage"]) == [date.today().isoformat()]


def test_message_error_with_http_200(publisher):
    body = [{"message": [{"id": "120", "key": "Invalid value", "value": "The provided parameter value is not valid"}]}]
    publisher.add(IND, json_body(body))
    with pytest.raises(SourceError) as exc:
        client(publisher).fetch_indicator("IT.NET.USER.ZS")
    msg = str(exc.value)
    assert publisher.url + IND + "?format=json" in msg
    assert "id=120" in msg and "Invalid value" in msg and "not valid" in msg


@pytest.mark.parametrize(
    ("reply", "match"),
    [
        (Reply(body=b"<html>Service unavailable</html>"), "not JSON"),
        (Reply(body=json.dumps([meta(), [rec("BRA", "BR", 2021, 1.0)]]).encode(), truncate=True), "truncated"),
        (Reply(body=json.dumps([meta(), [rec("BRA", "BR", 2021, 1.0)]])[:-20].encode()), "not JSON or truncated"),
        (json_body({"unexpected": "shape"}), r"expected \[meta, records\]"),
        (json_body([{"page": "one", "pages": 1}, []]), "bad paging fields"),
        (json_body([meta(), [rec("BRA", "BR", "2021M01", 1.0)]]), "unreadable record"),
    ],
    ids=["html", "truncated-connection", "truncated-body", "shape", "paging", "record"],
)
def test_bad_bodies(publisher, reply, match):
    publisher.add(IND, reply)
    with pytest.raises(SourceError, match=match) as exc:
        client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert publisher.url + IND in str(exc.value)


# ---- retries -------------------------------------------------------------------------------------------------


def test_500_then_success(publisher):
    publisher.add(IND, Reply(status=500), ok(rec("BRA", "BR", 2021, 81.3)))
    raw = client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert list(raw["value"]) == [81.3]
    assert len(publisher.requests) == 2


def test_500_forever_names_url_and_status(publisher):
    publisher.add(IND, Reply(status=503))
    with pytest.raises(SourceError, match="HTTP 503") as exc:
        client(publisher, retries=2).fetch_indicator("IT.NET.USER.ZS")
    assert publisher.url + IND in str(exc.value)
    assert len(publisher.requests) == 3  # first try + 2 retries


def test_404_is_not_retried(publisher):
    with pytest.raises(SourceError, match="HTTP 404") as exc:
        client(publisher).fetch_indicator("NO.SUCH")
    assert "/v2/country/all/indicator/NO.SUCH" in str(exc.value)
    assert len(publisher.requests) == 1


def test_429_honours_retry_after(publisher):
    publisher.add(IND, Reply(status=429, headers={"Retry-After": "1"}), ok(rec("BRA", "BR", 2021, 81.3)))
    t0 = time.monotonic()
    raw = client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert time.monotonic() - t0 >= 0.9
    assert len(raw) == 1 and len(publisher.requests) == 2


def test_read_timeout_then_success(publisher):
    publisher.add(IND, Reply(delay=1.0), ok(rec("BRA", "BR", 2021, 81.3)))
    raw = client(publisher, timeout=(1, 0.3)).fetch_indicator("IT.NET.USER.ZS")
    assert len(raw) == 1 and len(publisher.requests) == 2


def test_permanent_read_timeout(publisher):
    publisher.add(IND, Reply(delay=0.8))
    with pytest.raises(SourceError, match="request failed") as exc:
        client(publisher, timeout=(1, 0.2), retries=1).fetch_indicator("IT.NET.USER.ZS")
    assert publisher.url + IND in str(exc.value)
    assert len(publisher.requests) == 2


def test_session_retry_settings():
    retry = make_session(retries=4, backoff=0.5).get_adapter("https://api.worldbank.org").max_retries
    assert retry.total == 4 and retry.backoff_factor == 0.5
    assert set(retry.status_forcelist) == {429, 500, 502, 503, 504}
    assert retry.respect_retry_after_header and retry.allowed_methods == frozenset({"GET"})


# ---- endpoints -----------------------------------------------------------------------------------------------


def test_multi_indicator_call_carries_source(publisher):
    path = "/v2/country/all/indicator/IT.NET.USER.FE.ZS;IT.NET.USER.MA.ZS"
    publisher.add(
        path,
        ok(
            rec("BRA", "BR", 2022, 81.0, code="IT.NET.USER.FE.ZS"),
            rec("BRA", "BR", 2022, 80.2, code="IT.NET.USER.MA.ZS"),
        ),
    )
    raw = client(publisher).fetch_indicators(["IT.NET.USER.FE.ZS", "IT.NET.USER.MA.ZS"], 2020, 2022)
    assert rows(raw) == [
        ("BRA", 2022, "IT.NET.USER.FE.ZS", "female", 81.0, "normal", "2025-07-01"),
        ("BRA", 2022, "IT.NET.USER.MA.ZS", "male", 80.2, "normal", "2025-07-01"),
    ]
    got_path, q = publisher.requests[0]
    assert got_path == path and q["source"] == ["2"] and q["date"] == ["2020:2022"]


def test_countries(publisher):
    publisher.add("/v2/country", json_body([{"page": 1, "pages": 1, "per_page": "400", "total": 2}, COUNTRIES]))
    countries = client(publisher).fetch_countries()
    assert list(countries.columns) == [
        "iso3", "iso2", "name", "region_id", "region", "income_id", "income_group", "is_aggregate"
    ]  # fmt: skip
    assert [tuple(r) for r in countries.itertuples(index=False)] == [
        ("BRA", "BR", "Brazil", "LCN", "Latin America & Caribbean", "UMC", "Upper middle income", False),
        ("HIC", "XD", "High income", "NA", "Aggregates", "NA", "Aggregates", True),
    ]
    assert publisher.requests[0][1]["per_page"] == ["400"]


def test_zh_prefix(publisher):
    zh = [{**COUNTRIES[0], "name": "巴西"}]
    publisher.add("/v2/zh/country", json_body([{"page": 1, "pages": 1, "per_page": "400", "total": 1}, zh]))
    publisher.add("/v2/zh/country/all/indicator/IT.NET.USER.ZS", ok(rec("BRA", "BR", 2021, 81.3)))
    wb = client(publisher, lang="zh")
    assert list(wb.fetch_countries()["name"]) == ["巴西"]
    assert len(wb.fetch_indicator("IT.NET.USER.ZS")) == 1
    assert [p for p, _ in publisher.requests] == ["/v2/zh/country", "/v2/zh/country/all/indicator/IT.NET.USER.ZS"]


def test_empty_iso3_resolved_through_countries(publisher):
    publisher.add("/v2/country", json_body([{"page": 1, "pages": 1, "per_page": "400", "total": 2}, COUNTRIES]))
    publisher.add(IND, ok(rec("", "XD", 2021, 93.1), rec("BRA", "BR", 2021, 81.3), rec("", "QQ", 2021, 5.0)))
    raw = client(publisher).fetch_indicator("IT.NET.USER.ZS")
    assert sorted(zip(raw["iso3"], raw["value"], strict=True)) == [("BRA", 81.3), ("HIC", 93.1)]  # QQ unknown
    assert [p for p, _ in publisher.requests] == [IND, "/v2/country"]


def test_api_codes_are_in_the_registry():
    from indicators.registry import codes_for

    assert set(API_CODES) <= set(codes_for("worldbank"))


# ---- bulk ZIP ------------------------------------------------------------------------------------------------


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_bulk_zip(publisher, fixtures, tmp_path):
    data = (fixtures / "worldbank" / "API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_fixture.csv").read_bytes()
    meta_csv = (fixtures / "worldbank" / "Metadata_Country_API_fixture.csv").read_bytes()
    body = _zip(
        {
            "API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_1.csv": data,
            "Metadata_Country_API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_1.csv": meta_csv,
            "Metadata_Indicator_API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_1.csv": b"x",
        }
    )
    publisher.add("/v2/en/indicator/IT.NET.USER.FE.ZS", Reply(body=body))
    api_csv, meta_path = client(publisher).fetch_bulk_zip("IT.NET.USER.FE.ZS", tmp_path)
    assert api_csv == tmp_path / "API_IT.NET.USER.FE.ZS_DS2_en_csv_v2_1.csv" and api_csv.read_bytes() == data
    assert meta_path.name.startswith("Metadata_Country_") and meta_path.read_bytes() == meta_csv
    assert publisher.requests[0][1] == {"downloadformat": ["csv"]}


@pytest.mark.parametrize(
    ("body", "match"),
    [(b"<html>nope</html>", "not a ZIP"), (_zip({"Metadata_Country_x.csv": b"x"}), "no API_")],
)
def test_bulk_zip_errors(publisher, tmp_path, body, match):
    publisher.add("/v2/en/indicator/IT.NET.USER.ZS", Reply(body=body))
    with pytest.raises(SourceError, match=match) as exc:
        client(publisher).fetch_bulk_zip("IT.NET.USER.ZS", tmp_path)
    assert publisher.url + "/v2/en/indicator/IT.NET.USER.ZS?downloadformat=csv" in str(exc.value)
