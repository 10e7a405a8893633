"""The page corpus: ``tests/importer/cases/<case>/page.txt`` in; ``expected.yaml`` (the spec, when
the page imports) and ``expected.stderr`` (every warning and error, ``page.txt:line:col: ...``,
when there are any) out.

A case is a directory; adding one is adding a directory with a ``page.txt`` and running
``python -m tests.importer.regen [CASE...]``, then reading the expected files it wrote. The test
driver only compares: it never writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generator.diagnostics import errors_only
from generator.importer import import_page, write_spec
from generator.importer.check import validate
from generator.load import SourceFile, read_sources
from tests.conftest import ROOT

CASES = Path(__file__).resolve().parent / "cases"
PAGE, SPEC, STDERR = "page.txt", "expected.yaml", "expected.stderr"


@dataclass(frozen=True)
class Outcome:
    spec: str | None
    """The spec text, or None when the page is refused."""
    stderr: str


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / PAGE).is_file())


@cache
def providers() -> tuple[SourceFile, ...]:
    return read_sources(ROOT / "specs").providers


def run_case(case: Path) -> Outcome:
    """What ``wirogen import page.txt -o expected.yaml`` prints and writes, run in-process."""
    spec, problems = import_page(PAGE, (case / PAGE).read_bytes())
    text = None
    if spec is not None:
        text = write_spec(spec)
        problems = problems + validate(spec, text, SPEC, providers())
        if errors_only(problems):
            text = None
    return Outcome(text, "".join(f"{d}\n" for d in problems))


def expected(case: Path) -> Outcome:
    spec, stderr = case / SPEC, case / STDERR
    return Outcome(
        spec.read_text(encoding="utf-8") if spec.exists() else None,
        stderr.read_text(encoding="utf-8") if stderr.exists() else "",
    )


def regenerate(case: Path) -> str:
    """Rewrite a case's expected files from what the importer does now."""
    outcome = run_case(case)
    for name, text in ((SPEC, outcome.spec), (STDERR, outcome.stderr or None)):
        path = case / name
        if text is None:
            path.unlink(missing_ok=True)
        else:
            path.write_text(text, encoding="utf-8", newline="\n")
    refused = "refused" if outcome.spec is None else "imported"
    lines = outcome.stderr.count("\n")
    return f"{case.name}: {refused}, {lines} diagnostic{'s' if lines != 1 else ''}"
