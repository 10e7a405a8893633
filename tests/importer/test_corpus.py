"""One driver for every page in tests/importer/cases (see tests/importer/corpus.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.importer.corpus import case_dirs, expected, run_case

REGEN = "run `python -m tests.importer.regen {}` if the change is intended"


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_page_imports_as_expected(case: Path) -> None:
    got, want = run_case(case), expected(case)
    hint = REGEN.format(case.name)
    assert got.stderr == want.stderr, f"diagnostics differ; {hint}"
    if want.spec is None:
        assert got.spec is None, f"the page was expected to be refused; {hint}"
        errors = [line for line in got.stderr.splitlines() if ": warning: " not in line]
        assert errors, "a refused page must say why"
    else:
        assert got.spec == want.spec, f"the spec differs; {hint}"
