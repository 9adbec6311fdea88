"""The re-creatable database objects and named queries, installed as the package data of
`tutopanda._resources.sql` (pyproject.toml maps this folder; tutopanda/resources.py finds it)."""
