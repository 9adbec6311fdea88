// A session takes the server's newer snapshot: only while nothing is dirty, and not when the
// user typed while it was fetched; then it tells whose revisions the snapshot now shows.

import type { TutopandaClient } from "../client.js";
import { ClientError } from "../errors.js";
import type { LectureSnapshot } from "../types.js";
import type { EditorSessionOptions } from "./options.js";
import type { HistoryReader } from "./remote.js";
import type { SessionState } from "./state.js";
import { notify, type Warn } from "./status.js";

/** What a pull needs of its session. */
export interface Puller {
  readonly client: TutopandaClient;
  readonly lectureId: number;
  readonly options: Pick<EditorSessionOptions, "onSnapshot" | "onRemote">;
  readonly warn: Warn;
  /** Tell the session's status to whoever follows it. */
  readonly publish: () => void;
}

/** Take the server's newer snapshot (an If-None-Match read: a 304 costs nothing), unless the
 * user typed while it was fetched; a failed read is not tried again before the next event. */
export async function pull(session: Puller, state: SessionState): Promise<void> {
  const { client, lectureId, options, warn } = session;
  const buffer = state.buffer;
  const edits = buffer.edits;
  let snapshot: LectureSnapshot | null;
  try {
    snapshot = await client.getLectureIfChanged(lectureId, buffer.baseRevision);
  } catch (error) {
    if (!(error instanceof ClientError)) throw error;
    warn(`could not pull lecture ${lectureId}`, error);
    state.pullFailed = true;
    return;
  }
  if (snapshot === null) {
    state.serverRevision = buffer.baseRevision; // a 304: the server is where we are
    return;
  }
  state.heardOf(snapshot.revision);
  if (!buffer.clean || buffer.edits !== edits) return;
  buffer.adopt(snapshot);
  session.publish();
  notify(warn, options.onSnapshot, buffer.snapshot);
  const onRemote = options.onRemote;
  const history = onRemote === undefined ? undefined : historyOf(client, lectureId, warn);
  for (const report of await state.remote.adopted(snapshot.revision, history)) {
    notify(warn, onRemote, report);
  }
}

/** The lecture's history for RemoteLog: an empty page when it cannot be read. */
function historyOf(client: TutopandaClient, lectureId: number, warn: Warn): HistoryReader {
  return async ({ before, limit }) => {
    try {
      return await client.listHistory(lectureId, { before, limit });
    } catch (error) {
      if (!(error instanceof ClientError)) throw error;
      warn(`could not read the history of lecture ${lectureId}`, error);
      return { items: [], nextBefore: null };
    }
  };
}
