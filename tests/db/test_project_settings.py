"""Project settings: read, partial update merged per group, settings revisions, history/audit."""

from __future__ import annotations

from typing import Any

import pytest
from psycopg import AsyncConnection
from pydantic import ValidationError

from tests.support.factories import new_lecture
from tests.support.sql import test_query
from tutopanda.errors import Conflict, NotFound
from tutopanda.models.project import LectureConfig, ProjectUpdate
from tutopanda.store import projects

pytestmark = pytest.mark.asyncio
Conn = AsyncConnection[Any]


def update(**body: Any) -> ProjectUpdate:
    return ProjectUpdate.model_validate(body)


async def test_a_new_project_has_settings_revision_zero_with_defaults(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    project = await projects.get_project(aconn, "user-1", created.project_id)
    assert project.settings_revision == 0
    assert LectureConfig.model_validate(project.settings) == LectureConfig()


async def test_a_partial_update_merges_per_group(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    before = await projects.get_project(aconn, "user-1", created.project_id)
    after = await projects.update_project(
        aconn,
        "user-1",
        created.project_id,
        update(name="Rome", settings={"general": {"language": "de"}, "image": {"style": "Anime"}}),
        base_revision=0,
    )
    general, image = after.settings["general"], after.settings["image"]
    assert isinstance(general, dict)
    assert isinstance(image, dict)
    assert (after.name, after.settings_revision) == ("Rome", 1)
    assert (general["language"], image["style"]) == ("de", "Anime")
    assert general["duration"] == "60"  # the group's other options stay
    assert after.settings["narration"] == before.settings["narration"]  # other groups stay
    assert after.updated_at > before.updated_at


async def test_a_stale_settings_revision_is_a_conflict_and_writes_nothing(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    change = update(settings={"general": {"audience": "Kids"}})
    await projects.update_project(aconn, "user-1", created.project_id, change, base_revision=0)
    with pytest.raises(Conflict, match="is at settings revision 1, not 0"):
        await projects.update_project(
            aconn, "user-1", created.project_id, update(name="late"), base_revision=0
        )
    project = await projects.get_project(aconn, "user-1", created.project_id)
    assert (project.name, project.settings_revision) == (None, 1)


async def test_an_update_that_changes_nothing_keeps_the_revision(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    same = update(settings={"general": {"language": "en"}})
    project = await projects.update_project(aconn, "user-1", created.project_id, same)
    assert project.settings_revision == 0


async def test_someone_elses_project_is_not_found(aconn: Conn) -> None:
    created = await new_lecture(aconn)
    with pytest.raises(NotFound):
        await projects.get_project(aconn, "user-2", created.project_id)
    with pytest.raises(NotFound):
        await projects.update_project(aconn, "user-2", created.project_id, update(name="mine"))


@pytest.mark.parametrize(
    "body",
    [
        {"settings": {"general": {"colour": "red"}}},
        {"settings": {"lighting": {}}},
        {"settings": {"general": None}},
        {"settings": {"general": {"duration": "45"}}},
        {"settings": {"image": {"imagesPerSegment": 3}}},
        {"name": ""},
        {"name": "a\x00b"},
        {"baseRevision": -1},
    ],
)
async def test_bad_updates_are_refused_before_the_database(body: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ProjectUpdate.model_validate(body)


async def test_the_history_and_audit_view_show_who_changed_what(
    aconn: Conn, admin_aconn: Conn
) -> None:
    created = await new_lecture(aconn)
    await projects.update_project(
        aconn, "user-1", created.project_id, update(settings={"music": {"model": "m2"}})
    )
    await projects.update_project(aconn, "user-1", created.project_id, update(name="Named"))
    rows = await (
        await admin_aconn.execute(
            test_query("project_settings_changes"), {"project_id": created.project_id}
        )
    ).fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (0, "user-1", None),
        (1, "user-1", None),
        (2, "user-1", "Named"),
    ]
    assert len(rows[0][3]) == len(LectureConfig.model_fields)  # revision 0: every group
    assert rows[1][3] == {"music": {"model": "m2"}}
    assert rows[2][3] is None  # only the name changed
