"""Stage 3: structurally valid specs to the intermediate model (``generator.ir``).

Per-spec semantic rules are checked while building, so a rule and the value it protects live
side by side; cross-spec rules (unknown provider, two specs claiming one name) are in ``validate``.
"""

from .model import build_model, coerce_value, endpoint_problem
from .provider import build_provider

__all__ = ["build_model", "build_provider", "coerce_value", "endpoint_problem"]
