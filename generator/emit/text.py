"""Spec text as data in every output language: Python literals and docstrings, Markdown, JSON, shell.

Every string a spec holds goes through one of these before it reaches a file; templates never
paste spec text raw. Python literals follow black's quote preference, so formatting is a no-op.
"""

from __future__ import annotations

import json
import re
import textwrap
import unicodedata
from typing import Any

_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(c: str, quote: str) -> str:
    if c in _ESCAPES:
        return _ESCAPES[c]
    if c == quote:
        return "\\" + c
    if not c.isprintable():
        code = ord(c)
        if code < 0x100:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
    return c


def py_str(text: str) -> str:
    """A Python string literal in black's quotes: double, unless single needs fewer escapes."""
    quote = "'" if text.count('"') > text.count("'") else '"'
    if text.isprintable() and quote not in text and "\\" not in text:
        return quote + text + quote  # nothing to escape (the common case, ~30x faster)
    return quote + "".join(_escape_char(c, quote) for c in text) + quote


def py_literal(value: Any) -> str:
    """A Python literal for a spec value: text, number, boolean, None, or a sequence of them."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return py_str(value)
    if isinstance(value, tuple | list):
        items = ", ".join(py_literal(v) for v in value)
        return (
            f"({items},)"
            if isinstance(value, tuple) and len(value) == 1
            else (f"({items})" if isinstance(value, tuple) else f"[{items}]")
        )
    raise TypeError(f"no Python literal for {type(value).__name__}")


def doc_text(text: str) -> str:
    """Text that is safe inside a triple-double-quoted docstring, as one paragraph.

    Backslashes are escaped, a quote is escaped when another quote follows it or it ends or
    starts the text (so no \"\"\" can form, and black, which pads a docstring that starts with a
    quote, has nothing to change), control characters are written as escapes, and whitespace
    runs (newlines included) collapse, so the docstring cannot end early or change shape.
    """
    flat = " ".join(text.split())
    if flat.isprintable() and '"' not in flat and "\\" not in flat:
        return flat  # nothing to escape (the common case)
    out = []
    for i, c in enumerate(flat):
        if c == "\\":
            out.append("\\\\")
        elif c == '"' and (i == 0 or i + 1 == len(flat) or flat[i + 1] == '"'):
            out.append('\\"')
        elif not c.isprintable():
            out.append(_escape_char(c, '"'))
        else:
            out.append(c)
    return "".join(out)


def comment_text(text: str) -> str:
    """Text safe on one ``#`` comment line and inside an HTML comment: control characters
    escaped, and ``--`` broken up so ``-->`` cannot end the comment early."""
    escaped = "".join(_escape_char(c, "") for c in text)
    while "--" in escaped:
        escaped = escaped.replace("--", "-\\-")
    return escaped


def wrap(text: str, width: int, indent: str = "", first_indent: str | None = None) -> str:
    """Fill text to ``width`` columns (break_on_hyphens off: URLs and names stay whole)."""
    return textwrap.fill(
        text,
        width=width,
        initial_indent=indent if first_indent is None else first_indent,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 3].rstrip() + "..."


_MD_INLINE = re.compile(r"([\\`*\[\]|~])")
_MD_UNDERSCORE = re.compile(r"(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+-]|\d+[.)])")


def md(text: str) -> str:
    """Inline Markdown: one line, HTML neutralised, only what Markdown would read as syntax escaped.

    Safe in a table cell, a heading, a list item or a paragraph start: pipes, backticks,
    emphasis, links and block markers at the start are escaped; ``snake_case`` stays readable.
    """
    flat = " ".join(_visible(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _MD_INLINE.sub(r"\\\1", flat)
    flat = _MD_UNDERSCORE.sub(r"\\_", flat)
    return _MD_BLOCK_START.sub(_escape_block_marker, flat, count=1)


def _escape_block_marker(m: re.Match[str]) -> str:
    marker = m.group(2)
    # "1." becomes "1\." (a backslash before a digit would be shown, not read as an escape).
    return m.group(1) + (marker[:-1] + "\\" + marker[-1] if marker[0].isdigit() else "\\" + marker)


def md_link(url: str, label: str) -> str:
    """A Markdown link to an http(s) URL, or the URL as code when it is anything else."""
    if not re.match(r"^https?://[^\s<>]+$", url):
        return md_code(url)
    return f"[{md(label)}](<{url}>)"


def md_code(text: str) -> str:
    """Inline code span that survives backticks, pipes and HTML in the text."""
    flat = " ".join(_visible(text).split()).replace("|", "\\|")
    longest = max((len(m) for m in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") or not flat.strip() else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def md_block(text: str, language: str = "") -> str:
    """A fenced code block whose fence is longer than any backtick run inside."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{language}\n{text.rstrip()}\n{fence}"


def _visible(text: str) -> str:
    """Control and bidi-override characters spelt out, so docs show what the spec holds."""
    if text.isprintable():
        return text  # no control or format character (isprintable is False for Cc and Cf)
    out = []
    for c in text:
        if c.isspace():
            out.append(" ")
        elif unicodedata.category(c) in ("Cc", "Cf") and c not in "\u200d":
            out.append(f"U+{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


def to_json(value: Any, indent: int | None = None) -> str:
    return json.dumps(value, ensure_ascii=False, indent=indent)


def toml_str(text: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped, the rest as
    it is (TOML has no escape for a lone surrogate: it becomes U+FFFD)."""
    out = ['"']
    for c in text:
        code = ord(c)
        if c in '"\\':
            out.append("\\" + c)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\ufffd")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def sh_single(text: str) -> str:
    """A POSIX shell single-quoted word."""
    return "'" + text.replace("'", "'\"'\"'") + "'"
