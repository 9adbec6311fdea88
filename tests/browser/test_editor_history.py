"""History on the page: each revision's changes from the diff route, and restore."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import (
    api,
    clip,
    generated_lecture,
    lecture,
    open_lecture,
    revisions,
    save_status,
)


def test_history_shows_a_revision_s_changes_and_restores_an_older_one(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        generated = lecture(client, lecture_id)
        open_lecture(page, browser_server, lecture_id)
        page.get_by_role("button", name="Visual clip Segment 2").click()
        page.get_by_label("Start (s)").fill("20")
        expect(save_status(page)).to_have_attribute("data-status", "saved")
        edited = generated["revision"] + 1

        page.get_by_role("button", name="Show history").click()
        entries = page.get_by_role("list", name="Revisions").get_by_role("listitem")
        expect(entries).to_have_count(edited + 1)
        expect(entries.first).to_contain_text(f"Revision {edited}")
        expect(entries.first).to_contain_text(f"app · {browser_server.user_id} · timeline")
        page.get_by_role("button", name=f"Show changes of revision {edited}").click()
        changes = page.get_by_label(f"Changes of revision {edited}", exact=True)
        expect(changes).to_have_text("timeline: replace /tracks/visual/1/startTime → 20")
        screenshot(page, "history-diff")

        page.get_by_role("button", name=f"Restore revision {generated['revision']}").click()
        expect(page.get_by_role("status", name="History status")).to_have_text(
            f"Restored revision {generated['revision']} as revision {edited + 1}."
        )
        expect(page.get_by_label("Start (s)")).to_have_value("16.4")
        expect(entries).to_have_count(edited + 2)
        expect(entries.first).to_contain_text(f"restored {generated['revision']}")
        screenshot(page, "restored")

        newest = revisions(client, lecture_id)[0]
        assert (newest["revision"], newest["restoredFrom"]) == (edited + 1, generated["revision"])
        content = lecture(client, lecture_id)
        assert clip(content, "visual-1-0")["startTime"] == 16.4
        assert content["timeline"] == generated["timeline"]
