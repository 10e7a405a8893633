"""Page text to raw page data: every field as the page wrote it, with where it stands.

No decision about meaning is taken here (that is :mod:`.rules`); this module only finds the
records and fields of both page layouts:

- the info section: ``Tool name:`` (older pages) or ``Model name:`` (newer pages), then
  description, cover, categories, tags, ``Run Task Endpoint (POST):``, ``Get Task Detail ...``;
- the inputs section: ``- name: label: help: type: default: [min: max: step:] options:``, each
  option ``- value: label: description: triggerwords: generatesettings: [cover:]``;
- the examples section ("Parameter Inspires"): a flat ``- key: value`` list;
- the Run command sections, for the quoted URL of the curl example.

What cannot be read is an error at its place; nothing is skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..diagnostics import Diagnostic, error, warning
from ..ir import InputKind
from .fields import FieldRule, Fields, Text, key, read_fields, split_records, unquote
from .page import Page
from .sections import Section, SectionKind, find_sections, single


class Layout(StrEnum):
    """The two generations of Wiro pages; a few rules differ between them."""

    TOOL = "tool"
    """Older pages: ``Tool name:``, ``## Tool Inputs:``; file inputs appear as ``*Url`` texts."""
    MODEL = "model"
    """Newer pages: ``Model name:``, ``## Model Inputs:``, ``Model tags:``; real file types."""


@dataclass(frozen=True)
class RawOption:
    value: Text
    label: Text | None
    description: Text | None
    trigger_words: Text | None
    generate_settings: Text | None
    cover: Text | None


@dataclass(frozen=True)
class RawInput:
    at: int
    name: Text
    label: Text | None
    help: Text | None
    type: Text
    default: Text | None
    """None when the page has no ``default:``; an empty unquoted Text when it is bare."""
    minimum: Text | None
    maximum: Text | None
    step: Text | None
    options: tuple[RawOption, ...] | None
    options_at: int | None


@dataclass(frozen=True)
class RawItem:
    """One ``- key: value`` of the examples list."""

    key: Text
    value: Text


@dataclass(frozen=True)
class RawPage:
    layout: Layout
    name: Text
    description: Text | None
    cover: Text | None
    categories: Text | None
    tags: Text | None
    run_urls: tuple[Text, ...]
    """The Run URL of the info section, then those of the curl examples."""
    info_at: int
    inputs: tuple[RawInput, ...]
    examples: Section | None


INPUT_TYPES = tuple(kind.value for kind in InputKind)
_TYPE_WORD = "|".join(sorted(INPUT_TYPES, key=len, reverse=True))
_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"


def _then(*keys: str) -> str:
    """Lookahead: another of ``keys`` follows, or the record ends."""
    return rf"(?=\s+(?:{'|'.join(keys)}):(?:\s|$)|\s*$)"


def _labelled(words: str) -> re.Pattern[str]:
    """An info-section label such as ``Model cover:`` (either layout, any case)."""
    return re.compile(rf"(?<!\S)(?:Tool|Model)[ \t]+{words}:(?=\s|$)", re.IGNORECASE)


_INFO = (
    FieldRule("name", _labelled("name"), required=True),
    FieldRule("description", _labelled("description")),
    FieldRule("cover", _labelled("cover")),
    FieldRule("categories", _labelled("categories")),
    FieldRule("tags", _labelled("tags")),
    FieldRule(
        "run",
        re.compile(r"(?<!\S)Run[ \t]+Task[ \t]+Endpoint[ \t]*\(POST\):(?=\s|$)", re.IGNORECASE),
    ),
    FieldRule(
        "detail",
        re.compile(
            r"(?<!\S)Get[ \t]+Task[ \t]+Detail[ \t]+Endpoint[ \t]*\(POST\):(?=\s|$)", re.IGNORECASE
        ),
    ),
)

_INPUT_START = re.compile(r"(?<!\S)-[ \t]+name:(?=\s|$)")
_INPUT = (
    FieldRule("name", _INPUT_START, required=True),
    FieldRule("label", key("label")),
    FieldRule("help", key("help")),
    FieldRule(
        "type",
        re.compile(
            rf"(?<!\S)type:[ \t]+(?P<v>{_TYPE_WORD}){_then('default', 'min', 'max', 'step', 'options')}"
        ),
        required=True,
    ),
    FieldRule("default", key("default")),
    FieldRule(
        "min", re.compile(rf"(?<!\S)min:[ \t]+(?P<v>{_NUMBER}){_then('max', 'step', 'options')}")
    ),
    FieldRule("max", re.compile(rf"(?<!\S)max:[ \t]+(?P<v>{_NUMBER}){_then('step', 'options')}")),
    FieldRule("step", re.compile(rf"(?<!\S)step:[ \t]+(?P<v>{_NUMBER}){_then('options')}")),
    FieldRule(
        "options",
        re.compile(r"(?<!\S)options:(?=\s+-[ \t]+value:(?:\s|$)|\s*\[\]\s*$|\s*$)"),
    ),
)
_LOOSE_TYPE = re.compile(r"(?<!\S)type:[ \t]*(?P<v>\S*)")
_LOOSE_OPTIONS = re.compile(r"(?<!\S)options:(?=\s|$)")
_SELECT_TYPES = frozenset({"select", "multiselect", "selectwithcover"})

_OPTION_START = re.compile(r"(?<!\S)-[ \t]+value:(?=\s|$)")
_OPTION = (
    FieldRule("value", _OPTION_START, required=True),
    FieldRule("label", key("label")),
    FieldRule("description", key("description")),
    FieldRule("triggerwords", key("triggerwords", lookahead=r"(?=\s*\[)")),
    FieldRule("generatesettings", key("generatesettings", lookahead=r"(?=\s*[\[{])")),
    FieldRule("cover", key("cover")),
)

_CURL_RUN_URL = re.compile(r'"(?P<v>[a-z]+://[^"]*?/Run/[^"]*)"', re.IGNORECASE)


def parse_page(page: Page) -> tuple[RawPage | None, list[Diagnostic]]:
    """The raw data of a page, or the errors that make it unreadable."""
    sections, problems = find_sections(page)
    info, more = single(page, sections, SectionKind.INFO, "'Basic tool info'")
    problems += more
    inputs, more = single(page, sections, SectionKind.INPUTS, "inputs")
    problems += more
    examples, more = single(page, sections, SectionKind.EXAMPLES, "'Parameter Inspires'")
    problems += more
    if not _errors(problems):
        if info is None:
            problems.append(
                error(
                    page.location(0), "no '## Basic tool info' section: is this a Wiro model page?"
                )
            )
        elif inputs is None:
            problems.append(
                error(
                    page.location(info.heading_at),
                    "the page has no inputs section ('## Model Inputs:' or '## Tool Inputs:')",
                )
            )
    if info is None or inputs is None or _errors(problems):
        return None, problems

    fields = read_fields(page.flat, info.start, info.end, _INFO)
    if fields is None:
        problems.append(
            error(
                page.location(_first_word(page, info)),
                "expected 'Model name:' or 'Tool name:' first in the basic info section",
            )
        )
        return None, problems
    raw_inputs, more = _read_inputs(page, inputs)
    problems += more
    if _errors(problems):
        return None, problems
    curl_urls = tuple(
        Text(m.group("v"), m.start("v"))
        for s in sections
        if s.kind is SectionKind.RUN
        for m in _CURL_RUN_URL.finditer(page.flat, s.start, s.end)
    )
    values = fields.values
    run = values.get("run")
    raw = RawPage(
        layout=_layout(page, fields),
        name=values["name"],
        description=values.get("description"),
        cover=values.get("cover"),
        categories=values.get("categories"),
        tags=values.get("tags"),
        run_urls=((run,) if run is not None and run.value else ()) + curl_urls,
        info_at=info.heading_at,
        inputs=tuple(raw_inputs),
        examples=examples,
    )
    return raw, problems


def _errors(problems: list[Diagnostic]) -> bool:
    return any(d.severity == "error" for d in problems)


def _first_word(page: Page, section: Section) -> int:
    text = page.flat[section.start : section.end]
    return section.start + len(text) - len(text.lstrip())


def _layout(page: Page, fields: Fields) -> Layout:
    word = page.flat[fields.markers["name"] :][:5].lower()
    return Layout.TOOL if word.startswith("tool") else Layout.MODEL


def _read_inputs(page: Page, section: Section) -> tuple[list[RawInput], list[Diagnostic]]:
    starts = split_records(page.flat, section.start, section.end, _INPUT_START)
    problems: list[Diagnostic] = []
    first = _first_word(page, section)
    if first < section.end and (not starts or starts[0] != first):
        problems.append(error(page.location(first), "expected '- name:' to start the first input"))
        return [], problems
    inputs: list[RawInput] = []
    for start, end in _records(page, starts, section.end, problems):
        fields = read_fields(page.flat, start, end, _INPUT)
        if fields is None:
            problems.append(_unreadable_input(page, start, end))
            continue
        item, more = _raw_input(page, fields, end)
        problems += more
        if item is not None:
            inputs.append(item)
    return inputs, problems


def _records(
    page: Page, starts: list[int], end: int, problems: list[Diagnostic]
) -> list[tuple[int, int]]:
    """Input records; a ``- name:`` with no ``type:`` before the next one is not an input but
    text of the one before it (an option description saying "- name: ..."), with a warning."""
    records: list[tuple[int, int]] = []
    for i, start in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else end
        if records and _LOOSE_TYPE.search(page.flat[start:stop]) is None:
            records[-1] = (records[-1][0], stop)
            fragment = page.flat[start:stop].strip()
            problems.append(
                warning(
                    page.location(start),
                    f"{fragment[:40]!r} has no 'type:', so it is no input; "
                    "read as text of the input before it",
                )
            )
            continue
        records.append((start, stop))
    return records


def _unreadable_input(page: Page, start: int, end: int) -> Diagnostic:
    """Why an input record has no readable ``type:``, said as precisely as the text allows."""
    record = page.flat[start:end]
    named = _INPUT_START.match(record)
    words = record[named.end() :].split(None, 1) if named else []
    name = words[0] if words else "?"
    loose = _LOOSE_TYPE.search(record)
    if loose is None:
        return error(page.location(start), f"input {name!r} has no 'type:'")
    word = loose.group("v")
    where = page.location(start + loose.start("v"))
    if word not in INPUT_TYPES:
        known = ", ".join(INPUT_TYPES)
        return error(where, f"unknown input type {word!r} of input {name!r} (known: {known})")
    after = record[loose.end() :].strip()
    return error(
        where,
        f"cannot read what follows 'type: {word}' in input {name!r}: expected 'default:', "
        f"'options:' or the next '- name:', found {after[:40]!r}",
    )


def _raw_input(page: Page, fields: Fields, end: int) -> tuple[RawInput | None, list[Diagnostic]]:
    values = fields.values
    options: tuple[RawOption, ...] | None = None
    problems: list[Diagnostic] = []
    options_at = fields.markers.get("options")
    default = values.get("default")
    if options_at is not None:
        options, problems = _read_options(page, values["options"], end, values["name"].value)
    elif values["type"].value in _SELECT_TYPES and default is not None:
        # 'options:' only counts before a '- value:' list; one before anything else is not
        # read as part of the default text of a select, which must have its options.
        stray = _LOOSE_OPTIONS.search(default.value)
        if stray is not None:
            after = default.value[stray.end() :].strip()
            problems.append(
                error(
                    page.location(default.at + stray.start()),
                    f"cannot read the options of {values['name'].value!r}: expected "
                    f"'- value:' after 'options:', found {after[:40]!r}",
                )
            )
            return None, problems
    raw = RawInput(
        at=fields.at,
        name=values["name"],
        label=values.get("label"),
        help=values.get("help"),
        type=values["type"],
        default=unquote(default) if default is not None else None,
        minimum=values.get("min"),
        maximum=values.get("max"),
        step=values.get("step"),
        options=options,
        options_at=options_at,
    )
    return raw, problems


def _read_options(
    page: Page, text: Text, end: int, input_name: str
) -> tuple[tuple[RawOption, ...], list[Diagnostic]]:
    start = text.at
    starts = split_records(page.flat, start, end, _OPTION_START)
    lead = page.flat[start : starts[0] if starts else end].strip()
    if lead not in ("", "[]"):
        return (), [
            error(
                page.location(start),
                f"cannot read the options of {input_name!r}: expected '- value:', "
                f"found {lead[:40]!r}",
            )
        ]
    options: list[RawOption] = []
    for i, option_start in enumerate(starts):
        option_end = starts[i + 1] if i + 1 < len(starts) else end
        fields = read_fields(page.flat, option_start, option_end, _OPTION)
        assert fields is not None  # the record starts with its only required key
        values = fields.values
        options.append(
            RawOption(
                value=unquote(values["value"]),
                label=values.get("label"),
                description=values.get("description"),
                trigger_words=values.get("triggerwords"),
                generate_settings=values.get("generatesettings"),
                cover=values.get("cover"),
            )
        )
    return tuple(options), []


_ITEM = re.compile(r"(?<!\S)-(?=\s|$)")


def list_items(text: Text) -> list[Text] | None:
    """``- tool - image-to-image`` as its items; None when the text is not such a list."""
    value = text.value
    if value in ("", "[]"):
        return []
    if not value.startswith("-") or not _ITEM.match(value):
        return None
    marks = [m.start() for m in _ITEM.finditer(value)]
    items: list[Text] = []
    for i, mark in enumerate(marks):
        chunk = value[mark + 1 : marks[i + 1] if i + 1 < len(marks) else len(value)]
        item = chunk.strip()
        if item:
            items.append(Text(item, text.at + mark + 1 + len(chunk) - len(chunk.lstrip())))
    return items


def read_examples(
    page: Page, section: Section, keys: list[str]
) -> tuple[list[RawItem], Text | None]:
    """The ``- key: value`` items whose key is one of ``keys``, and any text before the first.

    Only known keys start an item: a prompt that says "- lighting: soft" stays one prompt.
    """
    if not keys:
        text = page.flat[section.start : section.end].strip()
        return [], (Text(text, _first_word(page, section)) if text else None)
    alternatives = "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))
    marker = re.compile(rf"(?<!\S)-[ \t]+(?P<key>{alternatives}):(?=\s|$)")
    matches = list(marker.finditer(page.flat, section.start, section.end))
    before_end = matches[0].start() if matches else section.end
    before = page.flat[section.start : before_end].strip()
    unread = Text(before, _first_word(page, section)) if before else None
    items: list[RawItem] = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else section.end
        raw = page.flat[match.end() : end]
        value = raw.strip()
        at = match.end() + (len(raw) - len(raw.lstrip()) if value else 0)
        items.append(
            RawItem(Text(match.group("key"), match.start("key")), unquote(Text(value, at)))
        )
    return items, unread
