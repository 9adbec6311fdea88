"""The Litestar application: all wiring in one place."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Router
from litestar.config.cors import CORSConfig
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import ScalarRenderPlugin, SwaggerRenderPlugin
from litestar.plugins.pydantic import PydanticPlugin
from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool

from tutopanda.api.auth import SECURITY, bearer_auth
from tutopanda.api.bodies import StrictBodies
from tutopanda.api.controllers.health import HealthController
from tutopanda.api.controllers.history import DiffController, HistoryController
from tutopanda.api.controllers.lectures import LectureController
from tutopanda.api.controllers.projects import ProjectController
from tutopanda.api.controllers.workflows import LectureWorkflowController, WorkflowRunController
from tutopanda.api.database import create_pool, pool_lifespan, provide_connection
from tutopanda.api.middleware import install_outermost
from tutopanda.api.openapi import PydanticSchemas, answer_options
from tutopanda.api.params import IDENTIFIERS
from tutopanda.api.problems import problem_response
from tutopanda.settings import Settings
from tutopanda.tokens import signing_secret

API_VERSION = "1.0.0"


def _cors(settings: Settings) -> CORSConfig | None:
    """Browsers on these origins may call the API (none: same origin only)."""
    origins = [origin.strip() for origin in settings.cors_origins.split(",") if origin.strip()]
    if not origins:
        return None
    return CORSConfig(
        allow_origins=origins,
        allow_methods=["GET", "POST", "PATCH", "OPTIONS"],
        allow_headers=[
            "Authorization",
            "Content-Type",
            "If-Match",
            "If-None-Match",
            "X-Request-ID",
        ],
        expose_headers=["ETag", "Location", "X-Request-ID", "Retry-After"],
    )


def create_app(
    settings: Settings,
    database_url: str,
    *,
    pool: AsyncConnectionPool[AsyncConnection[Any]] | None = None,
) -> Litestar:
    """The HTTP API over the database at `database_url` (connections assume the runtime role)."""
    return Litestar(
        route_handlers=[
            HealthController,
            Router(
                path="/",
                security=SECURITY,  # api/auth.py lets only health, readiness and the schema through
                route_handlers=[
                    ProjectController,
                    LectureController,
                    HistoryController,
                    DiffController,
                    LectureWorkflowController,
                    WorkflowRunController,
                ],
            ),
        ],
        dependencies={"db": Provide(provide_connection), **IDENTIFIERS},
        lifespan=[pool_lifespan(pool or create_pool(database_url, settings))],
        on_app_init=[bearer_auth(signing_secret(settings)), install_outermost],
        exception_handlers={Exception: problem_response},
        plugins=[StrictBodies(), PydanticSchemas(), PydanticPlugin(prefer_alias=True)],
        before_request=answer_options,
        request_max_body_size=settings.max_body_bytes,
        cors_config=_cors(settings),
        openapi_config=OpenAPIConfig(
            title="Tutopanda lecture store",
            version=API_VERSION,
            description=(
                "Revisioned lectures for the Tutopanda editor. Every write names the revision it "
                "builds on; errors are application/problem+json with a stable `code`."
            ),
            path="/schema",
            render_plugins=[ScalarRenderPlugin(path="/"), SwaggerRenderPlugin()],
        ),
        debug=False,
    )
