"""The Procrastinate application on the project's database (queue in schema `procrastinate`)."""

from __future__ import annotations

from procrastinate import App, RetryStrategy

from tutopanda.db.connection import runtime_conninfo
from tutopanda.settings import Settings
from tutopanda.workers.listener import ListeningConnector
from tutopanda.workers.tasks import run_workflow_step

# The SQL side enqueues these jobs (app.workflow_enqueue_step): keep the names in step.
WORKFLOW_STEP_TASK = "tutopanda.workflow_step"
WORKFLOW_QUEUE = "workflows"
EXTRA_CONNECTIONS = 3  # LISTEN, heartbeats, stalled-job recovery


def create_worker_app(url: str, settings: Settings) -> App:
    """A Procrastinate app whose connections assume the runtime role, with our step task.

    Its listener checks its connection once per poll interval and comes back after an outage.
    """
    connector = ListeningConnector(
        check_seconds=settings.worker_poll_seconds,
        stopping_wait_seconds=settings.connect_timeout_seconds,
        conninfo=runtime_conninfo(url, settings, application_name="tutopanda-worker"),
        min_size=1,
        max_size=settings.worker_concurrency + EXTRA_CONNECTIONS,
        timeout=max(settings.connect_timeout_seconds, 30.0),
    )
    app = App(connector=connector)
    app.task(
        name=WORKFLOW_STEP_TASK,
        queue=WORKFLOW_QUEUE,
        pass_context=True,
        retry=RetryStrategy(
            max_attempts=settings.step_retries,
            exponential_wait=settings.step_retry_base_seconds,
        ),
    )(run_workflow_step)
    return app
