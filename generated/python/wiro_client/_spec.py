"""What the generated modules tell the runtime about each provider and model: data, no behaviour.

``_providers.py`` and every ``resources/<owner>/<model>.py`` are generated from the specs and build
these; the runtime and :mod:`wiro_client.testing` read them, so both follow the same specs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only models import pydantic: importing the package stays cheap
    from pydantic import BaseModel

__all__ = ["AuthSpec", "EndpointSpec", "InputSpec", "ModelSpec", "ProviderSpec"]


@dataclass(frozen=True, slots=True)
class InputSpec:
    """One model input as it travels on the wire."""

    name: str
    """Wire name, as the model's page lists it."""
    kind: str
    """Wiro input type: text, textarea, select, multiselect, selectwithcover, number, float,
    range, checkbox, fileinput, multifileinput or combinefileinput."""
    python_name: str
    required: bool = False
    options: tuple[str, ...] = ()
    """Allowed wire values of a select (empty: any text)."""
    minimum: float | None = None
    maximum: float | None = None
    true_value: str | None = None
    """For yes/no inputs: what ``True`` and ``False`` are sent as."""
    false_value: str | None = None
    upload_field: str | None = None
    """For file inputs: the multipart field uploads go in."""
    url_field: str | None = None
    """For file inputs: the field URLs go in; None when URLs share ``upload_field``."""
    multiple: bool = False
    separator: str = ","
    """Joins the values of a multiselect and the URLs of a multi-file input."""
    secret: bool = False
    sends_empty: bool = False
    """The spec's default is empty text: sent as ``""`` when the caller leaves it out."""
    # What a person reads about the input (help texts, the CLI's options); the client
    # itself never needs these.
    value_type: str = "str"
    """What a caller passes: ``str``, ``int``, ``float``, ``bool``, ``enum``,
    ``enum_list``, ``str_list``, ``file`` or ``file_list``."""
    label: str = ""
    help: str | None = None
    default: str | int | float | bool | tuple[str, ...] | None = None
    """The default as a caller sees it (a bool for a yes/no select); None when the
    input has none (or is secret)."""
    option_labels: tuple[str, ...] = ()
    """The label of each of ``options``, in order; empty when every label is its value."""

    @property
    def is_file(self) -> bool:
        return self.upload_field is not None

    def option_label(self, value: str) -> str:
        """The label a person picks ``value`` by (the value itself when it has none)."""
        if self.option_labels and value in self.options:
            return self.option_labels[self.options.index(value)]
        return value


@dataclass(frozen=True, slots=True)
class ModelSpec:
    endpoint: str
    """``owner/slug`` of the Run URL."""
    name: str
    """``owner/name`` as the model's page shows it."""
    provider: str
    input_model: type[BaseModel]
    inputs: tuple[InputSpec, ...]
    first_poll: float | None = None
    """Seconds to wait before the first status poll (spec hint; default in ``_constants``)."""
    typical_seconds: float | None = None
    """How long a task of this model usually runs (spec hint for the poll schedule)."""
    title: str = ""
    """A display name, when the spec gives one besides ``name``."""
    description: str | None = None
    examples: tuple[Mapping[str, str | int | float | bool], ...] = ()
    """Whole example inputs from the spec, by wire name (a multi-valued input's values
    joined by its separator)."""

    def input(self, name: str) -> InputSpec | None:
        return next((i for i in self.inputs if i.name == name), None)


@dataclass(frozen=True, slots=True)
class AuthSpec:
    scheme: str
    kind: str
    """``hmac-nonce``, ``header`` or ``bearer``."""
    api_key_header: str | None = None
    nonce_header: str | None = None
    signature_header: str | None = None
    hmac_key: str | None = None
    """Which credential keys the HMAC: ``api_key`` or ``api_secret``."""
    hmac_message: tuple[str, ...] = ()
    """The parts concatenated into the signed message, in order."""


@dataclass(frozen=True, slots=True)
class EndpointSpec:
    method: str
    path: str
    task_id_fields: tuple[str, ...] = ()
    task_token_fields: tuple[str, ...] = ()
    answer_task_id: str | None = None
    answer_task_token: str | None = None
    answer_tasks: str | None = None
    sends: str | None = None
    """``task_id`` or ``task_token``: the one identifier this endpoint is sent (resolved
    through Task/Detail when the task is known only by the other)."""
    body: Mapping[str, str | bool] = field(default_factory=dict)
    """Fields sent with every call, as the provider's own clients send them."""
    file_field: str | None = None
    """For uploads: the multipart field the file goes in."""
    max_bytes: int | None = None
    """For uploads: the largest file taken (checked before sending)."""
    answer_items: str | None = None
    """The list of records an answer carries (models, uploaded files)."""
    answer_url: str | None = None
    """For uploads: the field of a file's record that holds its URL."""


@dataclass(frozen=True, slots=True)
class ProviderSpec:
    name: str
    title: str
    base_url: str
    protocol: str
    """``task-polling`` (Wiro), ``get-polling`` or ``synchronous``: one transport strategy each."""
    auth: tuple[AuthSpec, ...]
    endpoints: Mapping[str, EndpointSpec]
    env_api_key: str | None = None
    env_api_secret: str | None = None
    env_base_url: str | None = None
    env_socket_url: str | None = None
    socket_url: str | None = None
    """Where live task events are (``wss://...``); None: the provider has no socket."""
    socket_register_type: str | None = None
    socket_token_field: str | None = None
    socket_logs: tuple[str, ...] = ()
    """Socket event types that carry a log line (stderr), never the task's state."""
    run_callback_field: str | None = None
    run_project_field: str | None = None
    running: tuple[str, ...] = ()
    final: tuple[str, ...] = ()
    queued: tuple[str, ...] = ()
    finishing: tuple[str, ...] = ()
    cancelled: tuple[str, ...] = ()
    success_status: str = ""
    success_field: str = ""
    success_value: str = ""
    status_meanings: Mapping[str, str] = field(default_factory=dict)
    error_codes: Mapping[int, str] = field(default_factory=dict)
    """Wire error code -> name of the error class in ``wiro_client.errors``."""
    error_messages: tuple[tuple[int, str, str], ...] = ()
    """(code, message prefix, error class) refinements, checked before ``error_codes``."""
    http_errors: Mapping[str, str] = field(default_factory=dict)
    """HTTP status ("401") or class ("5xx") -> error class, when the body has no known code."""
