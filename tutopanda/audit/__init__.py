"""The audit surface in Python: the guarded query runner, diffs and the hash-chain check."""
