"""An emitter that cannot produce valid output for a model says so about that model's spec."""

from __future__ import annotations


class EmitError(Exception):
    """Generation failed for the spec at ``source`` (fail closed: nothing is written)."""

    def __init__(self, source: str, message: str) -> None:
        super().__init__(message)
        self.source = source
        self.message = message
