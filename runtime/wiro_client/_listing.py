# Stand-in: `wirogen generate` replaces this module with one that describes specs/models/.
"""What each model is, for ``wiro models list`` and its search. The runtime's source tree
holds no model; the generated package describes those of its specs."""

from __future__ import annotations

__all__ = ["MODELS"]

MODELS: dict[str, tuple[str, str, str]] = {}
"""Endpoint -> (provider, title, description)."""
