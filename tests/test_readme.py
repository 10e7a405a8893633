"""The README's code works when pasted: the quick start runs against FakeWiro, and the spec in
"Add a model in one file" is a valid spec that generates a client."""

from __future__ import annotations

import itertools
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import GENERATED, ROOT

pytestmark = pytest.mark.catalogue

README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(name: str) -> str:
    match = re.search(f"<!-- section:{name} -->(.*?)<!-- /section:{name} -->", README, re.S)
    assert match, f"README has no {name} section"
    return match.group(1)


def code_block(text: str, language: str) -> str:
    match = re.search(rf"^( *)```{language}\n(.*?)^\1```", text, re.S | re.M)
    assert match, f"no {language} block"
    indent = match.group(1)
    return "".join(line.removeprefix(indent) for line in match.group(2).splitlines(True))


def test_quick_start_runs_as_pasted(tmp_path: Path) -> None:
    # As the README says: from generated/python's package, in a folder of the user's own.
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "python")}
    done = subprocess.run(
        [sys.executable, "-c", code_block(section("quickstart"), "python")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    status, printed_path = done.stdout.splitlines()[-2:]
    assert status.startswith("task_postprocess_end http://127.0.0.1:")
    assert printed_path == "out/0.png"
    assert (tmp_path / "out" / "0.png").stat().st_size > 0


def test_add_a_model_example_is_a_valid_spec(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs" / "providers", specs / "providers")
    spec = specs / "models" / "black-forest-labs" / "flux-pro-1.1.yaml"
    spec.parent.mkdir(parents=True)
    spec.write_text(code_block(section("add-a-model"), "yaml"), encoding="utf-8")
    out = tmp_path / "generated"
    assert main(["generate", "--specs", str(specs), "--out", str(out)]) == 0
    client = out / "python" / "wiro_client" / "resources" / "black_forest_labs" / "flux_pro_1_1.py"
    assert "aspect_ratio" in client.read_text(encoding="utf-8")


def test_wiro_run_works_as_the_command_line_section_shows(tmp_path: Path) -> None:
    """The section's `wiro run` line, pasted, against `python -m wiro_client.testing serve`
    with the variables that server prints: its output has the shape the README shows."""
    block = code_block(section("cli"), "console").splitlines()
    run_at = next(i for i, line in enumerate(block) if line.startswith("$ wiro run "))
    shown = list(itertools.takewhile(lambda line: not line.startswith("$ "), block[run_at + 1 :]))
    env = {**os.environ, "PYTHONPATH": str(GENERATED / "python")}
    server = subprocess.Popen(
        [sys.executable, "-m", "wiro_client.testing", "serve", "--port", "0", "--duration", "1"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert server.stdout is not None
        printed = [server.stdout.readline().strip() for _ in range(4)]
        variables = dict(line.split("=", 1) for line in printed if "=" in line)
        exported = next(line for line in block if line.startswith("$ export "))
        assert sorted(v.split("=")[0] for v in exported.split()[2:]) == sorted(variables)
        done = subprocess.run(
            [sys.executable, "-m", "wiro_client", *shlex.split(block[run_at])[2:]],
            cwd=tmp_path,
            env={**env, **variables},
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert done.returncode == 0, done.stderr
    shapes = [
        re.compile(r"\[ *\d+\.\ds\] task_\w+"),
        re.compile(r"task \d+ succeeded in \d+\.\ds, cost \$0\.0035"),
        re.compile(r"out/0\.png"),
    ]
    for output in (shown, done.stdout.splitlines()):
        assert [next(i for i, s in enumerate(shapes) if s.fullmatch(line)) for line in output][
            -2:
        ] == [1, 2]
        assert all(any(s.fullmatch(line) for s in shapes) for line in output), output
    assert (tmp_path / "out" / "0.png").stat().st_size > 0
