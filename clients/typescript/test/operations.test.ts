// Every operation of the served OpenAPI document is callable through TutopandaClient: each is
// called here against the real server, and the requests fetch sent are matched against the
// document's operations, which must all have been sent.

import assert from "node:assert/strict";
import { test } from "node:test";

import { RevisionConflict, TutopandaClient } from "@tutopanda/client";

import { BASE_URL, IDLE_URL, newUser, recordingFetch, tokenFor } from "./support.js";

const VERBS = ["get", "post", "put", "patch", "delete"];

async function servedOperations(): Promise<Map<string, RegExp>> {
  const response = await fetch(`${BASE_URL}/schema/openapi.json`);
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  const operations = new Map<string, RegExp>();
  for (const [template, item] of Object.entries(document.paths)) {
    const pattern = new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`);
    for (const verb of Object.keys(item).filter((name) => VERBS.includes(name))) {
      operations.set(`${verb.toUpperCase()} ${template}`, pattern);
    }
  }
  return operations;
}

test("every operation of the OpenAPI document is called through the client", async () => {
  const { fetch, sent } = recordingFetch();
  const owner = newUser("owner");
  const api = new TutopandaClient({
    baseUrl: BASE_URL,
    token: () => Promise.resolve(tokenFor(owner)),
    fetch,
  });

  assert.equal(await api.health(), true);
  assert.equal(await api.ready(), true);

  const created = await api.createProject("How volcanoes erupt", { name: "Volcanoes" });
  const generated = await api.waitForRun(created.runId, { timeoutMs: 20_000, pollIntervalMs: 500 });
  assert.equal(generated.status, "succeeded", generated.error ?? "");
  const page = await api.listProjects({ limit: 5 });
  assert.deepEqual(
    page.items.map((project) => project.id),
    [created.projectId],
  );
  const project = await api.getProject(created.projectId);
  const renamed = await api.updateProject(created.projectId, {
    baseRevision: project.settingsRevision,
    name: "Volcanoes, renamed",
  });
  assert.equal(renamed.name, "Volcanoes, renamed");

  const editor = newUser("editor");
  assert.equal((await api.setMember(created.projectId, editor, "editor")).role, "editor");
  const members = await api.listMembers(created.projectId);
  assert.deepEqual(
    members.map((member) => [member.userId, member.role]),
    [
      [owner, "owner"],
      [editor, "editor"],
    ],
  );
  assert.equal(await api.removeMember(created.projectId, editor), undefined);

  const lectureId = created.lectureId;
  const lecture = await api.getLecture(lectureId);
  assert.equal(await api.getLectureIfChanged(lectureId, lecture.revision), null);
  const saved = await api.saveLecture(
    lectureId,
    { title: "Eruptions" },
    {
      baseRevision: lecture.revision,
    },
  );
  assert.equal(saved.revision, lecture.revision + 1);
  const history = await api.listHistory(lectureId, { limit: 2 });
  assert.deepEqual(
    history.items.map((item) => item.revision),
    [saved.revision, lecture.revision],
  );
  assert.equal((await api.getRevision(lectureId, lecture.revision)).data.title, lecture.title);
  const changes = await api.diff(lectureId, lecture.revision, saved.revision);
  assert.deepEqual(Object.keys(changes.sections), ["title"]);
  const restored = await api.restoreRevision(lectureId, lecture.revision, {
    baseRevision: saved.revision,
  });
  assert.equal(restored.revision, saved.revision + 1);

  // A stale save of another section is refused and kept as a draft; applying it merges it.
  const stale = await api
    .saveLecture(lectureId, { summary: "Kept" }, { baseRevision: lecture.revision })
    .catch((error: unknown) => error);
  assert.ok(stale instanceof RevisionConflict && stale.draftId !== null);
  assert.deepEqual(
    (await api.listDrafts(lectureId)).map((draft) => draft.id),
    [stale.draftId],
  );
  assert.equal((await api.getDraft(lectureId, stale.draftId)).sections["summary"], "Kept");
  assert.equal((await api.applyDraft(lectureId, stale.draftId)).mergedOnto, restored.revision);
  const dropped = await api
    .saveLecture(lectureId, { summary: "Dropped" }, { baseRevision: lecture.revision })
    .catch((error: unknown) => error);
  assert.ok(dropped instanceof RevisionConflict && dropped.draftId !== null);
  assert.equal(await api.deleteDraft(lectureId, dropped.draftId), undefined);
  assert.deepEqual(await api.listDrafts(lectureId), []);

  assert.equal(await api.setFocus(lectureId, { section: "title" }), undefined);
  assert.equal(await api.setFocus(lectureId, null), undefined);

  const resynthesis = await api.startWorkflow(lectureId, "timeline_resynthesis");
  assert.equal(
    (await api.waitForRun(resynthesis.runId, { timeoutMs: 20_000, pollIntervalMs: 500 })).status,
    "succeeded",
  );
  const image = (await api.getLecture(lectureId)).images?.[0];
  assert.ok(image);
  const proposal = await api.regenerateAsset(lectureId, "image", image.id, { prompt: "At dusk" });
  const review = await api.waitForRun(proposal.runId, { timeoutMs: 20_000, pollIntervalMs: 500 });
  assert.equal(review.status, "waiting_for_review");
  assert.equal((await api.acceptRun(proposal.runId)).status, "succeeded");
  const second = await api.regenerateAsset(lectureId, "image", image.id);
  await api.waitForRun(second.runId, { timeoutMs: 20_000, pollIntervalMs: 500 });
  assert.equal((await api.rejectRun(second.runId)).status, "rejected");

  const stream = api.events(lectureId);
  const first = await stream.next();
  stream.close();
  assert.equal(first.value?.event, "lecture.state");

  // Cancel and resume on the server without a worker, where a run stays queued.
  const idle = new TutopandaClient({ baseUrl: IDLE_URL, token: tokenFor(owner), fetch });
  const queued = await idle.createProject("Queued");
  assert.equal((await idle.cancelRun(queued.runId)).status, "cancelled");
  assert.equal((await idle.resumeRun(queued.runId)).status, "queued");
  assert.equal((await idle.getRun(queued.runId)).status, "queued");
  await idle.cancelRun(queued.runId);

  const operations = await servedOperations();
  const called = new Set<string>();
  for (const request of sent) {
    for (const [operation, pattern] of operations) {
      if (operation.startsWith(`${request.method} `) && pattern.test(request.url.pathname)) {
        called.add(operation);
      }
    }
  }
  assert.deepEqual(
    [...operations.keys()].filter((operation) => !called.has(operation)),
    [],
  );
});
