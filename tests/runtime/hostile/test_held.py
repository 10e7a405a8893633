"""What held before the hostile review, held against hostile servers: a malformed Run answer
never causes a second Run, nothing is written outside the download folder, and 200 threads
or asyncio tasks on one client lose nothing and reuse no nonce."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from wiro_client import errors

from tests.runtime.conftest import IMAGE
from tests.runtime.hostile.conftest import Hostile
from tests.runtime.hostile.server import (
    BROKEN_GZIP,
    CLOSE,
    HANG,
    KEY,
    SECRET,
    TRUNCATED_GZIP,
    Request,
    Script,
    Step,
    detail,
    gzipped,
    http,
    output,
    record,
    run_ok,
    wiro,
)

MALFORMED: dict[str, list[Step]] = {
    "closed unanswered": [CLOSE],
    "closed mid-answer": [http(200, wiro(taskid="1"))[:-10], CLOSE],
    "HTTP 500": [http(500, "oops")],
    "HTTP 502 with Retry-After": [http(502, "bad gateway", {"retry-after": "1"})],
    "HTTP 503 with Retry-After": [http(503, "", {"retry-after": "1"})],
    "HTML 200": [http(200, "<html>ok</html>", {"content-type": "text/html"})],
    "JSON without a task": [http(200, wiro())],
    "a number for the task": [http(200, wiro(taskid=7))],
    "result not a boolean": [http(200, {"result": "true", "taskid": "1"})],
    "deep JSON": [http(200, "[" * 50_000 + "]" * 50_000)],
    "broken gzip": [http(200, BROKEN_GZIP, {"content-encoding": "gzip"})],
    "truncated gzip": [http(200, TRUNCATED_GZIP, {"content-encoding": "gzip"})],
    "an unasked encoding": [http(200, b"\x00", {"content-encoding": "br"})],
    "gzip with data after its end": [
        http(
            200, gzipped(b'{"result": true, "taskid": "1"}') + b"junk", {"content-encoding": "gzip"}
        )
    ],
    "a redirect": [http(307, b"", {"location": "http://127.0.0.1:9/"})],
    "a lying Content-Length": [http(200, wiro(taskid="1"), length="abc"), CLOSE],
    "a body of unlimited length": [http(200, wiro(taskid="1"), length=None)[:-5], CLOSE],
    "HTTP/0.9 garbage": [b"garbage\r\n\r\n", CLOSE],
    "a hang until read timeout": [HANG],
}


@pytest.mark.parametrize("answer", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_run_answer_never_causes_a_second_run(
    hostile: Callable[..., Hostile], answer: list[Step]
) -> None:
    api = hostile(lambda r: answer, max_retries=4, timeout=0.5)
    error = api.fails(lambda: api.run(), errors.RunOutcomeUnknownError)
    assert api.server.count("run") == 1
    assert error.model == "wiro/instant-id" and error.parameters["inputImageUrl"] == IMAGE


def test_a_refusal_that_says_so_is_the_only_reason_to_send_again(
    hostile: Callable[..., Hostile],
) -> None:
    # 429 with Retry-After: the server refused the Run, so it is sent again, once.
    refused = http(429, "slow down", {"retry-after": "2"})
    api = hostile(Script({"run": [refused, run_ok("2")]}))
    assert api.run().id == "2" and api.server.count("run") == 2
    # 429 without Retry-After: no proof it was refused.
    api = hostile(Script({"run": [http(429, "slow down"), run_ok("3")]}))
    api.fails(lambda: api.run(), errors.RateLimitError)
    assert api.server.count("run") == 1


def test_a_planted_link_is_replaced_not_written_through(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    folder, outside = tmp_path / "downloads", tmp_path / "outside.png"
    folder.mkdir()
    outside.write_bytes(b"precious")
    (folder / "0.png").symlink_to(outside)
    api = hostile(lambda r: [])
    url = f"{api.server.root}/files/0.png"
    api.server.answer = Script(
        {"detail": [detail(record(outputs=[output(url, size=3)]))], "*": [http(200, b"new")]}
    )
    result = api(api.task().refresh())
    path = api(result.outputs[0].download(folder))
    assert path == folder / "0.png" and not path.is_symlink() and path.read_bytes() == b"new"
    assert outside.read_bytes() == b"precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["downloads", "outside.png"]


# --- 200 at once -----------------------------------------------------------------------------


class _TinyWiro:
    """Just enough of Wiro to run tasks, checking every signature and refusing any nonce it
    saw before; every 7th Detail is a 503 and every 11th connection drops its answer."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.nonces: set[str] = set()
        self.reused: list[str] = []
        self.tasks: dict[str, str] = {}
        self.ids = itertools.count(1)
        self.calls = itertools.count(1)

    def __call__(self, request: Request) -> list[Step]:
        nonce = request.headers.get("x-nonce", "")
        signature = request.headers.get("x-signature", "")
        expected = hmac.new(KEY.encode(), (SECRET + nonce).encode(), hashlib.sha256).hexdigest()
        with self.lock:
            call = next(self.calls)
            if nonce in self.nonces or signature != expected:
                self.reused.append(nonce)
                return [http(401, {"result": False, "errors": [{"code": 0, "message": "no"}]})]
            self.nonces.add(nonce)
            if request.endpoint == "run":
                task_id = str(next(self.ids))
                self.tasks[task_id] = request.json["prompt"]
                return [run_ok(task_id, f"token-{task_id}")]
        if request.endpoint == "detail":
            if call % 7 == 0:
                return [http(503, "busy")]
            if call % 11 == 0:
                return [CLOSE]
            task_id = request.json["taskid"]
            return [detail(record(task_id, f"token-{task_id}"))]
        return [http(404, "no")]


def test_two_hundred_at_once_lose_nothing_and_reuse_no_nonce(
    hostile: Callable[..., Hostile],
) -> None:
    wiro_ = _TinyWiro()
    api = hostile(wiro_, max_retries=6)
    inputs: list[dict[str, Any]] = [
        {"inputImageUrl": IMAGE, "prompt": f"portrait {i}"} for i in range(200)
    ]
    items = api(api.client.run_many("wiro/instant-id", inputs, concurrency=200))
    assert all(item.ok for item in items), [i.error for i in items if not i.ok][:3]
    assert wiro_.reused == []
    assert len(wiro_.tasks) == 200 and api.server.count("run") == 200  # none lost, none twice
    assert {wiro_.tasks[i.task.id] for i in items} == {f"portrait {i}" for i in range(200)}
    assert all(wiro_.tasks[item.task.id] == f"portrait {item.index}" for item in items)
