"""A page's ``## `` sections: which are read, which are skipped, and where each one's text lies.

Headings are recognised by their words, case-insensitively, wherever a word starts (a flattened
page has them mid-line). Any other ``## `` heading that starts a line of a multi-line page is an
unknown section: skipped with a warning. On a flattened page an unknown heading cannot be told
from text, so it stays part of the section before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from ..diagnostics import Diagnostic, error, warning
from .page import Page


class SectionKind(StrEnum):
    INFO = "info"
    INPUTS = "inputs"
    EXAMPLES = "examples"
    RUN = "run"
    SKIPPED = "skipped"
    """Known sections the spec needs nothing from (auth recipe, task detail, statuses...)."""
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    heading_at: int
    start: int
    """Flat index where the section's text starts (after its heading)."""
    end: int


_KNOWN = re.compile(
    r"(?<!\S)##[ \t]+(?:"
    r"(?P<info>basic[ \t]+(?:tool|model)[ \t]+info)"
    r"|(?P<inputs>(?:tool|model)[ \t]+inputs:?)"
    r"|(?P<examples>(?:tool|model)[ \t]+parameter[ \t]+inspires:?)"
    r"|(?P<run>run[ \t]+command)"
    r"|(?P<skipped>integration[ \t]+header[ \t]+prepare|get[ \t]+task[ \t]+detail"
    r"|kill[ \t]+task|cancel[ \t]+task|task[ \t]+status[ \t]+information)"
    r")(?=\s|$)",
    re.IGNORECASE,
)
_ANY = re.compile(r"(?<!\S)##[ \t]+\S")


def find_sections(page: Page) -> tuple[list[Section], list[Diagnostic]]:
    """Every section in page order; a warning for text before the first and for unknown ones."""
    flat = page.flat
    heads: dict[int, tuple[SectionKind, int]] = {}
    for match in _KNOWN.finditer(flat):
        kind = SectionKind(next(k for k, v in match.groupdict().items() if v is not None))
        heads[match.start()] = (kind, match.end())
    for match in _ANY.finditer(flat):
        if match.start() not in heads and page.begins_line(match.start()):
            line_end = match.start() + len(page.rest_of_line(match.start()))
            heads[match.start()] = (SectionKind.UNKNOWN, line_end)
    problems: list[Diagnostic] = []
    starts = sorted(heads)
    if not starts:
        return [], problems
    preamble = flat[: starts[0]]
    if preamble.strip():
        lead = len(preamble) - len(preamble.lstrip())
        problems.append(
            warning(page.location(lead), "text before the first section is not read; ignored")
        )
    sections: list[Section] = []
    for i, at in enumerate(starts):
        kind, content = heads[at]
        end = starts[i + 1] if i + 1 < len(starts) else len(flat)
        sections.append(Section(kind, at, content, end))
        if kind is SectionKind.UNKNOWN:
            problems.append(
                warning(
                    page.location(at),
                    f"unknown section {page.rest_of_line(at)!r}; the importer does not read it",
                )
            )
    return sections, problems


def single(
    page: Page, sections: list[Section], kind: SectionKind, title: str
) -> tuple[Section | None, list[Diagnostic]]:
    """The one section of ``kind``; a second one is an error (which would be the truth?)."""
    found = [s for s in sections if s.kind is kind]
    if len(found) > 1:
        first = page.location(found[0].heading_at)
        return None, [
            error(
                page.location(found[1].heading_at),
                f"a second {title} section (the first is at {first.line}:{first.col}); keep one",
            )
        ]
    return (found[0] if found else None), []
