"""URL state: every view class round-trips through its query string, and a bad link degrades to defaults with a
notice naming each parameter that was not understood (never an exception)."""

from __future__ import annotations

import dataclasses
import inspect

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import state
from app.i18n import languages
from app.state import (
    MAX_COUNTRIES,
    MAX_GROUPS,
    AboutView,
    Context,
    CountryView,
    ExploreView,
    GenderView,
    Notice,
    OverviewView,
    parse,
    to_query,
)
from tests.support.examples import examples

VIEWS = (ExploreView, GenderView, OverviewView, CountryView, AboutView)

CTX = Context(
    indicators=("internet_users", "households_internet", "mobile_ownership", "population"),
    sexes_of={
        "internet_users": ("total", "female", "male"),
        "households_internet": ("total",),
        "mobile_ownership": ("total", "female", "male"),
        "population": ("total", "female", "male"),
    },
    groups=("WLD", "LDC", "LLDC", "SIDS", "SIDS_OHRLLS", "DEVELOPING", "LIC", "HIC", "EAS", "SSF"),
    countries=("NPL", "FJI", "BOL", "TUV", "USA", "CHN", "KIR", "MWI", "TON", "WSM", "VUT", "NRU", "PLW", "BTN"),
    first_year=2000,
    last_year=2025,
)


def test_every_view_class_in_the_module_is_covered():
    """A view class added to app/state.py must join the round-trip tests."""
    found = {
        obj
        for name, obj in inspect.getmembers(state, inspect.isclass)
        if name.endswith("View") and dataclasses.is_dataclass(obj) and obj.__module__ == state.__name__
    }
    assert found == set(VIEWS)


# ---- round trip: examples ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("view_cls", VIEWS, ids=lambda c: c.__name__)
def test_default_view_round_trips(view_cls):
    view = view_cls()
    assert parse(view_cls, to_query(view), CTX) == (view, [])


@pytest.mark.parametrize(
    "view",
    [
        ExploreView(
            indicator="internet_users",
            sex="female",
            groups=("LDC", "SIDS"),
            countries=("NPL", "FJI"),
            start=2010,
            end=2020,
            tab="map",
            members=True,
            year=2019,
            lang="zh",
        ),
        ExploreView(groups=("SIDS_OHRLLS",), start=2025, end=2025, tab="table"),
        ExploreView(indicator="households_internet", groups=tuple(CTX.groups[:MAX_GROUPS]), end=None, year=None),
        GenderView(groups=("WLD",), members_of="SIDS", start=2000, end=2025, lang="zh"),
        OverviewView(group="DEVELOPING"),
        CountryView(indicator="mobile_ownership", start=2015, end=None),
        AboutView(lang="zh"),
    ],
    ids=lambda v: type(v).__name__,
)
def test_example_views_round_trip(view):
    assert parse(type(view), to_query(view), CTX) == (view, [])


def test_the_readme_link_parses_to_its_view():
    query = "indicator=internet_users&sex=female&group=LDC,SIDS&from=2005&to=2024&tab=map"
    view, notices = parse(ExploreView, query, CTX)
    assert notices == []
    assert view == ExploreView(sex="female", groups=("LDC", "SIDS"), start=2005, end=2024, tab="map")


def test_to_query_writes_every_parameter_with_readable_lists():
    query = to_query(ExploreView(groups=("LDC", "SIDS"), members=True))
    assert "group=LDC,SIDS" in query  # commas stay readable in a shared link
    assert "members=1" in query and "to=&" in query
    assert [p.split("=")[0] for p in query.split("&")] == [f.metadata["param"] for f in dataclasses.fields(ExploreView)]


# ---- round trip: property-based --------------------------------------------------------------------------------


def _codes(pool: tuple[str, ...], max_size: int, min_size: int) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(pool), min_size=min_size, max_size=max_size, unique=True).map(tuple)


def _field_strategy(f: dataclasses.Field, ctx: Context) -> st.SearchStrategy:
    """Every value ``parse`` can produce for this field (valid views only)."""
    kind = f.metadata["kind"]
    years = st.integers(ctx.first_year, ctx.last_year)
    if kind == "indicator":
        return st.sampled_from(ctx.indicators)
    if kind == "sex":
        return st.sampled_from(state.SEXES)
    if kind == "choice":
        return st.sampled_from(f.metadata["choices"])
    if kind == "lang":
        return st.sampled_from(languages())
    if kind == "group":
        return st.sampled_from(ctx.groups)
    if kind == "groups":
        return _codes(ctx.groups, MAX_GROUPS, 1)  # an empty group list falls back to the default
    if kind == "countries":
        return _codes(ctx.countries, MAX_COUNTRIES, 0)
    if kind == "bool":
        return st.booleans()
    if kind == "year":
        return years if f.default is not None else st.none() | years
    raise AssertionError(f"no strategy for field kind {kind!r}: add one")


@st.composite
def valid_views(draw, view_cls, ctx: Context = CTX):
    """A view that satisfies the cross-field rules too (sex offered by the indicator, from ≤ to)."""
    values = {f.name: draw(_field_strategy(f, ctx)) for f in dataclasses.fields(view_cls)}
    if "sex" in values and "indicator" in values:
        values["sex"] = draw(st.sampled_from(ctx.sexes_of[values["indicator"]]))
    if values.get("end") is not None and values["start"] > values["end"]:
        values["start"], values["end"] = values["end"], values["start"]
    return view_cls(**values)


@pytest.mark.parametrize("view_cls", VIEWS, ids=lambda c: c.__name__)
@settings(max_examples=examples(150), deadline=None)
@given(data=st.data())
def test_any_valid_view_round_trips(view_cls, data):
    view = data.draw(valid_views(view_cls))
    assert parse(view_cls, to_query(view), CTX) == (view, [])


PARAMS = ("indicator", "sex", "group", "countries", "from", "to", "tab", "members", "year", "lang", "junk")
#: raw values: near-misses of valid ones (so the cross-field rules run) and arbitrary text
RAW_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from([*CTX.indicators, *state.SEXES, *state.TABS, "1", "0", "latest", "zh", "ldc", "sids,WLD,"]),
    st.integers(1990, 2035).map(str),
    st.lists(st.sampled_from([*CTX.groups, *CTX.countries, "XYZ", " "]), max_size=15).map(",".join),
)


@settings(max_examples=examples(300), deadline=None)
@given(query=st.dictionaries(st.sampled_from(PARAMS), RAW_VALUES))
def test_parse_never_raises_and_its_result_round_trips(query):
    """Whatever the link says, parsing gives a valid view, which then round-trips without notices."""
    view, notices = parse(ExploreView, query, CTX)
    assert all(isinstance(n, Notice) for n in notices)
    assert parse(ExploreView, to_query(view), CTX) == (view, [])


# ---- invalid parameters: defaults and a notice naming them --------------------------------------------------------


def _by_param(notices: list[Notice]) -> dict[str, Notice]:
    return {n.param: n for n in notices}


@pytest.mark.parametrize(
    ("query", "param", "problem", "field", "expected"),
    [
        ("indicator=bogus", "indicator", "invalid_value", "indicator", "internet_users"),
        ("sex=other", "sex", "invalid_value", "sex", "total"),
        ("tab=graph", "tab", "invalid_value", "tab", "chart"),
        ("members=maybe", "members", "invalid_value", "members", False),
        ("from=abc", "from", "invalid_value", "start", 2005),
        ("from=1960", "from", "out_of_range", "start", 2005),
        ("to=2999", "to", "out_of_range", "end", None),
        ("year=twenty", "year", "invalid_value", "year", None),
        ("lang=xx", "lang", "invalid_value", "lang", "en"),
        ("group=XYZ", "group", "unknown_code", "groups", ExploreView().groups),
        ("indicator=households_internet&sex=female", "sex", "sex_not_offered", "sex", "total"),
        ("foo=1", "foo", "unknown_param", None, None),
        ("from=" + "9" * 500, "from", "too_long", "start", 2005),
    ],
)
def test_an_invalid_parameter_falls_back_with_a_notice_naming_it(query, param, problem, field, expected):
    view, notices = parse(ExploreView, query, CTX)
    assert _by_param(notices)[param].problem == problem, notices
    if field:
        assert getattr(view, field) == expected
    text = _by_param(notices)[param].text(lambda key, **kw: f"{key}|{kw['param']}|{kw['value']}")
    assert text.startswith(f"notice.{problem}|{param}|")


def test_valid_parts_of_a_list_are_kept_and_the_unknown_ones_named():
    view, notices = parse(ExploreView, "group=ldc,XYZ,SIDS,LDC&countries=npl,ZZZ", CTX)
    assert view.groups == ("LDC", "SIDS")  # case-insensitive, duplicates dropped, order kept
    assert view.countries == ("NPL",)
    assert {(n.param, n.value, n.problem) for n in notices} == {
        ("group", "XYZ", "unknown_code"),
        ("countries", "ZZZ", "unknown_code"),
    }


def test_too_many_groups_keeps_the_first_ones_and_says_so():
    view, notices = parse(ExploreView, {"group": ",".join(CTX.groups)}, CTX)
    assert view.groups == CTX.groups[:MAX_GROUPS]
    assert [n.problem for n in notices] == ["too_many"]


def test_from_after_to_is_swapped_with_a_notice():
    view, notices = parse(GenderView, "from=2020&to=2010", CTX)
    assert (view.start, view.end) == (2010, 2020)
    assert [(n.param, n.problem) for n in notices] == [("from", "from_after_to")]


def test_the_other_parameters_survive_a_bad_one():
    view, notices = parse(ExploreView, "indicator=bogus&group=SIDS&from=2010&tab=map", CTX)
    assert (view.indicator, view.groups, view.start, view.tab) == ("internet_users", ("SIDS",), 2010, "map")
    assert [n.param for n in notices] == ["indicator"]


@pytest.mark.parametrize("query", [None, "", "?", {}, "&&&", "=x", "%zz=%zz", "group=%00"])
def test_degenerate_queries_give_the_default_view(query):
    view, _ = parse(OverviewView, query, CTX)
    assert view == OverviewView()


@pytest.mark.snapshot
@pytest.mark.parametrize("view_cls", VIEWS, ids=lambda c: c.__name__)
@settings(max_examples=examples(60), deadline=None)
@given(data=st.data())
def test_views_round_trip_with_the_apps_own_context(view_cls, data):
    """The same property on the context the running app validates against (the committed snapshot)."""
    from app.context import url_context

    ctx = url_context()
    view = data.draw(valid_views(view_cls, ctx))
    assert parse(view_cls, to_query(view), ctx) == (view, [])
