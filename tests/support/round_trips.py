"""Counts round trips to PostgreSQL on the wire, from the server's side of a TCP proxy.

Every round trip (a simple query, or an extended-protocol batch ending in Sync) ends with one
ReadyForQuery ('Z') message from the server; so does a connection's start-up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

READY_FOR_QUERY = ord("Z")
# Plain protocol from the first byte: no SSL or GSS negotiation the counter would have to skip.
PLAIN_PROTOCOL = "sslmode=disable&gssencmode=disable"


class RoundTripCounter:
    """Use `observe` as a TcpProxy's reply observer; read `round_trips` and `connections`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.round_trips = 0
        self.connections = 0

    def observe(self) -> Callable[[bytes], None]:
        """A parser for the server's messages on one new connection."""
        with self._lock:
            self.connections += 1
        pending = bytearray()

        def feed(data: bytes) -> None:
            pending.extend(data)
            while len(pending) >= 5:
                size = 1 + int.from_bytes(pending[1:5], "big")
                if len(pending) < size:
                    return
                if pending[0] == READY_FOR_QUERY:
                    with self._lock:
                        self.round_trips += 1
                del pending[:size]

        return feed
