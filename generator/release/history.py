"""The version history of the generated package: ``specs/releases.yaml``.

It is an input like the specs, committed beside them, so ``wirogen generate`` stays a function
of committed files: the package's version and ``CHANGELOG.md`` are written from it. Only
``wirogen diff --record`` adds to it: one release for the changes since the base, its version
the base's bumped by what the report found (major on a breaking change, minor on an
addition, patch otherwise). No file means one release, 0.1.0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic, error

if TYPE_CHECKING:
    from ..diff.change import Bump, Report
    from ..load import Document, SourceFile

RELEASES = "releases.yaml"
"""The history's file name in the specs folder."""

_VERSION = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")

HEADER = """\
# yaml-language-server: $schema=schema/releases.schema.json
# Version history of the generated package, oldest first. `wirogen diff --base REF --record`
# writes the last release (the changes since REF): write its `notes`, or raise its version;
# `--bump` cuts a release the report cannot see. `wirogen generate` writes
# generated/python/CHANGELOG.md and the package version from this file.
"""


@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int
    patch: int

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}.{self.patch}"

    @classmethod
    def parse(cls, text: str) -> Version | None:
        m = _VERSION.match(text)
        return cls(*(int(g) for g in m.groups())) if m else None

    def bump_from(self, earlier: Version) -> Bump:
        """How this version moved on from ``earlier``."""
        if self.major != earlier.major:
            return "major"
        return "minor" if self.minor != earlier.minor else "patch"

    def bumped(self, bump: Bump) -> Version:
        if bump == "major":
            return Version(self.major + 1, 0, 0)
        if bump == "minor":
            return Version(self.major, self.minor + 1, 0)
        return Version(self.major, self.minor, self.patch + 1)


@dataclass(frozen=True)
class RecordedChange:
    """One line of a report, as the history keeps it."""

    subject: str
    """The model's endpoint, or ``provider <name>``."""
    kind: str
    rule: str
    text: str
    """Markdown inline text: prose, spec values as code spans."""
    addition: bool = False


@dataclass(frozen=True)
class Release:
    version: Version
    changes: tuple[RecordedChange, ...] = ()
    notes: str | None = None
    """The maintainer's words, Markdown; kept when the release is recorded again."""


FIRST = Release(Version(0, 1, 0), notes="First release.")


@dataclass(frozen=True)
class History:
    releases: tuple[Release, ...] = (FIRST,)
    """Oldest first; never empty."""

    @property
    def latest(self) -> Release:
        return self.releases[-1]

    @property
    def version(self) -> Version:
        return self.latest.version

    def record(self, report: Report, at_least: Bump | None = None) -> History:
        """This history (the base's) and one release for ``report``'s changes, its version
        bumped by the report or by ``at_least`` when that is more (a release for what the
        report cannot see: the runtime, a template); itself when there is nothing to release."""
        bump = _larger(report.bump, at_least)
        if bump is None:
            return self
        changes = tuple(
            RecordedChange(
                subject=e.name if e.subject == "model" else f"provider {e.name}",
                kind=c.kind.value,
                rule=c.rule,
                text=c.line,
                addition=c.addition,
            )
            for e in report.entries
            for c in e.changes
        )
        return History((*self.releases, Release(self.version.bumped(bump), changes)))

    def same_releases(self, other: History) -> bool:
        """The same versions with the same changes, whatever their notes say."""
        return [(r.version, r.changes) for r in self.releases] == [
            (r.version, r.changes) for r in other.releases
        ]

    def keeping(self, current: History | None, base: History) -> History:
        """This history (``base`` and the release recording makes) with what a maintainer wrote
        in ``current`` kept: the notes of every release, the new release's version raised by
        hand (while its changes are the report's), and a release of no change (cut for what the
        report cannot see)."""
        if current is None:
            return self
        count = len(base.releases)
        releases = list(self.releases)
        theirs = current.releases[count] if len(current.releases) == count + 1 else None
        if theirs is not None and History(current.releases[:count]).same_releases(base):
            mine = releases[-1]
            if len(releases) == count + 1 and theirs.changes == mine.changes:
                releases[-1] = replace(mine, version=max(mine.version, theirs.version))
            elif len(releases) == count and not theirs.changes:
                releases.append(theirs)
        notes = {r.version: r.notes for r in current.releases}
        return History(tuple(replace(r, notes=notes.get(r.version, r.notes)) for r in releases))


_BUMPS: tuple[Bump, ...] = ("patch", "minor", "major")


def _larger(a: Bump | None, b: Bump | None) -> Bump | None:
    found = [x for x in (a, b) if x is not None]
    return max(found, key=_BUMPS.index) if found else None


def read_history(source: SourceFile | None) -> tuple[History | None, list[Diagnostic]]:
    """The history in ``source`` (the default one when there is no file), or its problems."""
    if source is None:
        return History(), []
    from ..pipeline import load_document

    doc, problems = load_document(source, "releases")
    if doc is None:
        return None, problems
    return _history(doc)


def _history(doc: Document) -> tuple[History | None, list[Diagnostic]]:
    problems: list[Diagnostic] = []
    releases: list[Release] = []
    for i, raw in enumerate(doc.data["releases"]):
        at = ("releases", i, "version")
        text = doc.text_at(at) or str(raw["version"])
        version = Version.parse(text)
        if version is None:
            problems.append(
                error(doc.at(at), f"version {text!r} must be MAJOR.MINOR.PATCH, such as 1.2.0")
            )
            continue
        if releases and version <= releases[-1].version:
            problems.append(
                error(
                    doc.at(at),
                    f"version {version} must be above {releases[-1].version}, the release before it",
                )
            )
        changes = tuple(
            RecordedChange(
                str(c["subject"]),
                c["kind"],
                str(c["rule"]),
                str(c["text"]),
                c.get("addition", False),
            )
            for c in raw.get("changes", [])
        )
        notes = raw.get("notes")
        releases.append(Release(version, changes, None if notes is None else str(notes)))
    if problems:
        return None, problems
    return History(tuple(releases)), []


def render_history(history: History) -> str:
    """The file's text: deterministic, and read back as ``history``."""
    import yaml

    data: list[dict[str, Any]] = []
    for release in history.releases:
        item: dict[str, Any] = {"version": str(release.version)}
        if release.notes is not None:
            item["notes"] = release.notes
        if release.changes:
            item["changes"] = [_change(c) for c in release.changes]
        data.append(item)
    body = yaml.safe_dump(
        {"releases": data},
        sort_keys=False,
        # Escaped, not raw: PyYAML writes U+0085 and U+2028 as they are, and reads them back
        # as line breaks.
        allow_unicode=False,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body


def _change(change: RecordedChange) -> dict[str, Any]:
    item: dict[str, Any] = {
        "subject": change.subject,
        "kind": change.kind,
        "rule": change.rule,
        "text": change.text,
    }
    if change.addition:
        item["addition"] = True
    return item
