"""Behind a transaction-mode pooler the runtime role cannot be assumed per session: the login
itself must be limited to the runtime role's rights. This is checked before serving.

The other way round, a pooler's URL used as a direct one (TUTOPANDA_DATABASE_POOLER left at
`session`, or no TUTOPANDA_DIRECT_DATABASE_URL) fails every connection: the pooler refuses the
startup option that assumes the role (PgBouncer: "unsupported startup parameter: options").
That is recognised by what the server does, not by its words: it refuses our startup options,
yet takes the same login without them, and that login may assume the runtime role
(`serve` and `worker` check it at start: tutopanda.db.startup).
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg
from psycopg import AsyncConnection

from tutopanda.db.queries import query
from tutopanda.db.urls import without_options
from tutopanda.settings import Settings

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


@dataclass(frozen=True)
class LoginStanding:
    """What a login that connected without our startup options found (query login_standing)."""

    migrated: bool  # tutopanda_runtime exists
    may_assume_runtime: bool


async def login_without_options(conninfo: str) -> LoginStanding | None:
    """The standing of the login of `conninfo`, whose connection failed, when it connects
    without the startup options; None when it does not connect that way either (away)."""
    try:
        plain = without_options(conninfo)
        async with await AsyncConnection.connect(
            plain, autocommit=True, prepare_threshold=None
        ) as conn:
            row = await (await conn.execute(query("login_standing"))).fetchone()
    except psycopg.Error:
        return None
    return None if row is None else LoginStanding(*row)


def options_were_refused(standing: LoginStanding | None) -> bool:
    """True when the login connects without the startup options and may assume the runtime
    role: the options were what the server refused (a pooler's doing, not a missing role)."""
    return standing is not None and standing.may_assume_runtime


async def takes_login_without_options(conninfo: str) -> bool:
    """options_were_refused for the login of `conninfo`, whose connection failed."""
    return options_were_refused(await login_without_options(conninfo))


def options_refused(variable: str, settings: Settings) -> str:
    """One line: the URL in `variable` goes through a transaction-mode pooler; what to set."""
    text = (
        f"{variable}: its server refuses startup options (the runtime role is assumed with one) "
        "but takes the same login without them, as a transaction-mode pooler does"
    )
    if variable == "DATABASE_URL" and settings.database_pooler == "session":
        return (
            f"{text}: set TUTOPANDA_DATABASE_POOLER=transaction, and TUTOPANDA_DIRECT_DATABASE_URL "
            "to a direct URL for the workers, events and migrate"
        )
    return (
        f"{text}: the workers, events and migrate need a direct URL: "
        "set it in TUTOPANDA_DIRECT_DATABASE_URL"
    )
