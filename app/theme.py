"""One plotly template and a colour-blind-safe palette (Okabe–Ito). The world and targets differ by line style too."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

#: Okabe & Ito (2008), safe for the common colour-vision deficiencies; black is kept for the world.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#999999")
WORLD_COLOUR = "#000000"
#: the economy a country profile is about (drawn thickest)
FOCUS_COLOUR = "#7a0177"
#: each group's own colour, the same on every page, tab and export whatever its place in the picker (the world is
#: black). Groups seldom drawn together share a colour; ``Colours`` gives a clash the next free one.
GROUP_COLOURS = {
    "LDC": PALETTE[1],
    "LLDC": PALETTE[2],
    "SIDS": PALETTE[0],
    "SIDS_OHRLLS": PALETTE[5],
    "DEVELOPING": PALETTE[3],
    "DEVELOPED": PALETTE[4],
    "LMY": PALETTE[4],
    "LIC": PALETTE[1],
    "LMC": PALETTE[3],
    "UMC": PALETTE[2],
    "HIC": PALETTE[0],
    "EAS": PALETTE[0],
    "ECS": PALETTE[2],
    "LCN": PALETTE[4],
    "MEA": PALETTE[3],
    "NAC": PALETTE[5],
    "SAS": PALETTE[1],
    "SSF": PALETTE[6],
}


class Colours:
    """Colours for one figure: each group its own (``GROUP_COLOURS``), the world black, anything else (a country, a
    custom group) the next palette colour not yet drawn; a group whose colour is taken gets the next free one."""

    def __init__(self) -> None:
        self.given: dict[str, str] = {}

    def of(self, key: str, world: bool = False) -> str:
        if key not in self.given:
            if world or key == "WLD":
                self.given[key] = WORLD_COLOUR
            else:
                used = set(self.given.values())
                wanted = GROUP_COLOURS.get(key)
                free = [c for c in PALETTE if c not in used]
                self.given[key] = wanted if wanted and wanted not in used else (free[0] if free else "#333")
        return self.given[key]


TARGET_COLOUR = "#5a5a5a"
MEMBER_COLOUR = "rgba(110,110,110,0.35)"
PARITY_BAND_COLOUR = "rgba(0,158,115,0.15)"
#: economies with a value but outside the chosen groups (a map's "not in the chosen groups")
NO_DATA_COLOUR = "#a6a6a6"
# Latin fonts first: the CJK fonts draw English quotes and punctuation full-width.
FONT = "Noto Sans, Arial, DejaVu Sans, Noto Sans CJK SC, Source Han Sans SC, sans-serif"
SEQUENTIAL = "Viridis"
#: prices around a threshold: blue at or under it, pale yellow at it, orange-brown over it (colour-blind safe, and
#: never the pale grey of "no data")
DIVERGING = [[0.0, "#2166ac"], [0.25, "#92c5de"], [0.25, "#fee090"], [0.5, "#fdae61"], [1.0, "#8c510a"]]
#: land with no value on a map
MAP_LAND_COLOUR = "#ececec"
#: a change of price-basket definition on a trend chart
BASKET_COLOUR = "#7a5195"

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 14, "color": "#1a1a1a"},
        colorway=list(PALETTE),
        paper_bgcolor="white",
        plot_bgcolor="white",
        xaxis={"showgrid": False, "linecolor": "#444", "ticks": "outside"},
        yaxis={"gridcolor": "#e5e5e5", "zeroline": False, "linecolor": "#444"},
        hoverlabel={"font": {"family": FONT}},
        legend={"orientation": "h", "yanchor": "top", "y": -0.12, "xanchor": "left", "x": 0},
    )
)
pio.templates["divide"] = TEMPLATE

#: the template as JSON-ready dicts, embedded in every figure dict (app/figures.py builds figures without go.Figure)
TEMPLATE_JSON = TEMPLATE.to_plotly_json()
