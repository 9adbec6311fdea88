"""The auto-saving editor session: buffered edits, debounced saves, conflict policies."""
