"""The one document engine of every PDF the app writes: HTML and print CSS rendered by WeasyPrint.

Why WeasyPrint and not the browser that draws the images: Chromium's printing (what kaleido uses) writes CJK text as
Type 3 fonts whose text layer maps ideographs to Kangxi-radical look-alikes (网 → ⽹), cannot tag the document, sets
no language and makes pages of any height. WeasyPrint (docs/downloads.md) lays out HTML with Pango, so a table flows
over pages with its header repeated and never clips a row; it writes a tagged PDF/UA-1 file with ``/Lang``, an
outline from the headings (``bookmark-level`` in the print CSS), real link annotations, subset CID/TrueType fonts
(never Type 3) and the metadata of the HTML head. The charts are the plotly SVGs the downloads serve, embedded as
vector images, so a chart is drawn by one code path whatever the file.

Nothing here knows a language: every word comes from the caller (the catalogues); the document carries
``lang``/``dir`` and the print CSS picks fonts per language with ``:lang()``, the line breaking (UAX #14 through
Pango, strict for CJK) and the direction from them.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from app.i18n import html_lang

CSS_DIR = Path(__file__).resolve().parent / "print_css"
#: ``paper`` → the CSS page size of a multi-page document (landscape: the charts and tables are wide)
PAPERS = {"a4": "A4 landscape", "letter": "letter landscape"}
PAPER_NAMES = tuple(PAPERS)
#: right-to-left languages among the catalogues we may ship (``dir`` on the document)
RTL = {"ar", "fa", "he", "ur"}
#: codes that must not break inside: SDG indicator codes (5.b.1, 17.6.1), resolution numbers (70/125), numbers with a
#: unit or sign (≥ 50%, 1.02亿, 2,200 px)
_NOBREAK = re.compile(
    r"\b\d+\.[a-z0-9]+(?:\.\d+)+\b"  # 5.b.1, 9.c.1, 17.6.1
    r"|\b\d+/\d+\b"  # 70/125
    r"|[<>≤≥≈]\s?\d[\d.,]*\s?%?"  # > 43.0, ≥ 50%
    r"|\d[\d.,]*\s?(?:%|万|亿|億|[KMB]\b)"  # 12.3M, 1.02亿, 45%
)
_URL = re.compile(r"https?://[^\s<>\"]+")


@dataclass(frozen=True)
class DocMeta:
    """What a PDF says about itself (document information dictionary and XMP, through the HTML head)."""

    title: str
    lang: str
    author: str  # the dashboard's name
    subject: str = ""
    keywords: tuple[str, ...] = ()
    licence: str = ""
    permalink: str = ""
    created: str = ""  # ISO date
    extra: dict = field(default_factory=dict)


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def protect(text: object) -> str:
    """``text`` escaped for HTML, with codes, numbers with their unit and URLs kept on one line."""
    out, last = [], 0
    raw = "" if text is None else str(text)
    pattern = re.compile(f"{_URL.pattern}|{_NOBREAK.pattern}")
    for m in pattern.finditer(raw):
        out.append(esc(raw[last : m.start()]))
        out.append(f'<span class="nobreak">{esc(m.group(0))}</span>')
        last = m.end()
    out.append(esc(raw[last:]))
    return "".join(out)


def short_url(url: str, limit: int = 60) -> str:
    """A URL as it is shown (the link annotation keeps the whole address): no scheme, no ``www.``, cut with ``…``."""
    shown = re.sub(r"^https?://(www\.)?", "", url).rstrip("/")
    return shown if len(shown) <= limit else shown[: limit - 1] + "…"


def is_absolute(url: str) -> bool:
    return url.startswith(("http://", "https://"))


def link(url: str, *, relative_label: str = "", limit: int = 60) -> str:
    """An absolute URL as a real link annotation shown short; a relative permalink as text, labelled so (a PDF
    cannot resolve a relative link: the reader prefixes the dashboard's address)."""
    if not url:
        return ""
    if is_absolute(url):
        return f'<a class="url" href="{esc(url)}">{esc(short_url(url, limit))}</a>'
    label = f"{esc(relative_label)} " if relative_label else ""
    return f'{label}<span class="relative">{_breakable_path(url)}</span>'


def _breakable_path(url: str) -> str:
    """A relative permalink escaped, with break opportunities after ``?``, ``&`` and ``,`` only (never inside a
    parameter)."""
    return "".join(esc(ch) + ("<wbr>" if ch in "?&," else "") for ch in url)


def svg_src(svg: bytes) -> str:
    """An SVG as a ``data:`` URL for ``<img src>`` (no file on disk, nothing fetched)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


@cache
def stylesheet() -> str:
    return (CSS_DIR / "document.css").read_text(encoding="utf-8")


def page_label_css(template: str) -> str:
    """The catalogue's ``page {n} of {total}`` as CSS ``content`` with the page counters."""
    parts = re.split(r"(\{n\}|\{total\})", template)
    tokens = []
    for part in parts:
        if part == "{n}":
            tokens.append("counter(page)")
        elif part == "{total}":
            tokens.append("counter(pages)")
        elif part:
            tokens.append('"' + part.replace("\\", "\\\\").replace('"', '\\"') + '"')
    return " ".join(tokens) or "none"


def css_string(text: str) -> str:
    """``text`` as a CSS string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def page_css(size: str, page_label: str = "", credit: str = "", *, bare: bool = False) -> str:
    """The ``@page`` rule of one document: its size (``A4 landscape``, ``letter landscape``, or ``W H`` in px for a
    single chart), the credit line at the bottom left and the page label at the bottom right; ``bare``: no margins
    and no margin boxes (a single chart's page)."""
    if bare:
        return f"@page {{ size: {size}; margin: 0; }}"
    label = f"@bottom-right {{ content: {page_label_css(page_label)}; }}" if page_label else ""
    left = f"@bottom-left {{ content: {css_string(credit)}; }}" if credit else ""
    return f"@page {{ size: {size}; {left} {label} }}"


def head(meta: DocMeta, css: str) -> str:
    metas = [("author", meta.author), ("description", meta.subject), ("keywords", ", ".join(meta.keywords))]
    metas += [("generator", meta.author), ("dcterms.created", meta.created), ("dcterms.modified", meta.created)]
    metas += [("licence", meta.licence), ("permalink", meta.permalink), *meta.extra.items()]
    tags = "".join(f'<meta name="{esc(k)}" content="{esc(v)}">' for k, v in metas if v)
    return f'<head><meta charset="utf-8"><title>{esc(meta.title)}</title>{tags}<style>{css}</style></head>'


def document(
    meta: DocMeta, body: str, size: str, *, page_label: str = "", credit: str = "", body_class: str = ""
) -> str:
    """A whole HTML document: ``lang`` and ``dir`` from the language, the print CSS, the page rule, ``body``."""
    lang = html_lang(meta.lang)
    direction = "rtl" if meta.lang.split("-")[0] in RTL else "ltr"
    css = stylesheet() + "\n" + page_css(size, page_label, credit, bare=body_class == "chart-file")
    cls = f' class="{esc(body_class)}"' if body_class else ""
    return f'<!DOCTYPE html><html lang="{esc(lang)}" dir="{direction}">{head(meta, css)}<body{cls}>{body}</body></html>'


def to_pdf(source: str) -> bytes:
    """The document as PDF bytes: tagged PDF/UA-1, custom metadata (licence, permalink) in the info dictionary."""
    import weasyprint

    return weasyprint.HTML(string=source, base_url=str(CSS_DIR)).write_pdf(
        pdf_tags=True, pdf_variant="pdf/ua-1", custom_metadata=True
    )
