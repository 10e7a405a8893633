# Stand-in: `wirogen generate` replaces this module with one that lists specs/models/.
"""Every model of this package by endpoint. The runtime's source tree holds no model; the
generated package lists those of its specs (``ENDPOINTS`` and ``NAMES`` filled in)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._spec import ModelSpec

__all__ = ["ENDPOINTS", "NAMES", "model_spec"]

ENDPOINTS: dict[str, str] = {}
"""``owner/slug`` of the Run URL -> module of the model's client."""

NAMES: dict[str, str] = {}
"""Model names that differ from their endpoint (``owner/name`` as the page shows it)."""


def model_spec(endpoint: str) -> ModelSpec | None:
    """The spec of a model by endpoint or page name, or None for a model this package lacks."""
    module = ENDPOINTS.get(NAMES.get(endpoint, endpoint))
    if module is None:
        return None
    spec: ModelSpec = import_module(module).SPEC
    return spec
