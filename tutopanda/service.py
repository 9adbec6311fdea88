"""The composition root: the one module that wires the API, the workers and uvicorn together.

Only `tutopanda serve` and `tutopanda worker` import it (the other commands stay light).
"""

from __future__ import annotations

import asyncio
import logging

import uvicorn

from tutopanda.api.app import create_app
from tutopanda.db.connection import admin_url
from tutopanda.settings import ENVIRONMENT_VARIABLES, Settings, SettingsError
from tutopanda.tokens import development_secret_path
from tutopanda.workers.generators.registry import GeneratorConfigError, build_generators
from tutopanda.workers.runner import run_worker_beside, supervise_worker

logger = logging.getLogger("tutopanda.serve")


def check_generators(settings: Settings) -> None:
    """Refuse a TUTOPANDA_GENERATORS that names no usable generator, before anything starts."""
    try:
        build_generators(settings.generator_providers)
    except GeneratorConfigError as error:
        variable = ENVIRONMENT_VARIABLES["generator_providers"]
        raise SettingsError(f"{variable}: {error}") from None


def serve(settings: Settings, host: str, port: int, *, with_worker: bool) -> None:
    """Serve the API (and a worker beside it) until a signal stops uvicorn."""
    if with_worker:
        check_generators(settings)
    asyncio.run(run_service(settings, host, port, with_worker=with_worker))


def work(settings: Settings) -> None:
    """Run a worker until a signal stops it."""
    check_generators(settings)
    asyncio.run(supervise_worker(settings, admin_url(settings), install_signal_handlers=True))


async def run_service(settings: Settings, host: str, port: int, *, with_worker: bool) -> None:
    """Serve the API until a signal stops uvicorn; a worker runs beside it when asked."""
    url = admin_url(settings)
    app = create_app(settings, url)
    if settings.jwt_secret is None:
        logger.warning(
            "TUTOPANDA_JWT_SECRET is not set: using the development secret in %s",
            development_secret_path(settings),
        )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    if with_worker:
        await run_worker_beside(settings, url, server.serve())
    else:
        await server.serve()
