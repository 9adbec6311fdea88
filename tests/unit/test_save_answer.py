"""The answer to a save that went through is the same bytes, built from the database's row
without a model (the fast path) or from SaveResult through SaveResponse (the handler)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from tutopanda.api.writes import saved_answer, went_through_answer
from tutopanda.models.lecture import SECTION_NAMES, SaveResult
from tutopanda.store.lectures import Saved

OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: UTC if minutes == 0 else timezone(timedelta(minutes=minutes))
)
MOMENTS = st.datetimes(
    min_value=datetime(1970, 1, 1), max_value=datetime(9998, 12, 31), timezones=OFFSETS
)


@given(
    revision=st.integers(min_value=0, max_value=2**31 - 1),
    updated_at=MOMENTS,
    changed=st.lists(st.sampled_from(SECTION_NAMES), unique=True),
)
def test_a_save_that_went_through_answers_the_same_bytes(
    revision: int, updated_at: datetime, changed: list[str]
) -> None:
    row = ("saved", revision, updated_at, changed)
    result = SaveResult(
        status="saved", revision=revision, updated_at=updated_at, changed_sections=changed
    )
    assert went_through_answer(Saved(*row)) == saved_answer(result, revision - 1)
