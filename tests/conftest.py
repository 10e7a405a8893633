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
