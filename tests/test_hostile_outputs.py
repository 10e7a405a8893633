"""What the generator emits for hostile specs is valid: every golden output of tests/hostile (and
tests/cases), put together with the runtime, imports and passes mypy --strict."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.emit.client import runtime_files
from tests.cases_driver import case_dirs, expected_files
from tests.conftest import ROOT
from tests.support.checks import mypy_strict, round_trip, ruff_check

GOLDEN = [case for case in case_dirs() if (case / "expected").is_dir()]


def assemble(case: Path, into: Path) -> Path:
    """The whole generated package of one case: its golden files plus the runtime."""
    for path, text in [*runtime_files(), *expected_files(case).items()]:
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return into / "python"


@pytest.mark.parametrize("case", GOLDEN, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden_output_imports_and_round_trips(case: Path, tmp_path: Path) -> None:
    proc = round_trip(assemble(case, tmp_path))
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_golden_outputs_pass_ruff(tmp_path: Path) -> None:
    failures = []
    for case in GOLDEN:
        proc = ruff_check(assemble(case, tmp_path / case.name))
        if proc.returncode != 0:
            failures.append(f"{case.name}:\n{proc.stdout}")
    assert failures == []


def test_golden_outputs_pass_mypy_strict(tmp_path: Path) -> None:
    failures = []
    for case in GOLDEN:
        proc = mypy_strict(
            assemble(case, tmp_path / case.name), ROOT / ".mypy_cache" / "cases" / case.name
        )
        if proc.returncode != 0:
            failures.append(f"{case.name}:\n{proc.stdout}")
    assert failures == []
