"""The download links on the pages produce files (Playwright download events), follow the view, and are keyboard
reachable with visible labels."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from tests.browser.conftest import open_page

pytestmark = [pytest.mark.browser, pytest.mark.snapshot]
EXPLORE = "/explore?indicator=internet_users&group=LDC,SIDS&from=2005&to=2024"


def _download(page, selector: str):
    with page.expect_download(timeout=60_000) as info:
        page.locator(selector).first.click()
    return info.value


def test_explore_csv_and_png_links_download_files(page, live_server, tmp_path):
    open_page(page, live_server.url, EXPLORE)
    links = page.locator(".downloads a.download-link")
    links.first.wait_for(timeout=60_000)
    assert links.count() == 6
    assert [links.nth(i).inner_text() for i in range(6)] == [
        "PNG image",
        "SVG image",
        "PDF",
        "CSV data",
        "Excel (XLSX)",
        "ZIP (CSV + README)",
    ]

    csv = _download(page, "a.download-csv")
    assert csv.suggested_filename == "internet-users_LDC-SIDS_2005-2024.csv"
    path = tmp_path / csv.suggested_filename
    csv.save_as(path)
    rows = pd.read_csv(path)  # a plain CSV: pandas' defaults read it
    assert list(rows.columns[:3]) == ["series", "code", "kind"] and set(rows["code"]) == {"LDC", "SIDS"}

    xlsx = _download(page, "a.download-xlsx")
    assert xlsx.suggested_filename == "internet-users_LDC-SIDS_2005-2024.xlsx"
    xlsx.save_as(tmp_path / xlsx.suggested_filename)
    wb = openpyxl.load_workbook(tmp_path / xlsx.suggested_filename)
    assert wb.sheetnames == ["data", "about"] and wb["data"].max_row == len(rows) + 1

    png = _download(page, "a.download-png")
    assert png.suggested_filename == "internet-users_LDC-SIDS_2005-2024.png"
    png.save_as(tmp_path / "chart.png")
    assert (tmp_path / "chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_links_follow_the_view_when_a_control_changes(page, live_server):
    open_page(page, live_server.url, EXPLORE)
    page.get_by_role("tab", name="Map").click()
    link = page.locator("a.download-png")
    link.wait_for(timeout=60_000)
    page.wait_for_function(
        "() => (document.querySelector('a.download-png') || {}).href?.includes('/download/map.png?')", timeout=60_000
    )
    assert "tab=map" in link.get_attribute("href")
    assert "group=LDC,SIDS" in link.get_attribute("href")


def test_download_link_works_from_the_keyboard(page, live_server, tmp_path):
    open_page(page, live_server.url, "/gender?group=WLD,LDC")
    link = page.locator("a.download-csv").first
    link.wait_for(timeout=60_000)
    link.focus()
    assert page.evaluate("() => document.activeElement.classList.contains('download-csv')")
    with page.expect_download(timeout=60_000) as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename == "gender-parity_WLD-LDC_2005-2025.csv"


def test_overview_offers_the_briefing_pack_for_the_chosen_group(page, live_server):
    page.goto(live_server.url + "/?group=SIDS")  # no networkidle wait: the first overview takes a while
    link = page.locator("#briefing-link")
    link.wait_for(timeout=90_000)  # the overview's scorecard is computed on first use
    assert "Small island developing States" in link.inner_text()
    assert link.get_attribute("href") == "/download/briefing.pdf?group=SIDS&lang=en"


@pytest.mark.parametrize(
    ("lang", "link", "heading", "vintage"),
    [
        ("en", "Learn more about this indicator", "Sources and vintages", "Apr 24, 2026"),
        ("zh", "进一步了解此指标", "来源与数据版本", "2026年4月24日"),
    ],
)
def test_the_source_line_leads_to_the_indicator_page(page, live_server, lang, link, heading, vintage):
    open_page(page, live_server.url, f"{EXPLORE}&lang={lang}")
    learn = page.get_by_role("link", name=link).first
    learn.wait_for(timeout=60_000)
    learn.click()
    page.wait_for_url(f"**/indicator/internet_users{'?lang=zh' if lang == 'zh' else ''}", timeout=60_000)
    page.get_by_role("heading", name=heading).wait_for(timeout=60_000)
    text = page.locator("#indicator-page").inner_text()
    assert vintage in text and "i99H" in text
