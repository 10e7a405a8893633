"""Coercion of spec values to their input's type, by documented rules (README, "Spec values").

- Where text is expected (text inputs, option values and labels, select defaults), an unquoted
  scalar is read as exactly what was written: ``default: 2`` is ``"2"``, ``default: false`` is
  ``"false"``, ``label: NO`` is ``"NO"``, ``default: 0.10`` is ``"0.10"``.
- Integers (``number``) accept whole numbers, or text holding one (``"20"``).
- Floats (``float``, ``range``) accept any number, or text holding one (``"5.0"``).
- Booleans accept ``true``/``false``, or one of the input's two wire values.
Each function returns the coerced value, or raises :class:`Invalid` with a message.
"""

from __future__ import annotations

import re
from typing import Any

from ..load import Document, PathKey


class Invalid(ValueError):
    """A value that cannot be read as its input's type; the message says why."""


_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def as_text(doc: Document, path: PathKey, value: Any) -> str:
    if isinstance(value, str):
        return value
    written = doc.text_at(path)
    if written is not None:
        return written
    if isinstance(value, bool | int | float):  # pragma: no cover - scalars always come with text
        return str(value)
    raise Invalid(f"expected text, found {type(value).__name__}")


def as_int(value: Any) -> int:
    if isinstance(value, bool):
        raise Invalid(f"expected a whole number, found {str(value).lower()}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and _INT.match(value.strip()):
        return int(value.strip())
    raise Invalid(f"expected a whole number, found {value!r}")


def as_float(value: Any) -> float:
    if isinstance(value, bool):
        raise Invalid(f"expected a number, found {str(value).lower()}")
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and _FLOAT.match(value.strip()):
        return float(value.strip())
    raise Invalid(f"expected a number, found {value!r}")


def as_bool(doc: Document, path: PathKey, value: Any, true_value: str, false_value: str) -> bool:
    if isinstance(value, bool) and doc.text_at(path) in ("true", "false", None):
        return value
    text = as_text(doc, path, value)
    if text == true_value:
        return True
    if text == false_value:
        return False
    raise Invalid(f"expected true, false, {true_value!r} or {false_value!r}, found {text!r}")


def split_list(doc: Document, path: PathKey, value: Any, separator: str) -> tuple[str, ...]:
    """A list of text, or one text joined by the separator (``"a,b"``)."""
    if isinstance(value, list):
        return tuple(as_text(doc, (*path, i), v) for i, v in enumerate(value))
    text = as_text(doc, path, value)
    return tuple(part.strip() for part in text.split(separator) if part.strip())
