"""``python -m tests.importer.regen [CASE...]``: rewrite the corpus's expected files.

Review the diff it leaves: the expected files are the importer's specification.
"""

from __future__ import annotations

import sys

from tests.importer.corpus import CASES, case_dirs, regenerate


def main(names: list[str]) -> int:
    for case in [CASES / n for n in names] if names else case_dirs():
        print(regenerate(case))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
