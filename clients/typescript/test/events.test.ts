// The event stream: SSE parsing, typed events from the real server, and a dropped connection
// resumed with Last-Event-ID (the server replays exactly what was missed).

import assert from "node:assert/strict";
import { test } from "node:test";

import { type LectureEvent, NotFound, SseParser } from "@tutopanda/client";

import { clientFor, fakeServer, newUser, recordingFetch, tcpProxy } from "./support.js";

test("the parser takes chunks cut anywhere, any line ending, comments and retry", () => {
  const text =
    ': heartbeat\r\nretry: 2500\r\nid: 6.8\r\nevent: lecture.state\r\ndata: {"revision":6}\r\n\r\n' +
    "event: note\ndata: one\ndata: two\n\nid: 7.8\rdata: {}\r\r";
  const whole = new SseParser().push(text);
  assert.deepEqual(whole, [
    { event: "lecture.state", id: "6.8", data: '{"revision":6}' },
    { event: "note", id: "6.8", data: "one\ntwo" },
    { event: "message", id: "7.8", data: "{}" },
  ]);
  const parser = new SseParser();
  const cut = [...text].flatMap((character) => parser.push(character));
  assert.deepEqual(cut, whole);
  assert.equal(parser.lastEventId, "7.8");
  assert.equal(parser.retryMs, 2500);
});

test("the stream yields typed events as they commit", async () => {
  const api = clientFor();
  const { lectureId } = await api.createProject("Typed events");
  const stream = api.events(lectureId);
  const state = await stream.next();
  assert.equal(state.value?.event, "lecture.state");
  assert.equal(state.value.data.revision, 0);
  assert.equal(stream.lastEventId, state.value.id);
  await api.saveLecture(lectureId, { title: "Live" }, { baseRevision: 0 });
  for await (const event of stream) {
    if (event.event !== "lecture.revised") continue;
    assert.deepEqual(
      [event.data.revision, event.data.changedSections, event.data.source],
      [1, ["title"], "app"],
    );
    break; // ends the stream
  }
  assert.equal(stream.connected, false);
});

test("a dropped stream reconnects with Last-Event-ID and gets exactly what it missed", async () => {
  const user = newUser();
  const direct = clientFor(user);
  const { lectureId } = await direct.createProject("Drops");
  const proxy = await tcpProxy(direct.transport.baseUrl);
  const { fetch, sent } = recordingFetch();
  const api = clientFor(user, { baseUrl: proxy.url, fetch });
  const stream = api.events(lectureId, { reconnectDelayMs: 20 });
  const revisions: number[] = [];
  const revised = async (): Promise<LectureEvent> => {
    for (;;) {
      const { value } = await stream.next();
      assert.ok(value);
      if (value.event === "lecture.revised") {
        revisions.push(value.data.revision);
        return value;
      }
    }
  };
  try {
    await stream.open();
    await direct.saveLecture(lectureId, { title: "One" }, { baseRevision: 0 });
    const before = await revised();
    proxy.drop(); // the connection is cut; meanwhile two more revisions commit
    await direct.saveLecture(lectureId, { title: "Two" }, { baseRevision: 1 });
    await direct.saveLecture(lectureId, { title: "Three" }, { baseRevision: 2 });
    await revised();
    await revised();
    assert.deepEqual(revisions, [1, 2, 3]);
    const opened = sent.map((request) => request.headers.get("last-event-id"));
    assert.deepEqual(opened, [null, before.id]);
  } finally {
    stream.close();
    await proxy.close();
  }
});

test("a silent connection, a disconnect and a 404 on reconnecting, from a fake server", async () => {
  const seen: (string | undefined)[] = [];
  const server = await fakeServer((request, response) => {
    const last = request.headers["last-event-id"];
    seen.push(typeof last === "string" ? last : undefined);
    const answer = (body: string): void => {
      response.writeHead(200, { "content-type": "text/event-stream" }).end(body);
    };
    if (seen.length === 1) {
      response.writeHead(200, { "content-type": "text/event-stream" }).write(": hello\n\n");
      return; // then silence: the client drops it after its idle timeout
    }
    if (last === "4.1") {
      answer(
        'id: 5.1\nevent: lecture.revised\ndata: {"revision":5}\n\n' +
          'event: disconnect\ndata: {"reason":"behind"}\n\n',
      );
    } else if (last === "5.1") {
      answer(
        'id: 6.1\nevent: lecture.revised\ndata: {"revision":6}\n\nevent: surprise\ndata: [1]\n\n',
      );
    } else {
      response.writeHead(404, { "content-type": "application/problem+json" });
      response.end('{"code":"not_found","status":404,"title":"Not Found","detail":"removed"}');
    }
  });
  try {
    const api = clientFor(newUser(), { baseUrl: server.url });
    const stream = api.events(7, { lastEventId: "4.1", idleTimeoutMs: 300, reconnectDelayMs: 1 });
    const events: [string, string | null][] = [];
    const error = await (async () => {
      for await (const event of stream) events.push([event.event, event.id]);
    })().catch((caught: unknown) => caught);
    assert.ok(error instanceof NotFound);
    assert.deepEqual(events, [
      ["lecture.revised", "5.1"],
      ["disconnect", "5.1"],
      ["lecture.revised", "6.1"],
      ["other", "6.1"],
    ]);
    assert.deepEqual(seen.slice(0, 2), ["4.1", "4.1"]);
    assert.deepEqual(seen.slice(-2), ["5.1", "6.1"]);
  } finally {
    await server.close();
  }
});

test("closing or aborting ends the iteration, also while it waits", async () => {
  const api = clientFor();
  const { lectureId } = await api.createProject("Closing");
  const stream = api.events(lectureId);
  await stream.next(); // lecture.state
  const waiting = stream.next(); // an event already received, else it waits for one
  stream.close();
  await waiting; // settles either way
  assert.deepEqual(await stream.next(), { value: undefined, done: true });

  const controller = new AbortController();
  const aborted = api.events(lectureId, { signal: controller.signal });
  const names: string[] = [];
  for await (const event of aborted) {
    names.push(event.event);
    if (names.length === 1) {
      setTimeout(() => {
        controller.abort(); // while the loop waits for the next event
      }, 50);
    }
  }
  assert.equal(names[0], "lecture.state");
  assert.equal(aborted.connected, false);
});
