"""Charts on a 390 × 844 phone, in English and Chinese: nothing is cut off or drawn over something else.

Every legend entry, annotation (target keys, basket labels, the parity deadline, the map's key) and axis title lies
inside its graph's box; legend entries never overprint each other, nor do the keys that mark the target diamonds
(①, ②, …) and the diamonds themselves;
the list of the targets' names under the graph has one item per key; a map's drawing spans at least 90% of the
screen's width; the page never scrolls sideways. Assertions read element boxes (getBoundingClientRect), never
pixels."""

from __future__ import annotations

import pytest

from tests.browser.conftest import dump, open_page, wait_until

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LANGS = ["en", "zh"]
SLACK = 1.0  # px: sub-pixel rounding

#: (path, graph ids) of the views a phone user opens: several groups and targets, close targets, a price chart
#: with its basket break, the map, a ranking with its target lines, the Gender page and a country profile
VIEWS = {
    "explore-targets": ("/explore?indicator=internet_users&group=WLD,DEVELOPING,LDC,LLDC,SIDS&tab=chart",
                        ["explore-graph"]),
    "explore-close-targets": ("/explore?indicator=households_internet&group=WLD,DEVELOPING,LDC&tab=chart",
                              ["explore-graph"]),
    "explore-price": ("/explore?indicator=fixed_broadband_price_gni&group=WLD,DEVELOPING,LDC&tab=chart",
                      ["explore-graph"]),
    "explore-map": ("/explore?tab=map&group=LDC", ["explore-graph"]),
    "explore-ranking-targets": ("/explore?tab=ranking&group=WLD,LDC", ["explore-graph"]),
    "gender": ("/gender", None),
    "country": ("/country/KEN", None),
}  # fmt: skip

#: the boxes of one graph: the graph, its svg, legend texts and symbols, annotations (with their layout names),
#: axis titles, target diamonds, and a geo subplot's drawing
BOXES_JS = """
(gd) => {
    const box = (e) => {
        const r = e.getBoundingClientRect();
        return {left: r.left, top: r.top, right: r.right, bottom: r.bottom, w: r.width, h: r.height};
    };
    const visible = (e) => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
    const layout = gd.layout || {};
    const names = (layout.annotations || []).map((a) => a.name || "");
    const annotations = [...gd.querySelectorAll(".annotation")].filter(visible).map((e) => ({
        name: names[Number(e.getAttribute("data-index"))] || "",
        text: e.textContent,
        box: box(e.querySelector(".annotation-text-g") || e),
    }));
    const diamonds = [];
    const traces = [...gd.querySelectorAll(".scatterlayer .trace")];
    (gd._fullData || []).filter((d) => d.type === "scatter").forEach((d, i) => {
        if (!d.meta || d.meta.kind !== "target" || !traces[i]) { return; }
        const points = [...traces[i].querySelectorAll(".point")];
        if (points.length) { diamonds.push({key: d.meta.key, box: box(points[points.length - 1])}); }
    });
    return {
        graph: box(gd),
        svg: box(gd.querySelector(".main-svg")),
        legend: [...gd.querySelectorAll(".legend .traces")].flatMap((e, i) =>
            [...e.querySelectorAll(".legendtext, .legendpoints")].filter(visible).map((t) => ({
                entry: i, text: e.textContent, box: box(t)}))),
        annotations,
        titles: [...gd.querySelectorAll(".xtitle, .ytitle, .gtitle, .cbtitle")].filter(visible).map((e) => ({
            cls: e.getAttribute("class"), text: e.textContent, box: box(e)})),
        diamonds,
        geo: [...gd.querySelectorAll(".geo .bg")].map(box),
    };
}
"""


@pytest.fixture
def context_args() -> dict:
    return {"viewport": PHONE}


def _inside(inner: dict, outer: dict) -> bool:
    return (
        inner["left"] >= outer["left"] - SLACK
        and inner["right"] <= outer["right"] + SLACK
        and inner["top"] >= outer["top"] - SLACK
        and inner["bottom"] <= outer["bottom"] + SLACK
    )


def _overlap(a: dict, b: dict) -> bool:
    return (
        min(a["right"], b["right"]) - max(a["left"], b["left"]) > SLACK
        and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > SLACK
    )


def _graphs(page, ids: list[str] | None) -> list[str]:
    """CSS selectors of the page's drawn plotly graphs (``ids``, or every graph in the page's main part)."""
    if ids:
        return [f"#{i} .js-plotly-plot" for i in ids]
    found = page.evaluate(
        "() => [...document.querySelectorAll('main .js-plotly-plot')].filter((g) => g.offsetParent)"
        ".map((g) => g.closest('[id]').id)"
    )
    assert found, "no graph on the page"
    return [f"#{i} .js-plotly-plot" for i in found]


def _boxes(page, selector: str) -> dict:
    wait_until(page, "(s) => { const gd = document.querySelector(s); return gd && gd._fullLayout && "
               "gd.querySelector('.main-svg'); }", selector)  # fmt: skip
    page.wait_for_timeout(300)  # plotly's second pass (automargin) settles
    return page.evaluate(f"(s) => ({BOXES_JS})(document.querySelector(s))", selector)


def _check_graph(boxes: dict, where: str) -> None:
    graph = boxes["graph"]
    outside = [
        (kind, item.get("text") or item.get("cls"), item["box"])
        for kind in ("legend", "annotations", "titles")
        for item in boxes[kind]
        if not _inside(item["box"], graph)
    ]
    assert not outside, f"{where}: cut off at the graph's edge: {dump(outside)}"
    legend = boxes["legend"]
    overprinted = [
        (a["text"], b["text"])
        for i, a in enumerate(legend)
        for b in legend[i + 1 :]
        if a["entry"] != b["entry"] and _overlap(a["box"], b["box"])
    ]
    assert not overprinted, f"{where}: legend entries overprint: {overprinted}"
    x_titles = [t for t in boxes["titles"] if "xtitle" in t["cls"]]
    assert all(_inside(t["box"], boxes["svg"]) for t in x_titles), f"{where}: x title clipped: {dump(x_titles)}"
    keys = [a for a in boxes["annotations"] if a["name"] == "target_key"]
    diamonds = boxes["diamonds"]
    for group, label in ((keys, "target keys"), (diamonds, "target diamonds")):
        clashes = [
            (a.get("text") or a.get("key"), b.get("text") or b.get("key"))
            for i, a in enumerate(group)
            for b in group[i + 1 :]
            if _overlap(a["box"], b["box"])
        ]
        assert not clashes, f"{where}: {label} overlap: {clashes}"
    over = [(k["text"], d["key"]) for k in keys for d in diamonds if _overlap(k["box"], d["box"])]
    assert not over, f"{where}: a key covers a diamond: {over}"
    labels = [a for a in boxes["annotations"] if a["name"] in ("target_key", "basket", "no_data", "deadline", "")]
    clashes = [
        (a["text"], b["text"]) for i, a in enumerate(labels) for b in labels[i + 1 :] if _overlap(a["box"], b["box"])
    ]
    assert not clashes, f"{where}: labels overlap: {clashes}"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("view", list(VIEWS))
def test_nothing_is_cut_off_or_overprinted_on_a_phone(page, live_server, view, lang):
    path, ids = VIEWS[view]
    path += ("&" if "?" in path else "?") + f"lang={lang}"
    open_page(page, live_server.url, path)
    selectors = _graphs(page, ids)
    for selector in selectors:
        boxes = _boxes(page, selector)
        _check_graph(boxes, f"{path} {selector}")
        keys = [a["text"] for a in boxes["annotations"] if a["name"] == "target_key"]
        graph_id = selector.split()[0][1:]
        scrollbar = page.evaluate(
            "(sel) => { const b = document.querySelector(sel + ' .legend .scrollbar'); "
            "return b ? b.getBoundingClientRect().height : 0; }",
            selector,
        )
        assert scrollbar == 0, f"{path}: the legend scrolls (entries hidden under its fold)"
        listed = page.locator(f"#{graph_id}-keys li").all_inner_texts()
        assert [item.split(" ", 1)[0] for item in listed] == keys, (keys, listed)  # one name per key, in order
        if view.endswith("targets") or view == "explore-price":
            assert keys, f"{path}: no target drawn"
        for item in page.locator(f"#{graph_id}-keys li").all():
            b = item.bounding_box()
            assert b["x"] >= 0 and b["x"] + b["width"] <= PHONE["width"] + SLACK, (item.inner_text(), b)
        if view == "explore-map":
            (geo,) = boxes["geo"]
            assert geo["w"] >= 0.9 * PHONE["width"], f"the map spans {geo['w']:.0f} of {PHONE['width']} px"
    width = page.evaluate("() => document.scrollingElement.scrollWidth")
    assert width <= PHONE["width"], f"{path}: the page scrolls sideways ({width} px)"
