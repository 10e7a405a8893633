"""The pre-commit hooks (.pre-commit-hooks.yaml), through ``pre-commit try-repo`` as a spec
repository would use them: pre-commit builds its own environment from this repository (pip
installs wirogen and its dependencies, from the tests' wheelhouse: tests/support/venvs.py) and
runs the hooks on the spec repository.

The hooks repository is a fresh git repository of the files the wirogen package is built from,
as they are in the working tree (try-repo would otherwise see only committed files).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.support.spec_repo import INSTANT_ID, edit, git
from tests.support.venvs import offline_env


def package_files() -> list[str]:
    """What the wirogen package is built from, as pyproject.toml names it, and the hooks."""
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    wheel = meta["tool"]["hatch"]["build"]["targets"]["wheel"]
    project = meta["project"]
    return [
        ".pre-commit-hooks.yaml",
        "pyproject.toml",
        project["readme"],
        *project.get("license-files", []),
        *wheel["packages"],
        *wheel.get("force-include", {}),
    ]


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("wirogen") / "wirogen"
    ignore = shutil.ignore_patterns("__pycache__", ".*cache", "*.pyc")
    for name in package_files():
        source, target = ROOT / name, repo / name
        if target.exists():
            continue
        if source.is_dir():
            shutil.copytree(source, target, ignore=ignore)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "wirogen")
    return repo


def try_repo(spec_repo: Path, hooks: Path, *args: str) -> subprocess.Popen[str]:
    """``pre-commit try-repo``, started: each run installs the hooks' environment afresh, so
    the test starts its runs together and waits for them once."""
    env = {**offline_env(ROOT), "PRE_COMMIT_COLOR": "never"}
    return subprocess.Popen(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), *args],
        cwd=spec_repo,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def outcome(run: subprocess.Popen[str]) -> tuple[int, str]:
    output, _ = run.communicate(timeout=600)
    return run.returncode, output


def test_the_hooks_pass_a_good_repository_and_refuse_a_bad_spec(
    two_commits: Path, hooks_repo: Path, tmp_path: Path
) -> None:
    good, bad = tmp_path / "good", tmp_path / "bad"
    for clone in (good, bad):
        git(tmp_path, "clone", "-q", str(two_commits), str(clone))
    # A default that is not one of the select's options, staged for commit.
    edit(bad / INSTANT_ID, [('    default: "79"\n', '    default: "80"\n')])
    git(bad, "add", INSTANT_ID)
    runs = try_repo(good, hooks_repo, "--all-files"), try_repo(bad, hooks_repo)
    (passed, passed_output), (refused, refused_output) = map(outcome, runs)

    assert passed == 0, passed_output
    assert "wirogen validate....." in passed_output and "wirogen check....." in passed_output
    assert "Skipped" not in passed_output

    assert refused == 1, refused_output
    assert refused_output.count("Failed") == 2, refused_output  # validate, and check
    assert (
        "specs/models/wiro/instant-id.yaml:13:14: default of 'selectedModel': "
        "'80' is not one of the options" in refused_output
    )
