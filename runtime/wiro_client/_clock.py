"""Time at the edge: the lifecycle reads and spends time only through a :class:`Clock`.

Tests and :mod:`wiro_client.testing` pass a virtual clock, so a ten-minute polling schedule
runs in milliseconds and its every step can be asserted.
"""

from __future__ import annotations

import time
from typing import Protocol, runtime_checkable

__all__ = ["SYSTEM_CLOCK", "Clock", "SystemClock"]


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
