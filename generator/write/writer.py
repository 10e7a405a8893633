"""Stage 5, the only code that writes: put a rendered file map under the output folder.

- Every path is checked before anything is written: relative, no ``..``, inside ``--out`` once
  resolved, no symlinked folder on the way (so a symlink cannot lead a write outside).
- All-or-nothing: every changed file is first written to a temporary file beside its target; only
  when all are staged are they moved into place with ``os.replace`` (atomic per file). A failure
  while staging removes the temporaries and leaves the folder as it was.
- The manifest (``.wirogen-manifest.json``) lists what generation wrote; files listed by the old
  manifest and not produced any more are removed (their specs are gone), and nothing else is.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .manifest import MANIFEST, manifest_files, render_manifest


class UnsafePathError(ValueError):
    """A path that would leave the output folder; raised before anything is written."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def with_manifest(files: dict[str, str]) -> dict[str, str]:
    """``files`` plus the manifest that describes them: what generate writes and check compares."""
    return {**files, MANIFEST: render_manifest(files)}


def check_relative(path: str) -> PurePosixPath:
    """Refuse anything but a plain relative path (no ``..``, no root, no drive, no backslash)."""
    pure = PurePosixPath(path)
    if (
        not path
        or "\\" in path
        or "\x00" in path
        or pure.is_absolute()
        or any(part in ("", ".", "..") for part in path.split("/"))
        or (len(pure.parts[0]) >= 2 and pure.parts[0][1] == ":")
    ):
        raise UnsafePathError(f"refusing to write {path!r}: not a plain relative path")
    return pure


def target_of(out_dir: Path, path: str) -> Path:
    """Where ``path`` goes under ``out_dir``, refusing symlinked folders and escapes."""
    rel = check_relative(path)
    root = out_dir.resolve()
    current = root
    for part in rel.parts[:-1]:
        current = current / part
        if current.is_symlink():
            raise UnsafePathError(f"refusing to write {path!r}: {current} is a symbolic link")
    target = root.joinpath(*rel.parts)
    if os.path.commonpath([root, target.parent.resolve()]) != str(root):
        raise UnsafePathError(f"refusing to write {path!r}: it resolves outside {root}")
    return target


def read_existing(out_dir: Path, paths: Iterable[str]) -> dict[str, bytes | None]:
    """Current bytes of each path under ``out_dir`` (None when missing)."""
    existing: dict[str, bytes | None] = {}
    for path in paths:
        target = target_of(out_dir, path)
        try:
            existing[path] = (
                target.read_bytes() if target.is_file() and not target.is_symlink() else None
            )
        except OSError:
            existing[path] = None
    return existing


def previous_files(out_dir: Path) -> list[str]:
    """What the last generation wrote, per its manifest (empty when there is none)."""
    try:
        text = (out_dir / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return manifest_files(text)


def plan(out_dir: Path, files: dict[str, str]) -> tuple[dict[str, bytes], list[str]]:
    """What writing ``files`` (with manifest) changes: (path -> new bytes, paths to remove)."""
    complete = with_manifest(files)
    encoded = {path: text.encode("utf-8") for path, text in complete.items()}
    existing = read_existing(out_dir, encoded)
    changed = {path: data for path, data in encoded.items() if existing[path] != data}
    stale = [p for p in previous_files(out_dir) if p not in complete]
    for path in stale:
        check_relative(path)
    return changed, sorted(stale)


def write_output(out_dir: str | Path, files: dict[str, str]) -> WriteReport:
    """Make ``out_dir`` hold exactly ``files`` (plus the manifest), atomically per file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    changed, stale = plan(out, files)
    targets = {path: target_of(out, path) for path in changed}
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in sorted(changed.items()):
            target = targets[path]
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, temp_name = tempfile.mkstemp(prefix=".wirogen-tmp-", dir=target.parent)
            staged.append((path, Path(temp_name)))  # tracked before writing, so cleanup sees it
            try:
                f = os.fdopen(fd, "wb")
            except BaseException:
                os.close(fd)
                raise
            with f:
                f.write(data)
    except BaseException:
        for _, temp in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    # Commit: the manifest last, so an interruption leaves the old manifest describing old files.
    staged.sort(key=lambda item: item[0] == MANIFEST)
    for path, temp in staged:
        os.replace(temp, targets[path])
    report = WriteReport(written=sorted(changed), unchanged=len(files) + 1 - len(changed))
    for path in stale:
        old = target_of(out, path)
        if old.is_file() or old.is_symlink():
            old.unlink()
            report.removed.append(path)
        _remove_empty_parents(out.resolve(), old.parent)
    return report


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
