"""Typed client of the Wiro API (placeholder: runtime pending)."""

from ._client import AsyncWiro, Wiro

__all__ = ["AsyncWiro", "Wiro"]
