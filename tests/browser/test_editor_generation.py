"""Create a lecture from a prompt on the page: the progress bar follows the run step by step to
100 %, and the page shows the generated lecture without a reload."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import api, lecture, readme_screenshot, shown_revision, sign_in


def test_a_prompt_becomes_a_lecture_with_its_progress_shown(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    page.goto("/editor/")
    page.get_by_label("Development token").fill(browser_server.token_for("someone") + "x")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("This token was refused")
    sign_in(page, browser_server)
    expect(page.get_by_text("No projects yet")).to_be_visible()
    kept = page.evaluate("[sessionStorage.getItem('tutopanda.token'), localStorage.length]")
    assert kept == [browser_server.token, 0]  # this tab only
    screenshot(page, "projects-empty")

    page.get_by_label("Prompt").fill("How Roman roads were built")
    page.get_by_role("button", name="Create lecture").click()
    expect(page).to_have_url(re.compile(r"#/lectures/\d+\?run="))
    lecture_id = int(re.findall(r"#/lectures/(\d+)", page.url)[0])

    bar = page.get_by_role("progressbar", name="Generation progress")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    steps = page.get_by_role("list", name="Generation steps")
    for number in range(1, 7):  # every step was shown on the way
        expect(steps).to_contain_text(f"Step {number} of 6")
    expect(steps.get_by_role("listitem").last).to_have_text("Generation finished")
    screenshot(page, "generated")

    with api(browser_server) as client:
        content = lecture(client, lecture_id)
    assert content["revision"] == 6
    expect(page.get_by_label("Title")).to_have_value(content["title"])
    for clip in content["timeline"]["tracks"]["visual"]:
        expect(page.get_by_role("button", name=f"Visual clip {clip['name']}")).to_be_visible()
    expect(page.get_by_role("button", name="Audio clip Background Score")).to_have_count(0)
    expect(page.get_by_role("button", name="Music clip Background Score")).to_be_visible()
    expect(page.get_by_label("Segment 1 narration")).to_have_value(
        content["script"]["segments"][0]["narration"]
    )
    expect(shown_revision(page)).to_have_text(f"revision {content['revision']}")

    page.get_by_role("link", name="Projects").click()
    expect(page.get_by_role("link", name=content["title"])).to_be_visible()
    screenshot(page, "projects")
    page.get_by_role("link", name=content["title"]).click()
    page.get_by_role("button", name="Visual clip Segment 2").click()
    page.get_by_role("button", name="Show history").click()
    expect(page.get_by_role("list", name="Revisions").get_by_role("listitem")).to_have_count(7)
    page.get_by_label("Start (s)").fill("17")
    expect(page.get_by_role("status", name="Save status")).to_have_text("All changes saved")
    expect(page.get_by_role("list", name="Revisions").get_by_role("listitem")).to_have_count(8)
    readme_screenshot(page)

    page.reload()  # still signed in: the token is in this tab's sessionStorage
    expect(page.get_by_role("button", name="Visual clip Segment 2")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("Development token")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('tutopanda.token')") is None
