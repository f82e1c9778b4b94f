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
#: Latin text and digits from a TrueType face first (DejaVu Sans on Debian): Chromium's PDF backend embeds the CFF
#: Noto Sans CJK as Type 3 fonts whose digits lose their Unicode mapping, so PDF text (and search) would miss every
#: number. CJK characters fall through to Noto Sans CJK SC (fonts-noto-cjk).
EXPORT_FONT = "Noto Sans, DejaVu Sans, Noto Sans CJK SC, Source Han Sans SC, Arial, sans-serif"
_TOKEN = re.compile(
    r"[\u1100-\u11ff\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]|\s+|[^\s]+?(?=[\u2e80-\u9fff]|\s|$)"
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
        font={"family": EXPORT_FONT},
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
