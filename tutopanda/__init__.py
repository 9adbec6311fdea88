"""Tutopanda lecture store: the shared typed shell over the PostgreSQL engine."""
