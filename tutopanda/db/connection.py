"""Connection URLs: the admin URL (configured or embedded) and per-role connection strings."""

from __future__ import annotations

from typing import Any

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tutopanda.db import embedded
from tutopanda.settings import Settings

OWNER_ROLE = "tutopanda_owner"  # owns app/api/audit; SECURITY DEFINER functions run as it
RUNTIME_ROLE = "tutopanda_runtime"  # the API and the workers: EXECUTE api.*, use the queue
AUDITOR_ROLE = "tutopanda_auditor"  # auditors: SELECT audit.*


def admin_url(settings: Settings) -> str:
    """The configured DATABASE_URL, or the embedded server's (started on demand)."""
    if settings.database_url is not None:
        return settings.database_url
    return embedded.start(settings.embedded_data_dir)


def direct_url(settings: Settings, admin: str | None = None) -> str:
    """A URL whose sessions are ours for their whole life (LISTEN, advisory locks, workers,
    migrate): TUTOPANDA_DIRECT_DATABASE_URL, else the admin URL (`admin` when known already)."""
    return settings.direct_database_url or admin or admin_url(settings)


def api_conninfo(url: str, settings: Settings, *, application_name: str) -> str:
    """Connection string of the API's request pool: the runtime role by startup option, or,
    through a transaction-mode pooler (which refuses startup options), the login role as is."""
    if settings.database_pooler == "transaction":
        extra = {
            "application_name": application_name,
            "connect_timeout": str(max(1, round(settings.connect_timeout_seconds))),
        }
        return make_conninfo(url, **extra)
    return runtime_conninfo(url, settings, application_name=application_name)


def api_connect_kwargs(settings: Settings) -> dict[str, Any]:
    """How the API's connections (requests, presence) are made: in autocommit, each call its
    own transaction in one round trip; through a transaction-mode pooler, which hands each
    transaction another server connection where a statement prepared on the last one does not
    exist, preparing nothing."""
    kwargs: dict[str, Any] = {"autocommit": True}
    if settings.database_pooler == "transaction":
        kwargs["prepare_threshold"] = None
    return kwargs


def runtime_conninfo(url: str, settings: Settings, *, application_name: str) -> str:
    """The runtime role on `url` (by startup option), each host of a multi-host URL tried for
    TUTOPANDA_CONNECT_TIMEOUT (without it psycopg gives a host that is gone 130 s)."""
    return role_conninfo(
        url,
        RUNTIME_ROLE,
        application_name=application_name,
        connect_timeout_seconds=settings.connect_timeout_seconds,
    )


def role_conninfo(
    url: str,
    role: str,
    *,
    search_path: str = "procrastinate",
    application_name: str = "tutopanda",
    connect_timeout_seconds: float | None = None,
) -> str:
    """Connection string that assumes `role` from the first statement on.

    The role is a startup option (`-c role=…`), so every connection of a pool gets it, and a
    stray `RESET ROLE` returns to it rather than to the login user. Procrastinate's unqualified
    names need its schema on the search path; our own SQL always qualifies names.
    """
    params = conninfo_to_dict(url)
    existing = str(params.get("options") or "").strip()
    options = f"{existing} -c role={role} -c search_path={search_path}".strip()
    extra: dict[str, str] = {"options": options, "application_name": application_name}
    if connect_timeout_seconds is not None:
        extra["connect_timeout"] = str(max(1, round(connect_timeout_seconds)))
    return make_conninfo(url, **extra)


def auditor_conninfo(url: str, statement_timeout_seconds: float) -> str:
    """Connection string for an audit query: the auditor role, read-only, with a timeout.

    Every limit is a startup option, so no SQL text is needed (or could be skipped) to set it.
    A session read-only by its own option is what libpq's `target_session_attrs=read-write`
    refuses on every host; `primary` picks the same server (not a standby) and lets it be.
    """
    params = conninfo_to_dict(url)
    existing = str(params.get("options") or "").strip()
    primary = params.get("target_session_attrs") == "read-write"
    extra = {"target_session_attrs": "primary"} if primary else {}
    milliseconds = max(1, round(statement_timeout_seconds * 1000))
    limits = (
        f"-c role={AUDITOR_ROLE} -c search_path=pg_catalog -c default_transaction_read_only=on "
        f"-c statement_timeout={milliseconds} -c lock_timeout={milliseconds} "
        f"-c idle_in_transaction_session_timeout={milliseconds + 5000}"
    )
    return make_conninfo(
        url, options=f"{existing} {limits}".strip(), application_name="tutopanda-audit", **extra
    )
