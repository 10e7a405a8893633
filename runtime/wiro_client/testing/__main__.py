"""``python -m wiro_client.testing [serve|demo|measure]``.

- ``serve`` (default): a standalone FakeWiro on real time; prints its URL, key and secret.
- ``demo``: starts a FakeWiro, runs a model of this package (wiro/instant-id when it has it)
  through the client, prints each status as it changes and where the downloaded output went.
- ``measure``: Detail calls and detection latency, polling and on the socket, on virtual time.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from typing import Any

from .._catalogue import ENDPOINTS, model_spec
from .._spec import InputSpec, ModelSpec
from ._clock import ScaledClock, VirtualClock
from ._fake import FakeWiro
from ._scripts import Outcome

DEMO_MODEL = "wiro/instant-id"
SAMPLE_IMAGE = "https://cdn.wiro.ai/uploads/sampleinputs/input-portrait-2.jpg"


def demo_model(wanted: str) -> ModelSpec:
    """``wanted`` when this package has it, else its first model (the runtime names no model:
    every generated package, whatever its specs, has the same testing tools)."""
    spec = model_spec(wanted) or model_spec(next(iter(ENDPOINTS), ""))
    if spec is None:
        raise SystemExit("this package has no models to run")
    return spec


def sample_inputs(spec: ModelSpec) -> dict[str, Any]:
    """A value for every required input (a sample image URL for files), plus a prompt."""
    values: dict[str, Any] = {}
    for item in spec.inputs:
        if item.required or item.name == "prompt":
            values[item.name] = _sample(item)
    return values


def _sample(item: InputSpec) -> Any:
    if item.is_file:
        return [SAMPLE_IMAGE] if item.multiple else SAMPLE_IMAGE
    if item.options:
        return [item.options[0]] if item.multiple else item.options[0]
    if item.true_value is not None:
        return True
    if item.kind in ("number", "float", "range"):
        return item.minimum if item.minimum is not None else 1
    return "a portrait in the style of a renaissance painting"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m wiro_client.testing")
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve a FakeWiro until interrupted")
    serve.add_argument("--port", type=int, default=8787)
    serve.add_argument("--speed", type=float, default=1.0, help="clock speed-up")
    serve.add_argument("--api-key", default="fake-api-key")
    serve.add_argument("--api-secret", default="fake-api-secret")
    serve.add_argument("--key-only", action="store_true", help="no signature required")
    serve.add_argument("--duration", type=float, default=6.0, help="seconds per task")
    demo = sub.add_parser("demo", help="run a model against a FakeWiro")
    demo.add_argument(
        "--model",
        default=DEMO_MODEL,
        help=f"owner/slug (default: {DEMO_MODEL} if present)",
    )
    demo.add_argument("--speed", type=float, default=8.0, help="clock speed-up")
    demo.add_argument(
        "--out", default=None, help="download directory (default: a temp dir)"
    )
    measure = sub.add_parser("measure", help="Detail calls and detection latency")
    measure.add_argument("--runs", type=int, default=20)
    measure.add_argument(
        "--socket", action="store_true", help="follow tasks on the fake's socket"
    )
    measure.add_argument(
        "durations", nargs="*", type=float, default=[10.0, 60.0, 600.0]
    )
    args = parser.parse_args(argv)
    if args.command == "demo":
        return run_demo(args.speed, args.out, args.model)
    if args.command == "measure":
        return run_measure(args.durations, args.runs, args.socket)
    if args.command is None:
        args = parser.parse_args(["serve", *(argv or [])])
    return run_serve(args)


def run_serve(args: argparse.Namespace) -> int:
    fake = FakeWiro(
        api_key=args.api_key,
        api_secret=None if args.key_only else args.api_secret,
        clock=ScaledClock(args.speed),
        outcome=Outcome.success(args.duration),
        port=args.port,
    )
    with fake:
        print(f"FakeWiro on {fake.url}")
        print(f"  WIRO_BASE_URL={fake.url}")
        print(f"  WIRO_API_KEY={fake.api_key}")
        if fake.api_secret:
            print(f"  WIRO_API_SECRET={fake.api_secret}")
        print("Ctrl-C stops it.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print()
    return 0


def run_demo(speed: float, out: str | None, model: str = DEMO_MODEL) -> int:
    spec = demo_model(model)
    clock = ScaledClock(speed)
    target = out or tempfile.mkdtemp(prefix="wiro-demo-")
    # A longer queue and post-processing than the default, so that more statuses show.
    outcome = Outcome.success(8.0, queue=2.0, finishing=2.0)
    with FakeWiro(clock=clock, outcome=outcome) as fake, fake.client() as client:
        print(f"FakeWiro on {fake.url} (its clock runs {speed:g}x real time)")
        task = client.run(spec.endpoint, sample_inputs(spec))
        print(f"Run {spec.endpoint} -> task {task.id} (token {task.token})")
        started = clock.now()

        def show(result: object) -> None:
            status = getattr(result, "status", "?")
            print(f"  {clock.now() - started:5.1f}s  {status}", flush=True)

        result = task.wait(timeout=120, on_status=show)
        print(
            f"Finished: {result.status}, pexit {result.pexit!r}, "
            f"cost ${result.cost or 0:.4f}, {fake.calls('detail')} Task/Detail calls"
        )
        for output in result.outputs:
            path = output.download(target)
            print(f"Downloaded {output.name} ({output.size} bytes) -> {path}")
    return 0


def run_measure(durations: Sequence[float], runs: int, socket: bool = False) -> int:
    print("task length | Detail calls (mean / max) | detection latency s (mean / max)")
    print("----------- | ------------------------- | --------------------------------")
    for nominal in durations:
        calls, latencies = measure(nominal, runs, socket=socket)
        print(
            f"{nominal:>9.0f} s | {statistics.mean(calls):>11.1f} / {max(calls):<11d} |"
            f" {statistics.mean(latencies):>14.2f} / {max(latencies):.2f}"
        )
    return 0


def measure(
    nominal: float,
    runs: int,
    *,
    socket: bool = False,
    outcome: Callable[[float], Outcome] = Outcome.success,
) -> tuple[list[int], list[float]]:
    """Detail calls and detection latency (from the final status to ``wait()`` returning)
    for ``runs`` tasks whose lengths spread over ±2 s around ``nominal``, followed on the
    fake's socket or by polling."""
    calls: list[int] = []
    latencies: list[float] = []
    spec = demo_model(DEMO_MODEL)
    for i in range(runs):
        duration = nominal - 2.0 + 4.0 * i / max(runs, 1)
        clock = VirtualClock()
        fake = FakeWiro(clock=clock, outcome=outcome(duration), serve_socket=socket)
        with fake, fake.client(rng=random.Random(i), wait_timeout=None) as client:
            task = client.run(spec.endpoint, sample_inputs(spec))
            task.wait(raise_on_failure=False)
            assert task.id is not None
            finished = fake.task(task.id).finished_at
            assert finished is not None
            latencies.append(clock.now() - finished)
            calls.append(fake.calls("detail"))
    return calls, latencies


if __name__ == "__main__":
    sys.exit(main())
