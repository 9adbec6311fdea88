"""`/health` (the process answers) and `/ready` (the database answers too)."""

from __future__ import annotations

import logging

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec

from tutopanda.api.database import Database
from tutopanda.db.execute import fetch_value
from tutopanda.models.wire import HealthResponse

logger = logging.getLogger("tutopanda.api")
RETRY_AFTER_SECONDS = 5  # as the problems of the other routes say (api/problems.py)


class HealthController(Controller):
    """Probes for orchestrators and load balancers (no authentication)."""

    path = "/"
    tags = ["health"]

    @get("/health", summary="Liveness")
    async def health(self) -> HealthResponse:
        """200 while the process serves requests."""
        return HealthResponse(status="ok")

    @get(
        "/ready",
        summary="Readiness",
        responses={
            503: ResponseSpec(
                HealthResponse, description="The database does not answer", generate_examples=False
            )
        },
    )
    async def ready(self, state: State) -> Response[HealthResponse]:
        """200 when the database answers and is migrated, 503 otherwise (at once while away)."""
        database: Database = state.database
        try:
            async with database.connection() as conn:
                migrated = await fetch_value(conn, "ready_check", {})
        except Exception as error:  # any failure means not ready
            if not database.away:  # while away, the database module has logged it once
                logger.warning("not ready: %s", error)
            migrated = None
        if not migrated:
            if migrated is False:
                logger.warning("not ready: the database is not migrated (tutopanda db migrate)")
            return Response(
                HealthResponse(status="unavailable"),
                status_code=503,
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )
        return Response(HealthResponse(status="ok"))
