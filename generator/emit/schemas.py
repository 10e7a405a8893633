"""Emitter: one JSON Schema (2020-12) per model, describing the JSON body of its Run request.

The public schema validates what goes on the wire from any language (a yes/no select is the
text "true"/"false" there). :func:`codegen_schema` is the same description at the Python level
(booleans, enums with member names) for datamodel-code-generator; both come from one function
so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from ..ir import Catalogue, Input, InputKind, Model, ValueType
from .text import to_json

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def emit_schemas(catalogue: Catalogue) -> dict[str, str]:
    return dict(schema_file(model) for model in catalogue.models)


def schema_file(model: Model) -> tuple[str, str]:
    """``schemas/<owner>/<slug>.json`` of one model."""
    return f"schemas/{model.file_stem}.json", to_json(input_schema(model), indent=2) + "\n"


def input_schema(model: Model) -> dict[str, Any]:
    """The wire-level JSON Schema of a model's Run body."""
    schema = _object_schema(model, python_level=False)
    if model.examples:
        schema["examples"] = [
            {name: wire_value(model.input(name), value) for name, value in example.values}
            for example in model.examples
        ]
    return schema


def codegen_schema(model: Model) -> dict[str, Any]:
    """The Python-level schema that datamodel-code-generator turns into the input model."""
    return _object_schema(model, python_level=True)


def _object_schema(model: Model, *, python_level: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {"$schema": SCHEMA_DIALECT}
    if not python_level:
        schema["$id"] = f"urn:wirogen:{model.provider}:{model.endpoint}"
    schema["title"] = model.input_class if python_level else f"{model.name} inputs"
    schema["description"] = (
        f"Inputs of {model.name}." if python_level else _model_description(model)
    )
    schema["type"] = "object"
    defs: dict[str, Any] = {}
    properties: dict[str, Any] = {}
    for item in model.inputs:
        properties[item.wire_name] = _property(item, python_level, defs)
    if defs:
        schema["$defs"] = defs
    schema["properties"] = properties
    required = [i.wire_name for i in model.inputs if i.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _model_description(model: Model) -> str:
    text = f"Run body of {model.name} (POST Run/{model.endpoint})."
    return f"{model.description}\n\n{text}" if model.description else text


def _property(item: Input, python_level: bool, defs: dict[str, Any]) -> dict[str, Any]:
    prop: dict[str, Any] = {}
    if not python_level:
        prop["title"] = item.label
    description = _describe(item, python_level)
    if description:
        prop["description"] = description
    prop.update(_python_type(item, defs) if python_level else _wire_type(item))
    if item.default is not None:
        prop["default"] = list(item.default) if isinstance(item.default, tuple) else item.default
        if not python_level:
            prop["default"] = wire_value(item, item.default)
    if item.secret:
        prop["writeOnly"] = True
    return prop


def _describe(item: Input, python_level: bool) -> str | None:
    parts = [item.help] if item.help else []
    if python_level and not item.help:
        parts.append(item.label)
    if item.file is not None and not python_level:
        if item.file.multiple:
            parts.append(
                f"URLs joined by {item.file.separator!r}; local files are uploaded in {item.file.upload!r}."
            )
        else:
            parts.append(f"A URL; a local file is uploaded in {item.file.upload!r} instead.")
    return " ".join(parts) or None


def _number_bounds(item: Input) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    if item.minimum is not None:
        bounds["minimum"] = item.minimum
    if item.maximum is not None:
        bounds["maximum"] = item.maximum
    return bounds


def _wire_type(item: Input) -> dict[str, Any]:
    vt = item.value_type
    if vt is ValueType.BOOL:
        assert item.boolean is not None
        wire = [item.boolean.true_value, item.boolean.false_value]
        if item.options:
            return {"anyOf": [_const(o.value, o.label, o.description) for o in item.options]}
        return {"type": "string", "enum": wire}
    if vt is ValueType.ENUM:
        return {"anyOf": [_const(o.value, o.label, o.description) for o in item.options]}
    if vt is ValueType.ENUM_LIST:
        # A JSON array, as Wiro-MCP's formatter and the n8n nodes send a multiselect.
        return {
            "type": "array",
            "items": {"anyOf": [_const(o.value, o.label, o.description) for o in item.options]},
        }
    if vt is ValueType.STR_LIST:
        return {"type": "array", "items": {"type": "string"}}
    if vt is ValueType.INT:
        return {"type": "integer", **_number_bounds(item)}
    if vt is ValueType.FLOAT:
        return {"type": "number", **_number_bounds(item)}
    if vt is ValueType.FILE:
        return {"type": "string"}
    if vt is ValueType.FILE_LIST and item.kind is InputKind.COMBINEFILEINPUT:
        return {"type": "array", "items": {"type": "string"}}
    return {"type": "string"}


def _python_type(item: Input, defs: dict[str, Any]) -> dict[str, Any]:
    vt = item.value_type
    if vt in (ValueType.ENUM, ValueType.ENUM_LIST):
        assert item.enum_name is not None
        defs[item.enum_name] = {
            "type": "string",
            "description": f"Values of {item.wire_name}.",
            "enum": [o.value for o in item.options],
            "x-enum-varnames": [o.member for o in item.options],
        }
        ref = {"$ref": f"#/$defs/{item.enum_name}"}
        return ref if vt is ValueType.ENUM else {"type": "array", "items": ref}
    if vt is ValueType.BOOL:
        return {"type": "boolean"}
    if vt is ValueType.INT:
        return {"type": "integer", **_number_bounds(item)}
    if vt is ValueType.FLOAT:
        return {"type": "number", **_number_bounds(item)}
    if vt in (ValueType.FILE_LIST, ValueType.STR_LIST):
        return {"type": "array", "items": {"type": "string"}}
    return {"type": "string"}


def _const(value: str, label: str, description: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"const": value}
    if label != value:
        out["title"] = label
    if description:
        out["description"] = description
    return out


def wire_value(item: Input, value: Any) -> Any:
    """A Python-level value as the wire carries it: booleans as their texts, a multiselect and
    a combinefileinput as JSON arrays, a multifileinput's URLs joined (model-parameters.md)."""
    if item.value_type is ValueType.BOOL:
        assert item.boolean is not None
        return item.boolean.true_value if value else item.boolean.false_value
    if isinstance(value, tuple):
        if item.kind is InputKind.MULTIFILEINPUT:
            return ((item.file and item.file.separator) or ",").join(value)
        return list(value)
    return value
