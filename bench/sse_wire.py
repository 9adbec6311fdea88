"""The wire of an SSE stream, read lean: HTTP response head, chunked body, event names and ids.

The fan-out bench reads thousands of streams in a few processes, so it parses no more than it
needs: the `event:` and `id:` fields of each frame (an event's id `R.S` names the revision it
brings), never the JSON data.
"""

from __future__ import annotations

from dataclasses import dataclass, field

HEAD_END = b"\r\n\r\n"


class WireError(ValueError):
    """The bytes are not the HTTP/1.1 event stream expected."""


@dataclass(frozen=True)
class ResponseHead:
    """The status and the body framing of an HTTP/1.1 response."""

    status: int
    chunked: bool


def parse_head(head: bytes) -> ResponseHead:
    """The status line and the Transfer-Encoding of a response head (without the blank line)."""
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit():
        raise WireError(f"not an HTTP response: {lines[0][:60]!r}")
    chunked = False
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
    return ResponseHead(int(parts[1]), chunked)


@dataclass
class ChunkedDecoder:
    """Turns a `Transfer-Encoding: chunked` body, fed in any slices, back into its bytes."""

    _pending: bytearray = field(default_factory=bytearray)
    _left: int = 0  # data bytes left in the current chunk
    _skip: int = 0  # CRLF bytes still to drop after a chunk's data
    finished: bool = False  # the last (empty) chunk arrived

    def feed(self, data: bytes) -> bytes:
        """The body bytes that `data` completes (possibly none)."""
        self._pending += data
        out = bytearray()
        while self._pending and not self.finished:
            if self._skip:
                dropped = min(self._skip, len(self._pending))
                del self._pending[:dropped]
                self._skip -= dropped
            elif self._left:
                taken = min(self._left, len(self._pending))
                out += self._pending[:taken]
                del self._pending[:taken]
                self._left -= taken
                if not self._left:
                    self._skip = 2
            else:
                end = self._pending.find(b"\r\n")
                if end < 0:
                    break
                size_text = bytes(self._pending[:end]).split(b";", 1)[0].strip()
                try:
                    size = int(size_text, 16)
                except ValueError:
                    raise WireError(f"bad chunk size {size_text[:20]!r}") from None
                del self._pending[: end + 2]
                if size == 0:
                    self.finished = True
                else:
                    self._left = size
        return bytes(out)


@dataclass(frozen=True)
class Frame:
    """One event of the stream: its name and id (b"" when absent). Comments are not frames."""

    event: bytes
    id: bytes

    def revision(self) -> int:
        """The revision an event id `R.S` names (-1 when the id is not one)."""
        head = self.id.split(b".", 1)[0]
        return int(head) if head.isdigit() else -1


@dataclass
class FrameScanner:
    """Splits a decoded event stream into frames; a frame is complete at its blank line."""

    _buffer: bytes = b""

    def feed(self, data: bytes) -> list[Frame]:
        """The frames that `data` completes, in order."""
        text = (self._buffer + data).replace(b"\r\n", b"\n")
        if text.endswith(b"\r"):  # a CRLF cut in two: keep the CR for the next slice
            text, self._buffer = text[:-1], b"\r"
        else:
            self._buffer = b""
        blocks = text.split(b"\n\n")
        self._buffer = blocks.pop() + self._buffer
        frames = []
        for block in blocks:
            event, event_id, fields = b"message", b"", 0
            for line in block.split(b"\n"):
                name, _, value = line.partition(b":")
                if name == b"event":
                    event, fields = value.strip(), fields + 1
                elif name == b"id":
                    event_id, fields = value.strip(), fields + 1
                elif name == b"data":
                    fields += 1
            if fields:
                frames.append(Frame(event, event_id))
        return frames
