-- Named queries of the event path: the publisher, and reading a lecture's events by cursor.

-- events_publisher_claim --
-- Become the database's event publisher for this session (true), unless another session is.
SELECT api.events_publisher_claim() AS claimed;

-- events_publisher_session --
-- The publisher's commits (its horizon and one NOTIFY a batch) do not wait for the WAL flush:
-- a horizon lost in a crash only announces its batch again, which listeners read by cursor.
SET synchronous_commit = off;

-- events_publish --
-- Announce the lectures with events committed since the last call; returns how many.
SELECT api.events_publish() AS lectures;

-- events_listen --
-- Receive the publisher's announcements on this session.
LISTEN tutopanda_events;

-- lecture_stream_open --
-- Where a lecture's event stream starts for a member of its project (PT404 when missing or not
-- a member).
SELECT * FROM api.lecture_stream_open(%(user_id)s::text, %(lecture_id)s::integer);

-- lecture_events --
-- A lecture's events after a cursor, in commit order.
SELECT * FROM api.lecture_events(
    %(lecture_id)s::integer, %(after_revision)s::integer, %(after_seq)s::integer,
    %(limit)s::integer);

-- events_ping --
-- Prove that the listening session is still alive.
SELECT 1 AS alive;

-- presence_listen --
-- Receive every API process's presence announcements (tutopanda/events/presence.py) on this session.
LISTEN tutopanda_presence;

-- presence_announce --
-- Announce a presence change to every API process: a statement that writes nothing, in a
-- transaction of its own (autocommit), never inside a writing one.
SELECT pg_notify('tutopanda_presence', %(payload)s::text) AS sent;
