"""Every script in examples/ runs as a user would run it, against a FakeWiro: the client
configured from WIRO_* environment variables, the package on the path as if installed."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from wiro_client.testing import FakeWiro, Outcome, ScaledClock

from tests.conftest import GENERATED, ROOT

EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeWiro]:
    """One FakeWiro on a fast clock: a client polling in real time sees tasks end in ~1 s."""
    with FakeWiro(clock=ScaledClock(60.0), outcome=Outcome.success(6.0)) as server:
        yield server


def run(fake: FakeWiro, cwd: Path, *args: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": str(GENERATED / "python"),
        "WIRO_BASE_URL": fake.url,
        "WIRO_API_KEY": fake.api_key,
        "WIRO_API_SECRET": fake.api_secret or "",
    }
    done = subprocess.run(
        [sys.executable, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_every_example_is_run_here() -> None:
    scripts = {p.name for p in EXAMPLES.glob("*.py")}
    assert scripts == {
        "bad_inputs.py",
        "resume_later.py",
        "run_a_model.py",
        "run_concurrently.py",
        "run_many.py",
        "test_with_fakewiro.py",
    }
    listed = (EXAMPLES / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in listed for name in scripts)


def test_run_a_model(fake: FakeWiro, tmp_path: Path) -> None:
    out = run(fake, tmp_path, str(EXAMPLES / "run_a_model.py"), "images/")
    assert "  task_postprocess_end" in out and "done: task_postprocess_end" in out
    assert out.splitlines()[-1] == "saved images/0.png"
    assert (tmp_path / "images" / "0.png").stat().st_size > 0


def test_run_concurrently(fake: FakeWiro, tmp_path: Path) -> None:
    lines = run(fake, tmp_path, str(EXAMPLES / "run_concurrently.py")).splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "an oil painting",
        "a charcoal sketch",
        "a stained-glass window",
    ]
    assert all(f"task_postprocess_end -> {fake.root}" in line for line in lines)


def test_run_many(fake: FakeWiro, tmp_path: Path) -> None:
    out = run(fake, tmp_path, str(EXAMPLES / "run_many.py"))
    assert out.splitlines()[-1] == "4 of 4 succeeded"


def test_resume_later(fake: FakeWiro, tmp_path: Path) -> None:
    script = str(EXAMPLES / "resume_later.py")
    started = run(fake, tmp_path, script, "start", "task.json")
    saved = (tmp_path / "task.json").read_text(encoding="utf-8")
    assert fake.api_key not in saved and (fake.api_secret or "?") not in saved
    finished = run(fake, tmp_path, script, "finish", "task.json")
    task_id = started.split()[2].rstrip(";")
    assert finished.startswith(f"task {task_id}: task_postprocess_end -> ")


def test_bad_inputs(fake: FakeWiro, tmp_path: Path) -> None:
    runs = fake.calls("run")
    out = run(fake, tmp_path, str(EXAMPLES / "bad_inputs.py"))
    assert out.startswith("Invalid inputs of wiro/instant-id (4 problems):")
    assert "argument 'input_image_url', on the wire 'inputImageUrl'" in out
    assert "did you mean 'seed'?" in out
    assert fake.calls("run") == runs  # nothing was sent


def test_test_with_fakewiro(fake: FakeWiro, tmp_path: Path) -> None:
    out = run(
        fake, tmp_path, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        str(EXAMPLES / "test_with_fakewiro.py"),
    )  # fmt: skip
    assert "2 passed" in out
