"""Gender dumbbells on a small snapshot: each member's year in its label and in the rows, the recent-years window
(a URL parameter like every control), and by-sex pairs from one release only (source and vintage)."""

from __future__ import annotations

import pandas as pd
import pytest

from app import views
from app.data import AppData
from app.i18n import translator
from app.state import GenderView, parse, to_query
from tests.builders import snapshot_of, tidy_rows

IND = "mobile_ownership"


def rows(iso3, year, female, male, vintage, sexes=("female", "male")):
    values = {"female": female, "male": male}
    return tidy_rows([(iso3, year, IND, s, values[s]) for s in sexes], source="un_sdg", vintage=vintage)


@pytest.fixture(scope="module")
def data() -> AppData:
    tidy = pd.concat(
        [
            rows("AAA", 2022, 60.0, 80.0, "2023-12-17"),  # recent
            rows("BBB", 2012, 30.0, 50.0, "2023-12-17"),  # old: outside the last 5 years of data
            # CCC's 2018 female value was republished in a later release, the male was not: the current rows mix two
            # releases; the earlier release has both (kept apart, in previous_vintages)
            rows("CCC", 2018, 83.0, None, "2023-12-17", sexes=("female",)),
            rows("CCC", 2018, None, 92.0, "2020-10-01", sexes=("male",)),
            rows("CCC", 2019, 70.0, None, "2023-12-17", sexes=("female",)),
            rows("CCC", 2019, None, 75.0, "2020-10-01", sexes=("male",)),  # no release has both: never a pair
        ],
        ignore_index=True,
    )
    snap = snapshot_of(
        tidy,
        names={"AAA": "Aland", "BBB": "Boland", "CCC": "Coland"},
        ldc=("AAA", "BBB", "CCC"),
        sources=("un_sdg",),
        indicators=[IND],
    )
    snap.previous_vintages = rows("CCC", 2018, 82.5, None, "2020-10-01", sexes=("female",))
    return AppData(snap)


def test_pairs_come_from_one_release(data):
    out = views.dumbbell_rows(data, IND, "LDC", "en", "all").set_index("iso3")
    assert out.loc["CCC", "year"] == 2018  # not 2019 (female 2023, male 2020: two releases)
    assert (out.loc["CCC", "female"], out.loc["CCC", "male"], out.loc["CCC", "vintage"]) == (82.5, 92.0, "2020-10-01")
    assert out.loc["AAA", "source"] == "un_sdg" and out.loc["AAA", "vintage"] == "2023-12-17"


def test_the_window_keeps_recent_years_and_is_the_default(data):
    assert GenderView().recent == "5"
    assert views.recent_window(data, IND, "5") == (2018, 2022) and views.recent_window(data, IND, "all") is None
    assert list(views.dumbbell_rows(data, IND, "LDC", "en", "5")["iso3"]) == ["AAA", "CCC"]
    assert list(views.dumbbell_rows(data, IND, "LDC", "en", "10")["iso3"]) == ["AAA", "CCC"]
    assert list(views.dumbbell_rows(data, IND, "LDC", "en", "all")["iso3"]) == ["AAA", "BBB", "CCC"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_member_is_labelled_with_its_year_and_the_subtitle_names_the_window(data, lang):
    t = translator(lang)
    model = views.gender_dumbbell(data, GenderView(members_of="LDC", lang=lang), IND, t)
    fig = model.figure
    labels = {y for tr in fig["data"] for y in tr["y"] if y}
    assert labels == {t("gender.member_year", name=n, year=y) for n, y in (("Aland", 2022), ("Coland", 2018))}
    assert "2018–2022" in fig["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert list(model.rows["year"]) == [2022, 2018]
    every = views.gender_dumbbell(data, GenderView(members_of="LDC", recent="all", lang=lang), IND, t)
    assert (
        len(every.rows) == 3
        and fig["layout"]["title"]["subtitle"]["text"] != every.figure["layout"]["title"]["subtitle"]["text"]
    )


def test_recent_is_a_url_parameter_like_every_control(data):
    from app.state import Context

    ctx = Context((IND,), {IND: ("total", "female", "male")}, ("WLD", "LDC"), ("AAA",), 2000, 2024)
    view, notices = parse(GenderView, "recent=10&members_of=LDC", ctx)
    assert view.recent == "10" and not notices and "recent=10" in to_query(view)
    view, notices = parse(GenderView, "recent=3", ctx)
    assert view.recent == "5" and [n.param for n in notices] == ["recent"]
