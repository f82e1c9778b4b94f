"""The briefing pack: one multi-page PDF for one or more groups, in the chosen language.

Pages: the resolution scorecard re-scored for the group(s); every tracked target assessed for them; the main
indicators against their targets; gender parity (and women vs men in the first group's members); a map; a sources
page. Every page is a plotly figure rendered to a one-page PDF by the same warm Chromium that renders downloads,
and the pages are merged with pypdf. Why not one HTML page printed to PDF: kaleido exposes figure rendering, not
arbitrary HTML printing, so a second rendering path (a separate browser session, print CSS, page breaks) would have
to be kept in step with the charts; figures keep one path, vector text (extractable, searchable) and the charts
identical to the downloads (``charts.build`` is called with the same queries a page's download links carry).

Every word comes from the catalogue (``export.*`` and the page keys) or from the registries' ``title: {lang}``
fields, so adding a language adds a catalogue file and changes nothing here.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

import plotly.graph_objects as go
from pypdf import PdfReader, PdfWriter

from app import scorecard_text, views
from app.components import source_field, source_text
from app.context import get_data
from app.data import AppData
from app.export import charts, render
from app.export.formats import credit
from app.export.layout import briefing_version, wrap
from app.export.names import codes_part, file_name
from app.i18n import basket_name, format_date, format_number, translator
from app.reasons import render_reasons, verdict_flags
from app.state import _p
from indicators.scorecard import scorecard

PAGE_W, PAGE_H = 1123, 794  # A4 landscape at 96 px per inch
MAIN_INDICATORS = ("internet_users", "households_internet", "mobile_broadband_per100", "coverage_4g")
TABLE_LINES_PER_PAGE = 30
CHARS_PER_UNIT = 1.15  # characters of 12 px text that fit in one unit of ``columnwidth`` on a page
HEADER_FILL, ROW_FILLS = "#e8eef4", ("white", "#f6f6f6")
URL_SHARE = 0.8  # a URL cell holds this share of a text cell's characters (URLs are mostly wide Latin letters)
TEXT_PX, TEXT_UNITS, TEXT_LINES_PER_PAGE = 14, 124, 30  # the paragraphs of a text page: size, line width, lines
#: the method paragraphs of the pack (catalogue keys), on their own page
METHOD_KEYS = ("about.m_aggregation", "about.m_gaps", "about.m_coverage", "about.m_population", "about.m_parity",
               "price.about_median")  # fmt: skip


@dataclass(frozen=True)
class BriefingView:
    """The briefing's query: ``group`` (one or more codes) and ``lang``; parsed like every page's query."""

    groups: tuple[str, ...] = field(default=("LDC",), metadata=_p("group", "groups"))
    lang: str = field(default="en", metadata=_p("lang", "lang"))  # any catalogue in app/locales


@dataclass(frozen=True)
class BriefingSpec:
    groups: tuple[str, ...]
    lang: str
    today: str = ""

    def file_name(self) -> str:
        return file_name(["briefing", codes_part(self.groups), "" if self.lang == "en" else self.lang], "pdf")


def today_iso() -> str:
    return dt.date.today().isoformat()


def parse_request(query: dict) -> BriefingSpec:
    """A spec from ``group``/``lang``, or QueryError naming the bad value (``group`` is required in effect: LDC)."""
    view = charts.strict_parse(BriefingView, query)
    return BriefingSpec(tuple(view.groups), view.lang, today_iso())


def spec_for(groups: list[str], lang: str = "en") -> BriefingSpec:
    """For the CLI: the same validation as the HTTP route."""
    return parse_request({"group": ",".join(groups), "lang": lang})


@cache
def group_scorecard(data: AppData, group: str):
    """The resolution's figures re-scored for ``group`` (cached per process: the snapshot is read-only)."""
    return scorecard(data.tidy, data.groups, data.seeds, group=group, published=data.published)


@cache
def group_progress(data: AppData, group: str):
    """Every tracked target assessed for ``group`` (cached per process)."""
    return data.progress(group=group)


# ---- table pages -----------------------------------------------------------------------------------------------


def _cell(text: str, width_units: int) -> str:
    """``text`` wrapped to its column (lines already broken with ``<br>``, such as URLs, are kept)."""
    width = int(width_units * CHARS_PER_UNIT)
    return "<br>".join(line for part in str(text).split("<br>") for line in wrap(part, width)) or ""


def table_pages(
    title: str, subtitle: str, columns: list[tuple[str, int]], rows: list[list[str]], footer: str
) -> list[go.Figure]:
    """A table as one or more page figures; ``columns`` are (header, width in characters), cells pre-wrapped."""
    wrapped = [[_cell(v, w) for v, (_h, w) in zip(r, columns, strict=True)] for r in rows]
    chunks, chunk, used = [], [], 0
    for row in wrapped:
        lines = max(c.count("<br>") + 1 for c in row)
        if chunk and used + lines > TABLE_LINES_PER_PAGE:
            chunks.append(chunk)
            chunk, used = [], 0
        chunk.append(row)
        used += lines
    chunks.append(chunk)
    figs = []
    for part in chunks:
        fig = go.Figure(
            go.Table(
                columnwidth=[w for _h, w in columns],
                header={
                    "values": [f"<b>{_cell(h, w)}</b>" for h, w in columns],
                    "fill_color": HEADER_FILL,
                    "align": "left",
                    "font": {"size": 13},
                },
                cells={
                    "values": [list(col) for col in zip(*part, strict=True)] if part else [[] for _ in columns],
                    "fill_color": [[ROW_FILLS[i % 2] for i in range(len(part))]],
                    "align": "left",
                    "font": {"size": 12},
                    "height": 24,
                },
            )
        )
        fig.update_layout(template="divide", title={"text": title, "subtitle": {"text": subtitle}}, height=PAGE_H)
        fig.add_annotation(text=footer, name="footer", xref="paper", yref="paper", x=0, y=0, showarrow=False)
        figs.append(fig)
    return figs


def _num(value, lang: str, digits: int = 1) -> str:
    return format_number(value, lang, digits) if value is not None and value == value else "–"


#: the scorecard's columns on page 1 (the Overview's, without the group: each page is for one) and their widths
SCORECARD_WIDTHS = {"paragraph_text": 4, "figure": 34, "year_text": 6, "stated_text": 11, "itu_estimate_text": 13,
                    "ours_text": 11, "coverage_text": 9, "holds_text": 7, "latest_year_text": 8,
                    "latest_value_text": 10}  # fmt: skip


def scorecard_pages(data: AppData, spec: BriefingSpec, t) -> list[go.Figure]:
    """The resolution's figures re-scored for each group, worded as the Overview words them (``app.scorecard_text``:
    counts, 'share without', '>' and '≈' alike)."""
    lang = spec.lang
    pages = []
    heads = scorecard_text.headers(t, tuple(SCORECARD_WIDTHS))
    columns = [(heads[c], w) for c, w in SCORECARD_WIDTHS.items()]
    for g in [g for g in spec.groups if g != "WLD"] or ["WLD"]:
        sc = scorecard_text.worded(data, group_scorecard(data, g), t)
        glabel = data.groups.label(g, lang)
        rows = [[str(getattr(r, c)) for c in SCORECARD_WIDTHS] for r in sc.itertuples()]
        if not rows:
            rows = [[t("export.brief_no_scorecard")] + [""] * (len(columns) - 1)]
        indicators = sorted(set(sc["indicator"]))
        footer = " ".join(
            [t("overview.scorecard_caption"), source_text(data, indicators, t, published_sources=["itu_key_ict"])]
        )
        pages += table_pages(
            t("export.brief_scorecard", group=glabel),
            t("export.brief_scorecard_sub", group=glabel),
            columns,
            rows,
            footer,
        )
    return pages


def progress_pages(data: AppData, spec: BriefingSpec, t) -> list[go.Figure]:
    lang = spec.lang
    by_id = {tg.id: tg for tg in data.targets}
    rows = []
    for g in spec.groups:
        prog = group_progress(data, g)
        for rec in prog.to_dict("records"):
            r = SimpleNamespace(**{k: v for k, v in rec.items() if k != "break"})
            tg = by_id[r.target_id]
            digits = 2 if tg.metric == "parity_score" else 1
            latest = "–"
            if r.latest_value is not None and r.latest_value == r.latest_value:
                latest = f"{format_number(r.latest_value, lang, digits)} ({int(r.latest_year)})"
            reason = r.reason or ""
            if r.reasons:
                reason = render_reasons(
                    r.reasons,
                    t,
                    lambda c: data.groups.label(c, lang),
                    lambda i: data.registry[i].title_in(lang),
                    lambda c: data.country_name(c, lang),
                )
            verdict = t(f"verdict.{r.verdict}")
            flags = [words for _flag, words in verdict_flags(rec, t)]
            if flags:
                verdict = t("app.name_code", name=verdict, code=t("app.list_sep").join(flags))
            rows.append(
                [
                    tg.title_in(lang),
                    g,
                    str(tg.target_year or "–"),
                    format_number(tg.threshold, lang, digits if tg.metric == "parity_score" else 0),
                    latest,
                    verdict,
                    reason,
                ]
            )
    columns = [
        (t("export.col_target"), 36),
        (t("overview.col_group"), 7),
        (t("export.col_deadline"), 8),
        (t("export.col_threshold"), 9),
        (t("export.col_latest"), 13),
        (t("export.col_verdict"), 13),
        (t("export.col_reason"), 38),
    ]
    groups = ", ".join(data.groups.label(g, lang) for g in spec.groups)
    footer = t("about.m_projection")
    return table_pages(t("export.brief_progress", groups=groups), t("export.brief_progress_sub"), columns, rows, footer)


def affordability_pages(data: AppData, spec: BriefingSpec, t) -> list[go.Figure]:
    """The broadband baskets of the pack's groups (and the world): median price, members reporting, the shares of
    members and of people at or under 2% of monthly GNI per capita, and the basket priced."""
    lang = spec.lang
    groups = tuple(dict.fromkeys(["WLD", *spec.groups]))
    rows = []
    for r in views.affordability_rows(data, groups).itertuples():
        rows.append(
            [
                data.registry[r.indicator].title_in(lang),
                r.group,
                str(r.year),
                format_number(r.median, lang, 1),
                f"{r.n_reporting}/{r.n_members}",
                _num(100 * r.members_under, lang, 0),
                _num(100 * r.people_under, lang, 0),
                "; ".join(basket_name(b, lang) for b in r.basket.split("; ") if b),
            ]
        )
    columns = [
        (t("country.col_indicator"), 30),
        (t("overview.col_group"), 7),
        (t("country.col_year"), 6),
        (t("price.col_median"), 10),
        (t("price.col_reporting"), 10),
        (t("price.col_members_under"), 12),
        (t("price.col_people_under"), 12),
        (t("price.col_basket"), 27),
    ]
    footer = t("price.overview_note", threshold=format_number(data.affordable_share, lang, 0))
    title = t("price.brief_title", groups=", ".join(data.groups.label(g, lang) for g in groups))
    return table_pages(title, t("price.brief_subtitle"), columns, rows, footer)


def _base_key(src: dict) -> str:
    return (src.get("key") or "").removesuffix("_population")


def source_name(src: dict, t) -> str:
    """'Publisher: title' of a source in the pack's language (the population weights named as such)."""
    key = _base_key(src)
    title = src.get("title", "").split(": population weights")[0]
    name = f"{source_field(key, 'publisher', src.get('publisher', ''), t.lang)}{t('about.source_sep')}"
    name += source_field(key, "title", title, t.lang)
    if (src.get("key") or "").endswith("_population"):
        name += t("export.population_weights")
    return name


def url_lines(url: str, width: int) -> list[str]:
    """``url`` cut into lines of at most ``width`` characters, after a ``/``, ``?``, ``&`` or ``,`` where possible
    (a URL has no spaces, so the table's word wrap would let it run past its column)."""
    lines, rest = [], url
    while len(rest) > width:
        cut = max(rest.rfind(ch, 0, width) for ch in "/?&,") + 1
        cut = cut if cut > width // 3 else width
        lines.append(rest[:cut])
        rest = rest[cut:]
    return [*lines, rest] if rest else lines


def _url_cell(url: str, width_units: int) -> str:
    """A URL pre-wrapped for a table cell (narrower than text: URLs are mostly wide Latin characters)."""
    return "<br>".join(url_lines(url, int(width_units * CHARS_PER_UNIT * URL_SHARE)))


def text_pages(title: str, subtitle: str, blocks: list[tuple[str, str]], footer: str) -> list[go.Figure]:
    """Paragraphs as one or more page figures: ``blocks`` are (kind, text), kind ``h`` (a heading) or ``p``."""
    pages, lines = [], []

    def flush():
        fig = go.Figure()
        fig.update_layout(
            template="divide",
            title={"text": title, "subtitle": {"text": subtitle}},
            height=PAGE_H,
            xaxis={"visible": False},
            yaxis={"visible": False},
            showlegend=False,
        )
        fig.add_annotation(text="<br>".join(lines), name="text", xref="paper", yref="paper", x=0, y=1,
                           xanchor="left", yanchor="top", align="left", showarrow=False,
                           font={"size": TEXT_PX})  # fmt: skip
        fig.add_annotation(text=footer, name="footer", xref="paper", yref="paper", x=0, y=0, showarrow=False)
        pages.append(fig)

    for kind, text in blocks:
        chunk = [f"<b>{text}</b>"] if kind == "h" else wrap(text, TEXT_UNITS)
        if lines and len(lines) + len(chunk) + 1 > TEXT_LINES_PER_PAGE:
            flush()
            lines = []
        lines += ([""] if lines else []) + chunk
    if lines or not pages:
        flush()
    return pages


def _sources_seen(exports: list[charts.ChartExport]) -> list[dict]:
    seen: dict[str, dict] = {}
    for exp in exports:
        for src in exp.meta.sources:
            seen.setdefault(src.get("key") or src.get("title", ""), src)
    return list(seen.values())


def sources_pages(data: AppData, spec: BriefingSpec, t, exports: list[charts.ChartExport]) -> list[go.Figure]:
    """The sources (publisher and title, licence, vintage as a date in the pack's language, URL), then the methods
    and licences as paragraphs, then the data behind each chart."""
    lang = spec.lang
    url_width = 40
    rows = [
        [
            source_name(s, t),
            source_field(_base_key(s), "licence", s.get("licence", ""), lang),
            format_date(s.get("vintage"), lang, "medium"),
            _url_cell(s.get("url", ""), url_width),
        ]
        for s in _sources_seen(exports)
    ]
    columns = [
        (t("about.col_source"), 43),
        (t("about.col_licence"), 22),
        (t("about.col_vintage"), 14),
        (t("export.col_url"), url_width),
    ]
    footer = t("about.maps")
    pages = table_pages(t("export.brief_sources"), t("export.brief_sources_sub"), columns, rows, footer)
    methods = [("p", t(k)) for k in METHOD_KEYS]
    licences = [("h", t("export.brief_licences")), ("p", t("about.licence_note")), ("p", t("export.brief_share_alike"))]
    pages += text_pages(t("export.brief_methods"), t("export.brief_methods_sub"), methods + licences, footer)
    link_width = 70
    links = [[exp.meta.title, _url_cell(exp.meta.url, link_width)] for exp in exports]
    link_cols = [(t("export.col_chart"), 40), (t("export.col_url"), link_width)]
    title = t("export.brief_data_links").rstrip(":：")
    pages += table_pages(title, t("export.brief_links_sub"), link_cols, links, footer)
    return pages


# ---- the pack --------------------------------------------------------------------------------------------------


def chart_exports(spec: BriefingSpec, data: AppData, base_url: str) -> list[charts.ChartExport]:
    """The pack's charts, built exactly as their download links would build them."""
    groups = [g for g in spec.groups if g != "WLD"]
    with_world = ",".join(["WLD", *groups])
    common = {"lang": spec.lang}
    out = [
        charts.build("explore", {"indicator": ind, "group": with_world, **common}, data=data, base_url=base_url)
        for ind in MAIN_INDICATORS
    ]
    out.append(charts.build("gender", {"group": with_world, **common}, data=data, base_url=base_url))
    if groups:
        out.append(charts.build("gender-internet", {"members_of": groups[0], **common}, data=data, base_url=base_url))
    map_groups = ",".join(groups or ["WLD"])
    out.append(
        charts.build(
            "map",
            {"indicator": "internet_users", "group": map_groups, "tab": "map", **common},
            data=data,
            base_url=base_url,
        )
    )
    return out


def page_figures(spec: BriefingSpec, *, data: AppData | None = None, base_url: str = "") -> list[go.Figure]:
    """Every page as a finished figure (title, footer with sources, credit and page number)."""
    data = data or get_data()
    t = translator(spec.lang)
    generated = spec.today or today_iso()
    exports = chart_exports(spec, data, base_url)
    groups = ", ".join(data.groups.label(g, spec.lang) for g in spec.groups)
    first = scorecard_pages(data, spec, t)
    first[0].update_layout(
        title={
            "text": t("export.brief_title", groups=groups),
            "subtitle": {"text": t("export.brief_subtitle") + " · " + first[0].layout.title.text},
        }
    )
    raw = [(f, "") for f in first] + [(f, "") for f in progress_pages(data, spec, t)]
    raw += [(f, "") for f in affordability_pages(data, spec, t)]
    raw += [(exp.figure, exp.meta.url) for exp in exports]
    raw += [(f, "") for f in sources_pages(data, spec, t, exports)]
    pages = []
    for n, (fig, url) in enumerate(raw, start=1):
        line = credit(t, generated, url) + " · " + t("export.page", n=n, total=len(raw))
        page = briefing_version(fig, credit=line, width=PAGE_W, lang=spec.lang)
        if (page.layout.height or 0) < PAGE_H:
            page.update_layout(height=PAGE_H)
        pages.append(page)
    return pages


def build_pdf(spec: BriefingSpec, *, data: AppData | None = None, base_url: str = "") -> bytes:
    """The briefing pack as PDF bytes: each page rendered by the warm browser, merged with pypdf."""
    t = translator(spec.lang)
    writer = PdfWriter()
    for fig in page_figures(spec, data=data, base_url=base_url):
        for page in PdfReader(io.BytesIO(render.to_bytes(fig, "pdf"))).pages:
            writer.add_page(page)
    data = data or get_data()
    groups = ", ".join(data.groups.label(g, spec.lang) for g in spec.groups)
    writer.add_metadata(
        {
            "/Title": t("export.brief_title", groups=groups),
            "/Author": t("app.name"),
            "/Subject": t("export.brief_subtitle"),
        }
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
