"""`/lectures/{lectureId}/history`: list revisions, read one, restore one."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.params import JSONBody

from tutopanda.api.database import Db
from tutopanda.api.params import (
    Before,
    FromRevision,
    LectureIdPath,
    Limit,
    RevisionNumber,
    ToRevision,
    UserId,
)
from tutopanda.api.preconditions import IfMatch, base_revision
from tutopanda.api.problems import problems
from tutopanda.api.writes import saved_or_conflict
from tutopanda.audit.diff import section_diff
from tutopanda.models.history import RevisionDetail
from tutopanda.models.wire import HistoryPage, LectureDiff, RestoreRequest, SaveResponse
from tutopanda.store import history


class DiffController(Controller):
    """The difference between two revisions of a lecture."""

    path = "/lectures/{lecture_id:int}/diff"
    tags = ["history"]

    @get(
        "/",
        summary="Diff two revisions (JSON Patch per section)",
        responses=problems(401, 404, 422, 503),
    )
    async def diff(
        self,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        from_revision: FromRevision,
        to_revision: ToRevision,
    ) -> LectureDiff:
        """RFC 6902 operations per changed section that turn revision `from` into `to`, and who
        made each of the two revisions."""
        before = await history.get_revision(db, user, lecture_id, from_revision)
        after = await history.get_revision(db, user, lecture_id, to_revision)
        sections = section_diff(
            before.data.model_dump(mode="json", by_alias=True),
            after.data.model_dump(mode="json", by_alias=True),
        )
        return LectureDiff.model_validate(
            {
                "lectureId": lecture_id,
                "from": from_revision,
                "to": to_revision,
                "fromCreatedBy": before.created_by,
                "toCreatedBy": after.created_by,
                "sections": sections,
            }
        )


class HistoryController(Controller):
    """The append-only history of a lecture."""

    path = "/lectures/{lecture_id:int}/history"
    tags = ["history"]

    @get("/", summary="List revisions, newest first", responses=problems(401, 404, 422, 503))
    async def list_revisions(
        self,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        limit: Limit = 50,
        before: Before = None,
    ) -> HistoryPage:
        """Who changed what and when: source (app, workflow, system), actor, run, sections."""
        items = await history.list_history(
            db, user, lecture_id, limit=limit, before_revision=before
        )
        more = len(items) == limit and items[-1].revision > 0
        return HistoryPage(items=items, next_before=items[-1].revision if more else None)

    @get("/{revision:int}", summary="Get one revision", responses=problems(401, 404, 422, 503))
    async def read_revision(
        self, db: Db, user: UserId, lecture_id: LectureIdPath, revision: RevisionNumber
    ) -> RevisionDetail:
        """One revision with the full lecture content after that write."""
        return await history.get_revision(db, user, lecture_id, revision)

    @post(
        "/{revision:int}/restore",
        status_code=200,
        summary="Restore a revision as a new one",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def restore(
        self,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        revision: RevisionNumber,
        if_match: IfMatch,
        data: JSONBody[RestoreRequest | None] = None,
    ) -> Response[SaveResponse]:
        """Make an old revision's content current, as a new revision (nothing is erased), on
        the revision the editor last saw (`If-Match`; 409 when the lecture moved on)."""
        base = base_revision(if_match)
        force = data is not None and data.force
        result = await history.restore_revision(db, user, lecture_id, revision, base, force=force)
        return saved_or_conflict(result, base)
