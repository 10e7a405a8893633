"""Stage 1: read spec files (the only disk access before writing) and parse them with locations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .yaml_source import Document, PathKey, decode_source, parse_yaml

_PARSING = frozenset({"Document", "PathKey", "decode_source", "parse_yaml"})


def __getattr__(name: str) -> Any:
    """The YAML side loads on first use: a run that finds nothing changed reads spec bytes
    but parses none, and importing PyYAML and the located loader is a twentieth of its budget."""
    if name in _PARSING:
        from . import yaml_source

        return getattr(yaml_source, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Document",
    "PathKey",
    "SourceFile",
    "Sources",
    "decode_source",
    "parse_yaml",
    "read_sources",
]


@dataclass(frozen=True)
class SourceFile:
    """A spec file's bytes, the path shown in messages, and the name generated files cite.

    ``name`` is the file's path inside the specs folder (``specs/models/wiro/instant-id.yaml``
    whatever folder ``--specs`` named), so generated headers are the same on every machine.
    """

    path: str
    data: bytes
    name: str = ""

    @property
    def stable_name(self) -> str:
        return self.name or self.path


@dataclass(frozen=True)
class Sources:
    """Everything generation reads from the specs folder."""

    providers: tuple[SourceFile, ...]
    models: tuple[SourceFile, ...]
    releases: SourceFile | None = None
    """``releases.yaml``, the package's version history (``generator.release``), when there is one."""


def read_sources(specs_dir: str | Path) -> Sources:
    """Read ``providers/*.yaml``, ``models/**/*.yaml`` and ``releases.yaml`` under ``specs_dir``,
    in a stable order."""
    root = Path(specs_dir)

    def read(pattern: str, sub: str) -> tuple[SourceFile, ...]:
        base = root / sub
        files = sorted(p for p in base.glob(pattern) if p.is_file()) if base.is_dir() else []
        return tuple(
            SourceFile(p.as_posix(), p.read_bytes(), "specs/" + p.relative_to(root).as_posix())
            for p in files
        )

    history = root / "releases.yaml"
    releases = (
        SourceFile(history.as_posix(), history.read_bytes(), "specs/releases.yaml")
        if history.is_file()
        else None
    )
    return Sources(read("*.yaml", "providers"), read("**/*.yaml", "models"), releases)
