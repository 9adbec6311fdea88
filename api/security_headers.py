"""Security headers on every response: the HTML pages keep a bearer token in `sessionStorage`.

Each page gets a Content-Security-Policy that lets it run only its own script files and talk only
to this service (no inline script, no `eval`, no other origin, no `<base>`, no form posts), may
not be framed (clickjacking) and sends no `Referer`; every response, the API's JSON too, is
`nosniff` (a browser never guesses a type, so an answer cannot run as a script or page it is not).

- `/editor/…`: scripts and styles from its own files, images from them or `data:` (the favicon).
- `/schema…`: the same, and inline styles: Scalar's bundle writes `<style>` elements and `style`
  attributes as it renders (its one other request, `Function("")`, probes whether it may compile
  code; refused, the bundle goes on without).
- anything else: nothing at all (JSON is never a page).
"""

from __future__ import annotations

from litestar.types import Message, Scope

from tutopanda.api.docs_page import SCHEMA_PATH
from tutopanda.api.editor_page import EDITOR_PATH

_ALWAYS = "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
EDITOR_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self'; {_ALWAYS}"
)
DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data:; connect-src 'self'; {_ALWAYS}"
)
API_POLICY = f"default-src 'none'; {_ALWAYS}"


def content_security_policy(path: str) -> str:
    """The policy of the response to `path`."""
    if path == EDITOR_PATH or path.startswith(f"{EDITOR_PATH}/"):
        return EDITOR_POLICY
    if path == SCHEMA_PATH or path.startswith(f"{SCHEMA_PATH}/"):
        return DOCS_POLICY
    return API_POLICY


def _encoded(policy: str) -> tuple[tuple[bytes, bytes], ...]:
    return (
        (b"content-security-policy", policy.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),  # frame-ancestors for browsers without CSP 2
        (b"referrer-policy", b"no-referrer"),
    )


_HEADERS = {policy: _encoded(policy) for policy in (EDITOR_POLICY, DOCS_POLICY, API_POLICY)}


async def security_headers(message: Message, scope: Scope) -> None:
    """before_send hook of the app: every response, errors and unknown routes included (no route
    sets these headers itself: they are added, encoded once)."""
    if message["type"] != "http.response.start":
        return
    extra = _HEADERS[content_security_policy(scope["path"])]
    message["headers"] = [*message.get("headers", ()), *extra]
