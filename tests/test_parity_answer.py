"""``parity_answer`` (¶27 of resolution 70/125: gender parity among Internet users by 2020) on hand-built witness
frames, and the answers the app gives on the committed snapshot (docs/targets.md §10: ITU's November 2024 estimates)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from indicators import DATA_DIR
from indicators.gender import PARITY_DEADLINE, ParityAnswer, Witness, parity_answer
from indicators.snapshot import has_snapshot


def witnesses(*rows) -> pd.DataFrame:
    """Rows of (source, edition, year, parity_score[, group])."""
    cols = ["source", "edition", "year", "parity_score"]
    if any(len(r) == 5 for r in rows):
        cols.append("group")
        rows = tuple(r if len(r) == 5 else (*r, "G") for r in rows)
    return pd.DataFrame(list(rows), columns=cols)


def test_deadline_is_2020():
    assert PARITY_DEADLINE == 2020


# ---- who witnesses --------------------------------------------------------------------------------------------


def test_ours_is_preferred_over_itu_and_itu_over_sdg_at_the_deadline():
    w = witnesses(
        ("un_sdg", "2023-12-17", 2020, 0.90),
        ("itu_key_ict", "2024-11", 2020, 0.80),
        ("ours", "", 2020, 0.99),
    )
    a = parity_answer("G", w)
    assert isinstance(a, ParityAnswer)
    assert (a.group, a.deadline) == ("G", 2020)
    assert a.at_deadline == Witness("ours", "", 2020, 0.99)
    assert a.verdict == "parity"
    assert [w.source for w in a.others] == ["itu_key_ict", "un_sdg"]


def test_itu_is_preferred_over_sdg_when_ours_has_no_deadline_score():
    w = witnesses(
        ("un_sdg", "2023-12-17", 2020, 1.05),
        ("ours", "", 2019, 0.99),
        ("ours", "", 2021, 0.99),
        ("itu_key_ict", "2024-11", 2020, 0.70),
    )
    a = parity_answer("G", w)
    assert (a.at_deadline.source, a.at_deadline.edition, a.at_deadline.score) == ("itu_key_ict", "2024-11", 0.70)
    assert a.verdict == "women behind"
    assert [(o.source, o.score) for o in a.others] == [("un_sdg", 1.05)]  # the SDG's 2020 score, not ours of 2019/21


def test_sdg_answers_when_it_alone_has_the_deadline_year():
    w = witnesses(("itu_key_ict", "2024-11", 2021, 0.90), ("un_sdg", "2023-12-17", 2020, 1.03))
    a = parity_answer("G", w)
    assert a.at_deadline.source == "un_sdg" and a.verdict == "men behind"
    assert a.others == ()


def test_a_missing_score_is_no_witness():
    w = witnesses(("ours", "", 2020, float("nan")), ("itu_key_ict", "2024-11", 2020, 0.75))
    a = parity_answer("G", w)
    assert a.at_deadline.source == "itu_key_ict"
    assert a.others == ()


def test_others_hold_every_other_witness_for_the_deadline_year_only():
    w = witnesses(
        ("ours", "", 2020, 0.97),
        ("itu_key_ict", "2024-11", 2019, 0.60),
        ("itu_key_ict", "2024-11", 2020, 0.65),
        ("un_sdg", "2023-12-17", 2020, 0.66),
        ("un_sdg", "2023-12-17", 2021, 0.67),
    )
    a = parity_answer("G", w)
    assert a.at_deadline == Witness("ours", "", 2020, 0.97)
    assert a.others == (
        Witness("itu_key_ict", "2024-11", 2020, 0.65),
        Witness("un_sdg", "2023-12-17", 2020, 0.66),
    )
    assert all(o.year == 2020 for o in a.others)


def test_a_publishers_own_group_is_kept_on_its_witness():
    w = witnesses(("itu_key_ict", "2024-11", 2020, 0.96, "SIDS_OHRLLS"), ("un_sdg", "2023-12-17", 2020, 1.01, "SIDS"))
    a = parity_answer("SIDS", w)
    assert a.at_deadline.group == "SIDS_OHRLLS"
    assert a.others[0].group == ""  # the same group as asked for: not repeated


# ---- no data -------------------------------------------------------------------------------------------------------


def test_no_deadline_score_is_no_data_but_latest_is_the_first_witness_most_recent():
    w = witnesses(
        ("un_sdg", "2023-12-17", 2022, 0.95),
        ("itu_key_ict", "2024-11", 2021, 0.85),
        ("itu_key_ict", "2024-11", 2019, 0.75),
    )
    a = parity_answer("G", w)
    assert a.verdict == "no data"
    assert a.at_deadline is None and a.others == ()
    # ITU comes before the SDG database: its latest year (2021), though the SDG has a more recent score
    assert a.latest == Witness("itu_key_ict", "2024-11", 2021, 0.85)


def test_no_witness_at_all_is_no_data_without_latest():
    a = parity_answer("G", witnesses())
    assert (a.verdict, a.at_deadline, a.others, a.latest) == ("no data", None, (), None)
    a = parity_answer("G", witnesses(("ours", "", 2020, float("nan"))))
    assert (a.verdict, a.latest) == ("no data", None)


def test_another_deadline_can_be_asked_for():
    w = witnesses(("itu_key_ict", "2024-11", 2020, 0.7), ("itu_key_ict", "2024-11", 2024, 1.0))
    assert parity_answer("G", w, deadline=2024).verdict == "parity"
    assert parity_answer("G", w, deadline=2030).verdict == "no data"


# ---- the verdict ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "verdict"),
    [
        (0.98, "parity"),
        (1.0, "parity"),
        (1.02, "parity"),
        (49 / 50, "parity"),  # 0.98 as a computed ratio
        (51 / 50, "parity"),  # 1.02 as a computed ratio
        (0.9799, "women behind"),
        (0.5, "women behind"),
        (1.0201, "men behind"),
        (1.3, "men behind"),
    ],
)
def test_verdict_band_is_inclusive(score, verdict):
    a = parity_answer("G", witnesses(("itu_key_ict", "2024-11", 2020, score)))
    assert a.verdict == verdict
    assert a.at_deadline.status == verdict


def test_verdict_is_the_preferred_witness_even_when_others_disagree():
    w = witnesses(("itu_key_ict", "2024-11", 2020, 0.96), ("un_sdg", "2023-12-17", 2020, 1.01))
    a = parity_answer("SIDS", w)
    assert a.verdict == "women behind"
    assert a.others[0].status == "parity"


# ---- the committed snapshot, through the app's views ------------------------------------------------------------

needs_snapshot = pytest.mark.skipif(not has_snapshot(DATA_DIR), reason=f"no committed snapshot in {DATA_DIR}")
GROUPS = ("WLD", "LDC", "LLDC", "SIDS")


@pytest.fixture(scope="module")
def app_answers():
    from app import views
    from app.context import get_data
    from app.state import GenderView

    data = get_data()
    answers = views.parity_answers(data, GenderView(groups=GROUPS))
    return data, {a.group: a for a in answers}


@pytest.mark.snapshot
@needs_snapshot
def test_every_group_gets_a_verdict(app_answers):
    _, answers = app_answers
    assert list(answers) == list(GROUPS)
    for g, a in answers.items():
        assert a.verdict in {"parity", "women behind", "men behind"}, g
        assert a.at_deadline is not None and a.at_deadline.year == 2020, g


@pytest.mark.snapshot
@needs_snapshot
@pytest.mark.parametrize(("group", "women", "men"), [("LDC", 20.7, 29.5), ("WLD", 55.9, 61.8)])
def test_deadline_witness_is_itus_november_2024_estimate(app_answers, group, women, men):
    _, answers = app_answers
    a = answers[group]
    assert (a.at_deadline.source, a.at_deadline.edition) == ("itu_key_ict", "2024-11")
    assert a.at_deadline.score == pytest.approx(women / men, abs=1e-6)  # docs/targets.md §10
    assert a.verdict == "women behind"


@pytest.mark.snapshot
@needs_snapshot
def test_ldc_sentence_in_chinese_names_2020(app_answers):
    from app import views
    from app.i18n import translator

    data, answers = app_answers
    text = views.parity_sentence(data, answers["LDC"], translator("zh"))
    assert "2020" in text
    assert re.search(r"[\u4e00-\u9fff]", text), text
    assert "0.70" in text  # 20.7 / 29.5 to two decimals
    assert not re.search(r"[A-Za-z]{4,}", text), text  # no English left over
    english = views.parity_sentence(data, answers["LDC"], translator("en"))
    assert english != text and "2020" in english


@pytest.mark.snapshot
@needs_snapshot
def test_each_sentence_carries_the_overviews_verdict_and_who_disputes_it(app_answers):
    """The Gender page says what the Overview and the briefing pack say: the same verdict word and flags, and each
    publisher whose verdict differs (SIDS: ITU's UN-OHRLLS list is met late, the SDG database's SIDS met)."""
    from app import views
    from app.i18n import translator

    data, answers = app_answers
    for lang in ("en", "zh"):
        t = translator(lang)
        for group in GROUPS:
            row = data.verdict(views.P27_TARGET, group)
            text = views.parity_sentence(data, answers[group], t)
            assert t(f"verdict.{row['verdict']}") in text, (group, text)
            assert (t("overview.disputed") in text) == bool(row["disputed"]), (group, text)
    sids = views.parity_sentence(data, answers["SIDS"], translator("en"))
    assert "Verdict on ¶27: met late (disputed). Disputed by UN SDG database, Dec 2023 (met)." in sids
    assert views.parity_sentence(data, answers["LDC"], translator("en")).endswith("Verdict on ¶27: missed.")
