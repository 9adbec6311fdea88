"""Every operation of the served OpenAPI document has its SDK call: a new route fails here
until the SDK learns it."""

from __future__ import annotations

import re
from typing import Any

import httpx

from tutopanda.client import routes

LECTURE, PROJECT, REVISION, DRAFT, OTHER = 11, 22, 33, 44, 55
RUN, ASSET, MEMBER = "run-9", "img-8", "member-7"


def _sdk_operations() -> set[tuple[str, str]]:
    calls: list[routes.Call[Any]] = [
        routes.health(),
        routes.ready(),
        routes.list_projects(None, None),
        routes.create_project("p", None, None),
        routes.get_project(PROJECT),
        routes.update_project(PROJECT, 0, "n", None),
        routes.get_lecture(LECTURE),
        routes.get_lecture_if_changed(LECTURE, 1),
        routes.save_lecture(LECTURE, {"title": "t"}, 0, merge=False, force=False),
        routes.list_history(LECTURE, None, None),
        routes.get_revision(LECTURE, REVISION),
        routes.diff(LECTURE, 1, 2),
        routes.restore_revision(LECTURE, REVISION, 0, force=False),
        routes.list_drafts(LECTURE),
        routes.get_draft(LECTURE, DRAFT),
        routes.apply_draft(LECTURE, DRAFT),
        routes.delete_draft(LECTURE, DRAFT),
        routes.start_workflow(LECTURE, "lecture_generation", 1, force=False, original_run_id=None),
        routes.get_run(RUN),
        routes.cancel_run(RUN),
        routes.resume_run(RUN),
        routes.accept_run(RUN, force=False),
        routes.reject_run(RUN),
        routes.regenerate_asset(LECTURE, "image", ASSET, None),
        routes.list_members(PROJECT),
        routes.set_member(PROJECT, MEMBER, "editor"),
        routes.remove_member(PROJECT, MEMBER),
        routes.set_focus(LECTURE, None),
    ]
    names = {
        f"/lectures/{LECTURE}": "/lectures/{lecture_id}",
        f"/projects/{PROJECT}": "/projects/{project_id}",
        f"/history/{REVISION}": "/history/{revision}",
        f"/drafts/{DRAFT}": "/drafts/{draft_id}",
        f"/workflow-runs/{RUN}": "/workflow-runs/{run_id}",
        f"/image/{ASSET}": "/{asset_kind}/{asset_id}",
        f"/members/{MEMBER}": "/members/{user_id}",
    }
    pattern = re.compile("|".join(re.escape(sample) + r"(?=/|$)" for sample in names))
    operations = {(call.method, pattern.sub(lambda m: names[m[0]], call.path)) for call in calls}
    return operations | {("GET", "/lectures/{lecture_id}/events")}  # client.events()


def test_the_sdk_has_a_call_for_every_operation(base_url: str) -> None:
    document = httpx.get(f"{base_url}/schema/openapi.json", timeout=10).json()
    served = {
        (method.upper(), path)
        for path, operations in document["paths"].items()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    }
    assert _sdk_operations() == served
