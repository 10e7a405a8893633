"""Shared test set-up: the generated package is imported from generated/python, as a user would
vendor it (it is not installed into the venv, so a stale install can never mask drift)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GENERATED = ROOT / "generated"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"

if str(GENERATED / "python") not in sys.path:
    sys.path.insert(0, str(GENERATED / "python"))

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
