"""``wirogen init``: a spec repository that works from its first commit, outside this one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator._paths import providers_dir, schema_dir
from generator.cli import main
from tests.conftest import SEEDS
from tests.support.checks import ruff_check

INPAINTING = SEEDS / "001_8ddcafa1c73a4561.txt"


def test_init_starts_a_repository_that_checks_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "model-specs"
    assert main(["init", str(repo)]) == 0
    for provider in providers_dir().glob("*.yaml"):
        assert (repo / "specs" / "providers" / provider.name).read_bytes() == provider.read_bytes()
    for schema in schema_dir().glob("*.schema.json"):
        assert (repo / "specs" / "schema" / schema.name).read_bytes() == schema.read_bytes()
    assert (repo / "requirements.txt").read_text("utf-8").splitlines()[-1] == "wirogen==0.1.0"
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "wirogen.yml").read_text("utf-8"))
    assert {"run": "make check"} in workflow["jobs"]["check"]["steps"]
    makefile = (repo / "Makefile").read_text("utf-8")
    assert all(f"\n{target}:" in makefile for target in ("generate", "check", "package", "demo"))
    specs, out = str(repo / "specs"), str(repo / "generated")
    assert main(["check", "--specs", specs, "--out", out]) == 0
    assert main(["validate", "--specs", specs]) == 0
    assert "next: cd " in capsys.readouterr().out


def test_an_initialised_repository_imports_generates_and_ships_a_working_package(
    tmp_path: Path,
) -> None:
    repo = tmp_path / "model-specs"
    assert main(["init", str(repo)]) == 0
    package = repo / "generated" / "python"
    env = {**os.environ, "PYTHONPATH": str(package)}
    imported = [sys.executable, "-c", "import wiro_client.resources, wiro_client.testing"]
    assert subprocess.run(imported, env=env, cwd=tmp_path).returncode == 0  # no model yet
    assert ruff_check(package).returncode == 0
    spec = repo / "specs" / "models" / "wiro" / "image-inpainting-sd.yaml"
    assert main(["import", str(INPAINTING), "-o", str(spec), "--specs", str(repo / "specs")]) == 0
    reference = spec.read_text("utf-8").splitlines()[0].split("$schema=")[1]
    assert (spec.parent / reference).resolve() == (repo / "specs/schema/model.schema.json")
    folders = ["--specs", str(repo / "specs"), "--out", str(repo / "generated")]
    assert main(["generate", *folders]) == 0
    assert main(["check", *folders]) == 0
    assert (package / "wiro_client" / "resources" / "wiro" / "image_inpainting_sd.py").is_file()


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "README.md").write_text("ours\n", "utf-8")
    assert main(["init", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path}/README.md already exists" in err and "nothing was written" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["README.md"]
    assert (tmp_path / "README.md").read_text("utf-8") == "ours\n"


def test_the_scaffolded_workflow_reports_a_pull_request_and_asks_for_its_release(
    tmp_path: Path,
) -> None:
    """The workflow's pull-request step, run as written: adding a model is reported in the
    job summary, and the job fails until releases.yaml records the release it makes."""
    from tests.support.spec_repo import git

    repo = tmp_path / "model-specs"
    assert main(["init", str(repo)]) == 0
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "wirogen init")
    base = git(repo, "rev-parse", "HEAD").strip()
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", str(origin))
    git(repo, "push", "-q", str(origin), "main")
    git(repo, "remote", "add", "origin", str(origin))

    folders = ["--specs", str(repo / "specs"), "--out", str(repo / "generated")]
    spec = repo / "specs" / "models" / "wiro" / "image-inpainting-sd.yaml"
    assert main(["import", str(INPAINTING), "-o", str(spec), "--specs", str(repo / "specs")]) == 0
    assert main(["generate", *folders]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Add image-inpainting-sd")

    (repo / ".venv" / "bin").mkdir(parents=True)
    (repo / ".venv" / "bin" / "wirogen").symlink_to(Path(sys.executable).with_name("wirogen"))
    workflow = yaml.safe_load((repo / ".github" / "workflows" / "wirogen.yml").read_text("utf-8"))
    (step,) = [s for s in workflow["jobs"]["check"]["steps"] if "pull_request" in s.get("if", "")]

    def run_step() -> tuple[int, str]:
        summary = tmp_path / "summary.md"
        summary.write_text("", "utf-8")
        env = {**os.environ, "BASE": base, "GITHUB_STEP_SUMMARY": str(summary)}
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=env)
        return done.returncode, summary.read_text("utf-8")

    code, report = run_step()
    assert code == 1
    assert "wiro/image-inpainting-sd" in report

    assert main(["diff", "--base", base, "--specs", str(repo / "specs"), "--record"]) == 0
    assert main(["generate", *folders]) == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Record the release")
    code, report = run_step()
    assert code == 0, report
    assert "wiro/image-inpainting-sd" in report
