"""The drivers: what they log, and that no credential escapes through a log line, an error,
a repr or the locals of a formatted traceback."""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

import httpx
import pytest
from wiro_client import errors
from wiro_client._transport import Timeouts, _failure
from wiro_client.testing import FakeWiro, Fault, Outcome

from tests.runtime.conftest import Api


def test_debug_log_tells_requests_retries_and_status_changes(
    fake: FakeWiro, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    fake.fail("detail", Fault.http(503))
    with caplog.at_level(logging.DEBUG, logger="wiro_client"):
        task = api.run()
        api(task.wait())
    text = "\n".join(caplog.messages)
    assert "POST Run/wiro/instant-id -> 200" in text
    assert "retry POST Task/Detail in" in text and "HTTP 503" in text
    assert f"task {task.id}: ? -> " in text and "-> task_postprocess_end" in text


def _leaks(fake: FakeWiro) -> list[str]:
    signatures = [r.headers["x-signature"] for r in fake.requests if "x-signature" in r.headers]
    assert signatures, "no signed request was made"
    return [fake.api_secret or "", fake.api_key, *signatures]


def test_no_credential_in_logs_errors_or_traceback_locals(
    fake: FakeWiro, connect: Callable[..., Api], caplog: pytest.LogCaptureFixture
) -> None:
    api = connect(fake, max_retries=1, timeout=0.2)
    fake.script(Outcome.failure())
    texts: list[str] = []
    with caplog.at_level(logging.DEBUG):
        task = api.run()
        scenarios = [
            lambda: api(task.wait()),  # TaskFailedError
            lambda: (fake.fail("detail", Fault.http(500), Fault.http(500)), api(task.refresh())),
            lambda: (fake.fail("run", Fault.hang(1.0)), api.run()),  # RunOutcomeUnknownError
            lambda: (fake.fail("detail", Fault.close(), Fault.close()), api(task.refresh())),
            lambda: api(api.client.tasks.get("999")),
            lambda: api(api.client.with_options(api_secret="wrong").tasks.list()),
        ]
        for scenario in scenarios:
            with pytest.raises(errors.WiroError) as caught:
                scenario()
            exc = caught.value
            texts += [str(exc), repr(exc), repr(exc.task), exc.body or ""]
            texts += traceback.TracebackException.from_exception(exc, capture_locals=True).format()
    texts += [r.getMessage() for r in caplog.records]
    texts += [repr(api.client), repr(task), repr(task.last)]
    everything = "\n".join(texts)
    for secret in _leaks(fake):
        assert secret not in everything


def test_failures_say_whether_the_request_could_have_left() -> None:
    request = httpx.Request("POST", "http://x/y")
    assert _failure(httpx.ConnectError("refused", request=request), True).reached is False
    assert _failure(httpx.ConnectTimeout("slow", request=request), True).reached is False
    assert _failure(httpx.PoolTimeout("busy", request=request), True).reached is False
    assert _failure(httpx.ReadTimeout("slow", request=request), True).reached is True
    assert _failure(httpx.WriteError("reset", request=request), True).reached is True
    assert _failure(httpx.RemoteProtocolError("eof", request=request), True).reached is True
    assert _failure(httpx.DecodingError("gzip", request=request), True).reached is True
    assert _failure(RecursionError("deep"), True).reached is True  # anything, once sent
    # Nothing that fails while the request is being built has left the process.
    assert _failure(ValueError("nan"), False) == _failure(ValueError("nan"), False)
    assert _failure(ValueError("nan"), False).failure == "local"
    assert _failure(ValueError("nan"), False).reached is False


def test_timeouts_are_cut_to_the_deadline() -> None:
    timeouts = Timeouts.of(30.0)
    assert timeouts.cut(None).read == 30.0
    cut = timeouts.cut(0.25)
    assert (cut.connect, cut.read, cut.write, cut.pool) == (0.25, 0.25, 0.25, 0.25)
    assert Timeouts.of(httpx.Timeout(5.0, read=9.0)).read == 9.0


@pytest.mark.parametrize("client", ["Wiro", "AsyncWiro"])
def test_a_failing_constructor_leaves_no_credential_in_traceback_locals(client: str) -> None:
    import wiro_client

    key, secret = "key-" + client, "secret-" + client
    with pytest.raises(ValueError) as caught:
        getattr(wiro_client, client)(api_key=key, api_secret=secret, provider="nope")
    # The package's frames only (the test's own frame holds the strings it passed).
    assert caught.value.__traceback__ is not None
    frames = traceback.walk_tb(caught.value.__traceback__.tb_next)
    text = "".join(traceback.StackSummary.extract(frames, capture_locals=True).format())
    assert "Secret('***')" in text
    assert key not in text and secret not in text
