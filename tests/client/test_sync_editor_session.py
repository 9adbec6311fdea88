"""`SyncEditorSession`: the same auto-save loop behind blocking methods, on its own thread."""

from __future__ import annotations

import time

import pytest

from tests.client.conftest import generated_lecture
from tutopanda.client import SyncEditorSession, TutopandaClient

# A burst's debounce: far longer than its pauses, however late a loaded machine wakes the
# test (with 0.2 s, a gap between two edits outlasted it in a CI run: two saves).
BURST_DEBOUNCE = 5.0
BURST_PAUSE = 0.05


def test_the_sync_session_saves_a_burst_once(base_url: str, token: str) -> None:
    with TutopandaClient(base_url, token) as client:
        lecture_id = generated_lecture(client)
        before = client.get_lecture(lecture_id).revision
        seen: list[str] = []
        with SyncEditorSession(
            base_url,
            token,
            lecture_id,
            debounce=BURST_DEBOUNCE,
            on_status=lambda s: seen.append(s.status),
        ) as session:
            for step in range(4):
                session.edit("title", f"Sync {step}")
                time.sleep(BURST_PAUSE)
            assert session.status.dirty == {"title"}
            with pytest.raises(ValueError, match="unknown section"):
                session.edit("nope", 1)
            assert session.flush().status == "saved"
            assert session.value("title") == "Sync 3"
        history = client.list_history(lecture_id, limit=5).items
        assert [item.revision for item in history if item.revision > before] == [before + 1]
        assert client.get_lecture(lecture_id).title == "Sync 3"
    assert seen[-1] == "saved"
