// EditorSession against a real server, the scenarios of the Python session's tests
// (tests/client/test_editor_session.py) one by one: debounced saves, one in flight, merges,
// lost answers, conflicts and the three policies; with the phase of each situation.

import assert from "node:assert/strict";
import { setTimeout as sleep } from "node:timers/promises";
import { test } from "node:test";

import {
  EditorSession,
  type EditorSessionOptions,
  type LectureSnapshot,
  type RemoteReport,
  type SessionStatus,
  TransportError,
  type TutopandaClient,
  ValidationFailed,
} from "@tutopanda/client";

import { generatedLecture, revisionsAfter, SlowSaves, until } from "./editing.js";
import { BASE_URL, clientFor, newUser } from "./support.js";

const DEBOUNCE = 100;
const NO_RETRY = { retries: 0 }; // the session's own retries are under test

/** A new user's client of the idle server, through `wire`, and a lecture of theirs. */
async function idleLecture(wire?: SlowSaves): Promise<[TutopandaClient, LectureSnapshot]> {
  const api = clientFor(newUser(), { retry: NO_RETRY, ...(wire ? { fetch: wire.fetch } : {}) });
  const { lectureId } = await api.createProject("Editing");
  return [api, await api.getLecture(lectureId)];
}

async function opened(
  api: TutopandaClient,
  lecture: LectureSnapshot,
  options: EditorSessionOptions = {},
): Promise<EditorSession> {
  return EditorSession.open(api, lecture.id, { debounceMs: DEBOUNCE, ...options });
}

/** The [status, phase] of each status, repeats collapsed. */
function phases(seen: SessionStatus[]): string[] {
  const names = seen.map((status) => `${status.status}/${status.phase}`);
  return names.filter((name, index) => name !== names[index - 1]);
}

test("a burst of edits is one save after the debounce", async () => {
  const [api, lecture] = await idleLecture();
  const seen: SessionStatus[] = [];
  // A debounce far longer than the pauses, however late a loaded machine wakes the test (the
  // Python sessions' burst tests made two saves at 200 ms in a CI run).
  const session = await opened(api, lecture, {
    debounceMs: 1_000,
    onStatus: (status) => seen.push(status),
  });
  for (let step = 0; step < 8; step += 1) {
    session.edit("title", `Typing ${step}`); // never quiet for a whole debounce
    await sleep(25);
  }
  assert.deepEqual(session.dirty, ["title"]);
  assert.deepEqual(await revisionsAfter(api, lecture), []);
  const saved = await until(session, (status) => status.status === "saved");
  assert.equal(saved.revision, lecture.revision + 1);
  assert.equal(session.value("title"), "Typing 7");
  await session.close();
  assert.deepEqual(await revisionsAfter(api, lecture), [lecture.revision + 1]);
  assert.equal((await api.getLecture(lecture.id)).title, "Typing 7");
  assert.deepEqual(phases(seen), ["idle/saved", "idle/unsaved", "saving/saving", "saved/saved"]);
});

test("edits during a save are saved after it, never two saves in flight", async () => {
  const wire = new SlowSaves();
  wire.delayMs = 300;
  const [api, lecture] = await idleLecture(wire);
  const session = await opened(api, lecture);
  session.edit("title", "First");
  await until(session, (status) => status.phase === "saving");
  session.edit("summary", "Typed while saving");
  session.edit("title", "Second");
  assert.equal(session.value("title"), "Second");
  assert.deepEqual(session.dirty, ["title", "summary"]);
  assert.equal(session.status.phase, "saving");
  await until(session, (status) => status.status === "saved" && status.dirty.length === 0);
  await session.close();
  const [first, second] = wire.saves;
  assert.ok(first && second && wire.saves.length === 2);
  assert.deepEqual(wire.bodies()[0]?.payload, { title: "First" });
  assert.deepEqual(wire.bodies()[1]?.payload, { summary: "Typed while saving", title: "Second" });
  assert.ok(second.started >= first.ended, "never two saves in flight");
  const after = await api.getLecture(lecture.id);
  assert.deepEqual(
    [after.title, after.summary, after.revision],
    ["Second", "Typed while saving", lecture.revision + 2],
  );
});

test("flush saves at once; close flushes", async () => {
  const [api, lecture] = await idleLecture();
  const session = await opened(api, lecture, { debounceMs: 60_000 });
  session.edit("summary", "Now");
  const status = await session.flush();
  assert.deepEqual(
    [status.status, status.phase, status.revision],
    ["saved", "saved", lecture.revision + 1],
  );
  session.edit("summary", "On close");
  await session.close();
  assert.equal((await api.getLecture(lecture.id)).summary, "On close");
  assert.throws(() => {
    session.edit("summary", "After");
  }, /closed/);
});

/** The images of `lecture` with the prompt of image `index` changed. */
function imagesWith(lecture: LectureSnapshot, index: number, prompt: string) {
  const images = structuredClone(lecture.images ?? []);
  const image = images[index];
  assert.ok(image, `the lecture has an image ${index}`);
  image.prompt = prompt;
  return images;
}

for (const followEvents of [true, false]) {
  const how = followEvents ? "its event seen first" : "refused, then merged";
  test(`another writer's save to another part is merged (${how})`, async () => {
    const owner = newUser("owner");
    const wire = new SlowSaves();
    const api = clientFor(owner, { baseUrl: BASE_URL, fetch: wire.fetch });
    const lecture = await generatedLecture(api);
    assert.ok((lecture.images ?? []).length >= 2);
    const other = newUser("other");
    await api.setMember(lecture.projectId, other, "editor");
    const theirs = clientFor(other, { baseUrl: BASE_URL });
    const remote: RemoteReport[] = [];
    const session = await opened(api, lecture, {
      debounceMs: followEvents ? 1_000 : 500,
      followEvents,
      onRemote: (report) => remote.push(report),
    });
    session.edit("images", imagesWith(lecture, 0, "Mine: the first image"));
    const saved = await theirs.saveLecture(
      lecture.id,
      { images: imagesWith(lecture, 1, "Theirs: the second") },
      { baseRevision: lecture.revision },
    );
    if (followEvents) {
      // the session hears of it before its own save
      await until(session, (status) => status.serverRevision === saved.revision, 900);
    }
    const status = await until(
      session,
      (s) => s.status === "saved" && s.revision > saved.revision && s.dirty.length === 0,
    );
    const prompts = session.value("images").map((image) => image.prompt);
    await session.close();
    assert.deepEqual(prompts.slice(0, 2), ["Mine: the first image", "Theirs: the second"]);
    const latest = await api.getLecture(lecture.id);
    assert.deepEqual(
      (latest.images ?? []).slice(0, 2).map((image) => image.prompt),
      prompts.slice(0, 2),
    );
    assert.equal(status.revision, latest.revision);
    assert.equal(latest.revision, saved.revision + 1);
    const [mine] = wire.saves;
    assert.equal(mine?.ifMatch, `"${lecture.revision}"`);
    assert.equal(wire.bodies()[0]?.merge ?? false, followEvents);
    assert.deepEqual(await api.listDrafts(lecture.id), []);
    // who it was merged with: named from the event, or from the history when it never came
    assert.deepEqual(remote, [
      {
        merged: true,
        events: [
          {
            revision: saved.revision,
            actor: other,
            source: "app",
            changedSections: ["images"],
            runId: null,
            forced: false,
            restoredFrom: null,
          },
        ],
      },
    ]);
  });
}

test("a dropped save is sent again", async () => {
  const wire = new SlowSaves();
  wire.fail = 1;
  const [api, lecture] = await idleLecture(wire);
  const session = await opened(api, lecture, { retryMs: 150 });
  session.edit("summary", "Survives a dropped connection");
  const failed = await until(session, (status) => status.status === "error");
  assert.equal(failed.phase, "offline");
  assert.deepEqual(failed.dirty, ["summary"]);
  assert.ok(failed.error instanceof TransportError);
  await until(session, (status) => status.status === "saved");
  await session.close();
  assert.equal(wire.saves.length, 2);
  assert.equal(wire.saves[1]?.key, wire.saves[0]?.key);
  assert.equal((await api.getLecture(lecture.id)).summary, "Survives a dropped connection");
});

test("a save whose answer was lost is answered, not made twice", async () => {
  // The save went through but its answer was lost: the session sends the same request with
  // the same Idempotency-Key and gets the first answer (not a conflict with its own
  // revision); what was typed meanwhile is saved after it.
  const wire = new SlowSaves();
  wire.lose = 1;
  const [api, lecture] = await idleLecture(wire);
  const session = await opened(api, lecture, { retryMs: 150 });
  session.edit("summary", "Saved once");
  const failed = await until(session, (status) => status.phase === "offline");
  assert.ok(failed.error instanceof TransportError);
  session.edit("title", "Typed while offline");
  assert.equal(session.status.phase, "offline"); // its save is sent again first
  await until(session, (status) => status.status === "saved" && status.dirty.length === 0);
  await session.close();
  const [first, again, after] = wire.saves;
  assert.ok(first && again && after && wire.saves.length === 3);
  assert.deepEqual([again.key, again.body, again.replayed], [first.key, first.body, true]);
  assert.notEqual(after.key, first.key);
  assert.deepEqual(await revisionsAfter(api, lecture), [
    lecture.revision + 1,
    lecture.revision + 2,
  ]);
  assert.deepEqual(await api.listDrafts(lecture.id), []);
  const saved = await api.getLecture(lecture.id);
  assert.deepEqual([saved.summary, saved.title], ["Saved once", "Typed while offline"]);
});

test("edits a lecture cannot hold are refused at once; the server names the field", async () => {
  const [api, lecture] = await idleLecture();
  const session = await opened(api, lecture);
  assert.throws(() => {
    session.edit("colour" as "title", "red");
  }, RangeError);
  assert.throws(() => {
    session.edit("summary", Number.NaN as unknown as string);
  }, /not JSON/);
  assert.throws(() => {
    session.edit("script", { segments: [new Date()] } as never);
  }, TypeError);
  session.edit("title", 42 as unknown as string); // JSON, but not a title
  const failed = await until(session, (status) => status.status === "error");
  assert.equal(failed.phase, "unsaved"); // not sent again until the next edit or flush()
  assert.ok(failed.error instanceof ValidationFailed);
  assert.deepEqual(failed.error.fields, ["payload.title"]);
  session.edit("title", "Fixed");
  await until(session, (status) => status.status === "saved");
  await session.close();
  assert.equal((await api.getLecture(lecture.id)).title, "Fixed");
});

test("a clean session pulls another writer's revision and says whose it is", async () => {
  const [api, lecture] = await idleLecture();
  const other = newUser("other");
  await api.setMember(lecture.projectId, other, "editor");
  const pulled: number[] = [];
  const remote: RemoteReport[] = [];
  const session = await opened(api, lecture, {
    onSnapshot: (snapshot) => pulled.push(snapshot.revision),
    onRemote: (report) => remote.push(report),
  });
  const saved = await clientFor(other).saveLecture(
    lecture.id,
    { summary: "From elsewhere" },
    { baseRevision: lecture.revision },
  );
  const status = await until(session, (s) => s.revision === saved.revision);
  assert.equal(status.phase, "saved");
  assert.equal(session.value("summary"), "From elsewhere");
  await session.close();
  assert.deepEqual(pulled, [saved.revision]);
  assert.deepEqual(
    remote.map((report) => [report.merged, report.events.map((e) => [e.revision, e.actor])]),
    [[false, [[saved.revision, other]]]],
  );
});

/** The session and another writer change the title differently; the other one first. */
async function clash(
  api: TutopandaClient,
  lecture: LectureSnapshot,
  session: EditorSession,
): Promise<SessionStatus> {
  session.edit("title", "Mine");
  await api.saveLecture(lecture.id, { title: "Theirs" }, { baseRevision: lecture.revision });
  return until(
    session,
    (status) => ["conflict", "saved"].includes(status.status) && status.dirty.length === 0,
  );
}

test("a true conflict is reported, kept as a draft and held; reapply forces it", async () => {
  const [api, lecture] = await idleLecture();
  const session = await opened(api, lecture);
  const status = await clash(api, lecture, session);
  const report = status.conflict;
  assert.deepEqual([status.status, status.phase], ["conflict", "conflict"]);
  assert.ok(report !== null && report.draftId !== null);
  assert.deepEqual(
    [report.policy, report.pointers, report.sections],
    ["merge", ["/title"], { title: "Mine" }],
  );
  assert.equal(report.latest?.title, "Theirs");
  assert.equal(session.value("title"), "Mine");
  assert.deepEqual(session.held, { title: "Mine" });
  const drafts = await api.listDrafts(lecture.id);
  assert.deepEqual(
    drafts.map((draft) => [draft.id, draft.sections]),
    [[report.draftId, { title: "Mine" }]],
  );
  assert.equal((await api.getLecture(lecture.id)).title, "Theirs");

  session.edit("summary", "Other edits still save");
  await until(session, (s) => s.dirty.length === 0 && s.status === "conflict");
  assert.deepEqual(session.held, { title: "Mine" }); // not resent until chosen
  await session.reapply();
  assert.deepEqual([session.status.status, session.status.phase], ["saved", "saved"]);
  await until(session, (s) => s.revision === s.serverRevision && s.dirty.length === 0);
  await session.close();
  const latest = await api.getLecture(lecture.id);
  assert.deepEqual([latest.title, latest.summary], ["Mine", "Other edits still save"]);
  const newest = (await api.listHistory(lecture.id, { limit: 1 })).items[0];
  assert.deepEqual([newest?.changedSections, newest?.forced], [["title"], true]);
  assert.deepEqual(await api.listDrafts(lecture.id), []);
});

test("reload after a conflict shows theirs: the draft stays, or is discarded", async () => {
  const [api, lecture] = await idleLecture();
  const session = await opened(api, lecture);
  const status = await clash(api, lecture, session);
  assert.ok(status.conflict !== null);
  session.dismissConflict(); // the report goes; the held edit stays, unsaved
  assert.deepEqual([session.status.status, session.status.phase], ["idle", "unsaved"]);
  assert.deepEqual(session.held, { title: "Mine" });
  await session.reload();
  assert.equal(session.value("title"), "Theirs");
  assert.deepEqual([session.status.status, session.status.phase], ["idle", "saved"]);
  const kept = await api.listDrafts(lecture.id);
  assert.deepEqual(
    kept.map((draft) => [draft.id, draft.sections]),
    [[status.conflict.draftId, { title: "Mine" }]],
  );
  await api.deleteDraft(lecture.id, status.conflict.draftId ?? 0);

  const theirs = await api.getLecture(lecture.id);
  session.edit("title", "Mine again");
  await api.saveLecture(lecture.id, { title: "Theirs again" }, { baseRevision: theirs.revision });
  const again = await until(session, (s) => s.status === "conflict");
  assert.equal(typeof again.conflict?.draftId, "number");
  await session.reload({ discardDraft: true });
  assert.equal(session.value("title"), "Theirs again");
  await session.close();
  assert.deepEqual(await api.listDrafts(lecture.id), []);
});

test("the reload policy takes the server's snapshot", async () => {
  const [api, lecture] = await idleLecture();
  const session = await opened(api, lecture, { policy: "reload" });
  session.edit("summary", "Mine, on another section");
  const saved = await api.saveLecture(
    lecture.id,
    { title: "Theirs" },
    { baseRevision: lecture.revision },
  );
  const status = await until(
    session,
    (s) => s.status === "conflict" && s.revision === saved.revision,
  );
  const report = status.conflict;
  assert.ok(report !== null && report.draftId !== null);
  assert.deepEqual(
    [report.policy, report.sections],
    ["reload", { summary: "Mine, on another section" }],
  );
  assert.equal(session.value("title"), "Theirs");
  assert.equal(session.value("summary"), lecture.summary ?? null);
  await session.close();
  const draft = await api.getDraft(lecture.id, report.draftId);
  assert.deepEqual(draft.sections, { summary: "Mine, on another section" });
});

test("the force policy overwrites and leaves no draft", async () => {
  const [api, lecture] = await idleLecture();
  const session = await opened(api, lecture, { policy: "force" });
  const status = await clash(api, lecture, session);
  assert.deepEqual([status.status, status.phase, status.conflict], ["saved", "saved", null]);
  await session.close();
  const latest = await api.getLecture(lecture.id);
  const newest = (await api.listHistory(lecture.id, { limit: 1 })).items[0];
  assert.deepEqual([latest.title, newest?.forced], ["Mine", true]);
  assert.deepEqual(await api.listDrafts(lecture.id), []);
});

test("a failing callback does not stop auto-save", async () => {
  const [api, lecture] = await idleLecture();
  const warned: string[] = [];
  const session = await opened(api, lecture, {
    onStatus: () => {
      throw new Error("the editor's own bug");
    },
    warn: (message) => warned.push(message),
  });
  session.edit("summary", "Saved anyway");
  const status = await until(session, (s) => s.status === "saved");
  await session.close();
  assert.equal(status.error, null);
  assert.equal((await api.getLecture(lecture.id)).summary, "Saved anyway");
  assert.ok(warned.includes("a callback of an editor session failed"));
});
