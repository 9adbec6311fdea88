"""Locates the folders shipped inside the package (`_resources`): sql, migrations, editor."""

from __future__ import annotations

from pathlib import Path

# In the repository sql/ and migrations/ are links to the top-level folders (in a wheel, copies of
# them); editor/ (the browser editor page) lives here.
_RESOURCES = Path(__file__).resolve().parent / "_resources"


def resource_dir(name: str) -> Path:
    """Return the folder `name` (`sql`, `migrations`, `editor`) shipped with this version."""
    folder = _RESOURCES / name
    if not folder.is_dir():
        raise FileNotFoundError(f"the {name}/ folder is missing from this installation")
    return folder


def sql_dir() -> Path:
    """Re-creatable database objects and named queries."""
    return resource_dir("sql")


def migrations_dir() -> Path:
    """Numbered, immutable yoyo migrations."""
    return resource_dir("migrations")
