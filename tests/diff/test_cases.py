"""One driver for every diff case directory (tests/diff/cases_driver.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.diff import RULES
from tests.diff.cases_driver import case_dirs, expected, run_case


@pytest.mark.parametrize("case", case_dirs(), ids=lambda p: p.name)
def test_case(case: Path) -> None:
    want = expected(case)
    assert want, "no expectations: run `make goldens`"
    got = run_case(case)
    assert sorted(got) == sorted(want), (
        "a report became errors or back; run `make goldens` if intended"
    )
    for name in want:
        assert got[name] == want[name], (
            f"{case.name}/{name} differs; run `make goldens` if intended"
        )


def test_every_rule_has_a_case_that_reports_it() -> None:
    """A rule is a tested unit: the case named after it shows it firing."""
    for name in RULES:
        cases = [c for c in case_dirs() if c.name == name or c.name.startswith(f"{name}-")]
        assert cases, f"rule {name!r} has no case directory tests/diff/cases/{name}/"
        fired = set()
        for case in cases:
            report = json.loads((case / "report.json").read_text(encoding="utf-8"))
            fired |= {c["rule"] for e in report["entries"] for c in e["changes"]}
        assert name in fired, f"no case of {name!r} reports it"
