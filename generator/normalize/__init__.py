"""Stage 3: structurally valid specs to the intermediate model (``generator.ir``).

Per-spec semantic rules are checked while building, so a rule and the value it protects live
side by side; cross-spec rules (unknown provider, two specs claiming one name) are in ``validate``.

The stage's functions load on first use: the input families (``generator.inputs``) read specs
with this package's naming and value rules, and the importer needs only those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .model import build_model, coerce_value, endpoint_problem
    from .provider import build_provider

__all__ = ["build_model", "build_provider", "coerce_value", "endpoint_problem"]

_HOMES = {
    "build_model": "model",
    "coerce_value": "model",
    "endpoint_problem": "model",
    "build_provider": "provider",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_HOMES[name]}", __name__), name)
