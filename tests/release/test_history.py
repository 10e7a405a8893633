"""The version history: versions bump by the report, the file reads back as written, and the
changelog keeps every release's lines on their lines whatever their text holds."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from generator.diff.change import Change, Entry, Kind, Report
from generator.load import SourceFile
from generator.release import (
    History,
    RecordedChange,
    Release,
    Version,
    read_history,
    render_history,
)
from generator.release.changelog import changelog, version_module

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


def report(*changes: tuple[Kind, bool]) -> Report:
    found = tuple(Change("rule", kind, "text", addition=added) for kind, added in changes)
    return Report((Entry("model", "acme/painter", "client.models.acme.painter", found),))


def test_major_on_breaking_minor_on_an_addition_patch_otherwise_nothing_when_empty() -> None:
    base = History((Release(Version(1, 4, 2)),))
    assert base.record(report((Kind.COMPATIBLE, True), (Kind.BREAKING, False))).version == Version(
        2, 0, 0
    )
    assert base.record(report((Kind.COMPATIBLE, True), (Kind.WIRE_ONLY, False))).version == Version(
        1, 5, 0
    )
    assert base.record(
        report((Kind.WIRE_ONLY, False), (Kind.COMPATIBLE, False))
    ).version == Version(1, 4, 3)
    assert base.record(report()) is base
    assert History().version == Version(0, 1, 0)


def test_recording_again_keeps_notes_a_raised_version_and_a_release_of_no_change() -> None:
    base = History()
    minor = base.record(report((Kind.COMPATIBLE, True)))
    noted = History((*minor.releases[:-1], replace(minor.latest, notes="Why.")))
    assert base.record(report((Kind.COMPATIBLE, True))).keeping(noted, base).latest.notes == "Why."
    # The branch became breaking: a new version, whose notes are not the old one's.
    major = base.record(report((Kind.BREAKING, False))).keeping(noted, base)
    assert major.version == Version(1, 0, 0) and major.latest.notes is None
    # A version raised by hand stays; one lowered by hand does not.
    raised = History((*minor.releases[:-1], replace(minor.latest, version=Version(1, 0, 0))))
    assert base.record(report((Kind.COMPATIBLE, True))).keeping(raised, base).version == Version(
        1, 0, 0
    )
    lowered = History((*minor.releases[:-1], replace(minor.latest, version=Version(0, 1, 1))))
    assert base.record(report((Kind.COMPATIBLE, True))).keeping(lowered, base).version == Version(
        0, 2, 0
    )
    # A release cut for what the report cannot see (`--record --bump patch`) stays when the
    # report is still empty.
    cut = base.record(report(), at_least="patch")
    assert cut.version == Version(0, 1, 1) and cut.latest.changes == ()
    assert base.record(report()).keeping(cut, base).same_releases(cut)
    assert base.record(report((Kind.COMPATIBLE, True)), at_least="major").version == Version(
        1, 0, 0
    )


changes = st.builds(
    RecordedChange,
    subject=TEXT,
    kind=st.sampled_from(["breaking", "compatible", "wire-only"]),
    rule=TEXT,
    text=TEXT,
    addition=st.booleans(),
)


@st.composite
def histories(draw: st.DrawFn) -> History:
    releases, version = [], Version(0, draw(st.integers(0, 3)), 0)
    for _ in range(draw(st.integers(1, 4))):
        releases.append(
            Release(version, tuple(draw(st.lists(changes, max_size=3))), draw(st.none() | TEXT))
        )
        version = version.bumped(draw(st.sampled_from(["major", "minor", "patch"])))
    return History(tuple(releases))


@given(history=histories())
def test_the_file_reads_back_as_written_and_the_changelog_keeps_its_lines(history: History) -> None:
    text = render_history(history)
    back, problems = read_history(
        SourceFile("specs/releases.yaml", text.encode(), "specs/releases.yaml")
    )
    assert problems == [] and back == history
    assert render_history(back) == text
    log = changelog(history)
    for release in history.releases:
        assert f"\n## {release.version}\n" in log
        for change in release.changes:
            assert sum(1 for line in log.splitlines() if line.startswith("- ")) >= 1
            assert "\n" not in " ".join(change.text.split())
    bullets = [line for line in log.splitlines() if line.startswith("- ")]
    assert len(bullets) == sum(len(r.changes) for r in history.releases)
    assert version_module(history).endswith(f'__version__ = "{history.version}"\n')
