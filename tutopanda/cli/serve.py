"""`tutopanda serve` (API + worker), `tutopanda worker` and `tutopanda token`."""

from __future__ import annotations

import argparse
import asyncio
import logging
from datetime import timedelta
from typing import Any

from tutopanda.cli.errors import UsageError
from tutopanda.db.connection import admin_url
from tutopanda.settings import Settings

logger = logging.getLogger("tutopanda.serve")


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the HTTP API (and a worker) with uvicorn")
    serve.add_argument("--host", help="interface to listen on (default TUTOPANDA_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default TUTOPANDA_PORT)")
    serve.add_argument("--no-worker", action="store_true", help="do not run a worker in-process")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run a Procrastinate worker for the workflows")
    worker.set_defaults(handler=_worker)

    token = commands.add_parser("token", help="print a development bearer token")
    token.add_argument("--user", required=True, help="user id (the token's `sub`)")
    token.add_argument("--hours", type=float, default=12.0, help="validity (default 12)")
    token.set_defaults(handler=_token)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    port = settings.port if args.port is None else args.port
    if not 1 <= port <= 65535:
        raise UsageError("--port must be between 1 and 65535")
    host = args.host or settings.host
    if not args.no_worker:
        _check_generators(settings)
    asyncio.run(run_service(settings, host, port, with_worker=not args.no_worker))
    return 0


def _check_generators(settings: Settings) -> None:
    from tutopanda.workers.generators.registry import GeneratorConfigError, build_generators

    try:
        build_generators(settings.generator_providers)
    except GeneratorConfigError as error:
        raise UsageError(f"invalid setting TUTOPANDA_GENERATORS: {error}") from None


def _worker(settings: Settings, _args: argparse.Namespace) -> int:
    from tutopanda.workers.runner import supervise_worker

    _check_generators(settings)
    url = admin_url(settings)
    asyncio.run(supervise_worker(settings, url, install_signal_handlers=True))
    return 0


async def run_service(settings: Settings, host: str, port: int, *, with_worker: bool) -> None:
    """Serve the API until a signal stops uvicorn; a worker runs beside it when asked."""
    import uvicorn

    from tutopanda.api.app import create_app
    from tutopanda.api.auth import development_secret_path

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
    if not with_worker:
        await server.serve()
        return
    from tutopanda.workers.runner import run_worker_beside

    await run_worker_beside(settings, url, server.serve())


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.api.auth import issue_token, jwt_secret

    if not 0 < args.hours <= 24 * 365:
        raise UsageError("--hours must be between 0 and 8760")
    try:
        token = issue_token(jwt_secret(settings), args.user, timedelta(hours=args.hours))
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(token)
    return 0
