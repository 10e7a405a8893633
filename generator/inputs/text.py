"""Text: ``text`` and ``textarea`` (``secret: true`` for credentials). A ``str`` in Python and
text on the wire; an unquoted scalar is read as exactly what was written."""

from __future__ import annotations

from typing import ClassVar

from ..ir import InputKind, ValueType
from .base import Facts, Family, Reading


class Text(Family):
    name: ClassVar[str] = "text"
    kinds: ClassVar[frozenset[InputKind]] = frozenset({InputKind.TEXT, InputKind.TEXTAREA})

    def read(self, reading: Reading) -> Facts:
        return Facts(ValueType.STR)


TEXT = Text()
