"""The project list a page at a time (newest first, then "Show older projects"), and a creation
refused by a quota explained on the page with when to try again."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import api, sign_in

PROJECTS = 21  # the page shows 20 at a time


@pytest.fixture
def browser_server_env() -> dict[str, str]:
    return {"TUTOPANDA_MAX_PROJECTS_PER_HOUR": str(PROJECTS)}


def test_older_projects_are_a_click_away_and_a_quota_says_when_to_retry(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        for number in range(1, PROJECTS + 1):
            created = client.post("/projects", json={"prompt": "x", "name": f"Topic {number}"})
            run = created.raise_for_status().json()["runId"]
            client.post(f"/workflow-runs/{run}/cancel").raise_for_status()  # no worker time
    sign_in(page, browser_server)
    names = page.get_by_role("list", name="Projects").get_by_role("heading")
    expect(names).to_have_count(20)
    expect(names.first).to_have_text(f"Topic {PROJECTS}")  # newest first
    older = page.get_by_role("button", name="Show older projects")
    older.click()
    expect(names).to_have_count(PROJECTS)
    expect(names.last).to_have_text("Topic 1")
    expect(older).to_be_hidden()

    page.get_by_label("Prompt").fill("One more")
    page.get_by_role("button", name="Create lecture").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text(f"Not now: {PROJECTS} projects in an hour")
    expect(refusal).to_contain_text("Try again in 60 min.")
    expect(page.get_by_role("button", name="Create lecture")).to_be_enabled()
    screenshot(page, "quota")
