"""Where a downloaded output is saved: a name a server cannot turn against the disk, a
temporary file beside it, and a rename once the copy is whole.

An output's name comes from the server: it is saved under a safe name derived from it (its
last path part, no control characters, no leading dots, cut to what the disk takes), never
outside the folder it is downloaded to. Every failure here is a :class:`LocalFileError`,
and nothing partial is ever left behind.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
import uuid
from pathlib import Path

from . import _constants as C
from . import errors

__all__ = ["commit", "discard", "safe_name", "target", "temp_for"]

log = logging.getLogger("wiro_client")

_SEPARATORS = re.compile(r"[/\\]")
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"|?*]')
_WINDOWS_DEVICES = frozenset(
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_EXTENSION_MAX = 16
"""Bytes of an extension kept when a name is cut (longer: not an extension)."""


def safe_name(
    name: str, *, limit: int = C.NAME_MAX_BYTES, windows: bool = os.name == "nt"
) -> str:
    """``name`` as a file name inside a folder: its last path part (``/`` and ``\\``
    both separate), without control or format characters, leading dots or surrounding
    spaces (and, on Windows, the characters and device names it forbids), cut to ``limit``
    UTF-8 bytes with its extension kept. Empty when nothing of it is usable."""
    part = _SEPARATORS.split(name)[-1]
    part = "".join(c for c in part if unicodedata.category(c)[0] != "C")
    if windows:
        part = _WINDOWS_FORBIDDEN.sub("_", part).rstrip(" .")
    part = part.strip().lstrip(".").strip()
    if windows and part.split(".")[0].upper() in _WINDOWS_DEVICES:
        part = f"_{part}"
    return _cut(part, limit)


def _cut(name: str, limit: int) -> str:
    if len(name.encode()) <= limit:
        return name
    stem, ext = os.path.splitext(name)
    if len(ext.encode()) > _EXTENSION_MAX:
        stem, ext = name, ""
    room = max(limit - len(ext.encode()), 1)
    return stem.encode()[:room].decode("utf-8", "ignore").rstrip(" .") + ext


def target(dest: str | os.PathLike[str], name: str, url: str) -> Path:
    """Where an output named ``name`` (served at ``url``) is saved for ``dest``: the file
    ``dest`` names, or, when ``dest`` is a folder (or ends with a separator), the output's
    safe name in it (from its URL when its name is unusable, else ``output``). The folder
    is made if missing.

    Raises:
        LocalFileError: the folder cannot be made.
    """
    path = Path(os.fspath(dest)).expanduser()
    if not (path.is_dir() or os.fspath(dest).endswith(("/", os.sep))):
        _make_folder(path.parent)
        return path
    _make_folder(path)
    limit = _name_limit(path)
    chosen = (
        safe_name(name, limit=limit)
        or safe_name(url.split("?")[0].split("#")[0], limit=limit)
        or "output"
    )
    if chosen != name:
        log.debug("output %r is saved as %r", name[:300], chosen)
    return path / chosen


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise errors.LocalFileError(
            f"cannot make the folder {folder}: {exc.strerror or exc}", path=str(folder)
        ) from None


def _name_limit(folder: Path) -> int:
    """The longest name to give a file in ``folder``: ours, or the disk's if smaller."""
    try:
        disk = os.pathconf(folder, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):  # no pathconf (Windows), or unknown
        return C.NAME_MAX_BYTES
    return min(C.NAME_MAX_BYTES, disk) if disk > 0 else C.NAME_MAX_BYTES


def temp_for(path: Path) -> Path:
    """A temporary file beside ``path`` (its name never longer than the disk takes)."""
    return path.with_name(f".wiro-{uuid.uuid4().hex[:12]}.part")


def commit(temp: Path, path: Path) -> Path:
    """Put the complete copy in place.

    Raises:
        LocalFileError: it cannot be (the temporary file is removed).
    """
    try:
        os.replace(temp, path)
    except OSError as exc:
        discard(temp)
        raise errors.LocalFileError(
            f"cannot save {path}: {exc.strerror or exc}", path=str(path)
        ) from None
    return path


def discard(temp: Path) -> None:
    """Remove a temporary file; a failure to is logged, never raised over the error that
    made it necessary."""
    try:
        temp.unlink(missing_ok=True)
    except OSError as exc:
        log.warning("could not remove %s: %s", temp, exc.strerror or exc)
