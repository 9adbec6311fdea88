"""One concept, one list: the sections and the step task agree across SQL, the table and Python."""

from __future__ import annotations

from typing import Any, cast

import psycopg

from tests.support.sql import test_query
from tutopanda.models.lecture import SECTION_NAMES, LectureContent
from tutopanda.workers.app import WORKFLOW_QUEUE, WORKFLOW_STEP_TASK

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
