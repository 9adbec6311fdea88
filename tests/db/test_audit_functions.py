"""Audit queries run on PostgreSQL exactly as written: every allowed function, the guard's
scoping against the server's own (fuzzed), and the plan check behind the guard."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
import pytest_asyncio
from hypothesis import HealthCheck, given, settings
from psycopg import AsyncConnection

from tests.support.audit_cli import assert_one_line_error, tutopanda
from tests.support.audit_data import populate
from tests.support.audit_queries import Generated, audit_query
from tests.support.databases import TestDatabase
from tutopanda.audit.guard import GuardedQuery, QueryRefused, guard
from tutopanda.audit.runner import run_audit_query, run_guarded
from tutopanda.audit.vocabulary import ALLOWED_FUNCTIONS
from tutopanda.db.connection import auditor_conninfo

H = "audit.lecture_history"
EXAMPLES: dict[str, str] = {
    "array_agg": f"SELECT array_agg(revision ORDER BY revision) FROM {H}",
    "avg": f"SELECT avg(revision) FROM {H}",
    "bool_and": f"SELECT bool_and(forced) FROM {H}",
    "bool_or": f"SELECT bool_or(forced) FROM {H}",
    "corr": f"SELECT corr(revision, lecture_id) FROM {H}",
    "count": f"SELECT count(*), count(DISTINCT actor) FILTER (WHERE forced) FROM {H}",
    "every": f"SELECT every(revision >= 0) FROM {H}",
    "json_agg": f"SELECT json_agg(actor) FROM {H}",
    "jsonb_agg": f"SELECT jsonb_agg(actor) FROM {H}",
    "jsonb_object_agg": f"SELECT jsonb_object_agg(revision::text, actor) FROM {H}",
    "max": f"SELECT max(changed_at) FROM {H}",
    "min": f"SELECT min(changed_at) FROM {H}",
    "mode": f"SELECT mode() WITHIN GROUP (ORDER BY actor) FROM {H}",
    "percentile_cont": f"SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY revision) FROM {H}",
    "percentile_disc": f"SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY revision) FROM {H}",
    "stddev": f"SELECT stddev(revision) FROM {H}",
    "stddev_pop": f"SELECT stddev_pop(revision) FROM {H}",
    "stddev_samp": f"SELECT stddev_samp(revision) FROM {H}",
    "string_agg": f"SELECT string_agg(actor, ', ' ORDER BY revision) FROM {H}",
    "sum": f"SELECT sum(stored_bytes) FROM {H}",
    "var_pop": f"SELECT var_pop(revision) FROM {H}",
    "var_samp": f"SELECT var_samp(revision) FROM {H}",
    "variance": f"SELECT variance(revision) FROM {H}",
    "cume_dist": f"SELECT cume_dist() OVER (ORDER BY revision) FROM {H}",
    "dense_rank": f"SELECT dense_rank() OVER (ORDER BY actor) FROM {H}",
    "first_value": f"SELECT first_value(actor) OVER w FROM {H} WINDOW w AS (ORDER BY revision)",
    "lag": f"SELECT lag(revision) OVER (PARTITION BY lecture_id ORDER BY revision) FROM {H}",
    "last_value": f"SELECT last_value(actor) OVER (ORDER BY revision) FROM {H}",
    "lead": f"SELECT lead(revision, 1, -1) OVER (ORDER BY revision) FROM {H}",
    "nth_value": f"SELECT nth_value(actor, 2) OVER (ORDER BY revision) FROM {H}",
    "ntile": f"SELECT ntile(3) OVER (ORDER BY revision) FROM {H}",
    "percent_rank": f"SELECT percent_rank() OVER (ORDER BY revision) FROM {H}",
    "rank": f"SELECT rank() OVER (ORDER BY actor) FROM {H}",
    "row_number": f"SELECT row_number() OVER (PARTITION BY lecture_id ORDER BY revision) FROM {H}",
    "abs": "SELECT abs(-2)",
    "ceil": "SELECT ceil(1.2)",
    "ceiling": "SELECT ceiling(1.2)",
    "floor": "SELECT floor(1.8)",
    "mod": "SELECT mod(7, 3)",
    "power": "SELECT power(2, 10)",
    "round": "SELECT round(2.345, 2), round(2.5)",
    "sign": "SELECT sign(-3)",
    "sqrt": "SELECT sqrt(16)",
    "trunc": "SELECT trunc(2.7), trunc(2.345, 1)",
    "btrim": "SELECT btrim('  a  ')",
    "char_length": "SELECT char_length('abc')",
    "concat": "SELECT concat('a', 1, NULL)",
    "concat_ws": "SELECT concat_ws('-', 'a', 'b')",
    "format": "SELECT format('%s has %s', 'alice', 3)",
    "initcap": "SELECT initcap('hello world')",
    "length": f"SELECT length(actor) FROM {H}",
    "lower": "SELECT lower('ABC')",
    "lpad": "SELECT lpad('7', 3, '0')",
    "ltrim": "SELECT ltrim('  a')",
    "md5": "SELECT md5('a')",
    "octet_length": "SELECT octet_length('é')",
    "regexp_match": "SELECT regexp_match('abc123', '\\d+')",
    "regexp_matches": "SELECT regexp_matches('a1b2', '\\d', 'g')",
    "regexp_replace": "SELECT regexp_replace('a  b', '\\s+', ' ', 'g')",
    "regexp_split_to_array": "SELECT regexp_split_to_array('a,b', ',')",
    "replace": "SELECT replace('abc', 'b', 'x')",
    "reverse": "SELECT reverse('abc')",
    "rpad": "SELECT rpad('a', 3, '.')",
    "rtrim": "SELECT rtrim('a  ')",
    "split_part": "SELECT split_part('a:b:c', ':', 2)",
    "starts_with": f"SELECT actor FROM {H} WHERE starts_with(actor, 'al')",
    "string_to_array": "SELECT string_to_array('a,b', ',')",
    "strpos": "SELECT strpos('abc', 'c')",
    "substr": "SELECT substr('abcdef', 2, 3)",
    "to_char": "SELECT to_char(now(), 'YYYY-MM-DD')",
    "to_number": "SELECT to_number('12.5', '99.9')",
    "translate": "SELECT translate('abc', 'ab', 'xy')",
    "upper": "SELECT upper('abc')",
    "age": f"SELECT age(now(), min(changed_at)) FROM {H}",
    "date_bin": "SELECT date_bin('15 minutes', now(), TIMESTAMPTZ '2001-01-01')",
    "date_part": f"SELECT date_part('hour', changed_at) FROM {H}",
    "date_trunc": f"SELECT date_trunc('week', changed_at) FROM {H}",
    "isfinite": "SELECT isfinite(now())",
    "justify_days": "SELECT justify_days(interval '35 days')",
    "justify_hours": "SELECT justify_hours(interval '27 hours')",
    "justify_interval": "SELECT justify_interval(interval '1 mon -1 hour')",
    "make_date": "SELECT make_date(2026, 1, 31)",
    "make_interval": "SELECT make_interval(days => 3)",
    "now": "SELECT now()",
    "to_date": "SELECT to_date('2026-01-31', 'YYYY-MM-DD')",
    "to_timestamp": "SELECT to_timestamp(0)",
    "array_append": "SELECT array_append(ARRAY[1], 2)",
    "array_cat": "SELECT array_cat(ARRAY[1], ARRAY[2])",
    "array_length": f"SELECT array_length(changed_sections, 1) FROM {H}",
    "array_lower": "SELECT array_lower(ARRAY[1, 2], 1)",
    "array_position": "SELECT array_position(ARRAY['a', 'b'], 'b')",
    "array_positions": "SELECT array_positions(ARRAY[1, 2, 1], 1)",
    "array_remove": "SELECT array_remove(ARRAY[1, 2], 2)",
    "array_to_string": f"SELECT array_to_string(changed_sections, ',') FROM {H}",
    "array_upper": "SELECT array_upper(ARRAY[1, 2], 1)",
    "cardinality": f"SELECT cardinality(changed_sections) FROM {H}",
    "generate_series": "SELECT d FROM generate_series(1, 3) AS g (d)",
    "unnest": f"SELECT s, count(*) FROM {H}, unnest(changed_sections) AS u (s) GROUP BY s",
    "json_build_object": "SELECT json_build_object('a', 1)",
    "jsonb_array_elements": "SELECT jsonb_array_elements('[1, 2]')",
    "jsonb_array_elements_text": "SELECT jsonb_array_elements_text('[\"a\"]')",
    "jsonb_array_length": "SELECT jsonb_array_length('[1, 2]')",
    "jsonb_build_array": "SELECT jsonb_build_array(1, 'a')",
    "jsonb_build_object": "SELECT jsonb_build_object('a', 1)",
    "jsonb_each": "SELECT * FROM audit.lecture_snapshots, jsonb_each(data) AS e",
    "jsonb_each_text": "SELECT key, value FROM audit.lecture_snapshots, jsonb_each_text(data)",
    "jsonb_extract_path": "SELECT jsonb_extract_path(data, 'script') FROM audit.lecture_snapshots",
    "jsonb_extract_path_text": "SELECT jsonb_extract_path_text('{\"a\": \"b\"}', 'a')",
    "jsonb_object_keys": "SELECT jsonb_object_keys(data) FROM audit.lecture_snapshots",
    "jsonb_path_exists": "SELECT jsonb_path_exists(data, '$.title') FROM audit.lecture_snapshots",
    "jsonb_path_query": "SELECT jsonb_path_query(data, '$.title') FROM audit.lecture_snapshots",
    "jsonb_path_query_array": "SELECT jsonb_path_query_array('[1, 2]', '$[*]')",
    "jsonb_path_query_first": "SELECT jsonb_path_query_first('[1, 2]', '$[*]')",
    "jsonb_pretty": "SELECT jsonb_pretty('{\"a\": 1}')",
    "jsonb_strip_nulls": "SELECT jsonb_strip_nulls('{\"a\": null}')",
    "jsonb_typeof": "SELECT jsonb_typeof(data -> 'script') FROM audit.lecture_snapshots",
    "row_to_json": "SELECT row_to_json(l) FROM audit.lectures AS l",
    "to_json": "SELECT to_json('a'::text)",
    "to_jsonb": "SELECT to_jsonb(changed_sections) FROM audit.lecture_history",
    "num_nonnulls": "SELECT num_nonnulls(1, NULL)",
    "num_nulls": "SELECT num_nulls(1, NULL)",
    "pg_size_pretty": f"SELECT pg_size_pretty(sum(stored_bytes)) FROM {H}",
}
SYNTAX = (
    "SELECT coalesce(NULL, 1), nullif(1, 2), greatest(1, 2), least(1, 2), "
    "extract(epoch FROM interval '1 hour'), position('b' IN 'abc'), substring('abc' FROM 2), "
    "trim(both ' ' FROM ' a '), overlay('abc' PLACING 'x' FROM 2), CAST('1.5' AS numeric(4, 2)), "
    "ARRAY[1] && ARRAY[1], '{\"a\": 1}'::jsonb ? 'a', 1 BETWEEN 0 AND 2, "
    "left('abc', 1), right('abc', 1), 'a' LIKE 'a%', ROW(1, 2) IS NOT NULL, "
    "EXISTS (SELECT 1), 1 IN (1, 2), 1 = ANY (ARRAY[1]), CASE WHEN true THEN 1 END, "
    "current_date, current_timestamp(0), localtime"
)


@pytest_asyncio.fixture
async def audit_db(database: TestDatabase, aconn: AsyncConnection[Any]) -> TestDatabase:
    """A test database with a history to query."""
    await populate(aconn)
    return database


@pytest.fixture
def auditor(database: TestDatabase) -> Iterator[psycopg.Connection[Any]]:
    with psycopg.connect(auditor_conninfo(database.admin_url, 10)) as conn:
        conn.read_only = True
        yield conn


def run(conn: psycopg.Connection[Any], text: str) -> list[tuple[Any, ...]]:
    return run_guarded(conn, guard(text), row_limit=100, timeout_seconds=10).rows


def test_every_allowed_function_has_an_example() -> None:
    assert set(EXAMPLES) == ALLOWED_FUNCTIONS


def test_every_allowed_function_runs_as_written(
    audit_db: TestDatabase, auditor: psycopg.Connection[Any]
) -> None:
    failures = {}
    for name, example in sorted(EXAMPLES.items()):
        try:
            assert f"{name}(" in guard(example).sql
            assert run(auditor, example)
        except (AssertionError, QueryRefused) as error:
            failures[name] = repr(error)
    assert failures == {}


def test_syntax_with_parentheses_runs(auditor: psycopg.Connection[Any]) -> None:
    assert len(run(auditor, SYNTAX)[0]) == 24


def test_date_part_keeps_its_type(auditor: psycopg.Connection[Any]) -> None:
    # date_part is double precision; sqlglot used to rewrite it to EXTRACT (numeric)
    (part, extracted), *_ = run(
        auditor, "SELECT date_part('year', now()), EXTRACT(year FROM now())"
    )
    assert (type(part).__name__, type(extracted).__name__) == ("float", "Decimal")


@pytest.mark.parametrize(
    "text",
    [
        "WITH x AS (WITH pg_roles AS (SELECT 1) SELECT 1) SELECT rolname, rolsuper FROM pg_roles",
        "WITH x AS (WITH pg_settings AS (SELECT 1) SELECT 1) SELECT name, setting FROM pg_settings",
        "WITH x AS (WITH pg_stat_activity AS (SELECT 1) SELECT 1) SELECT * FROM pg_stat_activity",
    ],
)
def test_shadowed_catalog_names_do_not_escape(database: TestDatabase, text: str) -> None:
    assert_one_line_error(tutopanda(database, "audit", "query", text), 2, "refused: ")


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("SELECT rolname FROM pg_catalog.pg_roles", "relation"),  # reads pg_authid
        ("SELECT name FROM pg_catalog.pg_settings", "function"),  # pg_show_all_settings()
        ("SELECT * FROM pg_catalog.pg_stat_activity", "function"),  # pg_stat_get_activity()
        ("SELECT * FROM audit.lectures, pg_catalog.pg_class", "relation"),
    ],
)
def test_the_plan_check_refuses_what_a_faulty_guard_would_let_through(
    auditor: psycopg.Connection[Any], sql: str, code: str
) -> None:
    with pytest.raises(QueryRefused) as refused:
        run_guarded(auditor, GuardedQuery(sql=sql), row_limit=10, timeout_seconds=10)
    assert refused.value.code == code


def test_a_query_too_deep_for_the_server_is_a_refusal(database: TestDatabase) -> None:
    text = "SELECT " + "+".join(["1"] * 33_000)
    with pytest.raises(QueryRefused) as refused:
        run_audit_query(database.admin_url, text)
    assert refused.value.code == "too_complex"
    assert_one_line_error(tutopanda(database, "audit", "query", text), 2, "refused: ")


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(generated=audit_query(depth=2))
def test_fuzz_the_server_reads_only_what_the_guard_says(
    auditor: psycopg.Connection[Any], generated: Generated
) -> None:
    """No generated query reaches a catalog: it runs, or fails on a missing audit.* view."""
    if generated.runs and not generated.refused:
        run(auditor, generated.text)
        return
    with pytest.raises(QueryRefused) as refused:
        run(auditor, generated.text)
    # a guard that misjudged a scope would fail the plan check instead ("relation", "function")
    assert refused.value.code == ("syntax" if generated.refused else "failed")
