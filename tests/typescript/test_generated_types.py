"""The checked-in types of the TypeScript client are those of the OpenAPI document the app
serves: a route or model change that is not regenerated (`make openapi-types`) fails here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import TestClient

from tests.api.conftest import SECRET
from tests.support.databases import TestDatabase
from tests.typescript.conftest import NodeClient
from tools.openapi_types import OUTPUT, app_document, generated_types
from tutopanda.api.app import create_app
from tutopanda.settings import load_settings


@pytest.fixture
def served_document(database: TestDatabase, tmp_path: Path) -> Iterator[dict[str, Any]]:
    settings = load_settings(
        {"TUTOPANDA_HOME": str(tmp_path / "home"), "TUTOPANDA_JWT_SECRET": SECRET}
    )
    with TestClient(create_app(settings, database.admin_url)) as client:
        response = client.get("/schema/openapi.json")
        assert response.status_code == 200, response.text
        document: dict[str, Any] = response.json()
        yield document


def test_the_checked_in_types_are_those_of_the_served_document(
    node_client: NodeClient, served_document: dict[str, Any]
) -> None:
    expected = generated_types(served_document)
    assert OUTPUT.read_text(encoding="utf-8") == expected, (
        f"{OUTPUT} differs from the types of the served OpenAPI document: run `make openapi-types`"
    )


def test_make_openapi_types_reads_the_document_the_app_serves(
    served_document: dict[str, Any],
) -> None:
    assert app_document() == served_document
