"""Run named queries on a caller's connection and get typed rows back (never commits).

Each statement runs under its connection's deadline, if it has one (tutopanda.db.deadline).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from psycopg import AsyncConnection
from psycopg.rows import class_row
from pydantic import BaseModel

from tutopanda.db.deadline import bounded
from tutopanda.db.errors import translated_errors
from tutopanda.db.queries import query

Row = TypeVar("Row", bound=BaseModel)
Connection = AsyncConnection[Any]


async def fetch_one(
    conn: Connection, name: str, params: Mapping[str, Any], model: type[Row]
) -> Row:
    """The single row of a named query, as `model` (the api functions raise when there is none)."""
    with translated_errors():
        async with conn.cursor(row_factory=class_row(model)) as cursor:
            async with bounded(conn):
                await cursor.execute(query(name), params)
            row = await cursor.fetchone()
    if row is None:
        raise LookupError(f"query {name!r} returned no row")
    return row


async def fetch_tuple(conn: Connection, name: str, params: Mapping[str, Any]) -> tuple[Any, ...]:
    """The single row of a named query, as a tuple in the query's column order (no model: for
    the hot paths, where building one per request shows)."""
    row, _ = await _fetch_row(conn, name, params, with_names=False)
    return row


async def fetch_tuple_or_model(
    conn: Connection,
    name: str,
    params: Mapping[str, Any],
    model: type[Row],
    *,
    as_tuple: Callable[[tuple[Any, ...]], bool],
) -> tuple[Any, ...] | Row:
    """The single row of a named query: as a tuple (the query's column order) when `as_tuple`
    says so, else as `model`. For a hot path whose usual row needs no model (a save that went
    through), and whose other rows do (a conflict)."""
    row, names = await _fetch_row(conn, name, params, with_names=True)
    if as_tuple(row):
        return row
    return model.model_validate(dict(zip(names, row, strict=True)))


async def _fetch_row(
    conn: Connection, name: str, params: Mapping[str, Any], *, with_names: bool
) -> tuple[tuple[Any, ...], list[str]]:
    """The single row of a named query as a tuple, and its column names when asked (psycopg
    builds the description anew at each look: the reads' hot path does without)."""
    with translated_errors():
        async with conn.cursor() as cursor:
            async with bounded(conn):
                await cursor.execute(query(name), params)
            row: tuple[Any, ...] | None = await cursor.fetchone()
            names = [column.name for column in cursor.description or ()] if with_names else []
    if row is None:
        raise LookupError(f"query {name!r} returned no row")
    return row, names


async def fetch_all(
    conn: Connection, name: str, params: Mapping[str, Any], model: type[Row]
) -> list[Row]:
    """All rows of a named query, as `model`."""
    with translated_errors():
        async with conn.cursor(row_factory=class_row(model)) as cursor:
            async with bounded(conn):
                await cursor.execute(query(name), params)
            return await cursor.fetchall()


async def fetch_json(
    conn: Connection, name: str, params: Mapping[str, Any], model: type[Row]
) -> Row:
    """The single JSON text value of a named query, parsed and validated as `model` in one pass."""
    return model.model_validate_json(await fetch_value(conn, name, params))


async def fetch_value(conn: Connection, name: str, params: Mapping[str, Any]) -> Any:
    """The first column of the single row of a named query."""
    return (await fetch_tuple(conn, name, params))[0]
