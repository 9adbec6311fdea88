"""Browser fixtures: a real `tutopanda serve`, headless Chromium, a guarded page, screenshots.

- `browser_server`: `tutopanda serve` (API + workflow worker) on a free port over this test's own
  migrated database, with a bearer token for a test user. Extra server settings: override
  `browser_server_env` in a test module.
- `browser_page`: a fresh Chromium page (own context: no cookies or storage shared between
  tests) whose relative URLs go to the server. It may reach the test server only: any other
  request is aborted, recorded in `browser_watch.outside`, and fails the test at teardown, as
  does an uncaught JavaScript error (`browser_watch.page_errors`).
- `screenshot(page, state)`: saves test-artifacts/screenshots/<test>-<state>.png.

Without Debian's chromium the tests are skipped with the reason (an error under CI=true); without
the playwright package (a virtualenv older than the dev extra) they are not collected.

The sync Playwright API runs its event loop on a greenlet of the main thread, and while it is
started that loop counts as the thread's running loop: pytest-asyncio cannot start one beside it.
So Chromium lives for this package only (stopped before the async tests of other folders run),
and the tests here are plain functions: sync httpx or the sync SDK beside the page, no async
tests or async fixtures (`aconn`).
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import pytest

from tests.api.helpers import server_env
from tests.support.browser import (
    CHROMIUM_ARGS,
    OutsideRequestGuard,
    chromium_or_skip,
    save_screenshot,
)
from tests.support.databases import TestDatabase
from tests.support.processes import serving
from tutopanda.tokens import issue_token

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

if importlib.util.find_spec("playwright") is None and not os.environ.get("CI"):
    # An environment from before the dev extra had playwright: the test modules here import it,
    # so leave them out (`make install` brings it); under CI they fail to import instead.
    collect_ignore_glob = ["test_*.py"]

SECRET = "browser-secret-" + "b" * 40
USER_ID = "browser-user"
# Failing waits should fail in seconds, not Playwright's default 30 s (the CI budget is small).
DEFAULT_TIMEOUT_MS = 10_000


class Screenshot(Protocol):
    """`screenshot(page, state)` saves test-artifacts/screenshots/<test>-<state>.png."""

    def __call__(self, page: Page, state: str, *, full_page: bool = ...) -> Path: ...


@dataclass(frozen=True)
class BrowserServer:
    """The server a browser test talks to, and what a test needs to act beside the page."""

    base_url: str
    token: str  # a bearer token for USER_ID, signed with the server's secret
    user_id: str
    secret: str
    admin_url: str  # the test database, as its admin (for checks the API does not offer)

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def token_for(self, user_id: str, name: str | None = None) -> str:
        """A token for another user of the same server (with `name`: their display name)."""
        return issue_token(self.secret, user_id, name=name)


@dataclass
class BrowserWatch:
    """What the page did that fails a test: outside requests and uncaught JavaScript errors."""

    guard: OutsideRequestGuard
    page_errors: list[str] = field(default_factory=list)

    @property
    def outside(self) -> list[str]:
        return self.guard.attempted


@pytest.fixture(scope="package")
def chromium_browser() -> Iterator[Browser]:
    """One headless Chromium for tests/browser (a new context per test keeps tests apart)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional dependency

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_server_env() -> dict[str, str]:
    """Extra environment for `browser_server` (override in a module to tune the server)."""
    return {}


@pytest.fixture
def browser_server(
    database: TestDatabase, tmp_path: Path, browser_server_env: dict[str, str]
) -> Iterator[BrowserServer]:
    """`tutopanda serve` with its worker, on this test's migrated database."""
    env = server_env(
        database.admin_url,
        tmp_path / "home",
        secret=SECRET,
        TUTOPANDA_WORKER_POLL_SECONDS="0.2",
        **browser_server_env,
    )
    with serving(env=env) as base:
        yield BrowserServer(
            base_url=base,
            token=issue_token(SECRET, USER_ID),
            user_id=USER_ID,
            secret=SECRET,
            admin_url=database.admin_url,
        )


@pytest.fixture
def browser_watch(browser_server: BrowserServer) -> BrowserWatch:
    return BrowserWatch(guard=OutsideRequestGuard(browser_server.base_url))


@pytest.fixture
def browser_page(
    chromium_browser: Browser, browser_server: BrowserServer, browser_watch: BrowserWatch
) -> Iterator[Page]:
    """A page on the test server only; outside requests or page errors fail the test."""
    context = chromium_browser.new_context(
        base_url=browser_server.base_url,
        service_workers="block",  # a service worker's fetches would bypass the guard
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    browser_watch.guard.install(context)
    page = context.new_page()
    page.on("pageerror", lambda error: browser_watch.page_errors.append(str(error)))
    try:
        yield page
    finally:
        context.close()
    assert not browser_watch.outside, (
        "the page tried to reach beyond the test server:\n  " + "\n  ".join(browser_watch.outside)
    )
    assert not browser_watch.page_errors, "uncaught JavaScript errors:\n  " + "\n  ".join(
        browser_watch.page_errors
    )


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Screenshot:
    """`screenshot(page, state)`: test-artifacts/screenshots/<test>-<state>.png, its path.

    The whole page unless `full_page=False` (the viewport only).
    """

    def take(page: Page, state: str, *, full_page: bool = True) -> Path:
        return save_screenshot(page, request.node.name, state, full_page=full_page)

    return take
