"""The audit surface: guarded queries, diffs, history verification and signed checkpoints."""
