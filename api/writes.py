"""Optimistic writes (save, restore): a base revision is required; a lost race answers 409."""

from __future__ import annotations

from litestar import Response

from tutopanda.api.preconditions import base_revision, etag
from tutopanda.api.problems import PreconditionRequired, RevisionConflict
from tutopanda.models.lecture import SaveResult
from tutopanda.models.wire import MergeConflict, SaveResponse


def required_base_revision(body_revision: int | None, if_match: str | None) -> int:
    """The revision a write builds on; 428 when neither the body nor If-Match names one."""
    base = base_revision(body_revision, if_match)
    if base is None:
        raise PreconditionRequired("send baseRevision in the body or an If-Match header")
    return base


def saved_or_conflict(result: SaveResult, base: int | None) -> Response[SaveResponse]:
    """200 with the new revision as ETag, or 409 with the latest snapshot, the draft keeping
    the refused sections and the conflicting paths of a merge."""
    if result.lecture is not None:
        conflicts = [MergeConflict.model_validate(c) for c in result.conflicts]
        raise RevisionConflict(
            result.lecture, base, draft_id=result.draft_id, conflicts=conflicts or None
        )
    body = SaveResponse(
        status="saved",
        revision=result.revision,
        updated_at=result.updated_at,
        changed_sections=result.changed_sections,
        merged_onto=result.merged_onto,
    )
    return Response(body, headers={"ETag": etag(result.revision)})
