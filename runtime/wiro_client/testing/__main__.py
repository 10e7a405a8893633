"""``python -m wiro_client.testing serve|demo|measure`` (alone: what each does).

- ``serve``: a standalone FakeWiro on real time; prints its URL, key and secret.
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
import textwrap
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


DESCRIPTION = """\
FakeWiro, a faithful local Wiro (the same endpoints, signatures, statuses and
errors, tasks that run on a clock, outputs to download), and tools around it."""

EXAMPLES = """\
examples:
  python -m wiro_client.testing serve --port 8787
  python -m wiro_client.testing demo --model wiro/instant-id --out out/
  python -m wiro_client.testing measure --runs 5 10 60

In tests, use it from Python:
  from wiro_client.testing import FakeWiro
  with FakeWiro() as fake, fake.client() as client: ..."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "serve":
        return run_serve(args)
    if args.command == "demo":
        return run_demo(args.speed, args.out, args.model)
    if args.command == "measure":
        return run_measure(args.durations, args.runs, args.socket)
    parser.print_help()  # no command: say what there is rather than start anything
    return 2


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="python -m wiro_client.testing",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=raw,
    )
    sub = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    def command(name: str, summary: str, description: str, *examples: str) -> Any:
        shown = "".join(f"\n  python -m wiro_client.testing {e}" for e in examples)
        return sub.add_parser(
            name,
            help=summary,
            description=textwrap.fill(description, 78),
            epilog=f"examples:{shown}",
            formatter_class=raw,
        )

    serve = command(
        "serve",
        "a FakeWiro on 127.0.0.1 until Ctrl-C (point WIRO_BASE_URL at it)",
        "Serve a FakeWiro on 127.0.0.1 until Ctrl-C, printing its URL and the "
        "credentials it accepts, ready to paste as WIRO_* environment variables. Every "
        "task succeeds after --duration seconds of its clock.",
        "serve",
        "serve --port 9000 --speed 10 --key-only",
    )
    serve.add_argument(
        "--port", type=int, default=8787, help="port to listen on (default: 8787)"
    )
    serve.add_argument(
        "--speed",
        type=float,
        default=1.0,
        help="how many times faster than real time tasks run (default: 1)",
    )
    serve.add_argument(
        "--api-key", default="fake-api-key", help="the API key it accepts"
    )
    serve.add_argument(
        "--api-secret", default="fake-api-secret", help="the API secret it accepts"
    )
    serve.add_argument(
        "--key-only",
        action="store_true",
        help="accept the key alone (a project without signature)",
    )
    serve.add_argument(
        "--duration",
        type=float,
        default=6.0,
        help="seconds each task runs before it succeeds (default: 6)",
    )
    demo = command(
        "demo",
        "run a model of this package against a FakeWiro, status by status",
        "Start a FakeWiro, run a model of this package through the client with sample "
        "inputs, print each status as it changes and where the downloaded outputs went.",
        "demo",
        f"demo --model {DEMO_MODEL} --speed 20 --out out/",
    )
    demo.add_argument(
        "--model",
        default=DEMO_MODEL,
        help=f"owner/slug of the model (default: {DEMO_MODEL}, or the package's first)",
    )
    demo.add_argument(
        "--speed",
        type=float,
        default=8.0,
        help="how many times faster than real time the task runs (default: 8)",
    )
    demo.add_argument(
        "--out", default=None, help="download folder (default: a temporary folder)"
    )
    measure = command(
        "measure",
        "how often the client polls, and how soon it sees a task end",
        "Run tasks of the given lengths on a virtual clock and print how many "
        "Task/Detail calls the client made and how long after the end it noticed (no "
        "real time passes).",
        "measure",
        "measure --runs 5 10 60",
    )
    measure.add_argument(
        "--runs", type=int, default=20, help="tasks per length (default: 20)"
    )
    measure.add_argument(
        "--socket",
        action="store_true",
        help="follow the tasks on the fake's socket (default: poll Task/Detail)",
    )
    measure.add_argument(
        "durations",
        nargs="*",
        type=float,
        default=[10.0, 60.0, 600.0],
        help="task lengths in seconds (default: 10 60 600)",
    )
    return parser


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
