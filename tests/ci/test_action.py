"""The GitHub Action (action.yml) runs its steps as written, on a spec repository.

``actions/setup-python`` is GitHub's; here the runner's Python is a fresh venv, and the
install step runs as written: pip builds wirogen from the action's folder and installs it with
its dependencies (from the tests' wheelhouse, tests/support/venvs.py, as pip configured
offline would). Expressions
(``${{ ... }}``) are evaluated for the contexts the action reads; an expression this test does
not understand fails it, so the action stays within what is tested.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT
from tests.support.spec_repo import git
from tests.support.venvs import fresh_venv, offline_env

ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def evaluate(text: str, contexts: dict[str, Any]) -> str:
    """``${{ a || b || 'literal' }}`` with dotted context paths, as GitHub evaluates them."""

    def one(m: re.Match[str]) -> str:
        for operand in (o.strip() for o in m.group(1).split("||")):
            if re.fullmatch(r"'[^']*'", operand):
                value: Any = operand[1:-1]
            elif re.fullmatch(r"[a-z_]+(\.[\w-]+)+", operand):
                value = contexts
                for part in operand.split("."):
                    value = value.get(part, "") if isinstance(value, dict) else ""
            else:
                raise AssertionError(f"an expression this test does not evaluate: {operand}")
            if value:
                return str(value)
        return ""

    return EXPRESSION.sub(one, text)


@pytest.fixture(scope="module")
def runner(two_commits: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The runner's Python: a fresh venv with pip, as setup-python leaves one, into which the
    action's install step has installed wirogen (once: the tests run the other steps)."""
    venv = tmp_path_factory.mktemp("runner") / "venv"
    fresh_venv(venv, ROOT, with_pip=True)
    codes, _, _ = run_action(two_commits, venv, venv.parent / "install", {}, {INSTALL})
    assert codes == {INSTALL: 0}
    return venv


INSTALL = "Install wirogen"


def run_action(
    repo: Path,
    runner: Path,
    tmp: Path,
    inputs: dict[str, str],
    only: set[str] | None = None,
) -> tuple[dict[str, int], str, dict[str, str]]:
    """The action's steps (``only`` those named, else all but the install step) in ``repo``:
    exit codes by step name, the job summary, the outputs."""
    tmp.mkdir()
    summary, outputs = tmp / "summary.md", tmp / "outputs"
    summary.touch()
    outputs.touch()
    defaults = {k: str(v.get("default", "")) for k, v in ACTION["inputs"].items()}
    base = git(repo, "rev-parse", "HEAD~1").strip()
    contexts = {
        "inputs": {**defaults, **inputs},
        "github": {"action_path": str(ROOT), "event": {"pull_request": {"base": {"sha": base}}}},
    }
    env = {
        **offline_env(ROOT),
        "PATH": f"{runner / 'bin'}:/usr/bin:/bin",
        "HOME": str(tmp),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
        "RUNNER_TEMP": str(tmp),
    }
    codes: dict[str, int] = {}
    assert ACTION["runs"]["using"] == "composite"
    for step in ACTION["runs"]["steps"]:
        if "uses" in step:
            # GitHub's own action; the runner virtualenv plays its part.
            assert step["uses"].startswith("actions/setup-python@"), step["uses"]
            assert evaluate(step["with"]["python-version"], contexts) == "3.11"
            continue
        if step["name"] not in (
            only or {s.get("name") for s in ACTION["runs"]["steps"]} - {INSTALL}
        ):
            continue
        assert step["shell"] == "bash"
        step_env = {k: evaluate(str(v), contexts) for k, v in step.get("env", {}).items()}
        assert "${{" not in step["run"], "inputs reach scripts through env, never pasted in"
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=repo,
            env={**env, **step_env},
            capture_output=True,
            text=True,
        )
        codes[step["name"]] = proc.returncode
        if proc.returncode not in (0, 1):
            raise AssertionError(f"{step['name']}: {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    pairs = [line.split("=", 1) for line in outputs.read_text().splitlines() if "=" in line]
    return codes, summary.read_text(), {k: v for k, v in pairs}


def test_the_action_checks_and_reports_a_pull_request(
    two_commits: Path, runner: Path, tmp_path: Path
) -> None:
    codes, summary, outputs = run_action(two_commits, runner, tmp_path / "run", {})
    assert codes == {"wirogen check": 0, "wirogen diff": 0}
    assert summary.startswith("### Spec changes: 2 breaking changes\n")
    assert "Version 0.1.0 -> 1.0.0 (major), recorded in `specs/releases.yaml`." in summary
    for rule in ("`default`", "`input-added`", "`option-removed`"):
        assert rule in summary
    assert Path(outputs["report"]).read_text() == summary

    codes, summary, _ = run_action(
        two_commits, runner, tmp_path / "fail-on", {"fail-on": "breaking,unrecorded"}
    )
    assert codes["wirogen diff"] == 1  # and the report is in the summary all the same
    assert "| **breaking** | `steps`: default `20` is now `30`" in summary


def test_the_action_fails_on_drift_and_on_an_unrecorded_release(
    two_commits: Path, runner: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(two_commits), str(repo))
    page = repo / "generated/docs/wiro/instant-id.md"
    page.write_text(page.read_text() + "\nA hand edit.\n")
    history = repo / "specs/releases.yaml"
    history.write_text(history.read_text().replace("version: 1.0.0", "version: 0.2.0"))
    git(repo, "commit", "-q", "-am", "A hand edit, and a release that is not the report's")
    codes, summary, _ = run_action(repo, runner, tmp_path / "run", {"base": "HEAD~2"})
    assert codes["wirogen check"] == 1
    assert codes["wirogen diff"] == 1
    assert (
        "Version 0.1.0 -> 1.0.0 (major), not recorded yet: run `wirogen diff --base HEAD~2 --record`"
        in summary
    )
