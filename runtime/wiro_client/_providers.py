# Stand-in: `wirogen generate` replaces this module with one made from specs/providers/.
"""How each provider works. The runtime's source tree knows no provider; the generated package
lists those of its specs."""

from __future__ import annotations

from ._spec import ProviderSpec

__all__ = ["PROVIDERS"]

PROVIDERS: dict[str, ProviderSpec] = {}
"""Provider name -> how it works."""
