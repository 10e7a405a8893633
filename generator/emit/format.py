"""Python formatting: black, through its Python API, is the style authority for generated code."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .errors import EmitError

if TYPE_CHECKING:
    from black.mode import Mode


@cache
def _mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311})


def format_python(source: str) -> str:
    """``source`` as black formats it; raises ``ValueError`` naming the line if it is not Python."""
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=_mode())
    except InvalidInput as exc:
        raise ValueError(f"generated code is not valid Python: {exc}") from exc


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Every ``.py`` file of ``files`` formatted; other files unchanged.

    A file that is not valid Python is an :class:`EmitError` (about that file; the caller names
    the spec it came from), never a crash and never a written file.
    """
    out = {}
    for path, src in files.items():
        if not path.endswith(".py"):
            out[path] = src
            continue
        try:
            out[path] = format_python(src)
        except ValueError as exc:
            raise EmitError(path, f"{path}: {str(exc).splitlines()[0]}") from exc
    return out
