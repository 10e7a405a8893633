"""The committed seed specs are exactly what ``wirogen import`` makes of the seed pages.

Were a seed spec ever hand-edited on purpose, ``wirogen import --check SPEC PAGE`` would show the
edit; this test would then name the spec in ``HAND_EDITED`` with the reason.
"""

from __future__ import annotations

import pytest

from generator.importer import import_page, write_spec
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.catalogue

SEED_SPECS = {
    "000_31a65c2e63523ae1.txt": "specs/models/wiro/instant-id.yaml",
    "001_8ddcafa1c73a4561.txt": "specs/models/wiro/image-inpainting-sd.yaml",
    "004_5522909650315600.txt": "specs/models/black-forest-labs/flux-pro-1.1.yaml",
}
HAND_EDITED: dict[str, str] = {}


@pytest.mark.parametrize(("page", "spec"), sorted(SEED_SPECS.items()))
def test_seed_spec_is_the_import_of_its_page(page: str, spec: str) -> None:
    imported, problems = import_page(page, (SEEDS / page).read_bytes())
    assert imported is not None, problems
    assert all(p.severity == "warning" for p in problems)
    if spec in HAND_EDITED:
        pytest.skip(f"{spec} is hand-edited on purpose: {HAND_EDITED[spec]}")
    assert write_spec(imported) == (ROOT / spec).read_text(encoding="utf-8"), (
        f"run `wirogen import {SEEDS / page} -o {spec}` and `wirogen generate`"
    )


def test_the_seed_pages_warn_only_about_their_duplicated_scheduler() -> None:
    warned = []
    for page in SEED_SPECS:
        _, problems = import_page(page, (SEEDS / page).read_bytes())
        warned += [p.message for p in problems]
    assert warned == [
        "option 'EulerDiscreteScheduler' of 'scheduler' is listed twice (first at 1:9102); "
        "the repeat is dropped",
        "option 'EulerDiscreteScheduler' of 'scheduler' is listed twice (first at 1:6436); "
        "the repeat is dropped",
    ]
