"""A real better-auth identity provider for tests: identity/better-auth/server.mjs under Node.

`better_auth_issuer(...)` runs it on a loopback port until the block ends. Its users, sessions and
signing key live in memory: every start has a new key (a new `kid` in its JWKS), which is how a
test rotates the key (leave the block and enter a new one, on the same `port` if it must be).
`make install` installs its node_modules (`npm ci` from the committed lock file).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
IDENTITY_DIR = PROJECT_ROOT / "identity" / "better-auth"
SERVER_SCRIPT = IDENTITY_DIR / "server.mjs"

# A fixed test value (32+ characters, or better-auth warns): it encrypts the private keys and
# signs the session cookies of a process that lives as long as one test module.
TEST_SECRET = "tutopanda-tests-better-auth-8f3c1d7e9a2b4c6d0e1f2a3b"
# The cookie better-auth sets on sign-up and sign-in (served over http: no __Secure- prefix).
SESSION_COOKIE = "better-auth.session_token"
START_TIMEOUT = 20.0
_READY_PREFIX = "listening on "


@dataclass(frozen=True)
class SignedIn:
    """A signed-in user of the issuer: its id and the session cookie(s) that prove it."""

    user_id: str
    email: str
    cookies: Mapping[str, str]

    @property
    def session_token(self) -> str:
        return self.cookies[SESSION_COOKIE]


@dataclass(frozen=True)
class BetterAuth:
    """A running issuer: `base` is its URL; its routes are under `base`/api/auth."""

    base: str
    issuer: str
    audience: str
    expiration: str

    @property
    def auth_url(self) -> str:
        return f"{self.base}/api/auth"

    @property
    def jwks_url(self) -> str:
        return f"{self.auth_url}/jwks"

    def sign_up(self, email: str, password: str, name: str) -> SignedIn:
        """Create a user (the password takes 8 characters at least); it is signed in at once."""
        return self._signed_in(
            "sign-up/email", {"email": email, "password": password, "name": name}
        )

    def sign_in(self, email: str, password: str) -> SignedIn:
        """A new session of a user that signed up before."""
        return self._signed_in("sign-in/email", {"email": email, "password": password})

    def token(self, signed_in: SignedIn) -> str:
        """A JWT for the user's session (EdDSA, `sub` = the user id), from GET /api/auth/token."""
        with httpx.Client(cookies=dict(signed_in.cookies), timeout=10) as client:
            response = client.get(f"{self.auth_url}/token")
        _expect_ok(response, "token")
        token = response.json()["token"]
        assert isinstance(token, str), response.text
        return token

    def jwks(self) -> dict[str, Any]:
        """The published key set, {"keys": [...]}."""
        response = httpx.get(self.jwks_url, timeout=10)
        _expect_ok(response, "jwks")
        keys: dict[str, Any] = response.json()
        return keys

    def _signed_in(self, route: str, body: dict[str, str]) -> SignedIn:
        with httpx.Client(timeout=10) as client:
            response = client.post(f"{self.auth_url}/{route}", json=body)
            _expect_ok(response, route)
            cookies = dict(client.cookies.items())
        assert SESSION_COOKIE in cookies, f"{route} set no {SESSION_COOKIE}: {response.headers}"
        user = response.json()["user"]
        return SignedIn(user_id=str(user["id"]), email=str(user["email"]), cookies=cookies)


def _expect_ok(response: httpx.Response, what: str) -> None:
    if response.status_code != 200:
        raise AssertionError(f"better-auth {what}: {response.status_code} {response.text}")


def _missing(reason: str) -> None:
    """Skip the test with the reason; under CI (CI=true) fail it: the suite must not pass by
    skipping the identity tests (as for Chromium, tests/support/browser.py)."""
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def better_auth_issuer(
    issuer: str,
    audience: str,
    expiration: str = "15m",
    trusted_origins: tuple[str, ...] = (),
    port: int | None = None,
) -> Iterator[BetterAuth]:
    """Run the issuer on 127.0.0.1 (`port`, or any free one) until the block ends.

    `expiration` is the tokens' lifetime as better-auth reads it ("15m", "20s", "1 hour");
    `trusted_origins` are the browser origins that may call it with cookies (CORS included).
    """
    node = shutil.which("node")
    if node is None:
        _missing("node (Node.js 20.19+) is not on PATH: the better-auth issuer needs it")
    if not (IDENTITY_DIR / "node_modules" / "better-auth").is_dir():
        _missing(f"{IDENTITY_DIR / 'node_modules'} is missing: `make install` installs it")
    assert node is not None
    env = {
        **os.environ,
        "PORT": str(port or 0),
        "BETTER_AUTH_SECRET": TEST_SECRET,
        "ISSUER": issuer,
        "AUDIENCE": audience,
        "EXPIRATION": expiration,
        "TRUSTED_ORIGINS": ",".join(trusted_origins),
    }
    # Files, not pipes: nobody reads a pipe while the server runs, and a full one would block it.
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8") as stdout,
        tempfile.TemporaryFile("w+", encoding="utf-8") as stderr,
    ):
        process = subprocess.Popen(
            [node, str(SERVER_SCRIPT)],
            cwd=IDENTITY_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
            text=True,
        )
        try:
            base = _wait_listening(process, stdout, stderr)
            yield BetterAuth(base=base, issuer=issuer, audience=audience, expiration=expiration)
        finally:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def _wait_listening(process: subprocess.Popen[str], stdout: IO[str], stderr: IO[str]) -> str:
    """The base URL from the server's `listening on <url>` line, once it has printed it."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        stdout.seek(0)
        for line in stdout.read().splitlines():
            if line.startswith(_READY_PREFIX):
                return line.removeprefix(_READY_PREFIX).strip()
        exited = process.poll()
        if exited is not None or time.monotonic() > deadline:
            stdout.seek(0)
            stderr.seek(0)
            state = (
                f"exited with {exited}"
                if exited is not None
                else f"printed no '{_READY_PREFIX}<url>' line in {START_TIMEOUT:g} s"
            )
            raise RuntimeError(
                f"the better-auth issuer ({SERVER_SCRIPT}) {state} (run make install if its "
                f"node_modules is incomplete)\nstdout:\n{stdout.read()}\nstderr:\n{stderr.read()}"
            )
        time.sleep(0.02)
