# Stand-in: `wirogen generate` replaces this module with one namespace per owner of specs/models/.
"""``client.models``: every model, by owner. The runtime's source tree holds no model."""

from __future__ import annotations

from .._resource import AsyncNamespace, SyncNamespace

__all__ = ["AsyncModels", "Models"]


class Models(SyncNamespace):
    """Typed clients of every model, as ``client.models.<owner>.<model>``."""


class AsyncModels(AsyncNamespace):
    """Typed clients of every model for :class:`AsyncWiro`."""
