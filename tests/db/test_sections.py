"""One concept, one list: the sections, the step task, the asset kinds and the run statuses
agree across SQL, the table and Python."""

from __future__ import annotations

from typing import Any, cast, get_args

import psycopg
import pytest

from tests.support.sql import test_query
from tutopanda.models.history import RevisionSource
from tutopanda.models.lecture import SECTION_NAMES, LectureContent
from tutopanda.models.workflow import FINISHED, RunStatus
from tutopanda.workers.app import WORKFLOW_QUEUE, WORKFLOW_STEP_TASK
from tutopanda.workflows import ASSET_SECTIONS

Conn = psycopg.Connection[tuple[object, ...]]
NOT_SECTIONS = {"prompt"}  # the text column that is the run's input, not lecture content


def _json_types(schema: dict[str, Any], required: bool) -> set[str]:
    """The JSON types a property of a JSON Schema admits (a $ref is an object here)."""
    options = schema.get("anyOf", [schema])
    types = {"object" if "$ref" in option else option["type"] for option in options}
    return types if required else types | {"null"}


def python_sections() -> dict[str, set[str]]:
    schema = LectureContent.model_json_schema()
    required = set(schema.get("required", []))
    return {
        name: _json_types(schema["properties"][name], name in required) for name in SECTION_NAMES
    }


def test_sql_python_and_the_table_name_the_same_sections(admin_conn: Conn) -> None:
    rows = admin_conn.execute(test_query("section_list")).fetchall()
    sql = {str(name): set(cast(list[str], types)) for name, types in rows}
    assert list(sql) == list(SECTION_NAMES)
    assert sql == python_sections()
    columns = {str(row[0]) for row in admin_conn.execute(test_query("lecture_columns"))}
    assert columns - NOT_SECTIONS == set(SECTION_NAMES)


def test_sql_enqueues_the_task_the_workers_register(admin_conn: Conn) -> None:
    row = admin_conn.execute(test_query("step_task")).fetchone()
    assert row == (WORKFLOW_STEP_TASK, WORKFLOW_QUEUE)


def test_sql_and_python_name_the_same_asset_kinds_and_sections(admin_conn: Conn) -> None:
    rows = admin_conn.execute(test_query("asset_kinds")).fetchall()
    assert {str(kind): section for kind, section in rows} == ASSET_SECTIONS


# Enum-like columns: (table, its CHECK constraint, the Python type of the column's values).
CHECKED_COLUMNS = [
    pytest.param("app.workflow_runs", "workflow_runs_status_check", RunStatus, id="RunStatus"),
    pytest.param(
        "app.lecture_revisions", "lecture_revisions_source_check", RevisionSource, id="source"
    ),
]


@pytest.mark.parametrize(("table", "constraint", "values"), CHECKED_COLUMNS)
def test_sql_and_python_admit_the_same_values(
    admin_conn: Conn, table: str, constraint: str, values: object
) -> None:
    params = {"table": table, "constraint": constraint}
    rows = admin_conn.execute(test_query("check_values"), params).fetchall()
    assert [value for (value,) in rows] == list(get_args(values))


def test_the_runs_that_occupy_their_lecture_are_the_unfinished_ones(admin_conn: Conn) -> None:
    statuses = list(get_args(RunStatus))
    rows = admin_conn.execute(test_query("active_run_statuses"), {"statuses": statuses})
    assert {status for (status,) in rows} == set(statuses) - FINISHED
