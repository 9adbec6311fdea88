// What an editor shows about its session: the save status and phase, a conflict to resolve,
// and the feed that tells callbacks and iterators about each change.

import type { LectureSnapshot, MergeConflict, SectionName } from "../types.js";
import type { Frozen, SectionValues } from "./content.js";

/** The Python session's status: `idle` (nothing saved yet, or edits waiting for the
 * debounce), `saving` (a save in flight), `saved` (every edit is saved), `conflict` (a save was
 * refused: see `conflict`), `error` (it failed, or its answer was lost: it is sent again). */
export type SaveStatus = "idle" | "saving" | "saved" | "conflict" | "error";

/** What an editor's save indicator says, one word per situation: `saved` (nothing waits: every
 * edit is on the server), `saving` (a save is in flight), `unsaved` (edits wait: for the
 * debounce, after a refused save such as a 422, or held after a dismissed conflict),
 * `conflict` (a save was refused as a conflict: `conflict` says what to resolve), `offline` (a
 * save got no answer, a dropped connection or a 503: it is sent again, with its key, after
 * `retryMs` or the server's Retry-After). */
export type SavePhase = "saved" | "saving" | "unsaved" | "conflict" | "offline";

/** What a session does with a save the server refuses (a 409): README, "EditorSession". */
export type ConflictPolicy = "merge" | "reload" | "force";

/** A save the server refused, and what the session did with it (`policy`).
 *
 * `merge`: the sections are kept locally (`EditorSession.held`) until `reapply()` or
 * `reload()`; `reload`: the session took the server's snapshot. Either way the refused sections
 * are on the server as conflict draft `draftId`, with the `conflicts` (JSON paths changed
 * differently on both sides, `pointers`; empty for a plain stale base). */
export interface ConflictReport {
  readonly policy: ConflictPolicy;
  readonly draftId: number | null;
  readonly sections: Frozen<Partial<SectionValues>>;
  readonly conflicts: readonly MergeConflict[];
  /** The server's snapshot when it refused. */
  readonly latest: LectureSnapshot | null;
  readonly pointers: readonly string[];
}

/** A session's state at one moment: its save status and phase, the base revision (what the
 * local snapshot is), the newest revision known on the server, the unsaved sections (waiting
 * or being sent, in the lecture's order), the conflict to resolve, the last error. */
export interface SessionStatus {
  readonly status: SaveStatus;
  readonly phase: SavePhase;
  readonly revision: number;
  readonly serverRevision: number;
  readonly dirty: readonly SectionName[];
  readonly conflict: ConflictReport | null;
  readonly error: Error | null;
}

/** Whether two statuses say the same (the error is not compared, as in Python). */
export function sameStatus(a: SessionStatus, b: SessionStatus): boolean {
  return (
    a.status === b.status &&
    a.phase === b.phase &&
    a.revision === b.revision &&
    a.serverRevision === b.serverRevision &&
    a.conflict === b.conflict &&
    a.dirty.length === b.dirty.length &&
    a.dirty.every((section, index) => b.dirty[index] === section)
  );
}

/** Where a session reports what went wrong outside a save: a callback that threw, a pull or
 * a history read that failed, the event stream ending. */
export type Warn = (message: string, error: unknown) => void;

/** Call an editor's callback; its failure is reported (`warn`), never the session's. */
export function notify<T>(warn: Warn, callback: ((value: T) => void) | undefined, value: T): void {
  if (callback === undefined) return;
  try {
    callback(value);
  } catch (error) {
    warn("a callback of an editor session failed", error);
  }
}

/** Tells a callback and async iterators about each change of status. */
export class StatusFeed {
  private readonly queues = new Set<Queue>();
  private last: SessionStatus | null = null;
  private ended = false;

  constructor(
    private readonly warn: Warn,
    private readonly callback?: (status: SessionStatus) => void,
  ) {}

  /** Tell everyone, unless nothing changed since the last status. */
  publish(status: SessionStatus): void {
    if (this.last !== null && sameStatus(status, this.last)) return;
    this.last = status;
    notify(this.warn, this.callback, status);
    for (const queue of this.queues) queue.push(status);
  }

  /** End every iterator (the session closed). */
  end(): void {
    this.ended = true;
    for (const queue of this.queues) queue.end();
  }

  /** Each status from now on, until the session closes (`break` stops following). */
  changes(): AsyncIterableIterator<SessionStatus> {
    const queue = new Queue();
    if (this.ended) queue.end();
    else this.queues.add(queue);
    const stop = (): Promise<IteratorResult<SessionStatus, undefined>> => {
      this.queues.delete(queue);
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: async () => {
        const status = await queue.next();
        return status === null ? stop() : { value: status, done: false };
      },
      return: stop,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }
}

/** Statuses waiting for an iterator, until it ends (then `next` gives null). */
class Queue {
  private readonly items: SessionStatus[] = [];
  private waiting: ((item: SessionStatus | null) => void) | null = null;
  private ended = false;

  push(item: SessionStatus): void {
    if (this.waiting === null) this.items.push(item);
    else this.wake(item);
  }

  end(): void {
    this.ended = true;
    if (this.waiting !== null) this.wake(null);
  }

  next(): Promise<SessionStatus | null> {
    const item = this.items.shift();
    if (item !== undefined || this.ended) return Promise.resolve(item ?? null);
    return new Promise((resolve) => {
      this.waiting = resolve;
    });
  }

  private wake(item: SessionStatus | null): void {
    const wake = this.waiting;
    this.waiting = null;
    wake?.(item);
  }
}
