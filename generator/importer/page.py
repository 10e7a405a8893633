"""A model documentation page as text the importer can read: decoded, flattened, located.

Wiro publishes the same page flattened onto one line (the seeds) or with its line breaks, with
LF or CRLF endings and trailing spaces. Both become one *flat view*: every line break, with the
blanks around it, is one space; everything else is kept exactly as written. The parser only
ever reads the flat view, so both layouts follow the same rules, and every index into the flat
view maps back to the line and column of the original text for messages.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from ..diagnostics import Diagnostic, Location, error

MAX_PAGE_BYTES = 4 * 1024 * 1024
"""Larger files are refused before reading: the largest real page (166 options) is ~60 KB."""

_BREAK = re.compile(r"[ \t]*(?:\r\n|\r|\n)[ \t\r\n]*")
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Page:
    """A page's original text, its flat view, and the map between them."""

    path: str
    original: str
    flat: str
    pieces: tuple[tuple[int, int], ...]
    """(flat index, original offset) where each copied run or inserted space starts."""
    line_starts: tuple[int, ...]
    """Original offset of the first character of every line."""

    def offset(self, at: int) -> int:
        """The original offset of flat index ``at``."""
        i = bisect.bisect_right(self.pieces, (at, len(self.original) + 1)) - 1
        flat_start, original_start = self.pieces[max(i, 0)]
        return original_start + (at - flat_start)

    def location(self, at: int) -> Location:
        """Line and column (1-based, in characters) of flat index ``at`` in the original text."""
        offset = min(self.offset(at), len(self.original))
        line = bisect.bisect_right(self.line_starts, offset)
        return Location(self.path, line, offset - self.line_starts[line - 1] + 1)

    def begins_line(self, at: int) -> bool:
        """True when only blanks stand before flat index ``at`` on its original line."""
        offset = self.offset(at)
        line_start = self.line_starts[bisect.bisect_right(self.line_starts, offset) - 1]
        return self.original[line_start:offset].strip(" \t") == ""

    def rest_of_line(self, at: int) -> str:
        """The original text from flat index ``at`` to the end of its line (for messages)."""
        offset = self.offset(at)
        end = _LINE_END.search(self.original, offset)
        return self.original[offset : end.start() if end else len(self.original)].strip()


def decode_page(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text. A UTF-8 byte order mark is dropped: pages saved on Windows carry one."""
    if len(raw) > MAX_PAGE_BYTES:
        return None, [
            error(Location(path), f"page is {len(raw)} bytes; the limit is {MAX_PAGE_BYTES}")
        ]
    body = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        good = body[: exc.start].decode("utf-8")
        page = flatten(path, good)
        where = page.location(len(page.flat))
        return None, [error(where, f"invalid UTF-8 (byte 0x{body[exc.start]:02x})")]


def flatten(path: str, text: str) -> Page:
    """The flat view of ``text``: each line break with the blanks around it becomes one space."""
    flat: list[str] = []
    pieces: list[tuple[int, int]] = []
    size = 0
    copied_from = 0
    for match in _BREAK.finditer(text):
        run = text[copied_from : match.start()]
        if run:
            pieces.append((size, copied_from))
            flat.append(run)
            size += len(run)
        # The space stands for the break; messages about it point where the line ended.
        pieces.append((size, match.start()))
        flat.append(" ")
        size += 1
        copied_from = match.end()
    pieces.append((size, copied_from))
    flat.append(text[copied_from:])
    line_starts = [0] + [m.end() for m in _LINE_END.finditer(text)]
    return Page(path, text, "".join(flat), tuple(pieces), tuple(line_starts))
