"""`EditBuffer`: the layers of local edits over a snapshot, without a server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tutopanda.client.editor.buffer import EditBuffer
from tutopanda.client.models import LectureSnapshot

AT = datetime(2026, 1, 1, tzinfo=UTC)


def snapshot(revision: int, **sections: object) -> LectureSnapshot:
    return LectureSnapshot.model_validate(
        {
            "id": 1,
            "projectId": 1,
            "revision": revision,
            "updatedAt": AT.isoformat(),
            "title": "Base",
            **sections,
        }
    )


def test_the_view_is_the_snapshot_with_the_newest_layer_on_top() -> None:
    buffer = EditBuffer(snapshot(3, summary="Base summary"))
    assert (buffer.value("title"), buffer.value("images"), buffer.value("script")) == (
        "Base",
        [],
        None,
    )
    buffer.edit("title", "Sent")
    sent = buffer.take()
    buffer.edit("title", "Typed during the save")
    assert sent == {"title": "Sent"}
    assert buffer.value("title") == "Typed during the save"
    assert not buffer.clean


def test_a_save_on_the_base_moves_the_base() -> None:
    buffer = EditBuffer(snapshot(3))
    buffer.edit("summary", "Saved")
    buffer.take()
    buffer.saved_on_base(4, AT)
    assert (buffer.base_revision, buffer.snapshot.summary, buffer.clean) == (4, "Saved", True)


def test_a_merged_save_keeps_the_base_until_a_pull() -> None:
    buffer = EditBuffer(snapshot(3))
    buffer.edit("summary", "Merged")
    buffer.take()
    buffer.saved_elsewhere()
    assert (buffer.base_revision, buffer.value("summary"), buffer.applied) == (
        3,
        "Merged",
        {"summary": "Merged"},
    )
    buffer.adopt(snapshot(6, summary="Merged", title="Theirs"))
    assert (buffer.base_revision, buffer.applied, buffer.value("title")) == (6, {}, "Theirs")


def test_a_failed_save_is_dirty_again_under_newer_edits() -> None:
    buffer = EditBuffer(snapshot(3))
    buffer.edit("title", "Old")
    buffer.edit("summary", "Kept")
    buffer.take()
    buffer.edit("title", "Newer")
    buffer.failed()
    assert buffer.pending == {"title": "Newer", "summary": "Kept"}
    assert buffer.inflight == {}


def test_held_sections_stay_until_edited_again_or_released() -> None:
    buffer = EditBuffer(snapshot(3))
    buffer.edit("title", "Refused")
    buffer.take()
    buffer.hold()
    assert (buffer.held, buffer.value("title"), buffer.clean) == (
        {"title": "Refused"},
        "Refused",
        False,
    )
    buffer.edit("title", "Edited again")
    assert (buffer.held, buffer.pending) == ({}, {"title": "Edited again"})
    buffer.take()
    buffer.drop()
    assert (buffer.value("title"), buffer.clean) == ("Base", True)


def test_unknown_sections_and_values_json_cannot_carry_are_refused() -> None:
    buffer = EditBuffer(snapshot(3))
    with pytest.raises(ValueError, match="unknown section"):
        buffer.edit("revision", 9)
    with pytest.raises(ValueError, match="not JSON"):
        buffer.edit("summary", float("inf"))
    assert buffer.clean
