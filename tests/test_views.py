"""Page logic without a browser: the low-coverage note under Explore's chart, and the comparison of our aggregates
with the World Bank's own on the About page."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest

from app import views
from app.i18n import translator
from app.views import FILLED_MARK, LOW_COVERAGE, compare_aggregates, low_coverage_notes

T = translator("en")


def agg(label: str, kind: str, rows: dict[int, tuple[float | None, float]]) -> pd.DataFrame:
    """An aggregate series: {year: (value or None, coverage)}."""
    return pd.DataFrame(
        [
            {"label": label, "kind": kind, "year": y, "value": float("nan") if v is None else v, "coverage": c}
            for y, (v, c) in rows.items()
        ]
    )


# ---- low coverage -------------------------------------------------------------------------------------------------


def test_low_coverage_threshold_is_the_rule_plus_ten_points():
    assert pytest.approx(0.80) == LOW_COVERAGE


def test_a_drawn_aggregate_near_the_rule_gets_a_note_naming_group_years_and_share():
    sids = agg("SIDS", "group", {2020: (60.0, 0.95), 2021: (61.0, 0.72), 2022: (62.0, 0.75), 2024: (None, 0.62)})
    (note,) = low_coverage_notes(sids, T, "en")
    assert note.startswith("Low coverage for SIDS in 2021–2022: countries reporting hold 72–75% of the group's")
    assert "70% rule" in note


def test_one_low_year_gives_a_single_share():
    (note,) = low_coverage_notes(agg("LDC", "group", {2018: (30.0, 0.704)}), T, "en")
    assert "in 2018: countries reporting hold 70% of" in note


def test_exactly_at_the_low_threshold_is_not_low_and_absent_aggregates_are_left_to_the_other_note():
    frame = agg("LDC", "group", {2015: (30.0, LOW_COVERAGE), 2024: (None, 0.62)})
    assert low_coverage_notes(frame, T, "en") == []
    assert views.missing_notes(frame, T, "en") == [
        "No aggregate for LDC in 2024: members reporting hold less than 70% of its population (best 62%)."
    ]


def test_countries_and_members_never_get_a_coverage_note():
    frame = pd.concat([agg("Nepal", "country", {2015: (17.0, float("nan"))}), agg("WLD", "world", {2015: (40, 1)})])
    assert low_coverage_notes(frame, T, "en") == []


def test_low_coverage_note_is_translated():
    (note,) = low_coverage_notes(agg("SIDS", "group", {2021: (61.0, 0.72)}), translator("zh"), "zh")
    assert "SIDS" in note and "2021" in note and "72%" in note and "覆盖率" in note


@pytest.mark.snapshot
def test_explore_households_in_ldcs_notes_its_low_coverage_years():
    """LDC households with Internet: several drawn years sit just above the rule (the statistician's question)."""
    from app.context import get_data
    from app.state import ExploreView

    model = views.explore_trend(get_data(), ExploreView(indicator="households_internet", groups=("LDC",)), T)
    fig, series, notes = go.Figure(model.figure), model.rows, model.notes
    low = series[(series["coverage"] < LOW_COVERAGE) & series["value"].notna()]
    assert len(low) >= 2
    assert any(n.startswith("Low coverage for Least developed countries (LDCs)") for n in notes), notes
    marked = series[
        ((series["coverage"] < LOW_COVERAGE) | (series["filled_share"] >= FILLED_MARK)) & series["value"].notna()
    ]
    (group,) = [tr for tr in fig.data if (tr.meta or {}).get("kind") == "group"]
    assert list(group.marker.symbol).count("circle-open") == len(marked)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_chart_summary_names_every_target_drawn(lang):
    """The one-sentence text alternative lists each target line the chart draws, with its threshold."""
    from app.context import get_data
    from app.state import ExploreView

    t = translator(lang)
    summary = views.explore_trend(get_data(), ExploreView(indicator="internet_users", groups=("WLD", "LDC")), t).summary
    targets = views.applicable_targets(get_data(), "internet_users", "total", ("WLD", "LDC"))
    assert len(targets) >= 2
    for tg in targets:
        assert views.target_label(tg, lang, t) in summary, tg.id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_model_lists_each_target_by_the_key_on_its_diamond_and_the_page_shows_the_list(lang):
    from app.components import figure_block
    from app.context import get_data
    from app.state import ExploreView

    t = translator(lang)
    model = views.explore_trend(get_data(), ExploreView(indicator="internet_users", groups=("WLD", "LDC")), t)
    targets = views.applicable_targets(get_data(), "internet_users", "total", ("WLD", "LDC"))
    labels = [views.target_label(tg, lang, t) for tg in targets]
    assert model.keys == tuple(f"{views.figures.target_key(i)} {label}" for i, label in enumerate(labels))
    drawn = [a["text"] for a in model.screen["layout"]["annotations"] if a.get("name") == "target_key"]
    assert drawn == [views.figures.target_key(i) for i in range(len(targets))]
    block = figure_block("g", model, t).to_plotly_json()["props"]["children"]
    (listed,) = [c for c in block if getattr(c, "id", None) == "g-keys"]
    assert [li.children for li in listed.children] == list(model.keys)
    assert listed.to_plotly_json()["props"]["aria-label"] == t("figure.targets")


def test_a_price_chart_has_a_short_axis_title_and_fits_its_recent_medians():
    from app.context import get_data
    from app.state import ExploreView

    data = get_data()
    view = ExploreView(indicator="fixed_broadband_price_gni", groups=("WLD", "DEVELOPING", "LDC"))
    for lang in ("en", "zh"):
        model = views.explore_trend(data, view, translator(lang))
        title = model.figure["layout"]["yaxis"]["title"]["text"]
        assert title == data.registry[view.indicator].axis_label[lang] != views.unit_label(data, view.indicator, lang)
        if views.figures.runs_off_top(model.figure):
            assert translator(lang)("price.focus_note", year=views.PRICE_FOCUS_FROM) in model.notes


# ---- comparison with the World Bank -------------------------------------------------------------------------------


def frame(rows: list[tuple[str, int, float | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["group", "year", "value"]).astype({"value": "float64"})


def test_compare_aggregates_on_the_group_years_both_hold():
    ours = frame([("WLD", 2015, 40.0), ("WLD", 2016, 43.0), ("LDC", 2015, 12.0), ("LDC", 2016, None)])
    theirs = frame([("WLD", 2015, 40.5), ("WLD", 2016, 41.0), ("LDC", 2015, 12.0), ("LDC", 2016, 15.0)])
    cmp = compare_aggregates(ours, theirs)
    assert (cmp.n, cmp.start, cmp.end, cmp.groups) == (3, 2015, 2016, ("WLD", "LDC"))
    assert cmp.mean_abs == pytest.approx((0.5 + 2.0 + 0.0) / 3)
    assert (cmp.max_abs, cmp.worst_group, cmp.worst_year) == (2.0, "WLD", 2016)
    assert cmp.share_within_1 == pytest.approx(2 / 3)


def test_compare_aggregates_respects_since_and_says_none_when_nothing_overlaps():
    ours = frame([("WLD", 2000, 7.0), ("WLD", 2015, 40.0)])
    theirs = frame([("WLD", 2000, 9.0), ("WLD", 2015, 40.0)])
    assert compare_aggregates(ours, theirs, since=2005).max_abs == 0.0
    assert compare_aggregates(ours, frame([("LDC", 2015, 12.0)])) is None


@pytest.mark.snapshot
def test_about_sentence_states_the_measured_agreement():
    from app.context import get_data

    data = get_data()
    cmp = views.publisher_comparison(data)
    assert cmp is not None and {"WLD", "LDC", "LIC", "HIC", "SSF"} <= set(cmp.groups)
    assert cmp.mean_abs < 1.0 and cmp.share_within_1 > 0.8  # the agreement tests/test_publisher_comparison.py checks
    sentence = views.comparison_sentence(data, T)
    assert f"for the {len(cmp.groups)} groups it also publishes" in sentence
    assert f"by at most {cmp.max_abs:.1f} points ({cmp.worst_group}, {cmp.worst_year})" in sentence
    assert f"{cmp.start}–{cmp.end}" in sentence


@pytest.mark.snapshot
def test_about_page_shows_the_comparison():
    from app.wsgi import app  # noqa: F401 - the pages register on an app: built first

    # isort: split
    from app.pages import about

    page = str(about.layout())
    assert "Checked against the World Bank's own aggregates of Individuals using the Internet" in page


@pytest.mark.snapshot
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_country_page_gives_every_target_the_overviews_verdict(lang):
    """/country/<ISO3> judges the economy on its own values by the same rule: the progress rows' verdicts, flags and
    reasons, in the page's language."""
    from app.context import get_data
    from app.verdict_rows import verdict_rows

    data = get_data()
    t = translator(lang)
    frame, _labels = verdict_rows(data, data.progress(iso3="CHN"), t)
    html_text = " ".join(frame["verdict"]) + " " + " ".join(frame["reason"])
    rows = data.progress(iso3="CHN").to_dict("records")
    assert len(rows) == len(data.targets)
    for row in rows:
        assert t(f"verdict.{row['verdict']}") in html_text
    assert t("reason.fit_after_break", year=2023) in html_text  # China's 2023 change of definition


@pytest.mark.snapshot
def test_economy_lines_are_cut_at_their_recorded_breaks_and_say_so():
    from app.context import get_data
    from app.state import ExploreView

    data = get_data()
    model = views.explore_trend(
        data, ExploreView(indicator="internet_users", groups=("WLD",), countries=("CHN", "PAK")), translator("en")
    )
    lines = {tr["name"]: tr for tr in model.figure["data"] if tr.get("meta", {}).get("kind") == "country"}
    china = dict(zip(lines["China"]["x"], lines["China"]["y"], strict=True))
    assert 2022.5 in china and china[2022.5] is None  # 75.6 (2022) and 90.6 (2023) are never joined
    pakistan = dict(zip(lines["Pakistan"]["x"], lines["Pakistan"]["y"], strict=True))
    assert pakistan.get(2023.5, "absent") is None  # nor 2020 and 2024 across the withdrawn 2021–2023
    assert (
        "Lines of economies are cut where the publisher records a series break: China 2023 (change of definition), "
        "Pakistan 2024 (values withdrawn by a later release)."
    ) in model.notes
    assert set(model.rows["year"]) <= set(range(1960, 2030))  # the table holds the data, not the drawing's gaps


@pytest.mark.snapshot
def test_the_country_chart_ends_at_the_latest_year_with_a_value_of_its_own_lines():
    from app.context import get_data
    from app.state import CountryView

    data = get_data()
    model = views.country_trend(data, CountryView(indicator="households_internet"), "NPL", translator("en"))
    last = int(max(model.rows["year"]))
    assert last < data.last_year  # households: no line has a value in the snapshot's last year (2025)
    assert model.subtitle.endswith(f"–{last}")  # the range named ends with the data, not with the snapshot
