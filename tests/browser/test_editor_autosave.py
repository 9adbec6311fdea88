"""The editor page's auto-save: one save after the debounce, however many keystrokes."""

from __future__ import annotations

from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import (
    TEST_DEBOUNCE_MS,
    api,
    clip,
    generated_lecture,
    lecture,
    open_lecture,
    revisions,
    save_status,
    shown_revision,
)


def test_typing_a_clip_start_saves_once_after_the_debounce(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        before = revisions(client, lecture_id)
        open_lecture(page, browser_server, lecture_id)
        screenshot(page, "opened")

        page.get_by_role("button", name="Visual clip Segment 2").click()
        start = page.get_by_label("Start (s)")
        start.fill("")
        start.press_sequentially("17.25", delay=60)  # five edits inside one debounce window
        expect(save_status(page)).to_have_text("Idle: unsaved changes")
        assert revisions(client, lecture_id) == before  # nothing saved while typing
        screenshot(page, "unsaved")

        expect(save_status(page)).to_have_attribute("data-status", "saved")
        expect(save_status(page)).to_have_text("All changes saved")
        page.wait_for_timeout(TEST_DEBOUNCE_MS * 2)  # a second save would have started by now
        after = revisions(client, lecture_id)
        screenshot(page, "saved")

        new = after[: len(after) - len(before)]
        assert [(r["source"], r["changedSections"]) for r in new] == [("app", ["timeline"])]
        content = lecture(client, lecture_id)
        assert clip(content, "visual-1-0")["startTime"] == 17.25
        expect(shown_revision(page)).to_have_text(f"revision {content['revision']}")


def test_a_failed_save_shows_the_error_and_retry_saves_the_script_edit(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        revision = lecture(client, lecture_id)["revision"]
        open_lecture(page, browser_server, lecture_id)
        unavailable = {
            "status": 503,
            "content_type": "application/problem+json",
            "body": '{"status":503,"code":"database_unavailable","detail":"retry shortly"}',
        }
        page.route(
            "**/lectures/*",
            lambda route: (
                route.fulfill(**unavailable)
                if route.request.method == "PATCH"
                else route.continue_()
            ),
        )
        page.get_by_label("Segment 2 narration").fill("Stones, sand and gravel, laid in layers.")
        expect(save_status(page)).to_have_attribute("data-status", "error")
        expect(save_status(page)).to_contain_text("retry shortly")
        screenshot(page, "save-failed")
        assert lecture(client, lecture_id)["revision"] == revision

        page.unroute("**/lectures/*")
        page.get_by_role("button", name="Retry save").click()
        expect(save_status(page)).to_have_attribute("data-status", "saved")
        screenshot(page, "script-saved")
        segments = lecture(client, lecture_id)["script"]["segments"]
        assert segments[1]["narration"] == "Stones, sand and gravel, laid in layers."
        assert revisions(client, lecture_id)[0]["changedSections"] == ["script"]
        expect(page.get_by_role("button", name="Retry save")).to_be_hidden()


def test_a_save_whose_answer_was_lost_is_sent_again_with_its_key(
    browser_page: Page, browser_server: BrowserServer
) -> None:
    """The save reached the server but its answer never came back: the page sends the same
    request with the same Idempotency-Key and gets the first answer — one revision, no conflict
    with its own save, no draft."""
    page = browser_page
    keys: list[str] = []

    def lose_the_answer(route: Route) -> None:
        if route.request.method != "PATCH":
            route.continue_()
            return
        keys.append(route.request.headers["idempotency-key"])
        route.fetch()  # the server saves...
        route.abort("connectionreset")  # ...and the answer is lost on the way back

    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        revision = lecture(client, lecture_id)["revision"]
        open_lecture(page, browser_server, lecture_id)
        page.route("**/lectures/*", lose_the_answer)
        page.get_by_label("Segment 2 narration").fill("Saved once, answered twice.")
        expect(save_status(page)).to_have_attribute("data-status", "error")
        assert lecture(client, lecture_id)["revision"] == revision + 1  # it did go through

        page.unroute("**/lectures/*")
        with page.expect_request(lambda r: r.method == "PATCH") as resent:
            page.get_by_role("button", name="Retry save").click()
        expect(save_status(page)).to_have_attribute("data-status", "saved")
        assert resent.value.headers["idempotency-key"] == keys[0]
        assert lecture(client, lecture_id)["revision"] == revision + 1
        assert client.get(f"/lectures/{lecture_id}/drafts").json() == []
