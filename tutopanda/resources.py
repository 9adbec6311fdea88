"""Locates the folders shipped with the code: SQL, migrations, the API docs bundle, the editor."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# api-docs/ and editor/ are folders of this package; sql/ and migrations/ are the top-level folders
# of the repository, mapped to the packages below by pyproject.toml ([tool.setuptools] package-dir)
# in a wheel and in an editable install alike.
_RESOURCES = Path(__file__).resolve().parent / "_resources"
_MAPPED = {"sql": "tutopanda._resources.sql", "migrations": "tutopanda._resources.migrations"}


def resource_dir(name: str) -> Path:
    """The folder `name` (`sql`, `migrations`, `api-docs`, `editor`) shipped with this code."""
    folder = Path(str(resources.files(_MAPPED[name]))) if name in _MAPPED else _RESOURCES / name
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
