"""`tutopanda serve` (API + worker), `tutopanda worker` and `tutopanda token`."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from tutopanda.cli.errors import UsageError
from tutopanda.processes import default_process_count
from tutopanda.settings import Settings


def register(commands: Any) -> None:
    serve = commands.add_parser("serve", help="run the HTTP API (and a worker) with uvicorn")
    serve.add_argument("--host", help="interface to listen on (default TUTOPANDA_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default TUTOPANDA_PORT)")
    serve.add_argument("--no-worker", action="store_true", help="do not run a worker in-process")
    serve.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="API processes (default TUTOPANDA_SERVER_PROCESSES, else one per core); "
        "the workflow worker runs once beside them",
    )
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser("worker", help="run a Procrastinate worker for the workflows")
    worker.set_defaults(handler=_worker)

    token = commands.add_parser("token", help="print a development bearer token")
    token.add_argument("--user", required=True, help="user id (the token's `sub`)")
    token.add_argument(
        "--hours",
        type=float,
        default=12.0,
        help="validity (default 12; at most TUTOPANDA_TOKEN_MAX_DAYS, which the API refuses past)",
    )
    token.set_defaults(handler=_token)


def _serve(settings: Settings, args: argparse.Namespace) -> int:
    port = settings.port if args.port is None else args.port
    if not 1 <= port <= 65535:
        raise UsageError("--port must be between 1 and 65535")
    # The service stack (Litestar, Procrastinate, uvicorn) loads only for the commands that run it.
    from tutopanda import service  # noqa: PLC0415

    processes = args.workers if args.workers is not None else settings.server_processes
    if processes is None:
        processes = default_process_count()
    if not 1 <= processes <= 64:
        raise UsageError("--workers must be between 1 and 64")
    service.serve(
        settings,
        args.host or settings.host,
        port,
        with_worker=not args.no_worker,
        processes=processes,
    )
    return 0


def _worker(settings: Settings, _args: argparse.Namespace) -> int:
    from tutopanda import service  # noqa: PLC0415 (see _serve)

    service.work(settings)
    return 0


def _token(settings: Settings, args: argparse.Namespace) -> int:
    from tutopanda.bearer import development_secret  # noqa: PLC0415 (see _serve)
    from tutopanda.tokens import issue_token  # noqa: PLC0415

    most = 24 * settings.token_max_days  # the API refuses a token valid for longer
    if not 0 < args.hours <= most:
        raise UsageError(
            f"--hours must be more than 0 and at most {most} (TUTOPANDA_TOKEN_MAX_DAYS)"
        )
    secret = development_secret(settings)
    if secret is None:
        raise UsageError(
            "TUTOPANDA_JWT_JWKS_URL is set and TUTOPANDA_JWT_SECRET is not: the API accepts only "
            "the identity provider's tokens (set TUTOPANDA_JWT_SECRET to mint development ones)"
        )
    try:
        token = issue_token(secret, args.user, timedelta(hours=args.hours))
    except ValueError as error:
        raise UsageError(str(error)) from None
    print(token)
    return 0
