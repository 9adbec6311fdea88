"""The yoyo migrations, installed as the package data of `tutopanda._resources.migrations`
(pyproject.toml maps this folder; tutopanda/db/migrate.py reads every migration but this file)."""
