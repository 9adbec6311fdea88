"""The Litestar application: all wiring in one place."""

from __future__ import annotations

from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig
from litestar.openapi.spec import OpenAPI
from litestar.plugins.pydantic import PydanticPlugin

from tutopanda.api.auth import SECURITY, bearer_auth, provider_keys_lifespan
from tutopanda.api.bodies import StrictBodies
from tutopanda.api.contract import before_route, complete_document
from tutopanda.api.controllers.drafts import DraftController
from tutopanda.api.controllers.events import LectureEventsController
from tutopanda.api.controllers.health import HealthController
from tutopanda.api.controllers.history import DiffController, HistoryController
from tutopanda.api.controllers.lectures import LectureController
from tutopanda.api.controllers.members import MemberController
from tutopanda.api.controllers.presence import PresenceController
from tutopanda.api.controllers.projects import ProjectController
from tutopanda.api.controllers.workflows import (
    AssetRegenerationController,
    LectureWorkflowController,
    WorkflowRunController,
)
from tutopanda.api.cors import allow_cross_origin
from tutopanda.api.database import Database, database_lifespan
from tutopanda.api.docs_page import OfflineScalarPlugin, schema_router
from tutopanda.api.editor_page import editor_config, editor_router, origin_of
from tutopanda.api.hot_routes import LitestarWithHotRoutes
from tutopanda.api.idempotency import document_idempotency_keys, idempotency_middleware
from tutopanda.api.middleware import add_request_id, install_outermost
from tutopanda.api.openapi import PydanticSchemas
from tutopanda.api.params import REQUEST_DEPENDENCIES
from tutopanda.api.problems import problem_response
from tutopanda.api.realtime import realtime_lifespan
from tutopanda.api.security_headers import security_headers
from tutopanda.api.write_rate import document_write_limits, write_rate_middleware
from tutopanda.bearer import token_verifier
from tutopanda.settings import Settings

API_VERSION = "1.0.0"
# What the OpenAPI document says beyond what Litestar makes of the routes, added to it once.
DOCUMENT_STEPS = (document_idempotency_keys, document_write_limits, complete_document)


class TutopandaApp(LitestarWithHotRoutes):
    """The API's app: the editor's routes as api/hot_routes.py serves them, and an OpenAPI
    document completed by DOCUMENT_STEPS when it is first asked for, not at every start (building
    it took 0.25-0.45 s of CPU of each `serve` start, ~0.03 s of each app of a test process).

    Litestar builds the document on first use; the documentation routes ask for it without the
    app (its plugin's `provide_openapi_schema`), so schema_router() asks the app first."""

    _document_completed = False

    @property
    def openapi_schema(self) -> OpenAPI:
        document = super().openapi_schema
        if not self._document_completed:
            self._document_completed = True  # the steps read the document through this property
            for step in DOCUMENT_STEPS:
                step(self)
        return document


def create_app(
    settings: Settings,
    database_url: str,
    *,
    database: Database | None = None,
    publish_events: bool = True,
) -> Litestar:
    """The HTTP API over the database at `database_url` (connections assume the runtime role);
    with `publish_events`, a candidate for the database's event publisher runs in the process
    (`tutopanda serve` runs it beside, tutopanda.events.publisher_process)."""
    api_database = database or Database(database_url, settings)
    verifier = token_verifier(settings)
    token_url = settings.editor_token_url
    token_origin = origin_of(token_url) if token_url is not None else None  # the editor calls it
    return TutopandaApp(
        route_handlers=[
            HealthController,
            editor_router(),
            editor_config(settings.editor_token_url),
            Router(
                path="/",
                security=SECURITY,  # api/auth.py lets only health, readiness and the schema through
                route_handlers=[
                    ProjectController,
                    MemberController,
                    LectureController,
                    HistoryController,
                    DiffController,
                    DraftController,
                    LectureWorkflowController,
                    WorkflowRunController,
                    AssetRegenerationController,
                    LectureEventsController,
                    PresenceController,
                ],
            ),
        ],
        dependencies=REQUEST_DEPENDENCIES,
        lifespan=[
            provider_keys_lifespan(verifier),
            database_lifespan(api_database),
            realtime_lifespan(settings, database_url, api_database, publish=publish_events),
        ],
        state=State({"settings": settings}),
        on_app_init=[
            bearer_auth(verifier),
            install_outermost,
            allow_cross_origin(settings),  # TUTOPANDA_CORS_ORIGINS; methods, headers: the routes'
        ],
        # After the request id and the caller are known; a write past the rate takes no connection.
        middleware=[write_rate_middleware(settings.writes_per_minute), idempotency_middleware],
        before_send=[add_request_id, security_headers(token_origin)],
        exception_handlers={Exception: problem_response},
        plugins=[
            StrictBodies(),
            PydanticSchemas(),
            PydanticPlugin(prefer_alias=True, exclude_unset=True),  # what was stored, as stored
        ],
        before_request=before_route,
        request_max_body_size=settings.max_body_bytes,
        openapi_config=OpenAPIConfig(
            title="Tutopanda lecture store",
            version=API_VERSION,
            description=(
                "Revisioned lectures for the Tutopanda editor. Every write names the revision it "
                "builds on; errors are application/problem+json with a stable `code`."
            ),
            openapi_router=schema_router(),  # /schema: every 404 under it a problem
            render_plugins=[OfflineScalarPlugin()],  # served from here: works offline
        ),
        logging_config=None,  # the command's (tutopanda/cli): Litestar's would replace it
        debug=False,
    )
