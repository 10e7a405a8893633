"""Fixtures of the hostile-server tests: a scripted server on 127.0.0.1 and a client of the
test's kind (``Wiro`` or ``AsyncWiro``) on a virtual clock, pointed at it."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import random
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from wiro_client import AsyncWiro, Wiro, errors
from wiro_client.testing import VirtualClock

from tests.runtime.conftest import Api
from tests.runtime.hostile.server import KEY, SECRET, Answer, HostileServer


class Hostile(Api):
    """A client of the test's kind, its server and its clock."""

    def __init__(
        self,
        mode: str,
        client: Wiro | AsyncWiro,
        loop: asyncio.AbstractEventLoop | None,
        server: HostileServer,
        clock: Any,
    ) -> None:
        super().__init__(mode, client, loop)
        self.server = server
        self.clock = clock

    def task(self, task_id: str = "1", token: str | None = "token-1") -> Any:
        """A handle on a task, as if a Run had answered it (no request is made)."""
        return self.client.tasks.from_dict({"task_id": task_id, "token": token})

    @contextlib.contextmanager
    def own_client(self, **http_options: Any) -> Iterator[Any]:
        """A client of this kind on the caller's own httpx client (made with
        ``http_options``), which this package did not build."""
        http = httpx.AsyncClient(**http_options) if self.is_async else httpx.Client(**http_options)
        client = type(self.client)(
            api_key=KEY,
            api_secret=SECRET,
            base_url=self.server.url,
            clock=self.clock,
            rng=random.Random(0),
            max_retries=2,
            http_client=http,
        )
        try:
            yield client
        finally:
            self(http.aclose() if self.is_async else http.close())

    def fails(self, call: Callable[[], Any], kind: type[BaseException] = errors.WiroError) -> Any:
        """The error ``call()`` raises, which must be a ``kind``."""
        with pytest.raises(kind) as caught:
            self(call())
        return caught.value


@pytest.fixture
def hostile(mode: str) -> Iterator[Callable[..., Hostile]]:
    """``hostile(answer, **options)``: a server answering with ``answer`` and a client of
    this test's mode on a fresh virtual clock (options override the client's)."""
    loop = asyncio.new_event_loop() if mode == "async" else None
    made: list[tuple[HostileServer, Any]] = []

    def make(answer: Answer, **options: Any) -> Hostile:
        server = HostileServer(answer).__enter__()
        settings: dict[str, Any] = {
            "api_key": KEY,
            "api_secret": SECRET,
            "base_url": server.url,
            "clock": VirtualClock(),
            "rng": random.Random(0),
            "max_retries": 2,
            "timeout": 5.0,
        }
        settings.update(options)
        client = AsyncWiro(**settings) if mode == "async" else Wiro(**settings)
        made.append((server, client))
        return Hostile(mode, client, loop, server, settings["clock"])

    yield make
    for server, client in made:
        closing = client.close()
        if loop is not None and inspect.isawaitable(closing):
            loop.run_until_complete(closing)
        server.__exit__()
    if loop is not None:
        loop.close()


def texts_of(exc: BaseException) -> str:
    """Everything an error reporter could record of ``exc``: its text, its repr, and its
    traceback with every frame's locals (``capture_locals=True``)."""
    parts = [str(exc), repr(exc)]
    if isinstance(exc, errors.WiroError):
        parts += [exc.body or "", repr(exc.task)]
    parts += traceback.TracebackException.from_exception(exc, capture_locals=True).format()
    return "\n".join(parts)


def leaks(text: str, server: HostileServer | None = None) -> list[str]:
    """The credentials (and, given the server, the signatures it received) in ``text``."""
    secrets = [KEY, SECRET]
    if server is not None:
        secrets += [h["x-signature"] for h in server.headers_seen() if "x-signature" in h]
    return [s for s in secrets if s in text]
