"""``wirogen diff``: what callers of the generated client see change between two states of the
specs, every change classified (breaking, compatible, wire-only) by a named rule.

``surface`` reads what callers see out of the intermediate model; ``rules`` are the named
units; ``compare`` matches models and inputs and runs the rules (two catalogues in, a report
out); ``render`` writes the report as text, JSON or Markdown; ``sources`` and ``command`` are
the edges (folders, git, the CLI).
"""

from .change import Change, Entry, Kind, Report
from .compare import diff_catalogues
from .render import FORMATS, VersionNote, to_json, to_markdown, to_text
from .rules import RULES

__all__ = [
    "FORMATS",
    "RULES",
    "Change",
    "Entry",
    "Kind",
    "Report",
    "VersionNote",
    "diff_catalogues",
    "to_json",
    "to_markdown",
    "to_text",
]
