"""Emitter: one JSON Schema (2020-12) per model, describing the JSON body of its Run request.

The public schema validates what goes on the wire from any language (a yes/no select is the
text "true"/"false" there). :func:`codegen_schema` is the same description at the Python level
(booleans, enums with member names) for datamodel-code-generator; both come from one function
so they cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from ..inputs import family_of
from ..ir import Catalogue, Input, Model
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
            {
                name: family_of(model.input(name)).wire_value(model.input(name), value)
                for name, value in example.values
            }
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
    family = family_of(item)
    prop: dict[str, Any] = {}
    if not python_level:
        prop["title"] = item.label
    parts = [item.help] if item.help else []
    if python_level and not item.help:
        parts.append(item.label)
    if not python_level:
        parts += family.wire_notes(item)
    if parts:
        prop["description"] = " ".join(parts)
    prop.update(family.python_schema(item, defs) if python_level else family.wire_schema(item))
    if item.default is not None:
        prop["default"] = list(item.default) if isinstance(item.default, tuple) else item.default
        if not python_level:
            prop["default"] = family.wire_value(item, item.default)
    if item.secret:
        prop["writeOnly"] = True
    return prop
