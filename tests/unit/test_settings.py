"""Settings: defaults, validation, and one clear line naming the variable."""

from __future__ import annotations

import pytest

from tutopanda.settings import SettingsError, load_settings


def test_defaults_use_the_embedded_database() -> None:
    settings = load_settings({})
    assert settings.uses_embedded_database
    assert settings.port == 8000
    assert settings.embedded_data_dir.name == "pgdata"


def test_database_url_is_accepted() -> None:
    settings = load_settings({"DATABASE_URL": "postgresql://u@db.example:5432/tp"})
    assert settings.database_url == "postgresql://u@db.example:5432/tp"
    assert not settings.uses_embedded_database


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u@a:5432,b:5433/tp?target_session_attrs=read-write",
        "postgres://u@/tp?host=/run/postgresql,10.0.0.2&port=5432,5432",
        "host=a,b port=5432 user=u dbname=tp target_session_attrs=primary",
    ],
)
def test_every_form_libpq_takes_is_accepted(url: str) -> None:
    assert load_settings({"DATABASE_URL": url, "TUTOPANDA_DIRECT_DATABASE_URL": url}).database_url


def test_empty_variables_mean_unset() -> None:
    assert load_settings({"DATABASE_URL": "", "TUTOPANDA_PORT": ""}).port == 8000


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DATABASE_URL", "mysql://u@h/db"),
        ("DATABASE_URL", "postgresql://u@h/db\x00"),
        ("DATABASE_URL", "postgresql+psycopg://u@h/db"),
        ("DATABASE_URL", "postgresql://u@a:5432,b:port/db"),
        ("DATABASE_URL", "host=a,b,c port=1,2"),
        ("TUTOPANDA_DIRECT_DATABASE_URL", "postgresql://u@h/db?target_session_attrs=writable"),
        ("TUTOPANDA_REQUEST_DEADLINE_SECONDS", "0"),
        ("TUTOPANDA_PORT", "eighty"),
        ("TUTOPANDA_PORT", "70000"),
        ("TUTOPANDA_JWT_SECRET", "short"),
        ("TUTOPANDA_LOG_LEVEL", "LOUD"),
        ("TUTOPANDA_MAX_BODY_BYTES", "-1"),
        ("TUTOPANDA_HEADER_TIMEOUT_SECONDS", "0"),
        ("TUTOPANDA_MAX_HEADER_BYTES", "100"),
        ("TUTOPANDA_MAX_CONCURRENT_REQUESTS", "0"),
        ("TUTOPANDA_STARTUP_WAIT_SECONDS", "-1"),
        ("TUTOPANDA_TOKEN_MAX_DAYS", "0"),
        ("TUTOPANDA_TOKEN_MAX_DAYS", "366"),
        ("TUTOPANDA_MAX_ACTIVE_RUNS", "0"),
        ("TUTOPANDA_MAX_PROJECTS_PER_HOUR", "many"),
        ("TUTOPANDA_WRITES_PER_MINUTE", "0"),
    ],
)
def test_bad_values_name_their_variable(variable: str, value: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings({variable: value})
    message = str(raised.value)
    assert message.startswith(f"{variable}: ")
    assert "\n" not in message


def test_secret_is_not_printed() -> None:
    secret = "s" * 40
    settings = load_settings({"TUTOPANDA_JWT_SECRET": secret})
    assert secret not in repr(settings)
