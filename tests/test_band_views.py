"""What Explore shows of the aggregates' rules on a small hand-made snapshot: the missing-data band on hover, in the
table and in the downloads; the members rule in words; a member's series break ringed with its effect; the default
end year at the latest aggregate."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import plotly.graph_objects as go
import pytest

from app import figures, views
from app.data import AppData
from app.export.charts import TREND_COLUMNS, build
from app.i18n import translator
from app.state import ExploreView, to_query
from tests.builders import snapshot_of, tidy_rows

IND = "internet_users"
POP = {"AAA": 100.0, "BBB": 300.0, "CCC": 600.0, "DDD": 400.0, "EEE": 50.0}
NAMES = {"AAA": "Aland", "BBB": "Boland", "CCC": "Coland", "DDD": "Doland", "EEE": "Eland"}
LDC = ("AAA", "BBB", "CCC", "DDD")  # DDD never reports


def rows() -> pd.DataFrame:
    """AAA and BBB grow by a point a year; CCC reads 50 to 2021 and 80 from 2022 (a new definition); EEE alone
    reports 2024, so no group has an aggregate that year."""
    years = range(2018, 2024)
    out = [(c, y, "population", "total", p) for c, p in POP.items() for y in range(2018, 2025)]
    out += [("AAA", y, IND, "total", 10.0 + y - 2018) for y in years]
    out += [("BBB", y, IND, "total", 20.0 + y - 2018) for y in years]
    out += [("CCC", y, IND, "total", 50.0 if y < 2022 else 80.0) for y in years]
    out += [("EEE", y, IND, "total", 60.0) for y in range(2018, 2025)]
    return tidy_rows(out, source="itu_datahub", source_code="i99H")


def make_data(breaks: pd.DataFrame | None = None) -> AppData:
    snap = snapshot_of(rows(), names=NAMES, ldc=LDC, sources=("itu_datahub", "worldbank"), indicators=[IND])
    data = AppData(snap)
    if breaks is not None:
        data.breaks = breaks  # the breaks table another branch adds to the snapshot and AppData
    return data


BREAKS = pd.DataFrame({"iso3": ["CCC"], "indicator": [IND], "sex": ["*"], "year": [2022], "kind": ["definition"]})


@pytest.fixture(scope="module")
def data() -> AppData:
    return make_data()


def group_trace(model, kind: str = "group") -> dict:
    (trace,) = [tr for tr in model.figure["data"] if tr["meta"]["kind"] == kind]
    return trace


# ---- the band ----------------------------------------------------------------------------------------------------


def test_hover_gives_the_band_and_how_many_members_lack_a_value(data):
    t = translator("en")
    model = views.explore_trend(data, ExploreView(indicator=IND, groups=("LDC",), start=2018), t)
    trace = group_trace(model)
    assert "%{text}" in trace["hovertemplate"]
    agg = data.group_aggregate(IND, "LDC").set_index("year")
    i = trace["x"].index(2020)
    low, high = (views.format_number(agg.loc[2020, c], "en") for c in ("band_low", "band_high"))
    assert trace["text"][i] == (
        f"<br>could lie between {low} and {high} if the member without a value were like the lowest / highest member"
        " with one"
    )
    assert agg.loc[2020, "band_low"] < agg.loc[2020, "value"] < agg.loc[2020, "band_high"]


def test_hover_band_in_chinese(data):
    model = views.explore_trend(data, ExploreView(indicator=IND, groups=("LDC",), start=2018, lang="zh"),
                                translator("zh"))  # fmt: skip
    text = group_trace(model)["text"][0]
    assert "可能介于" in text and "最低／最高" in text


def test_a_point_with_every_member_valued_has_no_band_sentence():
    line = figures.Line(
        "G", "group", (2020, 2021), (30.0, 31.0), code="G", coverage=(1.0, 0.8), n_reporting=(3.0, 3.0),
        n_members=(3.0, 4.0), n_filled=(0.0, 0.0), filled_share=(0.0, 0.0), band_low=(30.0, 29.0),
        band_high=(30.0, 35.0),
    )  # fmt: skip
    fig = figures.trend_figure_lines(
        [line], title="t", subtitle="s", y_title="%", footer="f", band_text=lambda lo, hi, n: f"{lo}-{hi}/{n}"
    )
    assert fig["data"][0]["text"] == ["", "<br>29.0-35.0/1"]
    go.Figure(fig)  # a valid plotly figure


def test_a_basket_break_keeps_the_band_sentences_on_their_points():
    line = figures.Line(
        "G", "group", (2017, 2018), (3.0, 2.0), code="G", coverage=(0.5, 0.5), n_reporting=(3.0, 3.0),
        n_members=(6.0, 6.0), n_filled=(0.0, 0.0), filled_share=(0.0, 0.0), band_low=(2.0, 1.0), band_high=(4.0, 3.0),
    )  # fmt: skip
    fig = figures.trend_figure_lines(
        [line], title="t", subtitle="s", y_title="%", footer="f", band_text=lambda lo, hi, n: f"{lo}-{hi}",
        breaks=[figures.BasketBreak(2018, "from 2018")],
    )  # fmt: skip
    trace = fig["data"][0]
    assert trace["x"] == [2017, 2017.5, 2018]
    assert trace["text"] == ["<br>2.0-4.0", "", "<br>1.0-3.0"]
    assert len(trace["customdata"]) == 3


def test_table_rows_and_downloads_carry_the_band(data):
    model = views.explore_trend(data, ExploreView(indicator=IND, groups=("LDC",), start=2018), translator("en"))
    assert {"band_low", "band_high"} <= set(model.rows.columns)
    assert TREND_COLUMNS.index("band_low") == TREND_COLUMNS.index("value") + 1
    export = build("explore", to_query(ExploreView(indicator=IND, groups=("LDC",), start=2018)), data=data)
    ldc = export.rows[export.rows["code"] == "LDC"].set_index("year")
    agg = data.group_aggregate(IND, "LDC").set_index("year")
    assert ldc.loc[2020, "band_low"] == round(agg.loc[2020, "band_low"], 2)
    assert ldc.loc[2020, "band_high"] == round(agg.loc[2020, "band_high"], 2)
    assert "band_low: 2 decimals." in export.meta.precision
    assert "missing-data band" in export.meta.method


def _texts(component) -> list[str]:
    """Every string in a Dash component tree."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    if not isinstance(children, (list, tuple)):
        children = [children]
    return [text for child in children for text in _texts(child)]


@pytest.mark.snapshot
@pytest.mark.parametrize(("lang", "low", "high"), [("en", "Band, low", "Band, high"), ("zh", "区间下限", "区间上限")])
def test_table_tab_has_band_columns_in_both_languages(lang, low, high):
    import dash

    import app.wsgi  # noqa: F401 - the process's one app: the data and the pages are set up by it

    (page,) = [p for p in dash.page_registry.values() if p["module"] == "app.pages.explore"]
    texts = _texts(page["layout"](group="LDC", tab="table", lang=lang))
    assert any(x.startswith(low) for x in texts) and any(x.startswith(high) for x in texts)


# ---- the members rule in words -----------------------------------------------------------------------------------


def test_a_year_with_too_few_members_reporting_says_how_many_of_how_many(data):
    view = ExploreView(indicator=IND, groups=("WLD",), start=2018, end=2024)
    notes = views.explore_trend(data, view, translator("en")).notes
    assert (
        "No aggregate for World (all economies) in 2024: too few members report — at least half of its members, and at"
        " least 3, must (in 2024 only 1 of 5 report)." in notes
    )
    zh = views.explore_trend(data, replace(view, lang="zh"), translator("zh")).notes
    assert any("5个成员中的1个" in n for n in zh)


def test_a_year_failing_only_the_population_rule_keeps_its_note():
    line = figures.Line("G", "group", (2020,), (math.nan,), code="G", coverage=(0.6,), n_reporting=(4.0,),
                        n_members=(5.0,))  # fmt: skip
    assert views.missing_notes([line], translator("en"), "en") == [
        "No aggregate for G in 2020: members reporting hold less than 70% of its population (best 60%)."
    ]


# ---- a member's break --------------------------------------------------------------------------------------------


def test_a_members_break_rings_the_year_and_says_how_far_it_moves_the_group():
    data = make_data(BREAKS)
    model = views.explore_trend(data, ExploreView(indicator=IND, groups=("LDC",), start=2018), translator("en"))
    ring = group_trace(model, "break")
    assert ring["x"] == [2022] and ring["showlegend"] is False
    # Coland holds 600 of the 1,000 people of the LDC members with a value and steps from 50 to 80
    text = "2022: Coland's change of definition moves this aggregate by about +18.0 points"
    assert ring["text"] == [text]
    assert f"Least developed countries (LDCs), {text} (ringed point): read the change of that year with care." in (
        model.notes
    )
    legend = [tr["name"] for tr in model.figure["data"] if tr.get("showlegend", True)]
    assert len(legend) == 1  # the ring adds nothing to the legend
    zh = views.explore_trend(data, ExploreView(indicator=IND, groups=("LDC",), start=2018, lang="zh"),
                             translator("zh"))  # fmt: skip
    assert any("定义变更" in n and "+18.0" in n for n in zh.notes)


def test_without_a_breaks_table_nothing_is_ringed(data):
    assert data.breaks.empty
    model = views.explore_trend(data, ExploreView(indicator=IND, groups=("LDC",), start=2018), translator("en"))
    assert not [tr for tr in model.figure["data"] if tr["meta"]["kind"] == "break"]
    assert not any("moves this aggregate" in n for n in model.notes)


def test_a_break_below_the_material_effect_is_not_ringed():
    small = BREAKS.assign(iso3="AAA")  # AAA's own step at 2022 is its +1 a year, 10% of the people
    model = views.explore_trend(make_data(small), ExploreView(indicator=IND, groups=("LDC",), start=2018),
                                translator("en"))  # fmt: skip
    assert not [tr for tr in model.figure["data"] if tr["meta"]["kind"] == "break"]


# ---- the default end year ----------------------------------------------------------------------------------------


def test_the_default_range_ends_at_the_latest_aggregate_not_the_latest_report(data):
    assert data.last_year == 2024
    view = ExploreView(indicator=IND, groups=("LDC", "WLD"), start=2018)
    assert views.explore_years(data, view) == (2018, 2023)
    model = views.explore_trend(data, view, translator("en"))
    assert max(model.rows["year"]) == 2023 and "2018–2023" in model.subtitle
    assert views.explore_years(data, ExploreView(indicator=IND, groups=("LDC",), start=2018, end=2024))[1] == 2024
    # a chosen country with a later value extends it
    assert views.explore_years(data, ExploreView(indicator=IND, groups=("LDC",), countries=("EEE",)))[1] == 2024


@pytest.mark.snapshot
def test_the_default_range_ends_with_the_publishers_estimates_where_ours_stop():
    """Women's Internet use: our aggregate for the developed economies ends in 2017, ITU's LDC and SIDS estimates in
    2024; the default range ends in 2024, so the estimates are drawn."""
    from app.context import get_data

    data = get_data()
    view = ExploreView(indicator="internet_users", groups=("DEVELOPED", "LDC", "SIDS"), sex="female")
    assert views.explore_years(data, view)[1] == 2024
