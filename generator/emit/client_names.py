"""Ordering rules the generated Python follows so linters have nothing to say."""

from __future__ import annotations


def isort_order(names: list[str]) -> list[str]:
    """``__all__`` as ruff (RUF022) wants it: CONSTANTS, then Classes, then functions."""
    return sorted(names, key=lambda n: (0 if n.isupper() else 1 if n[:1].isupper() else 2, n))
