"""`AsyncTutopandaClient`: one coroutine per route of the API, on httpx."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from tutopanda.client import routes
from tutopanda.client.errors import (
    RunTimeout,
    ServiceUnavailable,
    TransportError,
    problem_error,
)
from tutopanda.client.models import (
    AcceptResponse,
    ConflictDraft,
    ConflictDraftDetail,
    CreatedProject,
    Focus,
    HistoryPage,
    LectureDiff,
    LectureSnapshot,
    Member,
    ProjectDetail,
    ProjectPage,
    RevisionDetail,
    Role,
    RunStatus,
    RunStatusResponse,
    SaveResponse,
    WorkflowProgress,
    WorkflowRun,
)
from tutopanda.client.routes import Call
from tutopanda.client.streams import AsyncEventStream
from tutopanda.client.waiting import STOPPED, Deadline, progress_of
from tutopanda.workflows import AssetKind, StartableKind

T = TypeVar("T")
DEFAULT_TIMEOUT = 10.0
STREAM_READ_TIMEOUT = 60.0  # longer than the server's heartbeat interval (15 s by default)


class AsyncTutopandaClient:
    """A signed-in user's view of the API, for asyncio. Errors raise `ProblemError`
    subclasses (by `code`) or `TransportError`; answers are the API's pydantic models.

    Pass `http` to share a configured `httpx.AsyncClient` (it is not closed here), or `transport`
    (e.g. `httpx.MockTransport`, retries) for the client made here.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        http: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
    ):
        self.token = token
        self._owns_http = http is None
        self._http = http or httpx.AsyncClient(
            base_url=base_url, transport=transport, timeout=timeout
        )
        self._timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)

    async def aclose(self) -> None:
        """Close the connection pool (unless it was passed in)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def send(self, call: Call[T], *, key: str | None = None) -> T:
        """Send one call; its answer, or the typed exception of the problem. A write goes with
        `key` as its Idempotency-Key when given (to send one write again), else the call's own."""
        if key is not None:
            call = replace(call, key=key)
        try:
            response = await self._http.send(call.request(self._http, self.token))
        except httpx.TransportError as error:
            raise TransportError(f"{call.method} {call.path}: {error}", cause=error) from error
        if response.status_code not in call.ok:
            raise problem_error(response)
        return call.read(response)

    # health
    async def health(self) -> bool:
        """Whether the API process answers (`GET /health`)."""
        return await self.send(routes.health())

    async def ready(self) -> bool:
        """Whether the API and its database answer (`GET /ready`)."""
        return await self.send(routes.ready())

    # projects
    async def list_projects(
        self, *, limit: int | None = None, before: int | None = None
    ) -> ProjectPage:
        """My projects, newest first, with their lectures: a page of `limit` (50 by default, at
        most 200); pass `next_before` as `before` for the next page (None: no more)."""
        return await self.send(routes.list_projects(limit, before))

    async def create_project(
        self,
        prompt: str,
        *,
        name: str | None = None,
        settings: Any = None,
        idempotency_key: str | None = None,
    ) -> CreatedProject:
        """A project, its lecture and its queued generation run, from a prompt."""
        return await self.send(routes.create_project(prompt, name, settings), key=idempotency_key)

    async def get_project(self, project_id: int) -> ProjectDetail:
        """Name and generation settings at their settings revision."""
        return await self.send(routes.get_project(project_id))

    async def update_project(
        self,
        project_id: int,
        *,
        base_revision: int,
        name: str | None = None,
        settings: Mapping[str, Any] | None = None,
        idempotency_key: str | None = None,
    ) -> ProjectDetail:
        """Rename and/or merge settings groups in, on the settings revision last read."""
        return await self.send(
            routes.update_project(project_id, base_revision, name, settings), key=idempotency_key
        )

    # lectures
    async def get_lecture(self, lecture_id: int) -> LectureSnapshot:
        """The lecture with its revision."""
        return await self.send(routes.get_lecture(lecture_id))

    async def get_lecture_if_changed(
        self, lecture_id: int, revision: int
    ) -> LectureSnapshot | None:
        """The lecture when it is no longer at `revision`, else None (a 304, no body)."""
        return await self.send(routes.get_lecture_if_changed(lecture_id, revision))

    async def save_lecture(
        self,
        lecture_id: int,
        payload: Mapping[str, Any],
        *,
        base_revision: int,
        merge: bool = False,
        force: bool = False,
        idempotency_key: str | None = None,
    ) -> SaveResponse:
        """Save some sections on a base revision (`RevisionConflict` when it lost the race)."""
        return await self.send(
            routes.save_lecture(lecture_id, payload, base_revision, merge, force),
            key=idempotency_key,
        )

    # history
    async def list_history(
        self, lecture_id: int, *, limit: int | None = None, before: int | None = None
    ) -> HistoryPage:
        """Revisions newest first; pass `next_before` as `before` for the next page."""
        return await self.send(routes.list_history(lecture_id, limit, before))

    async def get_revision(self, lecture_id: int, revision: int) -> RevisionDetail:
        """One revision with its full content."""
        return await self.send(routes.get_revision(lecture_id, revision))

    async def diff(self, lecture_id: int, from_revision: int, to_revision: int) -> LectureDiff:
        """JSON Patch per section from one revision to another."""
        return await self.send(routes.diff(lecture_id, from_revision, to_revision))

    async def restore_revision(
        self,
        lecture_id: int,
        revision: int,
        *,
        base_revision: int,
        force: bool = False,
        idempotency_key: str | None = None,
    ) -> SaveResponse:
        """Make an old revision current again, as a new revision."""
        return await self.send(
            routes.restore_revision(lecture_id, revision, base_revision, force), key=idempotency_key
        )

    # drafts
    async def list_drafts(self, lecture_id: int) -> list[ConflictDraft]:
        """My saves refused as conflicts, not resolved yet."""
        return await self.send(routes.list_drafts(lecture_id))

    async def get_draft(self, lecture_id: int, draft_id: int) -> ConflictDraftDetail:
        """One draft with the content of the revision it was made on."""
        return await self.send(routes.get_draft(lecture_id, draft_id))

    async def apply_draft(
        self, lecture_id: int, draft_id: int, *, idempotency_key: str | None = None
    ) -> SaveResponse:
        """Merge a draft onto the latest revision (`RevisionConflict` naming the paths)."""
        return await self.send(routes.apply_draft(lecture_id, draft_id), key=idempotency_key)

    async def delete_draft(
        self, lecture_id: int, draft_id: int, *, idempotency_key: str | None = None
    ) -> None:
        """Discard a draft."""
        await self.send(routes.delete_draft(lecture_id, draft_id), key=idempotency_key)

    # sharing
    async def list_members(self, project_id: int) -> list[Member]:
        """The project's members with their roles, owners first."""
        return await self.send(routes.list_members(project_id))

    async def set_member(
        self, project_id: int, user_id: str, role: Role, *, idempotency_key: str | None = None
    ) -> Member:
        """Share the project with `user_id` as `role`, or change their role (owners only)."""
        return await self.send(routes.set_member(project_id, user_id, role), key=idempotency_key)

    async def remove_member(
        self, project_id: int, user_id: str, *, idempotency_key: str | None = None
    ) -> None:
        """Stop sharing the project with `user_id` (owners only; not the last owner)."""
        await self.send(routes.remove_member(project_id, user_id), key=idempotency_key)

    # presence
    async def set_focus(self, lecture_id: int, focus: Focus | None) -> None:
        """What I work on in the lecture (a section and the item in it), or None: the others
        following its events get a `presence` event. Cheap: the server sends at most ten a
        second per user."""
        await self.send(routes.set_focus(lecture_id, focus))

    # workflows
    async def start_workflow(
        self,
        lecture_id: int,
        kind: StartableKind,
        *,
        from_step: int = 1,
        force: bool = False,
        original_run_id: str | None = None,
        idempotency_key: str | None = None,
    ) -> RunStatusResponse:
        """Queue a run of `kind` from a step (`Conflict` while another run is active)."""
        return await self.send(
            routes.start_workflow(lecture_id, kind, from_step, force, original_run_id),
            key=idempotency_key,
        )

    async def get_run(self, run_id: str) -> WorkflowRun:
        """A run: status, step n of N, completed steps, a regeneration's proposal."""
        return await self.send(routes.get_run(run_id))

    async def cancel_run(
        self, run_id: str, *, idempotency_key: str | None = None
    ) -> RunStatusResponse:
        """Stop a run at its next step boundary."""
        return await self.send(routes.cancel_run(run_id), key=idempotency_key)

    async def resume_run(
        self, run_id: str, *, idempotency_key: str | None = None
    ) -> RunStatusResponse:
        """Continue a failed or cancelled run from its first incomplete step."""
        return await self.send(routes.resume_run(run_id), key=idempotency_key)

    async def accept_run(
        self, run_id: str, *, force: bool = False, idempotency_key: str | None = None
    ) -> AcceptResponse:
        """Apply a regeneration's proposal as a revision."""
        return await self.send(routes.accept_run(run_id, force), key=idempotency_key)

    async def reject_run(
        self, run_id: str, *, idempotency_key: str | None = None
    ) -> RunStatusResponse:
        """Discard a regeneration's proposal."""
        return await self.send(routes.reject_run(run_id), key=idempotency_key)

    async def regenerate_asset(
        self,
        lecture_id: int,
        kind: AssetKind,
        asset_id: str,
        *,
        prompt: str | None = None,
        idempotency_key: str | None = None,
    ) -> RunStatusResponse:
        """Make one asset again as a proposal to accept or reject."""
        return await self.send(
            routes.regenerate_asset(lecture_id, kind, asset_id, prompt), key=idempotency_key
        )

    # events
    def events(
        self,
        lecture_id: int,
        *,
        last_event_id: str | None = None,
        reconnect: bool = True,
        max_retries: int | None = None,
        read_timeout: float = STREAM_READ_TIMEOUT,
    ) -> AsyncEventStream:
        """The lecture's events as they commit, resuming after `last_event_id` when given."""
        timeout = httpx.Timeout(self._timeout.connect or DEFAULT_TIMEOUT, read=read_timeout)

        def build(after: str | None) -> httpx.Request:
            return routes.events_request(self._http, self.token, lecture_id, after, timeout)

        return AsyncEventStream(
            self._http,
            build,
            last_event_id=last_event_id,
            reconnect=reconnect,
            max_retries=max_retries,
        )

    async def wait_for_run(
        self,
        run_id: str,
        timeout: float = 300.0,
        *,
        until: Collection[RunStatus] = STOPPED,
        poll_interval: float = 5.0,
        on_progress: Callable[[WorkflowProgress], None] | None = None,
    ) -> WorkflowRun:
        """Wait until the run's status is in `until` (finished, or waiting for review) and
        return it; `RunTimeout` after `timeout` seconds. Follows the lecture's events, and
        polls the run every `poll_interval` seconds of silence or while the stream is down."""
        deadline = Deadline(timeout)
        run = await self.get_run(run_id)
        last_event_id: str | None = None
        while run.status not in until:
            if deadline.passed():
                raise RunTimeout(run_id, run.status)
            stream = self.events(
                run.lecture_id,
                last_event_id=last_event_id,
                reconnect=False,
                read_timeout=deadline.within(poll_interval),
            )
            connected = False
            try:
                async with stream:
                    await stream.open()
                    connected = True
                    run = await self.get_run(run_id)  # subscribed first: no change can slip by
                    while run.status not in until and not deadline.passed():
                        event = await anext(stream, None)
                        if event is None:
                            break
                        last_event_id = stream.last_event_id
                        progress = progress_of(event, run_id)
                        if progress is not None and on_progress is not None:
                            on_progress(progress)
                        if progress is not None and progress.status in until:
                            break
            except (TransportError, ServiceUnavailable):
                await asyncio.sleep(deadline.within(0 if connected else poll_interval))
            run = await self.get_run(run_id)
        return run
