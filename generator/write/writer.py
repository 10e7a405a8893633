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
import stat
import tempfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

from .manifest import MANIFEST, Manifest, manifest_files, parse_manifest, render_manifest

T = TypeVar("T")


class UnsafePathError(ValueError):
    """A path that would leave the output folder; raised before anything is written."""


@dataclass
class WriteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def with_manifest(files: Mapping[str, str]) -> Mapping[str, str]:
    """``files`` plus the manifest that describes them: what generate writes and check compares.

    The pipeline puts its manifest (with the records incremental runs use) in ``files`` itself;
    a bare file map gets a plain one.
    """
    return files if MANIFEST in files else {**files, MANIFEST: render_manifest(files)}


def plain_relative(path: str, parts: list[str]) -> bool:
    """:func:`check_relative`'s test on a path already split at ``/``, without raising."""
    return not (
        not path
        or "\\" in path
        or "\x00" in path
        or path.startswith("/")
        or any(part in ("", ".", "..") for part in parts)
        or (len(parts[0]) >= 2 and parts[0][1] == ":")
    )


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


def target_of(out_dir: Path, path: str, folders: Folders | None = None) -> Path:
    """Where ``path`` goes under ``out_dir``, refusing symlinked folders and escapes."""
    return (folders or Folders(out_dir)).target(path)


class Folders:
    """:func:`target_of`'s checks, done once per folder: a catalogue writes ~4,000 files into
    ~50 folders, and resolving every file's folders anew cost a second and a half."""

    def __init__(self, out_dir: Path) -> None:
        self.root = out_dir.resolve()
        self.safe: dict[tuple[str, ...], Path] = {}
        self.made: set[Path] = set()

    def target(self, path: str) -> Path:
        rel = check_relative(path)
        parts = rel.parts[:-1]
        folder = self.safe.get(parts)
        if folder is None:
            folder = self.root
            for part in parts:
                folder = folder / part
                if folder.is_symlink():
                    raise UnsafePathError(
                        f"refusing to write {path!r}: {folder} is a symbolic link"
                    )
            if os.path.commonpath([self.root, folder.resolve()]) != str(self.root):
                raise UnsafePathError(
                    f"refusing to write {path!r}: it resolves outside {self.root}"
                )
            self.safe[parts] = folder
        return folder / rel.parts[-1]

    def make(self, folder: Path) -> None:
        if folder not in self.made:
            folder.mkdir(parents=True, exist_ok=True)
            self.made.add(folder)


def read_existing(
    out_dir: Path, paths: Iterable[str], folders: Folders | None = None
) -> dict[str, bytes | None]:
    """Current bytes of each path under ``out_dir`` (None when missing)."""
    checked = folders or Folders(out_dir)
    existing: dict[str, bytes | None] = {}
    for path in paths:
        target = checked.target(path)
        try:
            existing[path] = (
                target.read_bytes() if target.is_file() and not target.is_symlink() else None
            )
        except OSError:
            existing[path] = None
    return existing


def read_regular(path: str) -> bytes | None:
    """A regular file's bytes; None for a missing file, a symlink or anything unreadable."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return None
        chunks = [os.read(fd, max(info.st_size, 1))]  # one read is the whole file, nearly always
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 16))
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def read_previous(out_dir: str | Path) -> tuple[Manifest, dict[str, bytes]] | None:
    """The last generation's manifest and the current bytes of every file it lists.

    Reading is all this does (writing goes through :func:`target_of`); a listed path that is not
    a plain relative path is treated as missing.
    """
    out = Path(out_dir)
    root = str(out) + os.sep
    raw = read_regular(root + MANIFEST)
    manifest = parse_manifest(raw.decode("utf-8", "replace")) if raw is not None else None
    if manifest is None or raw is None:
        return None
    files: dict[str, bytes] = {MANIFEST: raw}
    linked: dict[str, bool] = {}
    for path in manifest.files:
        parts = path.split("/")
        if not plain_relative(path, parts):
            continue
        if _through_symlink(out, parts[:-1], linked):
            continue  # left to plan(), whose target_of() refuses it as a cold run does
        data = read_regular(root + path)
        if data is not None:
            files[path] = data
    return manifest, files


def _through_symlink(out: Path, folders: list[str], seen: dict[str, bool]) -> bool:
    """Whether a folder on the way to a file is a symbolic link (answers cached per folder)."""
    for depth in range(1, len(folders) + 1):
        key = "/".join(folders[:depth])
        if key not in seen:
            seen[key] = (out / key).is_symlink()
        if seen[key]:
            return True
    return False


def previous_files(out_dir: Path) -> list[str]:
    """What the last generation wrote, per its manifest (empty when there is none)."""
    try:
        text = (out_dir / MANIFEST).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []
    return manifest_files(text)


def owned_paths(out_dir: Path, files: Iterable[str]) -> list[str]:
    """The paths under ``out_dir`` generation answers for: the files it would write
    (``files``, manifest included) and those the manifest on disk says it wrote. :func:`plan`
    (so ``wirogen check``) compares exactly these; anything else in the folder (a download of
    the quick start, a cache, a note) belongs to the user and is never read, listed or removed.
    """
    return sorted({*files, MANIFEST, *previous_files(out_dir)})


def plan(
    out_dir: Path,
    files: Mapping[str, str],
    known: Mapping[str, bytes] | None = None,
    same: frozenset[str] = frozenset(),
    folders: Folders | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """What writing ``files`` (with manifest) changes: (path -> new bytes, paths to remove).

    ``known`` holds bytes already read from ``out_dir`` (by :func:`read_previous`), which are
    not read again; a path missing from it is read here. ``same`` names files whose text was
    taken from those very bytes, so comparing them is skipped.
    """
    complete = with_manifest(files)
    already = known or {}
    encoded = {
        path: complete[path].encode("utf-8")
        for path in complete
        if not (path in same and path in already)
    }
    existing = read_existing(out_dir, [p for p in encoded if p not in already], folders)
    existing.update((p, already[p]) for p in encoded if p in already)
    changed = {path: data for path, data in encoded.items() if existing[path] != data}
    listed = (
        manifest_files(already[MANIFEST].decode("utf-8", "replace"))
        if MANIFEST in already
        else previous_files(out_dir)
    )
    stale = [p for p in listed if p not in complete]
    for path in stale:
        check_relative(path)
    return changed, sorted(stale)


def write_output(
    out_dir: str | Path,
    files: Mapping[str, str],
    known: Mapping[str, bytes] | None = None,
    same: frozenset[str] = frozenset(),
) -> WriteReport:
    """Make ``out_dir`` hold exactly ``files`` (plus the manifest), atomically per file."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    folders = Folders(out)
    changed, stale = plan(out, files, known, same, folders)
    targets = {path: folders.target(path) for path in changed}
    for target in targets.values():
        folders.make(target.parent)
    staged: list[tuple[str, Path]] = []

    def stage(path: str) -> None:
        target = targets[path]
        fd, temp_name = tempfile.mkstemp(prefix=".wirogen-tmp-", dir=target.parent)
        staged.append((path, Path(temp_name)))  # tracked before writing, so cleanup sees it
        try:
            f = os.fdopen(fd, "wb")
        except BaseException:
            os.close(fd)
            raise
        with f:
            f.write(changed[path])

    try:
        _in_threads(stage, sorted(changed))
    except BaseException:
        for _, temp in staged:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise
    # Commit: the manifest last, so an interruption leaves the old manifest describing old files.
    files_first = [item for item in staged if item[0] != MANIFEST]
    _in_threads(lambda item: os.replace(item[1], targets[item[0]]), files_first)
    for path, temp in staged:
        if path == MANIFEST:
            os.replace(temp, targets[path])
    report = WriteReport(
        written=sorted(changed), unchanged=len(with_manifest(files)) - len(changed)
    )
    for path in stale:
        old = folders.target(path)
        if old.is_file() or old.is_symlink():
            old.unlink()
            report.removed.append(path)
        _remove_empty_parents(out.resolve(), old.parent)
    return report


WRITER_THREADS = 8
"""Creating and renaming ~4,000 files is waiting on the file system, not on Python: threads
overlap those waits (a cold 1,000-model run spent 2.7 s here in one thread)."""


def _in_threads(work: Callable[[T], object], items: Sequence[T]) -> None:
    """``work`` on every item; the first failure is raised once all have stopped."""
    if len(items) < 64:
        for item in items:
            work(item)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(WRITER_THREADS) as pool:
        for future in [pool.submit(work, item) for item in items]:
            future.result()


def _remove_empty_parents(root: Path, folder: Path) -> None:
    while folder != root and root in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent
