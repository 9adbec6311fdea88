// The events of a lecture's stream (README, "Realtime events"), typed by name: the data of each
// mirrors the Python SDK's models (tutopanda/client/models.py).

import type { Focus, RunStatus } from "./types.js";

/** `lecture.state` (first on a new stream) and `resync` (the position could not be replayed:
 * fetch the lecture again): where the lecture stands, with its queued or running runs. */
export interface LectureState {
  readonly lectureId: number;
  readonly revision: number;
  readonly runs: readonly Readonly<Record<string, unknown>>[];
}

/** `lecture.revised`: a revision committed (a save, a restore, a workflow step). */
export interface LectureRevised {
  readonly lectureId: number;
  readonly revision: number;
  readonly source: "app" | "workflow" | "system";
  readonly actor?: string | null;
  readonly runId?: string | null;
  readonly changedSections: readonly string[];
  readonly forced?: boolean;
  readonly restoredFrom?: number | null;
  readonly at?: string | null;
}

/** `workflow.progress`: a run was queued, started, finished a step, or finished. */
export interface WorkflowProgress {
  readonly lectureId: number;
  readonly runId: string;
  readonly kind: string;
  readonly status: RunStatus;
  readonly currentStep: number;
  readonly totalSteps: number;
  readonly stepName?: string | null;
  readonly message?: string | null;
  readonly stepProgress?: number | null;
  readonly error?: string | null;
  readonly at?: string | null;
}

/** `member.removed`: `userId` was removed from the lecture's project by `removedBy` (their own
 * stream gets `disconnect` instead, and ends). */
export interface MemberRemoved {
  readonly lectureId: number;
  readonly userId: string;
  readonly removedBy: string;
  readonly at?: string | null;
}

/** Someone on the lecture: user id, display name, and what they work on (or null). */
export interface PresentPerson {
  readonly userId: string;
  readonly name: string;
  readonly focus?: Focus | null;
}

/** `presence`: who is on the lecture. `kind` is `state` (everyone now, in `present`), `joined`,
 * `focus` or `left` (about `userId`). Never replayed, and without an id of its own. */
export interface Presence {
  readonly kind: "state" | "joined" | "focus" | "left";
  readonly userId?: string | null;
  readonly name?: string | null;
  readonly focus?: Focus | null;
  readonly present?: readonly PresentPerson[];
}

/** `disconnect`: the server ends this stream (too far behind, or stopping: a reconnect catches
 * up; removed from the project: a reconnect is NotFound). */
export interface Disconnect {
  readonly reason: string;
}

interface Named<E extends string, D> {
  readonly event: E;
  /** The stream position after this event (what Last-Event-ID resumes after). */
  readonly id: string | null;
  readonly data: D;
}

/** An event this client does not know (`name` is its name), or a known one whose data is not
 * an object: passed on as received. */
export interface OtherEvent extends Named<"other", unknown> {
  readonly name: string;
}

/** One event of a lecture's stream; `event` tells its data apart. */
export type LectureEvent =
  | Named<"lecture.state", LectureState>
  | Named<"resync", LectureState>
  | Named<"lecture.revised", LectureRevised>
  | Named<"workflow.progress", WorkflowProgress>
  | Named<"member.removed", MemberRemoved>
  | Named<"presence", Presence>
  | Named<"disconnect", Disconnect>
  | OtherEvent;

/** The names of the events typed here. */
export const EVENT_NAMES = [
  "lecture.state",
  "resync",
  "lecture.revised",
  "workflow.progress",
  "member.removed",
  "presence",
  "disconnect",
] as const;

const KNOWN: ReadonlySet<string> = new Set(EVENT_NAMES);

/** The typed event of a raw one: its data parsed as JSON (text when it is not JSON). */
export function lectureEvent(raw: {
  event: string;
  id: string | null;
  data: string;
}): LectureEvent {
  let data: unknown = raw.data;
  try {
    data = raw.data === "" ? null : JSON.parse(raw.data);
  } catch {
    // kept as text
  }
  if (KNOWN.has(raw.event) && typeof data === "object" && data !== null && !Array.isArray(data)) {
    return { event: raw.event, id: raw.id, data } as LectureEvent;
  }
  return { event: "other", name: raw.event, id: raw.id, data };
}
