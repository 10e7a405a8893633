"""The lifecycle's pure parts (schedule, backoff, reconciliation) and the poll costs they give
end to end on virtual time."""

from __future__ import annotations

import dataclasses
import random

import pytest
from wiro_client import _catalogue
from wiro_client._lifecycle import Lifecycle, Policy, PollSchedule, match_run
from wiro_client._protocol import Phase, TaskPolling
from wiro_client._providers import PROVIDERS
from wiro_client.testing import FakeWiro, Outcome, VirtualClock
from wiro_client.testing.__main__ import measure

from tests.runtime.conftest import Api

WIRO = TaskPolling(PROVIDERS["wiro"])


def schedule(**hints: float) -> PollSchedule:
    return PollSchedule.for_model(Policy(), hints.get("first"), hints.get("typical"))


def test_interval_grows_from_two_to_fifteen_seconds_as_wiros_own_clients_poll() -> None:
    """Wiro-MCP src/client.ts getPollInterval (2 s, 5 s, 10 s), the SDKs' 3 s and
    concurrency-limits.md ("start at 3 seconds and increase"): never faster than 2 s."""
    s = schedule()
    assert s.first == 2.0
    at = {t: s.base_interval(t, Phase.RUNNING) for t in (0, 5, 15, 60, 120, 300, 600, 3600)}
    assert at[0] == 2.0 and at[15] == 3.0 and at[60] == 5.0
    assert at[120] == 8.0 and at[300] == 10.0 and at[600] == at[3600] == 15.0
    values = list(at.values())
    assert values == sorted(values)


def test_finishing_polls_at_the_floor_of_two_seconds() -> None:
    assert schedule().base_interval(500, Phase.FINISHING) == 2.0


def test_jitter_stays_within_ten_percent_and_above_the_floor() -> None:
    s, rng = schedule(), random.Random(1)
    draws = [s.interval(300, Phase.RUNNING, rng) for _ in range(500)]
    assert min(draws) >= 10 * 0.9 and max(draws) <= 10 * 1.1 and len(set(draws)) > 400
    early = [s.interval(0, Phase.RUNNING, rng) for _ in range(200)]
    assert min(early) >= 2.0


def test_spec_hints_seed_the_schedule() -> None:
    slow = schedule(first=10, typical=300)  # a video model
    assert slow.first == 10
    assert slow.base_interval(0, Phase.RUNNING) == pytest.approx(10.0)  # 2 s, stretched x5
    assert slow.base_interval(300, Phase.RUNNING) == 15.0  # capped
    quick = schedule(typical=6)
    assert quick.base_interval(5, Phase.RUNNING) == 2.0  # never below two seconds


def test_backoff_is_exponential_capped_and_honours_retry_after() -> None:
    life = Lifecycle(WIRO, VirtualClock(), random.Random(3))
    for attempt, nominal in enumerate([0.5, 1, 2, 4, 8, 8]):
        assert nominal / 2 <= life.backoff(attempt, None) <= nominal
    assert life.backoff(0, 7.0) == 7.0 and life.backoff(0, 3600.0) == 60.0


def test_match_run_by_model_parameters_and_time() -> None:
    def record(task_id: str, created: float, prompt: str, model: str = "wiro") -> object:
        return WIRO.record(
            {
                "id": task_id,
                "status": "task_queue",
                "createtime": str(created),
                "parameters": {"prompt": prompt, "scale": "5"},
                "modelslugowner": model,
                "modelslugproject": "instant-id",
            }
        )

    records = [
        record("1", 1000, "mine"),
        record("2", 1000, "other"),
        record("3", 500, "mine"),  # too early
        record("4", 1001, "mine", model="elsewhere"),
        record("5", 1002, "mine"),
    ]
    found = match_run(
        records,  # type: ignore[arg-type]
        model="wiro/instant-id",
        parameters={"prompt": "mine", "scale": "5.0"},
        sent_at=999.5,
    )
    assert [r.task_id for r in found] == ["1", "5"]


# --- what the schedule costs, end to end --------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "max_calls", "max_latency"),
    [(10.0, 7, 3.0), (60.0, 20, 4.5), (600.0, 76, 15.0)],
)
def test_detail_calls_and_detection_latency_when_polling(
    seconds: float, max_calls: int, max_latency: float
) -> None:
    calls, latencies = measure(seconds, runs=8, socket=False)
    assert max(calls) <= max_calls
    assert max(latencies) <= max_latency
    if seconds == 60.0:
        assert sum(latencies) / len(latencies) <= 2.0


@pytest.mark.parametrize("seconds", [10.0, 60.0, 600.0])
def test_on_the_socket_a_task_costs_at_most_three_detail_calls_and_is_seen_at_once(
    seconds: float,
) -> None:
    """websocket.md; the SDKs re-read Task/Detail once after the socket's final event."""
    calls, latencies = measure(seconds, runs=4, socket=True)
    assert max(calls) <= (3 if seconds <= 60 else 21) and max(latencies) < 0.5


def test_a_fatal_task_error_is_reported_within_seconds() -> None:
    """Wiro-MCP types.ts: task_error on Task/Detail is final, with or without the socket."""
    for socket in (True, False):
        _, latencies = measure(2.0, runs=4, socket=socket, outcome=Outcome.fatal_error)
        assert max(latencies) < 10.0


def test_a_model_spec_hint_slows_the_first_poll(
    fake: FakeWiro, polling: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = polling
    spec = _catalogue.model_spec("wiro/instant-id")
    assert spec is not None
    hinted = dataclasses.replace(spec, first_poll=10.0, typical_seconds=300.0)
    monkeypatch.setattr(_catalogue, "model_spec", lambda name: hinted)
    fake.script(Outcome.success(300.0))
    api(api.run().wait())
    run, first = fake.requests_to("run")[0], fake.requests_to("detail")[0]
    assert first.at - run.at == pytest.approx(10.0)
    assert fake.calls("detail") < 25


def test_same_schedule_in_both_clients() -> None:
    # The lifecycle is one generator: equal seeds give equal request times in either client.
    import asyncio

    def sync_times() -> list[float]:
        with FakeWiro(outcome=Outcome.success(90.0)) as fake, fake.client() as client:
            client.run("wiro/instant-id", {"inputImageUrl": "https://x/y.png"}).wait()
            return [r.at for r in fake.requests]

    async def async_times() -> list[float]:
        with FakeWiro(outcome=Outcome.success(90.0)) as fake:
            async with fake.async_client() as client:
                task = await client.run("wiro/instant-id", {"inputImageUrl": "https://x/y.png"})
                await task.wait()
            return [r.at for r in fake.requests]

    assert sync_times() == asyncio.run(async_times())
