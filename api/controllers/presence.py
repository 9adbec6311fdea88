"""`/lectures/{lectureId}/presence`: what a member present on the lecture is working on."""

from __future__ import annotations

import time

from litestar import Controller, put
from litestar.datastructures import State
from litestar.params import JSONBody
from litestar.status_codes import HTTP_204_NO_CONTENT

from tutopanda.api.database import Db
from tutopanda.api.params import LectureIdPath, UserId
from tutopanda.api.problems import problems
from tutopanda.api.unsafe import NOT_A_WRITE
from tutopanda.events.presence import PresenceBoard
from tutopanda.models.presence import PresenceUpdate, focus_json
from tutopanda.store import events

ACCESS_SECONDS = 1.0  # a user's read access to a lecture, once checked, is trusted this long
_MAX_REMEMBERED = 10_000


class _RecentAccess:
    """(user, lecture) pairs whose read access was checked in the last ACCESS_SECONDS: a client
    sending many focus updates a second costs the database one check a second, and a member
    removed meanwhile loses presence within ACCESS_SECONDS."""

    def __init__(self) -> None:
        self._checked: dict[tuple[str, int], float] = {}

    def fresh(self, user: str, lecture_id: int) -> bool:
        checked = self._checked.get((user, lecture_id))
        return checked is not None and time.monotonic() - checked < ACCESS_SECONDS

    def remember(self, user: str, lecture_id: int) -> None:
        if len(self._checked) >= _MAX_REMEMBERED:
            self._checked.clear()
        self._checked[(user, lecture_id)] = time.monotonic()


_recent = _RecentAccess()


class PresenceController(Controller):
    """Presence: who is on a lecture is whoever has its event stream open; this says what on."""

    path = "/lectures/{lecture_id:int}/presence"
    tags = ["events"]

    @put(
        "/",
        summary="Say what I am working on",
        status_code=HTTP_204_NO_CONTENT,
        responses=problems(401, 404, 422, 503),  # no Idempotency-Key: it stores nothing
        opt={NOT_A_WRITE: True},
    )
    async def set_focus(
        self,
        state: State,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        data: JSONBody[PresenceUpdate],
    ) -> None:
        """The section (and the clip, segment or asset in it) I am editing, or null: every
        member following the lecture's events gets a `presence` event (`focus`). Members only
        (viewers too); the latest focus is sent at most every 0.1 s, so a client may send one
        per keystroke. Not counted as a write (no 429): it changes nothing stored."""
        if not _recent.fresh(user, lecture_id):
            await events.open_stream(db, user, lecture_id)  # 404 unless a member
            _recent.remember(user, lecture_id)
        board: PresenceBoard = state.presence
        board.set_focus(lecture_id, user, focus_json(data))
