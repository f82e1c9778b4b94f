"""Catalogues, locale formatting and translated names (no browser; see tests/browser/test_i18n_a11y.py for pages)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

from app import i18n
from app.i18n import catalogue, format_date, format_number, html_lang, languages, translator
from indicators import PROJECT_DIR
from indicators.snapshot import current_dir

LOCALES = Path(i18n.LOCALES_DIR)
PLACEHOLDER = re.compile(r"\{(\w*)\}")
#: text whose English lives in the data files: other catalogues translate it under ``data.*``
DATA_PREFIX = "data."


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


def other_languages() -> list[str]:
    return [lang for lang in languages() if lang != "en"]


def test_english_and_chinese_are_shipped():
    assert languages()[:1] == ("en",)
    assert "zh" in languages()


@pytest.mark.parametrize("lang", other_languages())
def test_catalogue_has_every_key_of_english(lang):
    missing = sorted(set(catalogue("en")) - set(catalogue(lang)))
    assert not missing, f"{lang}.yml misses {len(missing)} key(s): {missing}"


@pytest.mark.parametrize("lang", other_languages())
def test_catalogue_has_no_key_english_lacks(lang):
    extra = sorted(k for k in set(catalogue(lang)) - set(catalogue("en")) if not k.startswith(DATA_PREFIX))
    assert not extra, f"{lang}.yml has keys en.yml does not (typos?): {extra}"


@pytest.mark.parametrize("lang", other_languages())
def test_catalogue_keeps_the_placeholders(lang):
    en, other = catalogue("en"), catalogue(lang)
    wrong = {k: (sorted(placeholders(en[k])), sorted(placeholders(other[k]))) for k in en if k in other}
    wrong = {k: v for k, v in wrong.items() if v[0] != v[1]}
    assert not wrong, f"{lang}.yml placeholders differ from en.yml (en, {lang}): {wrong}"


@pytest.mark.parametrize("lang", other_languages())
def test_catalogue_is_not_english_copied(lang):
    en, other = catalogue("en"), catalogue(lang)
    same = [k for k in en if other.get(k) == en[k] and re.search(r"[a-z]{4,}", PLACEHOLDER.sub("", en[k]))]
    assert not same, f"{lang}.yml keeps the English text for {same}"


def test_a_missing_key_is_reported(tmp_path, monkeypatch):
    (tmp_path / "en.yml").write_text("a:\n  b: 'B {x}'\n  c: 'C'\n", encoding="utf-8")
    (tmp_path / "xx.yml").write_text("a:\n  b: 'bb {x}'\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    assert set(catalogue("en")) - set(catalogue("xx")) == {"a.c"}
    assert translator("xx")("a.c") == "C"  # falls back to English on screen, while the test above fails the build


# ---- the data text other catalogues translate ----------------------------------------------------------------


def _provenance_sources() -> dict:
    import json

    with open(current_dir(PROJECT_DIR / "data") / "provenance.json", encoding="utf-8") as fh:
        return json.load(fh)["sources"]


def _data_keys() -> set[str]:
    """Every ``data.*`` key a non-English catalogue must carry: group definitions, sources, corrections."""
    with open(PROJECT_DIR / "indicators" / "groups.yml", encoding="utf-8") as fh:
        groups = list((yaml.safe_load(fh).get("groups") or {}).keys())
    with open(PROJECT_DIR / "indicators" / "corrections.yml", encoding="utf-8") as fh:
        corrections = yaml.safe_load(fh)["corrections"]
    keys = {f"data.group_definition.{g}" for g in groups}
    keys |= {f"data.source.{s}.{f}" for s in _provenance_sources() for f in ("publisher", "title", "licence")}
    keys |= {f"data.correction.{c['source_code']}_{c['iso3']}_{c['year']}" for c in corrections}
    keys |= {"data.reference.title", "data.reference.publisher"}
    return keys


@pytest.mark.parametrize("lang", other_languages())
def test_catalogue_translates_the_data_text(lang):
    missing = sorted(_data_keys() - set(catalogue(lang)))
    assert not missing, f"{lang}.yml misses translations of data text: {missing}"


# ---- a third language is one file ----------------------------------------------------------------------------


def test_a_third_language_is_picked_up_from_one_file(tmp_path, monkeypatch):
    for lang in ("en", "zh"):
        (tmp_path / f"{lang}.yml").write_text((LOCALES / f"{lang}.yml").read_text(encoding="utf-8"), encoding="utf-8")
    french = yaml.safe_load((LOCALES / "en.yml").read_text(encoding="utf-8"))
    french["nav"]["overview"] = "Vue d'ensemble"
    french["explore"]["subtitle"] = "{groups} · {sex} · de {start} à {end}"
    (tmp_path / "fr.yml").write_text(yaml.safe_dump(french, allow_unicode=True), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)

    assert languages() == ("en", "fr", "zh")
    t = translator("fr")
    assert t.lang == "fr"
    assert t("nav.overview") == "Vue d'ensemble"
    assert t("explore.subtitle", groups="PMA", sex="Total", start=2005, end=2024) == "PMA · Total · de 2005 à 2024"
    assert i18n.normalise("fr") == "fr" and i18n.lang_query("fr") == "?lang=fr"
    assert i18n.language_name("fr") == "Français"
    assert html_lang("fr") == "fr"
    assert format_number(1234.5, "fr") == "1\u202f234,5"
    # the URL accepts it with no other change: every view's lang is validated against the catalogues
    from app.context import url_context
    from app.state import ExploreView, parse

    view, notices = parse(ExploreView, {"lang": "fr"}, url_context())
    assert view.lang == "fr" and notices == []
    view, notices = parse(ExploreView, {"lang": "xx"}, url_context())
    assert view.lang == "en" and [n.problem for n in notices] == ["invalid_value"]


def test_unknown_language_falls_back_to_english():
    assert i18n.normalise("tlh") == "en"
    assert translator("tlh")("nav.overview") == catalogue("en")["nav.overview"]
    assert i18n.lang_of("?lang=zh&tab=map") == "zh"
    assert i18n.lang_of("?lang=../../etc") == "en"
    assert i18n.lang_query("en") == ""


# ---- numbers, dates and the html lang tag --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "lang", "digits", "expected"),
    [
        (1234.56, "en", 1, "1,234.6"),
        (1234.56, "zh", 1, "1,234.6"),
        (0.5, "en", 0, "0"),
        (35.0, "zh", 0, "35"),
        (12_345_678, "en", 1, "12.3M"),
        (12_345_678, "zh", 1, "1234.6万"),
        (1_234_567_890, "en", 1, "1.23B"),
        (1_234_567_890, "zh", 1, "12.35亿"),
        (None, "en", 1, "–"),
        (float("nan"), "zh", 1, "–"),
    ],
)
def test_format_number(value, lang, digits, expected):
    assert format_number(value, lang, digits) == expected


@pytest.mark.parametrize(
    ("value", "lang", "length", "expected"),
    [
        (dt.date(2025, 3, 7), "en", "long", "March 7, 2025"),
        (dt.date(2025, 3, 7), "zh", "long", "2025年3月7日"),
        ("2024-11-29", "en", "medium", "Nov 29, 2024"),
        ("2024-11-29T10:15:00+00:00", "zh", "medium", "2024年11月29日"),
        (dt.datetime(2019, 12, 1, 8, 0), "zh", "long", "2019年12月1日"),
        ("Dec 2019", "zh", "long", "Dec 2019"),  # not a date: shown as given
        ("", "en", "long", "–"),
    ],
)
def test_format_date(value, lang, length, expected):
    assert format_date(value, lang, length) == expected


def test_html_lang_names_the_script_for_chinese():
    assert html_lang("zh") == "zh-Hans"
    assert html_lang("en") == "en"


def test_language_names_are_in_their_own_language():
    assert i18n.language_name("en") == "English"
    assert i18n.language_name("zh") == "中文"


# ---- country names -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def countries() -> pd.DataFrame:
    return pd.read_csv(current_dir(PROJECT_DIR / "data") / "countries.csv", keep_default_na=False).set_index("iso3")


@pytest.mark.parametrize(
    ("iso3", "name_zh"),
    [("CHN", "中国"), ("FRA", "法国"), ("KEN", "肯尼亚"), ("NPL", "尼泊尔"), ("BRA", "巴西"), ("FJI", "斐济")],
)
def test_snapshot_carries_chinese_country_names(countries, iso3, name_zh):
    assert countries.at[iso3, "name_zh"] == name_zh


def test_app_country_name_follows_the_language():
    from app.context import get_data

    data = get_data()
    assert data.country_name("CHN", "zh") == "中国"
    assert data.country_name("FRA", "zh") == "法国"
    assert data.country_name("FRA", "en") == "France"
    assert data.country_name("FRA", "tlh") == "France"  # no such column: English
    assert data.country_name("ZZZ", "zh") == "ZZZ"  # unknown code: the code


def test_almost_every_economy_with_data_has_a_chinese_name():
    from app.context import get_data

    data = get_data()
    untranslated = [c for c in data.country_codes if data.country_name(c, "zh") == data.country_name(c, "en")]
    # the UN taxonomy has no Chinese name for Kosovo (XKX) nor Taiwan (TWN): both show their code
    assert set(untranslated) <= {"XKX", "TWN"}, untranslated


def test_names_module_reads_the_bundled_taxonomy():
    pytest.importorskip("hdx.location.country", reason="hdx-python-country not installed")
    from indicators.names import un_name, un_names

    assert un_name("CHN", "zh") == "中国"
    assert un_name("fra", "zh") == "法国"
    assert un_name("FRA", "es") == "Francia"
    assert un_name("XKX", "zh") is None
    frame = un_names(["KEN", "XKX"], ["zh", "fr"])
    assert list(frame.columns) == ["name_zh", "name_fr"]
    assert frame.at["KEN", "name_zh"] == "肯尼亚"
    assert pd.isna(frame.at["XKX", "name_zh"])


# ---- verdict reasons -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", languages())
def test_every_reason_code_has_a_template_in_every_catalogue(lang):
    from indicators.progress import REASON_CODES

    cat = catalogue(lang)
    missing = [code for code in REASON_CODES if f"reason.{code}" not in cat]
    assert not missing, f"{lang}.yml lacks reason templates for {missing}"
    for verdict in ("met", "met late", "missed", "on track", "off track", "insufficient data"):
        assert f"verdict.{verdict}" in cat


@pytest.mark.slow  # a whole-data audit: every verdict of three groups
def test_every_verdict_reason_of_the_snapshot_is_translated():
    from app.context import get_data
    from app.reasons import render_reasons

    data = get_data()
    t = translator("zh")
    for group in (None, "LDC", "SIDS"):
        table = data.progress(group=group)
        for reasons in table["reasons"]:
            text = render_reasons(
                reasons,
                t,
                lambda g: "世界" if g == "WLD" else g,
                lambda i: data.registry[i].title_in("zh"),
                lambda c: data.country_name(c, "zh"),
            )
            assert not re.search(r"[a-z]{3,}", text), f"{reasons!r} → {text!r}"


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        (
            (("met_late", {"value_at": 58.61, "deadline": 2020, "met": 2021, "value_met": 62.17}),),
            "2020年为58.6，未达到；于2021年首次达到（62.2）",
        ),
        (
            (
                ("anticipated", {"first": 2017, "last": 2024, "value": 82.04, "year": 2030, "ratio": 72}),
                ("group_switch", {"old": "DEVELOPING", "new": "LMY"}),
            ),
            "预期进展：2017–2024年的时间加权趋势推算2030年为82.0，达到所需进展的72%；2021年及以前为DEVELOPING，2022年起为LMY",
        ),
        (
            (("withheld", {"year": 2020, "value": 58.76, "n": 123, "members": 182, "coverage": 69.96}),),
            "2020年本项目汇总值本应为58.8，但按规则不予公布：182个成员中有123个报告，占人口的69.96%",
        ),
        (
            (("break", {"economy": "CHN", "year": 2023, "kind": "definition", "alternative": "off track"}),),
            "取决于中国2023年的定义变更：若中国沿用原定义，结论将为进度落后",
        ),
        (
            (("no_coverage", {"rule": 70, "entity": "WLD", "population": "parity", "best": 27, "year": 2018}),),
            "没有任何一年报告数据的成员国达到世界女性/男性人口的70%（最高为27%，2018年）",
        ),
        (
            (("no_member", {"entity": "LDC", "indicator": "coverage_5g", "sexes": "total"}),),
            "LDC没有任何成员国报告5G（合计）",
        ),
        (
            (
                (
                    "witness_decides",
                    {
                        "witness": {"source": "itu_key_ict", "edition": "2024-11"},
                        "verdict": "missed",
                        "value": 0.7017,
                        "year": 2020,
                    },
                ),
                (
                    "witness_says",
                    {
                        "witness": {"source": "un_resolution", "edition": "A/RES/80/173 ¶22"},
                        "verdict": "met",
                        "value": 0.99,
                        "year": 2025,
                    },
                ),
            ),
            "本项目汇总值无法判断；由国际电联估计，2024年11月判定：未达到（2020年为0.70）；"
            "A/RES/80/173 ¶22引用的国际电联数据：已达到（2025年为0.99）",
        ),
    ],
)
def test_reason_templates(reasons, expected):
    from app.reasons import render_reasons

    t = translator("zh")
    text = render_reasons(
        reasons,
        t,
        lambda g: "世界" if g == "WLD" else g,
        lambda i: "5G" if i == "coverage_5g" else i,
        lambda c: "中国" if c == "CHN" else c,
    )
    assert text == expected
