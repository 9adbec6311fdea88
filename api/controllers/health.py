"""`/health` (the process answers) and `/ready` (the database answers too)."""

from __future__ import annotations

import logging
from typing import Any

from litestar import Controller, Response, get
from litestar.datastructures import State
from litestar.openapi.datastructures import ResponseSpec
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from tutopanda.api.schemas import HealthResponse
from tutopanda.db.execute import fetch_value

logger = logging.getLogger("tutopanda.api")


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
        """200 when the database answers and is migrated, 503 otherwise."""
        pool: AsyncConnectionPool[AsyncConnection[Any]] = state.pool
        try:
            async with pool.connection() as conn:
                migrated = await fetch_value(conn, "ready_check", {})
        except Exception as error:  # any failure means not ready
            logger.warning("not ready: %s", error)
            migrated = None
        if not migrated:
            if migrated is False:
                logger.warning("not ready: the database is not migrated (tutopanda db migrate)")
            return Response(HealthResponse(status="unavailable"), status_code=503)
        return Response(HealthResponse(status="ok"))
