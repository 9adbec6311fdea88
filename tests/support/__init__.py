"""Test support: which PostgreSQL server the tests use, and per-test databases on it."""
