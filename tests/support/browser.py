"""Headless Chromium for the browser tests: Debian's package driven by the playwright package.

Playwright's own browser download comes from a host that is not a package registry, so the tests
drive the `chromium` that `make install` installs with apt (`executable_path`). Pages may reach
the test server only: every other request is aborted and recorded (`OutsideRequestGuard`), so a
page that needs the internet fails its test instead of passing on a connected laptop.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.processes import PROJECT_ROOT

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page, Route, WebSocketRoute

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "test-artifacts" / "screenshots"
# Belt and braces under the request guard: host names resolve to nothing, so even a request the
# guard could not see (a DNS prefetch, the browser's own background traffic) cannot leave.
CHROMIUM_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
_LOCAL_SCHEMES = ("data:", "blob:", "about:")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]+")


def chromium_or_skip() -> str:
    """Debian's chromium with the playwright package, or skip with the reason.

    Under CI (CI=true) a missing browser is an error: the suite must not pass by skipping them.
    """
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append("chromium (Debian's package)")
    try:
        import playwright.sync_api  # noqa: F401, PLC0415 - optional until `make install`
    except ImportError:
        missing.append("the playwright Python package (the dev extra)")
    if missing:
        reason = f"{' and '.join(missing)} not installed: `make install` installs them"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return CHROMIUM


@dataclass
class OutsideRequestGuard:
    """Lets a browser context reach `base_url` only; aborts and records everything else."""

    base_url: str
    attempted: list[str] = field(default_factory=list)

    def is_local(self, url: str) -> bool:
        origin = self.base_url.rstrip("/")
        if url.startswith(("ws://", "wss://")):  # a WebSocket to the test server is local too
            url = "http" + url.removeprefix("ws")
        return url == origin or url.startswith(origin + "/") or url.startswith(_LOCAL_SCHEMES)

    def install(self, context: BrowserContext) -> None:
        context.route(lambda url: not self.is_local(url), self._abort)
        context.route_web_socket(lambda url: not self.is_local(url), self._refuse_socket)

    def _abort(self, route: Route) -> None:
        self.attempted.append(route.request.url)
        route.abort("blockedbyclient")

    def _refuse_socket(self, socket: WebSocketRoute) -> None:
        # Not calling connect_to_server() keeps it from ever reaching the network.
        self.attempted.append(socket.url)
        socket.close(code=1008, reason="outside the test server")


def screenshot_path(test_name: str, state: str) -> Path:
    """test-artifacts/screenshots/<test>-<state>.png, names made safe for any file system."""
    name = _UNSAFE_NAME.sub("_", f"{test_name}-{state}").strip("_")
    return SCREENSHOTS / f"{name}.png"


def save_screenshot(page: Page, test_name: str, state: str, *, full_page: bool = True) -> Path:
    """The page as a PNG test artifact (overwriting the previous run's)."""
    path = screenshot_path(test_name, state)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
    return path
