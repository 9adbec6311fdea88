"""Every SQL function, table, view or type the README and docs/ name exists in the migrated
database (files, Python names and tasks: tests/unit/test_doc_names.py)."""

from __future__ import annotations

from typing import Any

import psycopg

from tests.support.doc_names import sql_names
from tests.support.sql import test_query


def test_every_named_sql_object_exists(admin_conn: psycopg.Connection[Any]) -> None:
    named = sql_names()
    assert len(named) > 20  # the docs were read
    existing = {row[0] for row in admin_conn.execute(test_query("sql_object_names"))}
    assert {(doc, name) for doc, name in named if name not in existing} == set()
