"""The download links on the pages produce files (Playwright download events), follow the view, and are keyboard
reachable with visible labels."""

from __future__ import annotations

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
    assert links.count() == 5
    assert [links.nth(i).inner_text() for i in range(5)] == [
        "PNG image",
        "SVG image",
        "PDF",
        "CSV data",
        "ZIP (CSV + README)",
    ]

    csv = _download(page, "a.download-csv")
    assert csv.suggested_filename == "internet-users_LDC-SIDS_2005-2024.csv"
    path = tmp_path / csv.suggested_filename
    csv.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert text.startswith("# Individuals using the Internet") and "LDC" in text

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
