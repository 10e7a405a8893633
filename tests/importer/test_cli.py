"""``wirogen import``: output, exit codes, and that a refused or invalid import writes nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.importer.corpus import CASES

GOOD = CASES / "older-layout-flattened"
BAD = CASES / "error-unknown-input-type"
SPECS = str(ROOT / "specs")


def run(*args: str) -> int:
    return main(["import", *args, "--specs", SPECS])


def test_import_prints_the_spec(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(GOOD / "page.txt")) == 0
    assert capsys.readouterr().out == (GOOD / "expected.yaml").read_text(encoding="utf-8")


def test_import_writes_the_spec_and_reports_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = CASES / "select-oddities"
    target = tmp_path / "specs" / "models" / "wiro" / "sdxl-styles.yaml"
    assert run(str(case / "page.txt"), "-o", str(target)) == 0
    assert target.read_text(encoding="utf-8") == (case / "expected.yaml").read_text()
    err = capsys.readouterr().err
    assert f"{case / 'page.txt'}:1:1050: warning: option 'EulerDiscreteScheduler'" in err


def test_a_page_that_cannot_be_imported_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "spec.yaml"
    assert run(str(BAD / "page.txt"), "-o", str(target)) == 2
    err = capsys.readouterr().err
    assert f"{BAD / 'page.txt'}:14:9: unknown input type 'colorpicker'" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert not target.exists()


def test_a_spec_that_fails_validation_is_never_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "spec.yaml"
    specs = tmp_path / "no-providers"
    specs.mkdir()
    code = main(["import", str(GOOD / "page.txt"), "-o", str(target), "--specs", str(specs)])
    assert code == 2
    assert "unknown provider 'wiro'" in capsys.readouterr().err
    assert not target.exists()


def test_check_is_quiet_when_the_spec_is_a_fresh_import(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--check", str(GOOD / "expected.yaml"), str(GOOD / "page.txt")) == 0
    assert capsys.readouterr().out == ""


def test_check_shows_hand_edits_and_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "face-restore.yaml"
    text = (GOOD / "expected.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("default: 25", "default: 30  # hand edit: the page is stale"))
    assert run("--check", str(spec), str(GOOD / "page.txt")) == 1
    out = capsys.readouterr().out
    assert "-    default: 30  # hand edit: the page is stale\n" in out
    assert "+    default: 25\n" in out


def test_python_dash_m_generator_import_is_the_same_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "import", str(GOOD / "page.txt"), "--specs", SPECS],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == (GOOD / "expected.yaml").read_text(encoding="utf-8")
