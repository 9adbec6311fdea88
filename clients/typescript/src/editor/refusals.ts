// What a session does when the server refuses a save (409), per conflict policy.

import type { TutopandaClient } from "../client.js";
import { ClientError, NotFound, RevisionConflict } from "../errors.js";
import type { LecturePatch, SaveResponse } from "../types.js";
import { sectionsOf } from "./buffer.js";
import type { Frozen, SectionValues } from "./content.js";
import type { SessionState } from "./state.js";
import type { ConflictPolicy } from "./status.js";

/** A draft apply that keeps losing to other writers is reported, not looped. */
export const APPLY_ATTEMPTS = 3;

type Sections = Frozen<Partial<SectionValues>>;

/** Apply `policy` to a refused save of `sections` (still in flight in the buffer). */
export async function settle(
  client: TutopandaClient,
  lectureId: number,
  state: SessionState,
  policy: ConflictPolicy,
  refusal: RevisionConflict,
  sections: Sections,
): Promise<void> {
  if (refusal.lecture !== null) state.heardOf(refusal.lecture.revision);
  if (policy === "force") {
    await force(client, lectureId, state, refusal, sections);
    return;
  }
  if (policy === "merge" && refusal.conflicts.length === 0 && refusal.draftId !== null) {
    const unresolved = await applyDraft(client, lectureId, state, refusal, refusal.draftId);
    if (unresolved === null) return;
    refusal = unresolved;
  }
  state.conflict = Object.freeze({
    policy,
    draftId: refusal.draftId,
    sections,
    conflicts: refusal.conflicts,
    latest: refusal.lecture,
    pointers: Object.freeze(refusal.pointers),
  });
  if (policy === "merge") {
    state.buffer.hold();
  } else {
    state.buffer.drop();
    state.pullFailed = false;
  }
}

/** Merge the refused save, which the server kept as a draft, onto the latest revision (the
 * same as resending it with `merge`, without leaving the draft behind); null when that worked,
 * else the last refusal. */
async function applyDraft(
  client: TutopandaClient,
  lectureId: number,
  state: SessionState,
  refusal: RevisionConflict,
  draftId: number,
): Promise<RevisionConflict | null> {
  for (let attempt = 0; attempt < APPLY_ATTEMPTS; attempt += 1) {
    let result: SaveResponse;
    try {
      result = await client.applyDraft(lectureId, draftId);
    } catch (error) {
      if (!(error instanceof RevisionConflict)) throw error;
      refusal = error;
      if (error.conflicts.length > 0) return error;
      continue;
    }
    state.record(result, false);
    return null;
  }
  return refusal;
}

/** Send the refused sections again with `force`, on their own base: the history records the
 * save as forced over what happened since. */
async function force(
  client: TutopandaClient,
  lectureId: number,
  state: SessionState,
  refusal: RevisionConflict,
  sections: Sections,
): Promise<void> {
  let result: SaveResponse;
  try {
    result = await client.saveLecture(lectureId, sections as LecturePatch, {
      baseRevision: state.buffer.baseRevision,
      force: true,
    });
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    state.failed(error);
    return;
  }
  state.record(result, false);
  if (refusal.draftId !== null) await discardDraft(client, lectureId, refusal.draftId);
}

/** Resolve a conflict with the local version: the held sections, forced, and the draft that
 * kept them discarded. Null when nothing was held. */
export async function forceHeld(
  client: TutopandaClient,
  lectureId: number,
  state: SessionState,
): Promise<SaveResponse | null> {
  const report = state.conflict;
  const held = state.buffer.releaseHeld();
  if (held.size === 0) return null;
  state.buffer.inflight = held;
  let result: SaveResponse;
  try {
    result = await client.saveLecture(lectureId, sectionsOf(held) as LecturePatch, {
      baseRevision: state.buffer.baseRevision,
      force: true,
    });
  } catch (error) {
    state.failed(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
  state.record(result, false);
  state.conflict = null;
  if (report !== null && report.draftId !== null) {
    await discardDraft(client, lectureId, report.draftId);
  }
  return result;
}

/** Discard a draft whose content was saved some other way (gone already is fine). */
export async function discardDraft(
  client: TutopandaClient,
  lectureId: number,
  draftId: number,
): Promise<void> {
  try {
    await client.deleteDraft(lectureId, draftId);
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
  }
}
