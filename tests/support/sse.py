"""A small Server-Sent Events reader over httpx, for tests of the event stream."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Event:
    """One event of the stream: its name, id and JSON data."""

    event: str
    id: str | None
    data: Any


def _parse(block: list[str]) -> Event | None:
    fields: dict[str, str] = {}
    data: list[str] = []
    for line in block:
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            data.append(value)
        elif name in ("event", "id"):
            fields[name] = value
    if not data and "event" not in fields:
        return None  # a comment (heartbeat) or a bare retry
    text = "\n".join(data)
    return Event(
        fields.get("event", "message"), fields.get("id"), json.loads(text) if text else None
    )


PRESENCE = "presence"  # who is on the lecture (api/controllers/events.py): skipped unless asked


def events(response: httpx.Response, *, presence: bool = False) -> Iterator[Event]:
    """The events of a streaming response, as they arrive (`presence` ones only when asked)."""
    block: list[str] = []
    for line in response.iter_lines():
        if line:
            block.append(line)
            continue
        event = _parse(block)
        block = []
        if event is not None and (presence or event.event != PRESENCE):
            yield event


async def aevents(response: httpx.Response, *, presence: bool = False) -> AsyncIterator[Event]:
    """The events of a streaming response (async client), as they arrive (`presence` ones only
    when asked)."""
    block: list[str] = []
    async for line in response.aiter_lines():
        if line:
            block.append(line)
            continue
        event = _parse(block)
        block = []
        if event is not None and (presence or event.event != PRESENCE):
            yield event
