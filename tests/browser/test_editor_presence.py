"""The editor page shows who else is on the lecture: Alice and Bob (an editor she shared the
project with) open it in two browsers; each sees the other's initials, with what the other is
working on (set through the API), and the initials go when the other leaves."""

from __future__ import annotations

import httpx
from playwright.sync_api import Browser, expect

from tests.browser.conftest import BrowserServer
from tests.browser.editor_support import generated_lecture, open_as

BOB = "bob-the-editor"


def test_each_sees_the_other_and_what_they_work_on(
    chromium_browser: Browser, browser_server: BrowserServer
) -> None:
    server = browser_server
    with httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=10) as api:
        lecture_id = generated_lecture(api)
        project_id = api.get(f"/lectures/{lecture_id}").json()["projectId"]
        api.put(f"/projects/{project_id}/members/{BOB}", json={"role": "editor"}).raise_for_status()
        alice = open_as(chromium_browser, server, server.token, lecture_id)
        bob = open_as(chromium_browser, server, server.token_for(BOB), lecture_id)
        try:
            others_of_alice = alice.get_by_role("list", name="Also on this lecture")
            expect(others_of_alice.get_by_role("listitem")).to_have_text(["B"])
            others_of_bob = bob.get_by_role("list", name="Also on this lecture")
            expect(others_of_bob.get_by_role("listitem")).to_have_text(["B"])  # browser-user
            with httpx.Client(
                base_url=server.base_url,
                headers={"Authorization": f"Bearer {server.token_for(BOB)}"},
                timeout=10,
            ) as as_bob:
                focus = {"focus": {"section": "timeline", "itemId": "visual-1-0"}}
                as_bob.put(f"/lectures/{lecture_id}/presence", json=focus).raise_for_status()
            expect(others_of_alice.get_by_role("listitem")).to_have_attribute(
                "title", f"{BOB} (on timeline visual-1-0)"
            )
            bob.context.close()
            expect(others_of_alice.get_by_role("listitem")).to_have_count(0)
        finally:
            alice.context.close()
