"""Model inputs: validated against the model's pydantic model, then laid out on the wire.

Every documented input goes on the wire, as Wiro's n8n nodes and the model pages' curl
examples send them: an input the caller leaves out is sent with its spec default (an empty
default as ``""``); only an input with no default that the caller leaves out is absent.
The rules (model-parameters.md): a URL goes in the input's URL field, a multifileinput's URLs
joined by commas; a ``combinefileinput`` and a ``multiselect`` go as JSON arrays in their own
field (Wiro-MCP's formatter, the n8n nodes), as repeated fields in multipart. Local data (a path,
bytes, a binary file) becomes an :class:`Upload` in the upload field with the URL field sent
empty: the client uploads it first (File/Upload) or sends the Run as multipart. A missing local
file fails here, before any request.
"""

from __future__ import annotations

import enum
import mimetypes
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from ._spec import InputSpec, ModelSpec, ProviderSpec
from ._wire import Upload
from .errors import InvalidInputError

__all__ = ["RunPayload", "encode_run", "is_url"]

_URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class RunPayload:
    """The wire form of one Run: fields and uploads."""

    fields: dict[str, Any]
    uploads: tuple[Upload, ...]
    run_options: frozenset[str] = frozenset()
    """Fields added for the run itself (callback URL, project), not model inputs."""

    def text_fields(self) -> dict[str, str | list[str]]:
        """The fields of a multipart body: texts (a list goes as repeated fields)."""
        return {
            k: [_text(x) for x in v] if isinstance(v, list) else _text(v)
            for k, v in self.fields.items()
        }

    def with_urls(self, urls: Sequence[str]) -> RunPayload:
        """This Run with its files uploaded first: each upload's URL (in order) in the field
        it belongs to, and nothing left to upload (files.md: the URL is then sent in JSON;
        uploaded files follow the URLs given with them)."""
        fields = dict(self.fields)
        for upload, url in zip(self.uploads, urls, strict=True):
            before = fields.get(upload.url_field)
            if not upload.multiple:
                fields[upload.url_field] = url
            elif upload.separator is None:
                items = before if isinstance(before, list) else []
                fields[upload.url_field] = [*items, url]
            else:
                fields[upload.url_field] = upload.separator.join(
                    x for x in (before if isinstance(before, str) else "", url) if x
                )
        return RunPayload(fields, (), self.run_options)

    @property
    def fingerprint(self) -> dict[str, str]:
        """The text fields a listed task's ``parameters`` must show to be this Run's task.

        Only needed when a Run's outcome is unknown, so it is worked out then, not per call.
        Uploaded files become Wiro's own URLs, so the fields that carried files are left out;
        URL inputs stay (they are text).
        """
        uploaded = {u.field for u in self.uploads}
        # Arrays are left out too: how Wiro stores them in ``parameters`` is not documented.
        return {
            k: _text(v)
            for k, v in self.fields.items()
            if v not in ("", None)
            and not isinstance(v, list)
            and k not in uploaded
            and k not in self.run_options
        }


def is_url(value: str) -> bool:
    """A string is a URL when it starts with http:// or https://; else a local path."""
    return value.strip().lower().startswith(_URL_SCHEMES)


def encode_run(
    spec: ModelSpec | None,
    provider: ProviderSpec,
    values: Mapping[str, Any],
    *,
    callback_url: str | None = None,
    project_id: str | None = None,
) -> RunPayload:
    """Validate ``values`` (wire or Python names; None means "leave out") and lay them out.

    Raises:
        InvalidInputError: an input breaks a rule; nothing was sent.
    """
    if spec is None:
        fields, uploads = _encode_unknown(values)
    else:
        fields, uploads = _encode_known(spec, values)
    options = []
    if callback_url is not None and provider.run_callback_field:
        fields[provider.run_callback_field] = callback_url
        options.append(provider.run_callback_field)
    if project_id is not None and provider.run_project_field:
        fields[provider.run_project_field] = project_id
        options.append(provider.run_project_field)
    return RunPayload(fields, tuple(uploads), frozenset(options))


@dataclass(frozen=True, slots=True)
class _Plan:
    """What encoding a model's inputs needs from its spec, worked out once per spec."""

    by_name: dict[str, InputSpec]
    """Wire and Python names -> input."""
    files: tuple[InputSpec, ...]
    ranged: frozenset[str]
    """Inputs with a min or max to check."""


_PLANS: dict[int, tuple[ModelSpec, _Plan]] = {}


def _plan(spec: ModelSpec) -> _Plan:
    cached = _PLANS.get(id(spec))
    if cached is not None and cached[0] is spec:
        return cached[1]
    by_name: dict[str, InputSpec] = {}
    for one in spec.inputs:
        by_name[one.name] = one
        by_name.setdefault(one.python_name, one)
    plan = _Plan(
        by_name,
        tuple(i for i in spec.inputs if i.is_file),
        frozenset(
            i.name
            for i in spec.inputs
            if i.minimum is not None or i.maximum is not None
        ),
    )
    # Specs are module constants: the entry lives as long as the spec it is keyed by.
    _PLANS[id(spec)] = (spec, plan)
    return plan


def _encode_known(
    spec: ModelSpec, values: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Upload]]:
    plan = _plan(spec)
    given: dict[str, Any] = {}
    for key, value in values.items():
        found = plan.by_name.get(key)
        if found is None:
            known = ", ".join(i.name for i in spec.inputs)
            raise InvalidInputError(
                f"Invalid input [{key}]: {spec.name} has no such input (it has: {known})",
                input_name=key,
                rule="unknown input",
            )
        if value is not None:
            given[found.name] = value

    files = {
        i.name: _split_files(i, given[i.name]) for i in plan.files if i.name in given
    }
    # The pydantic model types a file input as its URL text: validate a stand-in.
    check = dict(given) if files else given
    for name, (urls, local) in files.items():
        stand_ins = urls + [f"upload:{u.filename}" for u in local]
        check[name] = stand_ins if plan.by_name[name].multiple else stand_ins[0]
    from pydantic import ValidationError  # loaded with the model's module already

    try:
        model = spec.input_model.model_validate(check)
    except ValidationError as exc:
        raise _invalid(spec, exc) from None

    fields: dict[str, Any] = {}
    uploads: list[Upload] = []
    for item in spec.inputs:
        name = item.name
        if name not in given:
            _lay_out_default(item, getattr(model, item.python_name, None), fields)
            continue
        if name in files:
            urls, local = files[name]
            _lay_out_files(item, urls, local, fields, uploads)
            continue
        # The validated value (numbers read from text, raw values as enum members).
        value = getattr(model, item.python_name)
        if name in plan.ranged:
            _check_range(item, value)
        fields[name] = _wire_value(item, value)
    return fields, uploads


def _lay_out_default(item: InputSpec, value: Any, fields: dict[str, Any]) -> None:
    """An input the caller left out: its default, ``""`` for an empty one, else nothing."""
    field = (item.url_field or item.upload_field or item.name) if item.is_file else None
    if value is None:
        if item.sends_empty:
            fields[field or item.name] = ""
        return
    if field is not None:
        urls = list(value) if item.multiple and _is_sequence(value) else [value]
        _lay_out_files(item, [str(u) for u in urls], [], fields, [])
        return
    fields[item.name] = _wire_value(item, value)


def _split_files(item: InputSpec, value: Any) -> tuple[list[str], list[Upload]]:
    items = list(value) if item.multiple and _is_sequence(value) else [value]
    urls: list[str] = []
    local: list[Upload] = []
    field = item.upload_field or item.name
    for index, one in enumerate(items):
        if isinstance(one, str) and is_url(one):
            urls.append(one.strip())
        else:
            upload = _upload(item.name, field, one, index)
            local.append(
                replace(
                    upload,
                    url_field=item.url_field or field,
                    separator=item.separator if item.url_field else None,
                    multiple=item.multiple,
                )
            )
    return urls, local


def _lay_out_files(
    item: InputSpec,
    urls: list[str],
    local: list[Upload],
    fields: dict[str, Any],
    uploads: list[Upload],
) -> None:
    upload_field = item.upload_field or item.name
    if item.url_field is None:
        # combinefileinput: URLs and files share the upload field, URLs as an array.
        if urls or not local:
            fields[upload_field] = urls
    else:
        fields[item.url_field] = item.separator.join(urls)
    uploads.extend(local)


def _upload(name: str, field: str, value: Any, index: int) -> Upload:
    if isinstance(value, str | os.PathLike):
        path = Path(os.fspath(value)).expanduser()
        if not path.is_file():
            raise InvalidInputError(
                f"Invalid input [{name}]: no such local file: {path} (a URL must start "
                "with http:// or https://)",
                input_name=name,
                rule="local file must exist",
            )
        return Upload(
            field, path.name, _content_type(path.name), path, field, input_name=name
        )
    if isinstance(value, bytes | bytearray | memoryview):
        filename = f"{field}-{index}" if index else field
        return Upload(
            field,
            filename,
            "application/octet-stream",
            bytes(value),
            field,
            input_name=name,
        )
    if hasattr(value, "read"):
        stream: IO[bytes] = value
        data = stream.read()
        if not isinstance(data, bytes):
            raise InvalidInputError(
                f"Invalid input [{name}]: a file object must be opened in binary mode",
                input_name=name,
                rule="binary file",
            )
        filename = os.path.basename(str(getattr(stream, "name", "") or field))
        return Upload(
            field, filename, _content_type(filename), data, field, input_name=name
        )
    raise InvalidInputError(
        f"Invalid input [{name}]: expected a URL, a path, bytes or a binary file, "
        f"got {type(value).__name__}",
        input_name=name,
        rule="file input type",
    )


def _wire_value(item: InputSpec, value: Any) -> Any:
    kind = type(value)
    if kind is str or kind is int or kind is float:  # most values: sent as they are
        return value
    if isinstance(value, bool):
        if item.true_value is not None and item.false_value is not None:
            return item.true_value if value else item.false_value
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if _is_sequence(value):
        return [_wire_value(item, v) for v in value]  # a multiselect: a JSON array
    return value


def _check_range(item: InputSpec, value: Any) -> None:
    if item.minimum is None and item.maximum is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    low = item.minimum if item.minimum is not None else float("-inf")
    high = item.maximum if item.maximum is not None else float("inf")
    if not low <= value <= high:
        raise InvalidInputError(
            f"Invalid input [{item.name}]: must be between {_num(item.minimum)} and "
            f"{_num(item.maximum)}, got {value}",
            input_name=item.name,
            rule="range",
        )


def _invalid(spec: ModelSpec, exc: Any) -> InvalidInputError:
    first = exc.errors()[0]
    loc = first.get("loc", ())
    name = str(loc[0]) if loc else "?"
    item = spec.input(name) or next(
        (i for i in spec.inputs if i.python_name == name), None
    )
    wire = item.name if item else name
    message = str(first.get("msg", "invalid"))
    if first.get("type") == "missing":
        message = "required"
    extra = f" ({len(exc.errors())} problems)" if len(exc.errors()) > 1 else ""
    return InvalidInputError(
        f"Invalid input [{wire}] of {spec.name}: {message}{extra}",
        input_name=wire,
        rule=message,
    )


def _encode_unknown(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[Upload]]:
    # A model this package has no spec for: send what the caller gave, files as uploads.
    fields: dict[str, Any] = {}
    uploads: list[Upload] = []
    for key, value in values.items():
        if value is None:
            continue
        if isinstance(value, str | bool | int | float):
            fields[key] = value.value if isinstance(value, enum.Enum) else value
        elif isinstance(value, os.PathLike | bytes | bytearray) or hasattr(
            value, "read"
        ):
            uploads.append(_upload(key, key, value, 0))
        elif _is_sequence(value):
            fields[key] = [v.value if isinstance(v, enum.Enum) else v for v in value]
        else:
            fields[key] = value
    return fields, uploads


def _is_sequence(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(
        value, str | bytes | bytearray
    )


def _text(value: Any) -> str:
    if type(value) is str:
        return value
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def _content_type(filename: str) -> str:
    return mimetypes.guess_type(filename)[0] or "application/octet-stream"
