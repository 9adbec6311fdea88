"""`/lectures/{lectureId}/drafts`: saves refused as conflicts, kept until applied or discarded."""

from __future__ import annotations

from litestar import Controller, Response, delete, get, post

from tutopanda.api.database import Db
from tutopanda.api.params import DraftIdPath, LectureIdPath, UserId
from tutopanda.api.problems import problems
from tutopanda.api.writes import saved_or_conflict
from tutopanda.models.drafts import ConflictDraft, ConflictDraftDetail
from tutopanda.models.wire import SaveResponse
from tutopanda.store import drafts


class DraftController(Controller):
    """Conflict drafts on a lecture: the signed-in user's own; an owner's, every member's."""

    path = "/lectures/{lecture_id:int}/drafts"
    tags = ["drafts"]

    @get("/", summary="List conflict drafts", responses=problems(401, 403, 404, 503))
    async def list_drafts(
        self, db: Db, user: UserId, lecture_id: LectureIdPath
    ) -> list[ConflictDraft]:
        """Saves refused as conflicts and not resolved yet, oldest first: mine, or every
        member's for an owner. Each names its author (`userId`), the sections sent, the
        revision they were made on and the one they lost to."""
        return await drafts.list_drafts(db, user, lecture_id)

    @get(
        "/{draft_id:int}",
        summary="Get a conflict draft",
        responses=problems(401, 403, 404, 503),
    )
    async def read(
        self, db: Db, user: UserId, lecture_id: LectureIdPath, draft_id: DraftIdPath
    ) -> ConflictDraftDetail:
        """One unresolved draft with the content of the revision it was made on. Another
        member's draft is 404, like a missing one, unless the caller is an owner."""
        return await drafts.get_draft(db, user, lecture_id, draft_id)

    @post(
        "/{draft_id:int}/apply",
        status_code=200,
        summary="Apply a conflict draft",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def apply(
        self, db: Db, user: UserId, lecture_id: LectureIdPath, draft_id: DraftIdPath
    ) -> Response[SaveResponse]:
        """Merge the draft onto the latest revision (200, `mergedOnto`; the draft is resolved),
        or 409 naming the paths changed differently since (the draft stays). To keep the draft's
        sections over those paths anyway, save them with `force` and discard the draft. An owner
        may apply another member's draft: the new revision is the owner's."""
        result = await drafts.apply_draft(db, user, lecture_id, draft_id)
        return saved_or_conflict(result, None)

    @delete(
        "/{draft_id:int}",
        status_code=204,
        summary="Discard a conflict draft",
        responses=problems(401, 403, 404, 409, 422, 503),
    )
    async def discard(
        self, db: Db, user: UserId, lecture_id: LectureIdPath, draft_id: DraftIdPath
    ) -> None:
        """Discard the draft (kept for auditors, marked discarded, until pruned)."""
        await drafts.discard_draft(db, user, lecture_id, draft_id)
