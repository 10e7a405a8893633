"""Reading ``key: value`` fields out of flat page text, where nothing but the keys separates values.

A flattened page writes an input as ``- name: seed label: seed help: seed-help type: text
default: 42``: values are free text (help texts hold colons, quotes, JSON, other field names), so a
value cannot be delimited by its own content, only by the key that follows it. Two rules make that
reliable:

1. **Fixed order.** Wiro writes every record's fields in one order (name, label, help, type,
   default, options; value, label, description, triggerwords, generatesettings). A value ends at
   the first key *later* in that order, never at an earlier one.
2. **Anchors.** A required field (``type``) is looked for before anything after it, and its key
   only counts when what follows it fits (``type: <a known type>`` then another key or the end of
   the record). So a help text saying "the default: 5" cannot end early: until ``type`` is found,
   only ``label``, ``help`` and ``type`` can end a value.

A key counts only at the start of a word (after a blank or at the start of the record).
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A value read from the page and the flat index where it starts (for messages)."""

    value: str
    at: int
    quoted: bool = False
    """True when the page wrote it as a quoted string (``default: ""``, ``value: "79"``)."""


@dataclass(frozen=True)
class FieldRule:
    """How one field of a record is recognised."""

    key: str
    marker: re.Pattern[str]
    """Matches the key (and, for one-word values, the value in group ``v``)."""
    required: bool = False


@dataclass(frozen=True)
class Fields:
    """The fields found in one record, by key, and where the record starts."""

    values: dict[str, Text]
    markers: dict[str, int]
    """Flat index of each field's key (for messages about the field itself)."""
    at: int


def key(name: str, *, lookahead: str = r"(?=\s|$)") -> re.Pattern[str]:
    """The marker of a plain ``name:`` key at the start of a word."""
    return re.compile(rf"(?<!\S){re.escape(name)}:{lookahead}")


def read_fields(flat: str, start: int, end: int, rules: tuple[FieldRule, ...]) -> Fields | None:
    """The fields of the record ``flat[start:end]``, which must begin with ``rules[0]``'s key.

    None when the record does not begin with the first key or misses a required one; the caller
    says why, since it knows what the record is.
    """
    segment = flat[start:end]
    lead = len(segment) - len(segment.lstrip())
    first = rules[0].marker.match(segment, lead)
    if first is None:
        return None
    found = [list(rule.marker.finditer(segment)) for rule in rules]
    values: dict[str, Text] = {}
    markers: dict[str, int] = {}
    current, match = 0, first
    while True:
        markers[rules[current].key] = start + match.start()
        following = _next_field(found, rules, current, match.end())
        value_end = following[1].start() if following else len(segment)
        values[rules[current].key] = _value(segment, match, value_end, start)
        if following is None:
            break
        current, match = following
    if any(rule.required and rule.key not in values for rule in rules):
        return None
    return Fields(values, markers, start + first.start())


def _next_field(
    found: list[list[re.Match[str]]], rules: tuple[FieldRule, ...], current: int, pos: int
) -> tuple[int, re.Match[str]] | None:
    """The earliest key after ``pos`` of a field later than ``current`` (rules 1 and 2)."""
    anchor = next((j for j in range(current + 1, len(rules)) if rules[j].required), len(rules) - 1)
    best: tuple[int, re.Match[str]] | None = None
    for j in range(current + 1, anchor + 1):
        match = next((m for m in found[j] if m.start() >= pos), None)
        if match is not None and (best is None or match.start() < best[1].start()):
            best = (j, match)
    return best


def _value(segment: str, match: re.Match[str], value_end: int, offset: int) -> Text:
    if "v" in match.groupdict() and match.group("v") is not None:
        return Text(match.group("v"), offset + match.start("v"))
    raw = segment[match.end() : value_end]
    stripped = raw.strip()
    at = match.end() + (len(raw) - len(raw.lstrip()) if stripped else 0)
    return Text(stripped, offset + at)


def split_records(flat: str, start: int, end: int, marker: re.Pattern[str]) -> list[int]:
    """Flat indexes where each record introduced by ``marker`` starts within ``[start, end)``."""
    return [start + m.start() for m in marker.finditer(flat[start:end])]


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)


def unquote(text: Text) -> Text:
    """A value the page wrote as a double-quoted string, read as the string it holds.

    Wiro quotes option values and some defaults (``value: "1291"``, ``default: ""``); a value is
    quoted only when one quoted string makes up all of it, so ``"XLPlus" model`` stays as written.
    """
    value = text.value
    if len(value) < 2 or not _JSON_STRING.fullmatch(value):
        return text
    inner = value[1:-1]
    # Escapes are read the JSON way (\" \\ \n \u00e9); a lone backslash is kept as written.
    out: list[str] = []
    i = 0
    while i < len(inner):
        char = inner[i]
        if char == "\\" and i + 1 < len(inner):
            nxt = inner[i + 1]
            simple = {'"': '"', "\\": "\\", "/": "/", "n": "\n", "t": "\t", "r": "\r"}
            if nxt in simple:
                out.append(simple[nxt])
                i += 2
                continue
            if nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", inner[i + 2 : i + 6]):
                out.append(chr(int(inner[i + 2 : i + 6], 16)))
                i += 6
                continue
        out.append(char)
        i += 1
    return Text("".join(out), text.at, quoted=True)
