"""Clocks for tests: virtual time that jumps, and real time sped up.

Give the same clock to :class:`~wiro_client.testing.FakeWiro` and to the client (the fake's
``client()`` does): tasks then progress on the time the client's sleeps spend.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import threading
import time
from collections.abc import Callable, Iterator

__all__ = ["ScaledClock", "VirtualClock"]

EPOCH = 1_750_000_000.0
"""Unix time at virtual zero (June 2025), so Wiro-style timestamps look real."""


class VirtualClock:
    """Virtual time: a sleep returns as soon as every sleeper is waiting, with the clock
    moved to the earliest wake-up time.

    Time jumps only when nothing is going on: no new sleeper for ``quiet`` real seconds, no
    request being served by a fake (:meth:`busy`), and every sleeper woken by the last jump
    asleep again (or ``hold`` real seconds gone by: it may have finished). Concurrent
    clients and the fake therefore see one consistent timeline, and a lone client's
    ten-minute schedule runs in milliseconds with each sleep ending exactly on time. With
    many sleepers, one jump wakes all those due within ``granularity`` seconds of the
    earliest (none early, none later than that), so hundreds of concurrent clients do not
    advance one by one. ``advance()`` moves time by hand.
    """

    def __init__(
        self,
        *,
        start: float = EPOCH,
        quiet: float = 0.0005,
        granularity: float = 0.25,
        hold: float = 0.05,
    ) -> None:
        self._epoch = start
        self._now = 0.0
        self._quiet = quiet
        self._granularity = granularity
        self._hold = hold
        self._cond = threading.Condition()
        self._sleepers: list[tuple[float, int, Callable[[], None], int]] = []
        self._order = itertools.count()
        self._activity = 0
        self._busy = 0
        self._awake: dict[int, float] = {}
        """Sleepers woken by a jump and not asleep again: actor -> real-time expiry."""
        self._thread: threading.Thread | None = None

    def now(self) -> float:
        return self._now

    def time(self) -> float:
        return self._epoch + self._now

    def advance(self, seconds: float) -> None:
        """Move time forward by hand, waking the sleepers it passes."""
        with self._cond:
            self._now += max(seconds, 0.0)
            self._wake_due()
            self._activity += 1
            self._cond.notify_all()

    def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        woken = threading.Event()
        self._register(seconds, woken.set, threading.get_ident())
        woken.wait()

    def wait(self, ready: threading.Event, seconds: float | None) -> None:
        """Block until ``ready`` is set (by another thread) or ``seconds`` of virtual time
        pass; the clock sets ``ready`` itself when the time comes. A waiter woken early
        counts as awake, so time does not jump before it has acted."""
        if ready.is_set() or (seconds is not None and seconds <= 0):
            return
        actor = threading.get_ident()
        if seconds is None:
            ready.wait()
            self._withdraw(None, actor)
            return
        order = self._register(seconds, ready.set, actor)
        ready.wait()
        self._withdraw(order, actor)

    async def wait_async(self, ready: asyncio.Event, seconds: float | None) -> None:
        """:meth:`wait` for a coroutine: ``ready`` is an ``asyncio.Event``."""
        if ready.is_set() or (seconds is not None and seconds <= 0):
            return
        actor = id(asyncio.current_task())
        if seconds is None:
            await ready.wait()
            self._withdraw(None, actor)
            return
        loop = asyncio.get_running_loop()

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(ready.set)

        order = self._register(seconds, wake, actor)
        await ready.wait()
        self._withdraw(order, actor)

    async def sleep_async(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()

        def resolve() -> None:
            if not future.done():
                future.set_result(None)

        def wake() -> None:
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile
                loop.call_soon_threadsafe(resolve)

        self._register(seconds, wake, id(asyncio.current_task()))
        await future

    @contextlib.contextmanager
    def busy(self) -> Iterator[None]:
        """Hold time still while something is being worked on (a request being served)."""
        with self._cond:
            self._busy += 1
            self._activity += 1
        try:
            yield
        finally:
            with self._cond:
                self._busy -= 1
                self._activity += 1
                self._cond.notify_all()

    @contextlib.contextmanager
    def idle(self) -> Iterator[None]:
        """Inside :meth:`busy`: let time move while this thread waits."""
        with self._cond:
            self._busy -= 1
            self._activity += 1
            self._cond.notify_all()
        try:
            yield
        finally:
            with self._cond:
                self._busy += 1
                self._activity += 1

    def _register(self, seconds: float, wake: Callable[[], None], actor: int) -> int:
        with self._cond:
            self._awake.pop(actor, None)
            order = next(self._order)
            heapq.heappush(self._sleepers, (self._now + seconds, order, wake, actor))
            self._activity += 1
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._advance_loop, name="VirtualClock", daemon=True
                )
                self._thread.start()
            self._cond.notify_all()
            return order

    def _withdraw(self, order: int | None, actor: int) -> None:
        """Forget a sleeper woken early (if it is still waiting to be woken) and count its
        actor as awake until it sleeps again."""
        with self._cond:
            if order is not None:
                kept = [s for s in self._sleepers if s[1] != order]
                if len(kept) != len(self._sleepers):
                    self._sleepers = kept
                    heapq.heapify(self._sleepers)
            self._awake[actor] = time.monotonic() + self._hold
            self._activity += 1
            self._cond.notify_all()

    def _wake_due(self) -> None:
        expiry = time.monotonic() + self._hold
        while self._sleepers and self._sleepers[0][0] <= self._now:
            _, _, wake, actor = heapq.heappop(self._sleepers)
            self._awake[actor] = expiry
            wake()

    def _still_awake(self) -> float:
        """Real seconds until the last woken sleeper's hold expires (0: none awake)."""
        now = time.monotonic()
        for actor in [a for a, until in self._awake.items() if until <= now]:
            del self._awake[actor]
        return max(self._awake.values(), default=now) - now

    def _advance_loop(self) -> None:
        with self._cond:
            while True:
                if not self._sleepers:
                    self._cond.wait()
                    continue
                stamp = self._activity
                self._cond.wait(timeout=max(self._quiet, self._still_awake()))
                if (
                    self._activity != stamp
                    or self._busy
                    or not self._sleepers
                    or self._still_awake() > 0
                ):
                    continue
                horizon = self._sleepers[0][0] + self._granularity
                target = max(t for t, _, _, _ in self._sleepers if t <= horizon)
                self._now = max(self._now, target)
                self._wake_due()
                self._activity += 1

    def __repr__(self) -> str:
        return f"VirtualClock(now={self._now:.3f})"


class ScaledClock:
    """Real time, ``speed`` times faster: a 6 s task takes 0.6 s at speed 10."""

    def __init__(self, speed: float = 10.0, *, start: float | None = None) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._origin = time.monotonic()
        self._epoch = time.time() if start is None else start

    def now(self) -> float:
        return (time.monotonic() - self._origin) * self.speed

    def time(self) -> float:
        return self._epoch + self.now()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds / self.speed)

    async def sleep_async(self, seconds: float) -> None:
        await asyncio.sleep(max(seconds, 0.0) / self.speed)

    def wait(self, ready: threading.Event, seconds: float | None) -> None:
        ready.wait(None if seconds is None else max(seconds, 0.0) / self.speed)

    async def wait_async(self, ready: asyncio.Event, seconds: float | None) -> None:
        try:
            async with asyncio.timeout(
                None if seconds is None else max(seconds, 0.0) / self.speed
            ):
                await ready.wait()
        except TimeoutError:
            pass

    def __repr__(self) -> str:
        return f"ScaledClock(speed={self.speed})"
