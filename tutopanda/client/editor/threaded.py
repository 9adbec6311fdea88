"""`SyncEditorSession`: the editor session for code without an event loop (a desktop UI, a
script). The session runs on its own event loop in a background thread; each method hands its
work to that thread and waits for it, so the auto-save loop is the same code as the async one."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine
from types import TracebackType
from typing import Any, Self, TypeVar

from pydantic import JsonValue

from tutopanda.client.async_client import AsyncTutopandaClient
from tutopanda.client.editor.session import EditorSession
from tutopanda.client.editor.status import ConflictReport, SessionStatus
from tutopanda.client.models import SaveResponse

T = TypeVar("T")


class SyncEditorSession:
    """`EditorSession` behind blocking methods. Callbacks (`on_status`, …) are called on the
    session's own thread: hand their work to your UI thread as it requires."""

    def __init__(self, base_url: str, token: str, lecture_id: int, **options: Any):
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name=f"editor-session-{lecture_id}", daemon=True
        )
        self._thread.start()
        self._client = AsyncTutopandaClient(base_url, token)
        self._session = EditorSession(self._client, lecture_id, **options)
        self._closed = False
        try:
            self._call(self._session.open())
        except BaseException:
            self._stop()
            raise

    def _call(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def _read(self, read: Callable[[], T]) -> T:
        async def on_loop() -> T:
            return read()

        return self._call(on_loop())

    def edit(self, section: str, value: Any) -> None:
        """Replace a section locally; saved after the debounce (ValueError as the async one)."""
        self._read(lambda: self._session.edit(section, value))

    def value(self, section: str) -> JsonValue:
        return self._read(lambda: self._session.value(section))

    def content(self) -> dict[str, JsonValue]:
        return self._read(self._session.content)

    @property
    def status(self) -> SessionStatus:
        return self._read(lambda: self._session.status)

    @property
    def conflict(self) -> ConflictReport | None:
        return self._read(lambda: self._session.conflict)

    def flush(self) -> SessionStatus:
        """Save the dirty sections now and wait."""
        return self._call(self._session.flush())

    def reapply(self) -> SaveResponse | None:
        return self._call(self._session.reapply())

    def reload(self, *, discard_draft: bool = False) -> None:
        self._call(self._session.reload(discard_draft=discard_draft))

    def close(self) -> None:
        """Flush, stop following events, and stop the session's thread."""
        if self._closed:
            return
        self._closed = True
        try:
            self._call(self._session.close())
        finally:
            self._stop()

    def _stop(self) -> None:
        self._call(self._client.aclose())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
