"""Project members and their roles (sharing)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from tutopanda.models.base import CheckedModel, WireModel

# THE roles in Python (app.role_allows is the list in SQL; tests/db/test_members_property.py
# compares them): owner = everything, sharing included; editor = read and write; viewer = read.
Role = Literal["owner", "editor", "viewer"]


class Member(WireModel):
    """A member of a project: their role, who added them and when, when their role last
    changed."""

    user_id: str
    role: Role
    added_by: str
    added_at: datetime
    updated_at: datetime


class MemberRole(CheckedModel):
    """The role to give a member (added when not one yet)."""

    role: Role
