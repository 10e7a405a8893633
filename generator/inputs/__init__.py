"""Input kinds, one small unit per family: text, number, select, boolean, file.

Each family (``base.Family``) keeps its rules together: how a spec input of its kinds is read
and checked (normalising), what it is in Python and in JSON Schema (typing), what docstrings and
doc pages say about it (documenting), and how it travels (the wire rule, with the ``input_spec``
macro of ``templates/python/inputs/<family>.py.j2`` writing the runtime's ``InputSpec``).

A new family (say, a list of nested objects) is one module here, one entry in :data:`FAMILIES`
and one macro file; the normaliser, emitters and templates ask the family, never the kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..ir import Input, InputKind
from .base import Facts, Family, Reading
from .boolean import BOOLEAN
from .file import FILE
from .number import NUMBER
from .select import SELECT
from .text import TEXT

__all__ = ["FAMILIES", "Facts", "Family", "Reading", "family_for", "family_of"]

FAMILIES: dict[str, Family] = {f.name: f for f in (TEXT, NUMBER, SELECT, BOOLEAN, FILE)}
"""Every family by name. Order matters only to :func:`family_for`: the first that claims wins."""


def family_for(kind: InputKind, raw: Mapping[str, Any]) -> Family:
    """The family a spec input of type ``kind``, written as ``raw``, belongs to."""
    claim = next((f for f in (BOOLEAN, *FAMILIES.values()) if f.claims(kind, raw)), None)
    if claim is None:  # pragma: no cover - every kind of the meta-schema has a family
        raise LookupError(f"no input family takes {kind.value!r}")
    return claim


def family_of(item: Input) -> Family:
    """The family that read ``item``."""
    return FAMILIES[item.family]
