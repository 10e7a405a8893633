"""Where the generator's own data lives: beside the package in a wheel, at the repo root otherwise."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_DATA = _PACKAGE / "_data"
REPO_ROOT = _PACKAGE.parent


def templates_dir() -> Path:
    packaged = _DATA / "templates"
    return packaged if packaged.is_dir() else REPO_ROOT / "templates"


def runtime_dir() -> Path:
    """The runtime's source tree: the package every generated client is built around."""
    packaged = _DATA / "runtime"
    return packaged if packaged.is_dir() else REPO_ROOT / "runtime"


def schema_dir() -> Path:
    packaged = _DATA / "schema"
    return packaged if packaged.is_dir() else REPO_ROOT / "specs" / "schema"


def providers_dir() -> Path:
    """The provider specs wirogen ships: what ``wirogen init`` copies and ``wirogen import``
    checks against when a folder has no ``specs/providers/`` of its own."""
    packaged = _DATA / "providers"
    return packaged if packaged.is_dir() else REPO_ROOT / "specs" / "providers"


def license_file() -> Path:
    """wirogen's license, which every generated package (built around its runtime) ships."""
    packaged = _DATA / "LICENSE"
    return packaged if packaged.is_file() else REPO_ROOT / "LICENSE"
