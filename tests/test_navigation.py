"""The document title names the economy on a country profile, and the navigation keeps the groups chosen."""

from __future__ import annotations

import re

import pytest

from app.main import chosen_groups, doc_title, header, server


def _links(children) -> dict[str, str]:
    nav = next(c for c in children if getattr(c, "className", "") == "nav")
    return {str(link.className).split()[0] + ":" + link.href.split("?")[0]: link.href for link in nav.children}


@pytest.mark.parametrize(
    ("path", "lang", "title"),
    [
        ("/country/NPL", "en", "Nepal · Digital divide dashboard"),
        ("/country/npl", "zh", "尼泊尔 · 数字鸿沟仪表板"),
        ("/country/XXX", "en", "Countries · Digital divide dashboard"),
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
