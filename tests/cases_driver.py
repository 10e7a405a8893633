"""Case directories: ``tests/cases/<case>/specs/`` in, ``expected/`` files or ``errors.txt`` out.

A case without ``specs/providers/`` uses the repository's providers. ``errors.txt`` holds the exact
diagnostics (``specs/...:line:col: message``, one per line); ``expected/`` holds every file whose
content depends on the specs (the runtime copied verbatim is left out). New coverage is a new
directory; ``make goldens`` (``python -m tests.goldens``) rewrites the expectations.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.emit.client import runtime_files
from generator.load import SourceFile, Sources, read_sources
from generator.pipeline import Result, render_sources
from generator.write import MANIFEST

TESTS = Path(__file__).resolve().parent
CORPORA = (TESTS / "cases", TESTS / "hostile")
"""tests/cases: the spec rules and the seed pages' messy cases; tests/hostile: adversarial specs."""
REPO_SPECS = TESTS.parent / "specs"


def case_dirs() -> list[Path]:
    return sorted(p for root in CORPORA for p in root.iterdir() if (p / "specs").is_dir())


@contextmanager
def _inside(folder: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def run_case(case: Path) -> Result:
    """Render a case's specs with paths shown relative to the case folder."""
    with _inside(case):
        sources = read_sources("specs")
        if not sources.providers:
            providers = tuple(
                SourceFile(f"specs/providers/{p.name}", p.read_bytes())
                for p in sorted((REPO_SPECS / "providers").glob("*.yaml"))
            )
            sources = Sources(providers, sources.models, sources.releases)
        return render_sources(sources)


def spec_dependent(files: dict[str, str]) -> dict[str, str]:
    """The files whose content comes from specs (not the runtime copied as it is)."""
    # The manifest records a fingerprint of the generator itself: not spec-dependent output;
    # neither is the license every package ships.
    static = {path for path, _ in runtime_files()} | {MANIFEST, "python/LICENSE"}
    return {path: text for path, text in files.items() if path not in static}


def error_lines(result: Result) -> str:
    return "".join(f"{d}\n" for d in result.diagnostics)


def expected_files(case: Path) -> dict[str, str]:
    root = case / "expected"
    if not root.is_dir():
        return {}
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def regenerate(case: Path) -> str:
    """Rewrite one case's expectations from the current generator; say what it became."""
    result = run_case(case)
    errors = case / "errors.txt"
    expected = case / "expected"
    if expected.is_dir():
        for p in sorted(expected.rglob("*"), reverse=True):
            p.unlink() if p.is_file() else p.rmdir()
        expected.rmdir()
    if not result.ok:
        errors.write_text(error_lines(result), encoding="utf-8")
        return f"{case.name}: {len(result.diagnostics)} diagnostics"
    if errors.exists():
        errors.unlink()
    for path, text in spec_dependent(result.files).items():
        target = expected / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return f"{case.name}: {len(spec_dependent(result.files))} files"


__all__ = [
    "case_dirs",
    "error_lines",
    "expected_files",
    "read_sources",
    "regenerate",
    "run_case",
    "spec_dependent",
]
