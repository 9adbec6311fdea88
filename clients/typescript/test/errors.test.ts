// The API's problems as the client's typed errors, from real answers of a real server (and of a
// fake proxy for what the API never sends itself).

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  ClientError,
  Conflict,
  Forbidden,
  IdempotencyKeyReused,
  LastOwner,
  NotFound,
  PayloadTooLarge,
  PROBLEM_CLASSES,
  ProblemError,
  QuotaExceeded,
  RevisionConflict,
  ServerError,
  ServiceUnavailable,
  TooManyRequests,
  TransportError,
  TutopandaClient,
  Unauthorized,
  ValidationFailed,
} from "@tutopanda/client";

import { BASE_URL, clientFor, fakeServer, newUser, recordingFetch, tokenFor } from "./support.js";

/** What `promise` rejects with (a failed assertion when it resolves). */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => assert.fail(`expected an error, got ${JSON.stringify(value)}`),
    (error: unknown) => error,
  );
}

test("a missing lecture, or another user's, is NotFound", async () => {
  const alice = clientFor();
  const { lectureId } = await alice.createProject("Private");
  for (const error of [
    await refusal(clientFor().getLecture(lectureId)),
    await refusal(alice.getLecture(2_000_000_000)),
  ]) {
    assert.ok(error instanceof NotFound);
    assert.ok(error instanceof ProblemError && error instanceof ClientError);
    assert.equal(error.status, 404);
    assert.equal(error.code, "not_found");
    assert.equal(error.problem.code, "not_found");
    assert.equal(error.requestId.length, 32);
    assert.equal(error.problemJson, true);
  }
});

test("a stale save is a RevisionConflict carrying the latest lecture and the draft", async () => {
  const api = clientFor();
  const { lectureId } = await api.createProject("Conflicts");
  const base = (await api.getLecture(lectureId)).revision;
  await api.saveLecture(lectureId, { title: "Theirs" }, { baseRevision: base });
  const stale = await refusal(
    api.saveLecture(lectureId, { title: "Mine" }, { baseRevision: base }),
  );
  assert.ok(stale instanceof RevisionConflict && stale instanceof Conflict);
  assert.equal(stale.status, 409);
  assert.equal(stale.lecture?.revision, base + 1);
  assert.equal(stale.lecture.title, "Theirs");
  assert.equal(typeof stale.draftId, "number");
  assert.deepEqual(stale.pointers, []);
  const clash = await refusal(
    api.saveLecture(lectureId, { title: "Mine" }, { baseRevision: base, merge: true }),
  );
  assert.ok(clash instanceof RevisionConflict);
  assert.deepEqual(clash.pointers, ["/title"]);
  assert.deepEqual([clash.conflicts[0]?.mine, clash.conflicts[0]?.theirs], ["Mine", "Theirs"]);
});

test("a second active run is a plain Conflict; the last owner is LastOwner", async () => {
  const owner = newUser();
  const idle = clientFor(owner);
  const created = await idle.createProject("Busy");
  const busy = await refusal(idle.startWorkflow(created.lectureId, "timeline_resynthesis"));
  assert.ok(busy instanceof Conflict && !(busy instanceof RevisionConflict));
  assert.equal(busy.code, "conflict");
  const last = await refusal(idle.removeMember(created.projectId, owner));
  assert.ok(last instanceof LastOwner && last instanceof Conflict);
  const viewer = newUser();
  await idle.setMember(created.projectId, viewer, "viewer");
  const asViewer = clientFor(viewer);
  const forbidden = await refusal(
    asViewer.saveLecture(created.lectureId, { title: "No" }, { baseRevision: 0 }),
  );
  assert.ok(forbidden instanceof Forbidden);
  assert.equal(forbidden.status, 403);
  await idle.cancelRun(created.runId);
});

test("the sixth active run is QuotaExceeded, with its quota, limit and Retry-After", async () => {
  const idle = clientFor();
  const runs = [];
  for (let n = 0; n < 5; n += 1) runs.push(await idle.createProject(`Run ${n}`));
  const full = await refusal(idle.createProject("Sixth"));
  assert.ok(full instanceof QuotaExceeded && full instanceof TooManyRequests);
  assert.deepEqual(
    [full.status, full.quota, full.limit, full.retryAfter],
    [429, "active_runs", 5, 30],
  );
  for (const run of runs) await idle.cancelRun(run.runId);
});

test("a 422 names the invalid field; a key sent with another request is reused", async () => {
  const api = clientFor();
  const { lectureId } = await api.createProject("Fields");
  const invalid = await refusal(
    api.saveLecture(lectureId, { title: 42 as unknown as string }, { baseRevision: 0 }),
  );
  assert.ok(invalid instanceof ValidationFailed);
  assert.deepEqual(
    [invalid.status, invalid.code, invalid.fields],
    [422, "validation_failed", ["payload.title"]],
  );
  await api.saveLecture(
    lectureId,
    { title: "A" },
    { baseRevision: 0, idempotencyKey: "node-key-1" },
  );
  const reused = await refusal(
    api.saveLecture(lectureId, { title: "B" }, { baseRevision: 1, idempotencyKey: "node-key-1" }),
  );
  assert.ok(reused instanceof IdempotencyKeyReused && reused instanceof ValidationFailed);
  assert.deepEqual(reused.fields, ["Idempotency-Key"]);
});

test("a body over the server's limit is PayloadTooLarge", async () => {
  const api = clientFor();
  const { lectureId } = await api.createProject("Big");
  const error = await refusal(
    api.saveLecture(lectureId, { summary: "x".repeat(3_000_000) }, { baseRevision: 0 }),
  );
  assert.ok(error instanceof PayloadTooLarge);
  assert.deepEqual([error.status, error.code], [413, "payload_too_large"]);
});

test("a 401 asks the token function once more for a fresh token, then throws", async () => {
  const user = newUser();
  const asked: boolean[] = [];
  const { fetch, sent } = recordingFetch();
  const expiring = new TutopandaClient({
    baseUrl: BASE_URL,
    fetch,
    token: ({ refresh }) => {
      asked.push(refresh);
      return tokenFor(user, refresh ? 3600 : -60); // the cached one has expired
    },
  });
  assert.deepEqual((await expiring.listProjects()).items, []);
  assert.deepEqual(asked, [false, true]);
  assert.deepEqual(
    sent.map((request) => request.status),
    [401, 200],
  );

  asked.length = 0;
  const refused = new TutopandaClient({
    baseUrl: BASE_URL,
    token: ({ refresh }) => {
      asked.push(refresh);
      return "not-a-jwt";
    },
  });
  const error = await refusal(refused.listProjects());
  assert.ok(error instanceof Unauthorized);
  assert.deepEqual([error.status, error.code], [401, "unauthorized"]);
  assert.deepEqual(asked, [false, true]);
});

test("a proxy's non-JSON 502 is a ServerError; a text 429 and a JSON 503 are typed too", async () => {
  const answers = [
    { status: 502, type: "text/html", body: "<html><h1>502 Bad Gateway</h1></html>" },
    { status: 429, type: "text/plain", body: "slow down", retryAfter: "7" },
    {
      status: 503,
      type: "application/problem+json",
      body: '{"code": "server_busy"}',
      retryAfter: "1",
    },
    { status: 418, type: "application/json", body: "[]" },
  ];
  const proxy = await fakeServer((_request, response) => {
    const answer = answers.shift();
    assert.ok(answer);
    const headers: Record<string, string> = { "content-type": answer.type };
    if (answer.retryAfter !== undefined) headers["retry-after"] = answer.retryAfter;
    response.writeHead(answer.status, headers).end(answer.body);
  });
  try {
    const api = new TutopandaClient({ baseUrl: proxy.url, token: "t", retry: { retries: 0 } });
    const html = await refusal(api.getLecture(1));
    assert.ok(html instanceof ServerError);
    assert.deepEqual([html.status, html.code, html.problemJson], [502, "http_502", false]);
    assert.match(html.detail, /502 Bad Gateway/);
    assert.equal(html.problem.instance, "/lectures/1");
    const text = await refusal(api.getLecture(1));
    assert.ok(text instanceof TooManyRequests);
    assert.equal(text.retryAfter, 7);
    const busy = await refusal(api.getLecture(1));
    assert.ok(busy instanceof ServiceUnavailable);
    assert.deepEqual(
      [busy.constructor.name, busy.code, busy.retryAfter],
      ["ServerBusy", "server_busy", 1],
    );
    const teapot = await refusal(api.getLecture(1));
    assert.equal(Object.getPrototypeOf(teapot), ProblemError.prototype);
  } finally {
    await proxy.close();
  }
});

test("no server is a TransportError, after the retries", async () => {
  const proxy = await fakeServer(() => undefined);
  await proxy.close(); // a port that was just free: nothing listens there now
  const { fetch, sent } = recordingFetch();
  const api = new TutopandaClient({
    baseUrl: proxy.url,
    token: "t",
    fetch,
    retry: { retries: 2, delayMs: 1 },
  });
  const error = await refusal(api.listProjects());
  assert.ok(error instanceof TransportError);
  assert.match(error.message, /ECONNREFUSED/);
  assert.equal(sent.length, 3);
});

test("every code the client knows has its own class", () => {
  for (const [code, kind] of Object.entries(PROBLEM_CLASSES)) {
    assert.ok(kind.codes.includes(code), code);
  }
  assert.equal(new Set(Object.values(PROBLEM_CLASSES)).size, Object.keys(PROBLEM_CLASSES).length);
});
