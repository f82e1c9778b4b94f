"""The pure figure functions in app/figures.py: frames in, figures out, checked on the figure's data (no browser)."""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from app import figures as _figures
from app import theme
from app.figure_metrics import FIGURE, SCREEN
from app.figures import KEY_GAP, TargetLine, key_sides


class _Validated:
    """app.figures, with every ``*_figure`` function's dict passed through ``go.Figure``: plotly's validators reject
    any property the app got wrong (the app itself skips them for speed), and the tests read the graph object."""

    def __getattr__(self, name: str):
        attr = getattr(_figures, name)
        if name.endswith("_figure") and callable(attr):
            return lambda *args, **kwargs: go.Figure(attr(*args, **kwargs))
        return attr


figures = _Validated()


def screen_version(fig: go.Figure) -> tuple[go.Figure, str, str]:
    screen, title, subtitle = _figures.screen_version(fig.to_plotly_json())
    return go.Figure(screen), title, subtitle


FOOTER = (
    "Source: International Telecommunication Union (ITU), ITU DataHub (CC BY-NC-SA 3.0 IGO), vintage 2025-12-28; "
    "World Bank, World Development Indicators (CC BY 4.0), vintage 2024-11-29. Group aggregates: own calculation."
)
TEXT = {"title": "Individuals using the Internet", "subtitle": "World, LDC · Total · 2005–2022", "footer": FOOTER}


def series(*parts: tuple[str, str, dict[int, float]], coverage: float | dict[int, float] | None = 0.95):
    """Rows (label, legend, kind, year, value, coverage, n_reporting, n_members) from (label, kind, {year: value})."""
    rows = []
    for label, kind, values in parts:
        for year, value in values.items():
            cov = coverage.get(year) if isinstance(coverage, dict) else coverage
            aggregate = kind in ("group", "world")
            rows.append(
                {
                    "label": label,
                    "legend": ("World" if kind == "world" else label.split()[0]) if aggregate else float("nan"),
                    "kind": kind,
                    "year": year,
                    "value": value,
                    "coverage": cov if aggregate else float("nan"),
                    "n_reporting": 40 if aggregate else float("nan"),
                    "n_members": 46 if aggregate else float("nan"),
                }
            )
    return pd.DataFrame(rows)


WORLD = ("World (all economies)", "world", {2015: 40.0, 2016: 43.0, 2017: 46.0})
LDC = ("LDC least developed", "group", {2015: 12.0, 2016: 15.0, 2017: 18.0})
NEPAL = ("Nepal", "country", {2015: 17.0, 2017: 21.0})
TARGETS = (
    TargetLine("Connect 2020 1.2 (WLD, 2020)", 60.0, 2020, start_year=2015),
    TargetLine("Broadband Commission 2025 #3 (LDC, 2025)", 35.0, 2025, start_year=2015),
)


def trend(frame: pd.DataFrame, **kw) -> go.Figure:
    return figures.trend_figure(frame, y_title="% of population", **TEXT, **kw)


def by_kind(fig: go.Figure, kind: str) -> list:
    return [tr for tr in fig.data if (tr.meta or {}).get("kind") == kind]


def footer_of(fig: go.Figure):
    (note,) = [a for a in fig.layout.annotations if a.name == "footer"]
    return note


def footer_text(fig: go.Figure) -> str:
    notes = [a for a in fig.layout.annotations if a.name == "footer"]
    assert len(notes) == 1, "a figure carries exactly one footer"
    return notes[0].text.replace("<br>", " ")


# ---- trend ---------------------------------------------------------------------------------------------------


def test_trend_draws_one_trace_per_series_with_its_values():
    fig = trend(series(WORLD, LDC, NEPAL))
    assert [(tr.meta["kind"], tr.name) for tr in fig.data] == [
        ("world", "World"),
        ("group", "LDC"),
        ("country", "Nepal"),  # no short legend name: the label, never "nan"
    ]
    ldc = by_kind(fig, "group")[0]
    assert list(ldc.x) == [2015, 2016, 2017] and list(ldc.y) == [12.0, 15.0, 18.0]


def test_long_legend_names_are_shortened_and_the_hover_keeps_them_whole():
    fig = trend(series(("Bolivia (Plurinational State of) and more", "country", {2015: 35.0})))
    (tr,) = fig.data
    assert figures.text_em(tr.name) <= figures.LEGEND_EM and tr.name.endswith("…") and tr.name.startswith("Bolivia")
    assert "<b>Bolivia (Plurinational State of) and more</b>" in tr.hovertemplate


def test_a_year_without_an_aggregate_breaks_the_line_and_years_are_sorted():
    frame = series(("LDC x", "group", {2017: 18.0, 2015: 12.0, 2016: float("nan")}))
    (tr,) = trend(frame).data
    assert list(tr.x) == [2015, 2016, 2017] and list(tr.y) == [12.0, None, 18.0]
    assert tr.connectgaps is False  # never a straight segment across 2016


def test_a_country_line_joins_its_observations():
    frame = series(("Nepal", "country", {2017: 18.0, 2015: 12.0, 2016: float("nan")}))
    (tr,) = trend(frame).data
    assert list(tr.x) == [2015, 2017]


def test_world_and_targets_differ_from_groups_by_line_style_and_marker_not_only_colour():
    fig = trend(series(WORLD, LDC, NEPAL), targets=TARGETS)
    world, group, country = by_kind(fig, "world")[0], by_kind(fig, "group")[0], by_kind(fig, "country")[0]
    targets = by_kind(fig, "target")
    assert world.line.dash == "dash" and world.line.color == theme.WORLD_COLOUR
    assert group.line.dash in (None, "solid")
    assert country.line.dash == "dashdot"
    assert {world.marker.symbol, group.marker.symbol, country.marker.symbol} == {"square", "circle", "triangle-up"}
    assert targets and all(tr.line.dash == "dot" for tr in targets)
    dashes = {world.line.dash, group.line.dash or "solid", country.line.dash, targets[0].line.dash}
    assert len(dashes) == 4


def test_group_colours_come_from_the_colour_blind_safe_palette():
    fig = trend(series(LDC, ("SIDS small islands", "group", {2015: 30.0})))
    assert [tr.line.color for tr in by_kind(fig, "group")] == list(theme.PALETTE[:2])


def test_each_target_is_a_line_ending_in_a_diamond_marked_with_its_key_and_named_under_the_plot():
    fig = trend(series(WORLD, LDC), targets=TARGETS)
    targets = by_kind(fig, "target")
    assert len(targets) == len(TARGETS)
    keys = [a for a in fig.layout.annotations if a.name == "target_key"]
    for i, (tr, tl, key) in enumerate(zip(targets, TARGETS, keys, strict=True)):
        assert list(tr.x) == [tl.start_year, tl.year]
        assert list(tr.y) == [tl.threshold, tl.threshold]
        assert list(tr.marker.symbol)[-1] == "diamond"
        assert tr.showlegend is False and not tr.text  # no label runs over the chart
        assert (key.x, key.y, key.text) == (tl.year, tl.threshold, figures.TARGET_KEYS[i])  # beside the diamond
        assert tl.label in tr.hovertemplate
    (listed,) = [a for a in fig.layout.annotations if a.name == "target_keys"]
    assert listed.text.split("<br>") == [f"{figures.TARGET_KEYS[i]} {tl.label}" for i, tl in enumerate(TARGETS)]
    assert listed.yref == "paper" and listed.y == 0 and listed.yanchor == "top"  # under the plot
    assert footer_of(fig).yshift < listed.yshift - FIGURE.key_line_px * (len(TARGETS) - 1)  # the sources below it
    assert _figures.target_keys(fig.to_plotly_json()) == tuple(listed.text.split("<br>"))


def test_a_band_target_shades_its_band():
    band = TargetLine("parity", 1.0, 2020, band=(0.98, 1.02))
    fig = figures.trend_figure(series(LDC), y_title="score", targets=(band,), percent=False, **TEXT)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert [(r.y0, r.y1) for r in rects] == [(0.98, 1.02)]


def test_target_without_a_start_year_starts_at_the_first_year_shown():
    fig = trend(series(LDC), targets=(TargetLine("t", 50.0, 2025),))
    assert list(by_kind(fig, "target")[0].x) == [2015, 2025]


def test_keys_of_close_diamonds_of_one_year_sit_on_opposite_sides():
    fig = trend(series(WORLD), targets=(TargetLine("a", 55.0, 2020), TargetLine("b", 50.0, 2020)))
    keys = [a for a in fig.layout.annotations if a.name == "target_key"]
    assert [k.xanchor for k in keys] == ["left", "right"]  # b's key left of its diamond, a's right of it
    assert keys[0].xshift > 0 > keys[1].xshift


def test_percent_axis_spans_zero_to_a_hundred_and_leaves_room_for_targets():
    fig = trend(series(LDC), targets=TARGETS)
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.range[1] == pytest.approx(104)
    fig = figures.trend_figure(series(("G g", "group", {2015: 20.0})), y_title="per 100", percent=False, **TEXT)
    assert fig.layout.yaxis.range is None  # not a percentage: plotly's own range from zero
    assert fig.layout.yaxis.rangemode == "tozero"


def test_hover_names_the_series_and_shows_coverage():
    fig = trend(series(LDC), coverage_label="population reporting")
    (tr,) = fig.data
    assert "<b>LDC least developed</b>" in tr.hovertemplate
    assert "population reporting: %{customdata[0]:.0%}" in tr.hovertemplate
    assert [list(row) for row in tr.customdata][0] == [0.95, 40, 46, None, None]


def test_hover_gives_the_gap_filled_members_and_their_share_and_marks_them():
    lines = [
        _figures.Line(
            "LDC least developed", "group", (2015, 2016), (20.0, 22.0), coverage=(0.95, 0.9),
            n_reporting=(40.0, 38.0), n_members=(46.0, 46.0), n_filled=(0.0, 5.0), filled_share=(0.0, 0.12),
        )
    ]  # fmt: skip
    fig = figures.trend_figure(lines, y_title="%", filled_label="members gap-filled", filled_mark=0.05, **TEXT)
    (tr,) = fig.data
    assert "members gap-filled: %{customdata[3]} (%{customdata[4]:.0%})" in tr.hovertemplate
    assert [list(row)[3:] for row in tr.customdata] == [[0.0, 0.0], [5.0, 0.12]]
    assert list(tr.marker.symbol) == ["circle", "circle-open"]


def test_low_coverage_points_get_open_markers():
    frame = series(WORLD, LDC, coverage={2015: 0.95, 2016: 0.72, 2017: 0.79})
    fig = trend(frame, low_coverage=0.8)
    assert list(by_kind(fig, "group")[0].marker.symbol) == ["circle", "circle-open", "circle-open"]
    assert list(by_kind(fig, "world")[0].marker.symbol) == ["square", "square-open", "square-open"]
    assert trend(frame).data[0].marker.symbol == "square"  # without a threshold nothing is flagged


def test_members_are_faint_lines_without_legend_entries():
    frame = series(LDC, ("Nepal", "member", {2015: 17.0, 2016: 19.0}), ("Chad", "member", {2015: 4.0}))
    members = by_kind(trend(frame), "member")
    assert len(members) == 2
    assert all(tr.showlegend is False and tr.line.color == theme.MEMBER_COLOUR and tr.mode == "lines" for tr in members)


def test_trend_carries_title_subtitle_and_a_footer_with_source_vintage_and_licence():
    fig = trend(series(LDC))
    assert fig.layout.title.text == TEXT["title"]
    assert fig.layout.title.subtitle.text == TEXT["subtitle"]
    text = footer_text(fig)
    for part in ("ITU", "World Bank", "CC BY-NC-SA 3.0 IGO", "CC BY 4.0", "vintage 2025-12-28", "vintage 2024-11-29"):
        assert part in text
    assert all(len(line) <= figures.FOOTER_WRAP for line in fig.layout.annotations[0].text.split("<br>"))
    assert fig.layout.margin.b >= 70 + 16  # room for the wrapped footer under the axis


# ---- no data -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "frame",
    [pd.DataFrame(columns=["label", "kind", "year", "value"]), series(("LDC x", "group", {2015: float("nan")}))],
    ids=["empty", "all-missing"],
)
def test_no_data_says_so_in_words(frame):
    fig = trend(frame, no_data="No data for SIDS in 2024.")
    assert len(fig.data) == 0
    messages = [a.text for a in fig.layout.annotations if a.name != "footer"]
    assert messages == ["No data for SIDS in 2024."]
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert "CC BY 4.0" in footer_text(fig)  # still names its source


@pytest.mark.parametrize(
    "make",
    [
        lambda: figures.map_figure(pd.DataFrame(columns=["iso3", "name", "value"]), colorbar_title="%", **TEXT),
        lambda: figures.ranking_figure(pd.DataFrame(columns=["name", "value"]), x_title="%", **TEXT),
        lambda: figures.dumbbell_figure(
            pd.DataFrame(columns=["name", "female", "male", "year"]),
            x_title="%",
            female_label="Women",
            male_label="Men",
            no_data="No data",
            **TEXT,
        ),
        lambda: figures.parity_figure(
            pd.DataFrame(columns=["label", "kind", "year", "value"]),
            band=(0.98, 1.02),
            band_label="band",
            deadline=2020,
            deadline_label="2020",
            y_title="score",
            no_data="No data",
            **TEXT,
        ),
    ],
    ids=["map", "ranking", "dumbbell", "parity"],
)
def test_every_figure_function_survives_an_empty_frame(make):
    fig = make()
    assert len(fig.data) == 0
    assert any(a.text.startswith("No data") for a in fig.layout.annotations)


# ---- map, ranking, parity, dumbbell --------------------------------------------------------------------------------

YEAR_VALUES = pd.DataFrame(
    {
        "iso3": ["NPL", "FJI", "USA", "TCD"],
        "name": ["Nepal", "Fiji", "United States", "Chad"],
        "value": [50, 70, 92, 12],
    }
)


def test_map_colours_the_highlighted_economies_and_greys_the_rest():
    fig = figures.map_figure(YEAR_VALUES, colorbar_title="%", highlight=["NPL", "TCD"], zmax=100, **TEXT)
    traces = {tr.name: tr for tr in fig.data}
    assert set(traces) == {"other", "value"}
    assert list(traces["value"].locations) == ["NPL", "TCD"] and list(traces["value"].z) == [50, 12]
    assert list(traces["other"].locations) == ["FJI", "USA"]
    assert traces["value"].locationmode == "ISO-3" and traces["value"].zmax == 100
    assert "CC BY 4.0" in footer_text(fig)


def test_map_without_highlight_colours_everyone():
    fig = figures.map_figure(YEAR_VALUES, colorbar_title="%", **TEXT)
    assert [tr.name for tr in fig.data] == ["value"] and len(fig.data[0].locations) == 4


def test_ranking_is_sorted_with_the_highest_on_top_and_marks_its_targets_with_keys():
    fig = figures.ranking_figure(YEAR_VALUES, x_title="%", targets=TARGETS, **TEXT)
    (bars,) = fig.data
    assert list(bars.y) == ["Chad", "Nepal", "Fiji", "United States"]  # plotly draws the first bar at the bottom
    assert list(bars.x) == sorted(bars.x)
    lines = [s for s in fig.layout.shapes if s.type == "line"]
    assert sorted(s.x0 for s in lines) == [35.0, 60.0]
    keys = [a for a in fig.layout.annotations if a.name == "target_key"]
    ordered = sorted(TARGETS, key=lambda tl: tl.threshold)
    assert [(a.x, a.text) for a in keys] == [(tl.threshold, figures.TARGET_KEYS[i]) for i, tl in enumerate(ordered)]
    (listed,) = [a for a in fig.layout.annotations if a.name == "target_keys"]
    assert listed.text.split("<br>") == [f"{figures.TARGET_KEYS[i]} {tl.label}" for i, tl in enumerate(ordered)]
    assert fig.layout.xaxis.range[1] > max(bars.x)  # room for the values beside the bars


def test_key_rows_lift_a_key_only_over_a_close_neighbour():
    assert figures.key_rows([20.0, 35.0, 50.0, 55.0, 60.0, 75.0], 100) == [0, 0, 0, 1, 0, 0]
    assert figures.key_rows([2.0, 2.5, 3.0], 100) == [0, 1, 2]


PARITY = dict(
    band=(0.98, 1.02), band_label="parity band", deadline=2020, deadline_label="¶27: parity by 2020", y_title="score"
)


def parity_rows() -> pd.DataFrame:
    """Our LDC aggregate for two years, ITU's estimate for 2019–2021 with a gap in 2020, and the SDG database's."""
    rows = [
        ("LDC least developed", "LDC", "group", "LDC", "ours", 2016, 0.8),
        ("LDC least developed", "LDC", "group", "LDC", "ours", 2018, 0.85),
        ("LDC · ITU estimate, Nov 2024", "LDC · ITU", "group", "LDC", "itu_key_ict", 2019, 0.74),
        ("LDC · ITU estimate, Nov 2024", "LDC · ITU", "group", "LDC", "itu_key_ict", 2021, 0.70),
        ("World · UN SDG database", "World · SDG", "world", "WLD", "un_sdg", 2020, 0.91),
    ]
    return pd.DataFrame(rows, columns=["label", "legend", "kind", "group", "source", "year", "value"])


def test_parity_figure_has_band_deadline_and_one_line_per_witness():
    fig = figures.parity_figure(parity_rows(), no_data="No data", **PARITY, **TEXT)
    assert [(s.type, s.y0, s.y1) for s in fig.layout.shapes if s.type == "rect"] == [("rect", 0.98, 1.02)]
    deadline = [s for s in fig.layout.shapes if s.type == "line"]
    assert [(s.x0, s.x1, s.line.dash) for s in deadline] == [(2020, 2020, "dot")]
    assert any(a.text == "¶27: parity by 2020" for a in fig.layout.annotations)
    assert "parity band" in [tr.name for tr in fig.data]  # the band has a legend entry
    ours, itu, sdg = (next(tr for tr in fig.data if tr.name == n) for n in ("LDC", "LDC · ITU", "World · SDG"))
    assert ours.line.color == itu.line.color  # one colour per group …
    assert sdg.line.color == theme.WORLD_COLOUR
    assert (ours.line.dash, itu.line.dash, sdg.line.dash) == ("solid", "dash", "dot")  # … one style per witness
    assert itu.marker.symbol == "diamond-open"
    assert list(itu.x) == [2019, 2020, 2021] and list(itu.y) == [0.74, None, 0.70]  # a missing year breaks it
    assert "LDC · ITU estimate, Nov 2024" in itu.hovertemplate


def test_parity_figure_without_rows_says_so():
    empty = pd.DataFrame(columns=["label", "kind", "year", "value"])
    fig = figures.parity_figure(empty, no_data="No data", **PARITY, **TEXT)
    assert any(a.text == "No data" for a in fig.layout.annotations)


def test_dumbbell_pairs_women_and_men_per_economy_sorted_by_gap():
    rows = pd.DataFrame(
        {"name": ["Nepal", "Chad", "Fiji"], "female": [40.0, 5.0, 70.0], "male": [55.0, 12.0, 69.0], "year": 2019}
    )
    fig = figures.dumbbell_figure(rows, x_title="%", female_label="Women", male_label="Men", no_data="No data", **TEXT)
    women, men = (next(tr for tr in fig.data if tr.name == n) for n in ("Women", "Men"))
    assert list(women.y) == list(men.y) == ["Fiji", "Chad", "Nepal"]
    assert women.marker.symbol != men.marker.symbol  # told apart by shape, not only colour


# ---- screen version -------------------------------------------------------------------------------------------


def test_screen_version_moves_title_subtitle_and_footer_out_of_the_image():
    fig = trend(series(WORLD, LDC), targets=TARGETS)
    screen, title, subtitle = screen_version(fig)
    assert (title, subtitle) == (TEXT["title"], TEXT["subtitle"])
    assert not screen.layout.title.text and not screen.layout.title.subtitle.text
    assert all(a.name != "footer" for a in screen.layout.annotations)
    assert screen.data == fig.data  # the same traces
    assert fig.layout.title.text == TEXT["title"] and footer_text(fig)  # the export figure is untouched
    assert screen.layout.height < fig.layout.height


def test_screen_version_keeps_room_for_the_legend_and_ranking_labels():
    fig = trend(series(WORLD, LDC, NEPAL))
    screen, _, _ = screen_version(fig)
    assert screen.layout.margin.t >= 16 + figures.MODEBAR_PX + SCREEN.legend_row_px  # plotly reserves the rest
    assert screen.layout.legend.y < 1  # below the toolbar strip

    ranking = figures.ranking_figure(YEAR_VALUES, x_title="%", targets=TARGETS, **TEXT)
    screen, _, _ = screen_version(ranking)
    assert screen.layout.margin.t >= 16 + figures.RANKING_LABEL_PX  # one row of keys: 35 and 60 lie apart
    many = pd.DataFrame({"name": [f"Economy {i}" for i in range(40)], "value": [float(i) for i in range(40)]})
    tall = figures.ranking_figure(many, x_title="%", **TEXT)
    assert tall.layout.height > 700 and screen_version(tall)[0].layout.height == tall.layout.height  # kept


def test_screen_version_joins_a_wrapped_subtitle():
    long = "World (all economies), Least developed countries (LDCs), Landlocked developing countries (LLDCs) · Total"
    fig = figures.trend_figure(series(LDC), y_title="%", title="T", subtitle=long, footer=FOOTER)
    assert "<br>" in fig.layout.title.subtitle.text
    assert screen_version(fig)[2] == long


# ---- label placement ----------------------------------------------------------------------------------------------


def test_key_sides_put_a_key_right_of_its_diamond_only_beside_a_close_diamond_of_the_same_year():
    points = [(2020, 60.0), (2020, 50.0), (2020, 20.0), (2025, 75.0), (2025, 65.0), (2030, 95.0), (2020, 55.0)]
    assert key_sides(points, 104) == ["left", "left", "left", "left", "left", "left", "right"]  # 55: between 50, 60


@given(st.lists(st.tuples(st.sampled_from([2020, 2025, 2030]), st.floats(0, 100, allow_nan=False)), max_size=8))
def test_keys_of_neighbouring_diamonds_never_share_a_side(points):
    span = 104.0
    sides = key_sides(points, span)
    assert len(sides) == len(points) and set(sides) <= {"left", "right"}

    def close(i: int) -> list[int]:
        x, y = points[i]
        return [j for j, (x2, y2) in enumerate(points) if j != i and x2 == x and abs(y2 - y) < KEY_GAP * span]

    for i in range(len(points)):
        near = close(i)
        if not near:
            assert sides[i] == "left"  # a diamond alone: its key on the left, away from the plot's right edge
        elif len(near) == 1 and close(near[0]) == [i]:
            assert sides[i] != sides[near[0]]  # a pair: one key on each side


def test_legend_takes_one_column_when_a_name_is_too_long_for_two_on_a_phone():
    short = trend(series(WORLD, LDC))
    assert short.layout.legend.entrywidth == 0.5
    long = parity_rows().assign(legend=["A legend name far longer than twenty characters"] * 5)
    parity = figures.parity_figure(long, no_data="No data", **PARITY, **TEXT)
    assert all(figures.text_em(tr.name) <= figures.LEGEND_EM for tr in parity.data if tr.name)  # cut: one column fits
    assert parity.layout.legend.entrywidth == 1  # in an exported image


def test_legend_entries_on_screen_are_as_wide_as_the_longest_name_and_wrap_to_the_screen():
    names = ["World", "LDCs · SDG", "最不发达国家 · ITU"]
    assert figures.text_em("最不发达国家 · ITU") == pytest.approx(6 + 6 * 0.6)
    assert figures.legend_entry_px(names) == math.ceil((6 + 6 * 0.6) * figures.LEGEND_FONT_PX) + 4
    assert figures.phone_legend_rows(["World", "LDCs", "SIDS"]) == 1  # three columns on a phone
    assert figures.phone_legend_rows(["World · SDG", "LLDCs · SDG", "SIDS"]) == 2  # two columns
    assert figures.phone_legend_rows(["Lower-middle income", "World", "Kenya"]) == 3  # one column
    wide = ["内陆发展中国家 · SDG"] * 12
    assert figures.phone_legend_rows(wide) == 12
    # two entries a row without an axis title; the title's automargin leaves room for one (Explore, five groups)
    estimates = ["World", "World · ITU", "Developing", "LLDCs · SDG", "SIDS · SDG", "LDCs · WB"]
    assert figures.phone_legend_rows(estimates) == 3
    assert figures.phone_legend_rows(estimates, y_title=True) == 6
    rows = pd.concat([parity_rows().assign(label=f"Group {i}", legend=f"Upper-middle income {i}") for i in range(8)])
    fig = figures.parity_figure(rows, no_data="No data", **PARITY, **TEXT)
    screen = screen_version(fig)[0]
    names = [tr.name for tr in fig.data if tr.name and tr.showlegend is not False]
    assert screen.layout.legend.entrywidthmode == "pixels"
    assert screen.layout.legend.entrywidth == figures.legend_entry_px(names)
    rows_px = figures.phone_legend_rows(names) * SCREEN.legend_row_px
    assert screen.layout.legend.maxheight >= rows_px  # never a scrolling legend
    few = screen_version(figures.parity_figure(parity_rows(), no_data="No data", **PARITY, **TEXT))[0]
    assert screen.layout.height - few.layout.height == rows_px - figures.LEGEND_FREE_PX  # a long legend: taller
    assert screen.layout.xaxis.automargin and screen.layout.yaxis.automargin  # axis titles never clipped


def test_a_group_keeps_its_own_colour_whatever_else_is_drawn():
    from app import theme
    from app.figures import Line, trend_figure_lines

    def fig_of(*codes):
        lines = [
            Line(label=c, kind="world" if c == "WLD" else "group", years=(2020, 2021), values=(1.0, 2.0), code=c)
            for c in codes
        ]
        fig = trend_figure_lines(lines, title="t", subtitle="s", y_title="y", footer="f")
        return {tr["name"]: tr["line"]["color"] for tr in fig["data"] if tr.get("meta", {}).get("kind") != "target"}

    alone, crowded, reordered = fig_of("SIDS"), fig_of("WLD", "LDC", "LLDC", "SIDS"), fig_of("LLDC", "SIDS", "LDC")
    assert alone["SIDS"] == crowded["SIDS"] == reordered["SIDS"] == theme.GROUP_COLOURS["SIDS"]
    assert crowded["LDC"] == reordered["LDC"] and crowded["WLD"] == theme.WORLD_COLOUR
    clash = fig_of("SIDS", "HIC")  # two groups whose own colours are the same: the second gets a free one
    assert clash["SIDS"] != clash["HIC"]


# ---- phone layout ------------------------------------------------------------------------------------------------


def test_wrap_em_breaks_at_spaces_or_between_chinese_characters_never_after_an_opening_bracket():
    wrapped = _figures.wrap_em("from 2018: Fixed broadband basket (5GB)", 16)
    assert wrapped == "from 2018: Fixed broadband<br>basket (5GB)"
    assert _figures.wrap_em("自2018年起：固定宽带篮子（5GB）", 14) == "自2018年起：固定宽带篮子<br>（5GB）"
    assert _figures.wrap_em("short", 16) == "short"
    for line in _figures.wrap_em("% of women / men using the Internet", 16).split("<br>"):
        assert figures.text_em(line) <= 16


def test_a_price_like_axis_fits_the_recent_values_and_says_when_earlier_ones_run_off_its_top():
    early = ("LDC x", "group", {2008: 180.0, 2012: 60.0, 2016: 25.0, 2020: 20.0})
    fig = figures.trend_figure(series(early), y_title="%", percent=False, y_focus_from=2015, **TEXT)
    assert list(fig.layout.yaxis.range) == [0, pytest.approx(25.0 * _figures.Y_FOCUS_PAD)]
    assert _figures.runs_off_top(fig.to_plotly_json())
    whole = figures.trend_figure(series(early), y_title="%", percent=False, **TEXT)
    assert whole.layout.yaxis.range is None and not _figures.runs_off_top(whole.to_plotly_json())
    old = figures.trend_figure(
        series(("LDC x", "group", {2008: 180.0, 2012: 60.0})), y_title="%", percent=False, y_focus_from=2015, **TEXT
    )
    assert old.layout.yaxis.range is None  # nothing from 2015 on: the whole range


def test_a_trend_x_range_is_fixed_from_the_first_year_to_the_last_target():
    fig = trend(series(WORLD, LDC), targets=TARGETS)
    first = min(x for tr in by_kind(fig, "world") for x in tr.x)
    last = max(tl.year for tl in TARGETS)
    assert list(fig.layout.xaxis.range) == [first - _figures.X_PAD, last + _figures.X_PAD]


def test_a_basket_label_sits_on_the_side_of_its_break_with_more_room():
    breaks = [_figures.BasketBreak(2012, "from 2012: basket A"), _figures.BasketBreak(2022, "from 2022: basket B")]
    frame = series(("LDC x", "group", {y: 10.0 for y in range(2008, 2026)}))
    fig = figures.trend_figure(frame, y_title="%", percent=False, breaks=breaks, **TEXT)
    labels = [a for a in fig.layout.annotations if a.name == "basket"]
    assert [(a.x, a.xanchor) for a in labels] == [(2011.5, "left"), (2021.5, "right")]


def test_the_parity_deadline_label_sits_on_the_side_of_its_line_with_more_room():
    def side(x_range):
        fig = figures.parity_figure(parity_rows(), no_data="No data", x_range=x_range, **PARITY, **TEXT)
        (label,) = [a for a in fig.layout.annotations if a.name == "deadline"]
        return label.xanchor

    assert side((2018, 2025)) == "left"  # few years before 2020: the label runs right
    assert side((2005, 2024)) == "right"


def test_a_map_on_screen_spans_the_width_with_its_colour_bar_under_it():
    fig = figures.map_figure(YEAR_VALUES, colorbar_title="%", highlight=["NPL"], zmax=100, **TEXT)
    screen = screen_version(fig)[0]
    assert (screen.layout.margin.l, screen.layout.margin.r) == (0, 0)
    (value,) = [tr for tr in screen.data if tr.name == "value"]
    assert value.colorbar.orientation == "h" and value.colorbar.y == 0 and value.colorbar.yanchor == "top"
    assert fig.data[-1].colorbar.orientation in (None, "v")  # the exported map keeps its upright bar


def test_screen_version_drops_the_list_of_target_keys_and_wraps_a_long_x_title():
    fig = trend(series(WORLD, LDC), targets=TARGETS)
    screen = screen_version(fig)[0]
    assert not [a for a in screen.layout.annotations if a.name == "target_keys"]
    assert len([a for a in screen.layout.annotations if a.name == "target_key"]) == len(TARGETS)  # on the diamonds
    rows = pd.DataFrame({"name": ["A", "B"], "female": [10.0, 20.0], "male": [15.0, 22.0], "year": [2022, 2022]})
    dumbbell = figures.dumbbell_figure(
        rows, x_title="% of women / men using the Internet", female_label="W", male_label="M", no_data="-", **TEXT
    )
    assert screen_version(dumbbell)[0].layout.xaxis.title.text == "% of women / men<br>using the Internet"
    assert dumbbell.layout.xaxis.title.text == "% of women / men using the Internet"  # files: one line


def test_a_chinese_footer_wraps_between_characters_never_inside_a_code_nor_before_closing_punctuation():
    from app.figures import _wrap, text_em

    footer = (
        "来源：国际电信联盟（国际电联），国际电联数据中心（CC BY-NC-SA 3.0 IGO），版本2026年4月24日；联合国统计司，"
        "可持续发展目标全球数据库：17.8.1（IT_USE_II99）和5.b.1（IT_MOB_OWN），按性别分列（联合国使用条款）。"
    )
    lines = _wrap(footer).split("<br>")
    assert len(lines) >= 2 and "".join(lines) == footer  # wrapped, nothing lost or added
    assert all(text_em(line) <= text_em("n" * 130) + 1 for line in lines)  # FOOTER_WRAP, in ems
    assert not any(line[:1] in "，。；：）" for line in lines)
    assert "5.b.1" in "".join(lines) and not any(line.endswith("5.b") for line in lines)
