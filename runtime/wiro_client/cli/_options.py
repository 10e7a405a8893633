"""One command-line option per model input, made from the model's SPEC at run time.

Nothing here knows a model: every option, its type, choices, completion, default and help
come from the :class:`~wiro_client.InputSpec` the generated module holds.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from click.shell_completion import CompletionItem

from .._inputs import is_url
from .._spec import InputSpec, ModelSpec

__all__ = [
    "RESERVED",
    "SHORT_SELECT",
    "InputOption",
    "example_command",
    "input_options",
    "inputs_from",
    "option_names",
]

SHORT_SELECT = 10
"""A select with at most this many options lists them in ``--help`` (as the docs do);
longer ones say how many and point at ``--list-options``."""

RESERVED = frozenset(
    {"help", "wait", "no-wait", "download", "json", "timeout", "list-options", "debug"}
)
"""Options of ``wiro run`` itself: an input with one of these names is ``--input-NAME``."""


@dataclass(frozen=True, slots=True)
class InputOption:
    """An input as the command line shows it."""

    input: InputSpec
    flag: str
    """``--input-image-url``."""
    dest: str
    """The click parameter's name."""


def option_names(spec: ModelSpec) -> list[InputOption]:
    """Each input's option: its Python name in kebab case (``input_image_url`` ->
    ``--input-image-url``), ``--input-...`` when that is one of :data:`RESERVED` or
    already taken."""
    taken = set(RESERVED)
    out = []
    for index, item in enumerate(spec.inputs):
        name = item.python_name.rstrip("_").replace("_", "-").lower() or "input"
        while name in taken:
            name = f"input-{name}"
        taken.add(name)
        out.append(InputOption(item, f"--{name}", f"input_{index}"))
    return out


class SelectValue(click.ParamType):  # type: ignore[type-arg]  # generic from click 8.4
    """An option of a select, by value or by label (labels in any case)."""

    name = "choice"

    def __init__(self, item: InputSpec) -> None:
        self.item = item

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        listed = "[" + "|".join(self.item.options) + "]"
        return listed if len(listed) <= 32 else "CHOICE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        text = str(value)
        item = self.item
        if text in item.options:
            return text
        folded = text.casefold()
        for option in item.options:
            if item.option_label(option).casefold() == folded:
                return option
        for option in item.options:
            if option.casefold() == folded:
                return option
        flag = param.opts[0] if param is not None and param.opts else item.name
        if len(item.options) <= SHORT_SELECT:
            hint = "one of " + ", ".join(item.options)
        else:
            hint = f"see --list-options {flag.removeprefix('--')}"
        self.fail(f"{text!r} is not an option of {item.name} ({hint})", param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        item = self.item
        folded = incomplete.casefold()
        return [
            CompletionItem(option, help=item.option_label(option))
            for option in item.options
            if option.casefold().startswith(folded)
            or item.option_label(option).casefold().startswith(folded)
        ]


class FileOrUrl(click.ParamType):  # type: ignore[type-arg]
    """A URL (sent as it is) or a local file (uploaded): a path must exist."""

    name = "file"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str | None:
        return "PATH|URL"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        text = os.fspath(value)
        if is_url(text):
            return text.strip()
        path = Path(text).expanduser()
        if not path.is_file():
            self.fail(
                f"no such file: {text} (a URL starts with http:// or https://)",
                param,
                ctx,
            )
        return str(path)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        return [CompletionItem(incomplete, type="file")]


def _param_type(item: InputSpec) -> click.ParamType:  # type: ignore[type-arg]
    kind = item.value_type
    if kind in ("enum", "enum_list") and item.options:
        return SelectValue(item)
    if kind in ("file", "file_list"):
        return FileOrUrl()
    if kind == "int":
        if item.minimum is None and item.maximum is None:
            return click.INT
        return click.IntRange(
            None if item.minimum is None else int(item.minimum),
            None if item.maximum is None else int(item.maximum),
        )
    if kind == "float":
        if item.minimum is None and item.maximum is None:
            return click.FLOAT
        return click.FloatRange(item.minimum, item.maximum)
    return click.STRING


def _help(item: InputSpec, flag: str) -> str:
    parts = [item.label.rstrip(".") + "." if item.label else ""]
    if item.help and item.help.strip() != item.label.strip():
        parts.append(item.help.strip())
    if item.value_type in ("file", "file_list"):
        parts.append("A URL, or a local file to upload.")
    if item.value_type in ("enum_list", "str_list", "file_list"):
        parts.append("Repeat for several.")
    options = item.options if item.value_type in ("enum", "enum_list") else ()
    if options and len(options) > SHORT_SELECT:
        parts.append(
            f"One of {len(options)} values (or their labels): "
            f"--list-options {flag.removeprefix('--')}."
        )
    elif options and item.option_labels:
        labelled = ", ".join(f"{o} ({item.option_label(o)})" for o in options)
        parts.append(f"Values: {labelled}.")
    elif options and len("|".join(options)) > 30:
        parts.append(f"One of: {', '.join(options)}.")
    if item.true_value is not None and item.kind != "checkbox":
        parts.append(f"Sent as {item.true_value!r} / {item.false_value!r}.")
    default = _default_text(item)
    if default is not None:
        parts.append(f"[default: {default}]")
    return " ".join(p for p in parts if p)


def _default_text(item: InputSpec) -> str | None:
    value = item.default
    if value is None or item.secret:
        return None
    if isinstance(value, tuple):
        text = ", ".join(value)
    elif isinstance(value, bool):
        text = "yes" if value else "no"
    else:
        text = str(value)
        if item.option_labels and text in item.options:
            text += f" ({item.option_label(text)})"
    return text if len(text) <= 60 else text[:57] + "..."


def input_options(spec: ModelSpec) -> list[tuple[InputOption, click.Option]]:
    """A click option for every input of ``spec``. None is what an option left out
    gives: the client then leaves the input to the model's default."""
    made = []
    for named in option_names(spec):
        item, flag = named.input, named.flag
        common: dict[str, Any] = {"help": _help(item, flag), "required": item.required}
        if item.value_type == "bool":
            option = click.Option(
                [f"{flag}/--no-{flag.removeprefix('--')}", named.dest],
                default=None,
                **common,
            )
        else:
            # No default: an option left out is None (click 8.5 would keep an explicit
            # None as a value given).
            option = click.Option(
                [flag, named.dest],
                type=_param_type(item),
                multiple=item.value_type in ("enum_list", "file_list") or item.multiple,
                **common,
            )
        made.append((named, option))
    return made


def inputs_from(
    named: Sequence[InputOption], values: Mapping[str, Any]
) -> dict[str, Any]:
    """The model inputs (by wire name) the user gave on the command line."""
    given: dict[str, Any] = {}
    for one in named:
        value = values.get(one.dest)
        if value is None or value == ():
            continue
        given[one.input.name] = list(value) if isinstance(value, tuple) else value
    return given


def example_command(spec: ModelSpec, example: Mapping[str, Any]) -> list[str]:
    """``wiro run`` with the options that give ``example`` (an example of the spec), and
    a placeholder for each required input it leaves out."""
    words = ["wiro", "run", spec.endpoint]
    by_wire = {n.input.name: n for n in option_names(spec)}
    for item in spec.inputs:
        if item.required and item.name not in example:
            words += [by_wire[item.name].flag, _placeholder(item)]
    for name, value in example.items():
        named = by_wire.get(name)
        if named is None or named.input.secret:
            continue
        item = named.input
        if item.value_type == "bool":
            on = value is True or str(value) == (item.true_value or "true")
            words.append(named.flag if on else f"--no-{named.flag.removeprefix('--')}")
        elif item.value_type in ("enum_list", "file_list") or item.multiple:
            for part in str(value).split(item.separator):
                if part:
                    words += [named.flag, part]
        else:
            words += [named.flag, str(value)]
    return words


def _placeholder(item: InputSpec) -> str:
    if item.options:
        return item.options[0]
    return {
        "file": "FILE_OR_URL",
        "file_list": "FILE_OR_URL",
        "int": "NUMBER",
        "float": "NUMBER",
    }.get(item.value_type, "TEXT")
