"""`/lectures/{lectureId}`: read with ETag, auto-save with PATCH and optimistic concurrency."""

from __future__ import annotations

from litestar import Controller, Response, get, patch
from litestar.enums import MediaType
from litestar.params import JSONBody
from litestar.status_codes import HTTP_304_NOT_MODIFIED

from tutopanda.api.database import Db
from tutopanda.api.lecture_fast_path import CACHE_CONTROL, lecture_fast_path, read_answer
from tutopanda.api.openapi import NOT_MODIFIED
from tutopanda.api.params import LectureIdPath, UserId
from tutopanda.api.preconditions import IfMatch, IfNoneMatch, base_revision
from tutopanda.api.problems import problems
from tutopanda.api.writes import saved_or_conflict
from tutopanda.models.lecture import LectureSnapshot
from tutopanda.models.wire import SaveRequest, SaveResponse
from tutopanda.store import lectures


class LectureController(Controller):
    """A lecture's content."""

    path = "/lectures/{lecture_id:int}"
    tags = ["lectures"]
    # Serves GET and the editor's saves itself; these handlers are the contract and serve the rest.
    middleware = [lecture_fast_path]

    @get(
        "/",
        summary="Get a lecture",
        responses={304: NOT_MODIFIED, **problems(401, 404, 503)},
    )
    async def read(
        self, db: Db, user: UserId, lecture_id: LectureIdPath, if_none_match: IfNoneMatch = None
    ) -> Response[LectureSnapshot]:
        """The lecture with its revision; the `ETag` is the revision (`If-None-Match` gives 304)."""
        status, tag, body = await read_answer(db, user, lecture_id, if_none_match)
        headers = {"ETag": tag, "Cache-Control": CACHE_CONTROL}
        if status == HTTP_304_NOT_MODIFIED:
            return Response(None, status_code=HTTP_304_NOT_MODIFIED, headers=headers)  # type: ignore[arg-type]
        # The database's JSON text as it is: parsing and writing it again here cost 4 times the
        # read itself (a 20 KB lecture: ~1.3 ms of the process's CPU).
        return Response(body, media_type=MediaType.JSON, headers=headers)  # type: ignore[arg-type]

    @patch(
        "/",
        summary="Save a draft (auto-save)",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def save(
        self,
        db: Db,
        user: UserId,
        lecture_id: LectureIdPath,
        data: JSONBody[SaveRequest],
        if_match: IfMatch,
    ) -> Response[SaveResponse]:
        """Save the dirty sections on the revision the editor last saw (`If-Match`).

        200 with the new revision; 409 `revision_conflict` with the latest snapshot when the
        lecture moved on (nothing is written but the draft keeping the refused sections).
        """
        base = base_revision(if_match)
        result = await lectures.save_draft(
            db,
            user,
            lecture_id,
            base,
            data.payload,
            merge=data.merge,
            force=data.force,
        )
        return saved_or_conflict(result, base)
