// Other writers' revisions that a session's snapshot comes to show: heard from the lecture's
// `lecture.revised` events, or read from its history when their events have not arrived, and
// told apart from the session's own revisions.

import type { LectureRevised } from "../event-types.js";
import type { HistoryPage } from "../types.js";

/** A revision another writer made (another person, another tab of the same user, a workflow,
 * a restore): from its `lecture.revised` event or its history row. */
export interface RemoteRevision {
  readonly revision: number;
  /** Who made it (the user id; null when the event did not say). */
  readonly actor: string | null;
  readonly source: "app" | "workflow" | "system";
  readonly changedSections: readonly string[];
  readonly runId: string | null;
  readonly forced: boolean;
  readonly restoredFrom: number | null;
}

/** Other writers' revisions the session's snapshot now shows; `merged`: one of the session's
 * saves was merged onto them (its edit and theirs are both kept). */
export interface RemoteReport {
  readonly merged: boolean;
  readonly events: readonly RemoteRevision[];
}

/** Reads the lecture's history, newest first, from `before` down (what a RemoteLog needs of
 * the client). */
export type HistoryReader = (options: { before: number; limit: number }) => Promise<HistoryPage>;

const MAX_HISTORY_PAGE = 500; // the API's largest page of history

/** The session's own revisions, the others' heard of, and how far the snapshot was reported. */
export class RemoteLog {
  private readonly own = new Set<number>();
  private readonly heard = new Map<number, RemoteRevision>();
  private mergedOnto = 0; // the newest revision a save of the session was merged onto

  /** `shown`: the revision of the snapshot the session opened with. */
  constructor(private shown: number) {}

  /** A revision this session wrote: on its base (`mergedOnto` null), or merged onto a newer
   * one. A save on its base moves the snapshot with nothing between. */
  wrote(revision: number, mergedOnto: number | null, onBase: boolean): void {
    this.own.add(revision);
    if (mergedOnto !== null) this.mergedOnto = Math.max(this.mergedOnto, mergedOnto);
    if (onBase) this.shown = Math.max(this.shown, revision);
  }

  /** A `lecture.revised` event. */
  revised(event: LectureRevised): void {
    if (event.revision <= this.shown) return;
    this.heard.set(event.revision, {
      revision: event.revision,
      actor: event.actor ?? null,
      source: event.source,
      changedSections: event.changedSections,
      runId: event.runId ?? null,
      forced: event.forced ?? false,
      restoredFrom: event.restoredFrom ?? null,
    });
  }

  /** The snapshot now shows `revision`: the others' revisions since the last report, oldest
   * first: first those a save was merged onto (`merged`), then the rest. `history` names those
   * whose events have not arrived; without it (or when it fails) they are left out. */
  async adopted(revision: number, history?: HistoryReader): Promise<RemoteReport[]> {
    const from = this.shown;
    if (revision <= from) return [];
    this.shown = revision;
    const missing: number[] = [];
    for (let number = from + 1; number <= revision; number += 1) {
      if (!this.own.has(number) && !this.heard.has(number)) missing.push(number);
    }
    if (missing.length > 0 && history !== undefined) await this.read(history, from, revision);
    const events: RemoteRevision[] = [];
    for (let number = from + 1; number <= revision; number += 1) {
      const event = this.heard.get(number);
      if (event !== undefined && !this.own.has(number)) events.push(event);
    }
    for (const number of [...this.heard.keys()]) if (number <= revision) this.heard.delete(number);
    const mergedOnto = this.mergedOnto;
    if (mergedOnto <= revision) this.mergedOnto = 0;
    const merged = events.filter((event) => event.revision <= mergedOnto);
    const others = events.filter((event) => event.revision > mergedOnto);
    return [
      ...(merged.length > 0 ? [{ merged: true, events: merged }] : []),
      ...(others.length > 0 ? [{ merged: false, events: others }] : []),
    ];
  }

  /** The history rows after `from` up to `to` (one page: at most the API's largest). */
  private async read(history: HistoryReader, from: number, to: number): Promise<void> {
    const page = await history({ before: to + 1, limit: Math.min(to - from, MAX_HISTORY_PAGE) });
    for (const item of page.items) {
      if (item.revision <= from || item.revision > to || this.heard.has(item.revision)) continue;
      this.heard.set(item.revision, {
        revision: item.revision,
        actor: item.createdBy,
        source: item.source,
        changedSections: item.changedSections,
        runId: item.runId,
        forced: item.forced,
        restoredFrom: item.restoredFrom,
      });
    }
  }
}
