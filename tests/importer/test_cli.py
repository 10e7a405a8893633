"""``wirogen import``: output, exit codes, and that a refused or invalid import writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT, SEEDS
from tests.importer.corpus import CASES

pytestmark = pytest.mark.catalogue

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
    (specs / "providers").mkdir(parents=True)
    code = main(["import", str(GOOD / "page.txt"), "-o", str(target), "--specs", str(specs)])
    assert code == 2
    assert (
        "unknown provider 'wiro' (known: none: no provider specs in specs/providers/; `wirogen init`"
        in capsys.readouterr().err
    )
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


INPAINTING = SEEDS / "001_8ddcafa1c73a4561.txt"
COPY = "wiro/inpainting-imported-by-a-test"
"""The endpoint of a copy of inpainting: one no committed spec has, whatever specs/ holds."""


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """A spec repository: the project's providers, schemas and model specs."""
    target = tmp_path / "specs"
    shutil.copytree(ROOT / "specs", target)
    return target


def test_import_refuses_a_spec_that_clashes_with_a_committed_one(
    specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = specs / "models" / f"{COPY}.yaml"
    new = ["--endpoint", COPY]
    assert main(["import", str(INPAINTING), "-o", str(target), "--specs", str(specs), *new]) == 2
    err = capsys.readouterr().err
    committed = specs / "models" / "wiro" / "image-inpainting-sd.yaml"
    assert (
        f"{target}:3:7: name 'wiro/image-inpainting-sd' is also the endpoint of {committed}:4:11 "
        "(wiro/image-inpainting-sd)"
    ) in err
    assert "give it another --endpoint (and --name" in err and "nothing was written" in err
    assert not target.exists()


def test_endpoint_and_name_import_a_page_as_a_model_of_its_own(
    specs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = specs / "models" / f"{COPY}.yaml"
    new = ["--endpoint", COPY, "--name", "wiro/inpainting copy"]
    assert main(["import", str(INPAINTING), "-o", str(target), "--specs", str(specs), *new]) == 0
    text = target.read_text(encoding="utf-8")
    assert f"name: wiro/inpainting copy\nendpoint: {COPY}\n" in text
    assert main(["validate", "--specs", str(specs)]) == 0
    # The choice is the import's, not a hand edit: --check with the same options is quiet.
    capsys.readouterr()
    assert (
        main(["import", "--check", str(target), str(INPAINTING), "--specs", str(specs), *new]) == 0
    )
    assert capsys.readouterr().out == ""
    assert main(["import", "--check", str(target), str(INPAINTING), "--specs", str(specs)]) == 2


def test_importing_a_page_again_over_its_own_spec_is_no_clash(specs: Path) -> None:
    target = specs / "models" / "wiro" / "image-inpainting-sd.yaml"
    before = target.read_text(encoding="utf-8")
    assert main(["import", str(INPAINTING), "-o", str(target), "--specs", str(specs)]) == 0
    assert main(["import", "--check", str(target), str(INPAINTING), "--specs", str(specs)]) == 0
    assert target.read_text(encoding="utf-8") == before


def test_the_schema_header_resolves_from_where_the_spec_is_written(specs: Path) -> None:
    target = specs / "models" / "wiro" / "inpainting" / "copy.yaml"
    new = ["--endpoint", COPY, "--name", COPY]
    assert main(["import", str(INPAINTING), "-o", str(target), "--specs", str(specs), *new]) == 0
    header = target.read_text(encoding="utf-8").splitlines()[0]
    assert header == "# yaml-language-server: $schema=../../../schema/model.schema.json"
    assert (target.parent / "../../../schema/model.schema.json").resolve().is_file()


def test_a_folder_without_providers_imports_against_the_ones_wirogen_ships(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "generator", "import", str(INPAINTING), "-o", "inpainting.yaml"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "checking against the providers wirogen ships" in done.stderr
    assert (tmp_path / "inpainting.yaml").read_text("utf-8").startswith("# yaml-language-server")
