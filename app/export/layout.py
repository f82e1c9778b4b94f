"""The briefing version of a figure: what an exported image carries burned in, laid out so nothing is cut off.

The pure figure functions (app/figures.py) already put the title, subtitle, targets and a source footer into the
figure; the page strips them for the screen (``figures.screen_version``). Here the full figure gets a fixed width,
its subtitle and footer re-wrapped for that width (CJK characters count double), a credit line (project name,
date generated, permalink), margins computed from the number of text lines, and a font stack with Noto Sans CJK.
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from app.figure_metrics import EXPORT

EXPORT_WIDTH = 1100
SUBTITLE_CHAR_PX = 8.0  # average advance of a Latin character at the subtitle's size
FOOTER_CHAR_PX = 6.0
#: The font stack of an exported chart per script: the Debian fonts the server renders with first (DejaVu Sans,
#: Noto Sans CJK SC from fonts-noto-cjk, Noto Naskh Arabic from fonts-noto-core), then the families a reader's
#: Windows or macOS has, so an SVG opened there shows the same script in a fitting face. For Chinese the CJK face
#: comes first: its Latin letters and digits are fine, and a Latin face first would leave the ideographs to the
#: renderer's fallback (a Japanese face, whose glyph forms differ).
FONT_STACKS = {
    "latin": "Noto Sans, DejaVu Sans, Segoe UI, Helvetica Neue, Arial, sans-serif",
    "zh": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, Hiragino Sans GB, DejaVu Sans, "
    "sans-serif",
    "ar": "Noto Naskh Arabic, Noto Sans Arabic, Segoe UI, Geeza Pro, Tahoma, DejaVu Sans, sans-serif",
    "ru": "Noto Sans, DejaVu Sans, Segoe UI, Helvetica Neue, Arial, sans-serif",
}
EXPORT_FONT = FONT_STACKS["latin"]


def font_stack(lang: str) -> str:
    """The exported chart's font stack for ``lang`` (the Latin one for a language without its own)."""
    return FONT_STACKS.get(lang.split("-")[0], FONT_STACKS["latin"])


_WIDE = r"\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
#: kinsoku: a line never starts with closing punctuation nor ends with opening punctuation (UAX #14 classes CL/OP,
#: the ones Chinese uses), so each sticks to its neighbour in one token
_OPEN = "（《「『【〔〈〖｛［“‘"
_CLOSE = "）》」』】〕〉〗｝］”’，。、：；！？…"
#: a wide character (with any opening marks before it and closing marks after it), a run of other non-space
#: characters (a word, a code such as 5.b.1, a URL: never split here), or spaces
_TOKEN = re.compile(
    rf"[{_OPEN}]*(?:(?![{_OPEN}{_CLOSE}])[{_WIDE}]|[^\s{_WIDE}{_OPEN}{_CLOSE}]+)[{_CLOSE}]*|\s+|[{_OPEN}{_CLOSE}]+"
)


def _is_wide(ch: str) -> bool:
    return bool(re.match(r"[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]", ch))


def text_width(text: str) -> int:
    """Display width in Latin-character units (wide East Asian characters count 2)."""
    return sum(2 if _is_wide(ch) else 1 for ch in text)


def wrap(text: str, width: int) -> list[str]:
    """Greedy wrap at spaces, or between CJK characters, to ``width`` units; a single long word is hard-split."""
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        w = text_width(token)
        while w > width:  # a word longer than the line (a URL): split it
            if line.strip():
                lines.append(line.rstrip())
            lines.append(token[:width])
            token, w, line, used = token[width:], text_width(token[width:]), "", 0
        if used + w > width and line.strip():
            lines.append(line.rstrip())
            line, used = "", 0
        line, used = line + token, used + w
    if line.strip():
        lines.append(line.rstrip())
    return lines


_WIDE_BREAK = re.compile(
    r"(?<=[\u2e80-\ua4cf\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef])<br>|<br>(?=[\u2e80-\ua4cf\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef])"
)


def _plain(text: str | None) -> str:
    """``text`` on one line again: a line break next to a CJK character is dropped (Chinese has no spaces between
    words, so a space there would be a stray gap), any other becomes a space."""
    return " ".join(_WIDE_BREAK.sub("", text or "").replace("<br>", " ").split())


def briefing_version(fig: go.Figure, *, credit: str, width: int = EXPORT_WIDTH, lang: str = "en") -> go.Figure:
    """A copy of ``fig`` ready to export at ``width`` px: title, wrapped subtitle, legend under it, footer with the
    sources plus ``credit``, and margins (and height) grown to fit every line."""
    out = go.Figure(fig)
    layout = out.layout
    old_t = layout.margin.t or 80
    old_b = layout.margin.b or 80
    plot_px = width - EXPORT.margin_l - EXPORT.margin_r
    sub_lines = wrap(_plain(layout.title.subtitle.text), int(width / SUBTITLE_CHAR_PX) - 4)
    footer = next((a for a in layout.annotations if a.name == "footer"), None)
    foot_lines = wrap(_plain(footer.text if footer else ""), int(plot_px / FOOTER_CHAR_PX))
    foot_lines += wrap(credit, int(plot_px / FOOTER_CHAR_PX))
    entries = sum(1 for tr in out.data if getattr(tr, "showlegend", False) is not False and tr.name)
    has_legend = entries > 0 and layout.showlegend is not False and layout.legend.yref == "container"
    legend_rows = -(-entries // 3) if has_legend else 0
    top = EXPORT.title_px + len(sub_lines) * EXPORT.subtitle_line_px + legend_rows * EXPORT.legend_row_px + 18
    has_x_title = bool(layout.xaxis.title.text) and layout.xaxis.visible is not False
    shift = 78 if has_x_title else (20 if layout.geo.projection.type else 44)
    keys = next((a for a in layout.annotations if a.name == "target_keys"), None)
    keys_px = (keys.text.count("<br>") + 1) * EXPORT.key_line_px + 6 if keys else 0
    old_b -= keys_px  # the figure made room for its target list under the plot: the plot keeps its height
    bottom = shift + keys_px + len(foot_lines) * EXPORT.footer_line_px + 18
    height = int((layout.height or 520) + max(0, top - old_t) + max(0, bottom - old_b))
    out.update_layout(
        width=width,
        height=height,
        font={"family": font_stack(lang)},
        paper_bgcolor="white",
        title={
            "subtitle": {"text": "<br>".join(sub_lines)},
            "x": 0,
            "xref": "container",
            "xanchor": "left",
            "pad": {"l": 20},
            "y": 1 - 14 / height,
            "yref": "container",
            "yanchor": "top",
        },
        margin={"l": max(EXPORT.margin_l, layout.margin.l or 0), "r": EXPORT.margin_r, "t": top, "b": bottom},
    )
    if has_legend:
        out.update_layout(
            legend={
                "y": 1 - (EXPORT.title_px + len(sub_lines) * EXPORT.subtitle_line_px + 8) / height,
                "yref": "container",
                "yanchor": "top",
                "x": 0,
                "xanchor": "left",
                "entrywidthmode": "fraction",
                "entrywidth": 1 / 3,
            }
        )
    notes = [a for a in layout.annotations if a.name != "footer"]
    for a in notes:
        if a.name == "target_keys":  # the list of target keys: under the plot, above the sources
            a.yshift = -shift
    out.layout.annotations = notes
    out.add_annotation(
        text="<br>".join(foot_lines),
        name="footer",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        yshift=-shift - keys_px,
        showarrow=False,
        align="left",
        font={"size": 11, "color": "#333"},
    )
    return out
