"""Time at the edge: the lifecycle reads and spends time only through a :class:`Clock`.

Tests and :mod:`wiro_client.testing` pass a virtual clock, so a ten-minute polling schedule
runs in milliseconds and its every step can be asserted.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

if TYPE_CHECKING:
    import asyncio

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock", "wait_for", "wait_for_async"]


@runtime_checkable
class Clock(Protocol):
    """What the runtime needs of time."""

    def now(self) -> float:
        """Monotonic seconds: deadlines and poll schedules."""
        ...

    def time(self) -> float:
        """Unix seconds: compared with the times Wiro reports."""
        ...

    def sleep(self, seconds: float) -> None:
        """Block this thread for ``seconds``."""
        ...

    async def sleep_async(self, seconds: float) -> None:
        """Suspend this coroutine for ``seconds``."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    async def sleep_async(self, seconds: float) -> None:
        import asyncio  # not at import time: sync users never pay for it

        await asyncio.sleep(max(seconds, 0.0))

    def __repr__(self) -> str:
        return "SystemClock()"


SYSTEM_CLOCK = SystemClock()


def wait_for(clock: Clock, ready: threading.Event, seconds: float | None) -> None:
    """Block until ``ready`` is set or ``seconds`` of ``clock`` time pass (None: no limit).

    A clock may offer ``wait(ready, seconds)`` (the testing clocks do, so that a socket's
    silence passes in virtual time); any other clock counts real seconds.
    """
    wait: Any = getattr(clock, "wait", None)
    if wait is not None:
        wait(ready, seconds)
    else:
        ready.wait(seconds)


async def wait_for_async(
    clock: Clock, ready: asyncio.Event, seconds: float | None
) -> None:
    """:func:`wait_for` for a coroutine (the clock may offer ``wait_async``)."""
    import asyncio

    wait: Any = getattr(clock, "wait_async", None)
    if wait is not None:
        await wait(ready, seconds)
        return
    try:
        async with asyncio.timeout(seconds):
            await ready.wait()
    except TimeoutError:
        pass
