"""What `wait_for_run` shares between the sync and the async client."""

from __future__ import annotations

import time

from tutopanda.client.models import FINISHED, RunStatus, ServerEvent, WorkflowProgress

# Where a script usually stops waiting: the run finished, or it waits for a human's review.
STOPPED: frozenset[RunStatus] = FINISHED | {"waiting_for_review"}


class Deadline:
    """A point in time, in monotonic seconds."""

    def __init__(self, seconds: float):
        self._at = time.monotonic() + seconds

    def passed(self) -> bool:
        return time.monotonic() >= self._at

    def within(self, seconds: float) -> float:
        """`seconds`, or less when the deadline comes first (never below a few milliseconds)."""
        return max(0.01, min(seconds, self._at - time.monotonic()))


def progress_of(event: ServerEvent, run_id: str) -> WorkflowProgress | None:
    """The event's progress when it is about the run `run_id`."""
    parsed = event.parsed()
    if isinstance(parsed, WorkflowProgress) and parsed.run_id == run_id:
        return parsed
    return None
