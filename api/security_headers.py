"""Security headers on every response: the HTML pages keep a bearer token in `sessionStorage`.

Each page gets a Content-Security-Policy that lets it run only its own script files and talk only
to this service (no inline script, no `eval`, no other origin, no `<base>`, no form posts), may
not be framed (clickjacking) and sends no `Referer`; every response, the API's JSON too, is
`nosniff` (a browser never guesses a type, so an answer cannot run as a script or page it is not).

- `/editor/…`: scripts and styles from its own files, images from them or `data:` (the favicon);
  it may also call the app's origin of TUTOPANDA_EDITOR_TOKEN_URL, where it takes its token.
- `/schema…`: the same, and inline styles: Scalar's bundle writes `<style>` elements and `style`
  attributes as it renders (its one other request, `Function("")`, probes whether it may compile
  code; refused, the bundle goes on without).
- anything else: nothing at all (JSON is never a page).
"""

from __future__ import annotations

from litestar.types import BeforeMessageSendHookHandler, Message, Scope

from tutopanda.api.docs_page import SCHEMA_PATH
from tutopanda.api.editor_page import EDITOR_PATH

_ALWAYS = "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
EDITOR_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self'; {_ALWAYS}"
)


def editor_policy(token_origin: str | None) -> str:
    """The editor page's policy; with the origin it takes its token from (an http(s) origin the
    settings checked: no space, quote or `;` can add a directive)."""
    if token_origin is None:
        return EDITOR_POLICY
    return EDITOR_POLICY.replace("connect-src 'self'", f"connect-src 'self' {token_origin}")


DOCS_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data:; connect-src 'self'; {_ALWAYS}"
)
API_POLICY = f"default-src 'none'; {_ALWAYS}"


def content_security_policy(path: str, editor: str = EDITOR_POLICY) -> str:
    """The policy of the response to `path` (`editor`: the editor page's)."""
    if path == EDITOR_PATH or path.startswith(f"{EDITOR_PATH}/"):
        return editor
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


def security_headers(token_origin: str | None = None) -> BeforeMessageSendHookHandler:
    """The before_send hook of the app: every response, errors and unknown routes included (no
    route sets these headers itself: they are added, encoded once). `token_origin`: see
    `editor_policy`."""
    editor = editor_policy(token_origin)
    encoded = {policy: _encoded(policy) for policy in (editor, DOCS_POLICY, API_POLICY)}

    async def add_headers(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        extra = encoded[content_security_policy(scope["path"], editor)]
        message["headers"] = [*message.get("headers", ()), *extra]

    return add_headers
