"""httpx transports whose sockets wait no longer than what is left of an exchange's deadline.

httpx's timeouts are per socket operation: an answer trickled a byte a second never trips
them, and a deadline would stretch for as long as the server likes. Within :func:`bounded`,
every connect, read and write of a transport made here waits at most what is left of the
deadline, read on the lifecycle's clock at each operation (so a virtual clock in tests is
obeyed too), and fails with :class:`Expired` once nothing is left. Outside it, the sockets
behave exactly as httpx's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

import httpx

from ._clock import Clock

__all__ = ["Expired", "async_http_transport", "bounded", "http_transport"]


class Expired(Exception):
    """The deadline of the current exchange passed."""


class _Budget:
    """What is left of one exchange's deadline, read on the lifecycle's clock at every
    socket operation: an exchange ends by its deadline however slowly bytes arrive."""

    __slots__ = ("clock", "deadline")

    def __init__(self, clock: Clock, deadline: float) -> None:
        self.clock = clock
        self.deadline = deadline

    def bound(self, timeout: float | None) -> float:
        """``timeout`` cut to what is left; raises Expired when nothing is."""
        left = self.deadline - self.clock.now()
        if left <= 0:
            raise Expired("the deadline passed")
        return left if timeout is None else min(timeout, left)


_BUDGET: ContextVar[_Budget | None] = ContextVar("wiro_exchange_budget", default=None)


def _bounded(timeout: float | None) -> float | None:
    budget = _BUDGET.get()
    return timeout if budget is None else budget.bound(timeout)


class _Stream:
    """One of httpcore's connections, each read and write bound by the deadline."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = self._stream.read(max_bytes, _bounded(timeout))
        return data

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: Any = None
    ) -> _Stream:
        return _Stream(
            self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _AsyncStream:
    """:class:`_Stream` for httpcore's async sockets."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        data: bytes = await self._stream.read(max_bytes, _bounded(timeout))
        return data

    async def write(self, buffer: bytes, timeout: float | None = None) -> None:
        await self._stream.write(buffer, _bounded(timeout))

    async def aclose(self) -> None:
        await self._stream.aclose()

    async def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: Any = None
    ) -> _AsyncStream:
        return _AsyncStream(
            await self._stream.start_tls(
                ssl_context, server_hostname, _bounded(timeout)
            )
        )

    def get_extra_info(self, info: str) -> Any:
        return self._stream.get_extra_info(info)


class _Backend:
    """httpcore's network backend, its connections made of :class:`_Stream`."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> _Stream:
        return _Stream(
            self._backend.connect_tcp(host, port, _bounded(timeout), *args, **kwargs)
        )

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, *args: Any, **kwargs: Any
    ) -> _Stream:
        return _Stream(
            self._backend.connect_unix_socket(path, _bounded(timeout), *args, **kwargs)
        )

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


class _AsyncBackend:
    """:class:`_Backend` for httpcore's async network backend."""

    def __init__(self, backend: Any) -> None:
        self._backend = backend

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> _AsyncStream:
        return _AsyncStream(
            await self._backend.connect_tcp(
                host, port, _bounded(timeout), *args, **kwargs
            )
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, *args: Any, **kwargs: Any
    ) -> _AsyncStream:
        return _AsyncStream(
            await self._backend.connect_unix_socket(
                path, _bounded(timeout), *args, **kwargs
            )
        )

    async def sleep(self, seconds: float) -> None:
        await self._backend.sleep(seconds)


def _bound_sockets(transport: Any, wrap: Callable[[Any], Any]) -> None:
    # httpx builds its connection pool without a way to pass a network backend: it is
    # wrapped in place. Should a later httpx move it, requests keep their per-operation
    # timeouts and the between-chunk deadline checks (the trickled-headers test in
    # tests/runtime/hostile fails then).
    pool = getattr(transport, "_pool", None)
    backend = getattr(pool, "_network_backend", None)
    if backend is not None:
        pool._network_backend = wrap(backend)  # type: ignore[union-attr]


def http_transport(**options: Any) -> httpx.HTTPTransport:
    """httpx's transport, its sockets bound by each exchange's deadline."""
    transport = httpx.HTTPTransport(**options)
    _bound_sockets(transport, _Backend)
    return transport


def async_http_transport(**options: Any) -> httpx.AsyncHTTPTransport:
    """httpx's async transport, its sockets bound by each exchange's deadline."""
    transport = httpx.AsyncHTTPTransport(**options)
    _bound_sockets(transport, _AsyncBackend)
    return transport


@contextlib.contextmanager
def bounded(clock: Clock, deadline: float | None) -> Iterator[None]:
    """Bound every socket operation of this thread's (or asyncio task's) exchange by
    ``deadline`` on ``clock`` (None: no bound)."""
    token = _BUDGET.set(None if deadline is None else _Budget(clock, deadline))
    try:
        yield
    finally:
        _BUDGET.reset(token)
