"""Yes/no: a ``checkbox``, or a ``select`` with ``boolean: {true_value, false_value}`` whose options
are exactly those two values. A ``bool`` in Python; the wire carries the exact value the spec
gives for each (a checkbox: ``"true"``/``"false"`` unless it says otherwise)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..emit import text
from ..ir import BooleanWire, Input, InputKind, Value, ValueType
from ..load import Document, PathKey
from ..normalize.values import as_bool
from .base import Facts, Family, Reading, Shaped
from .select import constant, options_count, read_options

CHECKBOX = BooleanWire("true", "false")


class Boolean(Family):
    name: ClassVar[str] = "boolean"
    kinds: ClassVar[frozenset[InputKind]] = frozenset({InputKind.CHECKBOX})

    def claims(self, kind: InputKind, raw: Mapping[str, Any]) -> bool:
        return kind is InputKind.CHECKBOX or (kind is InputKind.SELECT and "boolean" in raw)

    def read(self, reading: Reading) -> Facts:
        wire = CHECKBOX
        if "boolean" in reading.raw:
            wire = BooleanWire(
                reading.text("boolean", "true_value"), reading.text("boolean", "false_value")
            )
            if wire.true_value == wire.false_value:
                reading.fail(("boolean",), "true_value and false_value must differ")
        options = read_options(reading) if reading.kind is InputKind.SELECT else ()
        values = {o.value for o in options}
        if reading.kind is InputKind.SELECT and values != {wire.true_value, wire.false_value}:
            reading.fail(
                ("boolean",),
                f"a boolean select needs exactly the options {wire.false_value!r} and "
                f"{wire.true_value!r}; it has {sorted(values)!r}",
            )
        return Facts(ValueType.BOOL, options, boolean=wire)

    def coerce(self, doc: Document, path: PathKey, value: Any, shape: Shaped) -> Value:
        assert shape.boolean is not None
        return as_bool(doc, path, value, shape.boolean.true_value, shape.boolean.false_value)

    def python_schema(self, item: Input, defs: dict[str, Any]) -> dict[str, Any]:
        return {"type": "boolean"}

    def wire_schema(self, item: Input) -> dict[str, Any]:
        assert item.boolean is not None
        if item.options:
            return {"anyOf": [constant(o) for o in item.options]}
        return {"type": "string", "enum": [item.boolean.true_value, item.boolean.false_value]}

    def wire_value(self, item: Input, value: Any) -> Any:
        assert item.boolean is not None
        return item.boolean.true_value if value else item.boolean.false_value

    def notes(self, item: Input) -> list[str]:
        if item.kind is InputKind.CHECKBOX or item.boolean is None:
            return []
        true, false = text.py_str(item.boolean.true_value), text.py_str(item.boolean.false_value)
        return [f"Sent as ``{true}``/``{false}``."]

    def type_cell(self, item: Input) -> str:
        return f"{item.kind.value}{options_count(item)}, yes/no"

    def placeholder(self, item: Input) -> Value:
        return True


BOOLEAN = Boolean()
