"""Stage 0 (the other way round): a Wiro model documentation page becomes a spec file.

``page bytes -> Page (flat view, locations) -> RawPage (fields as written) -> Spec (rules) ->
YAML text (writer)``; each step is a pure function, and every problem is a located diagnostic
(``page:line:col: message``) rather than an exception. :mod:`.check` runs the produced spec
through the generator's own validation before anything is written.
"""

from __future__ import annotations

from ..diagnostics import Diagnostic
from .page import decode_page, flatten
from .parse import parse_page
from .rules import Report, build_spec
from .spec import Spec
from .writer import write_spec

__all__ = ["Spec", "import_any", "import_page", "write_spec"]


def import_any(path: str, raw: bytes) -> tuple[Spec | None, list[Diagnostic]]:
    """A Tool/Detail answer (JSON) or a model page, whichever ``raw`` is."""
    from .tool import import_tool, is_tool_answer

    if is_tool_answer(raw):
        return import_tool(path, raw)
    return import_page(path, raw)


def import_page(path: str, raw: bytes) -> tuple[Spec | None, list[Diagnostic]]:
    """The spec of the page in ``raw`` (shown as ``path`` in messages), and what was noticed.

    The spec is None when there are errors; warnings come with a spec.
    """
    text, problems = decode_page(path, raw)
    if text is None:
        return None, problems
    page = flatten(path, text)
    parsed, problems = parse_page(page)
    if parsed is None:
        return None, problems
    report = Report(page)
    report.problems += problems
    spec = build_spec(parsed, report)
    return (None if report.failed else spec), report.problems
