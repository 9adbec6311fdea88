"""Every route of the API as a `Call`: what to send and how to read the answer, without I/O.

The sync and the async client send the same calls, so the two cannot drift apart.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError

from tutopanda.client.errors import UnexpectedResponse
from tutopanda.client.models import (
    AcceptResponse,
    ConflictDraft,
    ConflictDraftDetail,
    CreatedProject,
    HistoryPage,
    LectureDiff,
    LectureSnapshot,
    Member,
    ProjectDetail,
    ProjectPage,
    RevisionDetail,
    RunStatusResponse,
    SaveResponse,
    WorkflowRun,
)
from tutopanda.models.members import Role
from tutopanda.models.presence import Focus
from tutopanda.workflows import AssetKind, StartableKind

T = TypeVar("T")
_NO_BODY = object()


WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def new_idempotency_key() -> str:
    """A key for one logical write (a random UUID): sent again with it, the write is not redone."""
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Call(Generic[T]):
    """One request and the reader of its success answer (`ok` statuses).

    A write carries an `Idempotency-Key` (`key`, fresh for each call unless given): the same
    call sent again is answered as the first time, and nothing is done twice.
    """

    method: str
    path: str
    read: Callable[[httpx.Response], T]
    body: Any = _NO_BODY
    params: dict[str, int] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    ok: tuple[int, ...] = (200,)
    key: str = field(default_factory=new_idempotency_key)

    def request(self, http: httpx.Client | httpx.AsyncClient, token: str) -> httpx.Request:
        """The httpx request, with the bearer token (and a write's idempotency key)."""
        headers = {"Authorization": f"Bearer {token}", **self.headers}
        if self.method in WRITE_METHODS:
            headers["Idempotency-Key"] = self.key
        if self.body is _NO_BODY:
            return http.build_request(self.method, self.path, params=self.params, headers=headers)
        return http.build_request(
            self.method, self.path, params=self.params, headers=headers, json=self.body
        )


def wire(value: Any) -> Any:
    """A value as JSON for the API: pydantic models in their camelCase stored form."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, Mapping):
        return {str(key): wire(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [wire(item) for item in value]
    return value


def _reader(shape: Any) -> Callable[[httpx.Response], Any]:
    adapter: TypeAdapter[Any] = TypeAdapter(shape)

    def read(response: httpx.Response) -> Any:
        try:
            return adapter.validate_json(response.content)
        except ValidationError as error:
            raise UnexpectedResponse(
                f"{response.request.method} {response.request.url.path}: {error}",
                status=response.status_code,
                body=response.content,
            ) from None

    return read


_project_page = _reader(ProjectPage)
_created_project = _reader(CreatedProject)
_project_detail = _reader(ProjectDetail)
_lecture = _reader(LectureSnapshot)
_save = _reader(SaveResponse)
_history = _reader(HistoryPage)
_revision = _reader(RevisionDetail)
_diff = _reader(LectureDiff)
_drafts = _reader(list[ConflictDraft])
_draft = _reader(ConflictDraftDetail)
_run_status = _reader(RunStatusResponse)
_run = _reader(WorkflowRun)
_accept = _reader(AcceptResponse)
_members = _reader(list[Member])
_member = _reader(Member)


def _segment(value: str) -> str:
    return quote(value, safe="")


def _nothing(_response: httpx.Response) -> None:
    return None


def _lecture_or_none(response: httpx.Response) -> LectureSnapshot | None:
    if response.status_code == 304:
        return None
    snapshot: LectureSnapshot = _lecture(response)
    return snapshot


def _is_ready(response: httpx.Response) -> bool:
    return response.status_code == 200


def _no_none(**values: Any) -> dict[str, Any]:
    return {key: wire(value) for key, value in values.items() if value is not None}


def health() -> Call[bool]:
    return Call("GET", "/health", _is_ready, ok=(200,))


def _etag(revision: int) -> str:
    """A revision as the API writes it in `ETag` (a strong ETag: `"5"`), for `If-Match` and
    `If-None-Match`."""
    return f'"{revision}"'


def ready() -> Call[bool]:
    return Call("GET", "/ready", _is_ready, ok=(200, 503))


def list_projects(limit: int | None, before: int | None) -> Call[ProjectPage]:
    params = _no_none(limit=limit, before=before)
    return Call("GET", "/projects", _project_page, params=params)


def create_project(prompt: str, name: str | None, settings: Any) -> Call[CreatedProject]:
    body = _no_none(prompt=prompt, name=name, settings=settings)
    return Call("POST", "/projects", _created_project, body=body, ok=(201,))


def get_project(project_id: int) -> Call[ProjectDetail]:
    return Call("GET", f"/projects/{project_id}", _project_detail)


def update_project(
    project_id: int, base_revision: int, name: str | None, settings: Any
) -> Call[ProjectDetail]:
    body = _no_none(name=name, settings=settings)
    headers = {"If-Match": _etag(base_revision)}
    return Call("PATCH", f"/projects/{project_id}", _project_detail, body=body, headers=headers)


def get_lecture(lecture_id: int) -> Call[LectureSnapshot]:
    return Call("GET", f"/lectures/{lecture_id}", _lecture)


def get_lecture_if_changed(lecture_id: int, revision: int) -> Call[LectureSnapshot | None]:
    headers = {"If-None-Match": _etag(revision)}
    return Call("GET", f"/lectures/{lecture_id}", _lecture_or_none, headers=headers, ok=(200, 304))


def save_lecture(
    lecture_id: int, payload: Mapping[str, Any], base_revision: int, merge: bool, force: bool
) -> Call[SaveResponse]:
    body: dict[str, Any] = {"payload": wire(payload)}
    if merge:
        body["merge"] = True
    if force:
        body["force"] = True
    headers = {"If-Match": _etag(base_revision)}
    return Call("PATCH", f"/lectures/{lecture_id}", _save, body=body, headers=headers)


def list_history(lecture_id: int, limit: int | None, before: int | None) -> Call[HistoryPage]:
    params = _no_none(limit=limit, before=before)
    return Call("GET", f"/lectures/{lecture_id}/history", _history, params=params)


def get_revision(lecture_id: int, revision: int) -> Call[RevisionDetail]:
    return Call("GET", f"/lectures/{lecture_id}/history/{revision}", _revision)


def diff(lecture_id: int, from_revision: int, to_revision: int) -> Call[LectureDiff]:
    params = {"from": from_revision, "to": to_revision}
    return Call("GET", f"/lectures/{lecture_id}/diff", _diff, params=params)


def restore_revision(
    lecture_id: int, revision: int, base_revision: int, force: bool
) -> Call[SaveResponse]:
    body = {"force": True} if force else _NO_BODY
    headers = {"If-Match": _etag(base_revision)}
    path = f"/lectures/{lecture_id}/history/{revision}/restore"
    return Call("POST", path, _save, body=body, headers=headers)


def list_drafts(lecture_id: int) -> Call[list[ConflictDraft]]:
    return Call("GET", f"/lectures/{lecture_id}/drafts", _drafts)


def get_draft(lecture_id: int, draft_id: int) -> Call[ConflictDraftDetail]:
    return Call("GET", f"/lectures/{lecture_id}/drafts/{draft_id}", _draft)


def apply_draft(lecture_id: int, draft_id: int) -> Call[SaveResponse]:
    return Call("POST", f"/lectures/{lecture_id}/drafts/{draft_id}/apply", _save)


def delete_draft(lecture_id: int, draft_id: int) -> Call[None]:
    return Call("DELETE", f"/lectures/{lecture_id}/drafts/{draft_id}", _nothing, ok=(204,))


def start_workflow(
    lecture_id: int,
    kind: StartableKind,
    from_step: int,
    force: bool,
    original_run_id: str | None,
) -> Call[RunStatusResponse]:
    body = _no_none(kind=kind, fromStep=from_step, force=force, originalRunId=original_run_id)
    path = f"/lectures/{lecture_id}/workflows"
    return Call("POST", path, _run_status, body=body, ok=(202,))


def get_run(run_id: str) -> Call[WorkflowRun]:
    return Call("GET", f"/workflow-runs/{_segment(run_id)}", _run)


def cancel_run(run_id: str) -> Call[RunStatusResponse]:
    return Call("POST", f"/workflow-runs/{_segment(run_id)}/cancel", _run_status)


def resume_run(run_id: str) -> Call[RunStatusResponse]:
    return Call("POST", f"/workflow-runs/{_segment(run_id)}/resume", _run_status, ok=(202,))


def accept_run(run_id: str, force: bool) -> Call[AcceptResponse]:
    body = {"force": True} if force else {}
    return Call("POST", f"/workflow-runs/{_segment(run_id)}/accept", _accept, body=body)


def reject_run(run_id: str) -> Call[RunStatusResponse]:
    return Call("POST", f"/workflow-runs/{_segment(run_id)}/reject", _run_status)


def regenerate_asset(
    lecture_id: int, kind: AssetKind, asset_id: str, prompt: str | None
) -> Call[RunStatusResponse]:
    path = f"/lectures/{lecture_id}/assets/{_segment(kind)}/{_segment(asset_id)}/regenerate"
    return Call("POST", path, _run_status, body=_no_none(prompt=prompt), ok=(202,))


def list_members(project_id: int) -> Call[list[Member]]:
    return Call("GET", f"/projects/{project_id}/members", _members)


def set_member(project_id: int, user_id: str, role: Role) -> Call[Member]:
    path = f"/projects/{project_id}/members/{_segment(user_id)}"
    return Call("PUT", path, _member, body={"role": role})


def remove_member(project_id: int, user_id: str) -> Call[None]:
    path = f"/projects/{project_id}/members/{_segment(user_id)}"
    return Call("DELETE", path, _nothing, ok=(204,))


def set_focus(lecture_id: int, focus: Focus | None) -> Call[None]:
    body = {"focus": None if focus is None else wire(focus)}
    return Call("PUT", f"/lectures/{lecture_id}/presence", _nothing, body=body, ok=(204,))


def events_request(
    http: httpx.Client | httpx.AsyncClient,
    token: str,
    lecture_id: int,
    last_event_id: str | None,
    timeout: httpx.Timeout,
) -> httpx.Request:
    """`GET /lectures/{id}/events`, resuming after `last_event_id` when given."""
    headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
    if last_event_id:
        headers["Last-Event-ID"] = last_event_id
    return http.build_request(
        "GET", f"/lectures/{lecture_id}/events", headers=headers, timeout=timeout
    )
