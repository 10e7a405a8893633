"""The README's code works when pasted: the quick start runs against FakeWiro, and the spec in
"Add a model in one file" is a valid spec that generates a client."""

from __future__ import annotations

import os
import re
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
