// What an EditorSession is told at its start: its timings, its conflict policy, its callbacks.

import type { LectureEvent, PresentPerson, WorkflowProgress } from "../event-types.js";
import type { ConnectionState, EventsOptions } from "../events.js";
import type { LectureSnapshot } from "../types.js";
import type { Frozen } from "./content.js";
import type { RemoteReport } from "./remote.js";
import type { ConflictPolicy, SessionStatus, Warn } from "./status.js";

export const DEFAULT_DEBOUNCE_MS = 2_500;
/** After a transport error or a 503, the save is sent again after this long. */
export const RETRY_MS = 5_000;

export interface EditorSessionOptions {
  /** Save this long after the LAST edit (2.5 s). */
  readonly debounceMs?: number | undefined;
  /** What to do when the server refuses a save (`merge` by default): README, "EditorSession". */
  readonly policy?: ConflictPolicy | undefined;
  /** Follow the lecture's events (true): others' revisions, presence, workflow progress. */
  readonly followEvents?: boolean | undefined;
  /** Send a save that got no answer again after this long (5 s; the server's Retry-After when
   * longer); null: only on the next edit or flush(). */
  readonly retryMs?: number | null | undefined;
  /** How the event stream reconnects (its first delay, its idle timeout, its attempts), and
   * where it starts (`lastEventId`: "0.0" replays the lecture's events from its creation, a
   * generation run that finished before the session opened included). */
  readonly events?:
    | Pick<EventsOptions, "reconnectDelayMs" | "idleTimeoutMs" | "maxRetries" | "lastEventId">
    | undefined;
  /** Each change of status. */
  readonly onStatus?: ((status: SessionStatus) => void) | undefined;
  /** A newer snapshot of the server, taken while nothing was dirty. */
  readonly onSnapshot?: ((snapshot: Frozen<LectureSnapshot>) => void) | undefined;
  /** A workflow's progress on the lecture. */
  readonly onProgress?: ((progress: WorkflowProgress) => void) | undefined;
  /** Who is on the lecture now (this user included), by user id. */
  readonly onPresence?: ((present: ReadonlyMap<string, PresentPerson>) => void) | undefined;
  /** Other writers' revisions that the local content now shows (README, "EditorSession"). */
  readonly onRemote?: ((report: RemoteReport) => void) | undefined;
  /** Every event of the lecture's stream, as received. */
  readonly onEvent?: ((event: LectureEvent) => void) | undefined;
  /** Each change of the event stream's connection. */
  readonly onConnection?: ((state: ConnectionState) => void) | undefined;
  /** Told what went wrong outside a save (a callback that threw, a failed pull, the stream's
   * end); console.warn by default. */
  readonly warn?: Warn | undefined;
}
