"""CONTRIBUTING.md and the pull request template say what works: the five commands run as
written, from a model's page to a pushed branch whose release is recorded, and the README's
table of the diff's rules is the rules."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from generator.diff.rules import RULES
from tests.conftest import ROOT, SEEDS
from tests.support.spec_repo import git, seed_repository

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGE = SEEDS / "001_8ddcafa1c73a4561.txt"
"""The inpainting model's page, renamed below into a model the repository does not have."""


def five_commands() -> list[str]:
    section = CONTRIBUTING.split("<!-- section:five-commands -->")[1].split("<!-- /section")[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_the_five_commands_take_a_page_to_a_pushed_branch(tmp_path: Path) -> None:
    commands = five_commands()
    assert len(commands) == 5
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    (tmp_path / "repo").mkdir()
    repo = seed_repository(tmp_path / "repo")
    git(repo, "remote", "add", "origin", str(origin))
    git(repo, "push", "-q", "origin", "main")
    git(repo, "switch", "-q", "-c", "add-wiro-image-inpainting-xl")
    page = PAGE.read_text(encoding="utf-8").replace("image-inpainting-sd", "image-inpainting-xl")
    (repo / "page.txt").write_text(page, encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "GIT_AUTHOR_NAME": "Contributor",
        "GIT_AUTHOR_EMAIL": "c@example.com",
        "GIT_COMMITTER_NAME": "Contributor",
        "GIT_COMMITTER_EMAIL": "c@example.com",
    }
    for command in commands:
        line = command.replace("<owner>/<slug>", "wiro/image-inpainting-xl")
        done = subprocess.run(
            ["bash", "-eo", "pipefail", "-c", line],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"

    pushed = git(origin, "log", "--format=%s", "add-wiro-image-inpainting-xl", "-1").strip()
    assert pushed == "wiro/image-inpainting-xl: from its page"
    report = subprocess.run(
        [sys.executable, "-m", "generator", "diff", "--base", "main", "--fail-on", "unrecorded"],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert report.returncode == 0, report.stderr
    assert "model-added  new model `client.models.wiro.image_inpainting_xl`" in report.stdout
    assert "Version 0.1.0 -> 0.2.0 (minor), recorded in `specs/releases.yaml`." in report.stdout
    version = repo / "generated" / "python" / "wiro_client" / "_version.py"
    assert '__version__ = "0.2.0"' in version.read_text(encoding="utf-8")


def test_the_pull_request_template_asks_for_the_page_and_the_report() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## The model's page" in template
    assert "## What callers see change" in template
    assert "wirogen diff --base main --format markdown" in template
    assert "wirogen diff --base main --record" in template


def test_the_readme_lists_every_rule_as_wirogen_diff_rules_does() -> None:
    rows = re.findall(r"^\| `([a-z-]+)` \| (.+) \|$", README, re.M)
    listed = {name: about for name, about in rows if name in RULES or "-" in name}
    assert listed == {rule.name: rule.about for rule in RULES.values()}
