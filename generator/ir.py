"""The intermediate model: what the specs mean, with every rule already applied.

Emitters and templates see only these frozen dataclasses, never YAML: names are valid Python,
defaults are coerced to their input's type, translation keys are told apart from human text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

Scalar = str | int | float | bool
Value = Scalar | tuple[str, ...]


class InputKind(StrEnum):
    """Wiro's input types."""

    TEXT = "text"
    TEXTAREA = "textarea"
    SELECT = "select"
    MULTISELECT = "multiselect"
    SELECTWITHCOVER = "selectwithcover"
    NUMBER = "number"
    FLOAT = "float"
    RANGE = "range"
    CHECKBOX = "checkbox"
    FILEINPUT = "fileinput"
    MULTIFILEINPUT = "multifileinput"
    COMBINEFILEINPUT = "combinefileinput"


class ValueType(StrEnum):
    """What a caller passes for an input, after the spec's rules (a boolean select is BOOL)."""

    STR = "str"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    ENUM = "enum"
    ENUM_LIST = "enum_list"
    STR_LIST = "str_list"
    """A multiselect whose spec lists no options: any texts."""
    FILE = "file"
    FILE_LIST = "file_list"


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    member: str
    """Python enum member name, unique within its enum."""
    description: str | None = None
    trigger_words: tuple[str, ...] = ()
    cover: str | None = None


@dataclass(frozen=True)
class BooleanWire:
    """The exact values a yes/no input sends."""

    true_value: str
    false_value: str


@dataclass(frozen=True)
class FileFields:
    """Where a file input's data goes: uploads in ``upload``, URLs in ``url`` (``upload`` if None)."""

    upload: str
    url: str | None
    multiple: bool
    separator: str = ","


@dataclass(frozen=True)
class Input:
    wire_name: str
    py_name: str
    kind: InputKind
    family: str
    """The family of kinds that read it (``generator.inputs``): its typing, docs and wire rule."""
    value_type: ValueType
    label: str
    """Human label: the page's label, or a readable form of it when it is a translation key."""
    help: str | None
    """Human help text; None when the page only gives a translation key."""
    raw_label: str | None
    raw_help: str | None
    required: bool
    default: Value | None
    """The default as the caller sees it (bool for a boolean select), None when there is none."""
    options: tuple[Option, ...] = ()
    enum_name: str | None = None
    boolean: BooleanWire | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    step: int | float | None = None
    separator: str | None = None
    file: FileFields | None = None
    secret: bool = False
    sends_empty: bool = False
    """The spec's default is empty text: the client sends ``""`` when the caller leaves the
    input out, as Wiro's own clients do (the Python default stays None)."""

    @property
    def is_enum(self) -> bool:
        return self.value_type in (ValueType.ENUM, ValueType.ENUM_LIST)

    def option(self, value: str) -> Option:
        return next(o for o in self.options if o.value == value)


@dataclass(frozen=True)
class Example:
    """One whole example input: (wire name, value) in spec order."""

    values: tuple[tuple[str, Value], ...]


@dataclass(frozen=True)
class Polling:
    first_poll: float | None = None
    typical_seconds: float | None = None


@dataclass(frozen=True)
class Model:
    source: str
    """Spec file the model came from, as shown in messages and generated headers."""
    provider: str
    name: str
    """``owner/name`` as the page shows it."""
    owner: str
    slug: str
    """Owner and slug of the Run endpoint."""
    owner_attr: str
    slug_attr: str
    """``client.models.<owner_attr>.<slug_attr>``; also the Python module names."""
    file_stem: str
    """``owner/slug`` as used for generated file names."""
    class_name: str
    input_class: str
    title: str
    description: str | None
    cover: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    inputs: tuple[Input, ...]
    examples: tuple[Example, ...]
    polling: Polling | None = None

    @property
    def endpoint(self) -> str:
        return f"{self.owner}/{self.slug}"

    def input(self, wire_name: str) -> Input:
        return next(i for i in self.inputs if i.wire_name == wire_name)


@dataclass(frozen=True)
class AuthScheme:
    scheme: str
    kind: str
    description: str | None
    api_key_header: str | None
    nonce_header: str | None
    signature_header: str | None
    hmac_algorithm: str | None
    hmac_key: str | None
    hmac_message: tuple[str, ...]


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    task_id_fields: tuple[str, ...] = ()
    task_token_fields: tuple[str, ...] = ()
    answer_task_id: str | None = None
    answer_task_token: str | None = None
    answer_tasks: str | None = None
    sends: str | None = None
    body: tuple[tuple[str, str | bool], ...] = ()
    file_field: str | None = None
    max_bytes: int | None = None
    answer_items: str | None = None
    answer_url: str | None = None


@dataclass(frozen=True)
class Status:
    name: str
    meaning: str
    final: bool


@dataclass(frozen=True)
class ErrorCode:
    code: int
    error: str
    meaning: str
    messages: tuple[tuple[str, str], ...]
    """(message prefix, error class) pairs that refine the code."""


@dataclass(frozen=True)
class HttpError:
    status: str
    """An HTTP status ("401") or a class of them ("5xx")."""
    error: str
    meaning: str | None


@dataclass(frozen=True)
class Provider:
    source: str
    name: str
    title: str
    docs_url: str | None
    base_url: str
    env_api_key: str | None
    env_api_secret: str | None
    env_base_url: str | None
    env_socket_url: str | None
    socket_url: str | None
    socket_register_type: str | None
    socket_token_field: str | None
    socket_logs: tuple[str, ...]
    auth: tuple[AuthScheme, ...]
    protocol: str
    endpoints: tuple[Endpoint, ...]
    run_callback_field: str | None
    run_project_field: str | None
    statuses: tuple[Status, ...]
    queued: tuple[str, ...]
    finishing: tuple[str, ...]
    cancelled: tuple[str, ...]
    success_status: str
    success_field: str
    success_value: str
    error_codes: tuple[ErrorCode, ...]
    http_errors: tuple[HttpError, ...]

    def endpoint(self, name: str) -> Endpoint | None:
        return next((e for e in self.endpoints if e.name == name), None)

    @property
    def running(self) -> tuple[Status, ...]:
        return tuple(s for s in self.statuses if not s.final)

    @property
    def final(self) -> tuple[Status, ...]:
        return tuple(s for s in self.statuses if s.final)


@dataclass(frozen=True)
class Owner:
    """Models grouped under one owner, as ``client.models.<attr>`` shows them."""

    name: str
    attr: str
    class_name: str
    models: tuple[Model, ...]


@dataclass(frozen=True)
class Catalogue:
    """Everything generation needs: the providers and their models, sorted by endpoint."""

    providers: tuple[Provider, ...]
    models: tuple[Model, ...]

    def provider(self, name: str) -> Provider:
        return next(p for p in self.providers if p.name == name)

    @property
    def owners(self) -> tuple[Owner, ...]:
        groups: dict[str, list[Model]] = {}
        for model in self.models:
            groups.setdefault(model.owner_attr, []).append(model)
        return tuple(
            Owner(ms[0].owner, attr, _pascal(attr) + "Models", tuple(ms))
            for attr, ms in sorted(groups.items())
        )


def _pascal(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_") if part)
