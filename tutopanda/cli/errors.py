"""Exit codes of the command line and the error for wrong input."""

from __future__ import annotations

EXIT_FAILURE = 1  # the command was right, the world was not (database down, migration failed)
EXIT_USAGE = 2  # the command or its input was wrong (bad setting, refused query)


class UsageError(ValueError):
    """The user's input is wrong; the message says how."""
