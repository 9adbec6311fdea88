"""Builds postgresql:// URLs from parts, for TCP hosts and Unix-socket folders alike."""

from __future__ import annotations

from urllib.parse import quote, urlencode


def postgres_url(
    *, host: str, port: int, user: str, dbname: str, password: str | None = None
) -> str:
    """A URL psycopg, yoyo and our settings all accept."""
    credentials = quote(user, safe="")
    if password:
        credentials += ":" + quote(password, safe="")
    if host.startswith("/"):
        query = urlencode({"host": host, "port": str(port)})
        return f"postgresql://{credentials}@/{quote(dbname, safe='')}?{query}"
    return f"postgresql://{credentials}@{host}:{port}/{quote(dbname, safe='')}"
