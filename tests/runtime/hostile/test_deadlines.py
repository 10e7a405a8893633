"""Defect 3 and downloads' deadline: no answer, however slowly it trickles, keeps a call past
its deadline.

Time is the client's virtual clock, moved by the server: each trickled byte costs a virtual
second and a hundredth of a real one, so "a byte a second" is exact and the tests are quick
and deterministic (a body that never ends means the client cannot win by reading it all).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from wiro_client import errors

from tests.runtime.hostile.conftest import Hostile
from tests.runtime.hostile.server import (
    Request,
    Script,
    Step,
    Tick,
    detail,
    head,
    http,
    output,
    record,
    run_ok,
    trickle,
)

ENDLESS = b" " * 10_000
"""Whitespace before a JSON body: valid, and never over before the client gives up."""


def _slow_detail(api: Hostile) -> Callable[[Request], Iterator[Step]]:
    def answer(request: Request) -> Iterator[Step]:
        yield head(200, {"content-type": "application/json", "content-length": "99999999"})
        yield from trickle(ENDLESS, api.clock)

    return answer


@pytest.mark.parametrize("timeout", [3.0, 10.0])
def test_a_trickled_detail_body_does_not_stretch_the_wait(
    hostile: Callable[..., Hostile], timeout: float
) -> None:
    api = hostile(lambda r: [])
    api.server.answer = Script({"run": [run_ok()], "detail": [_slow_detail(api)]})
    task = api.run()
    started = api.clock.now()
    error = api.fails(lambda: task.wait(timeout=timeout), errors.WaitTimeoutError)
    assert error.task is task
    # One virtual second a byte: the exchange stopped at the first read past the deadline.
    assert api.clock.now() - started <= timeout + 1.0
    assert all(r.sent < len(ENDLESS) for r in api.server.to("detail"))


def test_trickled_headers_do_not_stretch_the_wait(hostile: Callable[..., Hostile]) -> None:
    api = hostile(lambda r: [])

    def slow_headers(request: Request) -> Iterator[Step]:
        yield b"HTTP/1.1 200 OK\r\n"
        yield from trickle(b"x-padding: " + b"a" * 8000, api.clock)

    api.server.answer = Script({"run": [run_ok()], "detail": [slow_headers]})
    task = api.run()
    started = api.clock.now()
    api.fails(lambda: task.wait(timeout=4), errors.WaitTimeoutError)
    assert api.clock.now() - started <= 4 + 1.0


def test_a_pooled_connection_is_bound_too(hostile: Callable[..., Hostile]) -> None:
    # The Run's connection is kept alive and the slow Detail arrives on it: the bound holds
    # on connections made before the deadline existed.
    api = hostile(lambda r: [])
    api.server.answer = Script({"run": [run_ok()], "detail": [_slow_detail(api)]})
    task = api.run()
    started = api.clock.now()
    api.fails(lambda: task.wait(timeout=3), errors.WaitTimeoutError)
    run, first_poll = api.server.to("run")[0], api.server.to("detail")[0]
    assert first_poll.connection == run.connection
    assert api.clock.now() - started <= 3 + 1.0


def test_the_bound_holds_between_chunks_with_a_callers_http_client(
    hostile: Callable[..., Hostile],
) -> None:
    # A caller's own httpx client has none of this package's socket bounds: the body is
    # still stopped at the first chunk read past the deadline.
    api = hostile(lambda r: [])
    api.server.answer = Script({"run": [run_ok()], "detail": [_slow_detail(api)]})
    with api.own_client() as own:
        task = api(own.run("wiro/instant-id", {"inputImageUrl": "https://x/y.png"}))
        started = api.clock.now()
        api.fails(lambda: task.wait(timeout=3), errors.WaitTimeoutError)
        assert api.clock.now() - started <= 3 + 1.0


# --- downloads --------------------------------------------------------------------------


def _finished(api: Hostile, size: int | None = 10) -> Callable[[Request], list[bytes]]:
    url = f"{api.server.root}/files/0.png"
    return lambda r: [detail(record(outputs=[output(url, size=size)]))]


@pytest.mark.parametrize("where", ["call", "client"])
def test_a_download_has_a_total_deadline(
    hostile: Callable[..., Hostile], tmp_path: Path, where: str
) -> None:
    api = hostile(lambda r: [], download_timeout=5.0 if where == "client" else 600.0)

    def endless_file(request: Request) -> Iterator[Step]:
        yield head(200, {"content-type": "image/png", "connection": "close"})
        yield from trickle(ENDLESS, api.clock)

    api.server.answer = Script(
        {"detail": [_finished(api, size=None)], "/files/0.png": [endless_file]}
    )
    result = api(api.task().refresh())
    started = api.clock.now()
    if where == "call":
        call = lambda: result.outputs[0].download(tmp_path, timeout=5)  # noqa: E731
    else:
        call = lambda: result.outputs[0].download(tmp_path)  # noqa: E731
    error = api.fails(call, errors.TransportError)
    assert "deadline" in str(error)
    assert api.clock.now() - started <= 5 + 1.0
    assert list(tmp_path.iterdir()) == []


def test_download_retries_stop_at_the_deadline(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    api = hostile(lambda r: [], max_retries=50)
    busy = http(503, "busy", {"retry-after": "3"})
    api.server.answer = Script({"detail": [_finished(api)], "/files/0.png": [busy]})
    result = api(api.task().refresh())
    started = api.clock.now()
    error = api.fails(lambda: result.outputs[0].download(tmp_path, timeout=10))
    assert isinstance(error, errors.TransportError) and "deadline" in str(error)
    assert api.clock.now() - started <= 10.0
    assert api.server.count("/files/0.png") <= 4  # 0, 3, 6, 9 s: none after the deadline
    assert list(tmp_path.iterdir()) == []


def test_the_virtual_clock_really_moved(hostile: Callable[..., Hostile]) -> None:
    # The premise of this module: a Tick step moves the client's clock.
    api = hostile(lambda r: [])
    before = api.clock.now()
    api.server.answer = lambda r: [Tick(api.clock, 7.0), run_ok()]
    api.run()
    assert api.clock.now() == before + 7.0


def test_run_many_gives_up_a_refused_run_at_its_deadline(
    hostile: Callable[..., Hostile],
) -> None:
    # A Run refused with Retry-After is sent again after it; never past the batch's deadline
    # (giving up a Run the server refused is safe: no task exists).
    refused = http(429, "slow down", {"retry-after": "30"})
    api = hostile(Script({"run": [refused]}), max_retries=5)
    started = api.clock.now()
    inputs = [{"inputImageUrl": "https://x/y.png"}]
    (item,) = api(api.client.run_many("wiro/instant-id", inputs, timeout=10))
    assert isinstance(item.error, errors.RateLimitError) and item.task is None
    assert api.clock.now() - started <= 10 and api.server.count("run") == 1
