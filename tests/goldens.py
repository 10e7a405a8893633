"""``python -m tests.goldens [CASE...]``: rewrite the expectations of the case directories
(tests/cases, tests/hostile and tests/diff/cases)."""

from __future__ import annotations

import sys

from tests import cases_driver
from tests.diff import cases_driver as diff_cases


def main(names: list[str]) -> int:
    for driver in (cases_driver, diff_cases):
        cases = driver.case_dirs()
        for case in [c for c in cases if c.name in names] if names else cases:
            print(driver.regenerate(case))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
