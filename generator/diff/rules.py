"""The rules: each a named unit that finds one sort of change and says what it means to callers.

A rule compares two views (``surface``) of the same model, input or provider, or looks at one
that was added or removed, and returns what it found, worded for a pull request reviewer. Every
rule has a case directory of its own under ``tests/diff/cases/`` (old specs, new specs, the
expected report), named after it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from .change import Change, Kind
from .say import code, listing, value
from .surface import InputView, ModelView, ProviderView

BREAKING, COMPATIBLE, WIRE_ONLY = Kind.BREAKING, Kind.COMPATIBLE, Kind.WIRE_ONLY


@dataclass(frozen=True)
class Found:
    kind: Kind
    text: str
    addition: bool = False


@dataclass(frozen=True)
class Rule:
    name: str
    about: str
    """What the rule reports and how it classifies it (its docstring's first paragraph)."""


RULES: dict[str, Rule] = {}
"""Every rule by name, in the order reports list what they find."""

F = TypeVar("F", bound=Callable[..., Iterable[Found]])


def rule(name: str) -> Callable[[F], Callable[..., list[Change]]]:
    """Register a rule; calling it gives :class:`Change` values carrying its name."""

    def register(check: F) -> Callable[..., list[Change]]:
        about = " ".join((check.__doc__ or "").split("\n\n")[0].split()).replace("``", "`")
        RULES[name] = Rule(name, about)

        def run(*views: Any) -> list[Change]:
            return [Change(name, f.kind, f.text, addition=f.addition) for f in check(*views)]

        run.__name__ = run.__qualname__ = check.__name__
        run.__doc__ = check.__doc__
        return run

    return register


# --- Providers -----------------------------------------------------------------------------------


@rule("provider-added")
def provider_added(new: ProviderView) -> Iterable[Found]:
    """A new provider: compatible, an addition."""
    yield Found(COMPATIBLE, f"new provider {code(new.name)}", addition=True)


@rule("provider-removed")
def provider_removed(old: ProviderView) -> Iterable[Found]:
    """A provider removed: breaking, ``Wiro(provider=...)`` refuses its name."""
    yield Found(BREAKING, f"provider {code(old.name)} removed; clients for it cannot be made")


@rule("provider-environment")
def provider_environment(old: ProviderView, new: ProviderView) -> Iterable[Found]:
    """An environment variable the client reads (credentials, base URL) renamed or dropped:
    breaking, a deployment that sets the old one is no longer configured."""
    for (what, before), (_, after) in zip(old.environment, new.environment, strict=True):
        if before == after or before is None:
            continue
        now = f"read from {code(after)}" if after else "no longer read from the environment"
        yield Found(BREAKING, f"the {what} is {now}, not {code(before)}")


@rule("provider-wire")
def provider_wire(old: ProviderView, new: ProviderView) -> Iterable[Found]:
    """How requests are made or answers read (base URL, auth, endpoints, statuses, success
    rule): wire-only."""
    changed = _fields_changed(old.wire, new.wire)
    if changed:
        yield Found(WIRE_ONLY, f"{listing(changed)} changed")


@rule("provider-errors")
def provider_errors(old: ProviderView, new: ProviderView) -> Iterable[Found]:
    """Which error class an error code or HTTP status raises: breaking when one callers could
    catch moved or went, compatible (an addition) when one is new."""
    for key, error in old.errors.items():
        now = new.errors.get(key)
        if now is None:
            yield Found(BREAKING, f"{_error(key)} no longer raises {code(error)}")
        elif now != error:
            yield Found(BREAKING, f"{_error(key)} raises {code(now)}, not {code(error)}")
    for key, error in new.errors.items():
        if key not in old.errors:
            yield Found(COMPATIBLE, f"{_error(key)} raises {code(error)}", addition=True)


def _error(key: tuple[str, str, str]) -> str:
    """``code 0 with a message starting `Request files```, ``HTTP 401``."""
    kind, value, prefix = key
    return f"{kind} {code(value)}" + (f" with a message starting {code(prefix)}" if prefix else "")


@rule("provider-docs")
def provider_docs(old: ProviderView, new: ProviderView) -> Iterable[Found]:
    """Title, docs URL and the meanings of statuses and errors: compatible."""
    changed = _fields_changed(old.docs, new.docs)
    if changed:
        yield Found(COMPATIBLE, f"docs changed: {listing(changed)}")


# --- Models --------------------------------------------------------------------------------------


@rule("model-added")
def model_added(new: ModelView) -> Iterable[Found]:
    """A new model: compatible, an addition."""
    yield Found(COMPATIBLE, f"new model {code(new.python_path)}", addition=True)


@rule("model-removed")
def model_removed(old: ModelView) -> Iterable[Found]:
    """A model removed: breaking, its attribute, classes and ``client.run`` name are gone."""
    yield Found(
        BREAKING, f"model removed; {code(old.python_path)} and {code(old.class_names[0])} are gone"
    )


@rule("endpoint")
def endpoint(old: ModelView, new: ModelView) -> Iterable[Found]:
    """The Run endpoint changed: breaking, the model runs elsewhere and ``client.run`` no
    longer knows it by the old endpoint."""
    if old.endpoint != new.endpoint:
        yield Found(
            BREAKING,
            f"endpoint {code(old.endpoint)} is now {code(new.endpoint)}; it runs at "
            f"{code('Run/' + new.endpoint)}, and {code(f'client.run({old.endpoint!r}, ...)')} "
            "no longer finds it",
        )


@rule("model-python-name")
def model_python_name(old: ModelView, new: ModelView) -> Iterable[Found]:
    """The model's attribute or classes renamed: breaking, code that names them fails."""
    if old.python_path != new.python_path:
        yield Found(BREAKING, f"{code(old.python_path)} is now {code(new.python_path)}")
    renamed = [(a, b) for a, b in zip(old.class_names, new.class_names, strict=True) if a != b]
    if renamed:
        pairs = listing([f"{code(a)} is now {code(b)}" for a, b in renamed])
        yield Found(BREAKING, f"classes renamed: {pairs}")


@rule("model-name")
def model_name(old: ModelView, new: ModelView) -> Iterable[Found]:
    """The name the model's page shows: breaking when ``client.run`` knew the model by it (it
    differed from the endpoint), compatible (docs) otherwise."""
    if old.name == new.name:
        return
    if old.name != old.endpoint and old.name != new.endpoint:
        yield Found(
            BREAKING,
            f"name {code(old.name)} is now {code(new.name)}; "
            f"{code(f'client.run({old.name!r}, ...)')} no longer finds it",
        )
    else:
        yield Found(COMPATIBLE, f"name {code(old.name)} is now {code(new.name)}")


@rule("provider")
def provider(old: ModelView, new: ModelView) -> Iterable[Found]:
    """The model moved to another provider: breaking, it needs that provider's client and
    credentials."""
    if old.provider != new.provider:
        yield Found(
            BREAKING,
            f"served by provider {code(new.provider)}, not {code(old.provider)}; "
            "it needs that provider's client and credentials",
        )


@rule("model-docs")
def model_docs(old: ModelView, new: ModelView) -> Iterable[Found]:
    """Title, description, cover, categories, tags and examples: compatible."""
    changed = _fields_changed(old.docs, new.docs)
    if changed:
        yield Found(COMPATIBLE, f"docs changed: {listing(changed)}")


@rule("polling")
def polling(old: ModelView, new: ModelView) -> Iterable[Found]:
    """The spec's polling hints (first poll, typical seconds): compatible, ``wait()`` polls on
    another schedule."""
    if old.polling != new.polling:
        parts = [
            f"{what} {_seconds(a)} -> {_seconds(b)}"
            for what, a, b in zip(
                ("first poll", "typical run"), old.polling, new.polling, strict=True
            )
            if a != b
        ]
        yield Found(COMPATIBLE, f"polling hints changed: {listing(parts)}")


def _seconds(v: float | None) -> str:
    return "unset" if v is None else code(f"{v:g} s")


# --- Inputs: added, removed, renamed -------------------------------------------------------------


@rule("input-added")
def input_added(new: InputView) -> Iterable[Found]:
    """A new input: breaking when required (calls without it are refused), compatible (an
    addition) when optional."""
    if new.required:
        yield Found(BREAKING, "new required input; calls without it are refused")
    else:
        yield Found(COMPATIBLE, f"new optional input, {_unset(new)}", addition=True)


@rule("input-removed")
def input_removed(old: InputView) -> Iterable[Found]:
    """An input removed: breaking, calls passing it are refused."""
    yield Found(BREAKING, "input removed; calls passing it are refused")


@rule("input-renamed")
def input_renamed(old: InputView, new: InputView) -> Iterable[Found]:
    """An input removed and one of the same type, options, default and bounds added: reported
    as a rename, breaking, calls passing the old name are refused."""
    yield Found(
        BREAKING,
        f"renamed {code(new.py_name)} (sent as {code(new.wire_name)}, was {code(old.wire_name)}); "
        "calls passing the old name are refused",
    )


def same_shape(old: InputView, new: InputView) -> bool:
    """Whether ``new`` could be ``old`` under another name (see :func:`input_renamed`)."""
    return (
        old.kind == new.kind
        and old.value_type == new.value_type
        and [o.value for o in old.options] == [o.value for o in new.options]
        and _same(old.default, new.default)
        and (old.minimum, old.maximum, old.required) == (new.minimum, new.maximum, new.required)
    )


# --- Inputs: the same input, changed -------------------------------------------------------------


@rule("input-wire-name")
def input_wire_name(old: InputView, new: InputView) -> Iterable[Found]:
    """Same Python name, another wire name: wire-only (``client.run`` dicts keyed by the old
    wire name need the new one). The Python name is made from the wire name, so one never
    changes alone the other way."""
    if old.wire_name != new.wire_name:
        yield Found(WIRE_ONLY, f"sent as {code(new.wire_name)}, not {code(old.wire_name)}")


_WIDER = {("int", "float")}
"""Type changes that accept every value the old type did (an int is a float to mypy and
pydantic)."""


@rule("type")
def type_(old: InputView, new: InputView) -> Iterable[Found]:
    """What a caller passes: compatible (an addition) when the new type takes every old value
    (int to float), breaking otherwise (a select that lost its options loses its enum too)."""
    if old.value_type == new.value_type:
        return
    change = f"type {code(old.annotation)} is now {code(new.annotation)}"
    if (old.value_type, new.value_type) in _WIDER:
        yield Found(COMPATIBLE, f"{change}; every value it took is still accepted", addition=True)
    elif old.enum_name and not new.enum_name and new.value_type in ("str", "str_list"):
        yield Found(
            BREAKING,
            f"{change}; it takes any text, and {code(old.enum_name)} and "
            f"{code(old.literal_name or '')} are gone",
        )
    else:
        yield Found(BREAKING, f"{change}; values of the old type are refused")


@rule("required")
def required(old: InputView, new: InputView) -> Iterable[Found]:
    """Optional to required: breaking, calls that leave it out are refused. Required to
    optional: compatible, an addition."""
    if not old.required and new.required:
        yield Found(BREAKING, "now required; calls that leave it out are refused")
    elif old.required and not new.required:
        yield Found(COMPATIBLE, f"now optional, {_unset(new)}", addition=True)


@rule("default")
def default(old: InputView, new: InputView) -> Iterable[Found]:
    """The default of an optional input, which the client sends when a call leaves it out:
    breaking when it changes (the same call now asks for something else), wire-only when one
    appears or goes (the call sends it, or leaves the choice to the model)."""
    before, after = old.omitted, new.omitted
    if old.required or new.required or _same(before, after):
        return
    if before is not None and after is not None:
        yield Found(
            BREAKING,
            f"default {value(before)} is now {value(after)}; calls that leave it out send "
            f"{value(after)}",
        )
    elif after is not None:
        yield Found(
            WIRE_ONLY,
            f"now defaults to {value(after)}; calls that leave it out send it "
            "(before, the model's own default applied)",
        )
    else:
        yield Found(
            WIRE_ONLY,
            f"no default now; calls that leave it out send nothing (the model's own default "
            f"applies), not {value(before)}",
        )


@rule("enum-name")
def enum_name(old: InputView, new: InputView) -> Iterable[Found]:
    """The enum of a select renamed: breaking, code that imports it fails."""
    if old.enum_name and new.enum_name and old.enum_name != new.enum_name:
        yield Found(
            BREAKING,
            f"enum {code(old.enum_name)} is now {code(new.enum_name)} "
            f"(and {code(old.literal_name or '')} is now {code(new.literal_name or '')})",
        )


@rule("option-removed")
def option_removed(old: InputView, new: InputView) -> Iterable[Found]:
    """An option of a select removed: breaking, calls passing it are refused."""
    if not (old.enum_name and new.enum_name):
        return  # a select that lost or gained all its options is a type change
    for option in old.options:
        if new.option(option.value) is None:
            yield Found(
                BREAKING,
                f"option {value(option.value)} ({code(f'{old.enum_name}.{option.member}')}) "
                "removed; calls passing it are refused",
            )


@rule("option-added")
def option_added(old: InputView, new: InputView) -> Iterable[Found]:
    """An option added to a select: compatible, an addition."""
    if not (old.enum_name and new.enum_name):
        return
    for option in new.options:
        if old.option(option.value) is None:
            yield Found(
                COMPATIBLE,
                f"option {value(option.value)} added ({code(f'{new.enum_name}.{option.member}')})",
                addition=True,
            )


@rule("option-python-name")
def option_python_name(old: InputView, new: InputView) -> Iterable[Found]:
    """An option's enum member renamed (its label changed, or a clash moved its suffix):
    breaking, code that names the old member fails."""
    if not (old.enum_name and new.enum_name):
        return
    for option in new.options:
        before = old.option(option.value)
        if before is not None and before.member != option.member:
            yield Found(
                BREAKING,
                f"option {value(option.value)} is {code(f'{new.enum_name}.{option.member}')} "
                f"now, not {code(f'{old.enum_name}.{before.member}')}",
            )


_NUMBERS = ("int", "float")


@rule("range")
def range_(old: InputView, new: InputView) -> Iterable[Found]:
    """The accepted range of a number: breaking when either end narrows (values the old range
    took are refused), compatible (an addition) when it only widens."""
    if old.value_type not in _NUMBERS or new.value_type not in _NUMBERS:
        return
    low_a, high_a = _low(old.minimum), _high(old.maximum)
    low_b, high_b = _low(new.minimum), _high(new.maximum)
    if (low_a, high_a) == (low_b, high_b):
        return
    change = f"range {_range(old)} is now {_range(new)}"
    refused = []
    if low_b > low_a:
        refused.append(f"below {value(new.minimum)}")
    if high_b < high_a:
        refused.append(f"above {value(new.maximum)}")
    if refused:
        yield Found(BREAKING, f"{change}; values {' and '.join(refused)} are refused")
    else:
        yield Found(COMPATIBLE, f"{change}; it accepts more", addition=True)


def _low(v: float | None) -> float:
    return float("-inf") if v is None else v


def _high(v: float | None) -> float:
    return float("inf") if v is None else v


def _range(item: InputView) -> str:
    low = "" if item.minimum is None else repr(item.minimum)
    high = "" if item.maximum is None else repr(item.maximum)
    return code(f"{low}..{high}") if low or high else "unbounded"


@rule("boolean-wire")
def boolean_wire(old: InputView, new: InputView) -> Iterable[Found]:
    """The values a yes/no input sends for True and False: wire-only."""
    before, after = (old.true_value, old.false_value), (new.true_value, new.false_value)
    if None in before or None in after or before == after:
        return
    yield Found(
        WIRE_ONLY,
        f"{code('True')}/{code('False')} are sent as {_pair(after)}, not {_pair(before)}",
    )


def _pair(values: tuple[str | None, str | None]) -> str:
    return "/".join(value(v) for v in values)


@rule("file-fields")
def file_fields(old: InputView, new: InputView) -> Iterable[Found]:
    """The fields a file input sends URLs and uploads in: wire-only."""
    for what, a, b in (
        ("uploads", old.upload_field, new.upload_field),
        ("URLs", old.url_field or old.upload_field, new.url_field or new.upload_field),
    ):
        if a and b and a != b:
            yield Found(WIRE_ONLY, f"{what} are sent in {code(b)}, not {code(a)}")


@rule("separator")
def separator(old: InputView, new: InputView) -> Iterable[Found]:
    """What joins the values of a multi-valued input on the wire: wire-only."""
    if old.separator and new.separator and old.separator != new.separator:
        yield Found(
            WIRE_ONLY,
            f"values are joined by {value(new.separator)}, not {value(old.separator)}",
        )


@rule("secret")
def secret(old: InputView, new: InputView) -> Iterable[Found]:
    """Whether an input is a secret (kept out of logs, reprs and docs): compatible."""
    if old.secret != new.secret:
        yield Found(
            COMPATIBLE,
            "now a secret: kept out of logs, reprs and docs"
            if new.secret
            else "no longer a secret: its value may show in logs and docs",
        )


@rule("input-docs")
def input_docs(old: InputView, new: InputView) -> Iterable[Found]:
    """Label, help, step, options' labels and descriptions, and a Wiro type that takes the
    same Python values (text and textarea): compatible."""
    changed = []
    if old.kind != new.kind and old.value_type == new.value_type:
        changed.append(f"shown as {code(new.kind)}, not {code(old.kind)}")
    for what, a, b in (("label", old.label, new.label), ("help", old.help, new.help)):
        if a != b:
            changed.append(what)
    if old.step != new.step:
        changed.append("step")
    docs = {o.value: o.docs for o in old.options}
    options = [value(o.value) for o in new.options if docs.get(o.value, o.docs) != o.docs]
    if options:
        changed.append(f"option {listing(options)}")
    if changed:
        yield Found(COMPATIBLE, f"docs changed: {listing(changed)}")


def _fields_changed(
    old: tuple[tuple[str, object], ...], new: tuple[tuple[str, object], ...]
) -> list[str]:
    """The names of the (name, value) fields whose value differs."""
    return [what for (what, a), (_, b) in zip(old, new, strict=True) if a != b]


def _unset(item: InputView) -> str:
    """What a call that leaves the input out sends."""
    if item.default is not None:
        return f"default {value(item.default)}"
    if item.omitted is not None:
        return f"no default (a call that leaves it out sends {value(item.omitted)})"
    return "no default (left out unless given)"


def _same(a: object, b: object) -> bool:
    """Equal as values the client sends: 20 and 20.0 are, True and 1 are not."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


INPUT_RULES: Sequence[Callable[[InputView, InputView], list[Change]]] = (
    input_wire_name,
    type_,
    required,
    default,
    enum_name,
    option_removed,
    option_added,
    option_python_name,
    range_,
    boolean_wire,
    file_fields,
    separator,
    secret,
    input_docs,
)
MODEL_RULES: Sequence[Callable[[ModelView, ModelView], list[Change]]] = (
    endpoint,
    model_python_name,
    model_name,
    provider,
    model_docs,
    polling,
)
PROVIDER_RULES: Sequence[Callable[[ProviderView, ProviderView], list[Change]]] = (
    provider_environment,
    provider_wire,
    provider_errors,
    provider_docs,
)
