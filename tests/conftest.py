"""Shared test set-up.

``wiro_client`` is imported from where it is written, ``runtime/``, with the committed
catalogue (``generated/python``'s providers, model list and model modules) laid over its
stand-ins: the runtime is tested as source, on real models. Tests of the generated package as
shipped run it from ``generated/python`` in a subprocess; the copy is byte for byte
(``tests/runtime/test_source_tree.py``). Nothing is installed into the venv, so a stale
install can never mask drift.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.runtime import import_runtime

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
RUNTIME = ROOT / "runtime"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

import_runtime(RUNTIME, GENERATED / "python")

# Property tests: `make test` runs a fixed-seed profile (same examples every run, a few seconds);
# `make fuzz` runs the long, randomised one (HYPOTHESIS_PROFILE=fuzz).
import os  # noqa: E402

from hypothesis import HealthCheck, settings  # noqa: E402

settings.register_profile(
    "ci",
    derandomize=True,
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
