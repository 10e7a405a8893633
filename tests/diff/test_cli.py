"""``wirogen diff`` as a contributor uses it: in a git repository holding specs/ and generated/."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from generator.cli import main
from tests.conftest import ROOT
from tests.support.spec_repo import INSTANT_ID, THREE_CHANGES, edit, git, seed_repository


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A spec repository: the seed specs and their generated output, in one commit."""
    (tmp_path / "specs-repo").mkdir()
    repo = seed_repository(tmp_path / "specs-repo")
    monkeypatch.chdir(repo)
    return repo


def wirogen(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_three_seed_changes_are_classified_and_move_the_version(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / INSTANT_ID, THREE_CHANGES)
    code, out, err = wirogen(
        capsys, "diff", "--base", "HEAD", "--record", "--fail-on", "unrecorded"
    )
    assert code == 0, err
    assert "recorded 1.0.0 in specs/releases.yaml" in err
    assert wirogen(capsys, "generate")[0] == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "instant-id: three changes")

    code, out, _ = wirogen(capsys, "diff", "--base", "HEAD~1")
    assert code == 0
    assert out == (
        "wiro/instant-id  client.models.wiro.instant_id\n"
        "  breaking    default         `steps`: default `20` is now `30`; calls that leave it out send `30`\n"
        "  compatible  input-added     `enhance_prompt`: new optional input, default `False`\n"
        "  breaking    option-removed  `scheduler`: option `'DDIMScheduler'` "
        "(`Scheduler.DDIM_SCHEDULER`) removed; calls passing it are refused\n"
        "\n"
        "3 changes to 1 model: 2 breaking, 1 compatible, 0 wire-only.\n"
        "Version 0.1.0 -> 1.0.0 (major), recorded in `specs/releases.yaml`.\n"
    )
    version = (repo / "generated/python/wiro_client/_version.py").read_text()
    assert '__version__ = "1.0.0"' in version
    changelog = (repo / "generated/python/CHANGELOG.md").read_text()
    assert changelog.index("## 1.0.0") < changelog.index("## 0.1.0")
    assert "- `wiro/instant-id`: `enhance_prompt`: new optional input" in changelog
    assert wirogen(capsys, "check")[0] == 0
    assert wirogen(capsys, "diff", "--base", "HEAD~1", "--fail-on", "unrecorded")[0] == 0
    code, _, err = wirogen(capsys, "diff", "--base", "HEAD~1", "--fail-on", "breaking")
    assert code == 1
    assert "2 breaking changes" in err
    assert wirogen(capsys, "diff", "--base", "HEAD~1", "--fail-on", "wire-only")[0] == 0


def test_an_unrecorded_change_fails_the_unrecorded_check_and_says_how_to_record(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / INSTANT_ID, THREE_CHANGES[2:])
    code, out, err = wirogen(capsys, "diff", "--fail-on", "breaking,unrecorded")
    assert code == 1
    assert (
        "Version 0.1.0 -> 0.2.0 (minor), not recorded yet: run `wirogen diff --base HEAD --record`"
        in out
    )
    assert "not recorded in specs/releases.yaml" in err


def test_recording_again_keeps_the_notes_and_follows_the_base(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    history = repo / "specs/releases.yaml"
    edit(repo / INSTANT_ID, THREE_CHANGES[2:])
    assert wirogen(capsys, "diff", "--record")[0] == 0
    edit(
        history,
        [("    addition: true\n", "    addition: true\n  notes: Prompts can be enhanced.\n")],
    )
    edit(repo / INSTANT_ID, THREE_CHANGES[:1])  # now breaking too: 0.2.0 becomes 1.0.0
    assert wirogen(capsys, "diff", "--record")[0] == 0
    text = history.read_text()
    assert "version: 1.0.0" in text and "version: 0.2.0" not in text
    assert "notes: Prompts can be enhanced." not in text  # the notes were 0.2.0's
    edit(history, [("- version: 1.0.0\n", "- version: 1.0.0\n  notes: Schedulers trimmed.\n")])
    assert wirogen(capsys, "diff", "--record")[0] == 0
    assert "notes: Schedulers trimmed." in history.read_text()
    # Conflict markers (a merge) do not stop recording: the file is written afresh.
    history.write_text("<<<<<<< HEAD\nreleases: [\n=======\n>>>>>>> main\n")
    code, out, _ = wirogen(capsys, "diff", "--record")
    assert code == 0
    assert "recorded in `specs/releases.yaml`" in out
    assert "version: 1.0.0" in history.read_text()


def test_no_change_records_nothing(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (repo / "specs/releases.yaml").read_bytes()
    code, out, _ = wirogen(capsys, "diff", "--record", "--fail-on", "any,unrecorded")
    assert code == 0
    assert out == "No changes callers can see.\nVersion 0.1.0, nothing to record.\n"
    assert (repo / "specs/releases.yaml").read_bytes() == before


def test_json_and_markdown(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    edit(repo / INSTANT_ID, THREE_CHANGES)
    code, out, _ = wirogen(capsys, "diff", "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["summary"] == {"breaking": 2, "compatible": 1, "wire-only": 0, "bump": "major"}
    assert report["version"] == {
        "base": "0.1.0",
        "next": "1.0.0",
        "recorded": False,
        "file": "specs/releases.yaml",
    }
    assert [c["rule"] for c in report["entries"][0]["changes"]] == [
        "default",
        "input-added",
        "option-removed",
    ]
    code, out, _ = wirogen(capsys, "diff", "--format", "markdown")
    assert code == 0
    assert out.startswith("### Spec changes: 2 breaking changes\n")
    assert "| **breaking** | `steps`: default `20` is now `30`" in out


def test_bad_specs_and_bad_revisions_are_refused_with_their_place(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(repo / INSTANT_ID, [("    default: 20\n", "    default: twenty\n")])
    code, _, err = wirogen(capsys, "diff")
    assert code == 2
    assert "specs/models/wiro/instant-id.yaml:200:14: default of 'steps':" in err
    git(repo, "commit", "-q", "-am", "A bad default")
    edit(repo / INSTANT_ID, [("    default: twenty\n", "    default: 20\n")])
    code, _, err = wirogen(capsys, "diff")
    assert code == 2
    assert "HEAD:specs/models/wiro/instant-id.yaml:200:14: default of 'steps':" in err
    code, _, err = wirogen(capsys, "diff", "--base", "no-such-branch")
    assert code == 2
    assert "'no-such-branch' is not a revision of the repository" in err
    code, _, err = wirogen(capsys, "diff", "specs")
    assert code == 2
    assert "--base REF or two folders" in err
    code, _, err = wirogen(capsys, "diff", "--fail-on", "braking")
    assert code == 2
    assert "'braking' is not one of" in err


def test_outside_a_repository_two_folders_still_work(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copytree(ROOT / "specs", tmp_path / "old")
    shutil.copytree(ROOT / "specs", tmp_path / "new")
    edit(tmp_path / "new/models/wiro/instant-id.yaml", THREE_CHANGES[1:2])
    monkeypatch.chdir(tmp_path)
    code, out, _ = wirogen(capsys, "diff", "old", "new")
    assert code == 0
    assert "`steps`: default `20` is now `30`" in out
    code, _, err = wirogen(capsys, "diff", "--specs", "old")
    assert code == 2
    assert "not a git repository" in err.lower()
    code, _, err = wirogen(capsys, "diff", "old", "nwe")
    assert code == 2
    assert "wirogen: nwe: no such specs folder" in err


def test_specs_in_a_subfolder_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "r"
    shutil.copytree(ROOT / "specs", repo / "catalogue" / "specs")
    git(repo.parent, "init", "-q", str(repo))
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "specs")
    edit(repo / "catalogue/specs/models/wiro/instant-id.yaml", THREE_CHANGES[:1])
    monkeypatch.chdir(repo / "catalogue")
    code, out, _ = wirogen(capsys, "diff", "--base", "HEAD")
    assert code == 0
    assert "option-removed" in out
    monkeypatch.chdir(repo)
    assert wirogen(capsys, "diff", "--specs", "catalogue/specs")[1] == out


def test_a_release_the_report_cannot_see_is_cut_with_bump_and_stays(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A change to the runtime or a template changes no spec: --bump records a release."""
    assert wirogen(capsys, "diff", "--bump", "patch")[0] == 2
    code, out, _ = wirogen(capsys, "diff", "--record", "--bump", "patch")
    assert code == 0
    assert out.endswith("Version 0.1.0 -> 0.1.1 (patch), recorded in `specs/releases.yaml`.\n")
    history = repo / "specs/releases.yaml"
    edit(
        history,
        [("- version: 0.1.1\n", "- version: 0.1.1\n  notes: Retries honour Retry-After.\n")],
    )
    assert wirogen(capsys, "diff", "--fail-on", "unrecorded")[0] == 0
    assert wirogen(capsys, "diff", "--record")[0] == 0  # recording again keeps it
    assert "notes: Retries honour Retry-After." in history.read_text()
    assert wirogen(capsys, "generate")[0] == 0
    changelog = (repo / "generated/python/CHANGELOG.md").read_text()
    assert "## 0.1.1\n\nRetries honour Retry-After.\n" in changelog
    # A spec change on top makes it a release with changes, bumped by the report.
    edit(repo / INSTANT_ID, THREE_CHANGES[2:])
    code, out, _ = wirogen(capsys, "diff", "--record")
    assert "Version 0.1.0 -> 0.2.0 (minor), recorded" in out
