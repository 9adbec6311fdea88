// The API's shapes under their OpenAPI names, from the generated src/generated/openapi.ts
// (`make openapi-types` regenerates it; a test fails when it differs from the served document).

import type { components, paths } from "./generated/openapi.js";

export type { components, JsonValue, operations, paths } from "./generated/openapi.js";

type Schemas = components["schemas"];

export type AcceptResponse = Schemas["AcceptResponse"];
export type ConflictDraft = Schemas["ConflictDraft"];
export type ConflictDraftDetail = Schemas["ConflictDraftDetail"];
export type CreatedProject = Schemas["CreatedProject"];
export type FieldError = Schemas["FieldError"];
export type Focus = Schemas["Focus"];
export type HistoryPage = Schemas["HistoryPage"];
export type LectureConfig = Schemas["LectureConfig"];
export type LectureDiff = Schemas["LectureDiff"];
/** The sections a save sends (each one whole; the others are left as they are). */
export type LecturePatch = Schemas["LecturePatch"];
export type LectureSnapshot = Schemas["LectureSnapshot"];
export type Member = Schemas["Member"];
export type MergeConflict = Schemas["MergeConflict"];
export type PatchOperation = Schemas["PatchOperation"];
export type Problem = Schemas["Problem"];
export type ProjectDetail = Schemas["ProjectDetail"];
export type ProjectPage = Schemas["ProjectPage"];
export type ProjectSettingsPatch = Schemas["ProjectSettingsPatch"];
export type ProjectSummary = Schemas["ProjectSummary"];
export type RevisionDetail = Schemas["RevisionDetail"];
export type RevisionSummary = Schemas["RevisionSummary"];
export type RunStatusResponse = Schemas["RunStatusResponse"];
export type SaveResponse = Schemas["SaveResponse"];
export type WorkflowRun = Schemas["WorkflowRun"];
export type WorkflowStep = Schemas["WorkflowStep"];

/** A member's role: owner, editor or viewer. */
export type Role = Schemas["MemberRole"]["role"];
/** queued, running, waiting_for_review, succeeded, failed, cancelled, rejected, expired. */
export type RunStatus = WorkflowRun["status"];
/** The workflows a client may start. */
export type StartableKind = NonNullable<Schemas["WorkflowStartRequest"]["kind"]>;
/** The assets that can be made again one at a time. */
export type AssetKind =
  paths["/lectures/{lecture_id}/assets/{asset_kind}/{asset_id}/regenerate"]["post"]["parameters"]["path"]["asset_kind"];
/** A lecture's section names. */
export type SectionName = Focus["section"];
