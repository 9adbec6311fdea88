"""`EditorSession`: the editor's auto-save loop against the API, for asyncio.

One worker task does every save and every pull, one at a time, so at most one save is in
flight and a pulled snapshot never lands under an edit being sent. Edits only touch the buffer
and re-arm the debounce timer; the event stream only records the server's newest revision.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from types import TracebackType
from typing import Any, Self

from pydantic import JsonValue

from tutopanda.client.async_client import AsyncTutopandaClient
from tutopanda.client.editor import refusals
from tutopanda.client.editor.buffer import EditBuffer
from tutopanda.client.editor.state import SaveAttempt, SessionState
from tutopanda.client.editor.status import (
    ConflictPolicy,
    ConflictReport,
    SessionStatus,
    StatusFeed,
    notify,
)
from tutopanda.client.errors import (
    ClientError,
    RevisionConflict,
    ServiceUnavailable,
    TransportError,
)
from tutopanda.client.models import (
    Focus,
    LectureRevised,
    LectureSnapshot,
    LectureState,
    Presence,
    PresentPerson,
    SaveResponse,
    WorkflowProgress,
)
from tutopanda.client.routes import wire

__all__ = ["ConflictPolicy", "ConflictReport", "EditorSession"]

logger = logging.getLogger("tutopanda.client")
DEFAULT_DEBOUNCE_SECONDS = 2.5
RETRY_SECONDS = 5.0  # after a transport error or a 503, the dirty sections are sent again


class EditorSession:
    """Holds a lecture, buffers edits per section, saves them after a quiet `debounce`.

    Saves send only the dirty sections, on the revision they were made on; when the server is
    known to have moved on, with `merge` (policy `merge`). On a 409 the `policy` decides:
    `merge` merges per JSON path and keeps true conflicts as the server's draft (reported in
    `conflict`, the local edit kept in `held` until `reapply()` or `reload()`); `reload` takes
    the server's snapshot and reports the draft keeping the edit; `force` overwrites.
    When another writer's revision arrives while nothing is dirty, the newer snapshot is pulled.
    Use it from one event loop (`edit` is a plain method that must run on that loop).
    """

    def __init__(
        self,
        client: AsyncTutopandaClient,
        lecture_id: int,
        *,
        debounce: float = DEFAULT_DEBOUNCE_SECONDS,
        policy: ConflictPolicy = "merge",
        follow_events: bool = True,
        retry_seconds: float | None = RETRY_SECONDS,
        on_status: Callable[[SessionStatus], None] | None = None,
        on_snapshot: Callable[[LectureSnapshot], None] | None = None,
        on_progress: Callable[[WorkflowProgress], None] | None = None,
        on_presence: Callable[[dict[str, PresentPerson]], None] | None = None,
    ):
        self.client = client
        self.lecture_id = lecture_id
        self.debounce = debounce
        self.policy: ConflictPolicy = policy
        self.retry_seconds = retry_seconds
        self._follow_events = follow_events
        self._on_snapshot = on_snapshot
        self._on_progress = on_progress
        self._on_presence = on_presence
        self._present: dict[str, PresentPerson] = {}
        self._feed = StatusFeed()
        if on_status is not None:
            self._feed.callbacks.append(on_status)
        self._state: SessionState | None = None
        self._due = False  # the debounce elapsed (or flush asked): save the dirty sections
        self._timer: asyncio.TimerHandle | None = None
        self._worker: asyncio.Task[None] | None = None
        self._follower: asyncio.Task[None] | None = None
        self._save_lock = asyncio.Lock()

    # life cycle
    async def open(self) -> Self:
        """Load the lecture and start following its events."""
        snapshot = await self.client.get_lecture(self.lecture_id)
        self._state = SessionState(EditBuffer(snapshot), snapshot.revision)
        if self._follow_events:
            self._follower = asyncio.create_task(self._follow())
        self._publish()
        return self

    async def close(self) -> None:
        """Save what is dirty, then stop following events."""
        try:
            await self.flush()
        finally:
            self._cancel_timer()
            for task in (self._follower, self._worker):
                if task is not None and not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            self._feed.end()

    async def __aenter__(self) -> Self:
        return await self.open()

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()

    # what the editor reads
    @property
    def state(self) -> SessionState:
        if self._state is None:
            raise RuntimeError("open the session first (await session.open())")
        return self._state

    @property
    def buffer(self) -> EditBuffer:
        return self.state.buffer

    @property
    def present(self) -> dict[str, PresentPerson]:
        """Who is on the lecture now, by user id (this user included), with their focus: from
        the event stream's `presence` events."""
        return dict(self._present)

    async def set_focus(self, section: str | None, item_id: str | None = None) -> None:
        """Tell the others what this editor works on (None: nothing in particular)."""
        focus = None if section is None else Focus(section=section, item_id=item_id)
        await self.client.set_focus(self.lecture_id, focus)

    @property
    def snapshot(self) -> LectureSnapshot:
        """The server snapshot the local content is based on."""
        return self.buffer.snapshot

    @property
    def revision(self) -> int:
        """The base revision: what the next save is sent on."""
        return self.buffer.base_revision

    @property
    def dirty(self) -> frozenset[str]:
        """Sections edited and not saved yet (waiting or being sent)."""
        return self.status.dirty

    @property
    def held(self) -> dict[str, JsonValue]:
        """Sections refused in a conflict and kept locally (policy `merge`)."""
        return dict(self.buffer.held)

    @property
    def conflict(self) -> ConflictReport | None:
        """The last refused save, until it is resolved or dismissed."""
        return self.state.conflict

    @property
    def status(self) -> SessionStatus:
        return self.state.status()

    def value(self, section: str) -> JsonValue:
        """A section as the user sees it (local edits on top of the snapshot)."""
        return self.buffer.value(section)

    def content(self) -> dict[str, JsonValue]:
        """Every section as the user sees it."""
        return self.buffer.content()

    def statuses(self) -> AsyncIterator[SessionStatus]:
        """Each change of status from now on, until the session closes."""
        return self._feed.changes()

    # what the editor does
    def edit(self, section: str, value: Any) -> None:
        """Replace a section locally (a pydantic model or its JSON); it is saved after the
        debounce, counted from the LAST edit. ValueError for an unknown section or a value
        JSON cannot carry."""
        self.buffer.edit(section, wire(value))
        self._arm(self.debounce)
        self._publish()

    async def flush(self) -> SessionStatus:
        """Save the dirty sections now and wait for the save (and any pull) to finish."""
        self._cancel_timer()
        self._due = True
        self._kick()
        while self._worker is not None and not self._worker.done():
            await asyncio.shield(self._worker)
        return self.status

    def dismiss_conflict(self) -> None:
        """Forget the conflict report (the draft stays on the server). Held sections stay
        held: resolve them with `reapply()` or `reload()`, or edit them again."""
        self.state.conflict = None
        self._publish()

    async def reapply(self) -> SaveResponse | None:
        """Resolve a conflict with the local version: save the held sections with `force`
        (whole sections replace the server's), then discard the draft that kept them."""
        async with self._save_lock:
            self._publish()
            try:
                result = await refusals.force_held(self.client, self.lecture_id, self.state)
            finally:
                self._publish()
        self._kick()
        return result

    async def reload(self, *, discard_draft: bool = False) -> None:
        """Resolve a conflict with the server's version: forget the held sections and pull;
        the draft keeping them stays on the server unless `discard_draft`."""
        state = self.state
        report, state.conflict = state.conflict, None
        state.buffer.release_held()
        if discard_draft and report is not None and report.draft_id is not None:
            await refusals.discard_draft(self.client, self.lecture_id, report.draft_id)
        state.pull_failed = False
        await self.flush()

    # the worker
    def _arm(self, delay: float) -> None:
        self._cancel_timer()
        self._timer = asyncio.get_running_loop().call_later(delay, self._debounced)

    def _debounced(self) -> None:
        self._timer = None
        self._due = True
        self._kick()

    def _cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _kick(self) -> None:
        if self._state is not None and (self._worker is None or self._worker.done()):
            self._worker = asyncio.create_task(self._work())

    async def _work(self) -> None:
        state = self.state
        try:
            while True:
                if self._due and (state.buffer.pending or state.unanswered is not None):
                    self._due = False
                    await self._save_dirty()
                elif state.wants_pull():
                    await self._pull()
                else:
                    self._due = False
                    return
        except Exception as error:  # a bug must not kill auto-save silently
            logger.exception("editor session of lecture %s failed", self.lecture_id)
            state.failed(error)  # whatever was being sent is dirty again, not lost
            self._publish()

    async def _save_dirty(self) -> None:
        async with self._save_lock:
            state = self.state
            resent = state.unanswered
            attempt = resent or self._new_attempt()
            state.unanswered, state.error = None, None
            self._publish()
            try:
                result = await self.client.save_lecture(
                    self.lecture_id,
                    attempt.sections,
                    base_revision=attempt.base_revision,
                    merge=attempt.merge,
                    idempotency_key=attempt.key,
                )
            except RevisionConflict as refusal:
                await refusals.settle(
                    self.client,
                    self.lecture_id,
                    state,
                    policy=self.policy,
                    refusal=refusal,
                    sections=attempt.sections,
                )
            except (TransportError, ServiceUnavailable) as error:  # no answer: maybe saved
                state.lost(attempt, error)
                self._retry_later(error)
            except ClientError as error:
                state.failed(error)
            else:
                state.record(result, on_base=result.merged_onto is None)
                self._due = self._due or (resent is not None and bool(state.buffer.pending))
            self._publish()

    def _new_attempt(self) -> SaveAttempt:
        """The dirty sections, on the base revision, merged when the server is ahead."""
        state = self.state
        base = state.buffer.base_revision
        merge = self.policy == "merge" and state.server_revision > base
        return SaveAttempt(state.buffer.take(), base, merge)

    def _retry_later(self, error: TransportError | ServiceUnavailable) -> None:
        if self.retry_seconds is None:
            return
        delay = self.retry_seconds
        if isinstance(error, ServiceUnavailable) and error.retry_after is not None:
            delay = max(delay, error.retry_after)
        self._arm(delay)

    async def _pull(self) -> None:
        """Take the server's newer snapshot, unless the user typed while it was fetched."""
        state = self.state
        buffer = state.buffer
        edits = buffer.edits
        try:
            snapshot = await self.client.get_lecture_if_changed(
                self.lecture_id, buffer.base_revision
            )
        except ClientError as error:
            logger.warning("could not pull lecture %s: %s", self.lecture_id, error)
            state.pull_failed = True
            return
        if snapshot is None:  # 304: the server is where we are
            state.server_revision = buffer.base_revision
            return
        state.heard_of(snapshot.revision)
        if buffer.clean and buffer.edits == edits:
            buffer.adopt(snapshot)
            self._publish()
            if self._on_snapshot is not None:
                notify(self._on_snapshot, snapshot)

    # events
    async def _follow(self) -> None:
        try:
            async with self.client.events(self.lecture_id) as stream:
                async for event in stream:
                    parsed = event.parsed()
                    if isinstance(parsed, LectureState | LectureRevised):
                        if self.state.heard_of(parsed.revision):
                            self._publish()
                            self._kick()
                    elif isinstance(parsed, WorkflowProgress) and self._on_progress is not None:
                        notify(self._on_progress, parsed)
                    elif isinstance(parsed, Presence):
                        self._presence(parsed)
        except ClientError as error:
            logger.warning("lecture %s: no more events (%s)", self.lecture_id, error)

    def _presence(self, event: Presence) -> None:
        if event.kind == "state":
            self._present = {person.user_id: person for person in event.present}
        elif event.user_id is not None and event.kind == "left":
            self._present.pop(event.user_id, None)
        elif event.user_id is not None and event.kind in ("joined", "focus"):
            name = event.name or event.user_id
            person = PresentPerson(user_id=event.user_id, name=name, focus=event.focus)
            self._present[event.user_id] = person
        else:
            return
        if self._on_presence is not None:
            notify(self._on_presence, self.present)

    def _publish(self) -> None:
        if self._state is not None:
            self._feed.publish(self._state.status())
