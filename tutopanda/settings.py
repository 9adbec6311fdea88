"""Settings read from the environment, validated once, reported in one line when wrong."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)

from tutopanda.db.urls import conninfo_problem
from tutopanda.quotas import DEFAULT_QUOTAS, Quotas

# Setting name -> environment variable. The one table a reader needs to configure the service.
ENVIRONMENT_VARIABLES: dict[str, str] = {
    "database_url": "DATABASE_URL",
    "direct_database_url": "TUTOPANDA_DIRECT_DATABASE_URL",
    "database_pooler": "TUTOPANDA_DATABASE_POOLER",
    "allow_privileged_login": "TUTOPANDA_ALLOW_PRIVILEGED_LOGIN",
    "home": "TUTOPANDA_HOME",
    "jwt_secret": "TUTOPANDA_JWT_SECRET",
    "token_max_days": "TUTOPANDA_TOKEN_MAX_DAYS",
    "jwt_jwks_url": "TUTOPANDA_JWT_JWKS_URL",
    "jwt_issuer": "TUTOPANDA_JWT_ISSUER",
    "jwt_audience": "TUTOPANDA_JWT_AUDIENCE",
    "jwt_jwks_refresh_seconds": "TUTOPANDA_JWT_JWKS_REFRESH_SECONDS",
    "jwt_jwks_cache_seconds": "TUTOPANDA_JWT_JWKS_CACHE_SECONDS",
    "jwt_jwks_min_fetch_seconds": "TUTOPANDA_JWT_JWKS_MIN_FETCH_SECONDS",
    "host": "TUTOPANDA_HOST",
    "port": "TUTOPANDA_PORT",
    "server_processes": "TUTOPANDA_SERVER_PROCESSES",
    "max_body_bytes": "TUTOPANDA_MAX_BODY_BYTES",
    "max_header_bytes": "TUTOPANDA_MAX_HEADER_BYTES",
    "header_timeout_seconds": "TUTOPANDA_HEADER_TIMEOUT_SECONDS",
    "max_concurrent_requests": "TUTOPANDA_MAX_CONCURRENT_REQUESTS",
    "pool_max_size": "TUTOPANDA_POOL_MAX_SIZE",
    "connect_timeout_seconds": "TUTOPANDA_CONNECT_TIMEOUT",
    "startup_wait_seconds": "TUTOPANDA_STARTUP_WAIT_SECONDS",
    "db_probe_seconds": "TUTOPANDA_DB_PROBE_SECONDS",
    "request_deadline_seconds": "TUTOPANDA_REQUEST_DEADLINE_SECONDS",
    "worker_concurrency": "TUTOPANDA_WORKER_CONCURRENCY",
    "speaking_rate_wpm": "TUTOPANDA_SPEAKING_RATE_WPM",
    "generator_providers": "TUTOPANDA_GENERATORS",
    "log_level": "TUTOPANDA_LOG_LEVEL",
    "cors_origins": "TUTOPANDA_CORS_ORIGINS",
    "editor_token_url": "TUTOPANDA_EDITOR_TOKEN_URL",
    "worker_heartbeat_seconds": "TUTOPANDA_WORKER_HEARTBEAT_SECONDS",
    "worker_poll_seconds": "TUTOPANDA_WORKER_POLL_SECONDS",
    "stalled_after_seconds": "TUTOPANDA_STALLED_AFTER_SECONDS",
    "step_retries": "TUTOPANDA_STEP_RETRIES",
    "step_retry_base_seconds": "TUTOPANDA_STEP_RETRY_BASE_SECONDS",
    "review_timeout_seconds": "TUTOPANDA_REVIEW_TIMEOUT_SECONDS",
    "idempotency_key_hours": "TUTOPANDA_IDEMPOTENCY_KEY_HOURS",
    "max_active_runs": "TUTOPANDA_MAX_ACTIVE_RUNS",
    "max_projects_per_hour": "TUTOPANDA_MAX_PROJECTS_PER_HOUR",
    "writes_per_minute": "TUTOPANDA_WRITES_PER_MINUTE",
    "event_poll_ms": "TUTOPANDA_EVENT_POLL_MS",
    "stream_heartbeat_seconds": "TUTOPANDA_STREAM_HEARTBEAT_SECONDS",
    "stream_queue_events": "TUTOPANDA_STREAM_QUEUE_EVENTS",
    "migrate_lock_timeout_seconds": "TUTOPANDA_MIGRATE_LOCK_TIMEOUT",
    "audit_key": "TUTOPANDA_AUDIT_KEY",
}


class SettingsError(ValueError):
    """A setting is missing or malformed; the message names the variable."""


class Settings(BaseModel):
    """Everything the service reads from its environment."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    database_url: str | None = None
    # A direct (session) URL for what a transaction-mode pooler cannot carry: LISTEN, session
    # advisory locks, migrations and the workers. Default: DATABASE_URL.
    direct_database_url: str | None = None
    # "session": every connection assumes the runtime role with a startup option; "transaction":
    # DATABASE_URL goes through a transaction-mode pooler that refuses startup options, so the
    # login role itself must have no more rights than the runtime role (checked at start).
    database_pooler: Literal["session", "transaction"] = "session"
    allow_privileged_login: bool = False
    home: Path = Path(".tutopanda")
    jwt_secret: SecretStr | None = None
    # A bearer token valid for longer than this (exp - iat, or exp - now without iat) is refused.
    token_max_days: Annotated[int, Field(ge=1, le=365)] = 30
    # The app's identity provider (tutopanda/bearer.py): its JWKS, the `iss` its tokens must name
    # (required with a JWKS) and the `aud` (enforced when set). The key set is fetched again when
    # older than the refresh interval, trusted for the cache lifetime after its last successful
    # fetch, and fetched at most once per the minimum interval (unknown `kid`s, failures).
    jwt_jwks_url: str | None = None
    jwt_issuer: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    jwt_audience: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    jwt_jwks_refresh_seconds: Annotated[float, Field(gt=0, le=86400)] = 300.0
    jwt_jwks_cache_seconds: Annotated[float, Field(gt=0, le=7 * 86400)] = 3600.0
    jwt_jwks_min_fetch_seconds: Annotated[float, Field(ge=0, le=3600)] = 10.0
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535)] = 8000
    # API processes of `tutopanda serve` (None: one per core); the worker runs once beside them.
    server_processes: Annotated[int, Field(ge=1, le=64)] | None = None
    max_body_bytes: Annotated[int, Field(ge=1024, le=256 * 1024 * 1024)] = 2 * 1024 * 1024
    # Per API process (api/connection_limits.py): a request line and headers above this are 431,
    # headers not complete this long after the connection is ready for them are 408 and closed,
    # and a request past this many in flight (event streams included) is 503 at once.
    max_header_bytes: Annotated[int, Field(ge=1024, le=1024 * 1024)] = 8 * 1024
    header_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0
    max_concurrent_requests: Annotated[int, Field(ge=1, le=100_000)] = 2048
    pool_max_size: Annotated[int, Field(ge=1, le=200)] = 10
    connect_timeout_seconds: Annotated[float, Field(gt=0, le=300)] = 5.0
    # How long `serve` and `worker` wait for a database that does not answer at start (then exit 1).
    startup_wait_seconds: Annotated[float, Field(ge=0, le=600)] = 10.0
    db_probe_seconds: Annotated[float, Field(gt=0, le=60)] = 0.5
    # The database work of one API request (or one database phase of a workflow step) must end
    # within this: then its statement is cancelled in the server and the request answers 503.
    request_deadline_seconds: Annotated[float, Field(gt=0, le=600)] = 15.0
    worker_concurrency: Annotated[int, Field(ge=1, le=100)] = 4
    speaking_rate_wpm: Annotated[float, Field(gt=10, le=1000)] = 150.0
    generator_providers: str = ""
    log_level: str = "INFO"
    cors_origins: str = ""
    # The app's URL that answers {"token": …} for its signed-in user (better-auth's
    # /api/auth/token), called by the editor page with the browser's cookies: the page signs in
    # through the app instead of asking for a pasted development token.
    editor_token_url: str | None = None
    worker_heartbeat_seconds: Annotated[float, Field(gt=0, le=300)] = 10.0
    worker_poll_seconds: Annotated[float, Field(gt=0, le=300)] = 5.0
    stalled_after_seconds: Annotated[float, Field(gt=0, le=3600)] = 30.0
    step_retries: Annotated[int, Field(ge=0, le=20)] = 4
    step_retry_base_seconds: Annotated[int, Field(ge=0, le=60)] = 2
    # How long a regenerated asset waits for its accept or reject (the original's 30 minutes).
    review_timeout_seconds: Annotated[int, Field(ge=1, le=7 * 86400)] = 1800
    # How long a write's answer is kept for its Idempotency-Key (then pruned): 1 hour to 30 days.
    idempotency_key_hours: Annotated[float, Field(ge=1, le=30 * 24)] = 24.0
    # Per-user quotas the database enforces (tutopanda.quotas) and each API process's write rate
    # per user (a token bucket: this many writes at once, refilled over a minute).
    max_active_runs: Annotated[int, Field(ge=1, le=10_000)] = DEFAULT_QUOTAS.max_active_runs
    max_projects_per_hour: Annotated[int, Field(ge=1, le=100_000)] = (
        DEFAULT_QUOTAS.max_projects_per_hour
    )
    writes_per_minute: Annotated[int, Field(ge=1, le=1_000_000)] = 120
    event_poll_ms: Annotated[float, Field(ge=1, le=10_000)] = 5.0
    stream_heartbeat_seconds: Annotated[float, Field(gt=0, le=300)] = 15.0
    stream_queue_events: Annotated[int, Field(ge=10, le=1_000_000)] = 1000
    migrate_lock_timeout_seconds: Annotated[float, Field(gt=0, le=86400)] = 60.0
    audit_key: SecretStr | None = None

    @field_validator("database_url", "direct_database_url")
    @classmethod
    def _database_url_is_postgres(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        problem = conninfo_problem(value)  # libpq's own parser: several hosts, key=value
        if problem is not None:
            raise ValueError(problem)
        return value

    @field_validator("jwt_secret", "audit_key")
    @classmethod
    def _secret_is_long_enough(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or value.get_secret_value() == "":
            return None
        if len(value.get_secret_value()) < 32:
            raise ValueError("must be at least 32 characters long")
        return value

    @field_validator("jwt_jwks_url", "editor_token_url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value is not None:
            parts = urlsplit(value)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("must be an http:// or https:// URL")
            if any(character in value for character in " \"'<>;\x00"):
                raise ValueError("must be a URL without spaces, quotes, angle brackets or ';'")
        return value

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @model_validator(mode="after")
    def _stalled_after_outlasts_heartbeats(self) -> Settings:
        if self.stalled_after_seconds < 2 * self.worker_heartbeat_seconds:
            raise ValueError(
                "TUTOPANDA_STALLED_AFTER_SECONDS must be at least twice "
                "TUTOPANDA_WORKER_HEARTBEAT_SECONDS, or live workers look stalled"
            )
        return self

    @model_validator(mode="after")
    def _jwks_names_its_issuer(self) -> Settings:
        if self.jwt_jwks_url is not None and self.jwt_issuer is None:
            raise ValueError(
                "TUTOPANDA_JWT_JWKS_URL needs TUTOPANDA_JWT_ISSUER: the `iss` its tokens must name"
            )
        if self.jwt_jwks_url is None and (self.jwt_issuer or self.jwt_audience) is not None:
            raise ValueError(
                "TUTOPANDA_JWT_ISSUER and TUTOPANDA_JWT_AUDIENCE apply to the tokens of "
                "TUTOPANDA_JWT_JWKS_URL, which is not set"
            )
        return self

    @model_validator(mode="after")
    def _audit_key_is_its_own(self) -> Settings:
        # The API's hosts hold the JWT secret; the audit key must stay off them.
        if (
            self.audit_key is not None
            and self.jwt_secret is not None
            and self.audit_key.get_secret_value() == self.jwt_secret.get_secret_value()
        ):
            raise ValueError("TUTOPANDA_AUDIT_KEY must not be the same as TUTOPANDA_JWT_SECRET")
        return self

    @property
    def quotas(self) -> Quotas:
        """The per-user limits the api functions that start runs and create projects enforce."""
        return Quotas(
            max_active_runs=self.max_active_runs, max_projects_per_hour=self.max_projects_per_hour
        )

    @property
    def uses_embedded_database(self) -> bool:
        """True when no DATABASE_URL is set and the project-local server is the default."""
        return self.database_url is None

    @property
    def embedded_data_dir(self) -> Path:
        """Where the embedded server keeps its data (initialised on first use)."""
        return self.home.resolve() / "pgdata"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings; raise SettingsError naming the first bad variable."""
    source = os.environ if environ is None else environ
    raw: dict[str, Any] = {
        field: source[variable]
        for field, variable in ENVIRONMENT_VARIABLES.items()
        if source.get(variable, "") != ""
    }
    try:
        return Settings(**raw)
    except ValidationError as error:
        first = error.errors()[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        if not first["loc"]:
            raise SettingsError(message) from None
        field = str(first["loc"][0])
        variable = ENVIRONMENT_VARIABLES.get(field, field)
        raise SettingsError(f"{variable}: {message}") from None
