"""A model spec (already structurally valid) to an IR :class:`Model`, checking every semantic rule.

The rules, each reported at the offending YAML node and all reported in one run:
- input names are unique, and so are their Python names (both places are named);
- a file input's upload/URL fields do not clash with another input;
- an option value is listed once; a select's default is one of its values (compared as text);
- a boolean select has exactly its two wire values as options;
- numbers are numbers, defaults lie within min/max, min <= max;
- an input without a default is required unless ``required: false``; an empty-text default is
  optional and sent as empty text; ``required: true`` with a default is a contradiction;
- a secret has no default; a file input's default is a URL;
- every example names real inputs with valid values; an empty value leaves the input unset.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

from ..diagnostics import Diagnostic, error
from ..inputs import Reading, family_for, family_of
from ..ir import Example, Input, InputKind, Model, Polling, Value
from ..load import Document, PathKey
from . import naming
from .values import Invalid, as_text

# A URL path segment that is also safe on every disk: no separators, drive colons, Windows'
# reserved characters, percent signs or control characters, and no leading/trailing space.
_ENDPOINT_PART = re.compile(
    r'^[^\x00-\x20/\\:*?"<>|#%\x7f]([^\x00-\x1f/\\:*?"<>|#%\x7f]*[^\x00-\x20/\\:*?"<>|#%\x7f])?$'
)
_DEVICE_NAMES = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{n}" for d in ("com", "lpt") for n in range(1, 10)}
)
"""Names Windows reserves for devices, with any extension: a file called con.py cannot exist."""


class _Collector:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Diagnostic] = []

    def fail(self, path: PathKey, message: str, *, key: bool = False) -> None:
        where = self.doc.key_at(path) if key else self.doc.at(path)
        self.problems.append(error(where, message))

    def line(self, path: PathKey) -> int:
        return self.doc.at(path).line


def endpoint_problem(part: str) -> str | None:
    """Why an owner or slug cannot be a URL path segment, or None when it can."""
    if part in (".", ".."):
        return "is not a valid path segment"
    if not _ENDPOINT_PART.match(part):
        return 'must not be empty, start or end with a space, or contain / \\ : * ? " < > | # % or control characters'
    if not naming.has_word(part):
        return "must contain a letter or digit"
    if "-".join(naming.words(part)) in _DEVICE_NAMES:
        return "names a device on Windows (CON, PRN, AUX, NUL, COM1-9, LPT1-9), so its files could not be written there"
    if len(part) > 100:
        return "is longer than 100 characters"
    return None


def build_model(doc: Document, name: str | None = None) -> tuple[Model | None, list[Diagnostic]]:
    """The IR of one model spec; ``name`` is what generated files cite (default: ``doc.path``)."""
    c = _Collector(doc)
    data: dict[str, Any] = doc.data
    owner, _, slug = str(data["endpoint"]).partition("/")
    for part, what in ((owner, "owner"), (slug, "slug")):
        problem = endpoint_problem(part)
        if problem:
            c.fail(("endpoint",), f"endpoint {what} {part!r} {problem}")
    if c.problems:
        return None, c.problems

    class_name = naming.free_class_name(naming.pascal(slug), set(), "Model")
    input_class = class_name + "Input"
    taken = {class_name, f"Async{class_name}", input_class}
    inputs = _build_inputs(c, data.get("inputs", []), taken)
    examples = _build_examples(c, data.get("examples", []), inputs)
    if c.problems:
        return None, c.problems

    polling = data.get("polling")
    model = Model(
        source=name or doc.path,
        provider=data["provider"],
        name=data["name"],
        owner=owner,
        slug=slug,
        owner_attr=naming.snake(owner, "owner"),
        slug_attr=naming.snake(slug, "model"),
        file_stem="-".join(naming.words(owner)) + "/" + "-".join(naming.words(slug)),
        class_name=class_name,
        input_class=input_class,
        title=data.get("title") or data["name"],
        description=(data.get("description") or None)
        and as_text(doc, ("description",), data["description"]),
        cover=data.get("cover") or None,
        categories=tuple(
            as_text(doc, ("categories", i), v) for i, v in enumerate(data.get("categories", []))
        ),
        tags=tuple(as_text(doc, ("tags", i), v) for i, v in enumerate(data.get("tags", []))),
        inputs=tuple(inputs.values()),
        examples=examples,
        polling=Polling(polling.get("first_poll"), polling.get("typical_seconds"))
        if polling
        else None,
    )
    return model, []


def _build_inputs(
    c: _Collector, raw_inputs: list[dict[str, Any]], taken_classes: set[str]
) -> dict[str, Input]:
    built: dict[str, Input] = {}
    wire_seen: dict[str, PathKey] = {}
    py_seen: dict[str, PathKey] = {}
    enum_seen = set(taken_classes)
    for i, raw in enumerate(raw_inputs):
        path: PathKey = ("inputs", i)
        name = raw["name"]
        if name in wire_seen:
            c.fail(
                (*path, "name"),
                f"input {name!r} is listed twice (first on line {c.line(wire_seen[name])})",
            )
            continue
        wire_seen[name] = path
        if not naming.has_word(name):
            c.fail(
                (*path, "name"),
                f"input name {name!r} has no letter or digit to make a Python name from",
            )
            continue
        py_name = naming.snake(name, "input")
        if py_name in py_seen:
            other = py_seen[py_name]
            c.fail(
                (*path, "name"),
                f"input {name!r} and input {c.doc.data['inputs'][other[1]]['name']!r} (line {c.line(other)}) "
                f"both become the Python name {py_name!r}",
            )
            continue
        py_seen[py_name] = path
        item = _build_input(c, raw, path, py_name, enum_seen)
        if item is not None:
            built[name] = item
    _check_file_fields(c, raw_inputs, built, wire_seen)
    return built


def _check_file_fields(
    c: _Collector,
    raw_inputs: list[dict[str, Any]],
    built: dict[str, Input],
    wire_seen: dict[str, PathKey],
) -> None:
    for item in built.values():
        if item.file is None:
            continue
        for field in (item.file.upload, item.file.url):
            if field and field != item.wire_name and field in wire_seen:
                path = wire_seen[item.wire_name]
                c.fail(
                    (*path, "name"),
                    f"file input {item.wire_name!r} sends files in {field!r}, which is also an input "
                    f"(line {c.line(wire_seen[field])})",
                )


def _build_input(
    c: _Collector, raw: dict[str, Any], path: PathKey, py_name: str, enum_seen: set[str]
) -> Input | None:
    """One input: the parts every kind shares here, the rest from its family."""
    doc = c.doc
    kind = InputKind(raw["type"])
    name = raw["name"]
    family = family_for(kind, raw)
    reading = Reading(doc, raw, path, kind, py_name, enum_seen)

    raw_label = reading.text("label") if "label" in raw else None
    raw_help = reading.text("help") if "help" in raw else None
    if raw_label is None or raw_label.strip() == "":
        label = naming.humanize(name)
    elif naming.is_translation_key(raw_label):
        label = naming.humanize(raw_label, vocabulary=name)
    else:
        label = raw_label
    help_text = (
        None
        if raw_help is None or raw_help.strip() == "" or naming.is_translation_key(raw_help)
        else raw_help
    )

    facts = family.read(reading)

    # Defaults and required-ness.
    default: Value | None = None
    written = raw.get("default") is not None
    if written:
        try:
            default = family.coerce(doc, reading.at("default"), raw["default"], facts)
        except Invalid as exc:
            reading.fail(("default",), f"default of {name!r}: {exc}")
    # An empty default is optional; the client sends it as "" when not given (every documented
    # input goes on the wire, as the n8n nodes and the pages' curl examples send them).
    empty_default = written and default in ("", ())
    if empty_default:
        default = None
    if default is not None:
        family.check_default(reading, facts, default)
        if raw.get("secret"):
            reading.fail(("default",), f"secret input {name!r} must not have a default")

    if "required" in raw:
        required = bool(raw["required"])
        if required and default is not None:
            reading.fail(
                ("required",), f"input {name!r} is required but has a default; remove one of them"
            )
    else:
        required = not written

    c.problems += reading.problems
    if reading.problems:
        return None
    return Input(
        wire_name=name,
        py_name=py_name,
        kind=kind,
        family=family.name,
        value_type=facts.value_type,
        label=label,
        help=help_text,
        raw_label=raw_label,
        raw_help=raw_help,
        required=required,
        default=default,
        options=facts.options,
        enum_name=facts.enum_name,
        boolean=facts.boolean,
        minimum=facts.minimum,
        maximum=facts.maximum,
        step=facts.step,
        separator=facts.separator,
        file=facts.file,
        secret=bool(raw.get("secret", False)),
        sends_empty=empty_default,
    )


def coerce_value(doc: Document, path: PathKey, value: Any, item: Input) -> Value:
    """One value (a default or an example's) read as ``item``'s type, or :class:`Invalid`."""
    return family_of(item).coerce(doc, path, value, item)


def _build_examples(
    c: _Collector, raw_examples: list[dict[str, Any]], inputs: dict[str, Input]
) -> tuple[Example, ...]:
    out: list[Example] = []
    for i, example in enumerate(raw_examples):
        values: list[tuple[str, Value]] = []
        for key, value in example.items():
            path: PathKey = ("examples", i, key)
            item = inputs.get(key)
            if item is None:
                known = _close(key, list(inputs))
                c.fail(path, f"example names {key!r}, which is not an input{known}", key=True)
                continue
            try:
                coerced = coerce_value(c.doc, path, value, item)
            except Invalid as exc:
                c.fail(path, f"example value of {key!r}: {exc}")
                continue
            if coerced in ("", ()):
                continue  # like an empty default: the example leaves this input unset
            values.append((key, coerced))
        out.append(Example(tuple(values)))
    return tuple(out)


def _close(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""
