// What an editor session knows at a moment, shared by its saving, pulling and conflict parts.

import { newIdempotencyKey } from "../transport.js";
import type { SaveResponse } from "../types.js";
import { type EditBuffer, type Layer, sectionsOf } from "./buffer.js";
import type { Frozen, SectionValues } from "./content.js";
import { SECTION_NAMES } from "./content.js";
import type { RemoteLog } from "./remote.js";
import type { ConflictReport, SavePhase, SaveStatus, SessionStatus } from "./status.js";

/** One save as sent. When its answer is lost (no connection, a 503) it is sent again exactly,
 * with the same Idempotency-Key: a save that did go through is answered, not made twice. */
export interface SaveAttempt {
  readonly sections: Frozen<Partial<SectionValues>>;
  readonly baseRevision: number;
  readonly merge: boolean;
  readonly key: string;
}

export function saveAttempt(sections: Layer, baseRevision: number, merge: boolean): SaveAttempt {
  return { sections: sectionsOf(sections), baseRevision, merge, key: newIdempotencyKey() };
}

/** The buffer, the newest revision heard of on the server, the outcome of the last save (a
 * conflict to resolve, an error), and the others' revisions (`remote`). */
export class SessionState {
  conflict: ConflictReport | null = null;
  error: Error | null = null;
  savedOnce = false;
  /** Until the next event: a failed pull is not retried in a loop. */
  pullFailed = false;
  /** A save whose answer was lost, to send again. */
  unanswered: SaveAttempt | null = null;

  constructor(
    readonly buffer: EditBuffer,
    public serverRevision: number,
    readonly remote: RemoteLog,
  ) {}

  /** Note a revision the server has; true when it is newer than any known. */
  heardOf(revision: number): boolean {
    if (revision <= this.serverRevision) return false;
    this.serverRevision = revision;
    this.pullFailed = false;
    return true;
  }

  /** A save went through: move its sections out of flight. */
  record(result: SaveResponse, onBase: boolean): void {
    if (onBase) this.buffer.savedOnBase(result.revision, result.updatedAt);
    else this.buffer.savedElsewhere();
    this.remote.wrote(result.revision, result.mergedOnto ?? null, onBase);
    this.heardOf(result.revision);
    this.error = null;
    this.savedOnce = true;
  }

  /** A save did not happen: its sections are dirty again. */
  failed(error: Error): void {
    this.buffer.failed();
    this.error = error;
  }

  /** A save got no answer: it may have happened. Its sections stay in flight, and the same
   * request is sent again (newer edits wait for the save after it). */
  lost(attempt: SaveAttempt, error: Error): void {
    this.unanswered = attempt;
    this.error = error;
  }

  /** Whether the server has a newer snapshot to take (only while nothing is dirty). */
  wantsPull(): boolean {
    const buffer = this.buffer;
    const behind = this.serverRevision > buffer.baseRevision || buffer.applied.size > 0;
    return buffer.clean && behind && !this.pullFailed;
  }

  status(): SessionStatus {
    const buffer = this.buffer;
    let status: SaveStatus = "idle";
    let phase: SavePhase = "saved";
    if (this.unanswered !== null) {
      [status, phase] = ["error", "offline"]; // waiting to send its save again
    } else if (buffer.inflight.size > 0) {
      [status, phase] = ["saving", "saving"];
    } else if (this.conflict !== null) {
      [status, phase] = ["conflict", "conflict"];
    } else {
      if (this.error !== null) status = "error";
      else if (this.savedOnce && buffer.pending.size === 0) status = "saved";
      if (buffer.pending.size > 0 || buffer.held.size > 0) phase = "unsaved";
    }
    return Object.freeze({
      status,
      phase,
      revision: buffer.baseRevision,
      serverRevision: this.serverRevision,
      dirty: Object.freeze(
        SECTION_NAMES.filter((name) => buffer.pending.has(name) || buffer.inflight.has(name)),
      ),
      conflict: this.conflict,
      error: this.error,
    });
  }
}
