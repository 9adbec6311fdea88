"""The event path: the publisher's calls, and a lecture's events read by cursor."""

from __future__ import annotations

import psycopg

from tutopanda.db.execute import Connection, fetch_all, fetch_one, fetch_value
from tutopanda.db.queries import query
from tutopanda.models.events import LectureEvent, StreamStart

DEFAULT_BATCH = 500


async def claim_publisher(conn: Connection) -> bool:
    """Become the database's publisher for the life of this (direct) session, if nobody is; its
    commits then do not wait for the WAL flush (see the query `events_publisher_session`)."""
    await conn.execute(query("events_publisher_session"))
    return bool(await fetch_value(conn, "events_publisher_claim", {}))


async def publish(conn: Connection) -> int:
    """Announce the lectures whose events committed since the last call; returns how many."""
    return int(await fetch_value(conn, "events_publish", {}))


def claim_publisher_blocking(cursor: psycopg.Cursor[tuple[object, ...]]) -> bool:
    """`claim_publisher` on a blocking connection's cursor (the publisher process's, which it
    keeps for every poll); its commits then do not wait for the WAL flush (see the query
    `events_publisher_session`)."""
    cursor.execute(query("events_publisher_session"))
    row = cursor.execute(query("events_publisher_claim")).fetchone()
    return bool(row is not None and row[0])


def publish_blocking(cursor: psycopg.Cursor[tuple[object, ...]]) -> int:
    """`publish` on the publisher process's cursor, as a prepared statement."""
    row = cursor.execute(query("events_publish"), prepare=True).fetchone()
    return int(str(row[0])) if row is not None else 0


async def open_stream(conn: Connection, user_id: str, lecture_id: int) -> StreamStart:
    """Where a member's stream of a lecture starts; NotFound when it is missing or the user is no
    member of its project."""
    params = {"user_id": user_id, "lecture_id": lecture_id}
    return await fetch_one(conn, "lecture_stream_open", params, StreamStart)


async def lecture_events(
    conn: Connection,
    lecture_id: int,
    after_revision: int,
    after_seq: int,
    limit: int = DEFAULT_BATCH,
) -> list[LectureEvent]:
    """Events of a lecture after (revision, seq), oldest first, at most `limit`."""
    params = {
        "lecture_id": lecture_id,
        "after_revision": after_revision,
        "after_seq": after_seq,
        "limit": limit,
    }
    return await fetch_all(conn, "lecture_events", params, LectureEvent)
