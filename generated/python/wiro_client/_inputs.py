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
from .errors import InputProblem, InvalidInputError

__all__ = ["RunPayload", "arguments", "encode_run", "is_url"]

_URL_SCHEMES = ("http://", "https://")


@dataclass(frozen=True, slots=True)
class RunPayload:
    """The wire form of one Run: fields and uploads."""

    fields: dict[str, Any]
    uploads: tuple[Upload, ...]
    run_options: frozenset[str] = frozenset()
    """Fields added for the run itself (callback URL, project), not model inputs."""
    spec: ModelSpec | None = None
    """The model's spec, when this package has it (to name inputs in Wiro's refusals)."""

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
        return RunPayload(fields, (), self.run_options, self.spec)

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
    endpoint: str = "",
    callback_url: str | None = None,
    project_id: str | None = None,
) -> RunPayload:
    """Validate ``values`` (wire or Python names; None means "leave out") and lay them out
    (``endpoint`` names a model without a spec in messages).

    Raises:
        InvalidInputError: inputs break rules (every problem is listed); nothing was sent.
    """
    if spec is None:
        fields, uploads = _encode_unknown(endpoint, values)
    else:
        fields, uploads = _encode_known(spec, values)
    options = []
    if callback_url is not None and provider.run_callback_field:
        fields[provider.run_callback_field] = callback_url
        options.append(provider.run_callback_field)
    if project_id is not None and provider.run_project_field:
        fields[provider.run_project_field] = project_id
        options.append(provider.run_project_field)
    return RunPayload(fields, tuple(uploads), frozenset(options), spec)


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
    problems: list[InputProblem] = []
    given: dict[str, Any] = {}
    given_as: dict[str, str] = {}
    for key, value in values.items():
        found = plan.by_name.get(key)
        if found is None:
            problems.append(_unknown(spec, key))
        elif value is not None and found.name in given:
            first = given_as[found.name]
            message = f"given twice, as {first!r} and as {key!r}"
            problems.append(_problem(found, message, "given twice"))
        elif value is not None:
            given[found.name] = value
            given_as[found.name] = key

    files: dict[str, tuple[list[str], list[Upload]]] = {}
    for item in plan.files:
        if item.name in given:
            urls, local, bad = _split_files(item, given[item.name])
            files[item.name] = urls, local
            problems += bad
    # The pydantic model types a file input as its URL text: validate a stand-in.
    check = dict(given) if files else given
    for name, (urls, local) in files.items():
        stand_ins = urls + [f"upload:{u.filename}" for u in local] or ["upload:?"]
        check[name] = stand_ins if plan.by_name[name].multiple else stand_ins[0]
    from pydantic import ValidationError  # loaded with the model's module already

    try:
        model = spec.input_model.model_validate(check)
    except ValidationError as exc:
        problems += _invalid(spec, exc)
        model = None

    fields: dict[str, Any] = {}
    uploads: list[Upload] = []
    for item in spec.inputs:
        name = item.name
        if name not in given:
            if model is not None:
                _lay_out_default(item, getattr(model, item.python_name, None), fields)
            continue
        if name in files:
            urls, local = files[name]
            _lay_out_files(item, urls, local, fields, uploads)
            continue
        if (
            model is None
        ):  # another input is invalid: nothing is sent, ranges still told
            if name in plan.ranged:
                problems += _check_range(item, _number(given[name]))
            continue
        # The validated value (numbers read from text, raw values as enum members).
        value = getattr(model, item.python_name)
        if name in plan.ranged:
            problems += _check_range(item, value)
        fields[name] = _wire_value(item, value)
    if problems:
        # Keys the model lacks first (the sort is stable), then inputs in the model's order.
        order = {i.name: n for n, i in enumerate(spec.inputs)}
        problems.sort(key=lambda p: order.get(p.wire_name, -1))
        raise InvalidInputError.of(spec.name, problems)
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


def _number(value: Any) -> Any:
    """A number written as text, read as pydantic would read it (else as it is)."""
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


def arguments(spec: ModelSpec) -> dict[str, str]:
    """Wire field -> Python argument, for naming the inputs of Wiro's own messages (an
    upload or URL field stands for its file input)."""
    names: dict[str, str] = {}
    for item in spec.inputs:
        for field in (item.upload_field, item.url_field, item.name):
            if field:
                names[field] = item.python_name
    return names


def _problem(item: InputSpec, message: str, rule: str) -> InputProblem:
    return InputProblem(item.python_name, item.name, message, rule)


def _unknown(spec: ModelSpec, key: str) -> InputProblem:
    """A key naming no input: what it may have meant, and every name the model takes."""
    import difflib

    def folded(name: str) -> str:
        return name.replace("_", "").casefold()

    taken = {folded(n): i for i in spec.inputs for n in (i.python_name, i.name)}
    close = difflib.get_close_matches(folded(key), list(taken), n=1, cutoff=0.6)
    guess = f"did you mean {taken[close[0]].python_name!r}? " if close else ""
    names = ", ".join(
        i.python_name if i.python_name == i.name else f"{i.python_name} ({i.name})"
        for i in spec.inputs
    )
    message = f"no such input ({guess}{spec.name} takes: {names or 'no inputs'})"
    return InputProblem(key, key, message, "unknown input")


def _split_files(
    item: InputSpec, value: Any
) -> tuple[list[str], list[Upload], list[InputProblem]]:
    items = list(value) if item.multiple and _is_sequence(value) else [value]
    urls: list[str] = []
    local: list[Upload] = []
    problems: list[InputProblem] = []
    field = item.upload_field or item.name
    for index, one in enumerate(items):
        if isinstance(one, str) and is_url(one):
            urls.append(one.strip())
            continue
        upload = _upload(field, one, index)
        if isinstance(upload, Upload):
            local.append(
                replace(
                    upload,
                    url_field=item.url_field or field,
                    separator=item.separator if item.url_field else None,
                    multiple=item.multiple,
                    input_name=item.name,
                )
            )
        else:
            problems.append(_problem(item, *upload))
    return urls, local, problems


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


def _upload(field: str, value: Any, index: int) -> Upload | tuple[str, str]:
    """The upload of a local file, or what is wrong with it (message, rule)."""
    if isinstance(value, str | os.PathLike):
        path = Path(os.fspath(value)).expanduser()
        if not path.is_file():
            return (
                f"no such local file: {path} (a URL must start with http:// or https://)",
                "local file must exist",
            )
        return Upload(field, path.name, _content_type(path.name), path, field)
    if isinstance(value, bytes | bytearray | memoryview):
        filename = f"{field}-{index}" if index else field
        return Upload(field, filename, "application/octet-stream", bytes(value), field)
    if hasattr(value, "read"):
        stream: IO[bytes] = value
        data = stream.read()
        if not isinstance(data, bytes):
            return "a file object must be opened in binary mode", "binary file"
        filename = os.path.basename(str(getattr(stream, "name", "") or field))
        return Upload(field, filename, _content_type(filename), data, field)
    return (
        f"expected a URL, a path, bytes or a binary file, got {type(value).__name__}",
        "file input type",
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


def _check_range(item: InputSpec, value: Any) -> list[InputProblem]:
    if item.minimum is None and item.maximum is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int | float):
        return []
    low = item.minimum if item.minimum is not None else float("-inf")
    high = item.maximum if item.maximum is not None else float("inf")
    if low <= value <= high:
        return []
    message = (
        f"must be between {_num(item.minimum)} and {_num(item.maximum)}, got {value}"
    )
    return [_problem(item, message, "range")]


def _invalid(spec: ModelSpec, exc: Any) -> list[InputProblem]:
    """Every error pydantic found, by the input it concerns."""
    problems: list[InputProblem] = []
    for found in exc.errors():
        loc = found.get("loc", ())
        name = str(loc[0]) if loc else "?"
        item = spec.input(name) or next(
            (i for i in spec.inputs if i.python_name == name), None
        )
        message = str(found.get("msg", "invalid"))
        if found.get("type") == "missing":
            message = "required"
        if item is None:
            problems.append(InputProblem(name, name, message, message))
        else:
            problems.append(_problem(item, message, message))
    return problems


def _encode_unknown(
    model: str, values: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Upload]]:
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
            upload = _upload(key, value, 0)
            if not isinstance(upload, Upload):
                message, rule = upload
                raise InvalidInputError.of(
                    model, [InputProblem(key, key, message, rule)]
                )
            uploads.append(replace(upload, input_name=key))
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
