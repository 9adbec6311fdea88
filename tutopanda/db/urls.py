"""Connection strings: built from parts, checked, and changed only through libpq's own parser.

Every form libpq takes is accepted as is: a URL with several hosts
(`postgresql://u@a:5432,b:5432/db?target_session_attrs=read-write`) and a key=value string
(`host=a,b port=5432 dbname=db`). Nothing here splits a URL by hand.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

# What libpq accepts for target_session_attrs (PostgreSQL 14 and later).
TARGET_SESSION_ATTRS = frozenset(
    {"any", "read-write", "read-only", "primary", "standby", "prefer-standby"}
)
FORMS = "a postgresql:// URL (hosts may be a comma-separated list) or a key=value string"


def postgres_url(
    *, host: str, port: int, user: str, dbname: str, password: str | None = None
) -> str:
    """A URL psycopg, libpq and our settings all accept."""
    credentials = quote(user, safe="")
    if password:
        credentials += ":" + quote(password, safe="")
    if host.startswith("/"):
        query = urlencode({"host": host, "port": str(port)})
        return f"postgresql://{credentials}@/{quote(dbname, safe='')}?{query}"
    return f"postgresql://{credentials}@{host}:{port}/{quote(dbname, safe='')}"


def with_dbname(conninfo: str, dbname: str) -> str:
    """A URL to the same servers, with the same login and options, for another database."""
    params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items() if k != "dbname"}
    credentials = quote(params.pop("user", ""), safe="")
    if password := params.pop("password", ""):
        credentials += ":" + quote(password, safe="")
    at = f"{credentials}@" if credentials else ""
    query = f"?{urlencode(params)}" if params else ""  # libpq reads host=a,b&port=1,2 there too
    return f"postgresql://{at}/{quote(dbname, safe='')}{query}"


def without_options(conninfo: str) -> str:
    """The same connection string without its `options` (the startup `-c` settings)."""
    params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items() if k != "options"}
    return make_conninfo("", **params)


def conninfo_problem(conninfo: str) -> str | None:
    """Why libpq would refuse this connection string before connecting (None: it would not).

    libpq parses the forms; the values it only checks when it connects are checked here, so that
    a bad setting is reported at start: ports, one port or one per host, target_session_attrs.
    """
    if "\x00" in conninfo:
        return "must not contain NUL characters"
    try:
        params = conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:  # its message may quote the string, password included
        return f"must be {FORMS}"
    hosts = str(params.get("host") or params.get("hostaddr") or "").split(",")
    ports = str(params.get("port") or "").split(",")
    if any(port and not (port.isdigit() and 1 <= int(port) <= 65535) for port in ports):
        return "has a port that is not a number from 1 to 65535"
    if len(ports) not in (1, len(hosts)):
        return f"names {len(hosts)} hosts but {len(ports)} ports (give one, or one per host)"
    attrs = params.get("target_session_attrs")
    if attrs is not None and attrs not in TARGET_SESSION_ATTRS:
        return f"target_session_attrs must be one of {', '.join(sorted(TARGET_SESSION_ATTRS))}"
    return None
