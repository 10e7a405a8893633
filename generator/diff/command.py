"""``wirogen diff``: the report of what callers see change between two states of the specs.

Exit codes: 0 reported; 1 ``--fail-on`` found what it names; 2 a spec (either side) or the
version history is wrong, or git could not read the base.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..diagnostics import Diagnostic, errors_only
from .render import FORMATS

if TYPE_CHECKING:
    from ..load import Sources
    from ..release import History
    from .change import Bump, Report
    from .render import VersionNote

EXIT_OK, EXIT_FAIL_ON, EXIT_SPEC = 0, 1, 2
FAIL_ON = ("breaking", "wire-only", "compatible", "any", "unrecorded")


DESCRIPTION = (
    "Report, per model, every change to what callers of the generated client see between two "
    "states of the specs, each classified (breaking, compatible or wire-only) by a named rule "
    "and explained in one line: as text, JSON, or Markdown for a pull request comment. "
    "Compares --specs with itself at a git revision (--base, default HEAD), or two specs "
    "folders. The report also says which version it makes (major on a breaking change, minor "
    "on an addition, patch otherwise) and whether releases.yaml records it; --record writes "
    "it there, and `wirogen generate` then writes the package version and CHANGELOG.md."
)
EXAMPLES = """\
examples:
  wirogen diff                      what the working tree changes since HEAD
  wirogen diff --base main --record  record the release, then `wirogen generate`
  wirogen diff --base origin/main --format markdown --fail-on breaking,unrecorded
  wirogen diff old-specs/ specs/    two folders, no git
  wirogen diff --rules              every rule and how it classifies"""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    diff = commands.add_parser(
        "diff",
        help="classify every change callers see between two states of the specs",
        description=textwrap.fill(DESCRIPTION, 78),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument(
        "folders", nargs="*", metavar="OLD_DIR NEW_DIR", help="two specs folders, instead of --base"
    )
    diff.add_argument(
        "--base", metavar="REF", help="git revision to compare --specs with (default: HEAD)"
    )
    diff.add_argument("--specs", default="specs", help="specs folder (default: specs)")
    diff.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="text (default), json, or markdown for a pull request comment",
    )
    diff.add_argument(
        "--fail-on",
        metavar="WHAT",
        action="append",
        default=[],
        help=(
            "exit 1 when the report has a change of this kind (breaking, wire-only, compatible, "
            "any) or its release is not recorded (unrecorded); repeat or separate with commas"
        ),
    )
    diff.add_argument(
        "--record",
        action="store_true",
        help="write the report's release into releases.yaml of the new specs (then generate)",
    )
    diff.add_argument(
        "--bump",
        choices=("major", "minor", "patch"),
        help="with --record: bump the version at least this much, and record a release even "
        "with no change in the report (for the runtime or a template: write its notes)",
    )
    diff.add_argument("--rules", action="store_true", help="list the rules and exit")
    diff.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from .rules import RULES

    if args.rules:
        for rule in RULES.values():
            print(f"{rule.name}: {rule.about}")
        return EXIT_OK
    fail_on = _fail_on(args.fail_on)
    if fail_on is None:
        return EXIT_SPEC
    from ..load import read_sources
    from .sources import GitError, revision

    if args.bump and not args.record:
        print("wirogen: --bump goes with --record", file=sys.stderr)
        return EXIT_SPEC
    if args.folders and (len(args.folders) != 2 or args.base):
        print("wirogen: diff takes --base REF or two folders, OLD_DIR NEW_DIR", file=sys.stderr)
        return EXIT_SPEC
    for name in args.folders or [args.specs]:
        if not Path(name).is_dir():
            print(f"wirogen: {name}: no such specs folder", file=sys.stderr)
            return EXIT_SPEC
    try:
        if args.folders:
            old, new = read_sources(args.folders[0]), read_sources(args.folders[1])
            target = Path(args.folders[1])
            how = f"wirogen diff {args.folders[0]} {args.folders[1]} --record"
        else:
            base = args.base or "HEAD"
            new = read_sources(args.specs)
            old = revision(args.specs, base, new)
            target = Path(args.specs)
            how = f"wirogen diff --base {base} --record"
    except GitError as exc:
        print(f"wirogen: {exc}", file=sys.stderr)
        return EXIT_SPEC
    found = outcome(old, new, recording=args.record, bump=args.bump)
    if isinstance(found, list):
        _report(found)
        return EXIT_SPEC
    path = target / "releases.yaml"
    if args.record:
        _write_history(path, found.expected, found.current)
        found = replace(found, current=found.expected)
    note = found.note(path.as_posix(), how)
    from .render import RENDERERS

    sys.stdout.write(RENDERERS[args.format](found.report, note))
    if args.record and found.expected.version != found.base.version:
        print(
            f"wirogen: recorded {found.expected.version} in {path}; now run `wirogen generate`",
            file=sys.stderr,
        )
    return _verdict(found.report, note, fail_on)


@dataclass(frozen=True)
class Outcome:
    """A report and what it means for the version history."""

    report: Report
    base: History
    """The base's history."""
    expected: History
    """The base's history with the report's release: what ``--record`` writes."""
    current: History | None
    """The new specs' history (None when it cannot be read and is about to be replaced)."""

    def note(self, file: str, how: str) -> VersionNote:
        from .render import VersionNote

        released = self.expected.version != self.base.version
        return VersionNote(
            base=str(self.base.version),
            next=str(self.expected.version) if released else None,
            bump=self.expected.version.bump_from(self.base.version) if released else None,
            recorded=self.current is not None and self.current.same_releases(self.expected),
            file=file,
            how=how,
        )


def outcome(
    old: Sources, new: Sources, recording: bool = False, bump: Bump | None = None
) -> Outcome | list[Diagnostic]:
    """The report between two sets of spec files and their histories, or the problems that
    stop it. A new history that cannot be read is no problem when ``recording`` replaces it
    (a merge can leave conflict markers in it); ``bump`` is the least the release is bumped
    by (``--bump``)."""
    from ..release import read_history
    from .compare import diff_catalogues
    from .sources import catalogue, differing

    changed_old, changed_new = differing(old, new)
    old_catalogue, old_problems = catalogue(changed_old)
    new_catalogue, new_problems = catalogue(changed_new)
    base, base_problems = read_history(old.releases)
    current, current_problems = read_history(new.releases)
    problems = errors_only([*old_problems, *new_problems, *base_problems])
    if not recording:
        problems += current_problems
    if old_catalogue is None or new_catalogue is None or base is None or problems:
        return problems
    report = diff_catalogues(old_catalogue, new_catalogue)
    return Outcome(report, base, base.record(report, bump).keeping(current, base), current)


def _write_history(path: Path, expected: History, current: History | None) -> None:
    from ..release import History, render_history

    if current == expected and (path.exists() or expected == History()):
        return  # nothing to write (and no file needed for the default history)
    path.write_text(render_history(expected), encoding="utf-8", newline="\n")


def _fail_on(values: list[str]) -> set[str] | None:
    wanted = {v.strip() for value in values for v in value.split(",") if v.strip()}
    unknown = sorted(wanted - set(FAIL_ON))
    if unknown:
        print(
            f"wirogen: --fail-on {unknown[0]!r} is not one of: {', '.join(FAIL_ON)}",
            file=sys.stderr,
        )
        return None
    return wanted


def _verdict(report: Report, note: VersionNote, fail_on: set[str]) -> int:
    from .change import Kind

    reasons = []
    for kind in Kind:
        count = report.count(kind)
        if count and (kind.value in fail_on or "any" in fail_on):
            reasons.append(f"{count} {kind.value} change{'s' if count != 1 else ''}")
    if "unrecorded" in fail_on and not note.recorded:
        reasons.append(f"the release is not recorded in {note.file} (run `{note.how}`)")
    if reasons:
        print(f"wirogen: {'; '.join(reasons)} (--fail-on)", file=sys.stderr)
        return EXIT_FAIL_ON
    return EXIT_OK


def _report(diagnostics: list[Diagnostic]) -> None:
    from ..cli import report

    report(diagnostics)
