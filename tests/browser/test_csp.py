"""Every page works under the Content-Security-Policy of app/security.py: the policy arrives with the page, the
charts draw, and the browser reports no violation (``securitypolicyviolation`` events) and no console error (the
``page`` fixture fails the test on any)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import wait_for_figure

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + (e.sample || ""));
});
"""

PAGES = [
    ("/", None),
    ("/explore?indicator=internet_users&group=LDC,SIDS&from=2000&to=2024", "explore-graph"),
    ("/explore?indicator=internet_users&group=LDC,SIDS&tab=map", "explore-graph"),
    ("/explore?tab=ranking", "explore-graph"),
    ("/explore?tab=table", None),
    ("/gender", "gender-parity-graph"),
    ("/country/NPL", "country-graph"),
    ("/about?lang=zh", None),
]


@pytest.mark.parametrize(("path", "graph"), PAGES, ids=[p for p, _ in PAGES])
def test_page_works_under_the_csp(page, live_server, path, graph):
    page.add_init_script(RECORD_VIOLATIONS)
    resp = page.goto(live_server.url + path)
    policy = resp.headers.get("content-security-policy", "")
    assert "script-src 'self' 'sha256-" in policy
    assert "unsafe-eval" not in policy
    page.wait_for_load_state("networkidle")
    if graph:
        wait_for_figure(page, graph)
    page.locator("h1").first.wait_for()
    assert page.evaluate("window.__cspViolations") == []
