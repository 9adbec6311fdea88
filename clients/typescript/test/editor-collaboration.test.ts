// EditorSession with others: two sessions on one lecture, a workflow writing meanwhile, a
// server restart in the middle of an edit; and what the session hands out (frozen values,
// update()).

import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";

import {
  type ConnectionState,
  EditorSession,
  type LectureEvent,
  type RemoteReport,
  TransportError,
  type WorkflowProgress,
} from "@tutopanda/client";

import { eventually, generatedLecture, until } from "./editing.js";
import {
  BASE_URL,
  clientFor,
  control,
  newUser,
  recordingFetch,
  RESTARTABLE_URL,
  tcpProxy,
} from "./support.js";

const DEBOUNCE = 100;

test("two sessions on one lecture edit different sections: both saved, no conflict", async () => {
  const [alice, bob] = [newUser("alice"), newUser("bob")];
  const [aliceApi, bobApi] = [clientFor(alice), clientFor(bob)];
  const { lectureId, projectId } = await aliceApi.createProject("Together");
  await aliceApi.setMember(projectId, bob, "editor");
  const remote = new Map<string, RemoteReport[]>([
    [alice, []],
    [bob, []],
  ]);
  const events: LectureEvent[] = [];
  const open = (user: string) =>
    EditorSession.open(user === alice ? aliceApi : bobApi, lectureId, {
      debounceMs: DEBOUNCE,
      onRemote: (report) => remote.get(user)?.push(report),
      ...(user === bob ? { onEvent: (event: LectureEvent) => events.push(event) } : {}),
    });
  const [mine, theirs] = await Promise.all([open(alice), open(bob)]);
  await eventually(() => mine.present.size === 2 && theirs.present.size === 2);

  mine.edit("title", "Alice's title");
  theirs.edit("summary", "Bob's summary");
  const saved = (status: { status: string; dirty: readonly string[] }) =>
    status.status === "saved" && status.dirty.length === 0;
  await Promise.all([until(mine, saved), until(theirs, saved)]);
  await eventually(
    () =>
      mine.value("summary") === "Bob's summary" &&
      theirs.value("title") === "Alice's title" &&
      mine.revision === 2 &&
      theirs.revision === 2,
  );
  assert.deepEqual([mine.status.conflict, theirs.status.conflict], [null, null]);
  assert.deepEqual(await aliceApi.listDrafts(lectureId), []);
  const latest = await aliceApi.getLecture(lectureId);
  assert.deepEqual(
    [latest.title, latest.summary, latest.revision],
    ["Alice's title", "Bob's summary", 2],
  );

  // each is told of the other's revision: the later save was merged onto the earlier one
  const first = (await aliceApi.listHistory(lectureId, { limit: 2 })).items[1];
  const [earlier, later] = first?.createdBy === alice ? [alice, bob] : [bob, alice];
  const told = (user: string) =>
    (remote.get(user) ?? []).map((report) => [
      report.merged,
      report.events.map((event) => [event.revision, event.actor, event.changedSections]),
    ]);
  const section = (user: string) => (user === alice ? "title" : "summary");
  assert.deepEqual(told(later), [[true, [[1, earlier, [section(earlier)]]]]]);
  assert.deepEqual(told(earlier), [[false, [[2, later, [section(later)]]]]]);

  // presence: Bob sees what Alice works on; every event reached onEvent
  await mine.setFocus("summary");
  await eventually(() => theirs.present.get(alice)?.focus?.section === "summary");
  assert.ok(events.some((event) => event.event === "presence"));
  assert.ok(events.some((event) => event.event === "lecture.revised"));
  await Promise.all([mine.close(), theirs.close()]);
  assert.equal(mine.connection, "closed");
});

test("a workflow writing meanwhile: the edit survives, the workflow's output arrives", async () => {
  const api = clientFor(newUser(), { baseUrl: BASE_URL });
  const generated = await generatedLecture(api, "How bees make honey");
  assert.notEqual(generated.timeline ?? null, null);
  const cleared = await api.saveLecture(
    generated.id,
    { timeline: null },
    { baseRevision: generated.revision },
  );
  const progress: WorkflowProgress[] = [];
  const remote: RemoteReport[] = [];
  const session = await EditorSession.open(api, generated.id, {
    debounceMs: DEBOUNCE,
    onProgress: (update) => progress.push(update),
    onRemote: (report) => remote.push(report),
  });
  assert.equal(session.value("timeline"), null);
  session.edit("summary", "Mine, while the timeline is rebuilt");
  const { runId } = await api.startWorkflow(generated.id, "timeline_resynthesis");
  const run = await api.waitForRun(runId, { timeoutMs: 20_000, pollIntervalMs: 200 });
  assert.equal(run.status, "succeeded", run.error ?? "");
  await eventually(
    () =>
      session.value("timeline") !== null &&
      session.status.dirty.length === 0 &&
      session.revision === session.status.serverRevision,
  );
  assert.equal(session.value("summary"), "Mine, while the timeline is rebuilt");
  await eventually(() => progress.some((p) => p.runId === runId && p.status === "succeeded"));
  await session.close();
  const latest = await api.getLecture(generated.id);
  assert.equal(latest.summary, "Mine, while the timeline is rebuilt");
  assert.notEqual(latest.timeline ?? null, null);
  assert.equal(latest.revision, cleared.revision + 2); // the edit, the workflow's step
  const byWorkflow = remote.flatMap((report) => report.events);
  assert.deepEqual(
    byWorkflow.map((event) => [event.source, event.runId, event.changedSections]),
    [["workflow", runId, ["timeline"]]],
  );
});

test("a server restart mid-edit: the save in flight is sent again with its key, once", async () => {
  const user = newUser();
  const { lectureId } = await clientFor(user, { baseUrl: RESTARTABLE_URL }).createProject("Away");
  const proxy = await tcpProxy(RESTARTABLE_URL);
  const { fetch, sent } = recordingFetch();
  const api = clientFor(user, { baseUrl: proxy.url, fetch, retry: { retries: 1, delayMs: 50 } });
  const connection: ConnectionState[] = [];
  const session = await EditorSession.open(api, lectureId, {
    debounceMs: 50,
    retryMs: 200,
    events: { reconnectDelayMs: 100 },
    onConnection: (state) => connection.push(state),
  });
  try {
    await eventually(() => session.connection === "open");
    const held = proxy.holdAnswers((head) => head.startsWith("PATCH "));
    session.edit("title", "Typed before the restart");
    await held; // the server saved it; its answer waits in the proxy
    await control("stop"); // and never comes: the server is gone
    const offline = await until(session, (status) => status.phase === "offline");
    assert.ok(offline.error instanceof TransportError);
    assert.deepEqual(offline.dirty, ["title"]);
    session.edit("summary", "Typed while the server was away");
    await sleep(300); // the session tries again every 200 ms: offline, or saving while it tries
    assert.ok(["offline", "saving"].includes(session.status.phase), session.status.phase);
    assert.deepEqual(session.dirty, ["title", "summary"]);
    await control("start");
    await until(session, (s) => s.status === "saved" && s.dirty.length === 0, 20_000);
    await eventually(() => session.connection === "open");
  } finally {
    await session.close();
    await proxy.close();
  }
  const patches = sent.filter((request) => request.method === "PATCH");
  const keys = patches.map((request) => request.headers.get("idempotency-key"));
  const [first] = keys;
  const last = patches.at(-1);
  assert.ok(patches.length >= 4, `the save was sent again (${patches.length} requests)`);
  assert.deepEqual(
    keys.slice(0, -1).filter((key) => key !== first),
    [],
    "every attempt of the first save had its key",
  );
  assert.deepEqual(
    patches.slice(-2).map((request) => [request.status, request.replayed]),
    [
      [200, true], // the first save, answered from the server's record of it
      [200, false], // then what was typed while the server was away
    ],
  );
  assert.notEqual(last?.headers.get("idempotency-key"), first);
  const direct = clientFor(user, { baseUrl: RESTARTABLE_URL });
  const history = await direct.listHistory(lectureId);
  assert.deepEqual(
    history.items.map((item) => [item.revision, item.changedSections]),
    [
      [2, ["summary"]],
      [1, ["title"]],
      [0, history.items.at(-1)?.changedSections],
    ],
  );
  assert.deepEqual(connection.slice(0, 2), ["connecting", "open"]);
  assert.ok(connection.includes("reconnecting"));
  assert.equal(connection.at(-1), "closed");
});

test("values are frozen; update() edits a copy; content() stays until a change", async () => {
  const api = clientFor();
  const { lectureId } = await api.createProject("Frozen");
  const session = await EditorSession.open(api, lectureId, { debounceMs: 60_000 });
  const images = [{ id: "a", prompt: "First" }];
  session.edit("images", images);
  images.push({ id: "b", prompt: "Not in the session" }); // the session kept a copy
  const kept = session.value("images");
  assert.deepEqual(kept, [{ id: "a", prompt: "First" }]);
  assert.ok(Object.isFrozen(kept) && Object.isFrozen(kept[0]));
  assert.throws(() => {
    (kept as { prompt: string }[])[0]!.prompt = "Mutated";
  }, TypeError);

  const before = session.content();
  assert.equal(session.content(), before);
  session.update("images", (draft) => {
    draft.push({ id: "b", prompt: "Second" }); // mutates the copy
  });
  session.update("title", (title) => `${title}!`); // or returns the new value
  assert.notEqual(session.content(), before);
  assert.deepEqual(
    session.value("images").map((image) => image.prompt),
    ["First", "Second"],
  );
  assert.equal(session.value("title"), `${before.title}!`);
  assert.deepEqual(kept, [{ id: "a", prompt: "First" }]);
  assert.equal(Object.isFrozen(session.snapshot), true);
  await session.close();
  const saved = await api.getLecture(lectureId);
  assert.deepEqual(
    (saved.images ?? []).map((image) => image.id),
    ["a", "b"],
  );
});
