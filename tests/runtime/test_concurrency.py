"""200 tasks at once through FakeWiro with a strict nonce policy: none is lost, none doubled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from wiro_client.testing import FakeWiro, Fault, Outcome

from tests.runtime.conftest import IMAGE, Api

TASKS = 200


def test_two_hundred_concurrent_tasks_lose_none(connect: Callable[..., Api]) -> None:
    with FakeWiro(nonce_policy="unique", outcome=Outcome.success(8.0)) as fake:
        api = connect(fake)
        # Some weather on the way: transient Detail failures and a rate-limited Run.
        fake.fail("detail", Fault.http(503), Fault.http(502), on_call=150)
        fake.fail("detail", Fault.rate_limit(retry_after=3), on_call=600)
        fake.fail("run", Fault.rate_limit(retry_after=2), on_call=100)
        inputs = [{"inputImageUrl": IMAGE, "prompt": f"portrait {i}"} for i in range(TASKS)]
        items = api(api.client.run_many("wiro/instant-id", inputs, concurrency=TASKS))

        assert all(item.ok for item in items), [i.error for i in items if not i.ok][:3]
        assert len(fake.tasks) == TASKS  # every Run created exactly one task
        assert sorted(item.task.id for item in items) == sorted(fake.tasks)
        by_prompt = {fake.task(i.task.id).parameters["prompt"]: i.index for i in items}
        assert by_prompt == {f"portrait {i}": i for i in range(TASKS)}
        assert all(r.rejected is None for r in fake.requests)  # no nonce was ever reused
        nonces = [r.nonce for r in fake.requests]
        assert len(set(nonces)) == len(nonces) == len(fake.requests)
        assert fake.calls("run") == TASKS + 1


def test_requests_beyond_the_pool_wait_their_turn_in_the_client(
    connect: Callable[..., Api],
) -> None:
    # Slow answers and a pool timeout far shorter than the queue: requests queued inside
    # httpx's pool would end in PoolTimeout (and, with no retries, fail); the client's own
    # bound makes them wait for a connection instead, and never exceeds max_connections.
    with FakeWiro(outcome=Outcome.success(2.0), latency=0.02) as fake:
        api = connect(fake, max_connections=2, timeout=httpx.Timeout(5.0, pool=0.01), max_retries=0)
        inputs = [{"inputImageUrl": IMAGE} for _ in range(24)]
        items = api(api.client.run_many("wiro/instant-id", inputs, concurrency=24))

        assert all(item.ok for item in items), [i.error for i in items if not i.ok][:3]
        assert fake.calls("run") == 24
        assert fake.peak_in_flight <= 2


def test_copies_made_with_options_share_the_bound(connect: Callable[..., Api]) -> None:
    # with_options() copies share the connection pool, so they must share the bound too.
    with FakeWiro(outcome=Outcome.success(2.0), latency=0.02) as fake:
        api = connect(fake, max_connections=2, timeout=httpx.Timeout(5.0, pool=0.01), max_retries=0)
        copies = [api.client.with_options(max_retries=0) for _ in range(3)]
        request = {"inputImageUrl": IMAGE}
        if api.is_async:
            import asyncio

            async def all_runs() -> list[Any]:
                return list(
                    await asyncio.gather(*(c.run("wiro/instant-id", request) for c in copies * 4))
                )

            tasks = api(all_runs())
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(max_workers=12) as pool:
                tasks = list(pool.map(lambda c: c.run("wiro/instant-id", request), copies * 4))
        assert len(tasks) == 12 and fake.calls("run") == 12
        assert fake.peak_in_flight <= 2
