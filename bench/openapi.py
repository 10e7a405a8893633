"""The synthetic catalogue as one OpenAPI 3.0 document, for openapi-python-client to chew on.

This is the document a team would hand-write to get the same client from a general-purpose
generator: one ``POST /Run/{owner}/{slug}`` operation per model whose JSON body lists the model's
inputs (types, defaults, bounds, descriptions, enums inline as each page shows them), the shared
Task/Detail, Task/Cancel and Task/Kill operations, and the Run/Detail answers. It is built from the
same spec data as the YAML files, so both generators describe the same models.

It is also what ``bench/run.py`` feeds to datamodel-code-generator ("all models in one schema").
"""

from __future__ import annotations

from typing import Any

from generator.normalize import naming

from .synth import Spec

JSON = dict[str, Any]

_SCALAR: dict[str, JSON] = {
    "text": {"type": "string"},
    "textarea": {"type": "string"},
    "number": {"type": "integer"},
    "float": {"type": "number"},
    "range": {"type": "number"},
    "checkbox": {"type": "boolean"},
    "fileinput": {"type": "string", "format": "uri"},
    "multifileinput": {"type": "array", "items": {"type": "string", "format": "uri"}},
    "combinefileinput": {"type": "array", "items": {"type": "string", "format": "uri"}},
}


def input_property(item: JSON) -> JSON:
    """One model input as an OpenAPI property (what a hand-written document would say)."""
    kind = item["type"]
    prop: JSON
    if "boolean" in item:
        prop = {"type": "boolean"}
    elif kind in ("select", "selectwithcover") and item.get("options"):
        prop = {"type": "string", "enum": [o["value"] for o in item["options"]]}
    elif kind == "multiselect":
        prop = {
            "type": "array",
            "items": {"type": "string", "enum": [o["value"] for o in item["options"]]},
        }
    elif kind in ("select", "selectwithcover"):
        prop = {"type": "string"}
    else:
        prop = dict(_SCALAR[kind])
    if "min" in item:
        prop["minimum"] = item["min"]
    if "max" in item:
        prop["maximum"] = item["max"]
    if item.get("help"):
        prop["description"] = str(item["help"])
    default = item.get("default")
    if default not in (None, "") and "boolean" not in item and prop["type"] != "array":
        prop["default"] = default
    return prop


def model_schema(spec: Spec) -> JSON:
    inputs = spec["inputs"]
    required = [
        i["name"]
        for i in inputs
        if i.get("default") is None and i.get("required", True) and not i.get("secret")
    ]
    schema: JSON = {
        "type": "object",
        "description": spec.get("description", ""),
        "properties": {i["name"]: input_property(i) for i in inputs},
    }
    if required:
        schema["required"] = required
    return schema


def schema_name(spec: Spec) -> str:
    owner, slug = spec["endpoint"].split("/")
    return naming.pascal(owner) + naming.pascal(slug) + "Input"


_RUN_ANSWER: JSON = {
    "type": "object",
    "properties": {
        "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ApiError"}},
        "taskid": {"type": "string"},
        "socketaccesstoken": {"type": "string"},
        "result": {"type": "boolean"},
    },
    "required": ["errors", "result"],
}
_TASK: JSON = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "uuid": {"type": "string"},
        "socketaccesstoken": {"type": "string"},
        "status": {"type": "string"},
        "pexit": {"type": "string"},
        "debugoutput": {"type": "string"},
        "outputs": {"type": "array", "items": {"$ref": "#/components/schemas/TaskOutput"}},
    },
}
_SHARED_SCHEMAS: JSON = {
    "ApiError": {
        "type": "object",
        "properties": {"code": {"type": "integer"}, "message": {"type": "string"}},
    },
    "RunAnswer": _RUN_ANSWER,
    "TaskOutput": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "name": {"type": "string"},
            "contenttype": {"type": "string"},
            "size": {"type": "string"},
            "url": {"type": "string"},
        },
    },
    "Task": _TASK,
    "TaskDetailAnswer": {
        "type": "object",
        "properties": {
            "total": {"type": "string"},
            "errors": {"type": "array", "items": {"$ref": "#/components/schemas/ApiError"}},
            "tasklist": {"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
            "result": {"type": "boolean"},
        },
    },
    "TaskRef": {
        "type": "object",
        "properties": {"taskid": {"type": "string"}, "tasktoken": {"type": "string"}},
    },
}


def _json_operation(operation_id: str, tag: str, body_ref: str, answer_ref: str) -> JSON:
    return {
        "post": {
            "operationId": operation_id,
            "tags": [tag],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"$ref": body_ref}}},
            },
            "responses": {
                "200": {
                    "description": "The answer",
                    "content": {"application/json": {"schema": {"$ref": answer_ref}}},
                }
            },
        }
    }


def openapi_document(specs: list[Spec]) -> JSON:
    """The OpenAPI 3.0 document equivalent to ``specs`` and the Wiro provider."""
    paths: JSON = {}
    schemas: JSON = dict(_SHARED_SCHEMAS)
    for name in ("Detail", "Cancel", "Kill"):
        paths[f"/Task/{name}"] = _json_operation(
            f"task_{name.lower()}",
            "tasks",
            "#/components/schemas/TaskRef",
            "#/components/schemas/TaskDetailAnswer",
        )
    for spec in specs:
        owner, slug = spec["endpoint"].split("/")
        name = schema_name(spec)
        schemas[name] = model_schema(spec)
        paths[f"/Run/{owner}/{slug}"] = _json_operation(
            f"run_{naming.snake(owner, 'owner')}_{naming.snake(slug, 'model')}",
            naming.snake(owner, "owner"),
            f"#/components/schemas/{name}",
            "#/components/schemas/RunAnswer",
        )
    return {
        "openapi": "3.0.3",
        "info": {"title": "Wiro", "version": "1.0.0"},
        "servers": [{"url": "https://api.wiro.ai/v1"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"apiKey": {"type": "apiKey", "in": "header", "name": "x-api-key"}},
        },
        "security": [{"apiKey": []}],
    }


def json_schema_document(specs: list[Spec]) -> JSON:
    """Every model's body schema in one JSON Schema (datamodel-code-generator's batch input)."""
    defs = {schema_name(spec): model_schema(spec) for spec in specs}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Catalogue",
        "type": "object",
        "properties": {name: {"$ref": f"#/$defs/{name}"} for name in defs},
        "$defs": defs,
    }
