// Workflow runs: the calls of /lectures/{id}/workflows, /workflow-runs/{runId} and an asset's
// regeneration.

import { call, defined } from "../call.js";
import type { AssetKind, StartableKind } from "../types.js";

export function startWorkflow(
  lectureId: number,
  kind: StartableKind,
  fromStep?: number,
  force?: boolean,
  originalRunId?: string,
) {
  return call("post", "/lectures/{lecture_id}/workflows", {
    path: { lecture_id: lectureId },
    body: { kind, ...defined({ fromStep, force, originalRunId }) },
    ok: [202],
  });
}

export function getRun(runId: string) {
  return call("get", "/workflow-runs/{run_id}", { path: { run_id: runId } });
}

export function cancelRun(runId: string) {
  return call("post", "/workflow-runs/{run_id}/cancel", { path: { run_id: runId } });
}

export function resumeRun(runId: string) {
  return call("post", "/workflow-runs/{run_id}/resume", { path: { run_id: runId }, ok: [202] });
}

export function acceptRun(runId: string, force: boolean) {
  return call("post", "/workflow-runs/{run_id}/accept", {
    path: { run_id: runId },
    body: force ? { force } : {},
  });
}

export function rejectRun(runId: string) {
  return call("post", "/workflow-runs/{run_id}/reject", { path: { run_id: runId } });
}

export function regenerateAsset(
  lectureId: number,
  kind: AssetKind,
  assetId: string,
  prompt?: string,
) {
  return call("post", "/lectures/{lecture_id}/assets/{asset_kind}/{asset_id}/regenerate", {
    path: { lecture_id: lectureId, asset_kind: kind, asset_id: assetId },
    body: defined({ prompt }),
    ok: [202],
  });
}
