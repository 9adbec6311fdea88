"""Signed checkpoints: the chain heads of every lecture's history, signed with a key the
database never sees (HMAC-SHA256 with TUTOPANDA_AUDIT_KEY).

A checkpoint kept away from the database anchors the history: whoever rewrites history the
checkpoint covers, and recomputes every hash so the chain looks intact, still cannot produce the
signed chain heads. File format (JSON, keys sorted when signed):

    {"format": "tutopanda-audit-checkpoint", "version": 1, "algorithm": "HMAC-SHA256",
     "createdAt": "2026-11-25T10:00:00+00:00",
     "heads": [{"lectureId": 1, "revision": 5, "hash": "<sha256 hex>", "revisions": 6}, ...],
     "signature": "<hex HMAC-SHA256 of every other key, as compact sorted JSON>"}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.alias_generators import to_camel

from tutopanda.audit.errors import CheckpointInvalid

FORMAT: Literal["tutopanda-audit-checkpoint"] = "tutopanda-audit-checkpoint"
MAX_FILE_BYTES = 512 * 1024 * 1024


class _Strict(BaseModel):
    model_config = ConfigDict(
        strict=True, extra="forbid", frozen=True, alias_generator=to_camel, populate_by_name=True
    )


class ChainHead(_Strict):
    """The last history row of one lecture: revision, hash, and how many rows lead to it."""

    lecture_id: Annotated[int, Field(ge=1)]
    revision: Annotated[int, Field(ge=0)]
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]
    revisions: Annotated[int, Field(ge=1)]


class Checkpoint(_Strict):
    """Every lecture's chain head at one moment (the signature is checked on load)."""

    format: Literal["tutopanda-audit-checkpoint"] = FORMAT
    version: Literal[1] = 1
    algorithm: Literal["HMAC-SHA256"] = "HMAC-SHA256"
    created_at: str
    heads: list[ChainHead]


def signature(body: dict[str, Any], key: str) -> str:
    """HMAC-SHA256 (hex) of a checkpoint's body as compact JSON with sorted keys."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hmac.new(key.encode("utf-8"), canonical.encode("ascii"), hashlib.sha256).hexdigest()


def new_checkpoint(heads: list[ChainHead]) -> Checkpoint:
    """A checkpoint of these heads, dated now."""
    return Checkpoint(created_at=datetime.now(UTC).isoformat(timespec="seconds"), heads=heads)


def signed_document(checkpoint: Checkpoint, key: str) -> str:
    """The checkpoint as JSON text, with its signature."""
    body = checkpoint.model_dump(by_alias=True, mode="json")
    return json.dumps({**body, "signature": signature(body, key)}, indent=1, sort_keys=True) + "\n"


def write_checkpoint(path: Path, text: str) -> None:
    """Write the file whole or not at all (a crash leaves the previous checkpoint)."""
    directory = path.resolve().parent
    with tempfile.NamedTemporaryFile(
        "w", encoding="utf-8", dir=directory, prefix=f".{path.name}.", delete=False
    ) as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(handle.name, path)


def read_checkpoint(path: Path, key: str) -> Checkpoint:
    """Load a checkpoint and check its signature; CheckpointInvalid says why it cannot be used."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CheckpointInvalid("malformed", f"{path} is larger than a checkpoint can be")
        raw = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointInvalid("unreadable", f"cannot read {path}: {_first(error)}") from None
    try:
        document = json.loads(raw)
    except ValueError as error:
        raise CheckpointInvalid("malformed", f"{path} is not JSON: {_first(error)}") from None
    if not isinstance(document, dict) or not isinstance(document.get("signature"), str):
        raise CheckpointInvalid("malformed", f"{path} is not a signed checkpoint")
    body = {k: v for k, v in document.items() if k != "signature"}
    if not hmac.compare_digest(document["signature"], signature(body, key)):
        raise CheckpointInvalid(
            "signature",
            f"the signature of {path} does not verify: the file was changed, or it was signed "
            "with another TUTOPANDA_AUDIT_KEY",
        )
    try:
        return Checkpoint.model_validate(body)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CheckpointInvalid("malformed", f"{path}: {where}: {first['msg']}") from None


def _first(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
