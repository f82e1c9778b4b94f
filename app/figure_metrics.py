"""Where a figure's texts go, in pixels, for each medium it is shown in: one home for the three sets.

A figure function (app/figures.py) lays its figure out as a file starts from: title and subtitle burned in at the
top, the sources footer and the list of target keys under the plot (``FIGURE``). A page takes the title, subtitle,
footer and keys out into HTML, where they wrap with the screen, and keeps the plot and its legend (``SCREEN``,
``figures.screen_version``). An exported image sets them again for its fixed width, a size larger for print
(``EXPORT``, ``export/layout.briefing_version``). The sets differ on purpose, one per medium; each number is
written here once.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metrics:
    title_px: int  # the title line, from the top of the image (0: the title is not in the image)
    subtitle_line_px: int  # one line of the subtitle
    legend_row_px: int  # one row of legend entries
    footer_line_px: int  # one line of the sources footer under the plot
    key_line_px: int  # one line of the list of target keys under the plot
    margin_l: int  # the plot's left and right margins (the axes push them further where their labels need it)
    margin_r: int


FIGURE = Metrics(
    title_px=48, subtitle_line_px=19, legend_row_px=22, footer_line_px=16, key_line_px=16, margin_l=64, margin_r=24
)
SCREEN = Metrics(
    title_px=0, subtitle_line_px=0, legend_row_px=22, footer_line_px=0, key_line_px=0, margin_l=56, margin_r=20
)
EXPORT = Metrics(
    title_px=52, subtitle_line_px=20, legend_row_px=24, footer_line_px=15, key_line_px=16, margin_l=72, margin_r=48
)
