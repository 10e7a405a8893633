"""Task handles end to end: waiting, statuses, failures, deadlines, stopping, resuming,
outputs and downloads, in sync and async form."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from wiro_client import SystemClock, errors
from wiro_client.testing import FakeWiro, Fault, Outcome, VirtualClock

from tests.runtime.conftest import Api

NOT_CANCELLABLE = "Task is not in a cancellable state."

# --- waiting and statuses ---------------------------------------------------------------------


def test_run_returns_a_handle_at_once(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    assert task.id in fake.tasks and task.token == fake.task(task.id).token
    assert fake.calls("detail") == 0 and task.status is None


def test_wait_succeeds_with_typed_outputs(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.success(5.0, outputs=2))
    task = api.run()
    result = api(task.wait())
    assert result.succeeded and result.is_final and result.pexit == "0"
    assert result.status == "task_postprocess_end" and task.status == result.status
    assert [(o.name, o.content_type) for o in result.outputs] == [
        ("0.png", "image/png"),
        ("1.png", "image/png"),
    ]
    assert result.outputs[0].size and result.outputs[0].url.startswith(fake.root)
    assert result.cost == pytest.approx(0.0035)
    assert result.created_at and result.model == "wiro/instant-id"


def test_first_poll_two_seconds_after_the_run(fake: FakeWiro, polling: Api) -> None:
    api = polling
    task = api.run()
    api(task.wait())
    run, first = fake.requests_to("run")[0], fake.requests_to("detail")[0]
    assert first.at - run.at == pytest.approx(2.0)


@pytest.mark.parametrize("socket", [True, False], ids=["socket", "polling"])
def test_on_status_reports_each_change_once(
    fake: FakeWiro, connect: Callable[..., Api], socket: bool
) -> None:
    api = connect(fake) if socket else connect(fake, socket_url="")
    seen: list[str] = []
    fake.script(Outcome.success(40.0))
    task = api.run()
    api(task.wait(on_status=lambda r: seen.append(r.status)))
    assert seen[-1] == "task_postprocess_end"
    assert len(seen) == len(set(seen))
    if socket:  # every status, heard as it happens, at the cost of very few polls
        assert len(seen) == 11 and fake.calls("detail") <= 3
    else:
        assert fake.calls("detail") > len(seen)


def test_on_status_may_be_a_coroutine_function(fake: FakeWiro) -> None:
    import asyncio

    seen: list[str] = []

    async def record(result: Any) -> None:
        seen.append(result.status)

    async def main() -> None:
        async with fake.async_client() as client:
            task = await client.run("wiro/instant-id", {"inputImageUrl": "https://x/y.png"})
            await task.wait(on_status=record)

    asyncio.run(main())
    assert seen[-1] == "task_postprocess_end"


def test_watch_yields_each_status_change(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.success(30.0, queue=3.0))
    task = api.run()
    statuses = [r.status for r in api.collect(task.watch())]
    assert statuses[0] in ("task_queue", "task_accept")
    assert statuses[-1] == "task_postprocess_end"
    assert len(statuses) == len(set(statuses)) >= 4
    assert api.collect(task.watch())[-1].status == "task_postprocess_end"  # final: no poll
    assert fake.calls("detail") == len(fake.requests_to("detail"))


def test_unknown_status_is_kept_logged_once_and_polled_through(
    fake: FakeWiro, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    status = f"task_mystery_{api.mode}"
    fake.script(Outcome.unknown_status(status, duration=40.0))
    fake.script(Outcome.unknown_status(status, duration=40.0))
    seen: list[str] = []
    with caplog.at_level(logging.WARNING, logger="wiro_client"):
        for _ in range(2):
            api(api.run().wait(on_status=lambda r: seen.append(r.status)))
    assert seen.count(status) == 2
    assert sum(status in m for m in caplog.messages) == 1


def test_stderr_lines_while_running_are_not_a_failure(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.interim_error(duration=40.0))
    result = api(api.run().wait())
    assert result.succeeded and "UserWarning" in result.debugerror


def test_task_error_from_detail_is_a_fatal_failure_reported_at_once(
    fake: FakeWiro, api: Api
) -> None:
    """Wiro-MCP src/types.ts TERMINAL_STATUSES: Task/Detail's task_error is a fatal
    pre-execution failure (the docs' "interim" task_error is the socket event)."""
    fake.script(Outcome.fatal_error("Error: cannot download inputImage", duration=3.0))
    task = api.run()
    with pytest.raises(errors.TaskFailedError) as caught:
        api(task.wait())
    error = caught.value
    assert "before its model ran" in error.message and "inputImage" in error.message
    assert error.task is task and error.result.status == "task_error"
    assert fake.clock.now() - fake.task(task.id).created < 10.0


def test_failure_carries_pexit_logs_times_and_cost(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.failure("137", "Killed: out of memory", debugoutput="x" * 5000))
    task = api.run()
    with pytest.raises(errors.TaskFailedError) as caught:
        api(task.wait())
    error = caught.value
    assert error.pexit == "137" and error.debugerror == "Killed: out of memory"
    assert error.debugoutput_tail == "x" * 2000
    assert error.cost is None or error.cost == 0.0
    assert error.elapsed_seconds and error.task is task and error.task_id == task.id
    assert error.created_at and error.started_at and error.ended_at
    assert error.created_at <= error.started_at <= error.ended_at
    assert "137" in str(error) and "out of memory" in str(error)


def test_raise_on_failure_false_returns_the_result(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.failure())
    result = api(api.run().wait(raise_on_failure=False))
    assert result.failed and not result.succeeded and result.outputs == ()


def test_llm_output_exposes_structured_and_merged_text(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.llm_answer(["Hello", " world"], thinking=["greet"], prompt="Hi"))
    result = api(api.run().wait())
    (output,) = result.outputs
    assert output.is_raw and output.content_type == "raw"
    assert (output.prompt, output.answer, output.thinking) == ("Hi", ["Hello", " world"], ["greet"])
    assert output.raw_text == "Hello world" and output.text == "Hello world"
    assert result.text == "Hello world"
    with pytest.raises(ValueError, match="not a file"):
        api(output.download("."))


# --- deadlines --------------------------------------------------------------------------------


def test_deadline_leaves_the_task_running_with_its_handle(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.never_finishing())
    task = api.run()
    with pytest.raises(errors.WaitTimeoutError) as caught:
        api(task.wait(timeout=120))
    assert caught.value.task is task and caught.value.last_status == "task_output"
    assert fake.clock.now() <= fake.requests_to("run")[0].at + 120 + 1e-9
    assert fake.task(task.id).cancelled_at is None
    assert fake.requests_to("detail")[-1].at >= fake.requests_to("run")[0].at + 119


@pytest.mark.parametrize("how", ["cancel", "kill", "stop"])
def test_on_timeout_stops_the_task(fake: FakeWiro, api: Api, how: str) -> None:
    queue = 200.0 if how == "cancel" else 0.5
    fake.script(Outcome.never_finishing(queue=queue, duration=1000.0))
    task = api.run()
    with pytest.raises(errors.WaitTimeoutError):
        api(task.wait(timeout=30, on_timeout=how))
    assert fake.task(task.id).cancelled_at is not None
    assert task.status == "task_cancel"


def test_retries_never_stretch_the_deadline(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.never_finishing())
    task = api.run()
    fake.fail("detail", *[Fault.rate_limit(retry_after=50)] * 10, on_call=2)
    with pytest.raises(errors.WaitTimeoutError):
        api(task.wait(timeout=20))
    assert fake.clock.now() - fake.requests_to("run")[0].at <= 20
    assert fake.calls("detail") == 2


def test_a_slow_socket_never_stretches_the_deadline(connect: Callable[..., Api]) -> None:
    # Real time: the per-request read timeout (30 s) is cut to what is left of the wait.
    with FakeWiro(clock=SystemClock(), outcome=Outcome.never_finishing()) as fake:
        api = connect(fake, timeout=30.0)
        task = api.run()
        fake.fail("detail", *[Fault.hang(5.0)] * 3)
        started = time.monotonic()
        with pytest.raises(errors.WaitTimeoutError):
            api(task.wait(timeout=0.6))
        assert time.monotonic() - started < 2.0


def test_no_timeout_means_no_deadline(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.success(1900.0))  # beyond the default 1800 s
    assert api(api.run().wait(timeout=None)).succeeded


def test_long_wait_keeps_a_failed_poll_task_id(fake: FakeWiro, connect: Callable[..., Api]) -> None:
    api = connect(fake, max_retries=1, socket_url="")
    task = api.run()
    fake.fail("detail", Fault.http(500), Fault.http(500), on_call=2)
    with pytest.raises(errors.ServerError) as caught:
        api(task.wait())
    assert caught.value.task is task and caught.value.task_id == task.id
    assert api(caught.value.task.wait()).succeeded


# --- cancel, kill, stop -----------------------------------------------------------------------


def test_cancel_a_queued_task(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.success(60.0, queue=20.0))
    task = api.run()
    result = api(task.cancel())
    assert result.cancelled and result.status == "task_cancel"
    assert fake.requests_to("cancel")[0].fields == {"taskid": task.id}
    with pytest.raises(errors.TaskCancelledError) as caught:
        api(task.wait())
    assert caught.value.task is task and caught.value.result.cancelled


def test_cancel_a_running_task_is_refused(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.clock.advance(3.0)  # type: ignore[attr-defined]
    with pytest.raises(errors.NotFoundError, match="cancellable"):
        api(task.cancel())


def test_kill_a_running_task(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.clock.advance(3.0)  # type: ignore[attr-defined]
    assert api(task.kill()).cancelled
    assert fake.calls("detail") == 1  # every action re-reads Detail


@pytest.mark.parametrize(("queued", "action"), [(True, "cancel"), (False, "kill")])
def test_stop_picks_cancel_or_kill(fake: FakeWiro, api: Api, queued: bool, action: str) -> None:
    fake.script(Outcome.success(60.0, queue=20.0))
    task = api.run()
    if not queued:
        fake.clock.advance(30.0)  # type: ignore[attr-defined]
    assert api(task.stop()).cancelled
    assert fake.calls(action) == 1 and fake.calls("cancel" if action == "kill" else "kill") == 0


def test_stop_falls_back_when_the_task_moved_on(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.success(60.0, queue=20.0))
    task = api.run()
    fake.fail("cancel", Fault.error(1, NOT_CANCELLABLE, advance=25.0))
    assert api(task.stop()).cancelled
    assert fake.calls("cancel") == 1 and fake.calls("kill") == 1


def test_stop_a_finished_task_does_nothing(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    api(task.wait())
    assert api(task.stop()).succeeded
    assert fake.calls("cancel") == fake.calls("kill") == 0


def test_delete_files_of_a_finished_task(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    api(task.wait())
    assert api(task.delete_files()).outputs == ()
    assert api(task.delete_files()).outputs == ()  # idempotent


# --- re-attaching -------------------------------------------------------------------------------


def test_get_by_id_or_token(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    by_id = api(api.client.tasks.get(task.id))
    by_token = api(api.client.tasks.get(token=task.token))
    assert by_id.id == by_token.id == task.id and by_token.token == task.token
    assert fake.requests_to("detail")[1].fields == {"tasktoken": task.token}
    assert api(by_token.wait()).succeeded


def test_store_and_resume_in_another_client(fake: FakeWiro, connect: Callable[..., Api]) -> None:
    import json

    fake.script(Outcome.success(300.0))
    first = connect(fake)
    task = first.run()
    stored = json.dumps(task.to_dict())
    assert fake.api_key not in stored and "secret" not in stored
    fake.clock.advance(200.0)  # type: ignore[attr-defined]
    second = connect(fake, socket_url="")
    resumed = second.client.tasks.from_dict(json.loads(stored))
    assert resumed.id == task.id and resumed.model == "wiro/instant-id"
    before = fake.calls("detail")
    assert second(resumed.wait()).succeeded
    polls = fake.requests_to("detail")[before:]
    assert polls[0].at == pytest.approx(200.0 + fake.requests_to("run")[0].at)
    gaps = [b.at - a.at for a, b in itertools.pairwise(polls)][:-1]
    assert min(gaps) > 6.0  # resumed 200 s into the schedule, not at its start


def test_from_dict_class_method(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    cls = type(task)
    resumed = cls.from_dict(task.to_dict(), api.client)
    assert api(resumed.wait()).succeeded and repr(resumed).startswith(cls.__name__)


# --- outputs ------------------------------------------------------------------------------------


def test_download_to_a_directory_atomically(fake: FakeWiro, api: Api, tmp_path: Path) -> None:
    result = api(api.run().wait())
    path = api(result.outputs[0].download(tmp_path))
    assert path == tmp_path / "0.png"
    assert (
        path.read_bytes().startswith(b"\x89PNG") and path.stat().st_size == result.outputs[0].size
    )
    assert list(tmp_path.iterdir()) == [path]


def test_download_to_a_file_path(fake: FakeWiro, api: Api, tmp_path: Path) -> None:
    result = api(api.run().wait())
    path = api(result.outputs[0].download(tmp_path / "sub" / "face.png"))
    assert path == tmp_path / "sub" / "face.png" and path.exists()


def test_download_sends_no_credentials(fake: FakeWiro, api: Api, tmp_path: Path) -> None:
    result = api(api.run().wait())
    api(result.outputs[0].download(tmp_path))
    (request,) = fake.requests_to("file")
    assert not {"x-api-key", "x-nonce", "x-signature", "authorization"} & set(request.headers)


@pytest.mark.parametrize("fault", [Fault.truncated(), Fault.http(503), Fault.close()])
def test_download_retries_and_checks_the_size(
    fake: FakeWiro, api: Api, tmp_path: Path, fault: Fault
) -> None:
    result = api(api.run().wait())
    fake.fail("file", fault)
    path = api(result.outputs[0].download(tmp_path))
    assert path.stat().st_size == result.outputs[0].size and fake.calls("file") == 2
    assert list(tmp_path.iterdir()) == [path]


def test_download_that_never_completes_leaves_no_file(
    fake: FakeWiro, api: Api, tmp_path: Path
) -> None:
    result = api(api.run().wait())
    fake.fail("file", *[Fault.truncated()] * 10)
    with pytest.raises(errors.TransportError):
        api(result.outputs[0].download(tmp_path, max_retries=2))
    assert list(tmp_path.iterdir()) == [] and fake.calls("file") == 3


def test_download_of_deleted_files_is_not_found(fake: FakeWiro, api: Api, tmp_path: Path) -> None:
    task = api.run()
    result = api(task.wait())
    api(task.delete_files())
    with pytest.raises(errors.NotFoundError):
        api(result.outputs[0].download(tmp_path))
    assert fake.calls("file") == 1


def test_virtual_clock_is_shared(fake: FakeWiro) -> None:
    assert isinstance(fake.clock, VirtualClock)
