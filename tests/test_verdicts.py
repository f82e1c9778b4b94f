"""Verdicts a statistician would sign: judged at the deadline, consistent with ``met_by_deadline``, over every target
for every group and economy of the committed snapshot; and the two witnesses, ``disputed`` and ``fragile``."""

from __future__ import annotations

import pandas as pd
import pytest

from indicators import progress
from indicators.groups import Groups
from indicators.progress import REASON_CODES, VERDICTS, assess_target, progress_table, reason_text
from indicators.targets import load_targets, parse_target
from tests.builders import tidy_rows
from tests.conftest import PROJECT_DIR as PROJECT


@pytest.fixture(autouse=True)
def _this_year(monkeypatch):
    monkeypatch.setattr(progress, "today_year", lambda: 2026)


def _value_at(series: dict, year) -> float | None:
    return series.get(year)


def _audit(table: pd.DataFrame, today: int = 2026) -> None:
    """Every rule of a quotable verdict (issue 23, 'done means'): met only on a satisfying deadline value, met late
    and missed only on a failing one, no verdict from an absent deadline value, on/off track only before the
    deadline, "agrees" only with the same word, disputed exactly when a deciding witness says another word."""
    assert set(table["verdict"]) <= set(VERDICTS)
    for r in table.to_dict("records"):
        where = f"{r['target_id']} × {r['entity']}: {r['verdict']}, {r['reason']}"
        deadline, verdict, at = r["target_year"], r["verdict"], r["value_at_deadline"]
        if deadline is None or deadline != deadline:
            continue
        passed = deadline < today or (r["latest_year"] is not None and deadline <= r["latest_year"])
        if passed:
            assert verdict not in ("on track", "off track"), where
        else:
            assert verdict not in ("met", "met late", "missed"), where
        if verdict in ("met", "met late", "missed"):
            assert at is not None and at == at, where  # never inferred from an absent value
            holds = progress.satisfies(at, r["comparator"], r["threshold"], _band(r))
            assert holds == (verdict == "met"), where
            assert r["met_by_deadline"] is (verdict == "met"), where
        if verdict == "met late":
            assert r["met_year"] > deadline, where
        if verdict == "met":
            assert r["met_year"] <= deadline, where
        for code, params in r["reasons"]:
            if code == "witness_agrees":
                assert params["verdict"] == verdict, where
        decided = [w["verdict"] for w in r["witnesses"] if w["verdict"] != "insufficient data"]
        if verdict != "insufficient data" or decided:
            assert bool(r["disputed"]) == any(v != verdict for v in decided), where


def _band(row):
    return (0.98, 1.02) if row["comparator"] == "within" else None


@pytest.fixture(scope="module")
def snap(committed_snapshot):
    return committed_snapshot


@pytest.mark.snapshot
@pytest.mark.slow  # a whole-data audit: every target × ten groups
def test_every_group_verdict_is_quotable(snap):
    groups = Groups(snap.membership)
    seeds = progress.resolution_seeds()
    breaks = getattr(snap, "breaks", None)
    tables = [
        progress_table(
            snap.tidy, groups, load_targets(), group=g, published=snap.publisher_aggregates, breaks=breaks, seeds=seeds
        )
        for g in (None, "WLD", "LDC", "LLDC", "SIDS", "DEVELOPING", "LMY", "LIC", "HIC", "SAS")
    ]
    _audit(pd.concat(tables, ignore_index=True))


@pytest.mark.snapshot
@pytest.mark.slow  # a whole-data audit: every target × every economy
def test_every_economy_verdict_is_quotable(snap):
    groups = Groups(snap.membership)
    targets = load_targets()
    breaks = getattr(snap, "breaks", None)
    economies = sorted(set(snap.tidy["iso3"]))
    table = pd.concat(
        [progress_table(snap.tidy, groups, targets, iso3=c, breaks=breaks) for c in economies], ignore_index=True
    )
    assert len(table) > 3000
    _audit(table)


P27 = "wsis_p27_gender_parity_2020"


def _target(target_id: str):
    return next(t for t in load_targets() if t.id == target_id)


@pytest.mark.snapshot
@pytest.mark.parametrize("group", ["WLD", "LDC", "LLDC"])
def test_p27_is_missed_with_its_witness(snap, group):
    row = assess_target(snap.tidy, Groups(snap.membership), _target(P27), group, published=snap.publisher_aggregates)
    assert row["verdict"] == "missed"
    assert (row["decided_by"], row["witness"], row["witness_edition"]) == ("itu_key_ict", "itu_key_ict", "2024-11")
    assert row["verdict_ours"] == "insufficient data"  # too few members report by sex for our own aggregate
    expected = {"WLD": 55.9 / 61.8, "LDC": 20.7 / 29.5, "LLDC": 26.9 / 34.5}[group]  # docs/targets.md §10
    assert row["witness_value"] == pytest.approx(expected)
    decides = [p for c, p in row["reasons"] if c == "witness_decides"]
    assert decides and decides[0]["witness"] == {"source": "itu_key_ict", "edition": "2024-11"}
    assert (decides[0]["verdict"], decides[0]["value"], decides[0]["year"]) == ("missed", pytest.approx(expected), 2020)


@pytest.mark.snapshot
def test_p27_for_sids_shows_both_publishers_and_their_disagreement(snap):
    """ITU's SIDS (UN-OHRLLS's list) are at 0.96 in 2020, in the band from 2021 (met late); the SDG database's SIDS
    figure is inside the band in 2020 (met): two publishers disagree, and the verdict says so."""
    row = assess_target(snap.tidy, Groups(snap.membership), _target(P27), "SIDS", published=snap.publisher_aggregates)
    assert (row["verdict"], row["met_year"], row["decided_by"]) == ("met late", 2021, "itu_key_ict")
    assert "for SIDS_OHRLLS" in row["reason"]
    by_source = {w["source"]: w["verdict"] for w in row["witnesses"]}
    assert by_source == {"itu_key_ict": "met late", "un_sdg": "met"}
    assert row["disputed"] is True
    assert "UN SDG database (2023-12-17) for SIDS: met" not in row["reason"]  # the SDG rows are M49 SIDS, ours
    assert "UN SDG database (2023-12-17): met (" in row["reason"]


@pytest.mark.snapshot
def test_the_world_2025_target_is_judged_on_itus_2025_figure_quoted_by_the_general_assembly(snap):
    """No file holds a 2025 value for the world; A/RES/80/173 ¶20 quotes ITU's 74% for 2025: missed (75% target)."""
    row = assess_target(
        snap.tidy,
        Groups(snap.membership),
        _target("bbcom2025_3_internet_world"),
        "WLD",
        published=snap.publisher_aggregates,
        seeds=progress.resolution_seeds(),
    )
    assert (row["verdict"], row["value_at_deadline"], row["decided_by"]) == ("missed", 74.0, "un_resolution")
    assert row["verdict_ours"] == "insufficient data"
    assert "ITU figure quoted in A/RES/80/173 ¶20 decides: missed (74 in 2025)" in row["reason"]
    itu = next(w for w in row["witnesses"] if w["source"] == "itu_key_ict")
    assert (itu["verdict"], itu["value"], itu["year"]) == ("insufficient data", 67.6, 2024)  # cannot judge 2025
    assert row["disputed"] is False


@pytest.mark.snapshot
def test_the_developing_countries_targets_are_witnessed_on_lmy(snap):
    """ITU publishes no LMY figure: it is derived from its LIC, LMC and UMC estimates and says so; the World Bank
    publishes LMY itself."""
    row = assess_target(
        snap.tidy,
        Groups(snap.membership),
        _target("connect2020_2_2a_internet_developing"),
        "DEVELOPING",
        published=snap.publisher_aggregates,
    )
    sources = [(w["source"], w.get("group"), w.get("method")) for w in row["witnesses"]]
    assert ("itu_key_ict", "LMY", "income_groups") in sources
    assert ("worldbank", "LMY", None) in sources
    assert "derived from ITU's low-, lower-middle- and upper-middle-income estimates" in row["reason"]


@pytest.mark.snapshot
def test_households_in_developing_countries_2020_has_no_verdict_from_a_withheld_value(snap):
    """69.96% of the population report in 2020 against the 70% rule: no verdict, what it would read, fragile."""
    row = assess_target(
        snap.tidy,
        Groups(snap.membership),
        _target("connect2020_2_1a_households_developing"),
        "DEVELOPING",
        published=snap.publisher_aggregates,
    )
    assert (row["verdict"], row["met_year"], row["fragile"]) == ("insufficient data", None, True)
    withheld = [p for c, p in row["reasons"] if c == "withheld"]
    assert withheld and withheld[0]["year"] == 2020 and 69 < withheld[0]["coverage"] < 70


# ---- the two witnesses, disputed and fragile, on a tiny hand-made snapshot --------------------------------------

MEMBERS = pd.DataFrame(
    [("G", c, None, None, "test", "test", "") for c in ("AAA", "BBB", "CCC")],
    columns=["group", "iso3", "since", "until", "defined_by", "source", "note"],
)
POPULATION = {"AAA": 750.0, "BBB": 200.0, "CCC": 50.0}
TARGET = parse_target(
    {
        "id": "t_internet_g",
        "title": {"en": "60% online by 2020", "zh": "2020年60%上网"},
        "framework": "ITU Connect 2020",
        "indicator": "internet_users",
        "group": "G",
        "sex": "total",
        "metric": "value",
        "comparator": ">=",
        "threshold": 60,
        "unit": "percent",
        "target_year": 2020,
        "source": {"name": "test"},
    }
)


def _tidy(values: dict[str, dict[int, float]]) -> pd.DataFrame:
    rows = [(c, y, "internet_users", "total", v) for c, by in values.items() for y, v in by.items()]
    pop = [(c, y, "population", "total", p) for c, p in POPULATION.items() for y in range(2000, 2024)]
    return pd.concat([tidy_rows(rows, source="itu_datahub", source_code="i99H"), tidy_rows(pop)], ignore_index=True)


def _published(values: dict[int, float], source: str = "itu_key_ict", edition: str = "2024-11") -> pd.DataFrame:
    from indicators.published import typed

    frame = pd.DataFrame({"year": list(values), "value": list(values.values())})
    return typed(
        frame.assign(
            source=source,
            edition=edition,
            group="G",
            publisher_group="G",
            indicator="internet_users",
            sex="total",
            area="total",
            source_code="Individuals using the Internet",
            vintage="2024-11-01",
        )
    )


def test_a_witness_that_disagrees_on_met_makes_the_verdict_disputed():
    years = range(2016, 2024)
    tidy = _tidy({c: {y: 50.0 + 2 * (y - 2016) for y in years} for c in POPULATION})  # 60 first in 2021
    row = assess_target(tidy, Groups(MEMBERS), TARGET, "G", published=_published({2019: 58.0, 2020: 61.0}))
    assert (row["verdict"], row["met_year"]) == ("met late", 2021)
    assert (row["witness_verdict"], row["witness_value"], row["disputed"]) == ("met", 61.0, True)
    code, params = row["reasons"][-1]
    assert code == "disputed" and (params["ours"], params["theirs"], params["year"]) == ("met late", "met", 2020)


def test_our_aggregate_absent_the_witness_decides_and_is_named():
    tidy = _tidy({"CCC": {y: 70.0 for y in range(2016, 2024)}})  # only 5% of the people report
    row = assess_target(tidy, Groups(MEMBERS), TARGET, "G", published=_published({2019: 55.0, 2020: 57.0}))
    assert (row["verdict_ours"], row["verdict"], row["decided_by"]) == ("insufficient data", "missed", "itu_key_ict")
    assert row["reasons"][-1][0] == "witness_decides"
    assert "ITU estimate (2024-11) decides: missed (57 in 2020)" in row["reason"]


def test_a_verdict_that_flips_under_an_80_percent_rule_is_fragile():
    # AAA, BBB and DDD (3 of 5 members, 75% of the people) report 62 every year: coverage 75%, so the target is met
    # by 2020 under the 70% rule, and there is no aggregate at all under an 80% rule
    pops = {"AAA": 600.0, "BBB": 100.0, "CCC": 200.0, "DDD": 50.0, "EEE": 50.0}
    members = pd.DataFrame([("G", c, None, None, "test", "test", "") for c in pops], columns=list(MEMBERS.columns))
    tidy = pd.concat(
        [
            _tidy({c: {y: 62.0 for y in range(2016, 2024)} for c in ("AAA", "BBB", "DDD")}).query(
                "indicator != 'population'"
            ),
            tidy_rows([(c, y, "population", "total", p) for c, p in pops.items() for y in range(2000, 2024)]),
        ],
        ignore_index=True,
    )
    row = assess_target(tidy, Groups(members), TARGET, "G")
    assert row["verdict"] == "met"
    assert row["fragile"] is True and row["fragile_verdict"] == "insufficient data"
    assert row["reasons"][-1] == ("fragile", {"rule": 80, "alternative": "insufficient data"})


def test_a_verdict_with_ample_coverage_is_not_fragile():
    values = {c: {y: 62.0 for y in range(2016, 2024)} for c in POPULATION}
    row = assess_target(_tidy(values), Groups(MEMBERS), TARGET, "G")
    assert (row["verdict"], row["fragile"], row["disputed"]) == ("met", False, False)


def test_every_reason_code_has_english_words():
    assert all(REASON_CODES.values())
    clause = ("met_late", {"value_at": 58.0, "deadline": 2020, "met": 2021, "value_met": 61.5})
    assert reason_text((clause,)) == "58 in 2020 falls short; first met in 2021 (61.5)"


TARGET_2030 = parse_target(
    {
        **{k: v for k, v in vars(TARGET).items() if k not in ("band", "scoring_bands")},
        "id": "t_2030",
        "target_year": 2030,
        "threshold": 90,
        "source": {"name": "test"},
    }  # fmt: skip
)


def test_on_track_against_off_track_is_disputed_too():
    # ours: 50, 52, …, 64 in 2016–2023 reaches 90 by 2030 only at a steeper pace: off track
    tidy = _tidy({c: {y: 50.0 + 2 * (y - 2016) for y in range(2016, 2024)} for c in POPULATION})
    steep = _published({2020: 70.0, 2021: 76.0, 2022: 82.0, 2023: 88.0})
    row = assess_target(tidy, Groups(MEMBERS), TARGET_2030, "G", published=steep)
    assert (row["verdict"], row["witness_verdict"], row["disputed"]) == ("off track", "on track", True)
    assert any(c == "disputed" for c, _ in row["reasons"])


def test_a_witness_that_cannot_judge_neither_agrees_nor_disputes():
    tidy = _tidy({c: {y: 50.0 + 2 * (y - 2016) for y in range(2016, 2024)} for c in POPULATION})
    silent = _published({2016: 50.0, 2017: 52.0})  # no 2020 value: insufficient data at the deadline
    row = assess_target(tidy, Groups(MEMBERS), TARGET, "G", published=silent)
    assert (row["verdict"], row["witness_verdict"], row["disputed"]) == ("met late", "insufficient data", False)
    assert [c for c, _ in row["reasons"]][-1] == "witness_says"


def test_where_ours_cannot_judge_witnesses_that_differ_make_it_disputed():
    tidy = _tidy({"CCC": {y: 70.0 for y in range(2016, 2024)}})  # only 5% of the people report
    published = pd.concat(
        [_published({2020: 61.0}), _published({2020: 58.0}, source="un_sdg", edition="2023-12-17")],
        ignore_index=True,
    )
    row = assess_target(tidy, Groups(MEMBERS), TARGET, "G", published=published)
    assert (row["verdict"], row["decided_by"], row["disputed"]) == ("met", "itu_key_ict", True)
    assert row["reasons"][-1] == ("witnesses_differ", {})
    assert [w["verdict"] for w in row["witnesses"]] == ["met", "missed"]


# ---- breaks: a member's change of definition, an economy's own, withdrawn years ---------------------------------


def _breaks(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=["iso3", "indicator", "sex", "year", "kind"])


def test_a_verdict_that_rests_on_a_members_change_of_definition_is_flagged_and_says_whose():
    # AAA (75% of the people) moves from 55 to 70 in 2020 by a new definition; BBB and CCC stay at 50
    values = {"AAA": {y: (55.0 if y < 2020 else 70.0) for y in range(2014, 2024)}}
    values |= {c: {y: 50.0 for y in range(2014, 2024)} for c in ("BBB", "CCC")}
    breaks = _breaks(("AAA", "internet_users", "*", 2020, "definition"))
    row = assess_target(_tidy(values), Groups(MEMBERS), TARGET, "G", breaks=breaks)
    # with the new definition: 0.75·70 + 0.25·50 = 65 in 2020, met; on the old one 0.75·55 + 0.25·50 = 53.75
    assert (row["verdict"], row["break"]) == ("met", True)
    assert ("break", {"economy": "AAA", "year": 2020, "kind": "definition", "alternative": "missed"}) in row["reasons"]
    assert "depends on AAA's 2020 change of definition" in row["reason"]
    unflagged = assess_target(_tidy(values), Groups(MEMBERS), TARGET, "G")
    assert (unflagged["verdict"], unflagged["break"]) == ("met", False)  # the same data without the breaks table


def test_a_small_members_break_that_moves_nothing_is_not_flagged():
    values = {c: {y: 62.0 for y in range(2014, 2024)} for c in ("AAA", "BBB")}
    values["CCC"] = {y: (40.0 if y < 2020 else 55.0) for y in range(2014, 2024)}  # 5% of the people
    breaks = _breaks(("CCC", "internet_users", "*", 2020, "definition"))
    row = assess_target(_tidy(values), Groups(MEMBERS), TARGET, "G", breaks=breaks)
    assert (row["verdict"], row["break"]) == ("met", False)


def test_an_economys_own_break_flags_its_verdict_and_its_trend_starts_after_it():
    values = {"AAA": {2016: 40.0, 2017: 42.0, 2018: 44.0, 2019: 46.0, 2020: 48.0, 2021: 62.0, 2022: 63.0, 2023: 64.0}}
    breaks = _breaks(("AAA", "internet_users", "*", 2021, "definition"))
    target = parse_target({**{k: v for k, v in vars(TARGET).items() if k not in ("band", "scoring_bands")},
                           "target_year": 2022, "source": {"name": "test"}})  # fmt: skip
    row = assess_target(_tidy(values), Groups(MEMBERS), target, "AAA", is_country=True, breaks=breaks)
    assert (row["verdict"], row["break"]) == ("met", True)  # 63 in 2022; 49 on the old definition
    assert row["reasons"][-1] == (
        "break",
        {"economy": "AAA", "year": 2021, "kind": "definition", "alternative": "missed"},
    )


def test_withdrawn_years_are_never_fitted_across():
    # a publisher withdrew 2020–2022: the run after the hole is too short to project
    values = {"AAA": {2014: 20.0, 2015: 22.0, 2016: 24.0, 2017: 26.0, 2018: 28.0, 2019: 30.0, 2023: 60.0, 2024: 61.0}}
    breaks = _breaks(("AAA", "internet_users", "*", 2023, "withdrawn"))
    row = assess_target(_tidy(values), Groups(MEMBERS), TARGET_2030, "AAA", is_country=True, breaks=breaks)
    assert row["verdict"] == "insufficient data"
    assert ("fit_after_break", {"year": 2023}) in row["reasons"]
    assert row["break"] is False  # a hole is not a new definition: nothing to hold the economy on


# ---- the committed snapshot's aggregates: the members rule and the breaks -----------------------------------------


@pytest.mark.snapshot
def test_no_aggregate_of_the_snapshot_rests_on_fewer_than_half_its_members_or_three(snap):
    agg = snap.group_aggregates
    shown = agg[agg["value"].notna()]
    assert len(shown) > 5000
    short = shown[(shown["n_reporting"] < 3) | (shown["n_reporting"] * 2 < shown["n_members"])]
    assert short.empty, short[["group", "year", "indicator", "sex", "n_reporting", "n_members"]].head().to_string()
    sas = agg[(agg["group"] == "SAS") & (agg["indicator"] == "internet_users") & (agg["sex"] == "total")]
    assert sas.set_index("year")["value"].isna()[2025]  # India alone, 1 of 8 members, is not South Asia


@pytest.mark.snapshot
def test_no_gap_of_the_snapshot_is_filled_across_a_recorded_break(snap):
    from indicators.aggregates import DEFAULT_RULE, fill_gaps

    breaks = snap.breaks
    assert len(breaks) > 100
    checked = 0
    for (indicator, sex), rows in breaks.groupby(["indicator", "sex"]):
        tidy = snap.tidy[(snap.tidy["indicator"] == indicator) & (snap.tidy["sex"] == sex)]
        observed = tidy.pivot(index="iso3", columns="year", values="value")
        filled = fill_gaps(observed, DEFAULT_RULE.max_carry, DEFAULT_RULE.max_gap, rows, indicator=indicator, sex=sex)
        for r in rows.itertuples():
            if r.iso3 not in observed.index:
                continue
            own = observed.loc[r.iso3].dropna()
            before, after = own[own.index < r.year], own[own.index >= r.year]
            if before.empty or after.empty:
                continue
            last = float(before.iloc[-1])
            for year in range(int(before.index[-1]) + 1, int(after.index[0])):
                value = filled.at[r.iso3, year]
                # a gap across the break is either empty or the old value carried up to the break: never a blend
                assert value != value or (year < r.year and value == last), (r.iso3, indicator, year, value)
                checked += 1
    assert checked > 0  # Pakistan's withdrawn 2021–2023 among them


@pytest.mark.snapshot
def test_the_world_verdicts_respect_chinas_2023_change_of_definition(snap):
    """China's 2023 break is material for the world: the 2030 trend is not fitted across it, so our aggregate
    cannot project (two points since), and ITU's estimates decide."""
    row = assess_target(
        snap.tidy,
        Groups(snap.membership),
        _target("umc2030_internet_world"),
        "WLD",
        published=snap.publisher_aggregates,
        breaks=snap.breaks,
    )
    assert ("fit_after_break", {"year": 2023}) in row["reasons"]
    assert row["verdict_ours"] == "insufficient data" and row["decided_by"] == "itu_key_ict"
    assert snap.breaks.query("iso3 == 'CHN' and indicator == 'internet_users' and year == 2023")["kind"].tolist() == [
        "definition"
    ]


@pytest.mark.snapshot
def test_the_measured_effect_of_chinas_break_is_the_one_the_methods_state(snap):
    """docs/methods.md and the About page state China's 2023 definition lifts the world aggregate by 2.3 points in 2023
    (2.2 in 2024): the chart's ring and the counterfactual measure the same."""
    from indicators.aggregates import break_effects
    from indicators.counterfactual import hold_on_old_definition
    from indicators.progress import group_aggregate_frame

    groups = Groups(snap.membership)
    members = {y: groups.members("WLD", y) for y in range(2000, 2026)}
    ring = break_effects(snap.tidy, "internet_users", members, snap.breaks, sex="total").set_index("iso3")
    assert round(ring.at["CHN", "effect"], 1) == 2.3
    held = hold_on_old_definition(snap.tidy, "CHN", "internet_users", 2023, ["total"], True)
    ours = group_aggregate_frame(snap.tidy, "internet_users", "total", members.get, breaks=snap.breaks)["value"]
    old = group_aggregate_frame(held, "internet_users", "total", members.get, breaks=snap.breaks)["value"]
    assert (round(ours[2023] - old[2023], 1), round(ours[2024] - old[2024], 1)) == (2.3, 2.2)
    assert "by 2.3 points in 2023 and 2.2 in 2024" in (PROJECT / "docs" / "methods.md").read_text()


def test_a_group_that_fails_only_the_members_rule_says_so():
    # AAA holds 75% of the people and reports alone: the population rule passes, one of three members does not
    values = {"AAA": {y: 62.0 for y in range(2016, 2024)}}
    row = assess_target(_tidy(values), Groups(MEMBERS), TARGET, "G")
    assert row["verdict"] == "insufficient data"
    assert row["reasons"][0] == (
        "no_members",
        {"entity": "G", "share": 50, "min": 3, "year": 2023, "n": 1, "members": 3},
    )
    assert "no year in which at least 50% of G's members, and at least 3, report (1 of 3 in 2023)" in row["reason"]
