"""Explore sends a new view of the tab on screen as a Patch of the tree it drew before: patching the old tree must
give exactly the tree a whole render of the new view gives, for every graph tab and for views that differ in each
control. And the callback only patches the tab whose whole tree the page is known to hold."""

from __future__ import annotations

import copy
import json

import pytest
from plotly.io.json import to_json_plotly

pytestmark = pytest.mark.snapshot


@pytest.fixture(scope="module")
def explore():
    from tests.support.pages import page_module

    return page_module("/explore")


def plain(value):
    """The JSON the browser receives."""
    return json.loads(to_json_plotly(value))


def apply(tree, patch) -> dict:
    """Apply a Dash Patch's operations (assignments only, as patch_tab writes them) to a plain JSON tree."""
    out = copy.deepcopy(tree)
    ops = plain(patch)["operations"]
    assert ops and all(op["operation"] == "Assign" for op in ops)
    for op in ops:
        *path, last = op["location"]
        node = out
        for key in path:
            node = node[key]
        node[last] = op["params"]["value"]
    return out


BASE = {"indicator": "internet_users", "groups": ("LDC", "SIDS"), "start": 2005}
CHANGES = [
    {"indicator": "households_internet"},
    {"groups": ("WLD",)},
    {"groups": ("LLDC", "SSF", "SAS"), "countries": ("NPL", "FJI")},
    {"start": 2000, "end": 2015},
    {"members": True},
    {"sex": "female"},
    {"year": 2010},
    {"indicator": "mobile_cellular_per100", "groups": ("HIC", "LIC")},
]


@pytest.mark.parametrize("tab", ["chart", "map", "ranking"])
@pytest.mark.parametrize("change", CHANGES, ids=lambda c: ",".join(c))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_patching_the_old_tree_gives_the_new_tree(explore, tab, change, lang):
    from app.context import get_data
    from app.i18n import translator
    from app.state import ExploreView

    registry = get_data().registry
    before = ExploreView(**BASE, tab=tab, lang=lang)
    after = ExploreView(**{**BASE, **change}, tab=tab, lang=lang)
    if after.indicator not in registry or after.sex not in registry[after.indicator].sexes:
        pytest.skip(f"{after.indicator} has no {after.sex} series in this snapshot")
    t = translator(lang)
    old = plain(explore.render_tab(before, t))
    new = plain(explore.render_tab(after, t))
    assert old != new  # the change shows
    assert apply(old, explore.patch_tab(after, t)) == new


def _call(explore, tab: str, rendered: str, **controls):
    values = {
        "indicator": "internet_users",
        "sex": "total",
        "groups": ["LDC"],
        "countries": [],
        "start": "2005",
        "end": "2024",
        "tab": tab,
        "members": False,
        "year": "",
        "lang": "en",
        "rendered": rendered,
        **controls,
    }
    return explore.update(*values.values())


def test_a_tab_the_page_does_not_hold_is_drawn_whole_and_recorded(explore):
    from dash import Patch, no_update

    out = _call(explore, "map", rendered="chart")
    panels, marker = out[: len(explore.TABS)], out[-1]
    assert marker == "map"
    assert panels[explore.TABS.index("map")] is not None and not isinstance(panels[1], Patch)
    assert all(p is None for i, p in enumerate(panels) if i != explore.TABS.index("map"))
    again = _call(explore, "map", rendered="map", groups=["SIDS"])
    assert isinstance(again[explore.TABS.index("map")], Patch) and again[-1] is no_update


def test_the_table_is_always_drawn_whole(explore):
    from dash import Patch

    out = _call(explore, "table", rendered="table")
    assert not isinstance(out[explore.TABS.index("table")], Patch) and out[-1] == "table"
