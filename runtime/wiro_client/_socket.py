"""Wiro's task socket, as the drivers use it: open, register a task, hear its events.

The socket is optional: it needs the ``websockets`` package (``pip install
'wiro-client[socket]'``). Without it every task is polled, and the client says so once at
DEBUG level. Each channel reads on its own (a thread, or an asyncio task) into a queue; the
lifecycle asks for the next message with a time limit on the client's clock, so a socket's
silence passes in virtual time in tests like any other wait.
"""

from __future__ import annotations

import collections
import logging
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import _constants as C
from ._clock import Clock, wait_for, wait_for_async

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncChannel", "SocketEnd", "SyncChannel", "available"]

log = logging.getLogger("wiro_client")

_checked: bool | None = None
_check_lock = threading.Lock()


def available() -> bool:
    """Whether the WebSocket library is installed (told once at DEBUG when it is not)."""
    global _checked
    with _check_lock:
        if _checked is None:
            try:
                import websockets  # noqa: F401
            except ImportError:
                _checked = False
                log.debug(
                    "the websockets package is not installed: tasks are followed by "
                    "polling Task/Detail (pip install 'wiro-client[socket]' to follow "
                    "them live)"
                )
            else:
                _checked = True
        return _checked


@dataclass(frozen=True, slots=True)
class SocketEnd:
    """The socket closed (or failed): why, in words."""

    reason: str


Heard = str | bytes | SocketEnd | None
"""What a receive gives: a message, the socket's end, or None (nothing before the limit)."""


class SyncChannel:
    """One open socket of :class:`~wiro_client.Wiro`, read by a background thread."""

    def __init__(self, url: str, register: str, open_timeout: float) -> None:
        from websockets.sync.client import connect

        conn = connect(
            url,
            open_timeout=open_timeout,
            close_timeout=1.0,
            max_size=C.SOCKET_MESSAGE_MAX,
        )
        # Entered as a context manager, as websockets 17.1+ asks (close() ends it).
        self._conn = conn.__enter__()
        self._queue: collections.deque[Heard] = collections.deque()
        self._ready = threading.Event()
        self._conn.send(register)
        threading.Thread(target=self._read, name="wiro-socket", daemon=True).start()

    def _read(self) -> None:
        reason = "closed by the server"
        try:
            for message in self._conn:
                self._queue.append(message)
                self._ready.set()
        except Exception as exc:  # any failure ends the channel; the lifecycle polls
            reason = f"{type(exc).__name__}: {exc}"
        self._queue.append(SocketEnd(reason))
        self._ready.set()

    def receive(self, clock: Clock, seconds: float | None) -> Heard:
        """The next message, the socket's end, or None after ``seconds`` of silence."""
        while True:
            if self._queue:
                return self._queue.popleft()
            self._ready.clear()
            if self._queue:
                continue
            if seconds is not None and seconds <= 0:
                return None
            wait_for(clock, self._ready, seconds)
            if not self._queue:
                return None

    def close(self) -> None:
        try:
            self._conn.close()
        except Exception:  # closing a broken socket: nothing left to do
            log.debug("closing the task socket failed", exc_info=True)


class AsyncChannel:
    """One open socket of :class:`~wiro_client.AsyncWiro`, read by an asyncio task."""

    def __init__(self, conn: Any) -> None:
        import asyncio

        self._conn = conn
        self._queue: collections.deque[Heard] = collections.deque()
        self._ready = asyncio.Event()
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def open(cls, url: str, register: str, open_timeout: float) -> AsyncChannel:
        from websockets.asyncio.client import connect

        conn = await connect(
            url,
            open_timeout=open_timeout,
            close_timeout=1.0,
            max_size=C.SOCKET_MESSAGE_MAX,
        )
        await conn.send(register)
        return cls(conn)

    async def _read(self) -> None:
        reason = "closed by the server"
        try:
            async for message in self._conn:
                self._queue.append(message)
                self._ready.set()
        except Exception as exc:  # any failure ends the channel; the lifecycle polls
            reason = f"{type(exc).__name__}: {exc}"
        self._queue.append(SocketEnd(reason))
        self._ready.set()

    async def receive(self, clock: Clock, seconds: float | None) -> Heard:
        while True:
            if self._queue:
                return self._queue.popleft()
            self._ready.clear()
            if seconds is not None and seconds <= 0:
                return None
            await wait_for_async(clock, self._ready, seconds)
            if not self._queue:
                return None

    async def close(self) -> None:
        try:
            await self._conn.close()
        except Exception:  # closing a broken socket: nothing left to do
            log.debug("closing the task socket failed", exc_info=True)
        reader: asyncio.Task[None] = self._reader
        if not reader.done():
            reader.cancel()
