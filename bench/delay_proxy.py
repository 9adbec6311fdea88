"""A loopback TCP proxy that delays every chunk, as a network between service and database would.

`python -m bench.delay_proxy --port P --target HOST:PORT|/socket/dir:PORT --delay-ms 0.5`
prints `ready` once it listens. Each direction of each connection has a reader thread that
stamps chunks on arrival and a sender thread that holds each one until its stamp + delay:
`time.sleep` is sub-millisecond here, while an asyncio proxy would round delays up to whole
milliseconds. No netem on these machines, so this is how the bench adds a round trip.
"""

from __future__ import annotations

import argparse
import queue
import socket
import sys
import threading
import time

_CHUNK = 65536


def _connect(target: str) -> socket.socket:
    host, _, port = target.rpartition(":")
    if host.startswith("/"):
        upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        upstream.connect(f"{host}/.s.PGSQL.{port}")
        return upstream
    upstream = socket.create_connection((host, int(port)))
    upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return upstream


def _read(source: socket.socket, held: queue.Queue[tuple[float, bytes]], delay: float) -> None:
    try:
        while data := source.recv(_CHUNK):
            held.put((time.monotonic() + delay, data))
    except OSError:
        pass
    held.put((0.0, b""))


def _send(held: queue.Queue[tuple[float, bytes]], target: socket.socket) -> None:
    try:
        while True:
            due, data = held.get()
            if not data:
                break
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            target.sendall(data)
        target.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def _pipe(source: socket.socket, target: socket.socket, delay: float) -> list[threading.Thread]:
    held: queue.Queue[tuple[float, bytes]] = queue.Queue()
    threads = [
        threading.Thread(target=_read, args=(source, held, delay), daemon=True),
        threading.Thread(target=_send, args=(held, target), daemon=True),
    ]
    for thread in threads:
        thread.start()
    return threads


def _serve(client: socket.socket, target: str, delay: float) -> None:
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        upstream = _connect(target)
    except OSError:
        client.close()
        return
    threads = _pipe(client, upstream, delay) + _pipe(upstream, client, delay)
    for thread in threads:
        thread.join()
    client.close()
    upstream.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.delay_proxy", description=__doc__)
    parser.add_argument("--port", type=int, required=True, help="loopback port to listen on")
    parser.add_argument("--target", required=True, help="HOST:PORT or /socket/dir:PORT")
    parser.add_argument("--delay-ms", type=float, required=True, help="delay of each direction")
    args = parser.parse_args(argv)
    listener = socket.create_server(("127.0.0.1", args.port), reuse_port=False)
    print("ready", flush=True)
    while True:
        client, _ = listener.accept()
        threading.Thread(
            target=_serve, args=(client, args.target, args.delay_ms / 1000), daemon=True
        ).start()


if __name__ == "__main__":
    sys.exit(main())
