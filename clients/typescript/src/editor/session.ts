// EditorSession: the editor's auto-save loop against the API (the Python SDK's, in TypeScript).
//
// One worker does every save and every pull, one at a time, so at most one save is in flight
// and a pulled snapshot never lands under an edit being sent. Edits only touch the buffer and
// re-arm the debounce timer; the event stream only records the server's newest revision.

import type { TutopandaClient } from "../client.js";
import { ClientError, RevisionConflict, ServiceUnavailable, TransportError } from "../errors.js";
import type { PresentPerson } from "../event-types.js";
import type { ConnectionState } from "../events.js";
import type { LecturePatch, LectureSnapshot, SaveResponse, SectionName } from "../types.js";
import { EditBuffer } from "./buffer.js";
import type { Frozen, SectionValues } from "./content.js";
import { LectureFollower, type RevisionEvent } from "./follow.js";
import { DEFAULT_DEBOUNCE_MS, type EditorSessionOptions, RETRY_MS } from "./options.js";
import { discardDraft, forceHeld, settle } from "./refusals.js";
import { pull, type Puller } from "./pull.js";
import { RemoteLog } from "./remote.js";
import { saveAttempt, SessionState } from "./state.js";
import {
  type ConflictPolicy,
  type ConflictReport,
  type SessionStatus,
  StatusFeed,
  type Warn,
} from "./status.js";

/** Holds a lecture, buffers edits per section, saves them after a quiet `debounceMs`.
 *
 * Saves send only the dirty sections, on the revision they were made on; when the server is
 * known to have moved on, with `merge` (policy `merge`). On a 409 the `policy` decides: `merge`
 * merges per JSON path and keeps true conflicts as the server's draft (reported in `conflict`,
 * the local edit kept in `held` until `reapply()` or `reload()`); `reload` takes the server's
 * snapshot and reports the draft keeping the edit; `force` overwrites. When another writer's
 * revision arrives while nothing is dirty, the newer snapshot is pulled. Values handed out are
 * frozen: edit a copy (`update()` makes one). */
export class EditorSession {
  /** What the next refused save is settled with. */
  policy: ConflictPolicy;
  readonly debounceMs: number;
  readonly retryMs: number | null;
  private readonly options: EditorSessionOptions;
  private readonly warn: Warn;
  private readonly feed: StatusFeed;
  private current: SessionState | null = null;
  private due = false; // the debounce elapsed (or flush asked): save the dirty sections
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private worker: Promise<void> = Promise.resolve();
  private saving: Promise<unknown> = Promise.resolve(); // saves and reapply(), one at a time
  private readonly follower: LectureFollower;
  private readonly puller: Puller;
  private closing: Promise<void> | null = null;
  private closed = false; // set once close() has flushed: no more saves, pulls or timers

  constructor(
    readonly client: TutopandaClient,
    readonly lectureId: number,
    options: EditorSessionOptions = {},
  ) {
    this.options = options;
    this.policy = options.policy ?? "merge";
    this.debounceMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.retryMs = options.retryMs === undefined ? RETRY_MS : options.retryMs;
    // eslint-disable-next-line no-console -- the default place to report, as Python logs
    this.warn = options.warn ?? ((message, error) => console.warn(message, error));
    this.feed = new StatusFeed(this.warn, options.onStatus);
    this.follower = new LectureFollower(client, lectureId, options, this.warn, (event) => {
      this.heard(event);
    });
    this.puller = { client, lectureId, options, warn: this.warn, publish: () => this.publish() };
  }

  /** A session on the lecture, opened. */
  static open(
    client: TutopandaClient,
    lectureId: number,
    options?: EditorSessionOptions,
  ): Promise<EditorSession> {
    return new EditorSession(client, lectureId, options).open();
  }

  // life cycle
  /** Load the lecture and start following its events. */
  async open(): Promise<this> {
    const snapshot = await this.client.getLecture(this.lectureId);
    const remote = new RemoteLog(snapshot.revision);
    this.current = new SessionState(new EditBuffer(snapshot), snapshot.revision, remote);
    if (this.options.followEvents ?? true) this.follower.start();
    this.publish();
    return this;
  }

  /** Save what is dirty (once), then stop following events; the status iterators end. Edits
   * are refused from the call on. */
  close(): Promise<void> {
    this.closing ??= this.shut();
    return this.closing;
  }

  private async shut(): Promise<void> {
    try {
      if (this.current !== null) await this.flush();
    } finally {
      this.closed = true;
      this.cancelTimer();
      await this.follower.stop();
      this.feed.end();
    }
  }

  // what the editor reads
  private get state(): SessionState {
    if (this.current === null) throw new Error("open the session first (await session.open())");
    return this.current;
  }

  /** The server snapshot the local content is based on. */
  get snapshot(): Frozen<LectureSnapshot> {
    return this.state.buffer.snapshot;
  }
  /** The base revision: what the next save is sent on. */
  get revision(): number {
    return this.state.buffer.baseRevision;
  }
  get status(): SessionStatus {
    return this.state.status();
  }
  /** Sections edited and not saved yet (waiting or being sent). */
  get dirty(): readonly SectionName[] {
    return this.status.dirty;
  }
  /** Sections refused in a conflict and kept locally (policy `merge`). */
  get held(): Frozen<Partial<SectionValues>> {
    return Object.freeze(Object.fromEntries(this.state.buffer.held));
  }
  /** The last refused save, until it is resolved or dismissed. */
  get conflict(): ConflictReport | null {
    return this.state.conflict;
  }
  /** Who is on the lecture now, by user id (this user included), with their focus. */
  get present(): ReadonlyMap<string, PresentPerson> {
    return this.follower.present;
  }
  /** Where the event stream's connection stands (`closed` when not following). */
  get connection(): ConnectionState {
    return this.follower.connection;
  }

  /** A section as the user sees it (local edits on top of the snapshot), frozen. */
  value<S extends SectionName>(section: S): Frozen<SectionValues[S]> {
    return this.state.buffer.value(section) as Frozen<SectionValues[S]>;
  }
  /** Every section as the user sees it: frozen, the same object until something changes. */
  content(): Frozen<SectionValues> {
    return this.state.buffer.content();
  }
  /** Each change of status from now on, until the session closes. */
  statuses(): AsyncIterableIterator<SessionStatus> {
    return this.feed.changes();
  }

  // what the editor does
  /** Replace a section locally (a frozen copy is kept); it is saved after the debounce,
   * counted from the LAST edit. RangeError for an unknown section, TypeError for a value JSON
   * cannot carry (the server checks the rest: a 422 naming the field, status `error`). */
  edit<S extends SectionName>(section: S, value: Frozen<SectionValues[S]>): void {
    if (this.closing !== null) throw new Error("the session is closed");
    this.state.buffer.edit(section, value);
    this.arm(this.debounceMs);
    this.publish();
  }

  /** Edit a copy of a section: `change` mutates the copy or returns the new value. */
  update<S extends SectionName>(
    section: S,
    change: (draft: SectionValues[S]) => SectionValues[S] | void,
  ): void {
    const draft = structuredClone(this.value(section)) as SectionValues[S];
    const changed = change(draft) ?? draft;
    this.edit(section, changed as Frozen<SectionValues[S]>);
  }

  /** Save the dirty sections now and wait for the save (and any pull) to finish. */
  async flush(): Promise<SessionStatus> {
    this.cancelTimer();
    this.due = true;
    this.kick();
    while (this.running) await this.worker;
    return this.status;
  }

  /** Forget the conflict report (the draft stays on the server). Held sections stay held:
   * resolve them with `reapply()` or `reload()`, or edit them again. */
  dismissConflict(): void {
    this.state.conflict = null;
    this.publish();
  }

  /** Resolve a conflict with the local version: save the held sections with `force` (whole
   * sections replace the server's), then discard the draft that kept them. */
  async reapply(): Promise<SaveResponse | null> {
    const result = await this.exclusive(async () => {
      this.publish();
      try {
        return await forceHeld(this.client, this.lectureId, this.state);
      } finally {
        this.publish();
      }
    });
    this.kick();
    return result;
  }

  /** Resolve a conflict with the server's version: forget the held sections and pull; the
   * draft keeping them stays on the server unless `discardDraft`. */
  async reload(options: { discardDraft?: boolean | undefined } = {}): Promise<void> {
    const state = this.state;
    const report = state.conflict;
    state.conflict = null;
    state.buffer.releaseHeld();
    if (options.discardDraft === true && report !== null && report.draftId !== null) {
      await discardDraft(this.client, this.lectureId, report.draftId);
    }
    state.pullFailed = false;
    await this.flush();
  }

  /** Tell the others what this editor works on (null: nothing in particular). */
  async setFocus(section: SectionName | null, itemId?: string | null): Promise<void> {
    const focus = section === null ? null : { section, itemId: itemId ?? null };
    await this.client.setFocus(this.lectureId, focus);
  }

  // the worker
  private arm(delayMs: number): void {
    this.cancelTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.due = true;
      this.kick();
    }, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(): void {
    if (this.current === null || this.running || this.closed) return;
    this.running = true;
    this.worker = this.work(this.current);
  }

  /** Saves and pulls until there is nothing to do; `running` drops in the same turn as the
   * decision, so a kick right after starts a new worker. */
  private async work(state: SessionState): Promise<void> {
    try {
      for (;;) {
        if (this.due && (state.buffer.pending.size > 0 || state.unanswered !== null)) {
          this.due = false;
          await this.exclusive(() => this.saveDirty(state));
        } else if (state.wantsPull()) {
          await pull(this.puller, state);
        } else {
          this.due = false;
          this.running = false;
          return;
        }
      }
    } catch (error) {
      // a bug must not kill auto-save silently: whatever was being sent is dirty again
      this.warn(`the editor session of lecture ${this.lectureId} failed`, error);
      state.failed(error instanceof Error ? error : new Error(String(error)));
      this.running = false;
      this.publish();
    }
  }

  /** Run `task` when no other save or reapply runs. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.saving.then(task, task);
    this.saving = run.catch(() => undefined);
    return run;
  }

  private async saveDirty(state: SessionState): Promise<void> {
    const resent = state.unanswered;
    const buffer = state.buffer;
    const attempt =
      resent ??
      saveAttempt(
        buffer.take(),
        buffer.baseRevision,
        this.policy === "merge" && state.serverRevision > buffer.baseRevision,
      );
    state.unanswered = null;
    state.error = null;
    this.publish();
    try {
      const result = await this.client.saveLecture(
        this.lectureId,
        attempt.sections as LecturePatch,
        { baseRevision: attempt.baseRevision, merge: attempt.merge, idempotencyKey: attempt.key },
      );
      state.record(result, result.mergedOnto === null || result.mergedOnto === undefined);
      this.due ||= resent !== null && buffer.pending.size > 0;
    } catch (error) {
      if (error instanceof RevisionConflict) {
        await settle(this.client, this.lectureId, state, this.policy, error, attempt.sections);
      } else if (error instanceof TransportError || error instanceof ServiceUnavailable) {
        state.lost(attempt, error); // no answer: maybe saved
        this.retryLater(error);
      } else if (error instanceof ClientError) {
        state.failed(error);
      } else {
        throw error;
      }
    }
    this.publish();
  }

  private retryLater(error: TransportError | ServiceUnavailable): void {
    if (this.retryMs === null || this.closed) return;
    const hinted = error instanceof ServiceUnavailable ? (error.retryAfter ?? 0) * 1000 : 0;
    this.arm(Math.max(this.retryMs, hinted));
  }

  /** The server's revision, from an event: pulled when nothing is dirty (the next kick). */
  private heard(event: RevisionEvent): void {
    const state = this.state;
    if (event.event === "lecture.revised") state.remote.revised(event.data);
    if (state.heardOf(event.data.revision)) {
      this.publish();
      this.kick();
    }
  }

  private publish(): void {
    if (this.current !== null) this.feed.publish(this.current.status());
  }
}
