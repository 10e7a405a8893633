"""The two thin drivers that execute the lifecycle's effects: one sync, one async.

They are the only code that talks to the network or sleeps. Each exchange is signed right
before it is sent (a fresh nonce per attempt, after any wait); whatever goes wrong in it
(the network, an undecodable or oversized answer, a value no body can carry) comes back as
data (:class:`Exchange`), never as an exception, so no frame that held the signed headers is
part of any traceback this package raises. Each exchange ends by its deadline: its sockets
wait no longer than what is left of it, read on the lifecycle's clock (:mod:`._deadline`);
its body is stopped at its size limit as it arrives; API requests never follow redirects.
"""

from __future__ import annotations

import contextlib
import inspect
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import ExitStack
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TypeVar

import httpx

from . import _constants as C
from ._auth import Signer
from ._clock import Clock
from ._deadline import Expired, bounded
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
from ._wire import (
    ACCEPT_ENCODING,
    ApiRequest,
    BodyDecoder,
    BodyTooLarge,
    Exchange,
    Undecodable,
    encode_json,
    form_text,
)

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


class _DiskError(Exception):
    """A download could not be written here (the network is not at fault)."""


def _failure(exc: Exception, sent: bool) -> Exchange:
    """How an exchange failed, as data: the exception (and every frame of it that held the
    signed headers) goes no further. ``sent``: the request was handed to the connection.
    """
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    detail = detail[:500]
    if not sent:
        # Building the request failed (a vanished upload, a value no body can carry).
        return Exchange(failure="local", reached=False, detail=detail)
    if isinstance(exc, Expired):
        return Exchange(failure="timeout", detail="the deadline passed mid-answer")
    if isinstance(exc, BodyTooLarge):
        return Exchange(failure="too_large", detail=str(exc))
    if isinstance(exc, _DiskError):
        return Exchange(failure="disk", reached=False, detail=str(exc))
    if isinstance(exc, Undecodable | httpx.DecodingError):
        return Exchange(failure="network", detail=f"undecodable answer: {detail}")
    if isinstance(exc, httpx.TooManyRedirects):
        return Exchange(failure="redirects", detail=detail)
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError | httpx.PoolTimeout):
        # Nothing was written: no connection existed, or none was free.
        return Exchange(failure="connect", reached=False, detail=detail)
    if isinstance(
        exc, httpx.UnsupportedProtocol | httpx.InvalidURL | httpx.LocalProtocolError
    ):
        # Refused before a byte left: a URL this client cannot fetch, a header h11 will
        # not write.
        return Exchange(failure="local", reached=False, detail=detail)
    if isinstance(exc, httpx.TimeoutException | TimeoutError):
        return Exchange(failure="timeout", detail=detail)
    # The connection broke, or the server's answer broke HTTP (or anything else once the
    # request may have left: a Run is then never sent again).
    return Exchange(failure="network", detail=detail)


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

    def _left(self, deadline: float | None) -> float | None:
        """Seconds until ``deadline`` on the clock (None: no deadline)."""
        return None if deadline is None else deadline - self.clock.now()

    def _timeout(self, deadline: float | None) -> httpx.Timeout:
        return self.timeouts.cut(self._left(deadline))

    def _url(self, request: ApiRequest) -> str:
        return f"{self.base_url}/{request.path}"

    @staticmethod
    def _body(request: ApiRequest, stack: ExitStack) -> dict[str, Any]:
        if not request.uploads:
            # Encoded here, before any header is signed: a value JSON cannot carry fails
            # as "never sent".
            return {"content": encode_json(request.fields)}
        files = []
        for upload in request.uploads:
            data: Any = upload.data
            if not isinstance(data, bytes):
                data = stack.enter_context(open(data, "rb"))  # noqa: SIM115
            files.append((upload.field, (upload.filename, data, upload.content_type)))
        # A list goes as repeated fields (model-parameters.md: combinefileinput).
        data = {
            k: [form_text(x) for x in v] if isinstance(v, list) else form_text(v)
            for k, v in request.fields.items()
        }
        return {"data": data, "files": files}

    def _api_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        effect: Send,
        body: dict[str, Any],
        auth: dict[str, str],
    ) -> httpx.Request:
        request = effect.request
        headers = {"accept": "application/json", "accept-encoding": ACCEPT_ENCODING}
        if "content" in body:
            headers["content-type"] = "application/json"
        return http.build_request(
            request.method,
            self._url(request),
            headers={**headers, **auth},
            timeout=self._timeout(effect.deadline),
            **body,
        )

    def _download_request(
        self, http: httpx.Client | httpx.AsyncClient, effect: Fetch
    ) -> httpx.Request:
        # No credential: only what it accepts (redirects are followed when it is sent).
        return http.build_request(
            "GET",
            effect.url,
            headers={"accept-encoding": ACCEPT_ENCODING},
            timeout=self._timeout(effect.deadline),
        )

    def _reception(
        self, response: httpx.Response, effect: Send | Fetch, out: IO[bytes] | None
    ) -> _Reception:
        if not 200 <= response.status_code < 300:
            # An error answer is read for what it says, as far as its limit: no more.
            limit = C.ERROR_BODY_MAX if isinstance(effect, Fetch) else effect.max_bytes
            return _Reception(
                response, limit, effect.deadline, self.clock, lenient=True
            )
        growth = effect.growth if isinstance(effect, Fetch) else None
        return _Reception(
            response, effect.max_bytes, effect.deadline, self.clock, growth, out
        )

    def _failed(
        self, exc: Exception, sent: bool, auth: dict[str, str] | None
    ) -> Exchange:
        exchange = _failure(exc, sent)
        detail = self.signer.scrub(exchange.detail, (auth or {}).values())
        return replace(exchange, detail=detail)

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


class _Reception:
    """One answer's body as it arrives: decoded, stopped at its size limit and at its
    deadline (read on the lifecycle's clock after every chunk), kept in memory or written
    to ``out``. ``lenient`` (error answers): a body past its limit or undecodable is cut
    where it stopped, not failed."""

    def __init__(
        self,
        response: httpx.Response,
        limit: int,
        deadline: float | None,
        clock: Clock,
        growth: int | None = None,
        out: IO[bytes] | None = None,
        *,
        lenient: bool = False,
    ) -> None:
        self.response = response
        self.deadline = deadline
        self.clock = clock
        self.out = out
        self.lenient = lenient
        self.chunks: list[bytes] = []
        self.cut = False
        encoding = response.headers.get("content-encoding")
        try:
            self.decoder = BodyDecoder(encoding, limit, growth=growth)
        except Undecodable:
            if not lenient:
                raise
            self.decoder = BodyDecoder(None, limit)

    def take(self, raw: bytes) -> bool:
        """Take the next chunk as it came; False once reading should stop."""
        try:
            data = self.decoder.feed(raw)
        except (BodyTooLarge, Undecodable):
            if not self.lenient:
                raise
            self.cut = True
            return False
        if self.out is None:
            self.chunks.append(data)
        else:
            try:
                self.out.write(data)
            except OSError as exc:
                raise _DiskError(f"writing failed: {exc.strerror or exc}") from None
        if self.deadline is not None and self.clock.now() >= self.deadline:
            raise Expired("the deadline passed mid-answer")
        return True

    def exchange(self, started: float) -> Exchange:
        """The whole answer, once its body ended."""
        if not self.cut:
            try:
                self.decoder.end()
            except Undecodable:
                if not self.lenient:
                    raise
        response = self.response
        body = b"".join(self.chunks)
        return Exchange(
            status=response.status_code,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=body,
            received=self.decoder.size,
            elapsed=time.monotonic() - started,
        )


@contextlib.contextmanager
def _created(path: Path) -> Iterator[IO[bytes]]:
    """A new file (never an existing one, nor through a planted link); a failure of this
    disk is a _DiskError, never mistaken for the network's."""
    try:
        path.unlink(missing_ok=True)  # an earlier attempt's copy
        out = open(path, "xb")  # noqa: SIM115
    except OSError as exc:
        raise _DiskError(f"cannot create the file: {exc.strerror or exc}") from None
    try:
        yield out
    finally:
        try:
            out.close()
        except OSError as exc:
            raise _DiskError(f"writing failed: {exc.strerror or exc}") from None


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
        started = time.monotonic()
        auth: dict[str, str] | None = None
        body: dict[str, Any] | None = None
        sent = False
        try:
            with bounded(self.clock, effect.deadline), ExitStack() as stack:
                body = self._body(effect.request, stack)
                auth = self.signer.headers()
                outgoing = self._api_request(self.http, effect, body, auth)
                sent = True
                response = self.http.send(outgoing, stream=True, follow_redirects=False)
                with contextlib.closing(response):
                    reception = self._reception(response, effect, None)
                    for raw in response.iter_raw():
                        if not reception.take(raw):
                            break
                    exchange = reception.exchange(started)
        except Exception as exc:
            exchange = self._failed(exc, sent, auth)
        except BaseException as exc:
            # Interrupted (Ctrl-C): the frames below this one held the signed headers.
            auth = body = outgoing = None
            raise exc.with_traceback(None) from None
        finally:
            auth = body = outgoing = None  # no frame keeps the signed headers
        self._log(effect.request, exchange)
        return exchange

    def _fetch(self, effect: Fetch) -> Exchange:
        started = time.monotonic()
        sent = False
        try:
            with bounded(self.clock, effect.deadline), ExitStack() as stack:
                outgoing = self._download_request(self.http, effect)
                sent = True
                response = self.http.send(outgoing, stream=True, follow_redirects=True)
                stack.enter_context(contextlib.closing(response))
                ok = 200 <= response.status_code < 300
                out = stack.enter_context(_created(effect.dest)) if ok else None
                reception = self._reception(response, effect, out)
                for raw in response.iter_raw():
                    if not reception.take(raw):
                        break
                return reception.exchange(started)
        except Exception as exc:
            return _failure(exc, sent)


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
        import asyncio

        started = time.monotonic()
        auth: dict[str, str] | None = None
        body: dict[str, Any] | None = None
        sent = False
        try:
            # The sockets are bound by the deadline (a virtual clock's too); this bounds the
            # whole exchange in real time as well, whatever httpx client was passed.
            async with asyncio.timeout(self._left(effect.deadline)):
                with bounded(self.clock, effect.deadline), ExitStack() as stack:
                    body = self._body(effect.request, stack)
                    auth = self.signer.headers()
                    outgoing = self._api_request(self.http, effect, body, auth)
                    sent = True
                    response = await self.http.send(
                        outgoing, stream=True, follow_redirects=False
                    )
                    try:
                        reception = self._reception(response, effect, None)
                        async for raw in response.aiter_raw():
                            if not reception.take(raw):
                                break
                        exchange = reception.exchange(started)
                    finally:
                        await response.aclose()
        except Exception as exc:
            exchange = self._failed(exc, sent, auth)
        except BaseException as exc:
            # Cancelled or interrupted: the frames below this one held the signed headers.
            auth = body = outgoing = None
            raise exc.with_traceback(None) from None
        finally:
            auth = body = outgoing = None  # no frame keeps the signed headers
        self._log(effect.request, exchange)
        return exchange

    async def _fetch(self, effect: Fetch) -> Exchange:
        import asyncio

        started = time.monotonic()
        sent = False
        try:
            async with asyncio.timeout(self._left(effect.deadline)):
                with bounded(self.clock, effect.deadline), ExitStack() as stack:
                    outgoing = self._download_request(self.http, effect)
                    sent = True
                    response = await self.http.send(
                        outgoing, stream=True, follow_redirects=True
                    )
                    try:
                        ok = 200 <= response.status_code < 300
                        out = stack.enter_context(_created(effect.dest)) if ok else None
                        reception = self._reception(response, effect, out)
                        async for raw in response.aiter_raw():
                            if not reception.take(raw):
                                break
                        return reception.exchange(started)
                    finally:
                        await response.aclose()
        except Exception as exc:
            return _failure(exc, sent)
