"""The writer: only under --out, all-or-nothing, and it removes only what it generated."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.write import MANIFEST, UnsafePathError, write_output


def tree(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_writes_files_and_a_manifest_then_nothing_when_unchanged(tmp_path: Path) -> None:
    files = {"a/b.py": "x = 1\n", "c.md": "# c\n"}
    first = write_output(tmp_path, files)
    assert first.written == sorted([*files, MANIFEST])
    assert {k: v for k, v in tree(tmp_path).items() if k != MANIFEST} == files
    second = write_output(tmp_path, files)
    assert (second.written, second.removed, second.unchanged) == ([], [], 3)


def test_files_of_deleted_specs_are_removed_and_nothing_else(tmp_path: Path) -> None:
    write_output(tmp_path, {"docs/old/model.md": "old\n", "docs/keep.md": "keep\n"})
    (tmp_path / "docs" / "old" / "notes.txt").write_text("mine\n")  # not generated: must survive
    (tmp_path / "hand-written.md").write_text("mine\n")
    report = write_output(tmp_path, {"docs/keep.md": "keep\n"})
    assert report.removed == ["docs/old/model.md"]
    assert set(tree(tmp_path)) == {
        "docs/keep.md",
        "docs/old/notes.txt",
        "hand-written.md",
        MANIFEST,
    }


def test_empty_folders_left_by_removed_files_go_too(tmp_path: Path) -> None:
    write_output(tmp_path, {"schemas/gone/x.json": "{}\n", "keep.md": "k\n"})
    write_output(tmp_path, {"keep.md": "k\n"})
    assert not (tmp_path / "schemas").exists()


@pytest.mark.parametrize(
    "path", ["../evil.py", "/etc/passwd", "a/../../evil", "C:/x.py", "a\\b.py", "", "a//b", "./a"]
)
def test_refuses_paths_outside_the_output_folder(tmp_path: Path, path: str) -> None:
    out = tmp_path / "out"
    with pytest.raises(UnsafePathError):
        write_output(out, {"fine.py": "x\n", path: "evil\n"})
    assert tree(tmp_path) == {}, "nothing may be written when any path is refused"


def test_never_follows_a_symlinked_folder_out(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(outside, out / "docs")
    with pytest.raises(UnsafePathError, match="symbolic link"):
        write_output(out, {"docs/x.md": "evil\n"})
    assert list(outside.iterdir()) == []


def test_a_failure_while_staging_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_output(tmp_path, {"a.py": "old\n", "b.py": "old\n"})
    before = tree(tmp_path)
    real_fdopen = os.fdopen
    calls = {"n": 0}

    def failing_fdopen(fd: int, mode: str = "r"):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(28, "No space left on device")
        return real_fdopen(fd, mode)

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(OSError, match="No space"):
        write_output(tmp_path, {"a.py": "new\n", "b.py": "new\n"})
    assert tree(tmp_path) == before
    assert not [p for p in tmp_path.rglob(".wirogen-tmp-*")], "temporary files must be cleaned up"
