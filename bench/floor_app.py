"""The floor of the HTTP bench: the leanest Litestar app making the product's database calls.

`PATCH /lectures/{id}` and `GET /lectures/{id}` with nothing of the product's shell: no
authentication (the user id is the bench token's, a constant), no validation, no middleware, no
problem mapping, no request ids. A save reads `If-Match`, parses the raw body and encodes its
`payload` again with msgspec (Litestar's own JSON library: at 20 KB a quarter of the CPU of
`json.loads` + `json.dumps`, so the floor is not made slower than it need be) and calls the
product's named query `lecture_save` (so `api.lecture_save`); a read calls the product's read
query (`lecture_get_wire` where it exists, else `lecture_get`) and sends its JSON text as it
comes. Both answer the status, the revision and its ETag as the
product does. They run as the product does: uvicorn with uvloop and its httptools protocol, on a
listening socket made like `tutopanda serve`'s, from as many processes, through an autocommit pool
of the same size, role and connection options (`api_conninfo`).

    python -m bench.floor_app --port 8001 --workers 1    # settings from TUTOPANDA_* / DATABASE_URL
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Sequence
from typing import Any, LiteralString

import msgspec
import uvicorn
import uvloop
from litestar import Litestar, Request, Response, get, patch
from litestar.enums import MediaType
from psycopg import AsyncConnection
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool

from bench.database import BENCH_USER
from tutopanda.db.connection import admin_url, api_conninfo
from tutopanda.db.queries import query
from tutopanda.processes import listening_socket
from tutopanda.settings import Settings, load_settings


def _read_query() -> LiteralString:
    """The product's read: `lecture_get_wire` (the revision, and the JSON text the API sends)
    where it exists, else `lecture_get` (the snapshot's JSON text)."""
    try:
        return query("lecture_get_wire")
    except KeyError:
        return query("lecture_get")


SAVE = query("lecture_save")
READ = _read_query()
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Revision(msgspec.Struct):
    """The one field of a lecture's JSON a read needs for its ETag (the rest is skipped)."""

    revision: int


def _pool(settings: Settings) -> AsyncConnectionPool[AsyncConnection[Any]]:
    """The product's request pool (api/database.py): same conninfo, sizes, timeout, autocommit."""
    kwargs: dict[str, Any] = {"autocommit": True}
    if settings.database_pooler == "transaction":
        kwargs["prepare_threshold"] = None
    return AsyncConnectionPool(
        conninfo=api_conninfo(admin_url(settings), settings, application_name="tutopanda-floor"),
        kwargs=kwargs,
        min_size=1,
        max_size=settings.pool_max_size,
        timeout=settings.connect_timeout_seconds,
        open=False,
        name="tutopanda-floor",
    )


def create_app(settings: Settings) -> Litestar:
    """The two routes over one pool, opened before the app serves."""
    pool = _pool(settings)

    @contextlib.asynccontextmanager
    async def lifespan(_app: Litestar) -> AsyncIterator[None]:
        await pool.open(wait=True)
        try:
            yield
        finally:
            await pool.close()

    @patch("/lectures/{lecture_id:int}")
    async def save(request: Request[Any, Any, Any], lecture_id: int) -> Response[dict[str, Any]]:
        """`api.lecture_save` on the If-Match revision: 200 saved, 409 with the latest revision."""
        base = int(request.headers["if-match"].strip('"'))
        sections = msgspec.json.decode(await request.body())["payload"]
        params = {
            "user_id": BENCH_USER,
            "lecture_id": lecture_id,
            "base_revision": base,
            "sections": Jsonb(sections, dumps=msgspec.json.encode),
            "merge": False,
            "force": False,
        }
        async with pool.connection() as conn:
            row = await (await conn.execute(SAVE, params)).fetchone()
        assert row is not None  # the function returns one row or raises
        status, revision, updated_at, changed = row[0], row[1], row[2], row[3]
        if status != "saved":
            return Response({"status": status, "revision": revision}, status_code=409)
        body = {
            "status": status,
            "revision": revision,
            "updatedAt": updated_at,
            "changedSections": changed,
        }
        return Response(body, headers={"ETag": f'"{revision}"'})

    @get("/lectures/{lecture_id:int}")
    async def read(lecture_id: int) -> Response[bytes]:
        """The read query's JSON text as the body, its revision as the ETag."""
        async with pool.connection() as conn:
            cursor = conn.cursor(row_factory=dict_row)
            await cursor.execute(READ, {"user_id": BENCH_USER, "lecture_id": lecture_id})
            row = await cursor.fetchone()
        assert row is not None
        text: str = row["lecture"]
        if "revision" in row:
            revision = row["revision"]
        else:
            revision = msgspec.json.decode(text, type=_Revision).revision
        headers = {"ETag": f'"{revision}"', "Cache-Control": "private, no-cache"}
        return Response(text.encode(), media_type=MediaType.JSON, headers=headers)

    @get("/ready")
    async def ready() -> Response[bytes]:
        """200 once the pool is open (the bench waits for it, as for the product's)."""
        return Response(b"ready", media_type=MediaType.TEXT)

    return Litestar(
        route_handlers=[save, read, ready],
        lifespan=[lifespan],
        openapi_config=None,
        logging_config=None,
    )


async def _serve_api(settings: Settings, sock: socket.socket) -> None:
    """uvicorn as `tutopanda serve` configures it, with its plain httptools protocol."""
    config = uvicorn.Config(
        create_app(settings),
        http="httptools",
        log_config=None,
        log_level=settings.log_level.lower(),
        server_header=False,
        proxy_headers=False,
        timeout_graceful_shutdown=10,
        lifespan="on",
    )
    await uvicorn.Server(config).serve(sockets=[sock])


class _Stop(Exception):
    """SIGTERM or SIGINT reached the parent of several floor processes."""


def _stop(_signum: int, _frame: object) -> None:
    raise _Stop


def _serve_from(processes: int, settings: Settings, sock: socket.socket) -> int:
    """Fork `processes` API processes on the shared socket; stop them on SIGTERM or SIGINT, or
    when one ends by itself (exit 1). SIGSTOP and SIGCONT of any of them change nothing."""
    children = []
    for _ in range(processes):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                uvloop.run(_serve_api(settings, sock))
            except BaseException:
                logging.getLogger("bench.floor").exception("floor process failed")
                code = 1
            finally:
                os._exit(code)
        children.append(pid)
    for signum in STOP_SIGNALS:
        signal.signal(signum, _stop)
    code = 0
    try:
        os.wait()  # a stopped or continued child does not end it
        code = 1
    except _Stop:
        pass
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    for pid in children:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    for pid in children:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor_app", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=1, help="API processes")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
    with listening_socket(args.host, args.port) as sock:
        if args.workers == 1:
            uvloop.run(_serve_api(settings, sock))
            return 0
        return _serve_from(args.workers, settings, sock)


if __name__ == "__main__":
    sys.exit(main())
