"""Stage 5: the writer, the only code that touches the output folder."""

from .manifest import MANIFEST
from .writer import (
    UnsafePathError,
    WriteReport,
    owned_paths,
    plan,
    read_previous,
    target_of,
    with_manifest,
    write_output,
)

__all__ = [
    "MANIFEST",
    "UnsafePathError",
    "WriteReport",
    "owned_paths",
    "plan",
    "read_previous",
    "target_of",
    "with_manifest",
    "write_output",
]
