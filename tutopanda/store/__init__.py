"""Data access, one module per aggregate: connection first, never commits, typed rows."""
