"""The spec the importer produces, as typed data (specs/schema/model.schema.json, in short).

Only the canonical form is representable: text is ``str``, numbers of number/float/range inputs
are ``int``/``float``, a yes/no input's default is ``bool``, a multi-valued default is a tuple.
:func:`spec_data` gives the plain data the written YAML must load back as.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..ir import InputKind

Scalar = str | int | float | bool
Value = Scalar | tuple[str, ...]


@dataclass(frozen=True)
class Option:
    value: str
    label: str | None = None
    description: str | None = None
    trigger_words: tuple[str, ...] = ()
    cover: str | None = None


@dataclass(frozen=True)
class Boolean:
    """The exact wire values of a yes/no input."""

    true_value: str
    false_value: str


@dataclass(frozen=True)
class Input:
    name: str
    kind: InputKind
    label: str | None = None
    help: str | None = None
    default: Value | None = None
    """None: no default (the input is required unless ``optional``)."""
    optional: bool = False
    """Written ``required: false``: optional without a default, where ``default: ""`` can't say it."""
    boolean: Boolean | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    step: int | float | None = None
    separator: str | None = None
    """Only when it is not the default ``,``."""
    options: tuple[Option, ...] | None = None
    """Always a tuple for select kinds (maybe empty), None for the others."""


Example = tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Spec:
    provider: str
    name: str
    endpoint: str
    description: str | None = None
    cover: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    inputs: tuple[Input, ...] = ()
    examples: tuple[Example, ...] = ()


def spec_data(spec: Spec) -> dict[str, Any]:
    """The spec as plain data, keys in the order the writer writes them."""
    data: dict[str, Any] = {
        "provider": spec.provider,
        "name": spec.name,
        "endpoint": spec.endpoint,
    }
    _put(data, "description", spec.description)
    _put(data, "cover", spec.cover)
    if spec.categories:
        data["categories"] = list(spec.categories)
    if spec.tags:
        data["tags"] = list(spec.tags)
    data["inputs"] = [input_data(item) for item in spec.inputs]
    if spec.examples:
        data["examples"] = [{k: _plain(v) for k, v in example} for example in spec.examples]
    return data


def input_data(item: Input) -> dict[str, Any]:
    data: dict[str, Any] = {"name": item.name, "type": item.kind.value}
    _put(data, "label", item.label)
    _put(data, "help", item.help)
    if item.default is not None:
        data["default"] = _plain(item.default)
    if item.optional:
        data["required"] = False
    if item.boolean is not None:
        data["boolean"] = {
            "true_value": item.boolean.true_value,
            "false_value": item.boolean.false_value,
        }
    _put(data, "min", item.minimum)
    _put(data, "max", item.maximum)
    _put(data, "step", item.step)
    _put(data, "separator", item.separator)
    if item.options is not None:
        data["options"] = [option_data(o) for o in item.options]
    return data


def option_data(option: Option) -> dict[str, Any]:
    data: dict[str, Any] = {"value": option.value}
    _put(data, "label", option.label)
    _put(data, "description", option.description)
    if option.trigger_words:
        data["trigger_words"] = list(option.trigger_words)
    _put(data, "cover", option.cover)
    return data


def _put(data: dict[str, Any], name: str, value: object) -> None:
    if value is not None:
        data[name] = value


def _plain(value: Value) -> Any:
    return list(value) if isinstance(value, tuple) else value
