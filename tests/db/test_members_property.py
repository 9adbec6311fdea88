"""Members and roles in SQL: no sequence of membership changes by anyone leaves a project without
an owner, each change succeeds or fails exactly as the role rules say, and the audit view records
exactly the changes that succeeded; two owners demoting each other at once cannot both win."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, get_args

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.rows import dict_row

from tests.support.databases import TestDatabase
from tutopanda.db.queries import query
from tutopanda.models.members import Role
from tutopanda.quotas import Quotas

USERS = ("ann", "ben", "cat", "dan")
ROLES = ("owner", "editor", "viewer")
Conn = psycopg.Connection[dict[str, Any]]


@dataclass(frozen=True)
class Change:
    """A PUT (role) or a DELETE (role None) of `target`'s membership, asked by `actor`."""

    actor: str
    target: str
    role: str | None


changes = st.builds(
    Change,
    st.sampled_from(USERS),
    st.sampled_from(USERS),
    st.one_of(st.none(), st.sampled_from(ROLES)),
)


def connect(database: TestDatabase) -> Conn:
    return psycopg.connect(database.runtime_conninfo, autocommit=True, row_factory=dict_row)


def new_project(conn: Conn, creator: str) -> int:
    quotas = Quotas(max_active_runs=10_000, max_projects_per_hour=10_000)
    params = {
        "user_id": creator,
        "prompt": "Members",
        "name": None,
        "settings": None,
        "workflow_kind": "lecture_generation",
        "total_steps": 6,
        **quotas.project_params(),
    }
    row = conn.execute(query("project_create"), params).fetchone()
    assert row is not None
    project: int = row["project_id"]
    return project


def apply(conn: Conn, project: int, change: Change) -> str:
    """Send the change; "ok" or the SQLSTATE it was refused with."""
    params = {"user_id": change.actor, "project_id": project, "member_id": change.target}
    try:
        if change.role is None:
            conn.execute(query("project_member_remove"), params)
        else:
            conn.execute(query("project_member_set"), {**params, "role": change.role})
    except psycopg.Error as error:
        return error.sqlstate or "?"
    return "ok"


def predict(members: dict[str, str], change: Change) -> str:
    """What the role rules say the change gets, given the members before it."""
    actor_role, previous = members.get(change.actor), members.get(change.target)
    if actor_role is None:
        return "PT404"
    if actor_role != "owner":
        return "PT403"
    if change.role is None and previous is None:
        return "PT404"
    owners = [user for user, role in members.items() if role == "owner"]
    if previous == "owner" and change.role != "owner" and owners == [change.target]:
        return "PTOWN"
    return "ok"


def members_of(conn: Conn, project: int, as_user: str) -> dict[str, str]:
    rows = conn.execute(query("project_members"), {"user_id": as_user, "project_id": project})
    return {row["user_id"]: row["role"] for row in rows}


def audited(admin: Conn, project: int) -> list[tuple[str, str | None, str | None, str]]:
    rows = admin.execute(
        "SELECT member, previous_role, role, changed_by FROM audit.membership_changes "
        "WHERE project_id = %s ORDER BY change_id",
        (project,),
    )
    return [(r["member"], r["previous_role"], r["role"], r["changed_by"]) for r in rows]


@pytest.fixture
def conns(database: TestDatabase) -> Any:
    with (
        connect(database) as runtime,
        psycopg.connect(database.admin_url, autocommit=True, row_factory=dict_row) as admin,
    ):
        yield runtime, admin


# Each example makes a project of its own: the fixture's connections are safely shared.
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(creator=st.sampled_from(USERS), sequence=st.lists(changes, max_size=14))
def test_no_sequence_of_changes_leaves_a_project_without_an_owner(
    conns: tuple[Conn, Conn], creator: str, sequence: list[Change]
) -> None:
    runtime, admin = conns
    project = new_project(runtime, creator)
    members = {creator: "owner"}
    expected_audit: list[tuple[str, str | None, str | None, str]] = [
        (creator, None, "owner", creator)
    ]
    for change in sequence:
        outcome = apply(runtime, project, change)
        assert outcome == predict(members, change), (change, members)
        if outcome == "ok" and members.get(change.target) != change.role:
            expected_audit.append(
                (change.target, members.get(change.target), change.role, change.actor)
            )
            if change.role is None:
                del members[change.target]
            else:
                members[change.target] = change.role
        owner = next(user for user, role in members.items() if role == "owner")
        assert members_of(runtime, project, owner) == members
    assert "owner" in members.values()
    assert audited(admin, project) == expected_audit


@pytest.mark.parametrize(
    ("member", "role"),
    [
        ("", "viewer"),
        ("x" * 201, "viewer"),
        ("x" * 256, "viewer"),
        ("bob\x01", "viewer"),
        ("bob\x85", "viewer"),
        ("bob", "admin"),
        ("bob", None),
        ("bob", ""),
    ],
)
def test_bad_input_is_refused_and_writes_nothing(
    conns: tuple[Conn, Conn], member: str, role: str | None
) -> None:
    runtime, admin = conns
    project = new_project(runtime, "ann")
    params = {"user_id": "ann", "project_id": project, "member_id": member, "role": role}
    with pytest.raises(psycopg.Error) as refused:
        runtime.execute(query("project_member_set"), params)
    assert refused.value.sqlstate == "PT422"
    assert members_of(runtime, project, "ann") == {"ann": "owner"}
    assert len(audited(admin, project)) == 1


def test_two_owners_demoting_each_other_at_once_cannot_both_win(database: TestDatabase) -> None:
    with connect(database) as setup:
        project = new_project(setup, "ann")
        assert apply(setup, project, Change("ann", "ben", "owner")) == "ok"
    outcomes: dict[str, str] = {}
    with connect(database) as first, connect(database) as second:
        first.autocommit = False
        outcomes["ann"] = apply(first, project, Change("ann", "ben", "viewer"))  # holds the lock
        waiting = threading.Thread(
            target=lambda: outcomes.update(
                ben=apply(second, project, Change("ben", "ann", "viewer"))
            )
        )
        waiting.start()
        waiting.join(0.5)
        assert waiting.is_alive(), "the second change must wait for the first"
        first.commit()
        waiting.join(10)
    # ben was demoted while he waited: his change is checked again, as a viewer's
    assert outcomes == {"ann": "ok", "ben": "PT403"}
    with connect(database) as check:
        assert members_of(check, project, "ann") == {"ann": "owner", "ben": "viewer"}


def test_the_roles_are_the_same_in_python_and_sql(conns: tuple[Conn, Conn]) -> None:
    _, admin = conns
    rows = admin.execute(
        "SELECT r.role FROM unnest(%s::text[]) AS r (role) WHERE app.role_allows(r.role, 'read')",
        ([*get_args(Role), *ROLES, "admin", ""],),
    )
    assert {row["role"] for row in rows} == set(get_args(Role)) == set(ROLES)
