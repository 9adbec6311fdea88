"""Tamper evidence an auditor can trust: every way of rewriting history found in issue 13, run
as the database owner or a superuser, is found by `tutopanda audit verify`, with or without a
signed checkpoint; deletes that would erase history are refused at the database level."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import psycopg
import pytest
import pytest_asyncio
from psycopg import AsyncConnection

from tests.support.audit_cli import assert_one_line_error, tutopanda
from tests.support.audit_data import populate
from tests.support.databases import TestDatabase
from tests.support.sql import test_query
from tutopanda.audit.verify import verify_history

KEY = "k" * 40
WITH_KEY = {"TUTOPANDA_AUDIT_KEY": KEY}
Superuser = psycopg.Connection[tuple[object, ...]]


@pytest_asyncio.fixture
async def history(database: TestDatabase, aconn: AsyncConnection[Any]) -> dict[str, Any]:
    """The audit history of tests/support/audit_data.py: lecture `edited` is at revision 5."""
    return await populate(aconn)


def findings(result: subprocess.CompletedProcess[str]) -> set[tuple[int, str]]:
    """(lecture, kind) of every line `tutopanda audit verify` printed about a broken history."""
    return {
        (int(lecture), kind)
        for lecture, kind in re.findall(r"^lecture (\d+): ([a-z_]+)\b", result.stdout, re.M)
    }


def checkpoint(database: TestDatabase, path: Path) -> None:
    result = tutopanda(database, "audit", "checkpoint", "--output", str(path), env=WITH_KEY)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"checkpoint {path}: 7 revision(s) of 2 lecture(s)")


def verify(database: TestDatabase, *args: str) -> subprocess.CompletedProcess[str]:
    return tutopanda(database, "audit", "verify", *args, env=WITH_KEY)


def tamper(database: TestDatabase, *steps: tuple[str, dict[str, Any]]) -> None:
    """Run tampering statements as the superuser, in one session, committed."""
    with psycopg.connect(database.admin_url, autocommit=True) as superuser:
        for name, params in steps:
            superuser.execute(test_query(name), params or None)


def test_an_edit_of_live_content_is_found(database: TestDatabase, history: dict[str, Any]) -> None:
    lecture = history["edited"].lecture_id
    tamper(database, ("tamper_edit_title_in_place", {"lecture_id": lecture}))
    result = verify(database)
    assert result.returncode == 1
    assert findings(result) == {(lecture, "live_differs")}


@pytest.mark.parametrize(
    ("statement", "key"),
    [
        ("tamper_delete_project", "project_id"),
        ("tamper_delete_lecture", "lecture_id"),
        ("tamper_truncate_projects", None),
    ],
)
def test_deletes_that_would_erase_history_are_refused_even_for_a_superuser(
    database: TestDatabase, history: dict[str, Any], statement: str, key: str | None
) -> None:
    edited = history["edited"]
    params = {"project_id": edited.project_id, "lecture_id": edited.lecture_id}
    with pytest.raises(psycopg.Error) as refused:
        tamper(database, (statement, {key: params[key]} if key else {}))
    assert refused.value.sqlstate == "PT409"
    assert verify_history(database.admin_url).intact


def test_with_its_triggers_off_a_delete_still_meets_the_foreign_key(
    database: TestDatabase, history: dict[str, Any]
) -> None:
    with pytest.raises(psycopg.IntegrityError) as refused:  # 23503, or 23001 since PostgreSQL 18
        tamper(
            database,
            ("tamper_disable_all_user_triggers", {}),
            ("tamper_delete_project", {"project_id": history["edited"].project_id}),
        )
    assert refused.value.sqlstate in {"23503", "23001"}


def test_a_recomputed_chain_is_found_only_against_a_checkpoint(
    database: TestDatabase, history: dict[str, Any], tmp_path: Path
) -> None:
    lecture, other = history["edited"].lecture_id, history["failed"].lecture_id
    path = tmp_path / "checkpoint.json"
    checkpoint(database, path)
    tamper(
        database,
        ("tamper_disable_guard", {}),
        ("tamper_edit_actor", {"lecture_id": lecture, "revision": 2}),
        ("tamper_reseal_chain", {"lecture_id": lecture}),
        ("tamper_enable_guard", {}),
    )
    assert verify(database).returncode == 0  # the chain checks out on its own: the known limit
    result = verify(database, "--checkpoint", str(path))
    assert result.returncode == 1
    assert findings(result) == {(lecture, "rewritten")}
    assert verify(database, str(other), "--checkpoint", str(path)).returncode == 0


def test_a_removed_last_revision_is_found(
    database: TestDatabase, history: dict[str, Any], tmp_path: Path
) -> None:
    lecture = history["edited"].lecture_id
    path = tmp_path / "checkpoint.json"
    checkpoint(database, path)
    delete_last: tuple[tuple[str, dict[str, Any]], ...] = (
        ("tamper_disable_guard", {}),
        ("tamper_delete_revision", {"lecture_id": lecture, "revision": 5}),
        ("tamper_enable_guard", {}),
    )
    tamper(
        database, *delete_last, ("tamper_move_lecture_back", {"lecture_id": lecture, "revision": 4})
    )
    result = verify(database)
    assert result.returncode == 1
    assert findings(result) == {(lecture, "live_differs")}  # its content is still revision 5's

    # ... and once the content is rolled back too, the database agrees with itself:
    tamper(database, ("tamper_roll_lecture_back", {"lecture_id": lecture, "revision": 4}))
    assert verify(database).returncode == 0
    result = verify(database, "--checkpoint", str(path))
    assert result.returncode == 1
    assert findings(result) == {(lecture, "truncated")}


def test_a_vanished_history_is_found_against_a_checkpoint(
    database: TestDatabase, history: dict[str, Any], tmp_path: Path
) -> None:
    edited = history["edited"]
    path = tmp_path / "checkpoint.json"
    checkpoint(database, path)
    tamper(
        database,
        ("tamper_replica_mode", {}),  # superuser only: no triggers, no foreign keys
        ("tamper_delete_history", {"lecture_id": edited.lecture_id}),
        ("tamper_delete_project", {"project_id": edited.project_id}),
        ("tamper_delete_lecture", {"lecture_id": edited.lecture_id}),
    )
    assert verify(database).returncode == 0  # nothing left to compare with
    result = verify(database, "--checkpoint", str(path))
    assert result.returncode == 1
    assert findings(result) == {(edited.lecture_id, "vanished")}


def test_every_lecture_that_no_longer_extends_the_checkpoint_is_named(
    database: TestDatabase, history: dict[str, Any], tmp_path: Path
) -> None:
    edited, failed = history["edited"], history["failed"]
    path = tmp_path / "checkpoint.json"
    checkpoint(database, path)
    tamper(
        database,
        ("tamper_disable_guard", {}),
        ("tamper_edit_content", {"lecture_id": edited.lecture_id, "revision": 1}),
        ("tamper_reseal_chain", {"lecture_id": edited.lecture_id}),
        ("tamper_enable_guard", {}),
        ("tamper_replica_mode", {}),
        ("tamper_delete_history", {"lecture_id": failed.lecture_id}),
        ("tamper_delete_lecture", {"lecture_id": failed.lecture_id}),
    )
    result = verify(database, "--checkpoint", str(path))
    assert result.returncode == 1
    assert findings(result) == {(edited.lecture_id, "rewritten"), (failed.lecture_id, "vanished")}


def test_a_lecture_deleted_without_its_history_is_found(
    database: TestDatabase, history: dict[str, Any]
) -> None:
    edited = history["edited"]
    tamper(
        database,
        ("tamper_replica_mode", {}),
        ("tamper_delete_lecture", {"lecture_id": edited.lecture_id}),
    )
    assert findings(verify(database)) == {(edited.lecture_id, "lecture_gone")}


def test_a_tampered_history_is_not_signed(
    database: TestDatabase, history: dict[str, Any], tmp_path: Path
) -> None:
    tamper(database, ("tamper_edit_title_in_place", {"lecture_id": history["edited"].lecture_id}))
    path = tmp_path / "checkpoint.json"
    result = tutopanda(database, "audit", "checkpoint", "--output", str(path), env=WITH_KEY)
    assert (result.returncode, result.stdout, result.stderr.count("\n")) == (1, "", 1)
    assert not path.exists()


def test_a_checkpoint_on_stdout_verifies(database: TestDatabase, tmp_path: Path) -> None:
    result = tutopanda(database, "audit", "checkpoint", env=WITH_KEY)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "checkpoint.json"
    path.write_text(result.stdout, "utf-8")
    assert verify(database, "--checkpoint", str(path)).returncode == 0


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.mark.parametrize(
    "damage",
    ["forged head", "other key", "not json", "missing", "no key", "bad structure"],
)
def test_a_checkpoint_that_cannot_be_trusted_is_refused_in_one_line(
    database: TestDatabase, history: dict[str, Any], tmp_path: Path, damage: str
) -> None:
    path = tmp_path / "checkpoint.json"
    checkpoint(database, path)
    env = WITH_KEY
    prefix = "checkpoint refused: "
    if damage == "forged head":  # e.g. to hide a truncation: claim an earlier revision
        _edit(path, '"revision": 5', '"revision": 4')
    elif damage == "other key":
        env = {"TUTOPANDA_AUDIT_KEY": "o" * 40}
    elif damage == "not json":
        path.write_text("{", "utf-8")
    elif damage == "missing":
        path = tmp_path / "nowhere.json"
    elif damage == "no key":
        env, prefix = {"TUTOPANDA_AUDIT_KEY": ""}, "TUTOPANDA_AUDIT_KEY"
    elif damage == "bad structure":
        path.write_text('{"signature": 1}', "utf-8")
    result = tutopanda(database, "audit", "verify", "--checkpoint", str(path), env=env)
    assert_one_line_error(result, 2, prefix)
