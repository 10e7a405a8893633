"""Every public call against a server answering random bytes, random JSON (Wiro-shaped or
not) and random HTTP statuses, framed honestly or not, quickly or slowly:

- only ``WiroError`` subclasses escape;
- no credential, nor any signature the server saw, is in an error's text, its repr, the
  locals of its traceback (``capture_locals=True``) or a log line;
- no Run, nor any upload, is sent again, unless the server said it refused it (429 with
  Retry-After; code 96 for ``run_many``);
- every call with a deadline (``wait``, ``watch``, ``download``, ``run_many``) returns by it,
  plus at most the one slow step of an answer that crossed it (measured on the client's
  virtual clock, which the server moves: no wall-clock assertion).
"""

from __future__ import annotations

import asyncio
import gzip
import inspect
import json
import logging
import random
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wiro_client import AsyncWiro, Wiro, errors
from wiro_client._wire import parse_retry_after
from wiro_client.testing import VirtualClock

from tests.runtime.conftest import IMAGE
from tests.runtime.hostile.conftest import texts_of
from tests.runtime.hostile.server import (
    KEY,
    SECRET,
    HostileServer,
    Request,
    Step,
    Tick,
    head,
)

DEADLINE = 20.0
"""The ``timeout`` given to every call that takes one (virtual seconds)."""
SLOWEST_STEP = 2.0
"""The most virtual time one answer spends before its body: a call may end this much past
its deadline (the answer crossing it is cut at its next read)."""

# --- what the server says -----------------------------------------------------------------
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)
ids = st.sampled_from(["1", "2", "999", "", 1, None, "token-1", "x" * 300]) | json_values
numbers = st.sampled_from(["1", "0", "-1", "nan", "1e999", "", "x", 4, -1, 1e300]) | json_values
outputs = st.fixed_dictionaries(
    {},
    optional={
        "name": st.sampled_from(["0.png", "..", "a/../b.png", "x\x00y", "", "é" * 150])
        | st.text(max_size=12),
        "url": st.sampled_from(
            ["{root}/files/a.png", "{root}/files/", "", "ftp://x/y", "http://[::1", "{root}"]
        ),
        "size": numbers,
        "contenttype": st.sampled_from(["image/png", "raw", ""]) | json_values,
        "content": json_values,
    },
)
records = st.fixed_dictionaries(
    {},
    optional={
        "id": ids,
        "taskid": ids,
        "socketaccesstoken": ids,
        "status": st.sampled_from(
            [
                "task_queue",
                "task_start",
                "task_error",
                "task_end",
                "task_postprocess_end",
                "task_cancel",
                "task_mystery",
            ]
        )
        | json_values,
        "pexit": st.sampled_from(["0", "1", 0, None]) | json_values,
        "outputs": st.lists(outputs, max_size=3) | json_values,
        "debugoutput": json_values,
        "debugerror": json_values,
        "totalcost": numbers,
        "createtime": numbers,
        "elapsedseconds": numbers,
        "parameters": json_values,
        "modelslugowner": json_values,
        "modelslugproject": json_values,
    },
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "result": st.sampled_from([True, True, False]) | json_values,
        "errors": st.lists(
            st.fixed_dictionaries(
                {},
                optional={
                    "code": st.sampled_from([0, 1, 96, 97, 98, 99, "1", 1e999]) | json_values,
                    "message": json_values,
                },
            ),
            max_size=2,
        )
        | json_values,
        "taskid": ids,
        "socketaccesstoken": ids,
        "tasklist": st.lists(records, max_size=3) | json_values,
    },
)
bodies = st.one_of(
    envelopes.map(lambda v: json.dumps(v).encode()),
    envelopes.map(lambda v: json.dumps(v).encode()),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=64),
    st.just(b"[" * 30_000 + b"]" * 30_000),
)
statuses = (
    st.sampled_from([200, 200, 200, 201, 204, 301, 307, 400, 401, 403, 404, 408, 410, 429])
    | st.sampled_from([500, 502, 503, 504])
    | st.integers(min_value=100, max_value=599)
)
headers = st.fixed_dictionaries(
    {},
    optional={
        "retry-after": st.sampled_from(
            ["0", "1", "-1", "nan", "1e400", "junk", "Wed, 21 Oct 2015"]
        ),
        "content-encoding": st.sampled_from(["gzip", "gzip", "deflate", "br", "identity"]),
        "location": st.sampled_from(["http://127.0.0.1:9/x", "{root}/files/a.png", "", "ftp://x"]),
        "content-type": st.sampled_from(["application/json", "text/html"]),
    },
)
answers = st.tuples(
    statuses,
    headers,
    bodies,
    st.sampled_from(["length", "length", "close", "short"]),
    st.sampled_from([0.0, 0.0, 0.0, 0.5, SLOWEST_STEP]),
    st.booleans(),  # compress a body said to be gzip (else it is a lie)
)


class _Scripted:
    """Answers each request with the next scripted answer, round and round."""

    def __init__(self, script: list[Any], clock: VirtualClock) -> None:
        self.script = script
        self.clock = clock
        self.given: list[tuple[Request, int, dict[str, str], bytes]] = []
        self._lock = threading.Lock()
        self.root = ""

    def __call__(self, request: Request) -> Iterator[Step]:
        with self._lock:
            status, fields, body, framing, delay, honest = self.script[
                len(self.given) % len(self.script)
            ]
            self.given.append((request, status, fields, body))
        fields = {k: v.replace("{root}", self.root) for k, v in fields.items()}
        body = body.replace(b"{root}", self.root.encode())
        if fields.get("content-encoding") == "gzip" and honest:
            body = gzip.compress(body, mtime=0)
        if framing == "length":
            fields["content-length"] = str(len(body))
        elif framing == "short":
            fields["content-length"] = str(len(body) + 10)
        fields["connection"] = "close"
        yield head(status, fields)
        if delay:
            yield Tick(self.clock, delay)
        yield body


def _refusals(
    given: list[tuple[Request, int, dict[str, str], bytes]], endpoint: str, call: str
) -> int:
    """Answers to ``endpoint`` that say the request was refused (so sending it again is
    right): 429 with Retry-After, and for ``run_many``'s Runs code 96."""
    count = 0
    for request, status, fields, body in given:
        if request.endpoint != endpoint:
            continue
        if status == 429 and parse_retry_after(fields.get("retry-after")) is not None:
            count += 1
        elif call == "run_many" and 200 <= status < 300 and b"96" in body:
            count += 1  # code 96 (its exact reading is the runtime's; this bounds it)
    return count


def _calls(
    client: Any, folder: Path, state: dict[str, Any]
) -> Iterator[tuple[str, Callable[[], Any], bool]]:
    """(name, call, has a deadline) of every public call, on the handles and results the
    earlier ones left in ``state``."""

    def task() -> Any:
        return state.get("task") or client.tasks.from_dict({"task_id": "1", "token": "token-1"})

    unknown = errors.RunOutcomeUnknownError(
        "lost", model="wiro/instant-id", parameters={"inputImageUrl": IMAGE}, sent_at=0.0, reason=""
    )
    yield "run", lambda: client.run("wiro/instant-id", {"inputImageUrl": IMAGE}), False
    yield "typed run", lambda: client.models.wiro.instant_id.run(input_image_url=IMAGE), False
    model = client.models.wiro.instant_id
    yield "run with a file", lambda: model.run(input_image_url=b"\x89PNG local"), False
    yield "refresh", lambda: task().refresh(), False
    yield "wait", lambda: task().wait(timeout=DEADLINE), True
    yield "watch", lambda: task().watch(timeout=DEADLINE), True
    yield "get", lambda: client.tasks.get("1"), False
    yield "get by token", lambda: client.tasks.get(token="token-1"), False
    yield "list", lambda: client.tasks.list(), False
    yield "reconcile", lambda: client.tasks.reconcile(unknown), False
    yield "from_callback", lambda: client.tasks.from_callback('{"id": "1"}'), False
    yield "tools.list", lambda: client.tools.list("flux"), False
    yield "tools.get", lambda: client.tools.get("wiro/instant-id"), False
    yield "cancel", lambda: task().cancel(), False
    yield "kill", lambda: task().kill(), False
    yield "stop", lambda: task().stop(), False
    yield "delete_files", lambda: task().delete_files(), False
    for index in range(3):

        def download(index: int = index) -> Any:
            result = state.get("result")
            files = [o for o in (result.outputs if result else ()) if not o.is_raw]
            if index < len(files):
                return files[index].download(folder, timeout=DEADLINE)
            return None

        yield f"download {index}", download, True
    yield (
        "run_many",
        lambda: client.run_many(
            "wiro/instant-id", [{"inputImageUrl": IMAGE}] * 2, concurrency=2, timeout=DEADLINE
        ),
        True,
    )


def _remember(state: dict[str, Any], name: str, value: Any) -> None:
    """Keep the task a Run made and the latest result with outputs, for later calls."""
    if name == "run":
        state["task"] = value
    results = value if isinstance(value, list) else [value]
    for result in results:
        if getattr(result, "outputs", None):
            state["result"] = result


async def _settle(value: Any) -> Any:
    """What a call of AsyncWiro amounts to: awaited, or its async iterator drained."""
    if hasattr(value, "__aiter__"):
        return [item async for item in value]
    return await value if inspect.isawaitable(value) else value


def _settle_sync(value: Any) -> Any:
    return list(value) if inspect.isgenerator(value) else value


class _Run:
    """One example: every call in turn, and what it broke of the property."""

    def __init__(self, answer: _Scripted, clock: VirtualClock, server: HostileServer) -> None:
        self.answer = answer
        self.clock = clock
        self.server = server
        self.problems: list[str] = []
        self.state: dict[str, Any] = {}
        self._started = 0.0
        self._given = 0

    def before(self) -> None:
        self._given = len(self.answer.given)
        self._started = self.clock.now()

    def after(self, name: str, bounded: bool, value: Any, raised: BaseException | None) -> None:
        elapsed = self.clock.now() - self._started
        _remember(self.state, name, value)
        if raised is not None and not isinstance(raised, errors.WiroError):
            self.problems.append(f"{name}: {type(raised).__name__}: {raised}")
            return
        if raised is not None and any(s in texts_of(raised) for s in _secrets(self.server)):
            self.problems.append(f"{name}: a credential in {type(raised).__name__}")
        if bounded and elapsed > DEADLINE + SLOWEST_STEP + 0.01:
            self.problems.append(f"{name}: returned {elapsed:.2f}s after it started")
        given = self.answer.given[self._given :]
        for endpoint, allowed in (
            ("run", {"run": 1, "typed run": 1, "run with a file": 1, "run_many": 2}),
            ("upload", {"run with a file": 1}),
        ):
            sent = sum(1 for request, *_ in given if request.endpoint == endpoint)
            if sent > allowed.get(name, 0) + _refusals(given, endpoint, name):
                self.problems.append(f"{name}: {sent} {endpoint} requests sent")

    def sync(self, client: Wiro, folder: Path) -> None:
        for name, call, bounded in _calls(client, folder, self.state):
            self.before()
            value, raised = None, None
            try:
                value = _settle_sync(call())
            except BaseException as exc:  # the property is about what escapes
                raised = exc
            self.after(name, bounded, value, raised)

    async def asynchronously(self, client: AsyncWiro, folder: Path) -> None:
        # One asyncio task for every call, as an application's would be.
        for name, call, bounded in _calls(client, folder, self.state):
            self.before()
            value, raised = None, None
            try:
                value = await _settle(call())
            except BaseException as exc:  # the property is about what escapes
                raised = exc
            self.after(name, bounded, value, raised)


@pytest.mark.parametrize("mode", ["sync", "async"])
@settings(
    # Each example is ~20 calls over real HTTP: half the profile's examples (20 in `make
    # test`, 1,500 in `make fuzz`).
    max_examples=max(10, settings().max_examples // 2),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(script=st.lists(answers, min_size=1, max_size=8), seed=st.integers(0, 2**16))
def test_every_public_call_against_a_random_server(mode: str, script: list[Any], seed: int) -> None:
    clock = VirtualClock()
    answer = _Scripted(script, clock)
    handler = _LogRecords()
    logger = logging.getLogger("wiro_client")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with HostileServer(answer) as server, tempfile.TemporaryDirectory() as folder:
            answer.root = server.root
            options: dict[str, Any] = {
                "api_key": KEY,
                "api_secret": SECRET,
                "base_url": server.url,
                "clock": clock,
                "rng": random.Random(seed),
                "max_retries": 1,
                "timeout": 2.0,
            }
            run = _Run(answer, clock, server)
            if mode == "async":

                async def main() -> None:
                    async with AsyncWiro(**options) as client:
                        await run.asynchronously(client, Path(folder))

                asyncio.run(main())
            else:
                with Wiro(**options) as client:
                    run.sync(client, Path(folder))
            logged = "\n".join(handler.lines)
            run.problems += [
                f"a credential in the logs: {s[:6]}..." for s in _secrets(server) if s in logged
            ]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    assert run.problems == []


def _secrets(server: HostileServer) -> list[str]:
    return [KEY, SECRET] + [h["x-signature"] for h in server.headers_seen() if "x-signature" in h]


class _LogRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
