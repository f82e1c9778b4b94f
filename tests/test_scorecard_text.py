"""One formatter for the scorecard's rows (app/scorecard_text.py): the same names and numbers on the Overview, on
page 1 of the briefing pack (checked on the PDF's text, as pdftotext extracts it) and in the CSV/XLSX downloads."""

from __future__ import annotations

import io
import unicodedata
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from app import scorecard_text
from app.i18n import translator
from indicators.registry import load_registry
from indicators.scorecard import COMPARISONS, SCORECARD_COLUMNS

EN, ZH = translator("en"), translator("zh")


def row(**values) -> dict:
    base = dict.fromkeys(SCORECARD_COLUMNS)
    base.update(paragraph=22, indicator="households_internet", measure="", derive="", group="DEVELOPING", sex="total",
                year=2015, unit="percent", qualifier="stated", comparison="=", ours_coverage=0.9,
                latest_year=2023, method="our population-weighted aggregate")  # fmt: skip
    base.update(values)
    return base


def card() -> pd.DataFrame:
    """Four figures as the resolution states them: a share without access (≈), a lower bound (>), a count of people
    (≈, projected) and a plain value (=), with ours beside each."""
    return pd.DataFrame(
        [
            row(derive="complement", stated=66.7, qualifier="about", comparison="≈", ours_same_year=67.30303,
                latest_value=61.2),
            row(group="DEVELOPED", stated=80.0, qualifier="over", comparison=">", ours_same_year=79.869, holds=False,
                latest_value=92.1),
            row(paragraph=14, indicator="internet_users", derive="count", group="WLD", unit="people",
                stated=3.2e9, qualifier="projected", comparison="≈", ours_same_year=2954273590.16, latest_value=5.9e9,
                latest_year=2024),
            row(paragraph=14, indicator="fixed_broadband_per100", group="WLD", unit="per100", stated=3.4,
                itu_estimate=3.4, ours_same_year=3.5468, year=2005, latest_value=None, latest_year=None),
        ],
        columns=list(SCORECARD_COLUMNS),
    )  # fmt: skip


@pytest.fixture(scope="module")
def fake_data():
    return SimpleNamespace(registry=load_registry(), groups=SimpleNamespace(label=lambda g, lang: f"<{g}>"))


def test_each_kind_of_figure_is_worded_with_its_qualifier(fake_data):
    w = scorecard_text.worded(fake_data, card(), EN)
    assert list(w["figure"]) == [
        "Households with Internet access at home: share without",
        "Households with Internet access at home",
        "Individuals using the Internet: count",
        "Fixed-broadband subscriptions per 100 inhabitants",
    ]
    assert list(w["stated_text"]) == ["≈ 66.7", "> 80.0", "≈ 3.20 bn", "3.4"]
    assert list(w["ours_text"]) == ["67.3", "79.9", "2.95 bn", "3.5"]  # ours is a value: never signed
    assert list(w["holds_text"]) == ["", "no", "", ""]
    assert list(w["latest_value_text"])[-1] == "–" and list(w["latest_year_text"])[-1] == "–"
    assert list(w["coverage_text"]) == ["90.0%"] * 4
    assert list(w["paragraph_text"]) == ["22", "22", "14", "14"]


def test_chinese_uses_its_own_unit_and_the_same_qualifiers(fake_data):
    w = scorecard_text.worded(fake_data, card(), ZH)
    assert w["figure"].iloc[0].endswith("：未覆盖比例")
    assert w["figure"].iloc[2].endswith("：数量")
    assert list(w["stated_text"]) == ["≈ 66.7", "> 80.0", "≈ 32.0亿", "3.4"]
    assert scorecard_text.headers(ZH)["stated_text"] == ZH("overview.col_stated")


def test_the_download_puts_each_number_beside_its_words(fake_data):
    rows = scorecard_text.download_rows(fake_data, card(), EN)
    assert list(rows.columns) == [
        {"ours_same_year": "ours", "ours_coverage": "coverage_pct", "latest_coverage": "latest_coverage_pct"}.get(c, c)
        for c in scorecard_text.DOWNLOAD_COLUMNS
    ]
    assert rows["stated"].tolist() == [66.7, 80.0, 3200000000, 3.4]
    assert rows["ours"].tolist()[2] == 2954273590 and isinstance(rows["ours"].tolist()[2], int)
    assert rows["ours"].tolist()[0] == 67.3
    assert rows["stated_text"].tolist() == ["≈ 66.7", "> 80.0", "≈ 3.20 bn", "3.4"]
    assert rows["coverage_pct"].tolist() == [90.0] * 4


# ---- the real snapshot: Overview, briefing pack, downloads ----------------------------------------------------


@pytest.mark.snapshot
def test_overview_table_and_source_line_use_the_formatter_and_every_vintage():
    from app.context import get_data
    from app.wsgi import app  # noqa: F401 - the pages register on an app: built first

    # isort: split
    from app.pages import overview

    data = get_data()
    block = overview.scorecard_block(EN)
    table = block.children[0].children
    body = table.children[2].children
    cells = [[td.children for td in tr.children] for tr in body]
    expected = scorecard_text.worded(data, overview._scorecard(), EN)
    assert cells == [[getattr(r, c) for c in scorecard_text.COLUMNS] for r in expected.itertuples()]
    assert any(c[1].endswith(": share without") and c[4].startswith("≈ ") for c in cells)
    assert any(c[4] == "> 43.0" for c in cells)
    source = block.children[1].children
    # every vintage of every source behind the table: DataHub's two downloads, the World Bank's two, ITU's estimates
    for indicator in set(expected["indicator"]):
        for src in data.provenance_for(indicator):
            from app.i18n import format_date

            assert format_date(src["vintage"], "en", "medium") in source, (indicator, src["key"], src["vintage"])
    assert "Key ICT indicators" in source
    links = block.children[2].children
    assert [a.href for a in links[1:]] == ["/download/scorecard.csv?lang=en", "/download/scorecard.xlsx?lang=en"]


@pytest.mark.snapshot
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_briefing_page_one_prints_the_overviews_words(lang):
    """Each row of page 1, as pdftotext reads it, is the Overview's worded row for the group, cell by cell."""
    from app.context import get_data
    from app.export import briefing
    from tests.support import documents

    documents.need_poppler()
    data = get_data()
    t = translator(lang)
    # page 1 of the pack as users download it, as pdftotext reads it (NFKC and whitespace folded, as before); in
    # English with -layout, which reads a table row by row (the plain mode reads an HTML table's cells column-wise)
    page = documents.text(documents.pack(lang), first=1, last=1, layout=lang == "en")
    text = " ".join(unicodedata.normalize("NFKC", page).split())
    plain = " ".join(unicodedata.normalize("NFKC", documents.text(documents.pack(lang), first=1, last=1)).split())
    worded = scorecard_text.worded(data, briefing.group_scorecard(data, "LDC"), t)
    nfkc = lambda s: " ".join(unicodedata.normalize("NFKC", s).split())  # noqa: E731 - as _pdf_text reads it
    if lang == "en":  # pdftotext -layout reads English rows in order, the yes/no column in its place
        for r in worded.itertuples():
            cells = [str(getattr(r, c)) for c in briefing.SCORECARD_WIDTHS if getattr(r, c)]
            assert nfkc(" ".join(cells)) in text, cells
    else:  # Chinese column by column, a count's 亿 on a line of its own, some characters as radicals (⺠): the
        # derived names' qualifiers, as often as the page has them, and each stated figure with its sign
        for derive in ("count", "complement", "complement_count"):
            suffix = nfkc(t(f"overview.derive_{derive}", indicator=""))
            assert text.count(suffix + " ") + text.endswith(suffix) >= (worded["derive"] == derive).sum() > 0
        assert all(nfkc(s.removesuffix("亿")) in text for s in worded["stated_text"])
    no = t("overview.holds_no")
    assert text.split().count(no) >= (worded["holds_text"] == no).sum() > 0
    complement = worded[worded["derive"] == "complement"]
    assert len(complement) and all(t("overview.derive_complement", indicator="") in f for f in complement["figure"])
    assert nfkc(t("overview.derive_complement", indicator="")) in text
    assert "> 43.0" in text and "> 80.0" in text  # a lower bound keeps its sign (was "43.0")
    for col, header in scorecard_text.headers(t, tuple(briefing.SCORECARD_WIDTHS)).items():
        if col not in ("itu_estimate_text", "coverage_text", "holds_text"):  # wrapped or read beside another header
            assert nfkc(header) in plain, header  # a header wrapped in its cell reads whole in the plain mode


@pytest.mark.snapshot
def test_scorecard_downloads_carry_the_same_words_and_whole_counts():
    from app.context import get_data
    from app.export import scorecard

    data = get_data()
    exp = scorecard.build({"group": "LDC", "lang": "en"}, base_url="http://x")
    body = scorecard.export_bytes(exp, "csv")
    rows = pd.read_csv(io.BytesIO(body))
    worded = scorecard_text.worded(data, scorecard._scorecard(data, "LDC"), EN)
    assert rows["stated_text"].tolist() == worded["stated_text"].tolist()
    assert rows["figure"].tolist() == worded["figure"].tolist()
    counts = rows[rows["derive"].isin(["count", "complement_count"])]
    text = body.decode("utf-8-sig")
    for value in counts["ours"].dropna():
        assert f",{int(value)}," in text and f",{int(value)}.0," not in text
    book = load_workbook(io.BytesIO(scorecard.export_bytes(exp, "xlsx")))
    sheet = [[c.value for c in r] for r in book["data"].iter_rows()]
    col = sheet[0].index("stated_text")
    assert [r[col] for r in sheet[1:]] == worded["stated_text"].tolist()
    about = " ".join(str(c.value) for r in book["about"].iter_rows() for c in r if c.value)
    assert "2025-12-28, 2026-04-24" in about and "CC BY-NC-SA 3.0 IGO" in about
    assert exp.file_name("xlsx") == "scorecard-70-125_LDC.xlsx"
    with pytest.raises(scorecard.QueryError, match="ZZZ"):
        scorecard.build({"group": "ZZZ"})


@pytest.mark.snapshot
def test_then_and_now_signs_its_figures_as_the_scorecard_does():
    """70/125's "80% … (estimate)" is '≈ 80.0' in both tables (the then-and-now table wrote only over/about/near)."""
    from app.wsgi import app  # noqa: F401 - the pages register on an app: built first

    # isort: split
    from app.pages import overview

    rows = overview._then_and_now()
    table = overview.then_now_block(EN).children[1].children
    cells = [[td.children for td in tr.children] for tr in table.children[2].children]
    for (then, now), r in zip(((c[1], c[2]) for c in cells), rows.itertuples(), strict=True):
        for text, value, qualifier in ((then, r.then_value, r.then_qualifier), (now, r.now_value, r.now_qualifier)):
            if value == value and value is not None:
                sign = {"=": ""}.get(COMPARISONS.get(qualifier or "stated", "≈"), COMPARISONS.get(qualifier, "≈"))
                assert text.endswith(f"{sign} {value:.1f}".strip()), (text, qualifier)
    assert any(text.endswith(": ≈ 80.0") for c in cells for text in c[1:3])
