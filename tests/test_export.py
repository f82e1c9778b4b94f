"""Exports: images (PNG/SVG/PDF through one warm kaleido), data (CSV/ZIP/JSON), file names, briefing pack, CLI."""

from __future__ import annotations

import io
import json
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from pypdf import PdfReader

from app.export import briefing, charts, render
from app.export.cli import main as cli_main
from app.export.formats import export_bytes, export_figure
from app.export.names import file_name, slug
from app.export.tables import neutralise, safe_frame

pytestmark = pytest.mark.snapshot
PROJECT_DIR = Path(__file__).resolve().parents[1]
QUERY = {"indicator": "internet_users", "group": "LDC,SIDS", "sex": "total", "from": "2005", "to": "2024"}
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def renderer():
    """One warm kaleido/Chromium for the whole session (render keeps one per process; stopped at the end)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is needed for image exports (apt-get install chromium)")
    yield render
    render.stop()


@pytest.fixture(scope="module")
def trend():
    return charts.build("explore", QUERY, base_url="http://127.0.0.1:8050")


def read_csv(body: bytes) -> pd.DataFrame:
    """A download as ``pandas.read_csv`` reads it with every default (no comment, skiprows or encoding option)."""
    return pd.read_csv(io.BytesIO(body))


def _svg_text(svg: bytes) -> str:
    root = ET.fromstring(svg)
    return " ".join(t.strip() for t in root.itertext() if t.strip())


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    """(page count by pypdf, text by poppler's pdftotext: the extractor people use on these files)."""
    reader = PdfReader(io.BytesIO(pdf))
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is needed to check PDF text")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout
    return len(reader.pages), " ".join(unicodedata.normalize("NFKC", out.decode("utf-8")).split())  # ﬁ → fi


# ---- images --------------------------------------------------------------------------------------------------


def test_png_has_magic_bytes_and_twice_the_layout_size(renderer, trend):
    png = export_bytes(trend, "png")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    fig = export_figure(trend)
    assert (width, height) == (2 * fig.layout.width, 2 * fig.layout.height)
    assert width >= 2000


def test_svg_parses_and_carries_title_subtitle_targets_and_sources(renderer, trend):
    text = _svg_text(export_bytes(trend, "svg"))
    assert "Individuals using the Internet" in text
    assert "Least developed countries (LDCs)" in text and "2005–2024" in text  # subtitle
    assert "Connect 2020" in text  # a target label
    assert "World Bank" in text and "CC BY 4.0" in text and "CC BY-NC-SA 3.0 IGO" in text and "vintage" in text
    assert "Digital divide dashboard" in text and "generated" in text


def test_pdf_is_one_page_with_extractable_title_and_source(renderer, trend):
    pages, text = _pdf_text(export_bytes(trend, "pdf"))
    assert pages == 1
    assert "Individuals using the Internet" in text
    assert "World Bank" in text and "CC BY 4.0" in text


def test_map_export_draws_shapes_offline(renderer):
    exp = charts.build("map", {**QUERY, "tab": "map"})
    svg = export_bytes(exp, "svg")
    assert svg.count(b'class="choroplethlocation"') > 100  # shapes came from the app's own topojson


def test_chinese_labels_render_in_the_image(renderer):
    exp = charts.build("gender", {"group": "WLD,LDC", "lang": "zh"})
    text = _svg_text(export_bytes(exp, "svg"))
    assert "互联网使用性别均等分数" in text
    assert "数字鸿沟仪表板" in text
    assert exp.file_name("png").endswith("_zh.png")


def test_export_figure_is_wide_enough_and_keeps_the_footer_in_the_margin(trend):
    fig = export_figure(trend)
    footer = next(a for a in fig.layout.annotations if a.name == "footer")
    lines = footer.text.split("<br>")
    assert all(len(line) <= 190 for line in lines)
    assert fig.layout.margin.b >= 78 + 15 * len(lines) - 60  # the whole footer sits inside the bottom margin


def test_export_lists_the_targets_under_the_plot_above_the_sources(trend):
    from app.figure_metrics import EXPORT

    fig = export_figure(trend)
    (keys,) = [a for a in fig.layout.annotations if a.name == "target_keys"]
    footer = next(a for a in fig.layout.annotations if a.name == "footer")
    lines = keys.text.split("<br>")
    assert lines and all(line[0] in "①②③④⑤⑥⑦⑧⑨⑩" for line in lines)  # the keys that mark the diamonds
    assert [a.text for a in fig.layout.annotations if a.name == "target_key"] == [line[0] for line in lines]
    assert keys.yref == footer.yref == "paper" and keys.y == footer.y == 0
    assert footer.yshift <= keys.yshift - EXPORT.key_line_px * len(lines)  # the sources below the list
    assert fig.layout.margin.b >= -footer.yshift  # both inside the bottom margin


# ---- data ----------------------------------------------------------------------------------------------------


def test_csv_round_trips_to_the_figure_values(trend):
    rows = read_csv(export_bytes(trend, "csv"))
    shown = rows.dropna(subset=["value"])
    points = sorted(
        (int(x), float(y))
        for tr in trend.figure.data
        if (tr.meta or {}).get("kind") in ("group", "world", "country", "member", "published")
        for x, y in zip(tr.x, tr.y, strict=True)
        if y is not None  # a year without an aggregate: a break in the line, an empty value in the file
    )
    expected = sorted(zip(shown["year"].astype(int), shown["value"], strict=True))
    assert [x for x, _ in points] == [x for x, _ in expected]
    assert [y for _, y in points] == pytest.approx([y for _, y in expected], abs=0.005)  # 2 decimals
    assert {"coverage", "n_reporting", "n_members", "n_filled", "filled_share"} <= set(rows.columns)
    assert set(rows["code"]) == {"LDC", "SIDS"}
    ours = rows[rows["kind"] == "group"]
    assert ours["n_filled"].notna().all() and ours["filled_share"].between(0, 100).all()
    assert ours["coverage"].between(70, 100).any() and ours["coverage"].max() > 1  # percent, as on screen
    assert {"published"} <= set(rows["kind"])  # the publishers' own estimates, beside ours, labelled
    assert rows.loc[rows["kind"] == "published", "series"].str.contains("ITU estimate").any()


def test_csv_has_no_comment_lines_and_starts_with_its_header_row(trend):
    text = export_bytes(trend, "csv").decode("utf-8-sig")
    assert text.splitlines()[0].split(",") == charts.TREND_COLUMNS
    assert not any(line.startswith("#") for line in text.splitlines())


def test_zip_readme_and_metadata_name_sources_vintages_licences_method_rounding_and_permalink(trend):
    with zipfile.ZipFile(io.BytesIO(export_bytes(trend, "zip"))) as zf:
        readme = zf.read("README.txt").decode("utf-8")
        meta = json.loads(zf.read("metadata.json"))
        csv = zf.read("internet-users_LDC-SIDS_2005-2024.csv")
    assert readme.startswith("Individuals using the Internet\n")
    assert "Permalink: http://127.0.0.1:8050/data.csv?indicator=internet_users" in readme
    assert "ITU DataHub" in readme and "vintage 2026-04-24" in readme and "CC BY-NC-SA 3.0 IGO" in readme
    assert "population weights (total); vintage 2026-03-06; licence CC BY 4.0" in readme
    assert "Key ICT indicators" in readme  # ITU's own estimates are drawn, so their edition is cited
    assert "Method:" in readme and "Generated:" in readme and "Rounding:" in readme
    assert "value: 2 decimals." in readme and "coverage: percent" in readme
    assert meta["vintages"]["itu_datahub"] == "2026-04-24" and "CC BY 4.0" in meta["licences"]
    assert meta["columns"] == charts.TREND_COLUMNS and meta["method"] and meta["precision"]
    assert csv == export_bytes(trend, "csv")  # the same plain CSV as the download


def test_map_csv_matches_the_coloured_economies():
    exp = charts.build("map", {**QUERY, "tab": "map"})
    rows = read_csv(export_bytes(exp, "csv"))
    trace = next(tr for tr in exp.figure.data if tr.name == "value")
    coloured = rows[rows["highlighted"]]
    assert sorted(coloured["iso3"]) == sorted(trace.locations)
    assert dict(zip(coloured["iso3"], coloured["value"], strict=True)) == pytest.approx(
        dict(zip(trace.locations, trace.z, strict=True)), abs=0.005
    )


def test_parity_image_says_whether_parity_was_reached():
    """FINDINGS: the parity chart's PNG did not say whether parity was reached; its subtitle now carries the page's
    answer for each group ("World (all economies): no — 0.90 (ITU estimate, Nov 2024) in 2020. …")."""
    from app import views
    from app.i18n import translator

    exp = charts.build("gender", {"group": "WLD,LDC"})
    t = translator("en")
    said = [views.parity_sentence(charts.get_data(), a, t) for a in exp.model.extra["answers"]]
    assert len(said) == 2 and said[0].startswith("World (all economies): no — 0.90 (ITU estimate, Nov 2024) in 2020.")
    image = " ".join(export_figure(exp).layout.title.subtitle.text.replace("<br>", " ").split())
    assert all(" ".join(s.split()) in image for s in said)
    assert all(s in exp.meta.subtitle for s in said)
    assert said[0] not in exp.model.subtitle  # the page shows the answers above the chart, not twice


def test_zip_holds_the_csv_and_a_readme(trend):
    with zipfile.ZipFile(io.BytesIO(export_bytes(trend, "zip"))) as zf:
        names = zf.namelist()
        readme = zf.read("README.txt").decode("utf-8")
    assert names == ["internet-users_LDC-SIDS_2005-2024.csv", "README.txt", "metadata.json"]
    assert "CC BY-NC-SA 3.0 IGO" in readme and "population-weighted" in readme


def test_gender_csv_has_every_witness_with_its_publisher_and_edition():
    exp = charts.build("gender", {"group": "WLD,LDC"})
    rows = read_csv(export_bytes(exp, "csv"))
    itu = rows[(rows["source"] == "itu_key_ict") & (rows["group"] == "LDC")]
    # ITU's LDC estimates of Nov 2024: women 20.7, men 29.5 in 2020
    assert dict(zip(itu["year"], itu["parity_score"], strict=True))[2020] == round(20.7 / 29.5, 3)
    assert set(itu["edition"]) == {"2024-11"} and set(itu["publisher"]) == {"ITU estimate, Nov 2024"}
    assert {"un_sdg"} <= set(rows["source"])


@pytest.mark.parametrize("value", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=x", "\r=x", '=HYPERLINK("http://x")'])
def test_formula_like_text_is_neutralised(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize("value", ["LDC", "", "a=b", -0.5, 3, None])
def test_other_cells_are_unchanged(value):
    assert neutralise(value) == value


def test_negative_numbers_stay_numbers_while_text_cells_are_neutralised():
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "-bad", "ok"], "gap": [-0.5, -12.25, 3.0]})
    out = safe_frame(frame)
    assert list(out["name"]) == ["'=cmd|' /C calc'!A0", "'-bad", "ok"]
    assert list(out["gap"]) == [-0.5, -12.25, 3.0]


def test_csv_from_a_hostile_frame_has_no_cell_starting_a_formula():
    from app.export.tables import to_csv

    frame = pd.DataFrame({"series": ["=2+5", "@SUM(1)"], "value": [-1.5, 2.0]})
    data = read_csv(to_csv(frame))
    assert list(data["series"]) == ["'=2+5", "'@SUM(1)"]
    assert list(data["value"]) == [-1.5, 2.0]


# ---- names and queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parts",
    [
        ["../../etc/passwd", "x"],
        ["a\r\nContent-Type: text/html", "b"],
        ["<script>alert(1)</script>", "名字"],
        ["C:\\Windows\\system32", "\x00nul"],
        ["x" * 500, "y" * 500],
        ["", None, "   "],
    ],
)
def test_file_names_are_whitelisted(parts):
    name = file_name(parts, "png")
    assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*\.png", name), name
    assert len(name) <= 124 and ".." not in name


def test_file_name_rejects_unknown_extensions_and_slug_folds_accents():
    with pytest.raises(ValueError):
        file_name(["a"], "exe")
    assert slug("Côte d'Ivoire") == "Cote-d-Ivoire"


def test_informative_default_name(trend):
    assert trend.file_name("png") == "internet-users_LDC-SIDS_2005-2024.png"


@pytest.mark.parametrize(
    ("query", "bad"),
    [
        ({"indicator": "=cmd|' /C calc'!A0"}, "=cmd"),
        ({"group": "../../etc"}, "../../etc"),
        ({"indicator": "internet_users", "from": "1800"}, "1800"),
        ({"indicator": "internet_users", "x": "1"}, "x"),
        ({"sex": "female", "indicator": "coverage_4g"}, "female"),
    ],
)
def test_invalid_queries_are_refused_naming_the_value(query, bad):
    with pytest.raises(charts.QueryError) as err:
        charts.build("explore", query)
    assert bad in str(err.value)


def test_unknown_chart_and_country_are_refused():
    with pytest.raises(charts.QueryError, match="nope"):
        charts.build("nope", {})
    with pytest.raises(charts.QueryError, match="XYZ"):
        charts.build("country", {"iso3": "XYZ"})


# ---- briefing pack -------------------------------------------------------------------------------------------


def test_briefing_pack_pages_text_and_sources(renderer):
    from tests.support import documents

    pdf = documents.pack("en")
    pages, text = _pdf_text(pdf)
    assert pages >= 8
    for needle in (
        "Briefing: Least developed countries (LDCs)",
        "Targets: where",
        "Individuals using the Internet",
        "Gender parity score",
        "Sources, licences and methods",
        "CC BY-NC-SA 3.0 IGO",
        "World Bank",
        f"page {pages} of {pages}",
    ):
        assert needle in text, needle


def test_briefing_in_chinese_takes_every_word_from_the_catalogue(renderer):
    from tests.support import documents

    html = briefing.pack_html(briefing.spec_for(["LDC"], "zh"))
    assert "<h1>简报：最不发达国家</h1>" in html or "<h1>简报：" in html
    assert "来源、许可与方法" in html and 'lang="zh-Hans"' in html
    assert documents.outline_titles(documents.pack("zh"))[0][1].startswith("简报：")
    assert briefing.spec_for(["LDC"], "zh").file_name() == "briefing_LDC_zh.pdf"


def test_briefing_refuses_unknown_groups():
    with pytest.raises(charts.QueryError, match="ZZZ"):
        briefing.spec_for(["ZZZ"])


# ---- CLI -----------------------------------------------------------------------------------------------------


def test_cli_writes_csv_under_the_informative_name(tmp_path):
    argv = ["chart", "--indicator", "internet_users", "--group", "LDC,SIDS", "--sex", "total"]
    assert cli_main([*argv, "--from", "2005", "--to", "2024", "--format", "csv", "--out", str(tmp_path)]) == 0
    rows = read_csv((tmp_path / "internet-users_LDC-SIDS_2005-2024.csv").read_bytes())
    assert len(rows[rows["kind"] == "group"]) == 40


def test_cli_writes_png(renderer, tmp_path):
    out = tmp_path / "chart.png"
    assert (
        cli_main(["chart", "--indicator", "internet_users", "--group", "LDC", "--format", "png", "--out", str(out)])
        == 0
    )
    assert out.read_bytes()[:4] == b"\x89PNG"


CLI_ERRORS = [
    (["chart", "--indicator", "bogus_indicator", "--group", "LDC", "--format", "png"], "bogus_indicator"),
    (["chart", "--indicator", "internet_users", "--group", "LDC,NOPE", "--format", "csv"], "NOPE"),
    (["chart", "--indicator", "internet_users", "--format", "gif"], "gif"),
    (["chart", "--chart", "country", "--iso3", "ZZZ", "--format", "csv"], "ZZZ"),
    (["briefing", "--group", "ATLANTIS"], "ATLANTIS"),
    (["briefing", "--group", "LDC", "--lang", "xx"], "xx"),
    (
        ["chart", "--indicator", "households_internet", "--sex", "female", "--format", "csv"],
        "“female” for “sex”: this indicator is not published by sex",  # the CLI refuses: no page fallback words
    ),
]


@pytest.mark.parametrize(("argv", "needle"), CLI_ERRORS)
def test_cli_errors_exit_2_naming_the_value(argv, needle, tmp_path, capsys):
    assert cli_main([*argv, "--out", str(tmp_path / "x")]) == 2
    assert needle in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(("argv", "needle"), [CLI_ERRORS[0], CLI_ERRORS[4]])
def test_cli_as_a_process_exits_2_without_a_traceback(argv, needle, tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "app.export", *argv, "--out", str(tmp_path / "x")],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert needle in proc.stderr
    assert "Traceback" not in proc.stderr


# ---- Chinese glyphs, not boxes (issue 6) ---------------------------------------------------------------------


def _text_png(renderer, text: str) -> bytes:
    """A PNG of ``text`` alone, large, in the export font stack: what a zh title looks like in a download."""
    import plotly.graph_objects as go

    from app.export.layout import EXPORT_FONT

    fig = go.Figure(layout={"width": 400, "height": 120, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}})
    fig.update_layout(font={"family": EXPORT_FONT, "size": 48}, xaxis_visible=False, yaxis_visible=False)
    fig.add_annotation(text=text, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return renderer.to_bytes(fig, "png", scale=1)


def test_zh_png_draws_chinese_glyphs_not_boxes(renderer):
    """Missing glyphs draw as the same box for every character: two different Chinese words of the same length
    would give identical images, and so would a run of unassigned code points. Real glyphs differ."""
    word_a, word_b = _text_png(renderer, "数字鸿沟"), _text_png(renderer, "性别均等")
    tofu = _text_png(renderer, "\U000f0001\U000f0002\U000f0003\U000f0004")  # private use: no font has these
    assert word_a[:8] == b"\x89PNG\r\n\x1a\n"
    assert word_a != word_b, "two different Chinese words render identically: the glyphs are boxes"
    assert word_a != tofu and word_b != tofu, "Chinese renders like unassigned code points: the glyphs are boxes"


def test_zh_pdf_carries_the_chinese_text_in_embedded_fonts(renderer):
    """Every font embedded, none Type 3, and the text is Chinese as the same code points (no NFKC needed)."""
    if shutil.which("pdffonts") is None:
        pytest.skip("pdffonts (poppler-utils) is needed to list the fonts embedded in a PDF")
    exp = charts.build("gender", {"group": "WLD,LDC", "lang": "zh"})
    pdf = export_bytes(exp, "pdf")
    fonts = subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout.decode()
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in line and " Type 3 " not in line for line in rows), f"a font:\n{fonts}"
    raw = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True, timeout=60).stdout
    assert "性别均等" in raw.decode("utf-8")
