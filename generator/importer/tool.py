"""A Tool/Detail answer (models.md) becomes a spec, by the page importer's own rules.

Wiro's model pages are written from the same data Tool/Detail answers, so the answer is read
into the page importer's raw form (:class:`~.parse.RawPage`) and the same rules decide the spec.
Where the two describe the same model they give the same spec; the differences are rules of
their own, named in the README ("Import a model page"):

- tool-answer: the answer may be the whole ``{result, tool: [...]}`` or the ``tool`` object.
- tool-identity: ``name`` is ``slugowner/slugproject``; the endpoint is
  ``cleanslugowner/cleanslugproject`` (the Run URL's).
- tool-required: ``required: true`` is what a bare ``default:`` is on a page; an optional
  input without a default is an empty one (``default: ""``).
- tool-help: an item's ``description`` (else its ``note``) is the page's ``help``.
- tool-layout: the older pages' url-text rule applies (an ``input<X>Url`` text is a file input).
- tool-examples: each ``inspire`` object is one example, read by the example-value rule.
- tool-lists: ``categories`` and ``tags`` are lists of text.

Every problem is located at its place in the answer's JSON text (``answer.json:line:col``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any

from ..diagnostics import Diagnostic, error
from .fields import Text
from .page import Page, decode_page
from .parse import INPUT_TYPES, Layout, RawInput, RawOption, RawPage
from .rules import Report, build_spec, example_keys, example_value
from .spec import Spec, Value

__all__ = ["MAX_ITEMS", "MAX_OPTIONS", "import_tool", "is_tool_answer"]

MAX_ITEMS = 1000
"""Inputs one answer may list (the largest real model has a few dozen)."""
MAX_OPTIONS = 10_000
"""Options one input may list (the largest real select has 166)."""
RUN_URL = "https://api.wiro.ai/v1/Run/{owner}/{slug}"


def is_tool_answer(raw: bytes) -> bool:
    """Whether ``raw`` is JSON (an answer), not a page: its first non-blank byte is ``{``."""
    return raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"{"


def import_tool(path: str, raw: bytes) -> tuple[Spec | None, list[Diagnostic]]:
    """The spec of the Tool/Detail answer in ``raw`` (shown as ``path``), and what was noticed."""
    text, problems = decode_page(path, raw)
    if text is None:
        return None, problems
    page = _page(path, text)
    try:
        value, places = _Located(text).document()
    except _JsonError as exc:
        return None, [error(page.location(exc.at), f"not JSON: {exc.message}")]
    report = Report(page)
    reader = _Reader(report, places)
    tool = reader.tool(value)
    if tool is None or report.failed:
        return None, report.problems
    raw_page, extras = tool
    spec = build_spec(raw_page, report)
    if spec is None or report.failed:
        return None, report.problems
    spec = replace(spec, categories=extras.categories, tags=extras.tags)
    examples = reader.examples(extras.inspire, list(spec.inputs))
    spec = replace(spec, examples=examples)
    return (None if report.failed else spec), report.problems


def _page(path: str, text: str) -> Page:
    """A page whose flat view is the text itself: every index is an offset into the JSON."""
    starts = [0] + [m.end() for m in re.finditer(r"\r\n|\r|\n", text)]
    return Page(path, text, text, ((0, 0),), tuple(starts))


# --- JSON with the place of every value ---------------------------------------------------------

Path = tuple[str | int, ...]


class _JsonError(Exception):
    def __init__(self, message: str, at: int) -> None:
        super().__init__(message)
        self.message = message
        self.at = at


_WS = re.compile(r"[ \t\r\n]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}
_MAX_DEPTH = 64


class _Located:
    """A small JSON reader that records where each value starts (json gives no places), and
    the source text of every number (``5.0`` stays ``5.0``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.places: dict[Path, int] = {}
        self.numbers: dict[Path, str] = {}

    def document(self) -> tuple[_Numbered, dict[Path, int]]:
        value, end = self._value(self._skip(0), (), 0)
        end = self._skip(end)
        if end != len(self.text):
            raise _JsonError("extra data after the answer", end)
        return _Numbered(value, self.numbers), self.places

    def _value(self, at: int, path: Path, depth: int) -> tuple[Any, int]:
        if depth > _MAX_DEPTH:
            raise _JsonError(f"nested deeper than {_MAX_DEPTH} levels", at)
        self.places[path] = at
        text = self.text
        char = text[at : at + 1]
        if char == "{":
            return self._object(at, path, depth)
        if char == "[":
            return self._array(at, path, depth)
        if char == '"':
            try:
                return json.decoder.scanstring(text, at + 1)  # type: ignore[attr-defined,no-any-return]
            except ValueError as exc:
                raise _JsonError(str(exc).split(":")[0], at) from None
        for word, meaning in _LITERALS.items():
            if text.startswith(word, at):
                return meaning, at + len(word)
        number = _NUMBER.match(text, at)
        if number:
            self.numbers[path] = number.group()
            token = number.group()
            return (float(token) if any(c in token for c in ".eE") else int(token)), number.end()
        raise _JsonError("expected a value", at)

    def _object(self, at: int, path: Path, depth: int) -> tuple[Any, int]:
        out: dict[str, Any] = {}
        at = self._skip(at + 1)
        if self.text[at : at + 1] == "}":
            return out, at + 1
        while True:
            if self.text[at : at + 1] != '"':
                raise _JsonError("expected a key in double quotes", at)
            key, at = json.decoder.scanstring(self.text, at + 1)  # type: ignore[attr-defined]
            at = self._skip(at)
            if self.text[at : at + 1] != ":":
                raise _JsonError("expected ':'", at)
            value, at = self._value(self._skip(at + 1), (*path, key), depth + 1)
            out[key] = value
            at = self._skip(at)
            if self.text[at : at + 1] == ",":
                at = self._skip(at + 1)
                continue
            if self.text[at : at + 1] == "}":
                return out, at + 1
            raise _JsonError("expected ',' or '}'", at)

    def _array(self, at: int, path: Path, depth: int) -> tuple[Any, int]:
        out: list[Any] = []
        at = self._skip(at + 1)
        if self.text[at : at + 1] == "]":
            return out, at + 1
        while True:
            value, at = self._value(at, (*path, len(out)), depth + 1)
            out.append(value)
            at = self._skip(at)
            if self.text[at : at + 1] == ",":
                at = self._skip(at + 1)
                continue
            if self.text[at : at + 1] == "]":
                return out, at + 1
            raise _JsonError("expected ',' or ']'", at)

    def _skip(self, at: int) -> int:
        return _WS.match(self.text, at).end()  # type: ignore[union-attr]


@dataclass(frozen=True)
class _Numbered:
    value: Any
    numbers: dict[Path, str]


# --- the answer, read into the page importer's form -------------------------------------------


@dataclass(frozen=True)
class _Extras:
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    inspire: list[tuple[Path, dict[str, Any]]]


class _Reader:
    def __init__(self, report: Report, places: dict[Path, int]) -> None:
        self.report = report
        self.places = places
        self.numbers: dict[Path, str] = {}

    def at(self, path: Path) -> int:
        while path and path not in self.places:
            path = path[:-1]
        return self.places.get(path, 0)

    def fail(self, path: Path, message: str) -> None:
        self.report.fail(self.at(path), message)

    def tool(self, document: _Numbered) -> tuple[RawPage, _Extras] | None:
        self.numbers = document.numbers
        answer = document.value
        if not isinstance(answer, dict):
            self.fail((), "expected a Tool/Detail answer (a JSON object)")
            return None
        path: Path = ()
        if "tool" in answer:  # rule tool-answer: the whole answer
            if answer.get("result") is False:
                self.fail(("result",), f"the answer is an error: {answer.get('errors')!r}")
                return None
            tools = answer["tool"]
            if not isinstance(tools, list) or not tools or not isinstance(tools[0], dict):
                self.fail(("tool",), "expected 'tool' to list one model")
                return None
            answer, path = tools[0], ("tool", 0)
        owner = self.text(answer, path, "slugowner", required=True)
        project = self.text(answer, path, "slugproject", required=True)
        clean_owner = self.text(answer, path, "cleanslugowner", required=True)
        clean_project = self.text(answer, path, "cleanslugproject", required=True)
        categories = self.texts(answer, path, "categories")
        tags = self.texts(answer, path, "tags")
        inputs = self.inputs(answer, path)
        inspire = self.inspire(answer, path)
        if self.report.failed or None in (owner, project, clean_owner, clean_project):
            return None
        assert owner and project and clean_owner and clean_project
        name_at = self.at((*path, "slugowner"))
        run_url = RUN_URL.format(owner=clean_owner, slug=clean_project)
        description = self.text(answer, path, "description")
        image = self.text(answer, path, "image")
        page = RawPage(
            layout=Layout.TOOL,  # rule tool-layout
            name=Text(f"{owner}/{project}", name_at),
            description=self._text_at(description, (*path, "description")),
            cover=self._text_at(image, (*path, "image")),
            categories=None,
            tags=None,
            run_urls=(Text(run_url, self.at((*path, "cleanslugproject"))),),
            info_at=self.at(path),
            inputs=tuple(inputs),
            examples=None,
        )
        return page, _Extras(categories, tags, inspire)

    def _text_at(self, value: str | None, path: Path) -> Text | None:
        return None if value is None else Text(value, self.at(path))

    def text(
        self, data: dict[str, Any], path: Path, key: str, *, required: bool = False
    ) -> str | None:
        if key not in data or data[key] is None:
            if required:
                self.fail(path, f"the answer has no {key!r}")
            return None
        value = data[key]
        if isinstance(value, str):
            return value
        self.fail((*path, key), f"{key!r} must be text, found {_kind(value)}")
        return None

    def texts(self, data: dict[str, Any], path: Path, key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail((*path, key), f"{key!r} must be a list of texts, found {_kind(value)}")
            return ()
        return tuple(value)

    def inputs(self, data: dict[str, Any], path: Path) -> list[RawInput]:
        groups = data.get("parameters")
        if groups is None:
            return []
        if not isinstance(groups, list):
            self.fail((*path, "parameters"), f"'parameters' must be a list, found {_kind(groups)}")
            return []
        out: list[RawInput] = []
        for g, group in enumerate(groups):
            gpath = (*path, "parameters", g)
            items = group.get("items") if isinstance(group, dict) else None
            if not isinstance(items, list):
                self.fail(gpath, "a parameter group must be an object with a list of 'items'")
                continue
            for i, item in enumerate(items):
                if len(out) >= MAX_ITEMS:
                    self.fail((*gpath, "items", i), f"more than {MAX_ITEMS} inputs")
                    return out
                one = self.item(item, (*gpath, "items", i))
                if one is not None:
                    out.append(one)
        return out

    def item(self, item: Any, path: Path) -> RawInput | None:
        if not isinstance(item, dict):
            self.fail(path, f"an input must be an object, found {_kind(item)}")
            return None
        name = self.text(item, path, "id", required=True)
        kind = self.text(item, path, "type", required=True)
        if name is None or kind is None:
            return None
        if kind not in INPUT_TYPES:
            known = ", ".join(INPUT_TYPES)
            self.fail((*path, "type"), f"input {name!r} has unknown type {kind!r} (known: {known})")
            return None
        label = self.text(item, path, "label")
        help_text = self.text(item, path, "description") or self.text(item, path, "note")
        required = item.get("required")
        if required is not None and not isinstance(required, bool):
            self.fail(
                (*path, "required"), f"'required' must be true or false, found {_kind(required)}"
            )
            return None
        default = self.default(item, path, required is True)
        bounds = [self.number(item, path, key) for key in ("min", "max", "step")]
        options = self.options(item, path) if "options" in item else None
        return RawInput(
            at=self.at(path),
            name=Text(name, self.at((*path, "id"))),
            label=self._text_at(label, (*path, "label")),
            help=None if help_text is None else Text(help_text, self.at((*path, "description"))),
            type=Text(kind, self.at((*path, "type"))),
            default=default,
            minimum=bounds[0],
            maximum=bounds[1],
            step=bounds[2],
            options=options,
            options_at=self.at((*path, "options")) if options is not None else None,
        )

    def default(self, item: dict[str, Any], path: Path, required: bool) -> Text | None:
        """Rule tool-required: the page's form of the default."""
        at = self.at((*path, "default"))
        value = item.get("default")
        if value is None or (value == "" and required):
            # Required and no default: a bare `default:`; optional and none: `default: ""`.
            return Text("", at, quoted=not required)
        if isinstance(value, bool):
            return Text("true" if value else "false", at)
        if isinstance(value, int | float):
            return Text(self.numbers.get((*path, "default"), str(value)), at)
        if isinstance(value, str):
            return Text(value, at, quoted=True)
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return Text(",".join(value), at, quoted=True)
        self.fail((*path, "default"), f"a default must be text or a number, found {_kind(value)}")
        return None

    def number(self, item: dict[str, Any], path: Path, key: str) -> Text | None:
        value = item.get(key)
        if value is None or value == "":
            return None
        at = self.at((*path, key))
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail((*path, key), f"{key!r} must be a number, found {_kind(value)}")
            return None
        return Text(self.numbers.get((*path, key), str(value)), at)

    def options(self, item: dict[str, Any], path: Path) -> tuple[RawOption, ...] | None:
        options = item["options"]
        opath = (*path, "options")
        if not isinstance(options, list):
            self.fail(opath, f"'options' must be a list, found {_kind(options)}")
            return None
        if len(options) > MAX_OPTIONS:
            self.fail(opath, f"{len(options)} options; at most {MAX_OPTIONS} are read")
            return None
        out = []
        for j, option in enumerate(options):
            here = (*opath, j)
            if not isinstance(option, dict) or not isinstance(
                option.get("value"), str | int | float
            ):
                self.fail(here, "an option must be an object with a 'value'")
                continue
            value = option["value"]
            label = option.get("label")
            words = option.get("triggerwords")
            description = option.get("description")
            out.append(
                RawOption(
                    value=Text(str(value), self.at((*here, "value")), quoted=True),
                    label=None if label is None else Text(str(label), self.at((*here, "label"))),
                    description=(
                        None
                        if not isinstance(description, str)
                        else Text(description, self.at((*here, "description")))
                    ),
                    trigger_words=(
                        None
                        if words is None
                        else Text(json.dumps(words), self.at((*here, "triggerwords")))
                    ),
                    generate_settings=None,
                    cover=None,
                )
            )
        return tuple(out)

    def inspire(self, data: dict[str, Any], path: Path) -> list[tuple[Path, dict[str, Any]]]:
        value = data.get("inspire")
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail((*path, "inspire"), f"'inspire' must be a list, found {_kind(value)}")
            return []
        out = []
        for k, example in enumerate(value):
            if isinstance(example, dict):
                out.append(((*path, "inspire", k), example))
            else:
                self.fail((*path, "inspire", k), "an example must be an object")
        return out

    def examples(
        self, inspire: list[tuple[Path, dict[str, Any]]], inputs: list[Any]
    ) -> tuple[tuple[tuple[str, Value], ...], ...]:
        """Rule tool-examples: one example per object, each value by rule example-value."""
        keys = example_keys(inputs)
        by_name = {item.name: item for item in inputs}
        out = []
        for path, example in inspire:
            values: list[tuple[str, Value]] = []
            for key, raw in example.items():
                here = (*path, key)
                name = keys.get(key)
                if name is None:
                    self.report.warn(self.at(here), f"example key {key!r} names no input; ignored")
                    continue
                if isinstance(raw, list):
                    raw = ",".join(str(v) for v in raw)
                number = self.numbers.get(here)
                text = Text(
                    number or ("true" if raw is True else "false" if raw is False else str(raw)),
                    self.at(here),
                )
                value = example_value(by_name[name], text, self.report)
                if value is not None:
                    values.append((name, value))
            if values:
                out.append(tuple(values))
        return tuple(out)


def _kind(value: Any) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "text",
        bool: "true/false",
        int: "a number",
        float: "a number",
        type(None): "null",
    }.get(type(value), type(value).__name__)
