"""Behind a real PgBouncer in transaction mode: the login's rights are checked, saves work."""

from __future__ import annotations

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.support.databases import TestDatabase
from tests.support.pgbouncer import POOLED_LOGIN
from tests.support.server import TestServer
from tests.support.sql import test_query
from tutopanda.db.pooler import PrivilegedLogin, check_pooled_login, login_excess
from tutopanda.db.queries import query
from tutopanda.db.urls import postgres_url
from tutopanda.quotas import DEFAULT_QUOTAS


def pooled_url(database: TestDatabase, port: int, user: str) -> str:
    return postgres_url(host="127.0.0.1", port=port, user=user, dbname=database.name)


def test_a_runtime_login_passes_and_saves_through_the_pooler(
    database: TestDatabase, pooled_port: int
) -> None:
    url = pooled_url(database, pooled_port, POOLED_LOGIN)
    check_pooled_login(url, allow_privileged=False)
    with psycopg.connect(url, autocommit=True, prepare_threshold=None) as conn:
        assert conn.execute(test_query("current_login")).fetchone() == (POOLED_LOGIN, POOLED_LOGIN)
        created = conn.execute(
            query("project_create"),
            {
                "user_id": "alice",
                "prompt": "Rivers",
                "name": None,
                "settings": Jsonb({}),
                "workflow_kind": "lecture_generation",
                "total_steps": 6,
                **DEFAULT_QUOTAS.project_params(),
            },
        ).fetchone()
        assert created is not None
        for base in range(10):  # more than psycopg's prepare threshold: nothing is prepared
            saved = conn.execute(
                query("lecture_save"),
                {
                    "user_id": "alice",
                    "lecture_id": created[1],
                    "base_revision": base,
                    "sections": Jsonb({"title": f"Rivers {base}"}),
                    "merge": False,
                    "force": False,
                },
            ).fetchone()
            assert saved is not None
            assert saved[:2] == ("saved", base + 1)


def test_a_superuser_login_is_refused_in_one_line(
    database: TestDatabase, pooled_port: int, pg_server: TestServer
) -> None:
    url = pooled_url(database, pooled_port, pg_server.user)
    assert any("is a superuser" in excess for excess in login_excess(url))
    with pytest.raises(PrivilegedLogin) as refused:
        check_pooled_login(url, allow_privileged=False)
    assert "\n" not in str(refused.value)
    check_pooled_login(url, allow_privileged=True)  # explicitly allowed
