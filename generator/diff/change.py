"""A classified change, and the report that lists them per model and provider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from .say import code

Bump = Literal["major", "minor", "patch"]


class Kind(StrEnum):
    """What a change means to code written against the old client."""

    BREAKING = "breaking"
    """A call that worked may be refused, fail to import or type-check, or now mean another
    thing (a default it relied on moved)."""
    COMPATIBLE = "compatible"
    """Every call that worked still works and sends what it sent; something may be added."""
    WIRE_ONLY = "wire-only"
    """Every typed call still works, but what it sends changed (a wire name, the values a
    yes/no input sends): check it against the model's page."""


@dataclass(frozen=True)
class Change:
    rule: str
    kind: Kind
    text: str
    """One line: prose with spec values as code spans (see ``say``)."""
    input: str | None = None
    """Python name of the input concerned, None for the model or provider as a whole."""
    addition: bool = False
    """Adds something callers can use (a model, an input, an option, a wider range): a minor
    version rather than a patch."""

    @property
    def line(self) -> str:
        """The change in one line, naming its input."""
        return f"{code(self.input)}: {self.text}" if self.input else self.text


@dataclass(frozen=True)
class Entry:
    """The changes to one model or one provider."""

    subject: Literal["model", "provider"]
    name: str
    """The model's endpoint (its new one when it changed), or the provider's name."""
    python: str
    """How callers reach it: ``client.models.<owner>.<slug>`` or ``Wiro(provider=...)``."""
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Report:
    entries: tuple[Entry, ...] = ()

    def changes(self) -> Iterator[Change]:
        for entry in self.entries:
            yield from entry.changes

    def count(self, kind: Kind) -> int:
        return sum(1 for c in self.changes() if c.kind is kind)

    @property
    def bump(self) -> Bump | None:
        """Major on a breaking change, minor on an addition, patch otherwise; None when empty."""
        changes = list(self.changes())
        if not changes:
            return None
        if any(c.kind is Kind.BREAKING for c in changes):
            return "major"
        if any(c.addition for c in changes):
            return "minor"
        return "patch"
