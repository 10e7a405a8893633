"""The runtime's public surface: every type a public signature names can be imported from a
public module, so callers can annotate what they pass and what they get back."""

from __future__ import annotations

import collections.abc
import enum
import inspect
import types
import typing
from collections.abc import Iterator
from typing import Any

import wiro_client
import wiro_client.errors
import wiro_client.testing

PUBLIC_MODULES = (wiro_client, wiro_client.errors, wiro_client.testing)
OUTSIDE = (
    "builtins",
    "typing",
    "collections",
    "pathlib",
    "os",
    "random",
    "types",
    "httpx",
    "threading",
    "asyncio",
)
"""Modules whose types callers already have."""


def public_objects() -> Iterator[tuple[str, Any]]:
    for module in PUBLIC_MODULES:
        for name in module.__all__:
            yield f"{module.__name__}.{name}", getattr(module, name)


def callables_of(qualname: str, obj: Any) -> Iterator[tuple[str, Any]]:
    if inspect.isclass(obj):
        if issubclass(obj, enum.Enum | BaseException):
            return
        for name, member in vars(obj).items():
            if name.startswith("_") and name != "__init__":
                continue
            if isinstance(member, property):
                member = member.fget
            elif isinstance(member, classmethod | staticmethod):
                member = member.__func__
            if inspect.isfunction(member):
                yield f"{qualname}.{name}", member
        for base in obj.__mro__[1:]:
            if base.__module__.startswith("wiro_client"):
                yield from callables_of(qualname, base)
    elif inspect.isfunction(obj):
        yield qualname, obj


def named_types(hint: Any) -> Iterator[type]:
    if isinstance(hint, type) and not isinstance(hint, types.GenericAlias):
        yield hint
    for arg in typing.get_args(hint):
        yield from named_types(arg)
    origin = typing.get_origin(hint)
    if isinstance(origin, type) and origin not in (types.UnionType, collections.abc.Callable):
        yield origin


def names_for(function: Any) -> dict[str, Any]:
    """The names a function's annotations may use: its module's, and those its module imports
    for type checkers only."""
    import pydantic

    module = inspect.getmodule(function)
    return {"BaseModel": pydantic.BaseModel, **(vars(module) if module else {})}


def reachable() -> set[int]:
    return {id(value) for module in PUBLIC_MODULES for value in vars(module).values()}


def test_every_type_in_a_public_signature_is_public() -> None:
    seen: dict[str, list[str]] = {}
    public = reachable()
    for qualname, obj in public_objects():
        for where, function in callables_of(qualname, obj):
            hints = typing.get_type_hints(function, names_for(function))
            for hint in hints.values():
                for kind in named_types(hint):
                    if kind.__module__.split(".")[0] in OUTSIDE or id(kind) in public:
                        continue
                    seen.setdefault(f"{kind.__module__}.{kind.__qualname__}", []).append(where)
    assert not seen, "types used in public signatures but not exported:\n" + "\n".join(
        f"  {name}: {', '.join(sorted(set(uses))[:3])}" for name, uses in sorted(seen.items())
    )
