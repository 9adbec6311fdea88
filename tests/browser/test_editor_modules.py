"""The editor's own modules in Chromium: the re-apply merge and the event stream reader
(reconnecting with Last-Event-ID), fed by hand instead of a server."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page


def _run(page: Page, script: str) -> Any:
    page.goto("/editor/")  # the modules' origin (the sign-in view shows meanwhile)
    return page.evaluate(script)


def test_re_apply_keeps_theirs_and_puts_mine_on_top(browser_page: Page) -> None:
    results = _run(
        browser_page,
        """async () => {
            const { mergeValue } = await import('/editor/rebase.js');
            const base = {tracks: {visual: [{id: 'a', startTime: 0}, {id: 'b', startTime: 5}]},
                          duration: 10};
            const mine = {tracks: {visual: [{id: 'a', startTime: 1}, {id: 'b', startTime: 5}]},
                          duration: 10};
            const theirs = {tracks: {visual: [{id: 'b', startTime: 7}, {id: 'a', startTime: 3},
                                              {id: 'c', startTime: 9}]}, duration: 12};
            return {
                merged: mergeValue(base, mine, theirs),
                unchanged: mergeValue(base, base, theirs),
                segments: mergeValue(
                    {segments: [{narration: 'x'}, {narration: 'y'}]},
                    {segments: [{narration: 'x'}, {narration: 'Y'}]},
                    {segments: [{narration: 'X'}, {narration: 'y'}]}),
                deleted: mergeValue({a: 1, b: 2}, {a: 1}, {a: 5, b: 2}),
            };
        }""",
    )
    assert results["merged"] == {
        "tracks": {
            "visual": [
                {"id": "b", "startTime": 7},  # theirs: their order, their edit, their new clip
                {"id": "a", "startTime": 1},  # mine wins on the value both changed
                {"id": "c", "startTime": 9},
            ]
        },
        "duration": 12,
    }
    assert results["unchanged"]["duration"] == 12
    assert results["segments"] == {"segments": [{"narration": "X"}, {"narration": "Y"}]}
    assert results["deleted"] == {"a": 5}


def test_the_event_reader_parses_frames_and_resumes_after_the_last_id(
    browser_page: Page,
) -> None:
    result = _run(
        browser_page,
        """async () => {
            const { followEvents } = await import('/editor/events.js');
            const frames = [
                ['retry: 1000\\r\\nid: 6.8\\r\\nevent: lecture.state\\r\\n',
                 'data: {"revision":6}\\r\\n\\r\\n: heartbeat\\r\\n\\r\\nid: 7.8\\r\\nevent: lec',
                 'ture.revised\\r\\ndata: {"revision":7}\\r\\n\\r\\n'],
                ['id: 7.9\\r\\nevent: workflow.progress\\r\\n',
                 'data: {"status":"running"}\\r\\n\\r\\n'],
            ];
            const asked = [];
            const api = {
                openEvents(id, lastEventId) {
                    asked.push(lastEventId);
                    const chunks = frames.shift();
                    if (!chunks) return new Promise(() => {});  // the third connection stays open
                    const encoder = new TextEncoder();
                    const body = new ReadableStream({
                        start(controller) {
                            for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
                            controller.close();  // the server went away: reconnect
                        },
                    });
                    return Promise.resolve(new Response(body, {status: 200}));
                },
            };
            const events = [];
            const states = [];
            const stream = followEvents(api, 1, {
                onEvent: (e) => events.push([e.type, e.id, e.data]),
                onState: (s) => states.push(s),
            });
            const deadline = Date.now() + 5000;
            while (asked.length < 3 && Date.now() < deadline) {
                await new Promise((r) => setTimeout(r, 50));
            }
            stream.stop();
            return {events, asked, states, last: stream.lastEventId};
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
