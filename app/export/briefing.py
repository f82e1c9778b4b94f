"""The briefing pack: one multi-page PDF for one or more groups, in the chosen language and paper size.

Sections: the resolution scorecard re-scored for each group; every tracked target assessed for them; broadband
affordability; the main indicators against their targets; gender parity (and women vs men in the first group's
members); a map; the sources, methods, licences and each chart's data link. The pack is ONE HTML document with
print CSS rendered by WeasyPrint (app/export/document.py): tables are HTML tables that flow over pages with their
header repeated, the charts are the same plotly SVGs the downloads serve (``charts.build`` with the query a page's
download link carries, ``formats.chart_svg``), every page is A4 (or US Letter, ``paper=letter``) landscape, the
headings are the PDF's bookmarks, and the file is tagged with its language.

Every word comes from the catalogue (``export.*`` and the page keys) or from the registries' ``title: {lang}``
fields, so adding a language adds a catalogue file and changes nothing here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from app import scorecard_text, views
from app.components import source_field, source_text
from app.context import get_data
from app.data import AppData
from app.export import charts, document
from app.export.document import esc, protect
from app.export.formats import chart_svg, credit, export_figure, licences_of
from app.export.names import codes_part, file_name
from app.i18n import basket_name, format_date, format_number, translator
from app.reasons import render_reasons, verdict_flags
from app.state import _p
from indicators.scorecard import scorecard

MAIN_INDICATORS = ("internet_users", "households_internet", "mobile_broadband_per100", "coverage_4g")
#: the method paragraphs of the pack (catalogue keys), on their own page
METHOD_KEYS = ("about.m_aggregation", "about.m_gaps", "about.m_coverage", "about.m_population", "about.m_parity",
               "price.about_median")  # fmt: skip


@dataclass(frozen=True)
class BriefingView:
    """The briefing's query: ``group`` (one or more codes) and ``lang``; parsed like every page's query."""

    groups: tuple[str, ...] = field(default=("LDC",), metadata=_p("group", "groups"))
    lang: str = field(default="en", metadata=_p("lang", "lang"))  # any catalogue in app/locales
    paper: str = field(default="a4", metadata=_p("paper", "choice", choices=document.PAPER_NAMES))


@dataclass(frozen=True)
class BriefingSpec:
    groups: tuple[str, ...]
    lang: str
    today: str = ""
    paper: str = "a4"

    def file_name(self) -> str:
        parts = ["briefing", codes_part(self.groups), "" if self.lang == "en" else self.lang]
        return file_name([*parts, "" if self.paper == "a4" else self.paper], "pdf")


def today_iso() -> str:
    return dt.date.today().isoformat()


def parse_request(query: dict) -> BriefingSpec:
    """A spec from ``group``/``lang``/``paper``, or QueryError naming the bad value (``group`` defaults to LDC)."""
    view = charts.strict_parse(BriefingView, query)
    return BriefingSpec(tuple(view.groups), view.lang, today_iso(), view.paper)


def spec_for(groups: list[str], lang: str = "en", paper: str = "a4") -> BriefingSpec:
    """For the CLI: the same validation as the HTTP route."""
    return parse_request({"group": ",".join(groups), "lang": lang, "paper": paper})


@cache
def group_scorecard(data: AppData, group: str):
    """The resolution's figures re-scored for ``group`` (cached per process: the snapshot is read-only)."""
    return scorecard(data.tidy, data.groups, data.seeds, group=group, published=data.published)


@cache
def group_progress(data: AppData, group: str):
    """Every tracked target assessed for ``group`` (cached per process)."""
    return data.progress(group=group)


# ---- tables ----------------------------------------------------------------------------------------------------


@dataclass
class Table:
    """One table of the pack: a heading, a subtitle, columns (header, relative width), rows of text, a note under it.
    Written as an HTML table (app/export/document.py): it flows over pages, its header repeats, no row is cut."""

    title: str
    subtitle: str
    columns: list[tuple[str, int]]
    rows: list[list[str]]
    footer: str = ""
    #: columns whose cells are already HTML (links); every other cell is escaped and its codes kept whole
    html_columns: tuple[int, ...] = ()
    bookmark: str = ""  # the outline entry when it differs from the title (a group's name under its section)


def _num(value, lang: str, digits: int = 1) -> str:
    return format_number(value, lang, digits) if value is not None and value == value else "–"


#: the scorecard's columns on page 1 (the Overview's, without the group: each page is for one) and their widths
SCORECARD_WIDTHS = {"paragraph_text": 4, "figure": 46, "year_text": 6, "stated_text": 11, "itu_estimate_text": 13,
                    "ours_text": 11, "coverage_text": 9, "holds_text": 7, "latest_year_text": 8,
                    "latest_value_text": 10}  # fmt: skip


def scorecard_tables(data: AppData, spec: BriefingSpec, t) -> list[Table]:
    """The resolution's figures re-scored for each group, worded as the Overview words them (``app.scorecard_text``:
    counts, 'share without', '>' and '≈' alike)."""
    lang = spec.lang
    tables = []
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
        tables.append(
            Table(
                t("export.brief_scorecard", group=glabel),
                t("export.brief_scorecard_sub", group=glabel),
                columns,
                rows,
                footer,
            )
        )
    return tables


def progress_tables(data: AppData, spec: BriefingSpec, t) -> list[Table]:
    """Every tracked target assessed for each group: one table per group (its own bookmark)."""
    lang = spec.lang
    by_id = {tg.id: tg for tg in data.targets}
    by_group: dict[str, list[list[str]]] = {}
    for g in spec.groups:
        rows = by_group.setdefault(g, [])
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
    footer = t("about.m_projection")
    return [
        Table(
            t("export.brief_progress", groups=data.groups.label(g, lang)),
            t("export.brief_progress_sub"),
            columns,
            rows,
            footer,
            bookmark=data.groups.label(g, lang),
        )
        for g, rows in by_group.items()
    ]


def affordability_table(data: AppData, spec: BriefingSpec, t) -> Table:
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
    return Table(title, t("price.brief_subtitle"), columns, rows, footer)


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


def _sources_seen(exports: list[charts.ChartExport]) -> list[dict]:
    seen: dict[str, dict] = {}
    for exp in exports:
        for src in exp.meta.sources:
            seen.setdefault(src.get("key") or src.get("title", ""), src)
    return list(seen.values())


def sources_table(spec: BriefingSpec, t, exports: list[charts.ChartExport]) -> Table:
    """The sources (publisher and title, licence, vintage as a date in the pack's language, a link shown short)."""
    lang = spec.lang
    rows = [
        [
            source_name(s, t),
            source_field(_base_key(s), "licence", s.get("licence", ""), lang),
            format_date(s.get("vintage"), lang, "medium"),
            document.link(s.get("url", ""), limit=48),
        ]
        for s in _sources_seen(exports)
    ]
    columns = [
        (t("about.col_source"), 40),
        (t("about.col_licence"), 20),
        (t("about.col_vintage"), 12),
        (t("export.col_url"), 36),
    ]
    return Table(t("export.brief_sources"), t("export.brief_sources_sub"), columns, rows, t("about.maps"), (3,))


def links_table(t, exports: list[charts.ChartExport]) -> Table:
    """Each chart's rows as a permalink: a link annotation when ``PUBLIC_BASE_URL`` is set, else labelled relative."""
    relative = not all(document.is_absolute(exp.meta.url) for exp in exports)
    rows = [[exp.meta.title, document.link(exp.meta.url, limit=90)] for exp in exports]
    url_head = t("export.url_relative") if relative else t("export.url")
    columns = [(t("export.col_chart"), 30), (url_head, 70)]
    title = t("export.brief_data_links").rstrip(":：")
    return Table(title, t("export.brief_links_sub"), columns, rows, "", (1,), bookmark=t("export.brief_links"))


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


def table_html(table: Table, level: int = 2) -> str:
    """A table with its heading (a bookmark), subtitle and note; ``<thead>`` repeats on every page it flows over."""
    total = sum(w for _h, w in table.columns) or 1
    cols = "".join(f'<col style="width:{100 * w / total:.2f}%">' for _h, w in table.columns)
    head = "".join(f'<th scope="col">{protect(h)}</th>' for h, _w in table.columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{v if j in table.html_columns else protect(v)}</td>" for j, v in enumerate(row))
        + "</tr>"
        for row in table.rows
    )
    label = f' style="bookmark-label: {_css_string(table.bookmark)}"' if table.bookmark else ""
    parts = [f"<h{level}{label}>{protect(table.title)}</h{level}>"]
    parts += [f'<p class="subtitle">{protect(table.subtitle)}</p>'] if table.subtitle else []
    parts.append(f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts += [f'<p class="note">{protect(table.footer)}</p>'] if table.footer else []
    return "".join(parts)


def _css_string(text: str) -> str:
    return esc(document.css_string(text))


def chart_html(exp: charts.ChartExport, t, *, print_map: bool = True) -> str:
    """One chart as the SVG its download serves (the map at the print resolution), its summary as the image's
    text alternative and under it, with its permalink; the chart's title is its bookmark."""
    fig = export_figure(exp)
    if print_map and fig.layout.geo.projection.type:
        fig.update_geos(resolution=110)  # the coarser shapes: a 5 MB map SVG would make a heavy pack
    svg = chart_svg(exp, fig)
    width, height = int(fig.layout.width), int(fig.layout.height)
    url_label = t("export.url") if document.is_absolute(exp.meta.url) else t("export.url_relative")
    link = document.link(exp.meta.url, limit=110)
    return (
        f'<figure class="chart" style="bookmark-level: 2; bookmark-label: {_css_string(exp.meta.title)}">'
        f'<img src="{document.svg_src(svg)}" alt="{esc(exp.meta.summary or exp.meta.title)}" width="{width}" '
        f'height="{height}"><figcaption>{protect(exp.meta.summary)} {esc(url_label)}: {link}</figcaption></figure>'
    )


def pack_meta(spec: BriefingSpec, data: AppData, t, exports: list[charts.ChartExport], base_url: str):
    groups = ", ".join(data.groups.label(g, spec.lang) for g in spec.groups)
    query = f"group={','.join(spec.groups)}&lang={spec.lang}" + ("" if spec.paper == "a4" else f"&paper={spec.paper}")
    return document.DocMeta(
        title=t("export.brief_title", groups=groups),
        lang=spec.lang,
        author=t("app.name"),
        subject=t("export.brief_subtitle"),
        keywords=(*spec.groups, *MAIN_INDICATORS, "70/125", "WSIS", "Connect 2020"),
        licence="; ".join(licences_of(src for exp in exports for src in exp.meta.sources)),
        permalink=f"{base_url}/download/briefing.pdf?{query}",
        created=spec.today or today_iso(),
    )


def pack_html(spec: BriefingSpec, *, data: AppData | None = None, base_url: str = "") -> str:
    """The whole pack as one HTML document (what WeasyPrint prints)."""
    data = data or get_data()
    t = translator(spec.lang)
    generated = spec.today or today_iso()
    exports = chart_exports(spec, data, base_url)
    meta = pack_meta(spec, data, t, exports, base_url)
    out = []
    first, *more = scorecard_tables(data, spec, t)
    out.append('<section class="first">')
    out.append(f'<h1>{protect(meta.title)}</h1><p class="subtitle">{protect(meta.subject)}</p>')
    out.append(table_html(first) + "</section>")
    out += [f"<section>{table_html(tb)}</section>" for tb in more]
    progress = progress_tables(data, spec, t)
    if progress:
        out.append(
            f'<section><h2>{protect(progress[0].title)}</h2><p class="subtitle">{protect(progress[0].subtitle)}</p>'
        )
        for tb in progress:
            tb_sub = Table(tb.bookmark, "", tb.columns, tb.rows, tb.footer)
            out.append(table_html(tb_sub, level=3))
        out.append("</section>")
    out.append(f"<section>{table_html(affordability_table(data, spec, t))}</section>")
    for n, exp in enumerate(exports):
        heading = f"<h2>{protect(t('export.brief_charts'))}</h2>" if n == 0 else ""
        out.append(f'<section class="chart-page">{heading}{chart_html(exp, t)}</section>')
    out.append(f"<section>{table_html(sources_table(spec, t, exports))}")
    out.append(f"<h3>{protect(t('export.brief_methods'))}</h3>")
    out.append(f'<p class="subtitle">{protect(t("export.brief_methods_sub"))}</p>')
    out += [f"<p>{protect(t(k))}</p>" for k in METHOD_KEYS]
    out.append(f"<h3>{protect(t('export.brief_licences'))}</h3>")
    out += [f"<p>{protect(t(k))}</p>" for k in ("about.licence_note", "export.brief_share_alike")]
    out.append(table_html(links_table(t, exports), level=3) + "</section>")
    return document.document(
        meta,
        "".join(out),
        document.PAPERS[spec.paper],
        page_label=t("export.page", n="{n}", total="{total}"),
        credit=credit(t, generated, ""),
    )


def build_pdf(spec: BriefingSpec, *, data: AppData | None = None, base_url: str = "") -> bytes:
    """The briefing pack as PDF bytes (one HTML document printed by WeasyPrint)."""
    return document.to_pdf(pack_html(spec, data=data, base_url=base_url))
