"""How a change is worded: plain prose with spec values as Markdown code spans.

One wording serves the terminal, JSON, the releases file and the changelog: the prose is the
rules' own (no Markdown syntax in it) and every value that comes from a spec (a name, an
option, a default) is a code span, with control characters spelt out and whitespace collapsed,
so no spec text can break a line, a list or a table of the report.
"""

from __future__ import annotations

import re

_BACKTICKS = re.compile(r"`+")


def code(text: str) -> str:
    """``text`` as one inline code span, whatever backticks or control characters it holds."""
    flat = " ".join(_visible(text).split())
    if not flat:
        return '`""`'
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def value(v: object) -> str:
    """A spec value as a caller writes it in Python: ``'1:1'``, ``20``, ``True``, ``('a', 'b')``."""
    return code(repr(v))


def _visible(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c in " \t\n\r" else f"U+{ord(c):04X}" for c in text)


def listing(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"
