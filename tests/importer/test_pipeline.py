"""Every spec the corpus imports goes through the whole generator: validate, normalize, emit; the
client package generated from them all imports in a clean interpreter, and every imported model
runs to the end against FakeWiro (page -> import -> generate -> a working client, no hand edit).

The imported specs are rendered together as one catalogue with the repository's providers (one
render keeps this fast), so each corpus page must run at an endpoint of its own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from generator.load import SourceFile, Sources
from generator.pipeline import render_sources
from tests.importer.corpus import SPEC, case_dirs, providers

IMPORT_ALL = """
import importlib, pkgutil, wiro_client
names = [m.name for m in pkgutil.walk_packages(wiro_client.__path__, "wiro_client.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""

# Each imported model, run through the generated client against FakeWiro with sample inputs.
RUN_ALL = """
from wiro_client import _catalogue
from wiro_client.testing import FakeWiro
from wiro_client.testing.__main__ import sample_inputs
ran = 0
with FakeWiro() as fake, fake.client() as client:
    for endpoint in _catalogue.ENDPOINTS:
        spec = _catalogue.model_spec(endpoint)
        result = client.run(endpoint, sample_inputs(spec)).wait(timeout=60)
        assert result.succeeded and result.outputs, (endpoint, result.status)
        ran += 1
print(ran)
"""


def test_every_imported_corpus_spec_generates_a_client_that_imports(tmp_path: Path) -> None:
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

    for path, text in result.files.items():
        target = tmp_path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "python")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 2 * len(specs)

    ran = subprocess.run(
        [sys.executable, "-c", RUN_ALL],
        env={**os.environ, "PYTHONPATH": str(tmp_path / "python")},
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    assert int(ran.stdout) == len(specs)
