"""/data.csv, /data.json and /download/… on the Flask server: 200 with the rows and their provenance, 400 with a
plain message naming the bad parameter (never a traceback)."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.snapshot
QUERY = "indicator=internet_users&group=LDC,SIDS&from=2005&to=2024"


@pytest.fixture(scope="module")
def client():
    from app.wsgi import app

    return app.server.test_client()


def _csv(body: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(body))  # every default: the file is a plain CSV


def test_data_csv_returns_the_rows_as_a_plain_csv(client):
    resp = client.get(f"/data.csv?{QUERY}")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/csv")
    assert resp.headers["Content-Disposition"] == 'attachment; filename="internet-users_LDC-SIDS_2005-2024.csv"'
    text = resp.data.decode("utf-8-sig")
    assert text.startswith("series,code,kind,indicator,sex,unit,year,value,band_low,band_high,coverage,")
    assert "#" not in text.splitlines()[0] and not any(line.startswith("#") for line in text.splitlines())
    rows = _csv(resp.data)
    assert set(rows["code"]) == {"LDC", "SIDS"} and rows["year"].between(2005, 2024).all()
    assert rows["coverage"].max() > 1  # percent
    ours = rows[rows["kind"] == "group"].dropna(subset=["value"])
    assert len(ours) and (ours["band_low"] <= ours["value"]).all() and (ours["value"] <= ours["band_high"]).all()


def test_data_xlsx_is_a_workbook_with_the_same_rows_and_an_about_sheet(client):
    import openpyxl

    resp = client.get(f"/data.xlsx?{QUERY}")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert resp.headers["Content-Disposition"] == 'attachment; filename="internet-users_LDC-SIDS_2005-2024.xlsx"'
    wb = openpyxl.load_workbook(io.BytesIO(resp.data))
    assert wb.sheetnames == ["data", "about"]
    head, *body = list(wb["data"].iter_rows(values_only=True))
    rows = _csv(client.get(f"/data.csv?{QUERY}").data)
    assert list(head) == list(rows.columns) and len(body) == len(rows)
    values = [r[head.index("value")] for r in body]
    assert [v if v is not None else -1 for v in values] == list(rows["value"].fillna(-1))
    about = "\n".join(str(c) for r in wb["about"].iter_rows(values_only=True) for c in r if c)
    assert "CC BY-NC-SA 3.0 IGO" in about and "2026-04-24" in about and "/data.csv?" in about


def test_data_json_carries_sources_vintages_and_licences(client):
    resp = client.get(f"/data.json?{QUERY}")
    assert resp.status_code == 200
    doc = json.loads(resp.data)
    assert {"sources", "vintages", "licences", "method", "rows", "columns", "url", "generated"} <= set(doc)
    meta = doc["meta"]  # the metadata the CSV no longer carries, in one object
    assert {"title", "url", "sources", "vintages", "licences", "method", "precision", "generated"} <= set(meta)
    assert meta["vintages"]["itu_datahub"] == "2026-04-24" and meta["precision"]
    assert {"CC BY 4.0", "CC BY-NC-SA 3.0 IGO"} <= set(doc["licences"])
    assert doc["vintages"]["itu_datahub"] == "2026-04-24"
    assert doc["vintages"]["worldbank_population"] == "2026-03-06"
    assert doc["view"]["groups"] == ["LDC", "SIDS"]
    assert sum(r["kind"] == "group" for r in doc["rows"]) == 40 and set(doc["columns"]) >= {
        "series",
        "year",
        "value",
        "coverage",
    }


def test_data_csv_and_json_hold_the_same_numbers(client):
    rows = _csv(client.get(f"/data.csv?{QUERY}").data)
    doc = json.loads(client.get(f"/data.json?{QUERY}").data)
    from_json = pd.DataFrame(doc["rows"])
    assert list(rows["value"].fillna(-1)) == pytest.approx(list(from_json["value"].fillna(-1)))


def test_data_csv_follows_the_tab(client):
    resp = client.get("/data.csv?indicator=internet_users&group=LDC&tab=ranking&year=2020")
    assert resp.status_code == 200
    rows = _csv(resp.data)
    assert list(rows.columns) == ["rank", "iso3", "name", "year", "value"]
    assert (rows["year"] == 2020).all() and rows["value"].is_monotonic_decreasing


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("indicator=bogus", "bogus"),
        ("group=LDC,ATLANTIS", "ATLANTIS"),
        ("indicator=internet_users&from=1700", "1700"),
        ("indicator=internet_users&sex=robot", "robot"),
        ("indicator=internet_users&evil=%3Dcmd", "evil"),
        ("indicator=internet_users&tab=%3Cscript%3E", "<script>"),
        ("group=" + "X" * 500, "group"),
    ],
)
def test_invalid_parameters_get_400_with_a_plain_message(client, query, needle):
    for path in ("/data.csv", "/data.json"):
        resp = client.get(f"{path}?{query}")
        assert resp.status_code == 400
        assert resp.mimetype == "text/plain"
        body = resp.data.decode("utf-8")
        assert needle in body and "Traceback" not in body


@pytest.mark.parametrize(
    ("path", "ext", "magic"),
    [
        (f"/download/explore.png?{QUERY}", "png", b"\x89PNG"),
        (f"/download/explore.svg?{QUERY}", "svg", b"<svg"),
        (f"/download/explore.pdf?{QUERY}", "pdf", b"%PDF"),
        (f"/download/explore.zip?{QUERY}", "zip", b"PK"),
        (f"/download/explore.xlsx?{QUERY}", "xlsx", b"PK"),
        ("/download/gender.csv?group=WLD,LDC", "csv", b"\xef\xbb\xbfseries,"),
        ("/download/country.csv?iso3=NPL&indicator=internet_users", "csv", b"\xef\xbb\xbfseries,"),
        ("/download/gender-mobile.csv?members_of=LDC", "csv", b"\xef\xbb\xbfiso3,"),
    ],
)
def test_downloads_are_files_with_safe_names(client, path, ext, magic):
    if ext in ("png", "svg", "pdf") and not Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is needed for image exports")
    resp = client.get(path)
    assert resp.status_code == 200
    assert resp.data.lstrip()[: len(magic)] == magic or magic in resp.data[:200]
    name = re.fullmatch(r'attachment; filename="([A-Za-z0-9_-]+\.(\w+))"', resp.headers["Content-Disposition"])
    assert name and name.group(2) == ext


@pytest.mark.parametrize(
    "path",
    [
        "/download/nope.png",
        "/download/explore.exe?indicator=internet_users",
        "/download/country.csv?iso3=..%2F..%2Fetc",
        "/download/briefing.pdf?group=ZZZ",
        "/download/briefing.txt?group=LDC",
        "/download/briefing.pdf?group=LDC&lang=klingon",
        "/data.xml?indicator=internet_users",
    ],
)
def test_bad_downloads_get_400(client, path):
    resp = client.get(path)
    assert resp.status_code == 400
    assert "Content-Disposition" not in resp.headers
    assert "Traceback" not in resp.data.decode("utf-8")


# ---- permalinks never take the request's Host; duplicated parameters ---------------------------------------------

EVIL = {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}


@pytest.fixture
def fake_render(monkeypatch):
    """Image exports as the figure's JSON (every text it would draw), without Chromium; PDFs as their HTML with
    the charts' JSON inline (every text the document engine would print)."""
    from app.export import document, render

    def fake(fig, fmt, scale=None):  # an SVG stays an SVG (its metadata is written into the root element)
        body = b"%PDF-fake " + fig.to_json().encode()
        return b"<svg>" + body + b"</svg>" if fmt == "svg" else body

    monkeypatch.setattr(render, "to_bytes", fake)
    monkeypatch.setattr(document, "svg_src", lambda svg: svg.decode("utf-8"))
    monkeypatch.setattr(document, "to_pdf", lambda source: source.encode("utf-8"))


@pytest.mark.parametrize(
    "path",
    [
        "/data.csv?group=LDC",
        "/data.json?group=LDC&tab=map",
        "/download/country.csv?iso3=NPL",
        "/download/explore.zip?group=LDC,SIDS",
        "/download/explore.pdf?group=LDC&from=2006",
        "/download/briefing.pdf?group=SIDS",
    ],
)
def test_a_forged_host_never_reaches_a_download(client, fake_render, path):
    resp = client.get(path, headers=EVIL)
    assert resp.status_code == 200
    assert b"evil.example" not in resp.data
    assert resp.headers["Cache-Control"].startswith("public")
    assert "host" not in resp.headers.get("Vary", "").lower()


def test_permalinks_are_relative_unless_a_public_base_url_is_set(client, monkeypatch):
    import dataclasses

    from app.settings import EXTENSION, Settings

    doc = json.loads(client.get("/data.json?group=LDC&from=2001", headers=EVIL).data)
    assert doc["url"].startswith("/data.csv?")
    state = client.application.extensions[EXTENSION]
    public = Settings.from_env({"PUBLIC_BASE_URL": "https://divide.example.org/app/"}).public_base_url
    monkeypatch.setattr(state, "settings", dataclasses.replace(state.settings, public_base_url=public))
    doc = json.loads(client.get("/data.json?group=LDC&from=2002", headers=EVIL).data)
    assert doc["url"].startswith("https://divide.example.org/app/data.csv?")


@pytest.mark.parametrize(
    "value", ["evil.example", "javascript:alert(1)", "https://x.example/?q=1", "https://u:p@x.example", "https://a b"]
)
def test_a_malformed_public_base_url_is_refused(value):
    from app.public_url import parse_base_url

    with pytest.raises(ValueError, match="PUBLIC_BASE_URL"):
        parse_base_url(value)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/data.csv?group=LDC&group=SIDS", "group"),
        ("/data.json?indicator=internet_users&from=2005&from=2010", "from"),
        ("/download/country.csv?iso3=NPL&iso3=KEN", "iso3"),
        ("/download/briefing.pdf?group=LDC&lang=en&lang=zh", "lang"),
        ("/explore?group=LDC&tab=map&group=SIDS", "group"),
        ("/country/NPL?indicator=a&indicator=b", "indicator"),
        ("/?lang=zh&lang=en", "lang"),
    ],
)
def test_a_duplicated_parameter_is_a_400_naming_it(client, path, name):
    resp = client.get(path)
    assert resp.status_code == 400
    assert resp.mimetype == "text/plain"
    assert f"“{name}”" in resp.get_data(as_text=True)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_a_duplicated_parameter_in_a_page_address_gets_a_notice():
    from app.context import url_context
    from app.state import ExploreView, parse

    for query in ("?group=LDC&group=SIDS", {"group": ["LDC", "SIDS"]}):  # a query string; Dash Pages' kwargs
        view, notices = parse(ExploreView, query, url_context())
        assert view.groups == ("LDC",)
        assert [(n.param, n.problem) for n in notices] == [("group", "duplicated")]


def test_the_download_cache_is_bounded_in_bytes(monkeypatch):
    from app.export import routes

    small = routes.BytesLRU(routes.CACHE_SIZE, 1000, largest_part=4, size=lambda item: len(item[0]))
    monkeypatch.setattr(routes, "_cache", small)
    for i in range(20):
        routes._cached(("k", i), lambda: (b"x" * 200, "f.csv"))
    assert routes.cache_bytes() <= 1000 and len(routes._cache) == 5
    routes._cached(("big",), lambda: (b"x" * 600, "f.pdf"))  # more than a quarter of the bound: not kept
    assert ("big",) not in routes._cache and routes.cache_bytes() <= 1000
