"""Discovery: Tool/List and Tool/Detail read into typed results.

The bodies are the official clients' (Wiro-MCP ``searchModels``/``getModelSchema``, the Swift
fixtures ``tool_list.json``/``tool_detail.json``): every number a string, ``hideworkflows`` and
``summary`` always sent. Answers are read leniently (models.md: most fields are text, some
numbers come as numbers): a field of the wrong type reads as empty, never as an exception.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._spec import ProviderSpec
from ._wire import ApiRequest

__all__ = [
    "Tool",
    "ToolOption",
    "ToolPage",
    "ToolParameter",
    "tool_detail_request",
    "tool_list_request",
    "tools_of",
]


@dataclass(frozen=True, slots=True)
class ToolOption:
    value: str
    label: str


@dataclass(frozen=True, slots=True)
class ToolParameter:
    """One input of a model, as Tool/Detail lists it (model-parameters.md)."""

    id: str
    """The wire name."""
    type: str
    label: str
    description: str
    required: bool
    default: str | None
    options: tuple[ToolOption, ...]
    minimum: float | None
    maximum: float | None
    step: float | None
    group: str
    """The title of the parameter group it is listed in."""
    raw: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True, slots=True)
class Tool:
    """A model on Wiro: what Tool/List (summary) or Tool/Detail (with parameters) says."""

    id: str
    title: str
    owner: str
    """``slugowner`` as named (``black-forest-labs``)."""
    project: str
    """``slugproject`` as named (``flux-pro-1.1``)."""
    endpoint: str
    """``owner/slug`` of the Run URL (``cleanslugowner/cleanslugproject``)."""
    description: str
    image: str
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    parameters: tuple[ToolParameter, ...] | None
    """None in a summary (Tool/List); Tool/Detail lists them."""
    examples: tuple[Mapping[str, Any], ...]
    """``inspire``: example inputs."""
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def name(self) -> str:
        return f"{self.owner}/{self.project}"


@dataclass(frozen=True, slots=True)
class ToolPage:
    """One page of Tool/List."""

    total: int
    tools: tuple[Tool, ...]


def tool_list_request(
    provider: ProviderSpec,
    *,
    search: str,
    categories: Sequence[str],
    owner: str | None,
    start: int,
    limit: int,
    sort: str,
    order: str | None,
) -> ApiRequest:
    spec = provider.endpoints["tool_list"]
    fields: dict[str, Any] = {
        "start": str(start),
        "limit": str(limit),
        "search": search,
        "categories": list(categories),
        "sort": sort,
        **spec.body,
    }
    if owner is not None:
        fields["slugowner"] = owner
    if order is not None:
        fields["order"] = order
    return ApiRequest("tool_list", spec.method, spec.path, fields)


def tool_detail_request(provider: ProviderSpec, model: str) -> ApiRequest:
    owner, _, project = model.partition("/")
    if not owner or not project:
        raise ValueError(f"a model is 'owner/slug', got {model!r}")
    spec = provider.endpoints["tool_detail"]
    fields = {"slugowner": owner, "slugproject": project}
    return ApiRequest("tool_detail", spec.method, spec.path, fields)


def tools_of(
    provider: ProviderSpec, endpoint: str, body: Mapping[str, Any]
) -> ToolPage:
    items = body.get(provider.endpoints[endpoint].answer_items or "tool")
    tools = tuple(
        _tool(item)
        for item in (items if isinstance(items, list) else [])
        if isinstance(item, Mapping)
    )
    total = _number(body.get("total"))
    return ToolPage(int(total) if total is not None else len(tools), tools)


def _tool(data: Mapping[str, Any]) -> Tool:
    groups = data.get("parameters")
    parameters: tuple[ToolParameter, ...] | None = None
    if isinstance(groups, list):
        parameters = tuple(
            _parameter(item, _text(group.get("title")))
            for group in groups
            if isinstance(group, Mapping)
            for item in _list(group.get("items"))
            if isinstance(item, Mapping)
        )
    inspire = data.get("inspire")
    return Tool(
        id=_text(data.get("id")),
        title=_text(data.get("title")),
        owner=_text(data.get("slugowner")),
        project=_text(data.get("slugproject")),
        endpoint=f"{_text(data.get('cleanslugowner'))}/{_text(data.get('cleanslugproject'))}",
        description=_text(data.get("description")),
        image=_text(data.get("image")),
        categories=_texts(data.get("categories")),
        tags=_texts(data.get("tags")),
        parameters=parameters,
        examples=tuple(
            dict(e)
            for e in (inspire if isinstance(inspire, list) else [])
            if isinstance(e, Mapping)
        ),
        raw=dict(data),
    )


def _parameter(data: Mapping[str, Any], group: str) -> ToolParameter:
    options = data.get("options")
    default = data.get("default")
    return ToolParameter(
        id=_text(data.get("id")),
        type=_text(data.get("type")),
        label=_text(data.get("label")),
        description=_text(data.get("description") or data.get("note")),
        required=data.get("required") is True,
        default=None if default is None else _text(default),
        options=tuple(
            ToolOption(_text(o.get("value")), _text(o.get("label") or o.get("value")))
            for o in (options if isinstance(options, list) else [])
            if isinstance(o, Mapping)
        ),
        minimum=_number(data.get("min")),
        maximum=_number(data.get("max")),
        step=_number(data.get("step")),
        group=group,
        raw=dict(data),
    )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None or isinstance(value, list | dict) else str(value)


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(_text(v) for v in value) if isinstance(value, list) else ()


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None
