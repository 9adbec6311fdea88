"""An incremental Server-Sent Events parser (the WHATWG rules the stream needs), without I/O."""

from __future__ import annotations

import json

from tutopanda.client.models import ServerEvent


class SseParser:
    """Feed it the stream's lines one by one; it returns each event when its blank line arrives.

    Comment lines (`: heartbeat`) are skipped; `retry:` updates `retry_seconds`; an event whose
    data is not JSON keeps it as text. The last `id:` seen is `last_event_id` (what a reconnect
    sends as `Last-Event-ID`).
    """

    def __init__(self, last_event_id: str | None = None):
        self.last_event_id = last_event_id
        self.retry_seconds: float | None = None
        self._event = ""
        self._data: list[str] = []
        self._id: str | None = None

    def feed(self, line: str) -> ServerEvent | None:
        """One line without its end of line; an event when this line ends one."""
        if not line:
            return self._dispatch()
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and "\0" not in value:
            self._id = value
        elif name == "retry" and value.isdigit():
            self.retry_seconds = int(value) / 1000
        return None

    def _dispatch(self) -> ServerEvent | None:
        if self._id is not None:
            self.last_event_id = self._id
        event_id, name, data = self._id, self._event, self._data
        self._event, self._data, self._id = "", [], None
        if not data and not name:
            return None
        text = "\n".join(data)
        try:
            value: object = json.loads(text) if text else None
        except ValueError:
            value = text
        return ServerEvent(event=name or "message", id=event_id or self.last_event_id, data=value)
