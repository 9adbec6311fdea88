"""Another writer saves while the page has an edit waiting: merged when they touched another
clip (banner, both edits shown); a conflict banner when they touched the same value, resolved
by re-applying the page's edit or keeping it as the server's draft."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import (
    api,
    clip,
    generated_lecture,
    lecture,
    open_lecture,
    revisions,
    save_clip,
    save_status,
    shown_revision,
)

# The other writer must land while the page's edit waits for its save.
DEBOUNCE_MS = 1500


def test_a_save_to_another_clip_is_merged_and_announced(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        open_lecture(page, browser_server, lecture_id, debounce_ms=DEBOUNCE_MS)
        base = lecture(client, lecture_id)

        page.get_by_role("button", name="Visual clip Segment 2").click()
        page.get_by_label("Start (s)").fill("17.5")
        theirs = save_clip(browser_server, lecture_id, base, "visual-3-0", duration=14.0)
        assert theirs.merged_onto is None  # theirs went first, on the page's base

        banner = page.get_by_role("alert")
        expect(banner).to_contain_text(f"Updated by {browser_server.user_id}")
        expect(banner).to_contain_text("merged")
        expect(save_status(page)).to_have_attribute("data-status", "saved")
        screenshot(page, "merged-banner")

        content = lecture(client, lecture_id)
        assert clip(content, "visual-1-0")["startTime"] == 17.5  # the page's edit
        assert clip(content, "visual-3-0")["duration"] == 14.0  # theirs
        newest = revisions(client, lecture_id)[:2]
        assert [r["revision"] for r in newest] == [base["revision"] + 2, base["revision"] + 1]
        assert client.get(f"/lectures/{lecture_id}/drafts").json() == []  # resolved by the merge

        expect(page.get_by_label("Start (s)")).to_have_value("17.5")
        page.get_by_role("button", name="Visual clip Segment 4").click()
        expect(page.get_by_label("Duration (s)")).to_have_value("14")
        expect(shown_revision(page)).to_have_text(f"revision {content['revision']}")
        screenshot(page, "both-edits")

        # With nothing of its own to save, the page pulls another writer's revision at once.
        save_clip(browser_server, lecture_id, content, "visual-3-0", duration=13.0)
        expect(page.get_by_label("Duration (s)")).to_have_value("13")
        expect(page.get_by_role("alert")).to_contain_text("the page now shows their changes")
        expect(shown_revision(page)).to_have_text(f"revision {content['revision'] + 1}")
        assert lecture(client, lecture_id)["revision"] == content["revision"] + 1
        screenshot(page, "pulled")


def _conflict(page: Page, server: BrowserServer, lecture_id: int, base: dict[str, object]) -> None:
    """The page and another writer both move Segment 2: the page's save is refused."""
    page.get_by_role("button", name="Visual clip Segment 2").click()
    page.get_by_label("Start (s)").fill("18")
    save_clip(server, lecture_id, base, "visual-1-0", startTime=20.0)  # through the SDK
    expect(save_status(page)).to_have_attribute("data-status", "conflict")
    banner = page.get_by_role("alert")
    expect(banner).to_contain_text("Conflict")
    expect(banner).to_contain_text(re.compile(r"/timeline/tracks/visual/.*startTime"))
    expect(banner).to_contain_text("yours 18")
    expect(banner).to_contain_text("theirs 20")


def test_a_save_to_the_same_clip_conflicts_and_re_apply_saves_it(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        open_lecture(page, browser_server, lecture_id, debounce_ms=DEBOUNCE_MS)
        base = lecture(client, lecture_id)
        _conflict(page, browser_server, lecture_id, base)
        screenshot(page, "conflict-banner")
        assert len(client.get(f"/lectures/{lecture_id}/drafts").json()) == 1  # kept meanwhile

        page.get_by_role("button", name="Re-apply").click()
        expect(save_status(page)).to_have_attribute("data-status", "saved")
        expect(page.get_by_role("alert")).to_have_count(0)
        expect(page.get_by_role("list", name="Kept drafts")).to_be_hidden()
        screenshot(page, "re-applied")

        content = lecture(client, lecture_id)
        assert content["revision"] == base["revision"] + 2
        assert clip(content, "visual-1-0")["startTime"] == 18  # the page's edit, re-applied
        assert revisions(client, lecture_id)[0]["source"] == "app"
        expect(page.get_by_label("Start (s)")).to_have_value("18")
        assert client.get(f"/lectures/{lecture_id}/drafts").json() == []  # superseded


def test_keep_as_draft_shows_the_latest_and_names_the_kept_draft(
    browser_page: Page, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    page = browser_page
    with api(browser_server) as client:
        lecture_id = generated_lecture(client)
        open_lecture(page, browser_server, lecture_id, debounce_ms=DEBOUNCE_MS)
        base = lecture(client, lecture_id)
        _conflict(page, browser_server, lecture_id, base)

        page.get_by_role("button", name="Keep as draft").click()
        (draft,) = client.get(f"/lectures/{lecture_id}/drafts").json()
        expect(page.get_by_role("alert")).to_contain_text(f"Kept as draft #{draft['id']}")
        expect(page.get_by_label("Start (s)")).to_have_value("20")  # theirs, now shown
        screenshot(page, "kept-as-draft")
        assert clip(draft["sections"], "visual-1-0")["startTime"] == 18
        assert clip(lecture(client, lecture_id), "visual-1-0")["startTime"] == 20

        kept = page.get_by_role("list", name="Kept drafts")
        expect(kept).to_contain_text(f"Draft #{draft['id']}")
        page.get_by_role("button", name=f"Apply draft #{draft['id']}").click()
        drafts_status = page.get_by_role("status", name="Drafts status")
        expect(drafts_status).to_contain_text("was not applied: changed since at /timeline/")
        page.get_by_role("button", name=f"Discard draft #{draft['id']}").click()
        expect(drafts_status).to_have_text(f"Draft #{draft['id']} discarded.")
        expect(kept.get_by_role("listitem")).to_have_count(0)
        assert client.get(f"/lectures/{lecture_id}/drafts").json() == []
