"""Import the runtime from its source tree, with a generated catalogue over its stand-ins."""

from __future__ import annotations

import atexit
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

from generator.emit.client import PACKAGE, STAND_INS

CATALOGUE = (
    "_providers.py",
    "_catalogue.py",
    "_listing.py",
    "_version.py",
    "resources",
    "types",
    "testing/tools",
)
"""What a generated package adds to the runtime: its stand-ins' real versions, the models, and
FakeWiro's Tool/Detail answers (found beside ``_catalogue``)."""


def import_runtime(runtime: Path, generated: Path) -> None:
    """Make ``import wiro_client`` load the runtime's source modules from ``runtime``, and the
    modules that only generation makes (providers, catalogue, model clients, input models)
    from the package in ``generated``.

    The package's search path lists a folder holding just those modules first, then the
    source tree: a stand-in is found only when the catalogue lacks its module.
    """
    if PACKAGE in sys.modules:
        return
    overlay = Path(tempfile.mkdtemp(prefix="wirogen-catalogue-")) / PACKAGE
    atexit.register(shutil.rmtree, overlay.parent, True)
    overlay.mkdir()
    made = generated / PACKAGE
    for name in CATALOGUE:
        source = made / name
        if source.is_dir():
            target = overlay / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            shutil.copy2(source, overlay / name)
    assert {s.removeprefix(f"{PACKAGE}/").split("/")[0] for s in STAND_INS} <= set(CATALOGUE)
    source_tree = runtime / PACKAGE
    spec = importlib.util.spec_from_file_location(
        PACKAGE,
        source_tree / "__init__.py",
        submodule_search_locations=[str(overlay), str(source_tree)],
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[PACKAGE] = module
    try:
        spec.loader.exec_module(module)
    except BaseException:
        del sys.modules[PACKAGE]
        raise
