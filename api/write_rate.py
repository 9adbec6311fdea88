"""Each API process's write rate per user: a token bucket of `TUTOPANDA_WRITES_PER_MINUTE` writes,
refilled over a minute. A write past it is 429 `quota_exceeded` (`writes_per_minute`) before
anything else runs: no connection is taken, nothing is written.

The count is per process, in memory (N processes let a user write up to N times as fast); the
quotas that must hold across processes are counted by the database (sql/schema/250_quotas.sql).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from copy import copy

from litestar import Litestar
from litestar.enums import ScopeType
from litestar.openapi.spec import OpenAPIHeader, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.types import ASGIApp, Receive, Scope, Send

from tutopanda.api.unsafe import UNSAFE_METHODS, not_writes, stores_a_write
from tutopanda.errors import QuotaExceeded

# Users whose bucket is full are forgotten once more than this many are remembered.
REMEMBERED_USERS = 10_000


class WriteRate:
    """Token buckets per user: `per_minute` writes at once, one more every 60/`per_minute` s."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic):
        self.per_minute = per_minute
        self._per_second = per_minute / 60
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}  # user -> (writes left, when)

    def take(self, user: str) -> float:
        """Spend one of the user's writes: 0 when there was one, else the seconds until there
        is (nothing is spent)."""
        now = self._clock()
        left, when = self._buckets.get(user, (self.per_minute, now))
        left = min(self.per_minute, left + (now - when) * self._per_second)
        if left < 1:
            self._buckets[user] = (left, now)
            return (1 - left) / self._per_second
        self._buckets[user] = (left - 1, now)
        if len(self._buckets) > REMEMBERED_USERS:
            self._forget_full(now)
        return 0.0

    def _forget_full(self, now: float) -> None:
        full = [
            user
            for user, (left, when) in self._buckets.items()
            if left + (now - when) * self._per_second >= self.per_minute
        ]
        for user in full:
            del self._buckets[user]


def write_rate_middleware(per_minute: int) -> Callable[[ASGIApp], ASGIApp]:
    """The middleware that refuses a user's writes past `per_minute` (one bucket per app)."""
    rate = WriteRate(per_minute)

    def install(app: ASGIApp) -> ASGIApp:
        async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
            if (
                scope["type"] == ScopeType.HTTP
                and scope["method"] in UNSAFE_METHODS
                and "user" in scope
                and stores_a_write(scope)
                and (wait := rate.take(str(scope["user"])))
            ):
                raise QuotaExceeded(
                    f"{per_minute} writes a minute is the most one user may send to an API process",
                    quota="writes_per_minute",
                    limit=per_minute,
                    retry_after=max(1, math.ceil(wait)),
                    hint="slow down",
                )
            await app(scope, receive, send)

        return middleware

    return install


TOO_MANY_REQUESTS = (
    "Too Many Requests (application/problem+json `quota_exceeded`, with `Retry-After`: seconds to "
    "wait before retrying; `quota` names the limit and `limit` is its size): "
    "`writes_per_minute`, the user's writes to one API process (TUTOPANDA_WRITES_PER_MINUTE, "
    "every write route); `active_runs`, workflow runs queued, running or waiting for review at "
    "once (TUTOPANDA_MAX_ACTIVE_RUNS: creating a project, starting, resuming or regenerating); "
    "`projects_per_hour`, projects created in the last hour (TUTOPANDA_MAX_PROJECTS_PER_HOUR). "
    "Nothing was written."
)


def document_write_limits(app: Litestar) -> None:
    """A step of the document (api/app.py): every unsafe route may answer 429 (its problem is the
    same schema as the route's 400)."""
    retry_after = OpenAPIHeader(
        schema=Schema(type=OpenAPIType.INTEGER, minimum=1),
        description="seconds to wait before retrying",
        required=True,
    )
    exempt = not_writes(app)
    for name, path in (app.openapi_schema.paths or {}).items():
        for method in UNSAFE_METHODS:
            operation: Operation | None = getattr(path, method.lower(), None)
            if operation is None or not operation.responses or (name, method) in exempt:
                continue
            bad_request = operation.responses["400"]
            assert isinstance(bad_request, OpenAPIResponse), "problems() documents every 400"
            operation.responses["429"] = OpenAPIResponse(
                description=TOO_MANY_REQUESTS,
                content=copy(bad_request.content),
                headers={"Retry-After": retry_after},
            )
            operation.responses = dict(sorted(operation.responses.items()))
