// TutopandaClient: one method per operation of the API, the Python SDK's surface in camelCase.

import type { Call } from "./call.js";
import { EventStream, type EventsOptions } from "./events.js";
import * as drafts from "./routes/drafts.js";
import * as health from "./routes/health.js";
import * as lectures from "./routes/lectures.js";
import * as projects from "./routes/projects.js";
import * as workflows from "./routes/workflows.js";
import { type RequestOptions, Transport, type TransportOptions } from "./transport.js";
import type {
  AcceptResponse,
  AssetKind,
  ConflictDraft,
  ConflictDraftDetail,
  CreatedProject,
  Focus,
  HistoryPage,
  LectureDiff,
  LecturePatch,
  LectureSnapshot,
  Member,
  ProjectDetail,
  ProjectPage,
  ProjectSettingsPatch,
  RevisionDetail,
  Role,
  RunStatusResponse,
  SaveResponse,
  StartableKind,
  WorkflowRun,
} from "./types.js";
import { type WaitOptions, waitForRun } from "./waiting.js";

/** Options of a read. */
export interface ReadOptions {
  readonly signal?: AbortSignal | undefined;
}
/** Options of a write: `idempotencyKey` sends one write again (README, "Retrying a write"). */
export type WriteOptions = RequestOptions;
/** A page: `limit` items (the API's default when left out) older than `before`. */
export interface PageOptions extends ReadOptions {
  readonly limit?: number | undefined;
  readonly before?: number | undefined;
}

export type ClientOptions = TransportOptions;

/** A signed-in user's view of the API. Errors are ProblemError subclasses (by `code`) or
 * TransportError; every write carries an Idempotency-Key, the same on each retry. */
export class TutopandaClient {
  readonly transport: Transport;

  constructor(options: ClientOptions) {
    this.transport = new Transport(options);
  }

  /** Send one call (the routes' builders make them); its answer or its typed error. */
  send<T>(call: Call<T>, options?: RequestOptions): Promise<T> {
    return this.transport.send(call, options);
  }

  // health
  /** Whether the API process answers (GET /health). */
  health(options?: ReadOptions): Promise<boolean> {
    return this.send(health.health(), options);
  }
  /** Whether the API and its database answer (GET /ready; false while the database is away). */
  ready(options?: ReadOptions): Promise<boolean> {
    return this.send(health.ready(), { ...options, retry: { retries: 0 } });
  }

  // projects
  /** My projects and those shared with me, newest first, with their lectures, a page at a
   * time: pass `nextBefore` as `before` for the next page (null: no more). */
  listProjects(options: PageOptions = {}): Promise<ProjectPage> {
    return this.send(projects.listProjects(options.limit, options.before), options);
  }
  /** A project, its lecture and its queued generation run, from a prompt. */
  createProject(
    prompt: string,
    options: WriteOptions & {
      name?: string | undefined;
      settings?: ProjectSettingsPatch | undefined;
    } = {},
  ): Promise<CreatedProject> {
    return this.send(projects.createProject(prompt, options.name, options.settings), options);
  }
  /** Name and generation settings at their settings revision. */
  getProject(projectId: number, options?: ReadOptions): Promise<ProjectDetail> {
    return this.send(projects.getProject(projectId), options);
  }
  /** Rename and/or merge settings groups in, on the settings revision last read. */
  updateProject(
    projectId: number,
    options: WriteOptions & {
      baseRevision: number;
      name?: string | undefined;
      settings?: ProjectSettingsPatch | undefined;
    },
  ): Promise<ProjectDetail> {
    const { baseRevision, name, settings } = options;
    return this.send(projects.updateProject(projectId, baseRevision, name, settings), options);
  }

  // sharing
  /** The project's members with their roles, owners first. */
  listMembers(projectId: number, options?: ReadOptions): Promise<Member[]> {
    return this.send(projects.listMembers(projectId), options);
  }
  /** Share the project with `userId` as `role`, or change their role (owners only). */
  setMember(
    projectId: number,
    userId: string,
    role: Role,
    options?: WriteOptions,
  ): Promise<Member> {
    return this.send(projects.setMember(projectId, userId, role), options);
  }
  /** Stop sharing the project with `userId` (owners only; not the last owner: LastOwner). */
  removeMember(projectId: number, userId: string, options?: WriteOptions): Promise<undefined> {
    return this.send(projects.removeMember(projectId, userId), options);
  }

  // lectures
  /** The lecture with its revision. */
  getLecture(lectureId: number, options?: ReadOptions): Promise<LectureSnapshot> {
    return this.send(lectures.getLecture(lectureId), options);
  }
  /** The lecture when it is no longer at `revision`, else null (a 304). */
  getLectureIfChanged(
    lectureId: number,
    revision: number,
    options?: ReadOptions,
  ): Promise<LectureSnapshot | null> {
    return this.send(lectures.getLectureIfChanged(lectureId, revision), options);
  }
  /** Save some sections on a base revision: RevisionConflict when it lost the race (`merge`
   * merges onto a newer revision per JSON path first; `force` overwrites). */
  saveLecture(
    lectureId: number,
    payload: LecturePatch,
    options: WriteOptions & {
      baseRevision: number;
      merge?: boolean | undefined;
      force?: boolean | undefined;
    },
  ): Promise<SaveResponse> {
    const { baseRevision, merge = false, force = false } = options;
    return this.send(lectures.saveLecture(lectureId, payload, baseRevision, merge, force), options);
  }
  /** What I work on in the lecture (a section and the item in it), or null: the others on its
   * event stream get a `presence` event. */
  setFocus(lectureId: number, focus: Focus | null, options?: WriteOptions): Promise<undefined> {
    return this.send(lectures.setFocus(lectureId, focus), options);
  }

  // history
  /** Revisions newest first; pass `nextBefore` as `before` for the next page. */
  listHistory(lectureId: number, options: PageOptions = {}): Promise<HistoryPage> {
    return this.send(lectures.listHistory(lectureId, options.limit, options.before), options);
  }
  /** One revision with its full content. */
  getRevision(lectureId: number, revision: number, options?: ReadOptions): Promise<RevisionDetail> {
    return this.send(lectures.getRevision(lectureId, revision), options);
  }
  /** JSON Patch per section from one revision to another, and who made each. */
  diff(lectureId: number, from: number, to: number, options?: ReadOptions): Promise<LectureDiff> {
    return this.send(lectures.diff(lectureId, from, to), options);
  }
  /** Make an old revision current again, as a new revision on `baseRevision`. */
  restoreRevision(
    lectureId: number,
    revision: number,
    options: WriteOptions & { baseRevision: number; force?: boolean | undefined },
  ): Promise<SaveResponse> {
    const { baseRevision, force = false } = options;
    return this.send(lectures.restoreRevision(lectureId, revision, baseRevision, force), options);
  }

  // drafts
  /** My saves refused as conflicts, not resolved yet (an owner's: every member's). */
  listDrafts(lectureId: number, options?: ReadOptions): Promise<ConflictDraft[]> {
    return this.send(drafts.listDrafts(lectureId), options);
  }
  /** One draft with the content of the revision it was made on. */
  getDraft(
    lectureId: number,
    draftId: number,
    options?: ReadOptions,
  ): Promise<ConflictDraftDetail> {
    return this.send(drafts.getDraft(lectureId, draftId), options);
  }
  /** Merge a draft onto the latest revision (RevisionConflict naming the paths). */
  applyDraft(lectureId: number, draftId: number, options?: WriteOptions): Promise<SaveResponse> {
    return this.send(drafts.applyDraft(lectureId, draftId), options);
  }
  /** Discard a draft. */
  deleteDraft(lectureId: number, draftId: number, options?: WriteOptions): Promise<undefined> {
    return this.send(drafts.deleteDraft(lectureId, draftId), options);
  }

  // workflows
  /** Queue a run of `kind` from a step (Conflict while another run is active). */
  startWorkflow(
    lectureId: number,
    kind: StartableKind,
    options: WriteOptions & {
      fromStep?: number | undefined;
      force?: boolean | undefined;
      originalRunId?: string | undefined;
    } = {},
  ): Promise<RunStatusResponse> {
    const { fromStep, force, originalRunId } = options;
    return this.send(
      workflows.startWorkflow(lectureId, kind, fromStep, force, originalRunId),
      options,
    );
  }
  /** A run: status, step n of N, completed steps, a regeneration's proposal. */
  getRun(runId: string, options?: ReadOptions): Promise<WorkflowRun> {
    return this.send(workflows.getRun(runId), options);
  }
  /** Stop a run at its next step boundary. */
  cancelRun(runId: string, options?: WriteOptions): Promise<RunStatusResponse> {
    return this.send(workflows.cancelRun(runId), options);
  }
  /** Continue a failed or cancelled run from its first incomplete step. */
  resumeRun(runId: string, options?: WriteOptions): Promise<RunStatusResponse> {
    return this.send(workflows.resumeRun(runId), options);
  }
  /** Apply a regeneration's proposal as a revision (`force`: even if the asset was edited). */
  acceptRun(
    runId: string,
    options: WriteOptions & { force?: boolean | undefined } = {},
  ): Promise<AcceptResponse> {
    return this.send(workflows.acceptRun(runId, options.force ?? false), options);
  }
  /** Discard a regeneration's proposal. */
  rejectRun(runId: string, options?: WriteOptions): Promise<RunStatusResponse> {
    return this.send(workflows.rejectRun(runId), options);
  }
  /** Make one asset again, as a proposal to accept or reject. */
  regenerateAsset(
    lectureId: number,
    kind: AssetKind,
    assetId: string,
    options: WriteOptions & { prompt?: string | undefined } = {},
  ): Promise<RunStatusResponse> {
    return this.send(workflows.regenerateAsset(lectureId, kind, assetId, options.prompt), options);
  }
  /** Wait until the run stops (finished, or waiting for review) and return it; RunTimeout
   * after `timeoutMs`. Follows the lecture's events, and polls while they are silent. */
  waitForRun(runId: string, options?: WaitOptions): Promise<WorkflowRun> {
    return waitForRun(this, runId, options);
  }

  // events
  /** The lecture's events as they commit, resuming after `lastEventId` when given; it
   * reconnects after a drop and the server replays what was missed. */
  events(lectureId: number, options?: EventsOptions): EventStream {
    return new EventStream(this.transport, lectures.eventsPath(lectureId), options);
  }
}
