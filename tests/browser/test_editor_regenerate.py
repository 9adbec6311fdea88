"""Regenerate one image from the page: a proposal to review, rejected or accepted."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import (
    api,
    generated_lecture,
    lecture,
    open_lecture,
    shown_revision,
)


def test_regenerate_an_image_preview_reject_then_accept(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        before = lecture(client, lecture_id)
        original = before["images"][0]["prompt"]
        open_lecture(page, browser_server, lecture_id)
        page.get_by_role("button", name="Visual clip Segment 1").click()
        regeneration = page.get_by_role("status", name="Regeneration status")

        page.get_by_label("New image prompt").fill("A muddy track before the road")
        page.get_by_role("button", name="Regenerate image").click()
        expect(page.get_by_role("figure", name="Proposed image")).to_contain_text(
            "A muddy track before the road"
        )
        page.get_by_role("button", name="Reject").click()
        expect(regeneration).to_have_text("Rejected: the image is unchanged.")
        assert lecture(client, lecture_id)["revision"] == before["revision"]

        page.get_by_label("New image prompt").fill("A river delta at dawn")
        page.get_by_role("button", name="Regenerate image").click()
        expect(page.get_by_role("figure", name="Current image")).to_contain_text(original)
        expect(page.get_by_role("figure", name="Proposed image")).to_contain_text(
            "A river delta at dawn"
        )
        screenshot(page, "preview")
        page.get_by_role("button", name="Accept").click()
        accepted = before["revision"] + 1
        expect(page.get_by_role("figure", name="Image image")).to_contain_text(
            "A river delta at dawn"
        )  # the page pulled the accepted revision and drew the clip's panel again
        expect(regeneration).to_have_text(f"Accepted: the new image is revision {accepted}.")
        expect(page.get_by_role("figure", name="Proposed image")).to_have_count(0)
        expect(shown_revision(page)).to_have_text(f"revision {accepted}")
        screenshot(page, "accepted")

        after = lecture(client, lecture_id)
        assert after["revision"] == accepted
        assert after["images"][0]["prompt"] == "A river delta at dawn"
        assert after["images"][0]["id"] == before["images"][0]["id"]
        assert after["images"][1:] == before["images"][1:]
