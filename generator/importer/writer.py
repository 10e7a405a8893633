"""A spec as canonical YAML: the committed specs' style, the same bytes for the same spec.

Layout: the ``yaml-language-server`` header, top-level keys in schema order, inputs and options
as block lists, short lists (categories, tags, trigger words) and ``boolean`` in flow style,
two-space indentation, no line wrapping.

Quoting (:func:`scalar`): a string is written plain unless YAML would read it as something else
or could not read it at all. It is double-quoted when it

- is empty, or starts or ends with a blank;
- would resolve to a non-string in YAML 1.1 or 1.2 (``NO``, ``yes``, ``on``, ``y``, ``~``,
  ``null``, ``1.0``, ``16:9`` (a base-60 integer in YAML 1.1), ``2024-01-01``, ``.inf``, ``<<``);
- starts with an indicator (``- ? : , [ ] { } # & * ! | > ' " % @ ` ``);
- holds ``: `` or `` #``, ends with ``:``, or, inside a flow list, holds ``, [ ] { } :``;
- holds a character that must be escaped (controls, tab, line or paragraph separators, BOM).

Inside double quotes only ``"``, ``\\`` and those characters are escaped; emoji, math-bold
letters and curly quotes are written as they are.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from .spec import Spec, spec_data

SCHEMA_REFERENCE = "../../schema/model.schema.json"
"""Where ``specs/models/<owner>/<name>.yaml`` finds ``specs/schema/model.schema.json``."""

_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_UNSAFE = frozenset(",[]{}:")
# Characters YAML cannot hold unescaped, or that it would read as a line break or a BOM.
_ESCAPE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff]")
_NAMED_ESCAPES = {
    "\0": "\\0",
    "\x07": "\\a",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\x0b": "\\v",
    "\x0c": "\\f",
    "\r": "\\r",
    "\x1b": "\\e",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# YAML 1.2 core-schema scalars that YAML 1.1 (PyYAML) reads as strings: quoted anyway, since
# editors and other tools read specs with 1.2 parsers.
_YAML12_NON_STRING = re.compile(
    r"^(?:[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN|0o[0-7]+|[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?"
    r"|[-+]?\.\d+(?:[eE][-+]?\d+)?|y|Y|n|N)$"
)
_resolver = yaml.resolver.Resolver()


def write_spec(spec: Spec, schema: str = SCHEMA_REFERENCE) -> str:
    """The spec file's text; its header names the meta-schema editors check it against
    (``schema``: a path relative to the spec file)."""
    lines = [f"# yaml-language-server: $schema={schema}"]
    _mapping(spec_data(spec), 0, lines, first_prefix="")
    return "\n".join(lines) + "\n"


def _mapping(data: dict[str, Any], indent: int, lines: list[str], first_prefix: str) -> None:
    """A block mapping; its first key may share a line with a list dash (``- name: x``)."""
    pad = " " * indent
    for i, (name, value) in enumerate(data.items()):
        lead = first_prefix if i == 0 and first_prefix else pad
        key = scalar(name)
        if isinstance(value, dict) and name == "boolean":
            lines.append(f"{lead}{key}: {_flow_mapping(value)}")
        elif isinstance(value, list) and (not value or not isinstance(value[0], dict)):
            lines.append(f"{lead}{key}: {_flow_list(value)}")
        elif isinstance(value, list):
            lines.append(f"{lead}{key}:")
            _items(value, indent + 2, lines)
        else:
            lines.append(f"{lead}{key}: {_value(value)}")


def _items(items: list[dict[str, Any]], indent: int, lines: list[str]) -> None:
    pad = " " * indent
    for item in items:
        _mapping(item, indent + 2, lines, first_prefix=f"{pad}- ")


def _flow_list(values: list[Any]) -> str:
    return "[" + ", ".join(_value(v, flow=True) for v in values) + "]"


def _flow_mapping(data: dict[str, Any]) -> str:
    return (
        "{"
        + ", ".join(f"{scalar(k, flow=True)}: {_value(v, flow=True)}" for k, v in data.items())
        + "}"
    )


def _value(value: Any, *, flow: bool = False) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, list):
        return _flow_list(value)
    return scalar(str(value), flow=flow)


def number(value: float) -> str:
    """A float YAML 1.1 and 1.2 both read back as the same float (``1e-05`` -> ``1.0e-05``)."""
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        sign = exponent[0] if exponent[0] in "+-" else "+"
        text = f"{mantissa}.0e{sign}{exponent.lstrip('+-')}"
    return text


def scalar(text: str, *, flow: bool = False) -> str:
    """``text`` plain when YAML reads it back as exactly this string, else double-quoted."""
    return _quoted(text) if needs_quotes(text, flow=flow) else text


def needs_quotes(text: str, *, flow: bool = False) -> bool:
    if text == "" or text != text.strip() or text[0] in _INDICATORS:
        return True
    if _ESCAPE.search(text) or "\t" in text:
        return True
    if ": " in text or " #" in text or text.endswith(":"):
        return True
    if flow and any(c in _FLOW_UNSAFE for c in text):
        return True
    if _YAML12_NON_STRING.match(text):
        return True
    # PyYAML's own implicit resolver decides what YAML 1.1 reads (types-PyYAML leaves it untyped).
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag != "tag:yaml.org,2002:str")


def _quoted(text: str) -> str:
    out = ['"']
    for char in text:
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif char in _NAMED_ESCAPES:
            out.append(_NAMED_ESCAPES[char])
        elif _ESCAPE.match(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)
