"""Runs one step of a run: read the work, compute the sections, apply them exactly once."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from pydantic import ValidationError

from tutopanda.errors import Conflict, NotFound
from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import LectureConfig
from tutopanda.models.workflow import RunWork
from tutopanda.settings import Settings
from tutopanda.store import workflows
from tutopanda.workers.generators.base import StepFailed, StepGenerator, StepInput, StepOutput
from tutopanda.workflows import workflow_kind

logger = logging.getLogger("tutopanda.worker")
Pool = AsyncConnectionPool[AsyncConnection[Any]]


@dataclass(frozen=True)
class StepRunner:
    """Everything a step needs besides the database: settings and the generators."""

    settings: Settings
    generators: Mapping[str, StepGenerator]

    async def run(self, pool: Pool, run_id: str, step_index: int, *, attempt: int) -> str:
        """Do the step; returns what happened (for the log). Raises to have it retried."""
        started_at = datetime.now(UTC)
        async with pool.connection() as conn:
            try:
                status = await workflows.start_run(conn, run_id)
            except NotFound:
                return "skipped: the run no longer exists"
            if status != "running":
                return f"skipped: the run is {status}"
            work = await workflows.run_work(conn, run_id)
        if step_index <= work.current_step:
            return "skipped: already applied"
        try:
            name, output = await self._compute(pool, work, step_index)
        except StepFailed as error:
            return await self._fail(pool, run_id, f"step {step_index}: {error}")
        except Exception as error:
            if attempt >= self.settings.step_retries:
                await self._fail(
                    pool,
                    run_id,
                    f"step {step_index} failed after "
                    f"{attempt + 1} attempts: {type(error).__name__}: {error}",
                )
            raise
        try:
            async with pool.connection() as conn:
                outcome = await workflows.apply_step(
                    conn,
                    run_id,
                    step_index,
                    name,
                    output.sections,
                    output_summary=output.summary,
                    attempts=attempt + 1,
                    started_at=started_at,
                )
        except Conflict as error:
            return f"stopped: {error.message}; nothing written"
        return f"{name} applied at revision {outcome.revision} ({outcome.run_status})"

    async def _compute(self, pool: Pool, work: RunWork, step_index: int) -> tuple[str, StepOutput]:
        try:
            kind = workflow_kind(work.kind)
            name = kind.step_name(step_index)
            settings = LectureConfig.model_validate(work.settings)
        except (KeyError, ValueError) as error:
            raise StepFailed(str(error)) from error
        generator = self.generators.get(name)
        if generator is None:
            raise StepFailed(f"no generator for step {name!r}")
        step = StepInput(
            run_id=work.run_id,
            kind=work.kind,
            step_index=step_index,
            step_name=name,
            prompt=str(work.lecture.get("prompt") or work.context.get("prompt") or ""),
            lecture=work.lecture,
            settings=settings,
            speaking_rate_wpm=self.settings.speaking_rate_wpm,
            context=work.context,
            report=_ProgressReports(pool, work.run_id, step_index, name),
        )
        output = await generator(step)
        try:
            sections = LecturePatch.model_validate(output.sections).sections()
        except ValidationError as error:
            raise StepFailed(
                f"{name} produced invalid sections: {error.errors()[0]['msg']}"
            ) from error
        return name, StepOutput(sections=sections, summary=output.summary)

    async def _fail(self, pool: Pool, run_id: str, error: str) -> str:
        async with pool.connection() as conn:
            status = await workflows.fail_run(conn, run_id, error)
        logger.warning("run %s %s: %s", run_id, status, error)
        return f"run {status}: {error}"


@dataclass(frozen=True)
class _ProgressReports:
    """A step's progress callback: each report is kept as a run event (workflow.progress)."""

    pool: Pool
    run_id: str
    step_index: int
    step_name: str

    async def __call__(self, message: str, fraction: float | None) -> None:
        async with self.pool.connection() as conn:
            await workflows.report_progress(
                conn,
                self.run_id,
                self.step_index,
                self.step_name,
                message=message,
                fraction=fraction,
            )
