// Conflict drafts: the calls of /lectures/{id}/drafts.

import { call } from "../call.js";

export function listDrafts(lectureId: number) {
  return call("get", "/lectures/{lecture_id}/drafts", { path: { lecture_id: lectureId } });
}

export function getDraft(lectureId: number, draftId: number) {
  return call("get", "/lectures/{lecture_id}/drafts/{draft_id}", {
    path: { lecture_id: lectureId, draft_id: draftId },
  });
}

export function applyDraft(lectureId: number, draftId: number) {
  return call("post", "/lectures/{lecture_id}/drafts/{draft_id}/apply", {
    path: { lecture_id: lectureId, draft_id: draftId },
  });
}

export function deleteDraft(lectureId: number, draftId: number) {
  return call("delete", "/lectures/{lecture_id}/drafts/{draft_id}", {
    path: { lecture_id: lectureId, draft_id: draftId },
    ok: [204],
  });
}
