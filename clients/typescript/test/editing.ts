// What the editor-session tests share: waiting for a status, the saves as they went over the
// wire (slowed, dropped or with their answer lost on demand), and lectures with content.

import { setTimeout as sleep } from "node:timers/promises";

import type {
  EditorSession,
  LectureSnapshot,
  SessionStatus,
  TutopandaClient,
} from "@tutopanda/client";

/** The first status (the current one included) that `wanted` accepts. */
export async function until(
  session: EditorSession,
  wanted: (status: SessionStatus) => boolean,
  timeoutMs = 10_000,
): Promise<SessionStatus> {
  if (wanted(session.status)) return session.status;
  const statuses = session.statuses();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no such status in ${timeoutMs} ms: ${describe(session.status)}`));
    }, timeoutMs);
  });
  const seen = async (): Promise<SessionStatus> => {
    for await (const status of statuses) if (wanted(status)) return status;
    throw new Error("the session closed");
  };
  try {
    return await Promise.race([seen(), late]);
  } finally {
    clearTimeout(timer);
    await statuses.return?.();
  }
}

/** Wait until `check` holds (it is asked every 20 ms). */
export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await sleep(20);
  }
}

function describe(status: SessionStatus): string {
  const { error, conflict, ...rest } = status;
  return JSON.stringify({ ...rest, conflict: conflict?.pointers, error: error?.message });
}

/** A lecture save (PATCH) as it went over the wire. */
export interface Save {
  readonly body: string;
  readonly key: string; // its Idempotency-Key
  readonly ifMatch: string; // the revision it was made on, as the strong ETag `"5"`
  readonly started: number;
  ended: number;
  status: number | null; // null: no answer reached the client
  replayed: boolean;
}

/** The real network, with `delayMs` added to every lecture save, each one recorded: `fail`
 * saves never reach the server (a dropped connection), `lose` reach it but lose their answer. */
export class SlowSaves {
  delayMs = 0;
  fail = 0;
  lose = 0;
  readonly saves: Save[] = [];

  readonly fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.method !== "PATCH") return fetch(request);
    const save: Save = {
      body: await request.clone().text(),
      key: request.headers.get("idempotency-key") ?? "",
      ifMatch: request.headers.get("if-match") ?? "",
      started: performance.now(),
      ended: 0,
      status: null,
      replayed: false,
    };
    this.saves.push(save);
    await sleep(this.delayMs);
    try {
      if (this.fail > 0) {
        this.fail -= 1;
        throw new TypeError("fetch failed", { cause: new Error("the connection dropped") });
      }
      const response = await fetch(request);
      if (this.lose > 0) {
        this.lose -= 1;
        await response.arrayBuffer(); // the server answered; the answer never arrives
        throw new TypeError("fetch failed", { cause: new Error("dropped before the answer") });
      }
      save.status = response.status;
      save.replayed = response.headers.get("idempotent-replayed") === "true";
      return response;
    } finally {
      save.ended = performance.now();
    }
  };

  /** The saves' bodies, parsed. */
  bodies(): { payload: Record<string, unknown>; merge?: boolean; force?: boolean }[] {
    return this.saves.map((save) => JSON.parse(save.body) as ReturnType<SlowSaves["bodies"]>[0]);
  }
}

/** A project made by the worker's server (`api` must be a client of it), with its lecture as
 * the generation left it. */
export async function generatedLecture(
  api: TutopandaClient,
  prompt = "How tides work",
): Promise<LectureSnapshot> {
  const created = await api.createProject(prompt);
  const run = await api.waitForRun(created.runId, { timeoutMs: 30_000, pollIntervalMs: 200 });
  if (run.status !== "succeeded") throw new Error(`generation ${run.status}: ${run.error ?? ""}`);
  return api.getLecture(created.lectureId);
}

/** The revisions made after `lecture` (oldest first). */
export async function revisionsAfter(
  api: TutopandaClient,
  lecture: LectureSnapshot,
): Promise<number[]> {
  const page = await api.listHistory(lecture.id, { limit: 50 });
  return page.items
    .map((item) => item.revision)
    .filter((revision) => revision > lecture.revision)
    .sort((a, b) => a - b);
}
