"""/indicator/<id> ("Learn more about this indicator"), in both languages: definition, unit, sources with series
codes, licences and the vintages in the snapshot, coverage by year, aggregation, breaks, corrections, citation;
linked from every chart's source line; the registry's definitions validated."""

from __future__ import annotations

import pytest

from app import indicator_info as info
from app.context import get_data
from app.i18n import translator
from indicators.registry import RegistryError, load_registry, parse_registry

pytestmark = pytest.mark.snapshot


@pytest.fixture(scope="module")
def ind_page():
    from app.wsgi import app  # noqa: F401 - the pages register on an app: built first

    # isort: split
    from app.pages import indicator

    return indicator


def text_of(component) -> str:
    """Every string in a Dash component tree, one per line."""
    out: list[str] = []

    def walk(node):
        if isinstance(node, str | int | float):
            out.append(str(node))
        elif isinstance(node, list | tuple):
            for child in node:
                walk(child)
        elif getattr(node, "children", None) is not None:
            walk(node.children)

    walk(component)
    return "\n".join(out)


def links_of(component) -> list[str]:
    out: list[str] = []

    def walk(node):
        if isinstance(node, list | tuple):
            for child in node:
                walk(child)
            return
        href = getattr(node, "href", None)
        if href:
            out.append(href)
        if getattr(node, "children", None) is not None:
            walk(node.children)

    walk(component)
    return out


def test_internet_users_lists_its_vintages_sources_and_coverage_in_english(ind_page):
    text = text_of(ind_page.layout("internet_users"))
    assert "Individuals using the Internet" in text and "last three months" in text  # the definition
    assert "% of population" in text and "population-weighted mean" in text
    assert "i99H" in text and "IT.NET.USER.ZS" in text and "IT_USE_II99" in text  # series codes
    assert "Apr 24, 2026" in text and "Nov 29, 2024" in text and "Dec 17, 2023" in text  # vintages in the snapshot
    assert "CC BY-NC-SA 3.0 IGO" in text and "CC BY 4.0" in text
    assert "Coverage by year" in text and "Economies (Women)" in text
    assert "Suggested citation" in text
    assert "via Digital divide dashboard, \n/indicator/internet_users" in text  # the permalink marked as code


def test_the_citation_as_text_names_publisher_code_vintage_url_and_the_dashboard():
    data = get_data()
    ind = data.registry["internet_users"]
    src = info.sources(data, ind, "en")[0]
    text = info.citation(src, ind, translator("en"), accessed="2026-12-02", permalink="/indicator/internet_users")
    assert text == (
        "International Telecommunication Union (ITU), ITU DataHub: Individuals using the Internet (series i99H), "
        "vintage April 24, 2026, https://datahub.itu.int/, accessed December 2, 2026; "
        "via Digital divide dashboard, /indicator/internet_users."
    )


def test_internet_users_in_chinese(ind_page):
    text = text_of(ind_page.layout("internet_users", lang="zh"))
    assert "互联网用户比例" in text and "过去三个月" in text
    assert "来源与数据版本" in text and "2026年4月24日" in text and "各年覆盖情况" in text
    assert "建议引用格式" in text and "经由数字鸿沟仪表板" in text
    assert "Suggested citation" not in text and "Coverage by year" not in text


def test_coverage_by_year_counts_economies_with_a_value():
    data = get_data()
    ind = data.registry["internet_users"]
    table = info.coverage_by_year(data, ind).set_index("year")
    assert list(table.columns) == ["total", "female", "male"]
    assert table.loc[2024, "total"] > 180 and table.loc[2024, "female"] == 0
    rows = data.tidy[(data.tidy["indicator"] == "internet_users") & (data.tidy["sex"] == "total")]
    assert table.loc[2020, "total"] == rows.loc[rows["year"] == 2020, "iso3"].nunique()


def test_sources_carry_the_vintages_actually_in_the_snapshot():
    data = get_data()
    srcs = {s.code: s for s in info.sources(data, data.registry["internet_users"], "en")}
    assert srcs["i99H"].vintages == ("2026-04-24",) and srcs["i99H"].economies > 150
    assert srcs["IT_USE_II99"].vintages == ("2023-12-17",)
    assert srcs["IT.NET.USER.FE.ZS"].vintages == ()  # only after `make refresh`: "not in this snapshot"


def test_price_page_names_its_basket_breaks_and_median(ind_page):
    text = text_of(ind_page.layout("fixed_broadband_price_gni"))
    assert "Fixed broadband basket (1GB): 2008–2017" in text and "Fixed broadband basket (5GB): 2018–2025" in text
    assert "median of the members' prices" in text


def test_corrections_are_listed_for_the_indicator_they_touch(ind_page):
    text = text_of(ind_page.layout("mobile_ownership"))
    assert "CRI" in text and "111.1" in text
    assert "No correction is applied" in text_of(ind_page.layout("coverage_4g"))


@pytest.mark.parametrize(("lang", "needle"), [("en", "is not an indicator"), ("zh", "不是本仪表板的指标")])
def test_an_unknown_indicator_gets_a_translated_message(ind_page, lang, needle):
    body = ind_page.layout("nope<script>", lang=lang)
    text = text_of(body)
    assert needle in text and "nope<script>" in text
    assert "/indicator/internet_users" + ("?lang=zh" if lang == "zh" else "") in links_of(body)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_indicator_page_renders(ind_page, lang):
    for ind in load_registry():
        assert load_registry()[ind].definition_in(lang) in text_of(ind_page.layout(ind, lang=lang))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_chart_source_line_links_to_the_indicator_page(lang):
    from app.components import source_block

    t = translator(lang)
    block = source_block("World Bank.", t, ("internet_users",))
    suffix = "?lang=zh" if lang == "zh" else ""
    assert f"/indicator/internet_users{suffix}" in links_of(block)
    assert t("indicator.learn_more") in text_of(block)


@pytest.mark.parametrize("tab", ["chart", "table", "map", "ranking"])
def test_every_explore_tab_puts_the_link_under_its_chart(ind_page, tab):
    from app.pages import explore

    body = explore.layout(indicator="coverage_4g", tab=tab, lang="zh")
    assert "/indicator/coverage_4g?lang=zh" in links_of(body)


def test_registry_requires_a_definition_in_both_languages():
    base = {"id": "x", "title": {"en": "X", "zh": "X"}, "unit": "percent",
            "sources": [{"source": "worldbank", "code": "A", "licence": "L"}]}  # fmt: skip
    with pytest.raises(RegistryError, match="definition.en"):
        parse_registry({"indicators": [base]})
    with pytest.raises(RegistryError, match="definition.zh"):
        parse_registry({"indicators": [{**base, "definition": {"en": "A share."}}]})
    ok = parse_registry({"indicators": [{**base, "definition": {"en": "A share.", "zh": "比例。"}}]})
    assert ok["x"].definition_in("zh") == "比例。"
    assert ok["x"].axis_label_in("zh") == "percent"  # no axis_label: the unit label


def test_registry_axis_label_needs_both_languages():
    base = {"id": "x", "title": {"en": "X", "zh": "X"}, "unit": "percent", "definition": {"en": "A", "zh": "A"},
            "unit_label": {"en": "% of population — a long label", "zh": "占人口百分比"},
            "sources": [{"source": "worldbank", "code": "A", "licence": "L"}]}  # fmt: skip
    with pytest.raises(RegistryError, match="axis_label"):
        parse_registry({"indicators": [{**base, "axis_label": {"en": "%"}}]})
    ok = parse_registry({"indicators": [{**base, "axis_label": {"en": "%", "zh": "百分比"}}]})["x"]
    assert (ok.axis_label_in("en"), ok.axis_label_in("zh")) == ("%", "百分比")
    assert all(ind.definition["en"] and ind.definition["zh"] for ind in load_registry().values())


def test_the_country_profile_links_both_its_charts(ind_page):
    from app.pages import country
    from app.state import CountryView

    hrefs = links_of(country.render(CountryView(indicator="households_internet"), "NPL", translator("en")))
    assert "/indicator/households_internet" in hrefs and "/indicator/internet_users" in hrefs
