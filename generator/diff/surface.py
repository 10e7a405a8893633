"""What callers see of a model, read from the intermediate model in one place.

The rules compare these views, never the IR itself: when the IR changes shape, this module is
the one that follows. Every field is something a caller can observe: a Python name, a type, a
default, an accepted value, a wire name, or a line of documentation.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..inputs import family_of
from ..inputs.select import literal_alias
from ..ir import Catalogue, Input, Model, Provider, Value


@dataclass(frozen=True)
class OptionView:
    value: str
    """What is sent, and what the ``<Enum>Value`` literal accepts."""
    member: str
    """The enum member's name."""
    docs: tuple[object, ...]
    """Label, description, trigger words and cover: shown, never sent."""


@dataclass(frozen=True)
class InputView:
    wire_name: str
    py_name: str
    kind: str
    """Wiro's input type (text, select, range, ...)."""
    value_type: str
    """What a caller passes (``ValueType``'s values: str, int, float, bool, enum, ...)."""
    annotation: str
    """The parameter's annotation in ``run()``, without ``| None``."""
    required: bool
    default: Value | None
    """The ``run()`` parameter's default."""
    omitted: Value | None
    """What a call that leaves the input out sends: the default, ``""`` for a spec whose
    default is empty text, or nothing (None)."""
    options: tuple[OptionView, ...]
    enum_name: str | None
    literal_name: str | None
    """The ``Literal`` alias of the enum's raw values, which ``run()`` takes too."""
    minimum: int | float | None
    maximum: int | float | None
    step: int | float | None
    true_value: str | None
    false_value: str | None
    upload_field: str | None
    url_field: str | None
    separator: str | None
    secret: bool
    label: str
    help: str | None

    def option(self, value: str) -> OptionView | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class ModelView:
    source: str
    provider: str
    endpoint: str
    name: str
    python_path: str
    """``client.models.<owner>.<slug>``."""
    class_names: tuple[str, ...]
    """The classes its module exports: client, async client, input model."""
    docs: tuple[tuple[str, object], ...]
    """Title, description, cover, categories, tags and examples, by name."""
    polling: tuple[float | None, float | None]
    """The spec's poll hints: first poll and typical seconds."""
    inputs: tuple[InputView, ...]

    def input_by_py(self, py_name: str) -> InputView | None:
        return next((i for i in self.inputs if i.py_name == py_name), None)


@dataclass(frozen=True)
class ProviderView:
    name: str
    environment: tuple[tuple[str, str | None], ...]
    """The environment variables the client reads credentials and base URL from."""
    wire: tuple[tuple[str, object], ...]
    """How requests are made and answers read: base URL, auth, endpoints, statuses."""
    errors: dict[tuple[str, str, str], str]
    """(``code`` or ``HTTP``, the code or status, a message prefix that refines a code or "")
    -> the error class callers catch."""
    docs: tuple[tuple[str, object], ...]


def models(catalogue: Catalogue) -> tuple[ModelView, ...]:
    return tuple(model_view(m) for m in catalogue.models)


def providers(catalogue: Catalogue) -> tuple[ProviderView, ...]:
    return tuple(provider_view(p) for p in catalogue.providers)


def model_view(model: Model) -> ModelView:
    return ModelView(
        source=model.source,
        provider=model.provider,
        endpoint=model.endpoint,
        name=model.name,
        python_path=f"client.models.{model.owner_attr}.{model.slug_attr}",
        class_names=(model.class_name, f"Async{model.class_name}", model.input_class),
        docs=(
            ("title", model.title),
            ("description", model.description),
            ("cover", model.cover),
            ("categories", model.categories),
            ("tags", model.tags),
            ("examples", model.examples),
        ),
        polling=(
            (model.polling.first_poll, model.polling.typical_seconds)
            if model.polling
            else (None, None)
        ),
        inputs=tuple(input_view(i) for i in model.inputs),
    )


def input_view(item: Input) -> InputView:
    enum = item.enum_name if item.is_enum else None
    return InputView(
        wire_name=item.wire_name,
        py_name=item.py_name,
        kind=item.kind.value,
        value_type=item.value_type.value,
        annotation=family_of(item).annotation(item),
        required=item.required,
        default=item.default,
        omitted=item.default if item.default is not None else ("" if item.sends_empty else None),
        options=tuple(
            OptionView(o.value, o.member, (o.label, o.description, o.trigger_words, o.cover))
            for o in item.options
        )
        if enum
        else (),
        enum_name=enum,
        literal_name=literal_alias(item) if enum else None,
        minimum=item.minimum,
        maximum=item.maximum,
        step=item.step,
        true_value=item.boolean.true_value if item.boolean else None,
        false_value=item.boolean.false_value if item.boolean else None,
        upload_field=item.file.upload if item.file else None,
        url_field=item.file.url if item.file else None,
        separator=item.separator,
        secret=item.secret,
        label=item.label,
        help=item.help,
    )


def provider_view(provider: Provider) -> ProviderView:
    errors = {("code", str(e.code), ""): e.error for e in provider.error_codes}
    for code in provider.error_codes:
        for prefix, error in code.messages:
            errors["code", str(code.code), prefix] = error
    errors.update({("HTTP", h.status, ""): h.error for h in provider.http_errors})
    return ProviderView(
        name=provider.name,
        environment=(
            ("API key", provider.env_api_key),
            ("API secret", provider.env_api_secret),
            ("base URL", provider.env_base_url),
            ("socket URL", provider.env_socket_url),
        ),
        wire=(
            ("base URL", provider.base_url),
            ("auth", provider.auth),
            ("protocol", provider.protocol),
            (
                "task socket",
                (
                    provider.socket_url,
                    provider.socket_register_type,
                    provider.socket_token_field,
                    provider.socket_logs,
                ),
            ),
            ("endpoints", provider.endpoints),
            ("Run callback field", provider.run_callback_field),
            ("Run project field", provider.run_project_field),
            ("statuses", tuple((s.name, s.final) for s in provider.statuses)),
            ("queued statuses", provider.queued),
            ("finishing statuses", provider.finishing),
            ("cancelled statuses", provider.cancelled),
            (
                "success rule",
                (provider.success_status, provider.success_field, provider.success_value),
            ),
        ),
        errors=errors,
        docs=(
            ("title", provider.title),
            ("docs URL", provider.docs_url),
            ("status meanings", tuple((s.name, s.meaning) for s in provider.statuses)),
            ("error meanings", tuple((e.code, e.meaning) for e in provider.error_codes)),
        ),
    )
