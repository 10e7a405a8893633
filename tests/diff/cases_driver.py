"""Diff case directories: ``tests/diff/cases/<case>/old/`` and ``new/`` are two specs folders;
``report.txt``, ``report.json`` and ``report.md`` are what ``wirogen diff old new`` prints in
each format, or ``errors.txt`` the problems that stop it.

A folder without ``providers/`` uses the repository's; a missing folder is a specs folder with no
model (git keeps no empty folder: ``model-added`` has no ``old/``, ``model-removed`` no ``new/``). A case is named after the rule it pins
(``<rule>`` or ``<rule>-<variant>``); scenarios have other names. ``make goldens`` rewrites the
expectations.
"""

from __future__ import annotations

from pathlib import Path

from generator.diff import to_json, to_markdown, to_text
from generator.diff.command import outcome
from generator.load import SourceFile, Sources, read_sources
from tests.cases_driver import _inside

CASES = Path(__file__).resolve().parent / "cases"
REPO_PROVIDERS = Path(__file__).resolve().parents[2] / "specs" / "providers"
OUTPUTS = ("report.txt", "report.json", "report.md", "errors.txt")
HOW = "wirogen diff old new --record"


def case_dirs() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "old").is_dir() or (p / "new").is_dir())


def specs(folder: str) -> Sources:
    sources = read_sources(folder) if Path(folder).is_dir() else Sources((), ())
    if sources.providers:
        return sources
    providers = tuple(
        SourceFile(f"{folder}/providers/{p.name}", p.read_bytes(), f"specs/providers/{p.name}")
        for p in sorted(REPO_PROVIDERS.glob("*.yaml"))
    )
    return Sources(providers, sources.models, sources.releases)


def run_case(case: Path) -> dict[str, str]:
    """What the case's report is, by file name."""
    with _inside(case):
        found = outcome(specs("old"), specs("new"))
    if isinstance(found, list):
        return {"errors.txt": "".join(f"{d}\n" for d in found)}
    note = found.note("new/releases.yaml", HOW)
    return {
        "report.txt": to_text(found.report, note),
        "report.json": to_json(found.report, note),
        "report.md": to_markdown(found.report, note),
    }


def expected(case: Path) -> dict[str, str]:
    return {
        name: (case / name).read_text(encoding="utf-8")
        for name in OUTPUTS
        if (case / name).is_file()
    }


def regenerate(case: Path) -> str:
    made = run_case(case)
    for name in OUTPUTS:
        path = case / name
        if name in made:
            path.write_text(made[name], encoding="utf-8", newline="\n")
        elif path.exists():
            path.unlink()
    return f"diff/{case.name}: {', '.join(sorted(made))}"
