"""Project members: list them, give a user a role, remove a member (an owner only; a project
always keeps an owner)."""

from __future__ import annotations

from tutopanda.db.execute import Connection, fetch_all, fetch_one, fetch_value
from tutopanda.models.members import Member, Role


async def list_members(conn: Connection, user_id: str, project_id: int) -> list[Member]:
    """The members of a project the user is a member of, owners first."""
    params = {"user_id": user_id, "project_id": project_id}
    return await fetch_all(conn, "project_members", params, Member)


async def set_member(
    conn: Connection, user_id: str, project_id: int, member_id: str, role: Role
) -> Member:
    """Add `member_id` with `role`, or change their role; the member after. Forbidden unless
    the user is an owner; LastOwner when it would demote the last owner."""
    params = {"user_id": user_id, "project_id": project_id, "member_id": member_id, "role": role}
    return await fetch_one(conn, "project_member_set", params, Member)


async def remove_member(conn: Connection, user_id: str, project_id: int, member_id: str) -> None:
    """Remove a member. Forbidden unless the user is an owner; LastOwner for the last owner;
    NotFound for no such member."""
    params = {"user_id": user_id, "project_id": project_id, "member_id": member_id}
    await fetch_value(conn, "project_member_remove", params)
