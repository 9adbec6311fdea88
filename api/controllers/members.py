"""`/projects/{projectId}/members`: who may use a project and how (owner, editor, viewer)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, put
from litestar.params import JSONBody, PathParameter

from tutopanda.api.database import Db
from tutopanda.api.params import ProjectIdPath, UserId
from tutopanda.api.problems import InvalidField, problems
from tutopanda.models.members import Member, MemberRole
from tutopanda.store import members
from tutopanda.tokens import MAX_USER_ID_LENGTH, is_valid_user_id

# The user-id rule (tutopanda/tokens.py) as the OpenAPI document says it, in the form its
# generators read exactly (like NO_NUL_PATTERN); a lone surrogate is refused by the handler.
_NO_CONTROL_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
MemberIdPath = Annotated[
    str,
    PathParameter(
        min_length=1,
        max_length=MAX_USER_ID_LENGTH,
        pattern=_NO_CONTROL_PATTERN,
        description="the member's user id (a token's `sub`: 1 to 200 characters, no control "
        "character)",
    ),
]


class MemberController(Controller):
    """The members of a project: any member reads them, only an owner changes them."""

    path = "/projects/{project_id:int}/members"
    tags = ["members"]

    @get("/", summary="List a project's members", responses=problems(401, 404, 503))
    async def list_members(self, db: Db, user: UserId, project_id: ProjectIdPath) -> list[Member]:
        """Every member with their role, owners first, then editors, then viewers."""
        return await members.list_members(db, user, project_id)

    @put(
        "/{user_id:str}",
        summary="Share a project with a user, or change their role",
        responses=problems(401, 403, 404, 409, 413, 422, 503),
    )
    async def set_role(
        self,
        db: Db,
        user: UserId,
        project_id: ProjectIdPath,
        user_id: MemberIdPath,
        data: JSONBody[MemberRole],
    ) -> Member:
        """Add the user as a member with this role, or change their role (the same role again
        changes nothing). Owners only (403 for other members). 409 `last_owner` when it would
        demote the project's last owner. Every change is recorded (`audit.membership_changes`)."""
        return await members.set_member(db, user, project_id, _member(user_id), data.role)

    @delete(
        "/{user_id:str}",
        status_code=204,
        summary="Remove a member from a project",
        responses=problems(401, 403, 404, 409, 422, 503),
    )
    async def remove(
        self, db: Db, user: UserId, project_id: ProjectIdPath, user_id: MemberIdPath
    ) -> None:
        """Their next request on the project is 404, like a stranger's. Owners only (403 for
        other members); 404 when the user is no member; 409 `last_owner` for the last owner."""
        await members.remove_member(db, user, project_id, _member(user_id))


def _member(user_id: str) -> str:
    """The path's user id, if it follows the user-id rule (else 422 naming it)."""
    if not is_valid_user_id(user_id):
        raise InvalidField("user_id", "must be 1 to 200 characters without control characters")
    return user_id
