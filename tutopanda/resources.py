"""Locates the folders shipped in the package (`_resources`): SQL, migrations, docs, editor."""

from __future__ import annotations

from pathlib import Path

# In the repository sql/ and migrations/ are links to the top-level folders (api-docs/ and editor/
# are folders of their own); in a wheel, copies of them.
_RESOURCES = Path(__file__).resolve().parent / "_resources"


def resource_dir(name: str) -> Path:
    """The folder `name` (`sql`, `migrations`, `api-docs`, `editor`) shipped with this code."""
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


def api_docs_dir() -> Path:
    """The vendored API documentation assets (Scalar's bundle, see its VENDORED.json)."""
    return resource_dir("api-docs")
