"""What an editor session knows at a moment, shared by its saving, pulling and conflict parts."""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import JsonValue

from tutopanda.client.editor.buffer import EditBuffer
from tutopanda.client.editor.status import ConflictReport, SaveStatus, SessionStatus
from tutopanda.client.models import SaveResponse
from tutopanda.client.routes import new_idempotency_key


@dataclass(frozen=True)
class SaveAttempt:
    """One save as sent. When its answer is lost (no connection, 503) it is sent again exactly,
    with the same Idempotency-Key: a save that did go through is answered, not made twice."""

    sections: dict[str, JsonValue]
    base_revision: int
    merge: bool
    key: str = field(default_factory=new_idempotency_key)


@dataclass
class SessionState:
    """The buffer, the newest revision heard of on the server, and the outcome of the last
    save (a conflict to resolve, an error)."""

    buffer: EditBuffer
    server_revision: int
    conflict: ConflictReport | None = None
    error: Exception | None = None
    saved_once: bool = False
    pull_failed: bool = False  # until the next event: a failed pull is not retried in a loop
    unanswered: SaveAttempt | None = None  # a save whose answer was lost, to send again

    def heard_of(self, revision: int) -> bool:
        """Note a revision the server has; True when it is newer than any known."""
        if revision <= self.server_revision:
            return False
        self.server_revision = revision
        self.pull_failed = False
        return True

    def record(self, result: SaveResponse, *, on_base: bool) -> None:
        """A save went through: move its sections out of flight."""
        if on_base:
            self.buffer.saved_on_base(result.revision, result.updated_at)
        else:
            self.buffer.saved_elsewhere()
        self.heard_of(result.revision)
        self.error = None
        self.saved_once = True

    def failed(self, error: Exception) -> None:
        """A save did not happen: its sections are dirty again."""
        self.buffer.failed()
        self.error = error

    def lost(self, attempt: SaveAttempt, error: Exception) -> None:
        """A save got no answer: it may have happened. Its sections stay in flight, and the
        same request is sent again (newer edits wait for the save after it)."""
        self.unanswered = attempt
        self.error = error

    def wants_pull(self) -> bool:
        """Whether the server has a newer snapshot to take (only while nothing is dirty)."""
        buffer = self.buffer
        behind = self.server_revision > buffer.base_revision or bool(buffer.applied)
        return buffer.clean and behind and not self.pull_failed

    def status(self) -> SessionStatus:
        buffer = self.buffer
        state: SaveStatus = "idle"
        if self.unanswered is not None:
            state = "error"  # waiting to send its save again
        elif buffer.inflight:
            state = "saving"
        elif self.conflict is not None:
            state = "conflict"
        elif self.error is not None:
            state = "error"
        elif self.saved_once and not buffer.pending:
            state = "saved"
        return SessionStatus(
            status=state,
            revision=buffer.base_revision,
            server_revision=self.server_revision,
            dirty=frozenset(buffer.pending) | frozenset(buffer.inflight),
            conflict=self.conflict,
            error=self.error,
        )
