"""The TypeScript client as the editor page loads it (tutopanda/_resources/editor/vendor/client.js)
in Chromium, fed by hand instead of a server: its event stream parses frames split anywhere and
resumes after the last id on every reconnection. (The client's own Node tests cover the rest;
this shows the browser build reads a stream the way Node does.)"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page


def _run(page: Page, script: str) -> Any:
    page.goto("/editor/")  # the modules' origin (the sign-in view shows meanwhile)
    return page.evaluate(script)


def test_the_event_stream_parses_frames_and_resumes_after_the_last_id(
    browser_page: Page,
) -> None:
    result = _run(
        browser_page,
        """async () => {
            const { TutopandaClient } = await import('/editor/vendor/client.js');
            const frames = [
                ['retry: 100\\r\\nid: 6.8\\r\\nevent: lecture.state\\r\\n',
                 'data: {"revision":6}\\r\\n\\r\\n: heartbeat\\r\\n\\r\\nid: 7.8\\r\\nevent: lec',
                 'ture.revised\\r\\ndata: {"revision":7}\\r\\n\\r\\n'],
                ['id: 7.9\\r\\nevent: workflow.progress\\r\\n',
                 'data: {"status":"running"}\\r\\n\\r\\n'],
            ];
            const asked = [];
            const fetch = (url, init) => {
                asked.push(new Headers(init.headers).get('Last-Event-ID'));
                const chunks = frames.shift();
                if (!chunks) {  // the third connection stays open, until closed
                    return new Promise((_, reject) => init.signal.addEventListener(
                        'abort', () => reject(init.signal.reason)));
                }
                const encoder = new TextEncoder();
                const body = new ReadableStream({
                    start(controller) {
                        for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
                        controller.close();  // the server went away: reconnect
                    },
                });
                return Promise.resolve(new Response(body, {
                    status: 200, headers: {'Content-Type': 'text/event-stream'}}));
            };
            const client = new TutopandaClient({baseUrl: location.origin, token: 't', fetch});
            const states = [];
            const stream = client.events(1, {onConnection: (s) => states.push(s)});
            const events = [];
            const reading = (async () => {
                for await (const event of stream) events.push([event.event, event.id, event.data]);
            })();
            const deadline = Date.now() + 5000;
            while (asked.length < 3 && Date.now() < deadline) {
                await new Promise((r) => setTimeout(r, 20));
            }
            const last = stream.lastEventId;
            stream.close();
            await reading;
            return {events, asked, states, last};
        }""",
    )
    assert result["events"] == [
        ["lecture.state", "6.8", {"revision": 6}],
        ["lecture.revised", "7.8", {"revision": 7}],
        ["workflow.progress", "7.9", {"status": "running"}],
    ]
    assert result["asked"] == [None, "7.8", "7.9"]  # each reconnection resumes after the last id
    assert result["states"][:4] == ["open", "reconnecting", "open", "reconnecting"]
    assert result["last"] == "7.9"
