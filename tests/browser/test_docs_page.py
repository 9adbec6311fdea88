"""/schema in Chromium: the API reference renders the routes from this service alone."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer, BrowserWatch, Screenshot


def test_the_api_reference_renders_the_routes_with_no_outside_request(
    browser_page: Page,
    browser_server: BrowserServer,
    browser_watch: BrowserWatch,
    screenshot: Screenshot,
) -> None:
    requested: list[str] = []
    browser_page.on("request", lambda request: requested.append(request.url))
    response = browser_page.goto("/schema")
    assert response is not None
    assert response.status == 200
    expect(browser_page.get_by_role("heading", name="Tutopanda lecture store")).to_be_visible()
    browser_page.get_by_role("link", name="lectures", exact=True).first.click()
    expect(browser_page.get_by_text("/lectures/{lecture_id}", exact=True).first).to_be_visible()
    expect(browser_page.get_by_text("Save a draft (auto-save)").first).to_be_visible()
    screenshot(browser_page, "lectures", full_page=False)
    assert browser_watch.outside == []
    assert any("/schema/assets/" in url and url.endswith(".js") for url in requested)
    assert f"{browser_server.base_url}/schema/openapi.json" in requested
    assert [url for url in requested if not url.startswith(browser_server.base_url)] == []
