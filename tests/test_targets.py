"""targets.yml and the resolution seed: the real files validate, and each rule rejects what it should."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from indicators.registry import load_registry
from indicators.targets import (
    KNOWN_GROUPS,
    PARITY_BAND,
    Target,
    TargetError,
    load_seed_document,
    load_seeds,
    load_targets,
    load_validated,
    parity_score,
    targets_for,
    validate_seed_links,
    validate_seeds,
    validate_targets,
)

ZH_TEXT = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "A-RES-70-125.zh.txt"


@pytest.fixture(scope="module")
def targets() -> list[Target]:
    return load_targets()


@pytest.fixture(scope="module")
def by_id(targets) -> dict[str, Target]:
    return {t.id: t for t in targets}


@pytest.fixture(scope="module")
def seeds():
    return load_seeds()


@pytest.fixture(scope="module")
def registry():
    return load_registry()


def _check(targets, registry, seeds):
    validate_targets(targets, registry, KNOWN_GROUPS, seeds)


def _one(by_id, tid="connect2020_1_2_internet_world", **changes) -> list[Target]:
    return [dataclasses.replace(by_id[tid], **changes)]


# ---- the real files ---------------------------------------------------------------------------------------------


def test_real_targets_validate(targets, registry, seeds):
    _check(targets, registry, seeds)
    validate_seeds(seeds, registry)
    validate_seed_links(targets, seeds)
    assert len(load_validated()) == len(targets) >= 20


def test_seed_paragraphs_present_and_document_metadata(seeds):
    assert {14, 21, 22, 25, 27, 55} <= set(seeds)
    doc = load_seed_document()["document"]
    assert doc["symbol"] == "A/RES/70/125"
    assert doc["adopted"] == "2015-12-16"
    assert doc["url"] == "https://undocs.org/A/RES/70/125"
    assert doc["title"]["en"] and doc["title"]["zh"]


def test_each_seed_paragraph_target_exists(seeds, by_id):
    for num, para in seeds.items():
        for tid in (*para.targets, *para.related_targets):
            assert tid in by_id, f"¶{num} lists {tid!r}, which targets.yml lacks"


def test_p27_parity_target(by_id, seeds):
    t = by_id["wsis_p27_gender_parity_2020"]
    assert (t.indicator, t.group, t.metric, t.comparator) == ("internet_users", "WLD", "parity_score", "within")
    assert t.target_year == 2020 and t.paragraph == 27
    assert t.band == PARITY_BAND == (0.98, 1.02)
    assert t.id in seeds[27].targets
    assert t.is_met(parity_score(69.0, 70.0)) is True  # 0.986
    assert t.is_met(parity_score(63.0, 69.0)) is False  # 0.91


@pytest.mark.parametrize(
    "tid, indicator, group, threshold",
    [
        ("connect2020_1_1_households_world", "households_internet", "WLD", 55),
        ("connect2020_1_2_internet_world", "internet_users", "WLD", 60),
        ("connect2020_2_1a_households_developing", "households_internet", "DEVELOPING", 50),
        ("connect2020_2_1b_households_ldc", "households_internet", "LDC", 15),
        ("connect2020_2_2a_internet_developing", "internet_users", "DEVELOPING", 50),
        ("connect2020_2_2b_internet_ldc", "internet_users", "LDC", 20),
    ],
)
def test_connect2020_thresholds(by_id, tid, indicator, group, threshold):
    t = by_id[tid]
    assert (t.indicator, t.group, t.comparator, t.threshold) == (indicator, group, ">=", threshold)
    assert t.target_year == 2020 and t.paragraph == 25 and t.framework == "ITU Connect 2020"


def test_connect2020_untracked_and_parity(by_id):
    assert by_id["connect2020_2_4_rural_broadband_coverage_world"].threshold == 90
    tid = "connect2020_2_4_rural_broadband_coverage_world"
    assert by_id[tid].indicator is None and not by_id[tid].tracked and by_id[tid].measure
    assert by_id["connect2020_2_5a_gender_parity_world"].band == (0.98, 1.02)


@pytest.mark.parametrize(
    "tid, indicator, threshold, year",
    [
        ("connect2020_2_3b_broadband_price_developing", "fixed_broadband_price_gni", 5, 2020),
        ("connect2020_2_3b_mobile_broadband_price_developing", "mobile_broadband_price_gni", 5, 2020),
        ("bbcom2025_2_price_developing", "mobile_broadband_price_gni", 2, 2025),
        ("bbcom2025_2_fixed_broadband_price_developing", "fixed_broadband_price_gni", 2, 2025),
    ],
)
def test_affordability_targets_are_tracked_on_the_price_baskets(by_id, tid, indicator, threshold, year):
    t = by_id[tid]
    assert (t.indicator, t.comparator, t.threshold, t.target_year, t.group) == (
        indicator,
        "<=",
        threshold,
        year,
        "DEVELOPING",
    )
    assert t.tracked and t.group_for_year(2024) == ("LMY" if year == 2025 else "DEVELOPING")


@pytest.mark.parametrize(
    "tid, group, threshold",
    [
        ("bbcom2025_3_internet_world", "WLD", 75),
        ("bbcom2025_3_internet_developing", "DEVELOPING", 65),
        ("bbcom2025_3_internet_ldc", "LDC", 35),
    ],
)
def test_bbcom2025_target3(by_id, tid, group, threshold):
    t = by_id[tid]
    assert (t.indicator, t.group, t.threshold, t.target_year) == ("internet_users", group, threshold, 2025)


def test_bbcom_developing_switches_to_lmy_in_2022(by_id):
    t = by_id["bbcom2025_3_internet_developing"]
    assert (t.group_for_year(2021), t.group_for_year(2022)) == ("DEVELOPING", "LMY")
    assert t in targets_for("internet_users", "LMY") and t in targets_for("internet_users", "DEVELOPING")


def test_sdg_9c_one_target_per_technology(by_id):
    techs = {by_id[i].indicator for i in by_id if i.startswith("sdg_9c_")}
    assert {"coverage_3g", "coverage_4g"} <= techs
    for tid in ("sdg_9c_coverage_3g_ldc_2020", "sdg_9c_coverage_4g_ldc_2020"):
        t = by_id[tid]
        assert (t.group, t.threshold, t.target_year, t.nominal) == ("LDC", 95, 2020, 100)


def test_targets_for(targets):
    got = targets_for("households_internet", "LDC", targets)
    assert [t.id for t in got] == ["connect2020_2_1b_households_ldc"]
    assert all(t.indicator == "internet_users" for t in targets_for("internet_users"))


# ---- each rule rejects ------------------------------------------------------------------------------------------


def test_unknown_indicator_fails(by_id, registry, seeds):
    with pytest.raises(TargetError, match=r"connect2020_1_2_internet_world.*unknown indicator 'net_users'"):
        _check(_one(by_id, indicator="net_users"), registry, seeds)


def test_unknown_group_fails(by_id, registry, seeds):
    with pytest.raises(TargetError, match=r"connect2020_1_2_internet_world.*unknown group 'MARS'"):
        _check(_one(by_id, group="MARS"), registry, seeds)
    with pytest.raises(TargetError, match="unknown group_from_2022"):
        _check(_one(by_id, group_from_2022="LMIC"), registry, seeds)


def test_paragraph_missing_from_seeds_fails(by_id, registry, seeds):
    assert 99 not in seeds
    with pytest.raises(TargetError, match=r"connect2020_1_2_internet_world.*paragraph 99 is not in the resolution"):
        _check(_one(by_id, paragraph=99), registry, seeds)


def test_comparator_not_allowed_fails(by_id, registry, seeds):
    with pytest.raises(TargetError, match=r"comparator '>' not allowed"):
        _check(_one(by_id, comparator=">"), registry, seeds)


def test_duplicate_id_fails(by_id, registry, seeds):
    t = by_id["connect2020_1_2_internet_world"]
    with pytest.raises(TargetError, match=r"connect2020_1_2_internet_world.*duplicate id"):
        _check([t, t], registry, seeds)


def test_parity_without_band_fails(by_id, registry, seeds):
    with pytest.raises(TargetError, match=r"wsis_p27_gender_parity_2020.*band"):
        _check(_one(by_id, "wsis_p27_gender_parity_2020", band=None), registry, seeds)


def test_parity_on_indicator_without_sexes_fails(by_id, registry, seeds):
    with pytest.raises(TargetError, match="not published for female and male"):
        _check(_one(by_id, "wsis_p27_gender_parity_2020", indicator="households_internet"), registry, seeds)


def test_untracked_target_needs_reason(by_id, registry, seeds):
    bad = _one(by_id, "bbcom2025_4_digital_skills_world", untracked_reason=None)
    with pytest.raises(TargetError, match="untracked_reason"):
        _check(bad, registry, seeds)


def test_seed_listing_unknown_target_fails(targets, seeds):
    para = dataclasses.replace(seeds[25], targets=(*seeds[25].targets, "connect2020_9_9_nope"))
    with pytest.raises(TargetError, match=r"¶25.*connect2020_9_9_nope"):
        validate_seed_links(targets, {**seeds, 25: para})


def test_target_paragraph_must_be_listed_in_seed(targets, seeds):
    para = dataclasses.replace(seeds[27], targets=())
    with pytest.raises(TargetError, match=r"wsis_p27_gender_parity_2020.*does not list it"):
        validate_seed_links(targets, {**seeds, 27: para})


# ---- the seed's figures against the Chinese text ----------------------------------------------------------------


def _figures(seeds, num):
    return {
        (f.get("indicator") or f["measure"], f["group"], f.get("sex", "total"), f["year"], f.get("unit")): f
        for f in seeds[num].figures
    }


def test_seed_figures_key_values(seeds):
    f14 = _figures(seeds, 14)
    assert f14[("internet_users", "WLD", "total", 2015, "percent")]["value"] == 43
    assert f14[("internet_users", "WLD", "total", 2015, "percent")]["qualifier"] == "over"
    assert f14[("fixed_broadband_per100", "WLD", "total", 2015, "per100")]["qualifier"] == "near"
    assert f14[("fixed_broadband_per100", "WLD", "total", 2005, "per100")]["value"] == 3.4
    assert f14[("mobile_broadband_per100", "WLD", "total", 2015, "per100")]["value"] == 47
    mult = f14[("mobile_broadband_per100", "WLD", "total", 2015, "multiple")]
    assert (mult["base_year"], mult["as_written"]) == (2007, "增加11倍")
    f21 = _figures(seeds, 21)
    assert f21[("internet_users", "WLD", "female", 2015, "percent")]["value"] == 41
    assert f21[("internet_users", "WLD", "total", 2015, "percent")]["qualifier"] == "about"
    f22 = _figures(seeds, 22)
    assert f22[("households_internet", "DEVELOPING", "total", 2015, "percent")]["value"] == 34
    developed = f22[("households_internet", "DEVELOPED", "total", 2015, "percent")]
    assert (developed["value"], developed["qualifier"]) == (80, "over")


def _paragraph_text(text: str, num: int) -> str:
    """Body of operative ¶num: a line starting with two spaces, the number and '. '."""
    m = re.search(rf"^  {num}\. (.*)$", text, flags=re.M)
    assert m, f"¶{num} not found in the Chinese text"
    return m.group(1)


@pytest.mark.skipif(not ZH_TEXT.is_file(), reason=f"Chinese resolution text not found at {ZH_TEXT}")
def test_seed_numerals_appear_in_the_chinese_paragraph(seeds):
    text = ZH_TEXT.read_text(encoding="utf-8")
    for num, para in seeds.items():
        body = _paragraph_text(text, num)
        for item in (*para.figures, *para.milestones):
            assert item["as_written"] in body, f"¶{num}: {item['as_written']!r} not in the paragraph"
    assert "2020年实现因特网用户的性别平等" in _paragraph_text(text, 27)
    assert "连接2020" in _paragraph_text(text, 25)
