"""The generated package's version history (``specs/releases.yaml``) and what it makes:
the package version and ``CHANGELOG.md``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .history import (
    FIRST,
    RELEASES,
    History,
    RecordedChange,
    Release,
    Version,
    read_history,
    render_history,
)

if TYPE_CHECKING:
    from ..emit.units import SharedUnit
    from ..load import SourceFile

UNIT = "release"
"""The name of the catalogue-wide unit that holds the version and the changelog."""


def release_key(source: SourceFile | None) -> str:
    """What the release files are made from: the history file's bytes (none: the default)."""
    import hashlib

    data = b"" if source is None else source.data.replace(b"\r\n", b"\n")
    return hashlib.sha256(b"release\0" + data).hexdigest()


def release_unit(source: SourceFile | None, history: History) -> SharedUnit:
    from ..emit.units import SharedUnit
    from .changelog import release_files

    return SharedUnit(UNIT, release_key(source), lambda: release_files(history))


__all__ = [
    "FIRST",
    "RELEASES",
    "UNIT",
    "History",
    "RecordedChange",
    "Release",
    "Version",
    "read_history",
    "release_key",
    "release_unit",
    "render_history",
]
