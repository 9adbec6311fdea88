// A write whose answer was lost, or that met a 503, is sent again with the same Idempotency-Key:
// the server answers it as the first time and does nothing twice.

import assert from "node:assert/strict";
import { test } from "node:test";

import { newIdempotencyKey, ServiceUnavailable } from "@tutopanda/client";

import { clientFor, newUser, recordingFetch } from "./support.js";

const FAST = { retries: 2, delayMs: 1 };

function keysOf(sent: { method: string; headers: Headers }[], method: string): (string | null)[] {
  return sent
    .filter((request) => request.method === method)
    .map((request) => request.headers.get("idempotency-key"));
}

test("a save whose answer was lost is sent again with its key, and saved once", async () => {
  const user = newUser();
  let drop = false;
  const { fetch, sent } = recordingFetch({
    after: (request, response) => {
      if (!drop || request.method !== "PATCH") return;
      drop = false;
      void response.body?.cancel();
      throw new TypeError("fetch failed", { cause: new Error("socket hang up") });
    },
  });
  const api = clientFor(user, { fetch, retry: FAST });
  const { lectureId } = await api.createProject("Lost answers");
  const base = (await api.getLecture(lectureId)).revision; // 0: no worker writes
  drop = true;
  const saved = await api.saveLecture(lectureId, { title: "Once" }, { baseRevision: base });
  assert.equal(saved.revision, base + 1);
  const patches = sent.filter((request) => request.method === "PATCH");
  assert.deepEqual(
    patches.map((request) => [request.status, request.replayed]),
    [
      [200, false],
      [200, true],
    ],
  );
  const [first, again] = keysOf(sent, "PATCH");
  assert.ok(first !== null && first !== undefined);
  assert.equal(again, first);
  const history = await api.listHistory(lectureId);
  assert.deepEqual(history.items.map((item) => item.revision).slice(0, 2), [base + 1, base]);
});

test("a project created while the answer was lost is created once", async () => {
  let drop = true;
  const { fetch, sent } = recordingFetch({
    after: (request, response) => {
      if (!drop || request.method !== "POST") return;
      drop = false;
      void response.body?.cancel();
      throw new TypeError("fetch failed");
    },
  });
  const api = clientFor(newUser(), { fetch, retry: FAST });
  const created = await api.createProject("Exactly one");
  const keys = keysOf(sent, "POST");
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1]);
  assert.deepEqual(
    (await api.listProjects()).items.map((project) => project.id),
    [created.projectId],
  );
});

test("a 503 is retried after its Retry-After with the same key", async () => {
  let unavailable = 1;
  const { fetch, sent } = recordingFetch({
    before: (request) => {
      if (request.method !== "PATCH" || unavailable === 0) return undefined;
      unavailable -= 1;
      const problem = { status: 503, code: "database_unavailable", title: "Service Unavailable" };
      return new Response(JSON.stringify(problem), {
        status: 503,
        headers: { "content-type": "application/problem+json", "retry-after": "0" },
      });
    },
  });
  const api = clientFor(newUser(), { fetch, retry: FAST });
  const { lectureId } = await api.createProject("Away");
  const saved = await api.saveLecture(lectureId, { title: "Back" }, { baseRevision: 0 });
  assert.equal(saved.revision, 1);
  assert.deepEqual(
    sent.filter((request) => request.method === "PATCH").map((request) => request.status),
    [503, 200],
  );
  const [first, again] = keysOf(sent, "PATCH");
  assert.equal(again, first);

  unavailable = 3;
  const error = await api
    .saveLecture(lectureId, { title: "Later" }, { baseRevision: 1, retry: { retries: 0 } })
    .catch((caught: unknown) => caught);
  assert.ok(error instanceof ServiceUnavailable);
  assert.equal(error.retryAfter, 0);
});

test("a caller's own key sends one write again: the first answer, replayed", async () => {
  const { fetch, sent } = recordingFetch();
  const api = clientFor(newUser(), { fetch });
  const { lectureId } = await api.createProject("My key");
  const idempotencyKey = newIdempotencyKey();
  const first = await api.saveLecture(
    lectureId,
    { title: "Mine" },
    { baseRevision: 0, idempotencyKey },
  );
  const again = await api.saveLecture(
    lectureId,
    { title: "Mine" },
    { baseRevision: 0, idempotencyKey },
  );
  assert.deepEqual(again, first);
  assert.deepEqual(
    sent.filter((request) => request.method === "PATCH").map((request) => request.replayed),
    [false, true],
  );
  await api.getLecture(lectureId);
  const read = sent.find((request) => request.method === "GET");
  assert.equal(read?.headers.get("idempotency-key"), null, "a read carries no key");
});

test("an aborted call rejects with the signal's reason and is not retried", async () => {
  const { fetch, sent } = recordingFetch();
  const api = clientFor(newUser(), { fetch, retry: FAST });
  const controller = new AbortController();
  controller.abort(new Error("the user left"));
  await assert.rejects(api.listProjects({ signal: controller.signal }), {
    message: "the user left",
  });
  assert.ok(sent.length <= 1);
});
