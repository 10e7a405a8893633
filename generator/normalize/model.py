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
from ..ir import (
    BooleanWire,
    Example,
    FileFields,
    Input,
    InputKind,
    Model,
    Option,
    Polling,
    Value,
    ValueType,
)
from ..load import Document, PathKey
from . import naming
from .values import Invalid, as_bool, as_float, as_int, as_text, split_list

_SELECTS = {InputKind.SELECT, InputKind.SELECTWITHCOVER, InputKind.MULTISELECT}
_FILES = {InputKind.FILEINPUT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT}
_URL = re.compile(r"^https?://\S+$")
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
    doc = c.doc
    kind = InputKind(raw["type"])
    name = raw["name"]
    before = len(c.problems)

    raw_label = as_text(doc, (*path, "label"), raw["label"]) if "label" in raw else None
    raw_help = as_text(doc, (*path, "help"), raw["help"]) if "help" in raw else None
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

    boolean = None
    if "boolean" in raw:
        b = raw["boolean"]
        boolean = BooleanWire(
            as_text(doc, (*path, "boolean", "true_value"), b["true_value"]),
            as_text(doc, (*path, "boolean", "false_value"), b["false_value"]),
        )
        if boolean.true_value == boolean.false_value:
            c.fail((*path, "boolean"), "true_value and false_value must differ")
    elif kind is InputKind.CHECKBOX:
        boolean = BooleanWire("true", "false")

    options = _build_options(c, raw, path) if kind in _SELECTS else ()
    separator = raw.get("separator", ",")
    value_type, enum_name = _value_type(kind, options, boolean)
    if enum_name is not None:
        # The enum and its raw-values alias (`<Enum>Value`) both need a free name.
        enum_name = naming.pascal(py_name)
        while (
            enum_name in enum_seen
            or f"{enum_name}Value" in enum_seen
            or enum_name in naming.MODULE_NAMES
        ):
            enum_name += "Option"
        enum_seen.update({enum_name, f"{enum_name}Value"})

    if boolean is not None and kind is InputKind.SELECT:
        values = {o.value for o in options}
        if values != {boolean.true_value, boolean.false_value}:
            c.fail(
                (*path, "boolean"),
                f"a boolean select needs exactly the options {boolean.false_value!r} and "
                f"{boolean.true_value!r}; it has {sorted(values)!r}",
            )

    minimum, maximum, step = raw.get("min"), raw.get("max"), raw.get("step")
    if minimum is not None and maximum is not None and minimum > maximum:
        c.fail((*path, "min"), f"min {minimum} is greater than max {maximum}")
    if kind is InputKind.NUMBER:
        for key in ("min", "max", "step"):
            if raw.get(key) is not None and not float(raw[key]).is_integer():
                c.fail(
                    (*path, key),
                    f"{key} of a number input must be a whole number, found {raw[key]}",
                )
    if kind is InputKind.RANGE and value_type is ValueType.FLOAT and _all_whole(raw):
        value_type = ValueType.INT

    file_fields = _file_fields(kind, name, separator) if kind in _FILES else None

    # Defaults and required-ness.
    default: Value | None = None
    written = raw.get("default") is not None
    if written:
        try:
            default = coerce_value(
                doc,
                (*path, "default"),
                raw["default"],
                kind,
                value_type,
                options,
                boolean,
                separator,
            )
        except Invalid as exc:
            c.fail((*path, "default"), f"default of {name!r}: {exc}")
    # An empty default is optional; the client sends it as "" when not given (every documented
    # input goes on the wire, as the n8n nodes and the pages' curl examples send them).
    empty_default = written and default in ("", ())
    if empty_default:
        default = None
    if isinstance(default, int | float) and not isinstance(default, bool):
        shown = doc.text_at((*path, "default")) or default
        if minimum is not None and default < minimum:
            c.fail((*path, "default"), f"default {shown} of {name!r} is below min {minimum}")
        if maximum is not None and default > maximum:
            c.fail((*path, "default"), f"default {shown} of {name!r} is above max {maximum}")
    if raw.get("secret") and default is not None:
        c.fail((*path, "default"), f"secret input {name!r} must not have a default")
    if file_fields is not None and default is not None:
        urls = default if isinstance(default, tuple) else (default,)
        bad = [u for u in urls if not isinstance(u, str) or not _URL.match(u)]
        if bad:
            c.fail(
                (*path, "default"),
                f"a file input's default must be an http(s) URL, found {bad[0]!r}",
            )

    if "required" in raw:
        required = bool(raw["required"])
        if required and default is not None:
            c.fail(
                (*path, "required"),
                f"input {name!r} is required but has a default; remove one of them",
            )
    else:
        required = not written

    if len(c.problems) > before:
        return None
    return Input(
        wire_name=name,
        py_name=py_name,
        kind=kind,
        value_type=value_type,
        label=label,
        help=help_text,
        raw_label=raw_label,
        raw_help=raw_help,
        required=required,
        default=default,
        options=options,
        enum_name=enum_name,
        boolean=boolean,
        minimum=_number(minimum, value_type),
        maximum=_number(maximum, value_type),
        step=_number(step, value_type),
        separator=separator
        if kind in (InputKind.MULTISELECT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT)
        else None,
        file=file_fields,
        secret=bool(raw.get("secret", False)),
        sends_empty=empty_default,
    )


def _all_whole(raw: dict[str, Any]) -> bool:
    """A range is int when every number it shows is whole. One that shows none (pages may give
    a range no bounds and no default) stays float, which takes whole numbers too."""
    values = [raw[k] for k in ("min", "max", "step") if raw.get(k) is not None]
    if isinstance(raw.get("default"), int | float) and not isinstance(raw.get("default"), bool):
        values.append(raw["default"])
    return bool(values) and all(float(v).is_integer() for v in values)


def _number(value: Any, value_type: ValueType) -> int | float | None:
    if value is None:
        return None
    return int(value) if value_type is ValueType.INT else float(value)


def _value_type(
    kind: InputKind, options: tuple[Option, ...], boolean: BooleanWire | None
) -> tuple[ValueType, str | None]:
    if boolean is not None:
        return ValueType.BOOL, None
    if kind in (InputKind.SELECT, InputKind.SELECTWITHCOVER):
        return (ValueType.ENUM, "") if options else (ValueType.STR, None)
    if kind is InputKind.MULTISELECT:
        return (ValueType.ENUM_LIST, "") if options else (ValueType.STR_LIST, None)
    if kind is InputKind.NUMBER:
        return ValueType.INT, None
    if kind in (InputKind.FLOAT, InputKind.RANGE):
        return ValueType.FLOAT, None
    if kind is InputKind.FILEINPUT:
        return ValueType.FILE, None
    if kind in (InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT):
        return ValueType.FILE_LIST, None
    return ValueType.STR, None


def _file_fields(kind: InputKind, name: str, separator: str) -> FileFields:
    """Where files and URLs go (WIRO_API.md, "File inputs").

    A page that lists ``inputImageUrl`` documents the URL field of the file input ``inputImage``;
    a ``combinefileinput`` takes files and URLs mixed in its own field.
    """
    multiple = kind is not InputKind.FILEINPUT
    if kind is InputKind.COMBINEFILEINPUT:
        return FileFields(upload=name, url=None, multiple=True, separator=separator)
    if name.endswith("Url") and len(name) > 3:
        return FileFields(upload=name[:-3], url=name, multiple=multiple, separator=separator)
    return FileFields(upload=name, url=name + "Url", multiple=multiple, separator=separator)


def _build_options(c: _Collector, raw: dict[str, Any], path: PathKey) -> tuple[Option, ...]:
    doc = c.doc
    seen: dict[str, PathKey] = {}
    parts: list[tuple[str, str, str | None, tuple[str, ...], str | None]] = []
    for j, opt in enumerate(raw.get("options", [])):
        opath: PathKey = (*path, "options", j)
        value = as_text(doc, (*opath, "value"), opt["value"])
        if value in seen:
            c.fail(
                (*opath, "value"),
                f"option {value!r} of {raw['name']!r} is listed twice (first on line {c.line(seen[value])}); list it once",
            )
            continue
        seen[value] = opath
        label = as_text(doc, (*opath, "label"), opt["label"]) if "label" in opt else value
        description = (
            as_text(doc, (*opath, "description"), opt["description"])
            if opt.get("description") is not None
            else None
        )
        words = tuple(
            as_text(doc, (*opath, "trigger_words", k), w)
            for k, w in enumerate(opt.get("trigger_words", []))
        )
        parts.append((value, label, description or None, words, opt.get("cover")))
    members = naming.unique_members(
        [naming.enum_member(label) or naming.enum_member(value) for value, label, *_ in parts]
    )
    return tuple(
        Option(value=v, label=label, member=m, description=d, trigger_words=w, cover=cov)
        for (v, label, d, w, cov), m in zip(parts, members, strict=True)
    )


def coerce_value(
    doc: Document,
    path: PathKey,
    value: Any,
    kind: InputKind,
    value_type: ValueType,
    options: tuple[Option, ...],
    boolean: BooleanWire | None,
    separator: str,
) -> Value:
    """One value (a default or an example's) read as its input's type, or :class:`Invalid`."""
    if value_type is ValueType.BOOL:
        assert boolean is not None
        return as_bool(doc, path, value, boolean.true_value, boolean.false_value)
    if value_type is ValueType.INT:
        return as_int(value)
    if value_type is ValueType.FLOAT:
        return as_float(value)
    if value_type in (ValueType.ENUM_LIST, ValueType.STR_LIST, ValueType.FILE_LIST):
        items = split_list(doc, path, value, separator)
        if value_type is ValueType.ENUM_LIST:
            for item in items:
                _check_option(item, options)
        return items
    if isinstance(value, list):
        raise Invalid("expected one value, found a list")
    text = as_text(doc, path, value)
    if value_type is ValueType.ENUM and text != "":
        _check_option(text, options)
    return text


def _check_option(text: str, options: tuple[Option, ...]) -> None:
    values = [o.value for o in options]
    if text in values:
        return
    shown = ", ".join(repr(v) for v in values[:12]) + (", ..." if len(values) > 12 else "")
    hint = ""
    folded = [v for v in values if v.lower() == text.lower()]
    if folded:
        hint = f" (options are compared as written: did you mean {folded[0]!r}?)"
    raise Invalid(f"{text!r} is not one of the options: {shown}{hint}")


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
                coerced = coerce_value(
                    c.doc,
                    path,
                    value,
                    item.kind,
                    item.value_type,
                    item.options,
                    item.boolean,
                    item.separator or ",",
                )
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
