"""Signed checkpoints: a round trip, and every change to a signed file refused; the key setting."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tutopanda.audit.checkpoint import (
    ChainHead,
    new_checkpoint,
    read_checkpoint,
    signature,
    signed_document,
    write_checkpoint,
)
from tutopanda.audit.errors import CheckpointInvalid
from tutopanda.settings import SettingsError, load_settings

KEY = "an audit key of at least 32 characters"
HEADS = [
    ChainHead(lecture_id=1, revision=5, hash="a" * 64, revisions=6),
    ChainHead(lecture_id=7, revision=0, hash="0123456789abcdef" * 4, revisions=1),
]


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "checkpoint.json"
    write_checkpoint(path, text)
    return path


def test_a_checkpoint_reads_back_as_written(tmp_path: Path) -> None:
    checkpoint = new_checkpoint(HEADS)
    path = written(tmp_path, signed_document(checkpoint, KEY))
    assert read_checkpoint(path, KEY) == checkpoint
    assert [p.name for p in tmp_path.iterdir()] == ["checkpoint.json"]  # no temporary left


def test_another_key_is_refused(tmp_path: Path) -> None:
    path = written(tmp_path, signed_document(new_checkpoint(HEADS), KEY))
    with pytest.raises(CheckpointInvalid) as refused:
        read_checkpoint(path, KEY + "!")
    assert refused.value.code == "signature"


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["lectureId", "revision", "hash", "revisions"]),
    st.sampled_from([0, 1]),
    st.one_of(st.integers(), st.text(max_size=70), st.none()),
)
def test_any_change_to_a_signed_head_is_refused(
    tmp_path_factory: pytest.TempPathFactory, field: str, index: int, value: object
) -> None:
    document = json.loads(signed_document(new_checkpoint(HEADS), KEY))
    if document["heads"][index][field] == value:
        return
    document["heads"][index][field] = value
    path = written(tmp_path_factory.mktemp("cp"), json.dumps(document))
    with pytest.raises(CheckpointInvalid) as refused:
        read_checkpoint(path, KEY)
    assert refused.value.code == "signature"


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (lambda d: d["heads"].pop(), "signature"),  # a lecture dropped from the checkpoint
        (lambda d: d.update(createdAt="2000-01-01T00:00:00+00:00"), "signature"),
        (lambda d: d.pop("signature"), "malformed"),
        (lambda d: d.update(signature=None), "malformed"),
    ],
)
def test_other_changes_are_refused(tmp_path: Path, change: object, code: str) -> None:
    document = json.loads(signed_document(new_checkpoint(HEADS), KEY))
    change(document)  # type: ignore[operator]
    path = written(tmp_path, json.dumps(document))
    with pytest.raises(CheckpointInvalid) as refused:
        read_checkpoint(path, KEY)
    assert refused.value.code == code
    assert "\n" not in str(refused.value)


def test_a_well_signed_file_of_the_wrong_shape_is_malformed(tmp_path: Path) -> None:
    body = {"format": "something else", "heads": [{"lectureId": "1"}]}
    path = written(tmp_path, json.dumps({**body, "signature": signature(body, KEY)}))
    with pytest.raises(CheckpointInvalid) as refused:
        read_checkpoint(path, KEY)
    assert refused.value.code == "malformed"


@pytest.mark.parametrize(
    ("environment", "variable"),
    [
        ({"TUTOPANDA_AUDIT_KEY": "short"}, "TUTOPANDA_AUDIT_KEY"),
        ({"TUTOPANDA_MIGRATE_LOCK_TIMEOUT": "0"}, "TUTOPANDA_MIGRATE_LOCK_TIMEOUT"),
        ({"TUTOPANDA_MIGRATE_LOCK_TIMEOUT": "soon"}, "TUTOPANDA_MIGRATE_LOCK_TIMEOUT"),
        ({"TUTOPANDA_AUDIT_KEY": KEY, "TUTOPANDA_JWT_SECRET": KEY}, "TUTOPANDA_AUDIT_KEY"),
    ],
)
def test_audit_settings_are_validated(environment: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(environment)
    assert variable in str(raised.value)


def test_audit_settings_defaults() -> None:
    loaded = load_settings({"TUTOPANDA_AUDIT_KEY": KEY})
    assert loaded.audit_key is not None
    assert loaded.audit_key.get_secret_value() == KEY
    assert KEY not in repr(loaded)
    assert loaded.migrate_lock_timeout_seconds == 60
