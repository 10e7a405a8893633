"""A report as text (terminal), JSON (tools) and Markdown (a pull request comment). Pure."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .change import Bump, Entry, Kind, Report
from .say import code, plural

FORMATS = ("text", "json", "markdown")
JSON_FORMAT = "wirogen-diff/1"


@dataclass(frozen=True)
class VersionNote:
    """What the report means for the package's version, and whether the history says so."""

    base: str
    """The base's version."""
    next: str | None
    """The version the report makes (None: nothing changed)."""
    bump: Bump | None
    recorded: bool
    """Whether the history file already holds that release (or, with no change, the base's)."""
    file: str
    """The history file, as the reader knows it (``specs/releases.yaml``)."""
    how: str
    """The command that records the release."""

    def sentence(self) -> str:
        if self.next is None:
            state = (
                ""
                if self.recorded
                else f"; {code(self.file)} differs from the base's: run {code(self.how)}"
            )
            return f"Version {self.base}, nothing to record{state}."
        state = (
            f"recorded in {code(self.file)}"
            if self.recorded
            else f"not recorded yet: run {code(self.how)}, then {code('wirogen generate')}"
        )
        return f"Version {self.base} -> {self.next} ({self.bump}), {state}."


def summary(report: Report) -> str:
    changes = list(report.changes())
    if not changes:
        return "No changes callers can see."
    models = sum(1 for e in report.entries if e.subject == "model")
    providers = len(report.entries) - models
    where = [plural(n, w) for n, w in ((models, "model"), (providers, "provider")) if n]
    counts = ", ".join(f"{report.count(k)} {k.value}" for k in Kind)
    return f"{plural(len(changes), 'change')} to {' and '.join(where)}: {counts}."


# --- Text ----------------------------------------------------------------------------------------


def to_text(report: Report, version: VersionNote | None = None) -> str:
    lines: list[str] = []
    width = max((len(c.rule) for c in report.changes()), default=0)
    for entry in report.entries:
        lines.append(f"{_title(entry)}  {entry.python}")
        for c in entry.changes:
            lines.append(f"  {c.kind.value:<10}  {c.rule:<{width}}  {c.line}")
        lines.append("")
    lines.append(summary(report))
    if version is not None:
        lines.append(version.sentence())
    return "\n".join(lines) + "\n"


def _title(entry: Entry) -> str:
    return entry.name if entry.subject == "model" else f"provider {entry.name}"


# --- JSON ----------------------------------------------------------------------------------------


def to_json(report: Report, version: VersionNote | None = None) -> str:
    data: dict[str, Any] = {
        "format": JSON_FORMAT,
        "summary": {
            **{k.value: report.count(k) for k in Kind},
            "bump": report.bump,
        },
    }
    if version is not None:
        data["version"] = {
            "base": version.base,
            "next": version.next,
            "recorded": version.recorded,
            "file": version.file,
        }
    data["entries"] = [
        {
            "subject": e.subject,
            "name": e.name,
            "python": e.python,
            "changes": [
                {
                    "kind": c.kind.value,
                    "rule": c.rule,
                    "input": c.input,
                    "addition": c.addition,
                    "text": c.line,
                }
                for c in e.changes
            ],
        }
        for e in report.entries
    ]
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# --- Markdown ------------------------------------------------------------------------------------


def to_markdown(report: Report, version: VersionNote | None = None) -> str:
    breaking = report.count(Kind.BREAKING)
    title = f"{plural(breaking, 'breaking change')}" if breaking else "no breaking change"
    lines = [f"### Spec changes: {title}" if list(report.changes()) else "### Spec changes", ""]
    lines.append(summary(report) + (f" {version.sentence()}" if version else ""))
    for entry in report.entries:
        lines += [
            "",
            f"#### {_md_title(entry)}",
            "",
            "| kind | change | rule |",
            "| --- | --- | --- |",
        ]
        for c in entry.changes:
            kind = f"**{c.kind.value}**" if c.kind is Kind.BREAKING else c.kind.value
            lines.append(f"| {kind} | {_cell(c.line)} | {code(c.rule)} |")
    return "\n".join(lines) + "\n"


def _md_title(entry: Entry) -> str:
    name = code(entry.name)
    return f"{name} ({code(entry.python)})" if entry.subject == "model" else f"provider {name}"


def _cell(text: str) -> str:
    """Text for a table cell: GitHub reads ``|`` as a column break even inside code spans."""
    return text.replace("|", "\\|")


RENDERERS = {"text": to_text, "json": to_json, "markdown": to_markdown}
