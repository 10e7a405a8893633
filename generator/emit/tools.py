"""A model as Wiro's Tool/Detail describes it: what FakeWiro answers for Tool/List and
Tool/Detail, and what ``wirogen import`` reads back into the same spec.

The shape follows models.md and model-parameters.md (``tool[0]``: ``id``, ``title``,
``slugowner``/``slugproject`` as named, ``cleanslugowner``/``cleanslugproject`` as run,
``parameters: [{title, items: [{id, type, label, description, required, default, options,
min, max, step}]}]``, ``inspire`` examples); defaults are text, as Wiro-MCP's types.ts has them.
"""

from __future__ import annotations

import hashlib
from typing import Any

from ..inputs import family_of
from ..ir import Input, Model
from .text import to_json

TOOLS_DIR = "python/wiro_client/testing/tools"
"""Where the package keeps these answers (FakeWiro reads them on its first Tool/* call)."""


def tool_file(model: Model) -> tuple[str, str]:
    """``testing/tools/<owner>/<slug>.json`` of one model."""
    return f"{TOOLS_DIR}/{model.file_stem}.json", to_json(tool_detail(model), indent=2) + "\n"


def tool_detail(model: Model) -> dict[str, Any]:
    """The ``tool`` object Tool/Detail answers for ``model``."""
    owner, _, project = model.name.partition("/")
    clean_owner, _, clean_project = model.endpoint.partition("/")
    tool: dict[str, Any] = {
        "id": str(int(hashlib.sha256(model.endpoint.encode()).hexdigest()[:8], 16)),
        "title": model.title or project,
        "slugowner": owner,
        "slugproject": project,
        "cleanslugowner": clean_owner,
        "cleanslugproject": clean_project,
        "description": model.description or "",
        "image": model.cover or "",
        "categories": list(model.categories),
        "tags": list(model.tags),
        "parameters": [{"title": "Inputs", "items": [_item(i) for i in model.inputs]}],
        "inspire": [
            {name: _text(model.input(name), value) for name, value in example.values}
            for example in model.examples
        ],
    }
    return tool


def _item(item: Input) -> dict[str, Any]:
    out: dict[str, Any] = {"id": item.wire_name, "type": item.kind.value}
    if item.raw_label is not None:
        out["label"] = item.raw_label
    if item.raw_help is not None:
        out["description"] = item.raw_help
    out["required"] = item.required
    if item.default is not None:
        out["default"] = _text(item, item.default)
    elif item.sends_empty:
        out["default"] = ""
    if item.options:
        out["options"] = [
            _option(o.value, o.label, o.description, o.trigger_words) for o in item.options
        ]
    for key, value in (("min", item.minimum), ("max", item.maximum), ("step", item.step)):
        if value is not None:
            out[key] = value
    return out


def _option(
    value: str, label: str, description: str | None, trigger_words: tuple[str, ...]
) -> dict[str, Any]:
    out: dict[str, Any] = {"value": value, "label": label}
    if description:
        out["description"] = description
    if trigger_words:
        out["triggerwords"] = list(trigger_words)
    return out


def _text(item: Input, value: Any) -> str:
    """A value as Wiro's Tool/Detail writes it: its wire form as text (a yes/no as its wire
    word, a list joined by the input's separator, as the pages write it)."""
    wire = family_of(item).wire_value(item, value)
    if isinstance(wire, list):
        separator = (item.file.separator if item.file else item.separator) or ","
        return separator.join(str(v) for v in wire)
    return str(wire)
