"""Runs one step of a run: read the work, compute the sections, apply them exactly once."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from psycopg import AsyncConnection
from psycopg_pool import AsyncConnectionPool
from pydantic import JsonValue, ValidationError

from tutopanda.db.deadline import deadline
from tutopanda.errors import Conflict, NotFound
from tutopanda.merge import MergeResult
from tutopanda.models.lecture import LecturePatch
from tutopanda.models.project import LectureConfig
from tutopanda.models.workflow import RunWork, StepOutcome
from tutopanda.settings import Settings
from tutopanda.store import workflows
from tutopanda.store.rebase import Latest, Written, merge_until_written
from tutopanda.workers.generators.base import StepFailed, StepGenerator, StepInput, StepOutput
from tutopanda.workflows import STEP_OUTPUTS, workflow_kind

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
        seconds = self.settings.request_deadline_seconds
        async with _connection(pool, seconds) as conn:
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
            async with _connection(pool, seconds) as conn:
                if output.proposal is not None:
                    outcome = await workflows.propose_step(
                        conn,
                        run_id,
                        step_index,
                        name,
                        output.proposal,
                        base_revision=int(work.lecture["revision"]),
                        output_summary=output.summary,
                        attempts=attempt + 1,
                        started_at=started_at,
                    )
                else:
                    outcome = await _apply_merging(
                        conn,
                        work,
                        step_index,
                        name,
                        output,
                        attempts=attempt + 1,
                        started_at=started_at,
                    )
        except Conflict as error:
            if await _still_due(pool, seconds, run_id, step_index):
                raise  # the database lost every race it may retry (app.write_attempts())
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
        report = _ProgressReports(
            pool, self.settings.request_deadline_seconds, work.run_id, step_index, name
        )
        if not kind.rebuilds and work.context.get("force") is not True and _has_output(work, name):
            await report(f"{name.replace('_', ' ').capitalize()} already done; skipped", 1.0)
            return name, StepOutput(sections={}, summary={"skipped": "output exists"})
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
            report=report,
        )
        output = await generator(step)
        try:
            sections = LecturePatch.model_validate(output.sections).sections()
            proposal = _checked_proposal(work, output.proposal)
        except ValidationError as error:
            raise StepFailed(
                f"{name} produced invalid sections: {error.errors()[0]['msg']}"
            ) from error
        return name, StepOutput(sections=sections, summary=output.summary, proposal=proposal)

    async def _fail(self, pool: Pool, run_id: str, error: str) -> str:
        async with _connection(pool, self.settings.request_deadline_seconds) as conn:
            status = await workflows.fail_run(conn, run_id, error)
        logger.warning("run %s %s: %s", run_id, status, error)
        return f"run {status}: {error}"


async def _apply_merging(
    conn: AsyncConnection[Any],
    work: RunWork,
    step_index: int,
    name: str,
    output: StepOutput,
    *,
    attempts: int,
    started_at: datetime,
) -> StepOutcome:
    """Apply a step's sections on the revision it read. If a person (or anyone) changed those
    sections meanwhile, merge the step's output onto the latest revision per JSON path and write
    exactly there, by the policy of tutopanda.store.rebase: their change stands where the step
    changed nothing, and where both changed the same path their value is kept (the step's summary
    lists those paths). Out of attempts, the step raises and is retried."""
    base = int(work.lecture["revision"])

    async def apply(
        sections: Mapping[str, Any], summary: Mapping[str, Any], onto: int, merged_base: int | None
    ) -> Written[StepOutcome]:
        outcome = await workflows.apply_step(
            conn,
            work.run_id,
            step_index,
            name,
            sections,
            output_summary=summary,
            attempts=attempts,
            started_at=started_at,
            base_revision=onto,
            merged_base=merged_base,
        )
        if not outcome.moved:
            return Written(outcome)
        latest = (await workflows.run_work(conn, work.run_id)).lecture
        return Written(outcome, newer=Latest(int(latest["revision"]), latest))

    async def write(merged: MergeResult, onto: int) -> Written[StepOutcome]:
        kept: list[JsonValue] = list(merged.pointers)
        logger.info(
            "run %s step %s: the lecture moved to revision %s; output merged (%s paths kept)",
            work.run_id,
            name,
            onto,
            len(kept),
        )
        summary = {**output.summary, "mergedOnto": onto, "keptConcurrentEdits": kept}
        return await apply(merged.sections, summary, onto, base)

    def exhausted(_: StepOutcome) -> StepOutcome:
        raise StepRaced(f"{name}: other writers kept changing its sections; retried")

    first = await apply(output.sections, output.summary, base, None)
    if first.newer is None:
        return first.answer
    return await merge_until_written(
        work.lecture,
        output.sections,
        first.newer,
        write,
        refused=first.answer,
        on_conflicts=None,  # the person's value is kept and the path recorded: never a 409
        exhausted=exhausted,
    )


class StepRaced(RuntimeError):
    """A step lost the race to other writers of its sections every time it merged."""


@contextlib.asynccontextmanager
async def _connection(pool: Pool, seconds: float) -> AsyncIterator[AsyncConnection[Any]]:
    """A connection whose statements must end within `seconds` (each database phase of a step
    gets TUTOPANDA_REQUEST_DEADLINE_SECONDS, like a request): a write held longer fails and the
    step is retried, which is safe (a step is written once)."""
    async with pool.connection() as conn, deadline(conn, seconds):
        yield conn


async def _still_due(pool: Pool, seconds: float, run_id: str, step_index: int) -> bool:
    """Does the run still wait for this step (a refusal that did not end the run: retry it)?"""
    async with _connection(pool, seconds) as conn:
        work = await workflows.run_work(conn, run_id)
    return work.status == "running" and work.current_step == step_index - 1


def _has_output(work: RunWork, step_name: str) -> bool:
    """Does the lecture already have what this step makes (any of its sections non-empty)?"""
    return any(work.lecture.get(section) for section in STEP_OUTPUTS.get(step_name, ()))


def _checked_proposal(work: RunWork, proposal: dict[str, Any] | None) -> dict[str, Any] | None:
    """A proposed asset as its section stores it (validated like an editor's save of it)."""
    if proposal is None:
        return None
    reference = work.context.get("asset")
    section = str(reference.get("section")) if isinstance(reference, dict) else ""
    stored = LecturePatch.model_validate({section: [proposal]}).sections()[section]
    return cast(list[dict[str, Any]], stored)[0]  # an array section of objects, as validated


@dataclass(frozen=True)
class _ProgressReports:
    """A step's progress callback: each report is kept as a run event (workflow.progress)."""

    pool: Pool
    deadline_seconds: float
    run_id: str
    step_index: int
    step_name: str

    async def __call__(self, message: str, fraction: float | None) -> None:
        async with _connection(self.pool, self.deadline_seconds) as conn:
            await workflows.report_progress(
                conn,
                self.run_id,
                self.step_index,
                self.step_name,
                message=message,
                fraction=fraction,
            )
