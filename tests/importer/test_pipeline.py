"""Every spec the corpus imports goes through the whole generator: validate, normalize, emit.

The imported specs are rendered together as one catalogue with the repository's providers (one
render keeps this fast), so each corpus page must run at an endpoint of its own.
"""

from __future__ import annotations

from generator.load import SourceFile, Sources
from generator.pipeline import render_sources
from tests.importer.corpus import SPEC, case_dirs, providers


def test_every_imported_corpus_spec_generates_without_errors() -> None:
    specs = tuple(
        SourceFile(f"{case.name}/{SPEC}", (case / SPEC).read_bytes())
        for case in case_dirs()
        if (case / SPEC).exists()
    )
    assert len(specs) >= 20, "the corpus lost its importable pages"
    result = render_sources(Sources(providers=providers(), models=specs))
    assert result.ok, "\n".join(str(d) for d in result.diagnostics)
    pages = [p for p in result.files if p.startswith("docs/") and p != "docs/index.md"]
    assert len(pages) == len(specs), "every imported spec documents one model"
