"""One driver for every case directory in tests/cases and tests/hostile (tests/cases_driver.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cases_driver import case_dirs, error_lines, expected_files, run_case, spec_dependent


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_case(case: Path) -> None:
    result = run_case(case)
    errors = case / "errors.txt"
    if errors.exists():
        assert not result.ok, "expected the specs to be refused"
        assert error_lines(result) == errors.read_text(encoding="utf-8")
        assert result.files == {}, "a refused run must not produce files"
        return
    assert result.ok, error_lines(result)
    got = spec_dependent(result.files)
    want = expected_files(case)
    assert sorted(got) == sorted(want), (
        "generated file list differs; run `make goldens` if intended"
    )
    for path in want:
        assert got[path] == want[path], f"{path} differs; run `make goldens` if intended"
