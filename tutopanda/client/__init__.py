"""Python SDK of the lecture store: typed sync and async clients, and an auto-saving editor session.

It imports no server code beyond the pydantic models the API answers with (no Litestar,
Procrastinate or psycopg), so a script or a front-end test can use it on its own.
"""

from tutopanda.client.async_client import AsyncTutopandaClient
from tutopanda.client.editor.session import ConflictPolicy, ConflictReport, EditorSession
from tutopanda.client.editor.status import SaveStatus, SessionStatus
from tutopanda.client.editor.threaded import SyncEditorSession
from tutopanda.client.errors import (
    BadRequest,
    ClientError,
    Conflict,
    IdempotencyKeyReused,
    NotFound,
    PayloadTooLarge,
    PreconditionFailed,
    ProblemError,
    QuotaExceeded,
    RevisionConflict,
    RunTimeout,
    ServerError,
    ServiceUnavailable,
    TooManyRequests,
    TransportError,
    Unauthorized,
    UnexpectedResponse,
    ValidationFailed,
)
from tutopanda.client.models import ServerEvent
from tutopanda.client.routes import new_idempotency_key
from tutopanda.client.streams import AsyncEventStream, EventStream
from tutopanda.client.sync_client import TutopandaClient
from tutopanda.client.waiting import STOPPED

__all__ = [
    "STOPPED",
    "AsyncEventStream",
    "AsyncTutopandaClient",
    "BadRequest",
    "ClientError",
    "Conflict",
    "ConflictPolicy",
    "ConflictReport",
    "EditorSession",
    "EventStream",
    "IdempotencyKeyReused",
    "NotFound",
    "PayloadTooLarge",
    "PreconditionFailed",
    "ProblemError",
    "QuotaExceeded",
    "RevisionConflict",
    "RunTimeout",
    "SaveStatus",
    "ServerError",
    "ServerEvent",
    "ServiceUnavailable",
    "SessionStatus",
    "SyncEditorSession",
    "TooManyRequests",
    "TransportError",
    "TutopandaClient",
    "Unauthorized",
    "UnexpectedResponse",
    "ValidationFailed",
    "new_idempotency_key",
]
