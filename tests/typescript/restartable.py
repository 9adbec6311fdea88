"""A `tutopanda serve` that a Node test can stop and start again on the same port, through a
small control server: `POST /stop` answers once the process has exited, `POST /start` once the
new one is ready. A server restart in the middle of an edit, driven from the test itself."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

from tests.support.processes import free_port, serve_process


class RestartableServer:
    """`tutopanda serve ARGS` on a fixed port (`url`), stopped and started by `control_url`."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        self._args = args
        self._env = env
        self._port = free_port()
        self._lock = threading.Lock()
        self._running: contextlib.ExitStack | None = None
        self._control = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._thread = threading.Thread(target=self._control.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    @property
    def control_url(self) -> str:
        host, port = self._control.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        """Start the server (when it is not running); return once it is ready."""
        with self._lock:
            if self._running is None:
                stack = contextlib.ExitStack()
                stack.enter_context(serve_process(*self._args, env=self._env, port=self._port))
                self._running = stack

    def stop(self) -> None:
        """Stop the server (SIGTERM, as a deploy does); return once it has exited."""
        with self._lock:
            running, self._running = self._running, None
            if running is not None:
                running.close()

    def __enter__(self) -> Self:
        self.start()
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._control.shutdown()
        self._control.server_close()
        self.stop()


def _handler(server: RestartableServer) -> type[BaseHTTPRequestHandler]:
    actions = {"/stop": server.stop, "/start": server.start}

    class Control(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            action = actions.get(self.path)
            if action is not None:
                action()
            self.send_response(404 if action is None else 204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test's output is Node's."""

    return Control
