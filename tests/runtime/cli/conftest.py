"""The CLI as users meet it: ``python -m wiro_client`` in a process of its own (the
generated package, where the runtime is copied byte for byte), against a FakeWiro served
from the test process on real time."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from wiro_client import SystemClock
from wiro_client.testing import FakeWiro, Outcome

from tests.conftest import GENERATED

PACKAGE = GENERATED / "python"
IMAGE = "https://cdn.example.com/portrait.png"

QUICK = Outcome.success(0.6, queue=0.1, finishing=0.2)
"""A task done by the client's first poll (1 s after the Run): a test waits ~1 s a task."""


@pytest.fixture
def fake() -> Iterator[FakeWiro]:
    with FakeWiro(clock=SystemClock(), outcome=QUICK) as server:
        yield server


def environment(fake: FakeWiro | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIRO_")}
    env["PYTHONPATH"] = str(PACKAGE)
    env.pop("TERM", None)
    if fake is not None:
        env |= {
            "WIRO_BASE_URL": fake.url,
            "WIRO_API_KEY": fake.api_key,
            "WIRO_API_SECRET": fake.api_secret or "",
        }
    return env | extra


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "wiro_client", *args]


def wiro(
    fake: FakeWiro | None,
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 60,
) -> subprocess.CompletedProcess[str]:
    """Run ``wiro ARGS`` to its end with stdout and stderr captured (not a terminal)."""
    return subprocess.run(
        command(*args),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env=env if env is not None else environment(fake),
        stdin=subprocess.DEVNULL,
    )


def lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    """The single line a failure prints on stderr (no traceback)."""
    errors = lines(done.stderr)
    assert len(errors) == 1 and "Traceback" not in done.stderr, done.stderr
    assert errors[0].startswith("wiro: error: "), errors
    return errors[0].removeprefix("wiro: error: ")


def status_lines(text: str) -> list[str]:
    """The statuses of the plain progress lines (``[    1.0s] task_start``)."""
    found = []
    for line in lines(text):
        if line.startswith("[") and "s] " in line:
            found.append(line.split("s] ", 1)[1])
    return found


__all__: Sequence[str] = [
    "IMAGE",
    "QUICK",
    "command",
    "environment",
    "lines",
    "one_error_line",
    "status_lines",
    "wiro",
]
