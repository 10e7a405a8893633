"""Structural checks: a spec must match its JSON Schema meta-schema (specs/schema/*.schema.json).

jsonschema's own messages name schema internals; these are rewritten to say what the author wrote
wrong and where, pointing at the offending key rather than at the object that holds it.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import jsonschema_rs

if TYPE_CHECKING:  # jsonschema (~50 ms to import) is only needed for a spec that is invalid
    import jsonschema
    from jsonschema.exceptions import ValidationError

from .._paths import schema_dir
from ..diagnostics import Diagnostic, error
from ..load import Document

SpecKind = Literal["model", "provider", "releases"]


@cache
def meta_schema(kind: SpecKind) -> dict[str, Any]:
    with open(schema_dir() / f"{kind}.schema.json", encoding="utf-8") as f:
        schema: dict[str, Any] = json.load(f)
    return schema


@cache
def _validator(kind: SpecKind) -> jsonschema.Draft202012Validator:
    import jsonschema

    return jsonschema.Draft202012Validator(meta_schema(kind))


@cache
def _fast_validator(kind: SpecKind) -> jsonschema_rs.Validator:
    """jsonschema-rs's validator for ``kind``: ~100x faster than jsonschema on a valid spec."""
    return jsonschema_rs.validator_for(meta_schema(kind))


def conforms(data: Any, kind: SpecKind) -> bool:
    """Whether ``data`` is valid against its meta-schema, asked of the fast validator.

    Any doubt (a value it cannot take, such as a mapping with non-text keys) answers False, so
    the full check decides.
    """
    try:
        return _fast_validator(kind).is_valid(data)
    except Exception:  # any refusal of the fast path only means "ask jsonschema"
        return False


def check_structure(doc: Document, kind: SpecKind) -> list[Diagnostic]:
    """Every way ``doc`` breaks its meta-schema, one message per fault.

    jsonschema walks a 160-option spec in ~10 ms; jsonschema-rs answers "valid" in ~0.1 ms. Valid
    specs (nearly all, in a catalogue of 1,000) stop at the fast answer; an invalid one gets
    jsonschema's full walk, whose errors this module turns into located messages.
    """
    if conforms(doc.data, kind):
        return []
    found: dict[tuple[object, ...], Diagnostic] = {}
    schema = meta_schema(kind)
    for err in _validator(kind).iter_errors(doc.data):
        for diagnostic in _explain(doc, err, schema):
            key = (diagnostic.location, diagnostic.message)
            found.setdefault(key, diagnostic)
    return _drop_shadowed(list(found.values()))


def _explain(doc: Document, err: ValidationError, schema: dict[str, Any]) -> Iterable[Diagnostic]:
    from jsonschema.exceptions import best_match

    path = tuple(err.absolute_path)
    validator = err.validator
    if validator in ("anyOf", "oneOf") and err.context:
        yield from _explain(doc, best_match(err.context), schema)
        return
    if validator in ("additionalProperties", "unevaluatedProperties"):
        allowed = sorted(err.schema.get("properties", {})) if isinstance(err.schema, dict) else []
        instance = err.instance if isinstance(err.instance, dict) else {}
        for key in instance:
            if key in allowed:
                continue
            if validator == "additionalProperties" and isinstance(err.schema, dict):
                extra = err.schema.get("additionalProperties")
                if extra is not False:
                    continue
            yield error(
                doc.key_at((*path, key)), f"unexpected key {key!r}{_did_you_mean(key, allowed)}"
            )
        return
    if validator == "required":
        wanted = err.validator_value if isinstance(err.validator_value, list) else []
        missing = [k for k in wanted if isinstance(err.instance, dict) and k not in err.instance]
        for key in missing:
            yield error(doc.at(path), f"missing required key {key!r}{_context(doc, path)}")
        return
    if err.schema is False:
        # jsonschema reports a key refused by a `false` subschema at its object, without the
        # key; the refused keys are those whose subschema is `false` in that `properties`.
        properties = _schema_at(schema, list(err.absolute_schema_path))
        instance = _value_at(doc.data, path)
        refused = [
            k
            for k, sub in (properties or {}).items()
            if sub is False and isinstance(instance, dict) and k in instance
        ]
        for key in refused:
            yield error(
                doc.key_at((*path, key)), f"key {key!r} is not allowed{_context(doc, path)}"
            )
        if not refused:
            yield error(doc.at(path), f"this value is not allowed{_named(path)}")
        return
    if (
        validator == "not"
        and isinstance(err.validator_value, dict)
        and "required" in err.validator_value
    ):
        for key in err.validator_value["required"]:
            yield error(
                doc.key_at((*path, key)), f"key {key!r} is not allowed{_context(doc, path)}"
            )
        return
    if validator == "enum":
        options = (
            [str(o) for o in err.validator_value] if isinstance(err.validator_value, list) else []
        )
        shown = ", ".join(options)
        yield error(
            doc.at(path),
            f"{err.instance!r} is not one of: {shown}{_did_you_mean(str(err.instance), options)}",
        )
        return
    if validator == "type":
        expected = err.validator_value
        kinds = " or ".join(expected) if isinstance(expected, list) else str(expected)
        yield error(
            doc.at(path), f"expected {kinds}, found {_describe(err.instance)}{_named(path)}"
        )
        return
    if validator == "pattern" and path and path[-1] in _PATTERN_MEANING:
        yield error(doc.at(path), f"{err.instance!r} {_PATTERN_MEANING[str(path[-1])]}")
        return
    yield error(doc.at(path), f"{err.message}{_named(path)}")


_PATTERN_MEANING = {
    "endpoint": "must be owner/slug: two non-empty parts joined by one '/'",
    "name": "must be owner/name: two non-empty parts joined by one '/'",
    "provider": "must be a provider file name: lower-case letters, digits and '-'",
}


def _drop_shadowed(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """A key refused by a rule is also 'unevaluated'; keep only the message that says why."""
    refused = {d.location for d in diagnostics if "is not allowed" in d.message}
    return [
        d
        for d in diagnostics
        if not (d.location in refused and d.message.startswith("unexpected key"))
    ]


def _schema_at(schema: dict[str, Any], steps: list[Any]) -> Any:
    """The meta-schema node at a jsonschema schema path, following local ``$ref``s."""
    node: Any = schema
    for step in steps:
        while isinstance(node, dict) and step not in node and "$ref" in node:
            node = _schema_at(schema, node["$ref"].removeprefix("#/").split("/"))
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    node = data
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _context(doc: Document, path: tuple[Any, ...]) -> str:
    node = _value_at(doc.data, path)
    if isinstance(node, dict) and "type" in node and "name" in node:
        return f" (input {node['name']!r} of type {node['type']!r})"
    return ""


def _named(path: tuple[Any, ...]) -> str:
    names = [p for p in path if isinstance(p, str)]
    return f" (at {'.'.join(names)})" if names else ""


def _describe(value: Any) -> str:
    kind = {
        bool: "boolean",
        int: "integer",
        float: "number",
        str: "text",
        list: "a list",
        dict: "a mapping",
    }
    name = kind.get(type(value), "null" if value is None else type(value).__name__)
    if isinstance(value, bool | int | float | str):
        return f"{name} {value!r}"
    return name


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
