"""Numbers: ``number`` (whole), ``float`` and ``range`` (an ``int`` when every number it shows is
whole, a ``float`` otherwise). Text holding a number is read as that number; a default lies within
``min``..``max``; the wire carries the number."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..ir import Input, InputKind, Value, ValueType
from ..load import Document, PathKey
from ..normalize.values import as_float, as_int
from .base import Facts, Family, Reading, Shaped


class Number(Family):
    name: ClassVar[str] = "number"
    kinds: ClassVar[frozenset[InputKind]] = frozenset(
        {InputKind.NUMBER, InputKind.FLOAT, InputKind.RANGE}
    )

    def read(self, reading: Reading) -> Facts:
        raw = reading.raw
        minimum, maximum, step = raw.get("min"), raw.get("max"), raw.get("step")
        if minimum is not None and maximum is not None and minimum > maximum:
            reading.fail(("min",), f"min {minimum} is greater than max {maximum}")
        if reading.kind is InputKind.NUMBER:
            for key in ("min", "max", "step"):
                if raw.get(key) is not None and not float(raw[key]).is_integer():
                    reading.fail(
                        (key,), f"{key} of a number input must be a whole number, found {raw[key]}"
                    )
        whole = reading.kind is InputKind.NUMBER or (
            reading.kind is InputKind.RANGE and _all_whole(raw)
        )
        value_type = ValueType.INT if whole else ValueType.FLOAT
        return Facts(
            value_type,
            minimum=_number(minimum, value_type),
            maximum=_number(maximum, value_type),
            step=_number(step, value_type),
        )

    def coerce(self, doc: Document, path: PathKey, value: Any, shape: Shaped) -> Value:
        return as_int(value) if shape.value_type is ValueType.INT else as_float(value)

    def check_default(self, reading: Reading, facts: Facts, default: Value) -> None:
        assert isinstance(default, int | float)
        shown = reading.doc.text_at(reading.at("default")) or default
        low, high = reading.raw.get("min"), reading.raw.get("max")  # as written, for messages
        if low is not None and default < low:
            reading.fail(("default",), f"default {shown} of {reading.name!r} is below min {low}")
        if high is not None and default > high:
            reading.fail(("default",), f"default {shown} of {reading.name!r} is above max {high}")

    def python_schema(self, item: Input, defs: dict[str, Any]) -> dict[str, Any]:
        return self.wire_schema(item)

    def wire_schema(self, item: Input) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "integer" if item.value_type is ValueType.INT else "number"
        }
        if item.minimum is not None:
            schema["minimum"] = item.minimum
        if item.maximum is not None:
            schema["maximum"] = item.maximum
        return schema

    def notes(self, item: Input) -> list[str]:
        if item.minimum is not None and item.maximum is not None:
            return [f"From {item.minimum} to {item.maximum}."]
        if item.minimum is not None:
            return [f"At least {item.minimum}."]
        if item.maximum is not None:
            return [f"At most {item.maximum}."]
        return []

    def type_cell(self, item: Input) -> str:
        if item.minimum is None and item.maximum is None:
            return item.kind.value
        low = "" if item.minimum is None else item.minimum
        high = "" if item.maximum is None else item.maximum
        return f"{item.kind.value}, {low}..{high}"

    def placeholder(self, item: Input) -> Value:
        if item.value_type is ValueType.INT:
            return item.minimum if item.minimum is not None else 1
        return float(item.minimum) if item.minimum is not None else 1.0


def _all_whole(raw: Mapping[str, Any]) -> bool:
    """A range is int when every number it shows is whole. One that shows none (pages may give
    a range no bounds and no default) stays float, which takes whole numbers too."""
    values = [raw[k] for k in ("min", "max", "step") if raw.get(k) is not None]
    default = raw.get("default")
    if isinstance(default, int | float) and not isinstance(default, bool):
        values.append(default)
    return bool(values) and all(float(v).is_integer() for v in values)


def _number(value: Any, value_type: ValueType) -> int | float | None:
    if value is None:
        return None
    return int(value) if value_type is ValueType.INT else float(value)


NUMBER = Number()
