"""A spec repository as contributors have one: specs/ and generated/ in git, and the change the
issue's scenario makes to the seed specs (remove an option, add an optional input, change a
default)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from generator.cli import main

ROOT = Path(__file__).resolve().parents[2]
INSTANT_ID = "specs/models/wiro/instant-id.yaml"
THREE_CHANGES = [
    # remove an option
    ("      - value: DDIMScheduler\n        label: DDIMScheduler\n", ""),
    # change a default
    (
        "    help: inferencesteps-help\n    default: 20\n",
        "    help: inferencesteps-help\n    default: 30\n",
    ),
    # add an optional input
    (
        "  - name: scheduler\n",
        "  - name: enhancePrompt\n    type: checkbox\n    label: Enhance prompt\n"
        "    default: false\n  - name: scheduler\n",
    ),
]


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-c", "user.name=Contributor", "-c", "user.email=c@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def edit(path: Path, changes: list[tuple[str, str]]) -> None:
    text = path.read_text(encoding="utf-8")
    for old, new in changes:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def seed_repository(repo: Path) -> Path:
    """The repository's specs and generated output, committed on ``main``."""
    shutil.copytree(ROOT / "specs", repo / "specs")
    shutil.copytree(ROOT / "generated", repo / "generated")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The seed specs")
    return repo


def wirogen_in(repo: Path, *args: str) -> int:
    before = Path.cwd()
    os.chdir(repo)
    try:
        return main(list(args))
    finally:
        os.chdir(before)


def three_changes_committed(repo: Path) -> Path:
    """The second commit: the three changes, their release recorded and generated/ made."""
    edit(repo / INSTANT_ID, THREE_CHANGES)
    assert wirogen_in(repo, "diff", "--base", "HEAD", "--record") == 0
    assert wirogen_in(repo, "generate") == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "instant-id: three changes")
    return repo
