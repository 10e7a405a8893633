"""`wirogen` commands: exit codes, messages, and that a refused run writes nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator import cli
from generator.cli import main
from tests.conftest import ROOT
from tests.support.helpful import unhelpful

pytestmark = pytest.mark.catalogue


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    target = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", target, ignore=shutil.ignore_patterns("schema"))
    return target


def run(*args: str) -> int:
    return main(list(args))


def test_generate_writes_and_check_passes(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    assert run("generate", "--specs", str(specs), "--out", str(out)) == 0
    assert run("check", "--specs", str(specs), "--out", str(out)) == 0
    assert "up to date" in capsys.readouterr().out


def test_check_lists_drift_and_exits_1(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run("generate", "--specs", str(specs), "--out", str(out))
    (out / "docs" / "index.md").write_text("edited by hand\n")
    (specs / "models" / "wiro" / "image-inpainting-sd.yaml").unlink()
    capsys.readouterr()
    assert run("check", "--specs", str(specs), "--out", str(out)) == 1
    listed = capsys.readouterr().out.splitlines()
    assert f"changed: {out}/docs/index.md" in listed
    assert f"stale: {out}/docs/wiro/image-inpainting-sd.md" in listed


def test_a_bad_spec_exits_2_and_writes_nothing(
    specs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run("generate", "--specs", str(specs), "--out", str(out))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    spec = specs / "models" / "wiro" / "instant-id.yaml"
    spec.write_text(
        spec.read_text().replace("default: EulerAncestralDiscreteScheduler", "default: Euler")
    )
    (specs / "models" / "wiro" / "new.yaml").write_text(
        "provider: wiro\nname: wiro/new\nendpoint: wiro/new\ninputs: []\n"
    )
    capsys.readouterr()
    assert run("generate", "--specs", str(specs), "--out", str(out)) == 2
    err = capsys.readouterr().err
    assert f"{spec}:" in err and "'Euler' is not one of the options" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_validate_stops_at_the_first_bad_spec(
    specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = specs / "models" / "wiro" / "a-bad.yaml"
    bad.write_text(
        "provider: wiro\nname: wiro/bad\nendpoint: wiro/bad\ninputs:\n  - {name: x, type: strng}\n"
    )
    worse = specs / "models" / "wiro" / "b-worse.yaml"
    worse.write_text("provider: wiro\n")
    assert run("validate", "--specs", str(specs)) == 2
    err = capsys.readouterr().err
    assert f"{bad}:5:21: 'strng' is not one of" in err and str(worse) not in err
    assert (
        run("validate", "--specs", str(specs), str(specs / "models" / "wiro" / "instant-id.yaml"))
        == 0
    )


def test_python_dash_m_generator_is_the_same_cli(specs: Path, tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "validate", "--specs", str(specs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    count = len(list((specs / "models").rglob("*.yaml")))  # whatever specs/ holds today
    assert f"{count} model spec{'s' if count != 1 else ''} valid" in proc.stdout


def test_every_command_and_option_explains_itself() -> None:
    assert unhelpful(cli._parser()) == []


def test_wirogen_alone_tells_what_it_does_and_how(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    shown = capsys.readouterr().out
    assert shown.startswith("usage: wirogen") and "thin doors" not in shown
    assert "Generate a typed Python client" in shown
    for command in ("generate", "check", "validate", "import"):
        assert f"    {command} " in shown
    assert "examples:\n  wirogen import page.txt -o specs/models/" in shown
