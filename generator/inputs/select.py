"""Choices: ``select``, ``selectwithcover`` and ``multiselect``. With options, a ``StrEnum`` (named
from the input) or its raw value, and a sequence of them for a multiselect, which goes on the wire
as a JSON array (Wiro-MCP's formatter, the n8n nodes); without options, any text (any texts for a
multiselect). An option value is listed once, and a default is one of the values, compared as
written; ``separator`` splits a multiselect default written as one text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from ..emit import format as layout
from ..emit import text
from ..ir import Input, InputKind, Option, Value, ValueType
from ..load import Document, PathKey
from ..normalize import naming
from ..normalize.values import Invalid, as_text, split_list
from .base import Facts, Family, Reading, Shaped, free_enum_name

SHORT_SELECT = 10
"""Selects with at most this many options list their values in docstrings and docs."""


class Select(Family):
    name: ClassVar[str] = "select"
    kinds: ClassVar[frozenset[InputKind]] = frozenset(
        {InputKind.SELECT, InputKind.SELECTWITHCOVER, InputKind.MULTISELECT}
    )

    def claims(self, kind: InputKind, raw: Mapping[str, Any]) -> bool:
        return kind in self.kinds and "boolean" not in raw

    def read(self, reading: Reading) -> Facts:
        options = read_options(reading)
        many = reading.kind is InputKind.MULTISELECT
        separator = str(reading.raw.get("separator", ",")) if many else None
        if not options:
            return Facts(ValueType.STR_LIST if many else ValueType.STR, separator=separator)
        value_type = ValueType.ENUM_LIST if many else ValueType.ENUM
        return Facts(value_type, options, free_enum_name(reading), separator=separator)

    def coerce(self, doc: Document, path: PathKey, value: Any, shape: Shaped) -> Value:
        if shape.value_type in (ValueType.ENUM_LIST, ValueType.STR_LIST):
            items = split_list(doc, path, value, shape.separator or ",")
            if shape.value_type is ValueType.ENUM_LIST:
                for item in items:
                    check_option(item, shape.options)
            return items
        if isinstance(value, list):
            raise Invalid("expected one value, found a list")
        written = as_text(doc, path, value)
        if shape.value_type is ValueType.ENUM and written != "":
            check_option(written, shape.options)
        return written

    def annotation(self, item: Input) -> str:
        if item.value_type is ValueType.ENUM:
            return f"{item.enum_name} | {literal_alias(item)}"
        if item.value_type is ValueType.ENUM_LIST:
            return f"Sequence[{item.enum_name} | {literal_alias(item)}]"
        if item.value_type is ValueType.STR_LIST:
            return "Sequence[str]"
        return "str"

    def literal(self, item: Input, value: Value) -> str:
        if item.value_type is ValueType.ENUM:
            assert isinstance(value, str)
            return member(item, value)
        if item.value_type is ValueType.ENUM_LIST:
            assert isinstance(value, tuple)
            members = [member(item, v) for v in value]
            return "(" + ", ".join(members) + ("," if len(members) == 1 else "") + ")"
        return text.py_literal(value)

    def python_schema(self, item: Input, defs: dict[str, Any]) -> dict[str, Any]:
        if item.value_type is ValueType.STR_LIST:
            return {"type": "array", "items": {"type": "string"}}
        if not item.is_enum:
            return {"type": "string"}
        assert item.enum_name is not None
        defs[item.enum_name] = {
            "type": "string",
            "description": f"Values of {item.wire_name}.",
            "enum": [o.value for o in item.options],
            "x-enum-varnames": [o.member for o in item.options],
        }
        ref = {"$ref": f"#/$defs/{item.enum_name}"}
        return ref if item.value_type is ValueType.ENUM else {"type": "array", "items": ref}

    def wire_schema(self, item: Input) -> dict[str, Any]:
        if item.value_type is ValueType.ENUM:
            return {"anyOf": [constant(o) for o in item.options]}
        if item.value_type is ValueType.ENUM_LIST:
            return {"type": "array", "items": {"anyOf": [constant(o) for o in item.options]}}
        if item.value_type is ValueType.STR_LIST:
            return {"type": "array", "items": {"type": "string"}}
        return {"type": "string"}

    def wire_value(self, item: Input, value: Any) -> Any:
        if isinstance(value, tuple):
            return list(value)  # a JSON array
        return value

    def notes(self, item: Input) -> list[str]:
        if not item.is_enum:
            return []
        many = "Any of" if item.value_type is ValueType.ENUM_LIST else "One of"
        if len(item.options) <= SHORT_SELECT:
            values = ", ".join(f"``{text.py_str(o.value)}``" for o in item.options)
            return [f"{many} {values}."]
        return [f"{many} {len(item.options)} values of :class:`{item.enum_name}`."]

    def type_cell(self, item: Input) -> str:
        return f"{item.kind.value}{options_count(item)}"

    def placeholder(self, item: Input) -> Value:
        if item.value_type is ValueType.STR_LIST:
            return (f"your {item.label.lower()}",)
        if not item.options:
            return super().placeholder(item)
        first = item.options[0].value
        return first if item.value_type is ValueType.ENUM else (first,)

    def example_argument(self, item: Input, value: Value, indent: str) -> str:
        if item.value_type is ValueType.ENUM_LIST:
            assert isinstance(value, tuple)
            members = [member(item, v) for v in value]
            return layout.collection(f"{item.py_name}=", members, ",", indent=indent, brackets="[]")
        return super().example_argument(item, value, indent)


def read_options(reading: Reading) -> tuple[Option, ...]:
    """The input's options in page order, each value once (a second listing is an error naming
    the first), with enum member names from their labels."""
    seen: dict[str, PathKey] = {}
    parts: list[tuple[str, str, str | None, tuple[str, ...], str | None]] = []
    for j, option in enumerate(reading.raw.get("options", [])):
        at: tuple[str | int, ...] = ("options", j)
        value = reading.text(*at, "value")
        if value in seen:
            reading.fail(
                (*at, "value"),
                f"option {value!r} of {reading.name!r} is listed twice (first on line "
                f"{reading.line(seen[value])}); list it once",
            )
            continue
        seen[value] = reading.at(*at)
        label = reading.text(*at, "label") if "label" in option else value
        description = (
            reading.text(*at, "description") if option.get("description") is not None else None
        )
        words = tuple(
            reading.text(*at, "trigger_words", k)
            for k in range(len(option.get("trigger_words", [])))
        )
        parts.append((value, label, description or None, words, option.get("cover")))
    members = naming.unique_members(
        [naming.enum_member(label) or naming.enum_member(value) for value, label, *_ in parts]
    )
    return tuple(
        Option(value=v, label=label, member=m, description=d, trigger_words=w, cover=cover)
        for (v, label, d, w, cover), m in zip(parts, members, strict=True)
    )


def check_option(written: str, options: tuple[Option, ...]) -> None:
    values = [o.value for o in options]
    if written in values:
        return
    shown = ", ".join(repr(v) for v in values[:12]) + (", ..." if len(values) > 12 else "")
    hint = ""
    folded = [v for v in values if v.lower() == written.lower()]
    if folded:
        hint = f" (options are compared as written: did you mean {folded[0]!r}?)"
    raise Invalid(f"{written!r} is not one of the options: {shown}{hint}")


def member(item: Input, value: str) -> str:
    """``Enum.MEMBER`` of one option value."""
    return f"{item.enum_name}.{item.option(value).member}"


def literal_alias(item: Input) -> str:
    """The ``Literal`` of an enum's raw values, which ``run()`` takes as well as its members."""
    return f"{item.enum_name}Value"


def constant(option: Option) -> dict[str, Any]:
    """One option as a JSON Schema ``const``, with its label and description when they say more."""
    out: dict[str, Any] = {"const": option.value}
    if option.label != option.value:
        out["title"] = option.label
    if option.description:
        out["description"] = option.description
    return out


def options_count(item: Input) -> str:
    if not item.options:
        return ""
    return f", {len(item.options)} option" + ("s" if len(item.options) != 1 else "")


SELECT = Select()
