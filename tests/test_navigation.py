"""The document title names the economy on a country profile, and the navigation keeps the groups chosen."""

from __future__ import annotations

import re

import pytest

from app.chrome import chosen_groups, doc_title, header
from app.wsgi import server


def _links(children) -> dict[str, str]:
    nav = next(c for c in children if getattr(c, "className", "") == "nav")
    return {str(link.className).split()[0] + ":" + link.href.split("?")[0]: link.href for link in nav.children}


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/country/NPL", "en", "Nepal · Digital divide dashboard"),
        ("/country/npl", "zh", "尼泊尔 · 数字鸿沟仪表板"),
        ("/country/XXX", "en", "Page not found · Digital divide dashboard"),  # and HTTP 404
        ("/explore", "en", "Explore · Digital divide dashboard"),
    ],
)
def test_document_title_names_the_economy(path, lang, title):
    assert doc_title(path, lang) == title
    query = "" if lang == "en" else f"?lang={lang}"
    body = server.test_client().get(path + query).get_data(as_text=True)
    assert re.search(r"<title>(.*?)</title>", body).group(1) == title


def test_navigation_carries_the_chosen_groups_to_explore_and_gender_only():
    links = _links(header("/explore", "zh", chosen_groups("?group=LDC,SIDS&lang=zh")))
    assert links["nav-link:/gender"] == "/gender?lang=zh&group=LDC,SIDS"
    assert links["nav-link:/explore"].endswith("&group=LDC,SIDS")
    assert links["nav-link:/about"] == "/about?lang=zh"


@pytest.mark.parametrize("search", ["?group=LDC,NOPE", "?group=LDC&group=SIDS", "?group=", "", "?group=%3Cscript%3E"])
def test_navigation_ignores_groups_it_does_not_know(search):
    assert chosen_groups(search) == ""
    assert _links(header("/explore", "en", chosen_groups(search)))["nav-link:/gender"] == "/gender"


def test_country_profile_compares_with_the_groups_chosen_and_draws_the_economy_strongest():
    from app import views
    from app.data import load_app_data
    from app.i18n import translator
    from app.state import CountryView

    data, t = load_app_data(), translator("en")
    model = views.country_trend(data, CountryView(groups=("HIC", "SSF")), "NPL", t)
    fig, series = model.figure, model.rows
    assert set(series.loc[series["kind"] != "focus", "code"]) == {"HIC", "SSF"}
    default = views.country_trend(data, CountryView(), "NPL", t).rows
    assert set(default["code"]) >= {"WLD", "LDC", "LLDC"}
    widths = {
        tr["meta"]["kind"]: tr["line"]["width"] for tr in fig["data"] if tr.get("meta", {}).get("kind") != "target"
    }
    assert widths["focus"] > max(w for k, w in widths.items() if k != "focus")
