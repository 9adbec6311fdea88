// waitForRun: follow a run's progress on its lecture's events, and read the run when they are
// silent or away, until it stops.

import type { WorkflowProgress } from "./event-types.js";
import { RunTimeout, ServiceUnavailable, TransportError } from "./errors.js";
import type { EventsOptions, EventStream } from "./events.js";
import { sleep } from "./transport.js";
import type { RunStatus, WorkflowRun } from "./types.js";

/** Where a script usually stops waiting: the run finished, or it waits for a human's review. */
export const STOPPED: ReadonlySet<RunStatus> = new Set([
  "succeeded",
  "failed",
  "cancelled",
  "rejected",
  "expired",
  "waiting_for_review",
]);

export interface WaitOptions {
  /** Give up (RunTimeout) after this long: 300 s by default. */
  readonly timeoutMs?: number | undefined;
  /** The statuses to wait for: STOPPED by default. */
  readonly until?: ReadonlySet<RunStatus> | undefined;
  /** Read the run after this much silence of the stream, or this often while it is down (5 s). */
  readonly pollIntervalMs?: number | undefined;
  readonly onProgress?: (progress: WorkflowProgress) => void | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** What waitForRun needs of the client. */
export interface RunSource {
  getRun(runId: string, options?: { signal?: AbortSignal | undefined }): Promise<WorkflowRun>;
  events(lectureId: number, options?: EventsOptions): EventStream;
}

/** Wait until the run's status is in `until`, and return it; RunTimeout when it takes longer.
 * Subscribes to the lecture's events first and reads the run second, so no change slips by. */
export async function waitForRun(
  source: RunSource,
  runId: string,
  options: WaitOptions = {},
): Promise<WorkflowRun> {
  const until = options.until ?? STOPPED;
  const poll = options.pollIntervalMs ?? 5_000;
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  const within = (ms: number): number => Math.max(10, Math.min(ms, deadline - Date.now()));
  const signal = options.signal;
  let run = await source.getRun(runId, { signal });
  let lastEventId: string | null = null;
  while (!until.has(run.status)) {
    if (Date.now() >= deadline) throw new RunTimeout(runId, run.status);
    const stream = source.events(run.lectureId, { lastEventId, reconnect: false, signal });
    let connected = false;
    try {
      await stream.open();
      connected = true;
      run = await source.getRun(runId, { signal });
      while (!until.has(run.status) && Date.now() < deadline) {
        const next = await nextWithin(stream, within(poll));
        if (next === null) break; // silence, or the stream ended: read the run
        lastEventId = stream.lastEventId;
        if (next.event !== "workflow.progress" || next.data.runId !== runId) continue;
        options.onProgress?.(next.data);
        if (until.has(next.data.status)) break;
      }
    } catch (error) {
      if (!(error instanceof TransportError || error instanceof ServiceUnavailable)) throw error;
      await sleep(connected ? 0 : within(poll), signal);
    } finally {
      stream.close();
    }
    run = await source.getRun(runId, { signal });
  }
  return run;
}

/** The stream's next event, or null when none comes within `ms` or the stream ends. */
async function nextWithin(stream: EventStream, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const silence = new Promise<null>((resolve) => {
    timer = setTimeout(() => {
      resolve(null);
    }, ms);
  });
  try {
    const result = await Promise.race([stream.next(), silence]);
    return result === null || result.done === true ? null : result.value;
  } finally {
    clearTimeout(timer);
  }
}
