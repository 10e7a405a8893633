"""``python -m tests.goldens [CASE...]``: rewrite the expectations of the case directories."""

from __future__ import annotations

import sys

from tests.cases_driver import case_dirs, regenerate


def main(names: list[str]) -> int:
    cases = [c for c in case_dirs() if c.name in names] if names else case_dirs()
    for case in cases:
        print(regenerate(case))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
