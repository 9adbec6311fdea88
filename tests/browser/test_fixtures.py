"""The browser fixtures themselves: a page on the real server, and nothing beyond it."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page

from tests.browser.conftest import BrowserServer, BrowserWatch, Screenshot


def test_the_page_reaches_the_real_server(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    response = browser_page.goto("/health")
    assert response is not None
    assert response.status == 200
    assert browser_page.url == f"{browser_server.base_url}/health"
    assert '"status"' in browser_page.content()
    path = screenshot(browser_page, "health")
    assert path.name == "test_the_page_reaches_the_real_server-health.png"
    assert path.read_bytes().startswith(b"\x89PNG")


def test_the_token_is_accepted_by_the_server(browser_server: BrowserServer) -> None:
    with httpx.Client(base_url=browser_server.base_url, timeout=10) as http:
        assert http.get("/projects").status_code == 401
        assert http.get("/projects", headers=browser_server.auth_headers).status_code == 200


def test_requests_beyond_the_server_are_aborted_and_recorded(
    browser_page: Page, browser_server: BrowserServer, browser_watch: BrowserWatch
) -> None:
    # A page of the server's origin without the server's Content-Security-Policy (which would
    # stop these requests before the fixture sees them, api/security_headers.py).
    blank = f"{browser_server.base_url}/a-page-without-a-policy"
    browser_page.route(blank, lambda route: route.fulfill(body="<p>", content_type="text/html"))
    browser_page.goto(blank)
    outcome = browser_page.evaluate(
        """async () => {
            const tries = ["https://example.com/x.js", "http://127.0.0.2:9/y"];
            const results = [];
            for (const url of tries) {
                try { await fetch(url, {mode: "no-cors"}); results.push("reached"); }
                catch (error) { results.push("blocked"); }
            }
            return results;
        }"""
    )
    assert outcome == ["blocked", "blocked"]
    assert browser_watch.outside == ["https://example.com/x.js", "http://127.0.0.2:9/y"]
    browser_watch.outside.clear()  # expected here: the fixture would fail the test otherwise
