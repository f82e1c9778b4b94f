"""Price views on a small hand-made snapshot: basket breaks on the trend, the median in words, ITU's panel line,
the diverging map, the 2% line on the ranking, sources and exports that carry the basket and ITU's licence."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
import pytest

from app import views
from app.components import source_text
from app.data import AppData
from app.i18n import translator
from app.state import ExploreView
from indicators import published
from indicators.snapshot import Snapshot
from tests.builders import snapshot_of, tidy_rows

IND = "fixed_broadband_price_gni"
OLD, NEW = "Fixed broadband basket (1GB)", "Fixed broadband basket (5GB)"
#: iso3 → {year: price}; the basket changes in 2018
PRICES = {
    "AAA": {2016: 1.0, 2017: 1.2, 2018: 1.5, 2019: 1.4},
    "BBB": {2016: 3.0, 2017: 2.8, 2018: 2.5, 2019: 2.2},
    "CCC": {2016: 9.0, 2017: 8.0, 2018: 7.0, 2019: 6.0},
}
POPULATION = {"AAA": 10.0, "BBB": 30.0, "CCC": 60.0}
#: the workbook's BasketHistory: its 2019 median prices a basket ours (the DataHub's, NEW) does not
OTHER = "Fixed broadband basket (10GB)"
BOOK_BASKETS = pd.DataFrame(
    {"family": "i154_FBB_ts", "basket": [OLD, NEW, OTHER], "first_year": [2008, 2018, 2019],
     "last_year": pd.array([2017, 2018, None], dtype="Int64"), "simplified": "", "latest": ""}
)  # fmt: skip


def price_snapshot() -> Snapshot:
    rows = [(c, y, IND, "total", v) for c, by in PRICES.items() for y, v in by.items()]
    old = tidy_rows(
        [r for r in rows if r[1] < 2018], source="itu_price_baskets", source_code="i154_FBB_ts_GNI", basket=OLD
    )
    new = tidy_rows([r for r in rows if r[1] >= 2018], source="itu_datahub", source_code="i154_FBB5_GNI", basket=NEW)
    pop = tidy_rows([(c, y, "population", "total", p) for c, p in POPULATION.items() for y in range(2016, 2020)])
    tidy = pd.concat([old, new, pop], ignore_index=True)
    medians = pd.DataFrame(
        {
            "code": "i154_FBB_ts_GNI",
            "grouping": "World",
            "group": "World",
            "year": [2016, 2017, 2018, 2019],
            "value": [2.9, 2.7, 2.4, 2.1],
            "panel_first": 2016,
            "panel_last": 2019,
        }
    )
    theirs = published.from_price_medians(
        medians, {"i154_FBB_ts_GNI": IND}, edition="2008-2023", vintage="2024-03-25", baskets=BOOK_BASKETS
    )
    names = dict(zip(PRICES, ["Aland", "Boland", "Coland"], strict=True))
    return snapshot_of(
        tidy,
        names=names,
        ldc=("BBB", "CCC"),
        sources=("itu_datahub", "itu_price_baskets", "worldbank"),
        indicators=[IND],
        published=theirs,
    )


@pytest.fixture(scope="module")
def data() -> AppData:
    return AppData(price_snapshot())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_trend_breaks_at_the_new_basket_and_names_it(data, lang):
    t = translator(lang)
    model = views.explore_trend(data, ExploreView(indicator=IND, groups=("WLD",), start=2016), t)
    fig, notes, footer = model.figure, model.notes, model.footer
    go.Figure(fig)
    world = next(tr for tr in fig["data"] if tr["meta"]["kind"] == "world")
    assert world["x"] == [2016, 2017, 2017.5, 2018, 2019] and world["y"][2] is None
    assert world["y"][0] == pytest.approx(3.0)  # the median of 1, 3, 9: no population weights
    labels = [a["text"] for a in fig["layout"]["annotations"] if a.get("name") == "basket"]
    expected = t("price.basket_from", year=2018, basket=views.basket_name(NEW, lang))
    assert [re.sub("<br>| ", "", label) for label in labels] == [expected.replace(" ", "")]  # wrapped for a phone
    assert t("price.median_note") in notes
    assert any(views.basket_name(OLD, lang) in n for n in notes)
    # ITU's medians: one line per basket, each named, only where ours prices the same basket (not its 2019 10GB)
    itu = [tr for tr in fig["data"] if tr["meta"]["kind"] == "published"]
    assert [[y for y in tr["y"] if y is not None] for tr in itu] == [[2.9, 2.7], [2.4]]
    assert [tr["name"].rsplit(" ", 1)[-1] for tr in itu] == ["1GB", "5GB"]
    assert [views.basket_name(b, lang) in tr["hovertemplate"] for tr, b in zip(itu, (OLD, NEW), strict=True)] == [
        True,
        True,
    ]
    assert 2019 not in [x for tr in itu for x in tr["x"]]
    mismatch = t(
        "price.basket_mismatch",
        groups=views.group_label(data, "WLD", lang),
        years="2019",
        theirs=views.basket_name(OTHER, lang),
        ours=views.basket_name(NEW, lang),
    )
    assert mismatch in notes
    assert t("price.panel_note") in notes
    # the footer: ITU's licence, the basket definitions, the median; no population weights
    assert "CC BY-NC-SA 3.0 IGO" in footer and views.basket_name(NEW, lang) in footer
    assert t("price.aggregates") in footer and t("source.aggregates") not in footer


def test_a_year_without_half_the_members_reporting_has_no_median_and_says_why(data):
    t = translator("en")
    tidy = data.tidy[~((data.tidy["year"] == 2019) & data.tidy["iso3"].isin(["BBB", "CCC"]))]
    thin = AppData(
        Snapshot(tidy, data.published, data.snapshot.membership, data.snapshot.countries, data.snapshot.provenance)
    )
    # 2019 is shown when asked for: by default the range ends at the latest median (2018)
    notes = views.explore_trend(thin, ExploreView(indicator=IND, groups=("WLD",), start=2016, end=2019), t).notes
    assert (
        "No median for World (all economies) in 2019: fewer than half of its members, or fewer than 3, report a price"
        " (best 33%)." in notes
    )


def test_map_diverges_around_two_percent(data):
    t = translator("en")
    model = views.explore_map(data, ExploreView(indicator=IND, tab="map", groups=("WLD",)), t)
    fig, year = model.figure, model.year
    value = next(tr for tr in fig["data"] if tr["name"] == "value")
    assert year == 2019 and (value["zmin"], value["zmax"]) == (0, 8)
    assert [s for s, _ in value["colorscale"]].count(0.25) == 2  # blue up to 2%, orange above
    assert any(a.get("name") == "no_data" for a in fig["layout"]["annotations"])


def test_ranking_carries_the_two_percent_reference(data):
    t = translator("en")
    model = views.explore_ranking(data, ExploreView(indicator=IND, tab="ranking", groups=("LDC",)), t)
    fig = model.figure
    assert [s["x0"] for s in fig["layout"]["shapes"]] == [2.0]
    assert model.keys == ("① " + t("price.reference"),)  # its key over the line, its name under the chart


def test_usd_prices_keep_a_sequential_scale_and_no_reference(data):
    assert data.registry["fixed_broadband_price_usd"].unit == "usd"
    text = source_text(data, [IND], translator("en"), years=(2016, 2017))
    assert "Fixed broadband basket (1GB) 2016–2017" in text and NEW not in text


def test_affordability_rows_by_hand(data):
    rows = views.affordability_rows(data, ("WLD", "LDC")).set_index(["indicator", "group"])
    wld = rows.loc[(IND, "WLD")]
    assert (wld["year"], wld["median"], wld["n_reporting"]) == (2019, 2.2, 3)
    assert wld["members_under"] == pytest.approx(1 / 3)  # only AAA (1.4) is at or under 2%
    assert wld["people_under"] == pytest.approx(0.10)  # AAA holds 10 of 100
    assert (IND, "LDC") not in rows.index  # BBB and CCC: a median needs at least 3 members reporting


# ---- the command line ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def price_data_dir(tmp_path_factory):
    from indicators.snapshot import write_snapshot

    path = tmp_path_factory.mktemp("prices")
    write_snapshot(price_snapshot(), path)
    return path


def test_cli_affordability_gives_median_and_shares_by_year(price_data_dir, capsys):
    import io

    from indicators.cli import main

    assert main(["--data", str(price_data_dir), "affordability", "--group", "WLD", "--format", "csv"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("year")
    assert list(out.index) == [2016, 2017, 2018, 2019]
    assert out.loc[2019, "median"] == pytest.approx(2.2) and out.loc[2019, "n_under"] == 1
    assert out.loc[2016, "people_under"] == pytest.approx(0.10)  # AAA (1.0) only: 10 of 100 people
    assert out.loc[2016, "basket"] == OLD and out.loc[2019, "basket"] == NEW
    assert (
        main(["--data", str(price_data_dir), "affordability", "--group", "WLD", "--threshold", "5", "--format", "csv"])
        == 0
    )
    five = pd.read_csv(io.StringIO(capsys.readouterr().out)).set_index("year")
    assert five.loc[2019, "n_under"] == 2 and five.loc[2019, "people_under"] == pytest.approx(0.40)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--indicator", "internet_users"], "not a price in % of GNI"),
        (["--threshold", "-1"], "must be a share"),
        (["--group", "NOPE"], "unknown group"),
    ],
)
def test_cli_affordability_rejects_nonsense_in_one_line(price_data_dir, capsys, argv, message):
    from indicators.cli import main

    assert main(["--data", str(price_data_dir), "affordability", *argv]) != 0
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_cli_affordability_rounds_like_every_download(capsys):
    """FINDINGS: the affordability CSV printed ``4.3100000000000005`` (LMY's 2015 median, a mean of two prices)."""
    from indicators.cli import _print_frame, _rounded_affordability

    noisy = pd.DataFrame(
        {"group": ["LMY"], "year": [2015], "median": [(4.3 + 4.32) / 2], "n_reporting": [114], "n_members": [131],
         "members_under": [0.24561403508771928], "people_under": [0.433789292003202], "people_reporting": [1.0]}
    )  # fmt: skip
    assert noisy["median"].iloc[0] == 4.3100000000000005
    _print_frame(_rounded_affordability(noisy), "csv")
    assert capsys.readouterr().out.splitlines()[1] == "LMY,2015,4.31,114,131,0.246,0.434,1.0"


def test_map_with_world_among_the_groups_colours_every_economy(data):
    """World among the chosen groups: no economy is "not in the chosen groups" (the USA and Europe were grey)."""
    t = translator("en")
    both = views.explore_map(data, ExploreView(indicator=IND, tab="map", groups=("WLD", "LDC"), year=2019), t)
    assert [tr["name"] for tr in both.figure["data"]] == ["value"]
    assert both.rows["highlighted"].all() and sorted(both.rows["iso3"]) == ["AAA", "BBB", "CCC"]
    ldc = views.explore_map(data, ExploreView(indicator=IND, tab="map", groups=("LDC",), year=2019), t)
    assert dict(zip(ldc.rows["iso3"], ldc.rows["highlighted"], strict=True)) == {"AAA": False, "BBB": True, "CCC": True}
    other = next(tr for tr in ldc.figure["data"] if tr["name"] == "other")
    assert list(other["locations"]) == ["AAA"]
