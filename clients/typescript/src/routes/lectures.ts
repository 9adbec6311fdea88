// A lecture, its history and presence: the calls of /lectures/{id}, …/history, …/diff and
// …/presence.

import { call, defined, etag, fill, readAnswer } from "../call.js";
import type { Focus, LecturePatch, LectureSnapshot } from "../types.js";

export function getLecture(lectureId: number) {
  return call("get", "/lectures/{lecture_id}", { path: { lecture_id: lectureId } });
}

export function getLectureIfChanged(lectureId: number, revision: number) {
  return call("get", "/lectures/{lecture_id}", {
    path: { lecture_id: lectureId },
    headers: { "If-None-Match": etag(revision) },
    ok: [200, 304],
    read: async (response) =>
      response.status === 304 ? null : ((await readAnswer(response)) as LectureSnapshot),
  });
}

export function saveLecture(
  lectureId: number,
  payload: LecturePatch,
  baseRevision: number,
  merge: boolean,
  force: boolean,
) {
  return call("patch", "/lectures/{lecture_id}", {
    path: { lecture_id: lectureId },
    headers: { "If-Match": etag(baseRevision) },
    body: { payload, ...(merge ? { merge } : {}), ...(force ? { force } : {}) },
  });
}

export function listHistory(lectureId: number, limit?: number, before?: number) {
  return call("get", "/lectures/{lecture_id}/history", {
    path: { lecture_id: lectureId },
    query: defined({ limit, before }),
  });
}

export function getRevision(lectureId: number, revision: number) {
  return call("get", "/lectures/{lecture_id}/history/{revision}", {
    path: { lecture_id: lectureId, revision },
  });
}

export function diff(lectureId: number, fromRevision: number, toRevision: number) {
  return call("get", "/lectures/{lecture_id}/diff", {
    path: { lecture_id: lectureId },
    query: { from: fromRevision, to: toRevision },
  });
}

export function restoreRevision(
  lectureId: number,
  revision: number,
  baseRevision: number,
  force: boolean,
) {
  return call("post", "/lectures/{lecture_id}/history/{revision}/restore", {
    path: { lecture_id: lectureId, revision },
    headers: { "If-Match": etag(baseRevision) },
    ...(force ? { body: { force } } : {}),
  });
}

export function setFocus(lectureId: number, focus: Focus | null) {
  return call("put", "/lectures/{lecture_id}/presence", {
    path: { lecture_id: lectureId },
    body: { focus },
    ok: [204],
  });
}

/** The path of the lecture's event stream (GET, text/event-stream: read by EventStream). */
export function eventsPath(lectureId: number): string {
  return fill("/lectures/{lecture_id}/events", { lecture_id: lectureId });
}
