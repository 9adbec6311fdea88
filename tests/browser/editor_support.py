"""Helpers of the editor page tests: the API beside the page (plain httpx for checks, the
Python SDK for another writer's saves), a generated lecture, and opening the page signed in."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, BrowserServer
from tests.support.processes import finished_run
from tutopanda.client import TutopandaClient
from tutopanda.models.wire import SaveResponse

# Short enough for a fast suite, long enough that a test's own write lands while an edit waits.
TEST_DEBOUNCE_MS = 800


def api(server: BrowserServer) -> httpx.Client:
    """The API as another client of the same user (another tab, the SDK, a script)."""
    return httpx.Client(base_url=server.base_url, headers=server.auth_headers, timeout=10)


def generated_lecture(client: httpx.Client, prompt: str = "How Roman roads were built") -> int:
    """A project whose generation run finished; its lecture id."""
    created = client.post("/projects", json={"prompt": prompt}).raise_for_status().json()
    assert finished_run(client, created["runId"], timeout=30)["status"] == "succeeded"
    return int(created["lectureId"])


def lecture(client: httpx.Client, lecture_id: int) -> dict[str, Any]:
    body: dict[str, Any] = client.get(f"/lectures/{lecture_id}").raise_for_status().json()
    return body


def clip(content: dict[str, Any], clip_id: str) -> dict[str, Any]:
    """A clip of the lecture's timeline by id, from any track."""
    for clips in content["timeline"]["tracks"].values():
        for item in clips:
            if item["id"] == clip_id:
                found: dict[str, Any] = item
                return found
    raise AssertionError(f"no clip {clip_id}")


def revisions(client: httpx.Client, lecture_id: int) -> list[dict[str, Any]]:
    """The lecture's history, newest first."""
    page = client.get(f"/lectures/{lecture_id}/history", params={"limit": 200})
    items: list[dict[str, Any]] = page.raise_for_status().json()["items"]
    return items


def save_clip(
    server: BrowserServer, lecture_id: int, base: dict[str, Any], clip_id: str, **fields: Any
) -> SaveResponse:
    """Another writer, through the Python SDK: change one clip's fields on `base` (a snapshot)
    and save the timeline with merge."""
    timeline = base["timeline"]
    for clips in timeline["tracks"].values():
        for item in clips:
            if item["id"] == clip_id:
                item.update(fields)
    with TutopandaClient(server.base_url, server.token) as sdk:
        return sdk.save_lecture(
            lecture_id, {"timeline": timeline}, base_revision=base["revision"], merge=True
        )


def sign_in(page: Page, server: BrowserServer, *, debounce_ms: int = TEST_DEBOUNCE_MS) -> None:
    """Open the editor and sign in with the server's token through the form."""
    page.goto(f"/editor/?debounce={debounce_ms}")
    page.get_by_label("Development token").fill(server.token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text(f"Signed in as {server.user_id}")).to_be_visible()


def open_lecture(
    page: Page, server: BrowserServer, lecture_id: int, *, debounce_ms: int = TEST_DEBOUNCE_MS
) -> None:
    """Signed in, on the lecture's editor, following its events."""
    sign_in(page, server, debounce_ms=debounce_ms)
    page.goto(f"/editor/?debounce={debounce_ms}#/lectures/{lecture_id}")
    expect(page.get_by_role("button", name="Visual clip Segment 1")).to_be_visible()
    expect(page.get_by_text("live", exact=True)).to_be_visible()


def open_as(
    browser: Browser,
    server: BrowserServer,
    token: str,
    lecture_id: int,
    *,
    debounce_ms: int = TEST_DEBOUNCE_MS,
) -> Page:
    """Another person's browser (its own context), signed in with `token`, on the lecture and
    following its events."""
    context = browser.new_context(base_url=server.base_url, service_workers="block")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"/editor/?debounce={debounce_ms}")
    page.get_by_label("Development token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/editor/?debounce={debounce_ms}#/lectures/{lecture_id}")
    expect(page.get_by_text("live", exact=True)).to_be_visible()
    return page


def save_status(page: Page) -> Any:
    """The save status element (its `data-status` is idle, saving, saved, conflict or error)."""
    return page.get_by_role("status", name="Save status")


README_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "editor.png"
UPDATE_README_SCREENSHOT = "TUTOPANDA_UPDATE_EDITOR_SCREENSHOT"


def readme_screenshot(page: Page) -> None:
    """With TUTOPANDA_UPDATE_EDITOR_SCREENSHOT=1, write docs/editor.png (the README's picture)
    from this state of the page; otherwise nothing (the committed picture stays)."""
    if os.environ.get(UPDATE_README_SCREENSHOT) != "1":
        return
    page.set_viewport_size({"width": 1280, "height": 860})
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(README_SCREENSHOT))


def shown_revision(page: Page) -> Any:
    """The revision the page shows in its header ("revision 7")."""
    return page.get_by_label("Revision", exact=True)
