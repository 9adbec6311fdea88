"""Behind a transaction-mode pooler the runtime role cannot be assumed per session: the login
itself must be limited to the runtime role's rights. This is checked before serving."""

from __future__ import annotations

import psycopg

from tutopanda.db.queries import query

# What each excess right of a login is called in the one-line refusal.
_EXCESS = {
    "superuser": "is a superuser",
    "role_attributes": "may create roles or databases, replicate or bypass row security",
    "owner_rights": "has the rights of tutopanda_owner",
    "private_tables": "may use schema app (the private tables)",
    "create_schemas": "may create schemas in the database",
}


class PrivilegedLogin(ValueError):
    """The pooled login has more rights than the runtime role; the message says which."""


def login_excess(conninfo: str) -> list[str]:
    """The rights the login of `conninfo` has beyond the runtime role's (empty: none)."""
    with psycopg.connect(conninfo, autocommit=True, prepare_threshold=None) as conn:
        cursor = conn.execute(query("login_rights"))
        row = cursor.fetchone()
        names = [column.name for column in cursor.description or []]
        user = conn.info.user
    if row is None:
        return ["is not a role of this database"]
    rights = dict(zip(names, row, strict=True))
    excess = [text for name, text in _EXCESS.items() if rights[name]]
    if not rights["runtime_rights"]:
        excess.append("lacks the rights of tutopanda_runtime (GRANT tutopanda_runtime TO it)")
    return [f"{user} {text}" for text in excess]


def check_pooled_login(conninfo: str, *, allow_privileged: bool) -> None:
    """Refuse (PrivilegedLogin) a pooled login with rights beyond the runtime role's."""
    excess = login_excess(conninfo)
    if excess and not allow_privileged:
        raise PrivilegedLogin(
            "TUTOPANDA_DATABASE_POOLER=transaction: the login of DATABASE_URL "
            f"{'; '.join(excess)}: use a login role with only tutopanda_runtime's rights, or set "
            "TUTOPANDA_ALLOW_PRIVILEGED_LOGIN=1"
        )
