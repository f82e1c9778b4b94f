"""app/controls.py: the form controls' Dash components, their first-paint drawing, and that every page is built from
Dash's own components and these alone (no component library's bundle to fetch). The browser side, keyboard and axe,
is tests/browser/test_controls.py."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from dash import dcc, html
from dash.development.base_component import Component

from app import controls
from app.controls import MultiSelect, Segmented, Select, Switch, Tabs, picker_texts, static_html
from app.i18n import translator

CONTROLS_JS = Path(controls.__file__).resolve().parent / "assets" / "controls.js"


class _Tree(HTMLParser):
    """The start tags of a fragment, with their attributes."""

    def __init__(self, fragment: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs) -> list[dict]:
        return [
            a
            for t, a in self.tags
            if t == tag and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]


def no_link(_tab: str) -> str:
    return "#"


def test_each_component_is_named_in_the_browser_namespace_the_script_registers():
    script = CONTROLS_JS.read_text(encoding="utf-8")
    registered = re.search(r"window\.app_controls = \{([^}]*)\}", script)
    assert registered, "controls.js does not register window.app_controls"
    names = set(re.findall(r"(\w+):", registered[1]))
    assert names == {c._type for c in (Select, MultiSelect, Segmented, Switch, Tabs)}
    for cls in (Select, MultiSelect, Segmented, Switch, Tabs):
        assert cls._namespace == controls.NAMESPACE == "app_controls"


def test_a_component_serialises_its_props_and_refuses_unknown_ones():
    json = Select(id="s", label="Year", data=["2020"], value="2020", width=110).to_plotly_json()
    assert json["namespace"] == "app_controls" and json["type"] == "Select"
    assert json["props"] == {"id": "s", "label": "Year", "data": ["2020"], "value": "2020", "width": 110}
    assert Segmented(id="x", data=[], **{"aria-label": "Sex"}).to_plotly_json()["props"]["aria-label"] == "Sex"
    with pytest.raises(TypeError):
        Select(id="s", searchable=True)  # a Mantine prop: nothing in controls.js reads it


def test_a_select_is_drawn_as_a_labelled_disabled_native_select_with_its_value_selected():
    props = Select(id="year", label="To", data=["2019", {"value": "2020", "label": "2020 <b>"}], value="2020",
                   width=110).to_plotly_json()["props"]  # fmt: skip
    drawn = static_html("Select", props, "", no_link, "fp-")
    tree = _Tree(drawn)
    assert tree.find("label", for_="fp-year") and tree.find("select", id="fp-year", disabled=None)
    assert [a.get("value") for a in tree.find("option")] == ["2019", "2020"]
    assert "selected" in tree.find("option", value="2020")[0] and "selected" not in tree.find("option", value="2019")[0]
    assert "2020 &lt;b&gt;" in drawn  # labels are escaped
    assert 'style="width:110px"' in drawn


def test_a_picker_is_drawn_with_a_pill_per_chosen_option_in_order():
    data = [{"value": "LDC", "label": "Least developed (LDC)"}, {"value": "SIDS", "label": "Islands (SIDS)"}]
    props = MultiSelect(id="g", label="Groups", data=data, value=["SIDS", "LDC"], placeholder="Type",
                        texts=picker_texts(translator("en"))).to_plotly_json()["props"]  # fmt: skip
    drawn = static_html("MultiSelect", props, "", no_link, "fp-")
    assert re.findall(r'<span class="ctl-pill-label">([^<]*)</span>', drawn) == [
        "Islands (SIDS)",
        "Least developed (LDC)",
    ]
    tree = _Tree(drawn)
    assert tree.find("input", id="fp-g", role="combobox") and tree.find("label", for_="fp-g", id="fp-g-label")
    assert "placeholder" not in tree.find("input", id="fp-g")[0]  # chosen options: no placeholder over them
    empty = static_html("MultiSelect", {**props, "value": []}, "", no_link, "fp-")
    assert "ctl-pill" not in empty and 'placeholder="Type"' in empty


def test_radio_group_switch_and_tabs_are_drawn_in_their_state():
    sex = static_html("Segmented", {"id": "sex", "value": "female", "aria-label": "Sex",
                                    "data": [{"value": "total", "label": "Total"},
                                             {"value": "female", "label": "Women"}]}, "", no_link)  # fmt: skip
    tree = _Tree(sex)
    assert tree.find("div", role="radiogroup", aria_label="Sex")
    assert ["checked" in a for a in tree.find("input", type="radio")] == [False, True]
    on = _Tree(static_html("Switch", {"id": "m", "label": "Members", "checked": True}, "", no_link))
    assert "checked" in on.find("input", role="switch")[0]
    off = _Tree(static_html("Switch", {"id": "m", "label": "Members", "checked": False}, "", no_link))
    assert "checked" not in off.find("input", role="switch")[0]

    def href(tab: str) -> str:
        return f"/explore?tab={tab}"

    tabs = static_html("Tabs", {"id": "t", "value": "map", "data": [{"value": "chart", "label": "Chart"},
                                                                      {"value": "map", "label": "Map"}]},
                       "<p>view</p>", href)  # fmt: skip
    tree = _Tree(tabs)
    assert [a["href"] for a in tree.find("a")] == ["/explore?tab=chart", "/explore?tab=map"]
    assert tree.find("a", href="/explore?tab=map", aria_current="page")
    assert "aria-current" not in tree.find("a", href="/explore?tab=chart")[0]
    assert tabs.endswith('<div class="ctl-panel"><p>view</p></div></div>')  # the view is inside the panel


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_pickers_words_are_translated_and_keep_their_placeholders(lang):
    texts = picker_texts(translator(lang))
    assert set(texts) == {"remove", "chosen", "count", "none", "full", "added", "removed"}
    for key in ("remove", "added", "removed"):
        assert "{name}" in texts[key], (key, texts[key])
    for key in ("count", "full"):
        assert "{n}" in texts[key], (key, texts[key])
    assert all(not re.search(r"[{}]", re.sub(r"\{(name|n)\}", "", v)) for v in texts.values())
    if lang == "zh":
        assert texts != picker_texts(translator("en"))


def _namespaces(node) -> set[str]:
    found: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, list | tuple):
            stack.extend(item)
        elif isinstance(item, Component):
            found.add(item._namespace)
            stack.extend(getattr(item, name, None) for name in item._prop_names)
    return found


@pytest.mark.parametrize(
    ("module", "query"),
    [
        ("explore", {"group": "LDC,SIDS", "tab": "map"}),
        ("gender", {"lang": "zh"}),
        ("overview", {}),
        ("country", {"iso3": "KEN"}),
        ("about", {}),
    ],
)
def test_every_page_is_built_from_dashs_components_and_the_apps_controls_alone(module, query):
    import dash

    from app.wsgi import app  # noqa: F401 - the data and pages are set up by the app

    (page,) = [p for p in dash.page_registry.values() if p["module"] == f"app.pages.{module}"]
    layout = page["layout"](**query)
    assert _namespaces(layout) <= {"dash_html_components", "dash_core_components", controls.NAMESPACE}
    assert _namespaces(html.Div(dcc.Store(id="s"))) == {"dash_html_components", "dash_core_components"}
