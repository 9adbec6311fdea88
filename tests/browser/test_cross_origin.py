"""A front-end on another origin (the Next.js app on its own port) calling the API from Chromium:
its origin in TUTOPANDA_CORS_ORIGINS, it creates, saves, discards a conflict draft and resumes
the event stream with `fetch`; the same page from an origin not listed is blocked by the browser.

Each page comes from a tiny static server of the test's own on another loopback port (another
origin to the browser), and runs its script against the real `tutopanda serve`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext

from tests.browser.conftest import DEFAULT_TIMEOUT_MS, BrowserServer
from tests.support.browser import OutsideRequestGuard

# The front-end's script: each step as a browser sends it (the preflights are the browser's).
FRONT_END = b"""<!doctype html>
<meta charset="utf-8">
<title>Another origin's front-end</title>
<script>
const sleep = (ms) => new Promise((done) => setTimeout(done, ms));

// Fails after `ms` instead of waiting for ever (page.evaluate has no timeout of its own).
function within(ms, promise) {
  let timer;
  const late = new Promise((_, fail) => {
    timer = setTimeout(() => fail(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// The first event of a stream: its type and id, read from the body as it arrives.
async function firstEvent(url, headers) {
  const stop = new AbortController();
  const response = await fetch(url, {headers, signal: stop.signal});
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (;;) {
    const {value, done} = await reader.read();
    if (done) throw new Error("the stream ended before its first event");
    // Litestar ends lines with CRLF; an event ends at an empty line.
    text = (text + decoder.decode(value, {stream: true})).replace(/\\r\\n?/g, "\\n");
    for (const block of text.split("\\n\\n").slice(0, -1)) {
      const fields = Object.fromEntries(block.split("\\n").map((line) => {
        const at = line.indexOf(":");
        return [line.slice(0, at), line.slice(at + 1).trim()];
      }));
      if (fields.event) {
        stop.abort();
        return {status: response.status, type: fields.event, id: fields.id};
      }
    }
  }
}

async function listedScenario(api, token) {
  const auth = {Authorization: `Bearer ${token}`};
  const json = {...auth, "Content-Type": "application/json"};
  const result = {};

  let answer = await fetch(`${api}/projects`, {
    method: "POST",
    headers: {...json, "Idempotency-Key": `create-${Date.now()}`},
    body: JSON.stringify({prompt: "How Roman roads were built"}),
  });
  const created = await answer.json();
  result.created = {
    status: answer.status,
    location: answer.headers.get("Location"),
    requestId: answer.headers.get("X-Request-ID"),
    lectureId: created.lectureId,
  };
  const lecture = `${api}/lectures/${created.lectureId}`;
  result.opened = await firstEvent(`${lecture}/events`, auth);

  // Save on the revision read (again when the worker's generation saved in between).
  let base, read;
  for (let attempt = 0; attempt < 10; attempt++) {
    read = await fetch(lecture, {headers: auth});
    base = read.headers.get("ETag");
    answer = await fetch(lecture, {
      method: "PATCH",
      headers: {...json, "If-Match": base},
      body: JSON.stringify({payload: {title: "Roman roads"}}),
    });
    if (answer.status !== 409) break;
    await sleep(100);
  }
  result.saved = {
    status: answer.status,
    base,
    etag: answer.headers.get("ETag"),
    read: read.status,
    problem: answer.ok ? null : await answer.text(),
  };

  // The same save on the revision before it: refused, its sections kept as a draft.
  answer = await fetch(lecture, {
    method: "PATCH",
    headers: {...json, "If-Match": base},
    body: JSON.stringify({payload: {title: "Roads of Rome"}}),
  });
  const conflict = await answer.json();
  result.conflict = {status: answer.status, code: conflict.code, draftId: conflict.draftId};
  answer = await fetch(`${lecture}/drafts/${conflict.draftId}`, {
    method: "DELETE",
    headers: {...auth, "Idempotency-Key": `discard-${conflict.draftId}`},
  });
  result.discarded = {status: answer.status};

  result.resumed = await firstEvent(`${lecture}/events`, {
    ...auth,
    "Last-Event-ID": result.opened.id,
  });
  return result;
}
window.frontEnd = (api, token) => within(15000, listedScenario(api, token));

// What the page can do from an origin the API does not list: each fetch's outcome.
async function unlistedScenario(api, token) {
  const tries = [
    [`${api}/health`, {}],
    [`${api}/projects`, {
      method: "POST",
      headers: {Authorization: `Bearer ${token}`, "Content-Type": "application/json"},
      body: JSON.stringify({prompt: "Never created"}),
    }],
  ];
  const outcomes = [];
  for (const [url, init] of tries) {
    try {
      await fetch(url, init);
      outcomes.push("read");
    } catch (error) {
      outcomes.push(error.name);
    }
  }
  return outcomes;
}
window.unlisted = (api, token) => within(15000, unlistedScenario(api, token));
</script>
"""


class _Page(BaseHTTPRequestHandler):
    """Answers every GET with the front-end page."""

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(FRONT_END)))
        self.end_headers()
        self.wfile.write(FRONT_END)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test reads no access log."""


@contextmanager
def _static_site() -> Iterator[str]:
    """The front-end page served on a free loopback port; its origin."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture
def listed_site() -> Iterator[str]:
    with _static_site() as origin:
        yield origin


@pytest.fixture
def unlisted_site() -> Iterator[str]:
    with _static_site() as origin:
        yield origin


@pytest.fixture
def browser_server_env(listed_site: str) -> dict[str, str]:
    return {"TUTOPANDA_CORS_ORIGINS": listed_site}


@pytest.fixture
def front_end(
    chromium_browser: Browser, browser_server: BrowserServer, listed_site: str, unlisted_site: str
) -> Iterator[BrowserContext]:
    """A browser context for the two sites and the server; a request beyond them, or an
    uncaught JavaScript error, fails the test.

    Watched, not routed: while any Playwright route is installed (the `browser_page` guard's
    `context.route`), Playwright answers every CORS preflight itself, allowing everything (its
    Chromium network manager fulfils intercepted preflights with 204 and the asked-for origin,
    method and headers), so the server's answer would never be seen. Host names resolve to
    nothing in this Chromium anyway (CHROMIUM_ARGS).
    """
    allowed = [
        OutsideRequestGuard(base) for base in (browser_server.base_url, listed_site, unlisted_site)
    ]
    outside: list[str] = []
    page_errors: list[str] = []
    context = chromium_browser.new_context(service_workers="block")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.on(
        "request",
        lambda request: (
            None
            if any(guard.is_local(request.url) for guard in allowed)
            else outside.append(request.url)
        ),
    )
    context.on("weberror", lambda error: page_errors.append(str(error.error)))
    try:
        yield context
    finally:
        context.close()
    assert not outside, "requests beyond the test's origins:\n  " + "\n  ".join(outside)
    assert not page_errors, "uncaught JavaScript errors:\n  " + "\n  ".join(page_errors)


def test_a_listed_origin_uses_the_api_and_an_unlisted_one_is_blocked(
    front_end: BrowserContext, browser_server: BrowserServer, listed_site: str, unlisted_site: str
) -> None:
    api, token = browser_server.base_url, browser_server.token
    page = front_end.new_page()
    page.goto(f"{listed_site}/")
    result: dict[str, Any] = page.evaluate(
        "([api, token]) => window.frontEnd(api, token)", [api, token]
    )

    lecture_id = result["created"]["lectureId"]
    assert result["created"]["status"] == 201
    assert result["created"]["location"] == f"/lectures/{lecture_id}"  # exposed headers
    assert result["created"]["requestId"]
    assert result["opened"] == {
        "status": 200,
        "type": "lecture.state",
        "id": result["opened"]["id"],
    }
    assert result["saved"]["status"] == 200, result["saved"]  # with the read before it
    assert result["saved"]["etag"] != result["saved"]["base"]
    assert result["conflict"]["status"] == 409
    assert result["conflict"]["code"] == "revision_conflict"
    assert result["discarded"] == {"status": 204}
    # Resumed after the first event: the events since, replayed (not `resync`, not the state).
    assert result["resumed"]["status"] == 200
    assert result["resumed"]["type"] in ("lecture.revised", "workflow.progress")
    assert result["resumed"]["id"] != result["opened"]["id"]

    page.goto(f"{unlisted_site}/")
    outcomes = page.evaluate("([api, token]) => window.unlisted(api, token)", [api, token])
    assert outcomes == ["TypeError", "TypeError"]

    with httpx.Client(base_url=api, headers=browser_server.auth_headers, timeout=10) as http:
        drafts = http.get(f"/lectures/{lecture_id}/drafts").raise_for_status().json()
        assert result["conflict"]["draftId"] not in [draft["id"] for draft in drafts]
        projects = http.get("/projects").raise_for_status().json()["items"]
        lectures = [lecture["id"] for project in projects for lecture in project["lectures"]]
        assert lectures == [lecture_id]  # the unlisted origin's POST never left the browser
