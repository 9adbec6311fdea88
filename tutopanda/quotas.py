"""Per-user quotas: their names, and the limits the database enforces where runs and projects are
created (sql/schema/250_quotas.sql)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

# What a 429 `quota_exceeded` names in its `quota`: the two the database counts
# (sql/schema/250_quotas.sql), and the write rate each API process keeps (api/write_rate.py).
QuotaName = Literal["active_runs", "projects_per_hour", "writes_per_minute"]
QUOTA_NAMES: frozenset[str] = frozenset(get_args(QuotaName))


@dataclass(frozen=True)
class Quotas:
    """The limits passed to the api functions that start runs and create projects; the defaults
    are the settings' (TUTOPANDA_MAX_ACTIVE_RUNS, TUTOPANDA_MAX_PROJECTS_PER_HOUR)."""

    max_active_runs: int = 5  # queued, running or waiting for review, at once
    max_projects_per_hour: int = 20  # created in any sliding hour

    def run_params(self) -> dict[str, int]:
        """The named-query parameter of a run's start."""
        return {"max_active_runs": self.max_active_runs}

    def project_params(self) -> dict[str, int]:
        """The named-query parameters of a project's creation (which starts a run too)."""
        return {**self.run_params(), "max_projects_per_hour": self.max_projects_per_hour}


DEFAULT_QUOTAS = Quotas()
