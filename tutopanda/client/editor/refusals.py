"""What a session does when the server refuses a save (409), per conflict policy."""

from __future__ import annotations

import contextlib

from pydantic import JsonValue

from tutopanda.client.async_client import AsyncTutopandaClient
from tutopanda.client.editor.state import SessionState
from tutopanda.client.editor.status import ConflictPolicy, ConflictReport
from tutopanda.client.errors import ClientError, NotFound, RevisionConflict
from tutopanda.client.models import SaveResponse

APPLY_ATTEMPTS = 3  # a draft apply that keeps losing to other writers is reported, not looped


async def settle(
    client: AsyncTutopandaClient,
    lecture_id: int,
    state: SessionState,
    *,
    policy: ConflictPolicy,
    refusal: RevisionConflict,
    sections: dict[str, JsonValue],
) -> None:
    """Apply `policy` to a refused save of `sections` (still in flight in the buffer)."""
    if refusal.lecture is not None:
        state.heard_of(refusal.lecture.revision)
    if policy == "force":
        await _force(client, lecture_id, state, refusal, sections)
        return
    if policy == "merge" and not refusal.conflicts and refusal.draft_id is not None:
        unresolved = await _apply_draft(client, lecture_id, state, refusal, refusal.draft_id)
        if unresolved is None:
            return
        refusal = unresolved
    state.conflict = ConflictReport(
        policy=policy,
        draft_id=refusal.draft_id,
        sections=sections,
        conflicts=tuple(refusal.conflicts),
        latest=refusal.lecture,
    )
    if policy == "merge":
        state.buffer.hold()
    else:
        state.buffer.drop()
        state.pull_failed = False


async def _apply_draft(
    client: AsyncTutopandaClient,
    lecture_id: int,
    state: SessionState,
    refusal: RevisionConflict,
    draft_id: int,
) -> RevisionConflict | None:
    """Merge the refused save, which the server kept as a draft, onto the latest revision
    (the same as resending it with `merge`, without leaving the draft behind); None when that
    worked, else the last refusal."""
    for _ in range(APPLY_ATTEMPTS):
        try:
            result = await client.apply_draft(lecture_id, draft_id)
        except RevisionConflict as again:
            refusal = again
            if again.conflicts:
                return again
            continue
        state.record(result, on_base=False)
        return None
    return refusal


async def _force(
    client: AsyncTutopandaClient,
    lecture_id: int,
    state: SessionState,
    refusal: RevisionConflict,
    sections: dict[str, JsonValue],
) -> None:
    """Send the refused sections again with `force`, on their own base: the history records
    the save as forced over what happened since."""
    try:
        result = await client.save_lecture(
            lecture_id, sections, base_revision=state.buffer.base_revision, force=True
        )
    except ClientError as error:
        state.failed(error)
        return
    state.record(result, on_base=False)
    if refusal.draft_id is not None:
        await discard_draft(client, lecture_id, refusal.draft_id)


async def force_held(
    client: AsyncTutopandaClient, lecture_id: int, state: SessionState
) -> SaveResponse | None:
    """Resolve a conflict with the local version: the held sections, forced, and the draft
    that kept them discarded. None when nothing was held."""
    report = state.conflict
    sections = state.buffer.release_held()
    if not sections:
        return None
    state.buffer.inflight = sections
    try:
        result = await client.save_lecture(
            lecture_id, sections, base_revision=state.buffer.base_revision, force=True
        )
    except ClientError as error:
        state.failed(error)
        raise
    state.record(result, on_base=False)
    state.conflict = None
    if report is not None and report.draft_id is not None:
        await discard_draft(client, lecture_id, report.draft_id)
    return result


async def discard_draft(client: AsyncTutopandaClient, lecture_id: int, draft_id: int) -> None:
    """Discard a draft whose content was saved some other way (gone already is fine)."""
    with contextlib.suppress(NotFound):
        await client.delete_draft(lecture_id, draft_id)
