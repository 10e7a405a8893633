"""FakeWiro itself, spoken to with plain HTTP: it must answer as Wiro does."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from wiro_client._auth import sign
from wiro_client._providers import PROVIDERS
from wiro_client._spec import InputSpec, ModelSpec
from wiro_client.testing import FakeWiro, Fault, Outcome, ScaledClock, VirtualClock
from wiro_client.testing.__main__ import _parser
from wiro_client.testing._fake import _validate

from tests.conftest import GENERATED
from tests.support.helpful import unhelpful

WIRO = PROVIDERS["wiro"]


class Raw:
    """Signed requests by hand."""

    def __init__(self, fake: FakeWiro) -> None:
        self.fake = fake
        self.http = httpx.Client(base_url=fake.url)
        self.nonce = 1000

    def headers(self, **override: str) -> dict[str, str]:
        self.nonce += 1
        nonce = str(self.nonce)
        out = {
            "x-api-key": self.fake.api_key,
            "x-nonce": nonce,
            "x-signature": sign(
                WIRO.auth[0],
                api_key=self.fake.api_key,
                api_secret=self.fake.api_secret or "",
                nonce=nonce,
            ),
        }
        out.update(override)
        return out

    def post(self, path: str, body: dict[str, Any] | None = None, **headers: str) -> httpx.Response:
        return self.http.post(path, json=body or {}, headers=self.headers(**headers))


@pytest.fixture
def raw(fake: FakeWiro) -> Iterator[Raw]:
    client = Raw(fake)
    yield client
    client.http.close()


def errors_of(response: httpx.Response) -> list[tuple[int, str]]:
    body = response.json()
    assert body["result"] is False
    return [(e["code"], e["message"]) for e in body["errors"]]


# --- auth -------------------------------------------------------------------------------------


def test_missing_or_unknown_key(raw: Raw) -> None:
    response = raw.http.post("Task/List", json={})
    assert response.status_code == 401
    assert errors_of(response) == [(0, "Project authorization is not founded.")]
    assert raw.post("Task/List", **{"x-api-key": "other"}).status_code == 401


def test_signature_project_requires_signature_headers(raw: Raw) -> None:
    response = raw.http.post("Task/List", json={}, headers={"x-api-key": raw.fake.api_key})
    assert response.status_code == 401
    assert errors_of(response)[0][1] == (
        "Project requires signature authentication. x-signature and x-nonce headers are required."
    )


def test_wrong_signature(raw: Raw) -> None:
    response = raw.post("Task/List", **{"x-signature": "0" * 64})
    assert errors_of(response) == [(0, "Project authorization is not valid.")]


def test_nonce_reuse_is_refused(raw: Raw) -> None:
    headers = raw.headers()
    assert raw.http.post("Task/List", json={}, headers=headers).status_code == 200
    again = raw.http.post("Task/List", json={}, headers=headers)
    assert again.status_code == 401 and raw.fake.requests[-1].rejected.endswith("(nonce reused)")


def test_increasing_nonce_policy() -> None:
    with FakeWiro(nonce_policy="increasing") as fake:
        raw = Raw(fake)
        raw.nonce = 50
        assert raw.post("Task/List").status_code == 200
        raw.nonce = 10
        assert raw.post("Task/List").status_code == 401
        assert fake.requests[-1].rejected.endswith("(nonce not increasing)")


def test_key_only_project() -> None:
    with FakeWiro(api_secret=None) as fake:
        response = httpx.post(f"{fake.url}/Task/List", json={}, headers={"x-api-key": fake.api_key})
        assert response.status_code == 200


# --- routes and validation ------------------------------------------------------------------------


def test_unknown_endpoint(raw: Raw) -> None:
    response = raw.post("Nothing/Here")
    assert response.status_code == 404 and errors_of(response) == [(0, "Error parsing url.")]


def test_unknown_model(raw: Raw) -> None:
    assert errors_of(raw.post("Run/nobody/nothing", {})) == [(1, "slug-owner-project-not-exist")]


def test_inputs_are_checked_in_wiros_words(raw: Raw) -> None:
    response = raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png", "steps": "abc"})
    assert errors_of(response) == [(0, "Request parameter [steps] must be integer or float")]
    assert errors_of(raw.post("Run/wiro/instant-id", {"steps": 3})) == [
        (0, "Request files [inputImage] required")
    ]
    ok = raw.post(
        "Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png", "steps": "4.0", "scale": "5.0"}
    )
    assert ok.json()["result"] is True and set(ok.json()) >= {"taskid", "socketaccesstoken"}


def test_required_and_range_messages() -> None:
    spec = ModelSpec(
        endpoint="t/m",
        name="t/m",
        provider="wiro",
        input_model=object,  # type: ignore[arg-type]
        inputs=(
            InputSpec("prompt", "text", "prompt", required=True),
            InputSpec("strength", "range", "strength", minimum=0, maximum=1.5),
        ),
    )
    assert _validate(spec, {}, []) == "Request parameter [prompt] required"
    assert _validate(spec, {"prompt": "x", "strength": "2"}, []) == (
        "Request parameter [strength] must be between 0 and 1.5"
    )
    assert _validate(spec, {"prompt": "x", "strength": "1"}, []) is None


def test_multipart_upload_is_accepted(raw: Raw) -> None:
    response = raw.http.post(
        "Run/wiro/instant-id",
        data={"inputImageUrl": "", "prompt": "p"},
        files=[("inputImage", ("face.png", b"png-bytes", "image/png"))],
        headers=raw.headers(),
    )
    task = raw.fake.task(response.json()["taskid"])
    assert task.parameters["inputImage"].endswith("/inputImage-face.png")
    assert raw.fake.requests[-1].files == [("inputImage", "face.png", 9)]


# --- tasks ----------------------------------------------------------------------------------------


def test_statuses_follow_wiros_order(raw: Raw) -> None:
    fake = raw.fake
    fake.script(Outcome.success(10.0, queue=2.0, finishing=2.0))
    task_id = raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png"}).json()["taskid"]
    seen = []
    for _ in range(120):
        record = raw.post("Task/Detail", {"taskid": task_id}).json()["tasklist"][0]
        if not seen or seen[-1] != record["status"]:
            seen.append(record["status"])
        fake.clock.advance(0.1)  # type: ignore[attr-defined]
    order = [*WIRO.running, *WIRO.final]
    assert seen[0] == "task_queue" and seen[-1] == "task_postprocess_end"
    assert [order.index(s) for s in seen] == sorted(order.index(s) for s in seen)
    assert record["pexit"] == "0" and record["outputs"][0]["name"] == "0.png"
    assert float(record["totalcost"]) > 0 and all(
        isinstance(v, str) for v in record.values() if not isinstance(v, list | dict)
    )


def test_detail_cancel_and_kill_accept_the_id_fields_wiro_documents(raw: Raw) -> None:
    raw.fake.script(
        Outcome.success(100.0, queue=30.0), Outcome.success(100.0), Outcome.success(100.0)
    )
    ids = [
        raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png"}).json()
        for _ in range(3)
    ]
    assert (
        raw.post("Task/Detail", {"tasktoken": ids[0]["socketaccesstoken"]}).json()["tasklist"][0][
            "id"
        ]
        == ids[0]["taskid"]
    )
    cancelled = raw.post("Task/Cancel", {"tasktoken": ids[0]["socketaccesstoken"]}).json()
    assert cancelled["tasklist"][0]["status"] == "task_cancel"
    raw.fake.clock.advance(10.0)  # type: ignore[attr-defined]
    assert (
        raw.post("Task/Kill", {"socketaccesstoken": ids[1]["socketaccesstoken"]}).json()["result"]
        is True
    )
    assert errors_of(raw.post("Task/Cancel", {"taskid": ids[2]["taskid"]})) == [
        (1, "Task is not in a cancellable state.")
    ]
    assert errors_of(raw.post("Task/Detail", {"taskid": "1"})) == [(1, "There is no task yet.")]
    assert errors_of(raw.post("Task/Detail", {})) == [
        (0, "taskid or socketaccesstoken is required")
    ]


def test_task_list_is_newest_first_and_paged(raw: Raw) -> None:
    for i in range(5):
        raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png", "prompt": str(i)})
        raw.fake.clock.advance(1.0)  # type: ignore[attr-defined]
    page = raw.post("Task/List", {"limit": 2, "start": 1}).json()
    assert page["total"] == "5" and [t["parameters"]["prompt"] for t in page["tasklist"]] == [
        "3",
        "2",
    ]


def test_outputs_are_served_until_deleted(raw: Raw) -> None:
    run = raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png"}).json()
    task_id, token = run["taskid"], run["socketaccesstoken"]
    assert errors_of(raw.post("Task/InputOutputDelete", {"taskid": task_id})) == [
        (1, "task-not-exist")  # tasks.md: tasktoken is required
    ]
    assert errors_of(raw.post("Task/InputOutputDelete", {"tasktoken": token})) == [
        (0, "Task must be completed or cancelled before deleting files")
    ]
    raw.fake.clock.advance(10.0)  # type: ignore[attr-defined]
    output = raw.post("Task/Detail", {"taskid": task_id}).json()["tasklist"][0]["outputs"][0]
    served = httpx.get(output["url"])
    assert served.status_code == 200 and len(served.content) == int(output["size"])
    assert raw.post("Task/InputOutputDelete", {"tasktoken": token}).json()["result"] is True
    assert httpx.get(output["url"]).status_code == 404


def test_balance_and_concurrency_limit() -> None:
    with FakeWiro(balance=15.0, outcome=Outcome.success(10.0)) as fake:  # 10 % of $15: 1 task
        raw = Raw(fake)
        assert raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png"}).json()[
            "result"
        ]
        refused = raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png"})
        assert (
            errors_of(refused)[0][0] == 96 and "concurrent task limit" in errors_of(refused)[0][1]
        )
        fake.clock.advance(20.0)  # type: ignore[attr-defined]
        raw.post("Task/List")  # the finished task is billed when seen
        assert fake.balance == pytest.approx(15.0 - 0.0035)
        fake.balance = 0.3
        assert errors_of(raw.post("Run/wiro/instant-id", {"inputImageUrl": "https://x/y.png"})) == [
            (97, "Insufficient balance")
        ]


def test_faults_hit_only_the_scripted_call(raw: Raw) -> None:
    raw.fake.fail("list", Fault.http(502), on_call=2)
    assert [raw.post("Task/List").status_code for _ in range(3)] == [200, 502, 200]
    assert [r.fault for r in raw.fake.requests_to("list")] == [None, "http", None]


def test_rate_limit_fault_sends_retry_after(raw: Raw) -> None:
    raw.fake.fail("list", Fault.rate_limit(retry_after=2.5))
    response = raw.post("Task/List")
    assert response.status_code == 429 and response.headers["retry-after"] == "2.5"


# --- clocks ---------------------------------------------------------------------------------------


def test_virtual_sleep_jumps_exactly() -> None:
    clock = VirtualClock()
    started = time.monotonic()
    clock.sleep(3600.0)
    assert clock.now() == 3600.0 and time.monotonic() - started < 1.0
    assert clock.time() == pytest.approx(1_750_003_600.0)


def test_virtual_sleepers_wake_in_order_on_one_timeline() -> None:
    clock = VirtualClock(granularity=0.0)
    woke: list[tuple[str, float]] = []

    def sleeper(name: str, seconds: float) -> None:
        clock.sleep(seconds)
        woke.append((name, clock.now()))

    threads = [
        threading.Thread(target=sleeper, args=(n, s)) for n, s in [("b", 20), ("a", 10), ("c", 30)]
    ]
    with clock.busy():  # time stands still until all three are asleep
        for t in threads:
            t.start()
        while len(clock._sleepers) < 3:
            time.sleep(0.001)
    for t in threads:
        t.join()
    assert woke == [("a", 10.0), ("b", 20.0), ("c", 30.0)]


def test_virtual_async_sleep_and_manual_advance() -> None:
    clock = VirtualClock()

    async def main() -> float:
        await asyncio.gather(clock.sleep_async(5), clock.sleep_async(7))
        return clock.now()

    assert asyncio.run(main()) == 7.0
    clock.advance(3)
    assert clock.now() == 10.0


def test_scaled_clock_runs_faster() -> None:
    clock = ScaledClock(100.0)
    started = time.monotonic()
    clock.sleep(10.0)
    assert 0.09 <= time.monotonic() - started < 1.0 and clock.now() >= 10.0


# --- the command line -------------------------------------------------------------------------------


def _python(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "python")}
    return subprocess.run(
        [sys.executable, "-m", "wiro_client.testing", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=True,
    )


def test_demo_runs_instant_id_to_a_downloaded_file() -> None:
    out = _python("demo", "--speed", "40").stdout
    assert "Run wiro/instant-id -> task" in out and "task_postprocess_end" in out
    downloaded = out.strip().splitlines()[-1]
    assert downloaded.startswith("Downloaded 0.png") and os.path.exists(downloaded.split(" -> ")[1])


def test_standalone_server_serves_until_interrupted() -> None:
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "python")}
    process = subprocess.Popen(
        [sys.executable, "-m", "wiro_client.testing", "serve", "--port", "0", "--key-only"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        key = next(line for line in iter(process.stdout.readline, "") if "WIRO_API_KEY" in line)
        response = httpx.post(
            f"{url}/Task/List", json={}, headers={"x-api-key": key.split("=")[1].strip()}
        )
        assert response.json()["result"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_command_and_option_explains_itself() -> None:
    assert unhelpful(_parser()) == []


def test_alone_it_explains_itself_instead_of_starting_a_server() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "wiro_client.testing"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(GENERATED / "python")},
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout.startswith("usage: python -m wiro_client.testing")
    assert "FakeWiro, a faithful local Wiro" in done.stdout and "examples:" in done.stdout
    assert "FakeWiro on http" not in done.stdout
