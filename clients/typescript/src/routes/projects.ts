// Projects and their members: the calls of /projects and /projects/{id}/members.

import { call, defined, etag } from "../call.js";
import type { ProjectSettingsPatch, Role } from "../types.js";

export function listProjects(limit?: number, before?: number) {
  return call("get", "/projects", { path: {}, query: defined({ limit, before }) });
}

export function createProject(prompt: string, name?: string, settings?: ProjectSettingsPatch) {
  return call("post", "/projects", {
    path: {},
    body: { prompt, ...defined({ name, settings }) },
    ok: [201],
  });
}

export function getProject(projectId: number) {
  return call("get", "/projects/{project_id}", { path: { project_id: projectId } });
}

export function updateProject(
  projectId: number,
  baseRevision: number,
  name?: string,
  settings?: ProjectSettingsPatch,
) {
  return call("patch", "/projects/{project_id}", {
    path: { project_id: projectId },
    headers: { "If-Match": etag(baseRevision) },
    body: defined({ name, settings }),
  });
}

export function listMembers(projectId: number) {
  return call("get", "/projects/{project_id}/members", { path: { project_id: projectId } });
}

export function setMember(projectId: number, userId: string, role: Role) {
  return call("put", "/projects/{project_id}/members/{user_id}", {
    path: { project_id: projectId, user_id: userId },
    body: { role },
  });
}

export function removeMember(projectId: number, userId: string) {
  return call("delete", "/projects/{project_id}/members/{user_id}", {
    path: { project_id: projectId, user_id: userId },
    ok: [204],
  });
}
