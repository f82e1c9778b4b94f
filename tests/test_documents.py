"""The PDFs as users download them (issue 31): the briefing pack and the single-chart PDFs, in every language we
ship, opened with poppler and pypdf: page sizes, the tag tree and ``/Lang``, the outline, the metadata, the fonts
(never Type 3) and the extracted text (the catalogue's strings as the same code points, Chinese line breaking).
The clipped-header ("Deadlin", "Threshol") and clipped-row (Connect 2020 2.3.B) cases are regression tests here."""

from __future__ import annotations

import re

import pytest

from app.context import get_data
from app.export import briefing
from app.export.formats import CAPTION_PX, export_figure
from app.i18n import html_lang, languages, translator
from tests.support import documents as docs

pytestmark = pytest.mark.snapshot
A4 = (841.9, 595.3)  # landscape, pt
LETTER = (792.0, 612.0)
CHART = ("gender", (("group", "WLD,LDC"),))


@pytest.fixture(autouse=True)
def _tools():
    docs.need_poppler()


def _progress_titles(lang: str) -> list[str]:
    data = get_data()
    by_id = {tg.id: tg for tg in data.targets}
    return [by_id[i].title_in(lang) for i in briefing.group_progress(data, "LDC")["target_id"]]


def _flat(text: str) -> str:
    """Extracted text with line ends joined the way a reader's search joins them (Chinese: no space)."""
    joined = re.sub(r"(?<=[\u3000-\u9fff\uff00-\uffef])\n(?=[\u3000-\u9fff\uff00-\uffef])", "", text)
    return " ".join(joined.split())


# ---- the briefing pack ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", languages())
def test_pack_pages_are_all_a4_and_tagged_with_the_language(lang):
    pdf = docs.pack(lang)
    assert docs.page_sizes(pdf) == {A4}
    r = docs.reader(pdf)
    root = r.trailer["/Root"]
    assert root["/Lang"] == html_lang(lang)
    assert root["/MarkInfo"]["/Marked"]
    roles = docs.struct_roles(pdf)
    assert {"/Document", "/H1", "/Table", "/TH", "/TD", "/Figure", "/Link"} <= roles, roles


def test_pack_on_letter_paper_is_letter_on_every_page():
    assert docs.page_sizes(docs.pack("en", "letter")) == {LETTER}
    assert briefing.spec_for(["LDC"], "en", "letter").file_name() == "briefing_LDC_letter.pdf"


@pytest.mark.parametrize("lang", languages())
def test_pack_outline_has_every_section_group_and_chart(lang):
    t = translator(lang)
    data = get_data()
    outline = docs.outline_titles(docs.pack(lang))
    titles = [title for _depth, title in outline]
    group = data.groups.label("LDC", lang)
    for needle in (
        t("export.brief_title", groups=group),
        t("export.brief_scorecard", group=group),
        t("export.brief_progress", groups=group),
        t("export.brief_charts"),
        t("export.brief_sources"),
        t("export.brief_methods"),
        t("export.brief_links"),
        data.registry["internet_users"].title_in(lang),
    ):
        assert needle in titles, (needle, titles)
    assert any(depth > 0 for depth, _t in outline)  # groups and charts nest under their section
    assert (1, group) in outline or (2, group) in outline  # the group's own entry under the targets


@pytest.mark.parametrize("lang", languages())
def test_pack_metadata_is_the_packs_own(lang):
    t = translator(lang)
    pdf = docs.pack(lang, base_url=docs.BASE_URL)
    info = docs.reader(pdf).metadata
    assert info["/Title"] == t("export.brief_title", groups=get_data().groups.label("LDC", lang))
    assert info["/Author"] == t("app.name") and info["/Creator"] == t("app.name")
    assert info["/Subject"] == t("export.brief_subtitle")
    assert "LDC" in info["/Keywords"] and "internet_users" in info["/Keywords"]
    assert "CC BY 4.0" in info["/licence"] and "CC BY-NC-SA 3.0 IGO" in info["/licence"]
    assert info["/permalink"] == f"{docs.BASE_URL}/download/briefing.pdf?group=LDC&lang={lang}"
    assert info["/CreationDate"].startswith("D:" + briefing.today_iso().replace("-", ""))
    assert "Kaleido" not in str(info) and "Mozilla" not in str(info)


@pytest.mark.parametrize("lang", languages())
def test_pack_fonts_are_embedded_and_never_type_3(lang):
    rows = docs.fonts(docs.pack(lang))
    assert rows
    for row in rows:
        assert " Type 3 " not in row and " yes yes yes " in row, row


@pytest.mark.parametrize("lang", languages())
def test_pack_text_holds_the_catalogue_strings_as_the_same_code_points(lang):
    t = translator(lang)
    text = docs.text(docs.pack(lang))
    assert not docs.FORBIDDEN.search(text), sorted(set(docs.FORBIDDEN.findall(text)))
    flat = _flat(text)
    for key in ("export.col_deadline", "export.col_threshold", "export.col_verdict", "export.brief_licences"):
        assert t(key) in flat, t(key)
    if lang == "zh":
        assert "互联网用户" in flat and "人口" in flat
    else:
        assert "Briefing" in flat and "Affordability" in flat


def test_pack_headers_are_whole_not_clipped():
    """The English targets pages printed the headers "Deadlin" and "Threshol" (a table drawn as a chart trace)."""
    text = docs.text(docs.pack("en"))
    words = set(re.findall(r"[A-Za-z]+", text))
    assert "Deadline" in words and "Threshold" in words
    assert "Deadlin" not in words and "Threshol" not in words


@pytest.mark.parametrize("lang", languages())
def test_pack_prints_every_target_row_whole(lang):
    """The Chinese page 2 cut its last row (Connect 2020 2.3.B) mid-line and page 3 did not repeat it."""
    flat = _flat(docs.text(docs.pack(lang)))
    for title in _progress_titles(lang):
        assert " ".join(title.split()) in flat, title


def test_pack_table_headers_repeat_on_every_page_the_table_flows_over():
    t = translator("en")
    pdf = docs.pack("en")
    pages = [docs.text(pdf, first=n, last=n) for n in range(1, len(docs.reader(pdf).pages) + 1)]
    with_rows = [p for p in pages if "Connect 2020" in p and "Why" in p]
    assert len(with_rows) >= 2 and all(t("export.col_deadline") in p for p in with_rows)


def test_chinese_pack_breaks_lines_by_the_rules():
    text = docs.text(docs.pack("zh"))
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert not [line for line in lines if line[0] in docs.CLOSING], "a line starts with closing punctuation"
    assert not [line for line in lines if line[-1] in docs.OPENING], "a line ends with opening punctuation"
    assert "5.b .1" not in text and "5.b.\n" not in text


def test_chinese_pack_writes_counts_with_enough_digits():
    flat = _flat(docs.text(docs.pack("zh")))
    assert not re.search(r"(?<![\d.])1亿", flat), "101.9 million written as 1亿"


def test_pack_links_are_real_annotations_with_whole_urls():
    pdf = docs.pack("en", base_url=docs.BASE_URL)
    uris = []
    for page in docs.reader(pdf).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action and "/URI" in action:
                uris.append(str(action["/URI"]))
    assert any(u.startswith(f"{docs.BASE_URL}/data.csv?indicator=internet_users") for u in uris)
    assert any(u.startswith("https://datahub.itu.int") for u in uris)
    assert all(" " not in u and "\n" not in u for u in uris)


def test_pack_without_public_base_url_labels_its_permalinks_relative():
    flat = _flat(docs.text(docs.pack("en")))
    assert translator("en")("export.url_relative") in flat
    assert "/data.csv?indicator=internet_users" in flat


# ---- single-chart PDFs ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", languages())
def test_chart_pdf_is_one_page_at_the_charts_size(lang):
    from app.export import charts

    query = (*CHART[1], ("lang", lang))
    pdf = docs.chart_pdf(CHART[0], query, docs.BASE_URL)
    fig = export_figure(charts.build(CHART[0], dict(query)))
    pt = 72 / 96
    assert docs.page_sizes(pdf) == {(round(fig.layout.width * pt, 1), round((fig.layout.height + CAPTION_PX) * pt, 1))}
    root = docs.reader(pdf).trailer["/Root"]
    assert root["/Lang"] == html_lang(lang) and root["/MarkInfo"]["/Marked"]
    assert "/Figure" in docs.struct_roles(pdf)


@pytest.mark.parametrize("lang", languages())
def test_chart_pdf_metadata_fonts_and_text(lang):
    from app.export import charts

    t = translator(lang)
    query = (*CHART[1], ("lang", lang))
    exp = charts.build(CHART[0], dict(query), base_url=docs.BASE_URL)
    pdf = docs.chart_pdf(CHART[0], query, docs.BASE_URL)
    info = docs.reader(pdf).metadata
    assert info["/Title"] == exp.meta.title and info["/Author"] == t("app.name")
    assert info["/permalink"] == exp.meta.url and info["/permalink"].startswith(docs.BASE_URL)
    assert "CC BY-NC-SA 3.0 IGO" in info["/licence"]
    assert exp.meta.subtitle.split(" · ")[0] in info["/Subject"]
    assert info["/CreationDate"].startswith("D:" + exp.meta.generated.replace("-", ""))
    for row in docs.fonts(pdf):
        assert " Type 3 " not in row, row
    text = docs.text(pdf)
    assert not docs.FORBIDDEN.search(text), sorted(set(docs.FORBIDDEN.findall(text)))
    flat = _flat(text)
    assert exp.meta.title in flat
    assert "CC BY-NC-SA 3.0 IGO" in flat
    if lang == "zh":
        assert "互联网" in flat and "5.b.1" in flat and "5.b .1" not in flat


def test_chart_pdf_without_public_base_url_says_its_permalink_is_relative():
    pdf = docs.chart_pdf(CHART[0], (*CHART[1], ("lang", "en")))
    flat = _flat(docs.text(pdf))
    assert translator("en")("export.url_relative") in flat and "/download/gender.csv?" in flat


# ---- images that say where they came from ----------------------------------------------------------------------


def _png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    import struct

    pos, out = 8, []
    while pos < len(png):
        size = struct.unpack(">I", png[pos : pos + 4])[0]
        out.append((png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + size]))
        pos += 12 + size
    return out


def _png_text(png: bytes) -> dict[str, str]:
    out = {}
    for kind, body in _png_chunks(png):
        if kind == b"tEXt":
            key, value = body.split(b"\0", 1)
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"iTXt":
            key, rest = body.split(b"\0", 1)
            _flags, lang_rest = rest[:2], rest[2:]
            _lang, rest = lang_rest.split(b"\0", 1)
            _tkey, value = rest.split(b"\0", 1)
            out[key.decode("latin-1")] = value.decode("utf-8")
    return out


@pytest.mark.parametrize("lang", languages())
def test_png_carries_its_print_resolution_title_source_licence_and_permalink(lang):
    import struct

    from app.export import charts
    from app.export.formats import export_bytes
    from app.export.image_meta import PRINT_WIDTH_CM

    exp = charts.build(CHART[0], {**dict(CHART[1]), "lang": lang}, base_url=docs.BASE_URL)
    png = export_bytes(exp, "png")
    chunks = _png_chunks(png)
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    phys = next(body for kind, body in chunks if kind == b"pHYs")
    x, y, unit = struct.unpack(">IIB", phys)
    width = struct.unpack(">I", chunks[0][1][:4])[0]
    assert unit == 1 and x == y and abs(width / x * 100 - PRINT_WIDTH_CM) < 0.01
    assert x / 39.37 >= 300  # at least 300 dpi at that width
    text = _png_text(png)
    assert text["Title"] == exp.meta.title
    assert "CC BY-NC-SA 3.0 IGO" in text["Copyright"] and "CC BY 4.0" in text["Copyright"]
    assert exp.meta.sources[0]["publisher"] in text["Source"] and exp.meta.sources[0]["vintage"] in text["Source"]
    assert text["Description"] == exp.meta.url and exp.meta.url.startswith(docs.BASE_URL)


def test_png_without_public_base_url_labels_its_permalink_relative():
    from app.export import charts
    from app.export.formats import export_bytes

    exp = charts.build(CHART[0], dict(CHART[1]))
    text = _png_text(export_bytes(exp, "png"))
    assert text["Description"] == f"{translator('en')('export.url_relative')}: {exp.meta.url}"


@pytest.mark.parametrize("lang", languages())
def test_svg_has_title_desc_metadata_and_a_font_stack_for_its_script(lang):
    import xml.etree.ElementTree as ET

    from app.export import charts
    from app.export.formats import export_bytes

    exp = charts.build(CHART[0], {**dict(CHART[1]), "lang": lang}, base_url=docs.BASE_URL)
    svg = export_bytes(exp, "svg")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg", "dc": "http://purl.org/dc/elements/1.1/"}
    assert root.find("s:title", ns).text == exp.meta.title
    assert root.find("s:desc", ns).text == exp.meta.summary
    meta = root.find("s:metadata", ns)
    assert meta.find(".//dc:identifier", ns).text == exp.meta.url
    assert "CC BY-NC-SA 3.0 IGO" in meta.find(".//dc:rights", ns).text
    assert exp.meta.sources[0]["publisher"] in meta.find(".//dc:source", ns).text
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == lang
    families = {"zh": ("Microsoft YaHei", "PingFang SC"), "en": ("Segoe UI", "Helvetica Neue")}[lang]
    assert all(f.encode() in svg for f in families)
