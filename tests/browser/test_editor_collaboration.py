"""Three people on one lecture in three Chromium browsers: Alice (the owner) shares the project
from the page's People panel with Bob (editor) and Carol (viewer). Each sees the others; the
clip and the script segment someone is on carry their initials, and Alice is warned before she
edits the clip Bob is on. Alice and Bob edit at the same time (a clip's timing, a segment's
narration): both saves land with no conflict and no draft, and every page, Carol's included,
shows both. Carol's page edits nothing. Bob, removed by Alice, is told so and his page stops."""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Locator, Page, expect

from tests.browser.conftest import BrowserServer, Screenshot
from tests.browser.editor_support import (
    api,
    clip,
    generated_lecture,
    lecture,
    open_as,
    save_status,
)

BOB, CAROL = "bob-b", "carol-c"
CLIP = "Visual clip Segment 2"  # visual-1-0


def others(page: Page) -> Locator:
    return page.get_by_role("list", name="Also on this lecture").get_by_role("listitem")


def share(page: Page, user_id: str, role: str) -> None:
    """Alice's People panel: share the project with `user_id` as `role`."""
    page.get_by_label("Share with").fill(user_id)
    page.get_by_label("Role to give").select_option(role)
    page.get_by_role("button", name="Share", exact=True).click()
    expect(page.get_by_role("status", name="Sharing status")).to_have_text(
        f"Shared with {user_id} as {role}."
    )


def test_two_editors_and_a_viewer_see_each_other_and_edit_without_conflicts(
    chromium_browser: Browser, browser_server: BrowserServer, screenshot: Screenshot
) -> None:
    server = browser_server
    with api(server) as client:
        lecture_id = generated_lecture(client)
        alice = open_as(
            chromium_browser, server, server.token_for(server.user_id, "Alice Adams"), lecture_id
        )
        pages = [alice]
        try:
            members = alice.get_by_role("list", name="Members")
            expect(members.get_by_role("listitem")).to_have_count(1)  # herself, the owner
            share(alice, BOB, "editor")
            share(alice, CAROL, "viewer")
            expect(members.get_by_role("listitem")).to_have_count(3)
            roles = {
                m["userId"]: m["role"]
                for m in client.get(
                    f"/projects/{lecture(client, lecture_id)['projectId']}/members"
                ).json()
            }
            assert roles == {server.user_id: "owner", BOB: "editor", CAROL: "viewer"}

            bob = open_as(chromium_browser, server, server.token_for(BOB, "Bob Baker"), lecture_id)
            pages.append(bob)
            carol = open_as(
                chromium_browser, server, server.token_for(CAROL, "Carol Clark"), lecture_id
            )
            pages.append(carol)
            expect(others(alice)).to_have_text(["BB", "CC"])
            expect(others(bob)).to_have_text(["AA", "CC"])
            expect(others(carol)).to_have_text(["AA", "BB"])

            # Carol reads and edits nothing; Bob may edit but not share.
            expect(carol.get_by_text("View only")).to_be_visible()
            expect(carol.get_by_label("Segment 1 narration")).not_to_be_editable()
            expect(carol.get_by_label("Title", exact=True)).to_be_disabled()
            carol.get_by_role("button", name="Visual clip Segment 1").click()
            expect(carol.get_by_label("Start (s)")).to_be_disabled()
            expect(carol.get_by_role("button", name="Share", exact=True)).to_be_hidden()
            expect(bob.get_by_role("button", name="Share", exact=True)).to_be_hidden()
            expect(bob.get_by_text("View only")).to_be_hidden()

            # Bob takes a clip: the others see it outlined with his initials; Alice, taking the
            # same clip, is warned.
            bob.get_by_role("button", name=CLIP).click()
            for page in (alice, carol):
                outlined = page.get_by_role("button", name=CLIP)
                expect(outlined).to_have_class(re.compile(r"\bothers-here\b"))
                expect(outlined).to_have_attribute("data-others", BOB)
                expect(outlined.locator(".marker")).to_have_text("BB")
            alice.get_by_role("button", name=CLIP).click()
            warning = alice.get_by_role("note").filter(has_text="editing this clip")
            expect(warning).to_have_text(re.compile(r"^Bob Baker is editing this clip too"))
            expect(carol.get_by_role("button", name=CLIP)).to_have_attribute(
                "data-others",
                f"{server.user_id} {BOB}",  # by name: Alice, Bob
            )
            screenshot(alice, "warned-on-bobs-clip")

            # Bob moves to the script: his marker follows him there.
            bob.get_by_label("Segment 1 narration").focus()
            segment = alice.locator("li[data-segment='0']")
            expect(segment.locator(".segment-marker")).to_have_text("BB")
            expect(segment.get_by_role("note")).to_contain_text("Bob Baker is editing this segment")
            expect(alice.get_by_role("button", name=CLIP)).not_to_have_class(
                re.compile(r"\bothers-here\b")
            )
            expect(warning).to_be_hidden()

            # Both edit at once, in different places: no conflict, no draft, everyone sees both.
            bob.get_by_label("Segment 1 narration").fill("Bob's new opening line.")
            alice.get_by_label("Start (s)").fill("17.5")
            for page in (alice, bob):
                expect(save_status(page)).to_have_attribute("data-status", "saved")
            content = lecture(client, lecture_id)
            assert clip(content, "visual-1-0")["startTime"] == 17.5
            assert content["script"]["segments"][0]["narration"] == "Bob's new opening line."
            assert client.get(f"/lectures/{lecture_id}/drafts").json() == []  # an owner sees all
            for page in (alice, carol):
                expect(page.get_by_label("Segment 1 narration")).to_have_value(
                    "Bob's new opening line."
                )
            for page in (bob, carol):
                page.get_by_role("button", name=CLIP).click()
                expect(page.get_by_label("Start (s)")).to_have_value("17.5")
            for page in pages:
                expect(save_status(page)).not_to_have_attribute("data-status", "conflict")
            screenshot(carol, "viewer-sees-both")

            # History names the people: Bob's revision by his name while he is here.
            alice.get_by_role("button", name="Show history").click()
            authors = alice.get_by_role("list", name="Revisions").locator(".author")
            expect(authors.filter(has_text="Bob Baker")).to_have_count(1)
            expect(authors.filter(has_text="Alice Adams").first).to_be_visible()

            # Carol leaves: the others' lists lose her.
            carol.context.close()
            pages.remove(carol)
            expect(others(alice)).to_have_text(["BB"])
            expect(others(bob)).to_have_text(["AA"])

            # Alice removes Bob from her People panel: his page says so and stops; he is gone.
            alice.get_by_role("button", name=f"Remove {BOB}").click()
            expect(bob.get_by_role("alert")).to_contain_text("no longer a member")
            expect(bob.get_by_text("closed", exact=True)).to_be_visible()
            expect(others(alice)).to_have_count(0)
            expect(members.get_by_role("listitem")).to_have_count(2)
        finally:
            for page in pages:
                page.context.close()
