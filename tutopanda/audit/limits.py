"""The limits of an audit query (tutopanda.audit.runner), apart so that the command line can
name them in its help without loading the query guard."""

DEFAULT_ROW_LIMIT = 1000
MAX_ROW_LIMIT = 100_000
DEFAULT_TIMEOUT_SECONDS = 5.0
