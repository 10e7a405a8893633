"""Fixtures of the runtime tests: a FakeWiro on virtual time, and clients of both kinds.

Each behaviour is written once and runs twice, through ``Wiro`` and through ``AsyncWiro``:
the ``api`` fixture calls the real method of either client and resolves what it returns
(``api(client.run(...))``: a value for ``Wiro``, an awaited coroutine for ``AsyncWiro``).
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from wiro_client import AsyncWiro, Wiro
from wiro_client.testing import FakeWiro

IMAGE = "https://cdn.example.com/portrait.png"
"""A URL input: FakeWiro never fetches it."""


class Api:
    """One client (sync or async) and the means to call it the same way."""

    def __init__(
        self, mode: str, client: Wiro | AsyncWiro, loop: asyncio.AbstractEventLoop | None
    ) -> None:
        self.mode = mode
        self.client: Any = client
        self._loop = loop

    @property
    def is_async(self) -> bool:
        return self.mode == "async"

    def __call__(self, value: Any) -> Any:
        """The value of a call: awaited when the client is async."""
        if inspect.isawaitable(value):
            assert self._loop is not None
            return self._loop.run_until_complete(value)
        return value

    def collect(self, iterator: Any) -> list[Any]:
        """All items of ``task.watch()`` (an iterator or an async iterator)."""
        if hasattr(iterator, "__aiter__"):

            async def drain() -> list[Any]:
                return [item async for item in iterator]

            return self(drain())
        return list(iterator)

    def run(
        self, model: str = "wiro/instant-id", inputs: dict[str, Any] | None = None, **kw: Any
    ) -> Any:
        """Start a task (instant-id from a URL by default)."""
        return self(
            self.client.run(model, inputs if inputs is not None else {"inputImageUrl": IMAGE}, **kw)
        )


@pytest.fixture
def fake() -> Iterator[FakeWiro]:
    with FakeWiro() as server:
        yield server


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def connect(mode: str) -> Iterator[Callable[..., Api]]:
    """``connect(fake, **options)``: an :class:`Api` for ``fake`` in this test's mode."""
    loop = asyncio.new_event_loop() if mode == "async" else None
    made: list[Any] = []

    def make(server: FakeWiro, **options: Any) -> Api:
        client = server.async_client(**options) if mode == "async" else server.client(**options)
        made.append(client)
        return Api(mode, client, loop)

    yield make
    for client in made:
        closing = client.close()
        if loop is not None and inspect.isawaitable(closing):
            loop.run_until_complete(closing)
    if loop is not None:
        loop.close()


@pytest.fixture
def api(fake: FakeWiro, connect: Callable[..., Api]) -> Api:
    """A client of ``fake``: it follows tasks on the fake's socket."""
    return connect(fake)


@pytest.fixture
def polling(fake: FakeWiro, connect: Callable[..., Api]) -> Api:
    """A client of ``fake`` without a socket: it polls Task/Detail."""
    return connect(fake, socket_url="")
