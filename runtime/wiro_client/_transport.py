"""The two thin drivers that execute the lifecycle's effects: one sync, one async.

They are the only code that talks to the network or sleeps. Each exchange is signed right
before it is sent (a fresh nonce per attempt, after any wait); network failures come back as
data (:class:`Exchange`), never as exceptions, so no frame that held the signed headers is
part of any traceback this package raises.
"""

from __future__ import annotations

import inspect
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from . import _constants as C
from ._auth import Signer
from ._clock import Clock
from ._lifecycle import (
    Connect,
    Disconnect,
    Fetch,
    Observe,
    Receive,
    Report,
    Send,
    Sleep,
    Steps,
    Text,
)
from ._protocol import TaskRecord
from ._socket import AsyncChannel, SyncChannel
from ._wire import ApiRequest, Exchange

__all__ = ["AsyncDriver", "Observer", "SyncDriver", "Timeouts"]

if TYPE_CHECKING:
    import asyncio

T = TypeVar("T")
S = TypeVar("S")
log = logging.getLogger("wiro_client")

Observer = Callable[[TaskRecord, bool], Any]
"""Called with each fresh look at a task and whether its status changed."""


class Timeouts:
    """Per-request timeouts, cut so that an exchange ends by the caller's deadline."""

    def __init__(
        self,
        connect: float = C.CONNECT_TIMEOUT,
        read: float = C.READ_TIMEOUT,
        write: float = C.WRITE_TIMEOUT,
        pool: float = C.POOL_TIMEOUT,
    ) -> None:
        self.connect = connect
        self.read = read
        self.write = write
        self.pool = pool

    @classmethod
    def of(cls, value: float | httpx.Timeout | Timeouts | None) -> Timeouts:
        if value is None:
            return cls()
        if isinstance(value, Timeouts):
            return value
        if isinstance(value, httpx.Timeout):
            return cls(
                value.connect or C.CONNECT_TIMEOUT,
                value.read or C.READ_TIMEOUT,
                value.write or C.WRITE_TIMEOUT,
                value.pool or C.POOL_TIMEOUT,
            )
        return cls(float(value), float(value), float(value), float(value))

    def cut(self, remaining: float | None) -> httpx.Timeout:
        def f(x: float) -> float:
            return x if remaining is None else max(min(x, remaining), 0.001)

        return httpx.Timeout(
            connect=f(self.connect),
            read=f(self.read),
            write=f(self.write),
            pool=f(self.pool),
        )

    def __repr__(self) -> str:
        return (
            f"Timeouts(connect={self.connect}, read={self.read}, write={self.write}, "
            f"pool={self.pool})"
        )


def _failure(exc: Exception) -> Exchange:
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError | httpx.PoolTimeout):
        # Nothing was written: no connection existed, or none was free.
        return Exchange(failure="connect", reached=False, detail=detail)
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return Exchange(failure="local", reached=False, detail=detail)
    if isinstance(exc, httpx.TimeoutException):
        return Exchange(failure="timeout", detail=detail)
    if isinstance(exc, OSError):
        return Exchange(failure="local", reached=False, detail=detail)
    return Exchange(failure="network", detail=detail)


_NETWORK_ERRORS = (httpx.TransportError, httpx.InvalidURL, OSError)


def _close_all(channels: list[SyncChannel]) -> None:
    """Close every socket a lifecycle opened, however it ended (closing twice is harmless)."""
    for channel in channels:
        channel.close()


async def _aclose_all(channels: list[AsyncChannel]) -> None:
    for channel in channels:
        await channel.close()


_SLOTS: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()
_SLOTS_LOCK = threading.Lock()


def _shared_slots(http: Any, make: Callable[[], S]) -> S:
    """The slots of one httpx client, shared by every client built on it (``with_options``
    copies share the connection pool, so they must share the bound too)."""
    with _SLOTS_LOCK:
        slots: S | None = _SLOTS.get(http)
        if slots is None:
            slots = _SLOTS[http] = make()
        return slots


class _Base:
    def __init__(
        self,
        base_url: str,
        signer: Signer,
        clock: Clock,
        timeouts: Timeouts,
        max_in_flight: int = C.MAX_CONNECTIONS,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.signer = signer
        self.clock = clock
        self.timeouts = timeouts
        # Requests wait for a slot here, not in httpx's pool: its pool times out a queued
        # request (PoolTimeout) and re-scans every queued request on every event, so a
        # thousand concurrent tasks cost quadratic time there. One slot per pooled connection.
        self.max_in_flight = max_in_flight

    def _slot_wait(self, deadline: float | None) -> float | None:
        """How long a request may wait for a slot: until its deadline, or as long as it takes."""
        return None if deadline is None else max(0.0, deadline - self.clock.now())

    @staticmethod
    def _no_slot() -> Exchange:
        # Nothing was sent: safe to retry, even a Run.
        return Exchange(
            failure="connect",
            reached=False,
            detail="no free connection before the deadline",
        )

    def _timeout(self, deadline: float | None) -> httpx.Timeout:
        remaining = None if deadline is None else deadline - self.clock.now()
        return self.timeouts.cut(remaining)

    def _url(self, request: ApiRequest) -> str:
        return f"{self.base_url}/{request.path}"

    @staticmethod
    def _body(request: ApiRequest, stack: ExitStack) -> dict[str, Any]:
        if not request.uploads:
            return {"json": dict(request.fields)}
        files = []
        for upload in request.uploads:
            data: Any = upload.data
            if not isinstance(data, bytes):
                data = stack.enter_context(open(data, "rb"))  # noqa: SIM115
            files.append((upload.field, (upload.filename, data, upload.content_type)))
        # A list goes as repeated fields (model-parameters.md: combinefileinput).
        data = {
            k: [str(x) for x in v] if isinstance(v, list) else str(v)
            for k, v in request.fields.items()
        }
        return {"data": data, "files": files}

    @staticmethod
    def _answer(response: httpx.Response, started: float) -> Exchange:
        return Exchange(
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=response.content,
            received=len(response.content),
            elapsed=time.monotonic() - started,
        )

    @staticmethod
    def _log(request: ApiRequest, exchange: Exchange) -> None:
        if exchange.failure:
            log.debug("%s %s failed: %s", request.method, request.path, exchange.detail)
        else:
            log.debug(
                "%s %s -> %d (%.0f ms)",
                request.method,
                request.path,
                exchange.status,
                exchange.elapsed * 1000,
            )


class SyncDriver(_Base):
    """Executes effects with an ``httpx.Client`` and ``clock.sleep``."""

    def __init__(
        self,
        http: httpx.Client,
        base_url: str,
        signer: Signer,
        clock: Clock,
        timeouts: Timeouts,
        max_in_flight: int = C.MAX_CONNECTIONS,
    ) -> None:
        super().__init__(base_url, signer, clock, timeouts, max_in_flight)
        self.http = http
        self._slots = _shared_slots(
            http, lambda: threading.BoundedSemaphore(self.max_in_flight)
        )

    def run(self, steps: Steps[T], observe: Observer | None = None) -> T:
        """Drive ``steps`` to its end; its return value."""
        value: Any = None
        channels: list[SyncChannel] = []
        try:
            while True:
                try:
                    effect = steps.send(value)
                except StopIteration as stop:
                    result: T = stop.value
                    return result
                value = None
                if isinstance(effect, Observe):
                    if observe is not None:
                        observe(effect.record, effect.changed)
                elif not isinstance(effect, Text):
                    value = self.perform(effect, channels)
        finally:
            _close_all(channels)

    def iterate(
        self, steps: Steps[Any], observe: Observer | None = None
    ) -> Iterator[Report]:
        """Drive ``steps``, yielding each report (a look at the task, streamed text)."""
        value: Any = None
        channels: list[SyncChannel] = []
        try:
            while True:
                try:
                    effect = steps.send(value)
                except StopIteration:
                    return
                value = None
                if isinstance(effect, Observe):
                    if observe is not None:
                        observe(effect.record, effect.changed)
                    yield effect
                elif isinstance(effect, Text):
                    yield effect
                else:
                    value = self.perform(effect, channels)
        finally:
            _close_all(channels)

    @property
    def can_listen(self) -> bool:
        """Whether tasks can be followed on a socket (the library is installed)."""
        from ._socket import available

        return available()

    def perform(
        self,
        effect: Send | Fetch | Sleep | Connect | Receive | Disconnect,
        channels: list[SyncChannel] | None = None,
    ) -> Any:
        if isinstance(effect, Sleep):
            self.clock.sleep(effect.seconds)
            return None
        if isinstance(effect, Connect):
            try:
                channel = SyncChannel(
                    effect.url, effect.register, self.timeouts.connect
                )
            except Exception as exc:  # any failure to open means: poll instead
                return f"{type(exc).__name__}: {exc}"
            if channels is not None:
                channels.append(channel)
            return channel
        if isinstance(effect, Receive):
            seconds = None if effect.until is None else effect.until - self.clock.now()
            return effect.channel.receive(self.clock, seconds)
        if isinstance(effect, Disconnect):
            effect.channel.close()
            return None
        if not self._slots.acquire(timeout=self._slot_wait(effect.deadline)):
            return self._no_slot()
        try:
            return (
                self._fetch(effect) if isinstance(effect, Fetch) else self._send(effect)
            )
        finally:
            self._slots.release()

    def _send(self, effect: Send) -> Exchange:
        request = effect.request
        started = time.monotonic()
        headers: dict[str, str] | None = None
        try:
            with ExitStack() as stack:
                body = self._body(request, stack)
                headers = {"accept": "application/json", **self.signer.headers()}
                response = self.http.request(
                    request.method,
                    self._url(request),
                    headers=headers,
                    timeout=self._timeout(effect.deadline),
                    **body,
                )
            exchange = self._answer(response, started)
        except _NETWORK_ERRORS as exc:
            exchange = _failure(exc)
        finally:
            headers = None  # the signed headers leave no trace in this frame
        self._log(request, exchange)
        return exchange

    def _fetch(self, effect: Fetch) -> Exchange:
        started = time.monotonic()
        try:
            with self.http.stream(
                "GET",
                effect.url,
                timeout=self._timeout(effect.deadline),
                follow_redirects=True,
            ) as response:
                if not 200 <= response.status_code < 300:
                    response.read()
                    return self._answer(response, started)
                received = 0
                with open(effect.dest, "wb") as out:
                    for chunk in response.iter_bytes(C.DOWNLOAD_CHUNK):
                        out.write(chunk)
                        received += len(chunk)
                return Exchange(
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    received=received,
                    elapsed=time.monotonic() - started,
                )
        except _NETWORK_ERRORS as exc:
            return _failure(exc)


class AsyncDriver(_Base):
    """Executes effects with an ``httpx.AsyncClient`` and ``await clock.sleep_async``."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        signer: Signer,
        clock: Clock,
        timeouts: Timeouts,
        max_in_flight: int = C.MAX_CONNECTIONS,
    ) -> None:
        super().__init__(base_url, signer, clock, timeouts, max_in_flight)
        self.http = http
        # Made in the event loop that first uses it (a semaphore belongs to one loop).
        self._slots: asyncio.Semaphore | None = None

    async def run(
        self,
        steps: Steps[T],
        observe: Callable[[TaskRecord, bool], Awaitable[Any] | Any] | None = None,
    ) -> T:
        value: Any = None
        channels: list[AsyncChannel] = []
        try:
            while True:
                try:
                    effect = steps.send(value)
                except StopIteration as stop:
                    result: T = stop.value
                    return result
                value = None
                if isinstance(effect, Observe):
                    if observe is not None:
                        outcome = observe(effect.record, effect.changed)
                        if inspect.isawaitable(outcome):
                            await outcome
                elif not isinstance(effect, Text):
                    value = await self.perform(effect, channels)
        finally:
            await _aclose_all(channels)

    async def iterate(
        self,
        steps: Steps[Any],
        observe: Callable[[TaskRecord, bool], Awaitable[Any] | Any] | None = None,
    ) -> AsyncIterator[Report]:
        value: Any = None
        channels: list[AsyncChannel] = []
        try:
            while True:
                try:
                    effect = steps.send(value)
                except StopIteration:
                    return
                value = None
                if isinstance(effect, Observe):
                    if observe is not None:
                        outcome = observe(effect.record, effect.changed)
                        if inspect.isawaitable(outcome):
                            await outcome
                    yield effect
                elif isinstance(effect, Text):
                    yield effect
                else:
                    value = await self.perform(effect, channels)
        finally:
            await _aclose_all(channels)

    @property
    def can_listen(self) -> bool:
        from ._socket import available

        return available()

    async def perform(
        self,
        effect: Send | Fetch | Sleep | Connect | Receive | Disconnect,
        channels: list[AsyncChannel] | None = None,
    ) -> Any:
        if isinstance(effect, Sleep):
            await self.clock.sleep_async(effect.seconds)
            return None
        if isinstance(effect, Connect):
            try:
                channel = await AsyncChannel.open(
                    effect.url, effect.register, self.timeouts.connect
                )
            except Exception as exc:  # any failure to open means: poll instead
                return f"{type(exc).__name__}: {exc}"
            if channels is not None:
                channels.append(channel)
            return channel
        if isinstance(effect, Receive):
            seconds = None if effect.until is None else effect.until - self.clock.now()
            return await effect.channel.receive(self.clock, seconds)
        if isinstance(effect, Disconnect):
            await effect.channel.close()
            return None
        import asyncio  # only AsyncWiro needs it; `import wiro_client` stays cheap

        if self._slots is None:
            self._slots = _shared_slots(
                self.http, lambda: asyncio.Semaphore(self.max_in_flight)
            )
        try:
            # A slot granted as the timeout fires is given back by Semaphore.acquire itself.
            async with asyncio.timeout(self._slot_wait(effect.deadline)):
                await self._slots.acquire()
        except TimeoutError:
            return self._no_slot()
        try:
            if isinstance(effect, Fetch):
                return await self._fetch(effect)
            return await self._send(effect)
        finally:
            self._slots.release()

    async def _send(self, effect: Send) -> Exchange:
        request = effect.request
        started = time.monotonic()
        headers: dict[str, str] | None = None
        try:
            with ExitStack() as stack:
                body = self._body(request, stack)
                headers = {"accept": "application/json", **self.signer.headers()}
                response = await self.http.request(
                    request.method,
                    self._url(request),
                    headers=headers,
                    timeout=self._timeout(effect.deadline),
                    **body,
                )
            exchange = self._answer(response, started)
        except _NETWORK_ERRORS as exc:
            exchange = _failure(exc)
        finally:
            headers = None  # the signed headers leave no trace in this frame
        self._log(request, exchange)
        return exchange

    async def _fetch(self, effect: Fetch) -> Exchange:
        started = time.monotonic()
        try:
            async with self.http.stream(
                "GET",
                effect.url,
                timeout=self._timeout(effect.deadline),
                follow_redirects=True,
            ) as response:
                if not 200 <= response.status_code < 300:
                    await response.aread()
                    return self._answer(response, started)
                received = 0
                with open(effect.dest, "wb") as out:
                    async for chunk in response.aiter_bytes(C.DOWNLOAD_CHUNK):
                        out.write(chunk)
                        received += len(chunk)
                return Exchange(
                    status=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    received=received,
                    elapsed=time.monotonic() - started,
                )
        except _NETWORK_ERRORS as exc:
            return _failure(exc)
