"""Every example query of docs/audit.md passes the guard and runs as the auditor."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from psycopg import AsyncConnection

from tests.support.audit_data import populate
from tests.support.databases import TestDatabase
from tutopanda.audit.runner import run_audit_query

AUDIT_DOC = Path(__file__).resolve().parents[2] / "docs" / "audit.md"
EXAMPLES = re.findall(r"```sql\n(.*?)```", AUDIT_DOC.read_text("utf-8"), flags=re.DOTALL)


def test_the_doc_has_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "example", EXAMPLES, ids=[f"example-{i + 1}" for i in range(len(EXAMPLES))]
)
async def test_documented_example_runs(
    database: TestDatabase, aconn: AsyncConnection[Any], example: str
) -> None:
    await populate(aconn)
    result = run_audit_query(database.admin_url, example)
    assert result.columns
    assert not result.truncated
