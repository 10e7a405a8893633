"""Checks every generated package must pass, run on a package folder (``.../python``)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROUNDTRIP = Path(__file__).resolve().parent / "roundtrip.py"


def _run(args: list[str], package: Path, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=package, capture_output=True, text=True, check=False, **kw)  # type: ignore[call-overload, no-any-return]


def mypy_strict(
    package: Path, cache: Path, target: str = "wiro_client", **kw: object
) -> subprocess.CompletedProcess[str]:
    """mypy --strict; ``cache`` must be the package's own: every package names its modules
    wiro_client, and a shared incremental cache confuses them."""
    return _run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(cache), target], package, **kw
    )


def ruff_check(package: Path, *paths: str) -> subprocess.CompletedProcess[str]:
    """ruff on ``paths`` of the package (default: all of it)."""
    ruff = str(Path(sys.executable).with_name("ruff"))
    return _run([ruff, "check", "--no-cache", *(paths or ["."])], package)


def round_trip(package: Path) -> subprocess.CompletedProcess[str]:
    """Every module imports without a warning; every default and option survives the models."""
    return _run([sys.executable, "-W", "error", str(ROUNDTRIP)], package)
