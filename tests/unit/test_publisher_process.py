"""The publisher's keeper starts the child again when it dies, and never after `stop`: a restart
racing with `stop` must not leave a child running that nobody ends."""

from __future__ import annotations

import time

import pytest

from tutopanda.events import publisher_process
from tutopanda.events.publisher_process import PublisherProcess


class _Recording(PublisherProcess):
    """Records each child started once `stop` had begun (none may be)."""

    def __init__(self) -> None:
        super().__init__("", interval_seconds=1.0, log_level="INFO")
        self._command = ["sleep", "0.001"]  # a child that ends by itself
        self.started_after_stop = 0

    def _spawn(self) -> None:
        if self._stopping.is_set():
            self.started_after_stop += 1
        super()._spawn()


def test_no_child_is_started_after_stop_however_it_races_a_restart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The child dies at once and is started again with no pause: the keeper is always
    # restarting when `stop` comes.
    monkeypatch.setattr(publisher_process, "RESTART_SECONDS", 0.0)
    for attempt in range(60):
        keeper = _Recording()
        keeper.start()
        time.sleep(0.0003 * (attempt % 10))
        keeper.stop()
        keeper._keeper.join(5)
        assert not keeper._keeper.is_alive()
        assert keeper.started_after_stop == 0, f"attempt {attempt}"
