"""200 tasks at once through FakeWiro with a strict nonce policy: none is lost, none doubled."""

from __future__ import annotations

from collections.abc import Callable

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
