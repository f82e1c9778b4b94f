"""The World Bank client against real API v2 response bodies (SOURCES.md §13), served by FakePublisher.

Two sets: hand-cut bodies in ``tests/fixtures/worldbank/api/`` (a few real records each, with the same pitfalls:
``per_page`` a string, empty ``countryiso3code`` for income aggregates, trailing spaces in region names, two
pages, ``value: null`` for 2023), and the full real bodies in ``../shared/data/raw/wb_api_v2/`` (``raw``).
"""

from __future__ import annotations

import json

import pytest

from indicators.sources import RAW_COLUMNS
from indicators.sources.worldbank import WorldBankClient
from tests.support.fake_publisher import FakePublisher, Reply

COUNTRY = "/v2/country"
POP = "/v2/country/all/indicator/SP.POP.TOTL"
GBR = "/v2/country/GBR/indicator/SP.POP.TOTL"
JSON = {"Content-Type": "application/json;charset=utf-8"}  # what api.worldbank.org sends


@pytest.fixture(scope="module")
def _server():
    with FakePublisher() as srv:
        yield srv


@pytest.fixture
def publisher(_server):
    """One server for the module, emptied for each test (as in test_worldbank_api.py)."""
    with _server._lock:
        _server.routes.clear()
        _server.requests.clear()
    return _server


@pytest.fixture
def api(fixtures):
    return fixtures / "worldbank" / "api"


def client(srv, **kw) -> WorldBankClient:
    opts = {"base_url": srv.url + "/v2", "timeout": (1, 5), "retries": 0, "backoff": 0, "per_page": 10000}
    return WorldBankClient(**{**opts, **kw})


def body(data: bytes) -> Reply:
    return Reply(body=data, headers=JSON)


def by_page(pages: dict[str, bytes]):
    """A reply that answers each ``page`` query with its body."""
    return lambda query: body(pages[query["page"][0]])


def pages_asked(srv, path: str) -> list[str]:
    return [q["page"][0] for p, q in srv.requests if p == path]


# ---- hand-cut fixtures -----------------------------------------------------------------------------------


def test_fixture_bodies_have_the_pitfalls(api):
    countries = json.loads((api / "countries.json").read_bytes())
    assert countries[0]["per_page"] == "400"
    assert any(r["region"]["value"].endswith(" ") for r in countries[1])
    page1, page2 = (json.loads((api / f"SP.POP.TOTL-page{n}.json").read_bytes()) for n in (1, 2))
    assert (page1[0]["page"], page1[0]["pages"], page2[0]["page"]) == (1, 2, 2)
    assert any(r["countryiso3code"] == "" for r in page1[1])
    assert any(r["value"] is None and r["date"] == "2023" for r in page1[1] + page2[1])
    assert not (api / "countries.json").read_bytes().endswith(b"\n")  # as the API sends them


def test_countries_small(publisher, api):
    publisher.add(COUNTRY, body((api / "countries.json").read_bytes()))
    countries = client(publisher).fetch_countries()
    assert list(zip(countries["iso3"], countries["region"], countries["is_aggregate"], strict=True)) == [
        ("ABW", "Latin America & Caribbean", False),  # "Latin America & Caribbean " stripped
        ("AGO", "Sub-Saharan Africa", False),  # "Sub-Saharan Africa " stripped
        ("GBR", "Europe & Central Asia", False),
        ("HIC", "Aggregates", True),
        ("LIC", "Aggregates", True),
        ("WLD", "Aggregates", True),
    ]
    assert publisher.requests[0][1]["per_page"] == ["400"]  # answered with "per_page": "400" (a string)


def test_two_pages_small(publisher, api):
    publisher.add(COUNTRY, body((api / "countries.json").read_bytes()))
    publisher.add(POP, by_page({n: (api / f"SP.POP.TOTL-page{n}.json").read_bytes() for n in ("1", "2")}))
    wb = client(publisher)
    raw = wb.fetch_indicator("SP.POP.TOTL", 1960, 2023)
    assert tuple(raw.columns) == RAW_COLUMNS
    c, v = "SP.POP.TOTL", "2024-03-28"
    assert sorted(raw.itertuples(index=False, name=None)) == [
        ("ABW", 2022, c, "total", 106445.0, "normal", v),
        ("AGO", 2022, c, "total", 35588987.0, "normal", v),  # from page 2
        ("HIC", 2022, c, "total", 1244364814.0, "normal", v),  # empty countryiso3code, country.id XD
        ("LIC", 2022, c, "total", 703727949.0, "normal", v),  # empty countryiso3code, country.id XM
    ]  # 2023 nulls dropped; CHI dropped (codes.DROPPED)
    assert pages_asked(publisher, POP) == ["1", "2"]
    assert pages_asked(publisher, COUNTRY) == ["1"]  # the empty iso3 codes were resolved once, via /v2/country
    aggregates = set(wb.fetch_countries().query("is_aggregate")["iso3"])
    assert set(raw["iso3"]) - aggregates == {"ABW", "AGO"}  # the income aggregates are not economies


def test_single_country_small(publisher, api):
    publisher.add(GBR, body((api / "GBR-SP.POP.TOTL.json").read_bytes()))
    raw = client(publisher)._fetch("country/GBR/indicator/SP.POP.TOTL", {"date": "1960:2023"})
    assert sorted(zip(raw["year"], raw["value"], strict=True)) == [(2021, 67026292.0), (2022, 66971395.0)]
    assert [p for p, _ in publisher.requests] == [GBR]  # one page: no page 2, no /v2/country


# ---- the real bodies -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real(raw_dir) -> dict[str, bytes]:
    d = raw_dir / "wb_api_v2"
    return {name: (d / name).read_bytes() for name in ("countries.json", "SP.POP.TOTL.json", "GBR/SP.POP.TOTL.json")}


def real_page2(page1: bytes) -> bytes:
    """A hand-made page 2 of 2 in the shape of the real page 1: its meta with ``page: 2``, and records that
    continue where page 1 stops (Kyrgyz Republic 2008, sorted by name then date descending). Values invented."""
    meta, records = json.loads(page1)
    last = records[-1]
    assert (last["countryiso3code"], last["date"]) == ("KGZ", "2008")
    kgz = [{**last, "date": str(y), "value": 5_200_000 - 50_000 * (2008 - y)} for y in (2007, 2006)]
    zwe = {**last, "country": {"id": "ZW", "value": "Zimbabwe"}, "countryiso3code": "ZWE"}
    zwe = [{**zwe, "date": "2023", "value": None}, {**zwe, "date": "2022", "value": 16_000_000}]
    return json.dumps([{**meta, "page": 2}, kgz + zwe], separators=(",", ":")).encode()


@pytest.mark.raw
def test_real_countries(publisher, real):
    assert json.loads(real["countries.json"])[0]["per_page"] == "400"
    publisher.add(COUNTRY, body(real["countries.json"]))
    countries = client(publisher).fetch_countries()
    assert len(countries) == 296 and int(countries["is_aggregate"].sum()) == 79
    text = ["iso2", "name", "region_id", "region", "income_id", "income_group"]
    assert not any((countries[c] != countries[c].str.strip()).any() for c in text)  # no padded names left
    econ = countries[~countries["is_aggregate"]]
    assert len(econ) == 217
    assert set(econ["region"]) == {
        "East Asia & Pacific", "Europe & Central Asia", "Latin America & Caribbean", "Middle East & North Africa",
        "North America", "South Asia", "Sub-Saharan Africa",
    }  # fmt: skip
    assert econ.set_index("iso3").loc["ABW", "region"] == "Latin America & Caribbean"
    income = countries.set_index("iso2").loc[["XD", "XM", "XN", "XT", "XY"], "iso3"].tolist()
    assert income == ["HIC", "LIC", "LMC", "UMC", "INX"]


@pytest.mark.raw
def test_real_indicator_two_pages(publisher, real):
    page1 = real["SP.POP.TOTL.json"]
    meta, records = json.loads(page1)
    assert (meta["page"], meta["pages"], meta["per_page"], len(records)) == (1, 2, 10000, 10000)
    publisher.add(COUNTRY, body(real["countries.json"]))
    publisher.add(POP, by_page({"1": page1, "2": real_page2(page1)}))
    wb = client(publisher)
    raw = wb.fetch_indicator("SP.POP.TOTL", 1960, 2023)

    assert pages_asked(publisher, POP) == ["1", "2"]  # page 1 of 2 makes the client ask for page 2
    assert set(raw.loc[raw["iso3"] == "KGZ", "year"]) >= {2006, 2007, 2008}  # the pages are joined
    assert raw.loc[raw["iso3"] == "ZWE", "year"].tolist() == [2022]
    assert 2023 not in set(raw["year"])  # 2023 is value: null for every entity on page 1
    nulls = sum(r["value"] is None for r in records)
    chi = sum(r["countryiso3code"] == "CHI" and r["value"] is not None for r in records)
    assert (nulls, chi) == (220, 63)
    assert len(raw) == len(records) - nulls - chi + 3  # + KGZ 2007, 2006 and ZWE 2022 from page 2

    # the 320 income-aggregate records with an empty countryiso3code: resolved to aggregate codes, not economies
    assert sum(r["countryiso3code"] == "" for r in records) == 320
    assert "" not in set(raw["iso3"]) and raw["iso3"].notna().all()
    # 64 years each, 2023 null; "Not classified" (XY -> INX) has no values at all
    counts = {c: int((raw["iso3"] == c).sum()) for c in ("HIC", "LIC", "LMC", "UMC", "INX")}
    assert counts == {"HIC": 63, "LIC": 63, "LMC": 63, "UMC": 63, "INX": 0}
    aggregates = set(wb.fetch_countries().query("is_aggregate")["iso3"])
    economies = set(raw["iso3"]) - aggregates
    page1_econ = {r["countryiso3code"] for r in records if r["value"] is not None} - aggregates - {"", "CHI"}
    assert economies == page1_econ | {"ZWE"}
    assert {"HIC", "LIC", "LMC", "UMC"} <= set(raw["iso3"]) & aggregates
    assert set(raw["vintage"]) == {"2024-03-28"}


@pytest.mark.raw
def test_real_single_country(publisher, real):
    meta, records = json.loads(real["GBR/SP.POP.TOTL.json"])
    assert (meta["pages"], len(records)) == (1, 64)
    publisher.add(GBR, body(real["GBR/SP.POP.TOTL.json"]))
    raw = client(publisher)._fetch("country/GBR/indicator/SP.POP.TOTL", {"date": "1960:2023"})
    assert len(raw) == 63 and set(raw["iso3"]) == {"GBR"}  # 64 records parsed, 2023 (null) dropped
    assert sorted(raw["year"]) == list(range(1960, 2023))
    assert raw.loc[raw["year"] == 2022, "value"].item() == 66971395.0
    assert [p for p, _ in publisher.requests] == [GBR]
