"""Litestar HTTP API for editor front-ends."""
