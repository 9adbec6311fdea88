"""The editor page signed in by the app: a real better-auth (identity/better-auth) on another
loopback port is the app's identity provider, TUTOPANDA_EDITOR_TOKEN_URL its /api/auth/token.
The editor first says the person is not signed in; they sign in on better-auth's origin, open
the editor and edit for longer than two token lifetimes (5 s here, 15 minutes in better-auth's
default): no token is pasted, the page fetches new ones as they age, and every save lands, as
that better-auth user.

~20 s: a generation run, then edits spread over more than two token lifetimes (that is the test).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, BrowserServer
from tests.browser.editor_support import TEST_DEBOUNCE_MS, clip, revisions, save_status
from tests.support.better_auth import BetterAuth, SignedIn, better_auth_issuer
from tests.support.processes import finished_run, free_port

ISSUER = "https://app.tutopanda.test"
AUDIENCE = "tutopanda-editor"
LIFETIME_SECONDS = 5
PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def issuer_port() -> int:
    return free_port()


@pytest.fixture
def browser_server_env(issuer_port: int) -> dict[str, str]:
    """The API trusts better-auth's keys and sends the editor to its token URL."""
    base = f"http://127.0.0.1:{issuer_port}/api/auth"
    return {
        "TUTOPANDA_JWT_JWKS_URL": f"{base}/jwks",
        "TUTOPANDA_JWT_ISSUER": ISSUER,
        "TUTOPANDA_JWT_AUDIENCE": AUDIENCE,
        "TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS": "0.2",  # better-auth starts after the API
        "TUTOPANDA_EDITOR_TOKEN_URL": f"{base}/token",
    }


@pytest.fixture
def issuer(browser_server: BrowserServer, issuer_port: int) -> Iterator[BetterAuth]:
    with better_auth_issuer(
        ISSUER,
        AUDIENCE,
        expiration=f"{LIFETIME_SECONDS}s",
        trusted_origins=(browser_server.base_url,),
        port=issuer_port,
    ) as running:
        yield running


def as_user(issuer: BetterAuth, user: SignedIn, server: BrowserServer) -> httpx.Client:
    """The API as the better-auth user, a fresh token on every request (they last 5 s)."""

    def fresh_token(request: httpx.Request) -> httpx.Request:
        request.headers["Authorization"] = f"Bearer {issuer.token(user)}"
        return request

    return httpx.Client(base_url=server.base_url, auth=fresh_token, timeout=10)


def test_the_editor_signs_in_through_the_app_and_outlives_its_tokens(
    chromium_browser: Browser, browser_server: BrowserServer, issuer: BetterAuth
) -> None:
    email = f"{uuid.uuid4().hex[:10]}@example.com"
    origins = (browser_server.base_url, issuer.base.rstrip("/"))
    context = chromium_browser.new_context(service_workers="block")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    # Requests are watched, not routed: a Playwright route would answer the browser's CORS
    # checks itself, and better-auth's CORS answer is part of what this proves.
    outside: list[str] = []
    context.on(
        "request",
        lambda request: (
            None
            if any(request.url == o or request.url.startswith(f"{o}/") for o in origins)
            else outside.append(request.url)
        ),
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    token_fetches: list[str] = []
    page.on(
        "requestfinished",
        lambda request: (
            token_fetches.append(request.url) if "/api/auth/token" in request.url else None
        ),
    )
    try:
        page.goto(f"{browser_server.base_url}/editor/")  # not signed in to the app yet
        expect(page.get_by_role("alert")).to_have_text(
            "You are not signed in to the app: sign in there, then try again."
        )
        signed_up = sign_up_in_the_browser(page, issuer, email)
        user = issuer.sign_in(email, PASSWORD)
        assert user.user_id == signed_up
        with as_user(issuer, user, browser_server) as client:
            created = client.post("/projects", json={"prompt": "Tides"}).raise_for_status().json()
            assert finished_run(client, created["runId"], timeout=30)["status"] == "succeeded"
            lecture_id = int(created["lectureId"])
            before = len(revisions(client, lecture_id))
            page.goto(
                f"{browser_server.base_url}/editor/?debounce={TEST_DEBOUNCE_MS}"
                f"#/lectures/{lecture_id}"
            )
            expect(page.get_by_text(f"Signed in as {signed_up}")).to_be_visible()
            expect(page.get_by_role("button", name="Visual clip Segment 1")).to_be_visible()
            edits = edit_for(page, seconds=2 * LIFETIME_SECONDS + 1)
            history = revisions(client, lecture_id)
            saved = history[: len(history) - before]
            content = client.get(f"/lectures/{lecture_id}").raise_for_status().json()
    finally:
        context.close()
    assert not outside, outside
    assert not errors, errors
    assert len(saved) == len(edits)  # every save landed
    assert {revision["createdBy"] for revision in saved} == {signed_up}
    assert clip(content, "visual-1-0")["startTime"] == edits[-1]
    assert len(token_fetches) >= 3, token_fetches  # refreshed as the tokens aged


def sign_up_in_the_browser(page: Page, issuer: BetterAuth, email: str) -> str:
    """Sign up on better-auth's own origin (its session cookie is the browser's): the user id."""
    page.goto(f"{issuer.base.rstrip('/')}/api/auth/ok")
    user_id: str = page.evaluate(
        """async ([email, password]) => {
            const response = await fetch('/api/auth/sign-up/email', {
                method: 'POST',
                headers: {'Content-Type': 'application/json'},
                body: JSON.stringify({email, password, name: 'Grace'}),
            });
            if (!response.ok) throw new Error(`sign-up: HTTP ${response.status}`);
            return (await response.json()).user.id;
        }""",
        [email, PASSWORD],
    )
    return user_id


def edit_for(page: Page, *, seconds: float) -> list[float]:
    """Change the second visual clip's start, one saved edit after the other, for `seconds`:
    the values saved."""
    page.get_by_role("button", name="Visual clip Segment 2").click()
    start = page.get_by_label("Start (s)")
    values: list[float] = []
    ends = time.monotonic() + seconds
    while time.monotonic() < ends:
        value = round(17.0 + 0.25 * len(values), 2)
        start.fill(str(value))
        expect(save_status(page)).to_have_text("Idle: unsaved changes")
        expect(save_status(page)).to_have_attribute("data-status", "saved")
        expect(save_status(page)).to_have_text("All changes saved")
        values.append(value)
        page.wait_for_timeout(500)
    return values
