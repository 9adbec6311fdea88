"""The SDK's sharing calls and presence: an owner shares a lecture, and two EditorSessions on it
see each other and each other's focus (`session.present`)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable

import pytest

from tests.api.conftest import SECRET
from tutopanda.client import AsyncTutopandaClient, EditorSession, NotFound, TutopandaClient
from tutopanda.client.models import Focus, PresentPerson
from tutopanda.tokens import issue_token

_people = itertools.count(1)


async def eventually(holds: Callable[[], bool], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not holds():
        assert time.monotonic() < deadline, "it never held"
        await asyncio.sleep(0.02)


def test_an_owner_shares_and_stops_sharing(client: TutopandaClient, base_url: str) -> None:
    created = client.create_project("Sharing")
    guest = f"sdk-guest-{next(_people)}"
    added = client.set_member(created.project_id, guest, "viewer")
    assert (added.user_id, added.role) == (guest, "viewer")
    assert client.set_member(created.project_id, guest, "editor").role == "editor"
    roles = {member.user_id: member.role for member in client.list_members(created.project_id)}
    assert roles[guest] == "editor"
    with TutopandaClient(base_url, issue_token(SECRET, guest)) as as_guest:
        assert as_guest.get_lecture(created.lecture_id).revision >= 0
        client.remove_member(created.project_id, guest)
        with pytest.raises(NotFound):
            as_guest.get_lecture(created.lecture_id)


@pytest.mark.asyncio
async def test_two_sessions_see_each_other_and_their_focus(
    aclient: AsyncTutopandaClient, base_url: str
) -> None:
    created = await aclient.create_project("Presence through the SDK")
    guest = f"sdk-guest-{next(_people)}"
    await aclient.set_member(created.project_id, guest, "editor")
    async with (
        AsyncTutopandaClient(base_url, issue_token(SECRET, guest)) as other,
        EditorSession(aclient, created.lecture_id) as mine,
        EditorSession(other, created.lecture_id) as theirs,
    ):
        await eventually(lambda: guest in mine.present and len(theirs.present) == 2)
        await theirs.set_focus("timeline", "visual-0-0")
        await eventually(lambda: mine.present[guest].focus is not None)
        assert mine.present[guest] == PresentPerson(
            user_id=guest, name=guest, focus={"section": "timeline", "itemId": "visual-0-0"}
        )
        await aclient.set_focus(created.lecture_id, Focus(section="script"))
        owner = next(user for user in theirs.present if user != guest)
        mine_now = {"section": "script", "itemId": None}
        await eventually(lambda: theirs.present[owner].focus == mine_now)
