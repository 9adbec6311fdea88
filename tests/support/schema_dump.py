"""A normalised `pg_dump --schema-only` of our schemas, for the committed snapshot."""

from __future__ import annotations

import os
import re
import subprocess

from tutopanda.db import embedded

SCHEMAS = ("app", "api", "audit")
HEADER = (
    "-- GENERATED FILE, do not edit: normalised `pg_dump --schema-only` of schemas app, api\n"
    "-- and audit after `tutopanda db migrate`, on the PostgreSQL major version in the file\n"
    "-- name. Refresh with `make schema-snapshot`.\n"
)
_DROPPED_LINE = re.compile(
    r"^(--.*|SET .*|SELECT pg_catalog\.set_config\(.*|\\(un)?restrict .*"
    # Some server builds stamp attoptions with a per-database counter; it is not our schema.
    r"|ALTER TABLE ONLY .* ALTER COLUMN .* SET \(pg_attver=\d+\);)$"
)


def pg_dump_schema(url: str) -> str:
    """Dump with the wheel's pg_dump, so every machine produces the same text."""
    command = [str(embedded.bin_dir() / "pg_dump"), "--schema-only", "--no-tablespaces"]
    command += [f"--schema={schema}" for schema in SCHEMAS]
    command.append(url)
    env = {**os.environ, "PGOPTIONS": ""}
    result = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
    return result.stdout


def normalise(dump: str) -> str:
    """Drop comments, session settings and version-specific lines; squeeze blank lines."""
    kept = [line.rstrip() for line in dump.splitlines() if not _DROPPED_LINE.match(line)]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return HEADER + "\n" + text + "\n"
