"""Generation and the version history: a new release re-renders the version and the changelog,
nothing else, and gives the bytes of a cold run; a run with nothing changed keeps them."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator import cli
from generator.load import read_sources
from generator.pipeline import Previous, render_sources
from generator.release.changelog import CHANGELOG, VERSION_MODULE
from generator.write import MANIFEST, read_previous
from tests.conftest import ROOT

NEW_RELEASE = """\
- version: 0.1.1
  changes:
  - subject: wiro/instant-id
    kind: compatible
    rule: model-docs
    text: 'docs changed: description'
"""


def render_again(specs: Path, out: Path) -> tuple[dict[str, str], int, set[str]]:
    last = read_previous(out)
    assert last is not None
    result = render_sources(read_sources(specs), Previous(*last))
    assert result.ok, result.diagnostics
    rendered = {p for p in result.files if p not in result.verbatim}
    return dict(result.files), result.reused, rendered


def test_a_new_release_renders_the_version_and_the_changelog_only(tmp_path: Path) -> None:
    specs, out = tmp_path / "specs", tmp_path / "out"
    shutil.copytree(ROOT / "specs", specs)
    assert cli.main(["generate", "--specs", str(specs), "--out", str(out)]) == 0
    models = len(read_sources(specs).models)

    history = specs / "releases.yaml"
    history.write_text(history.read_text(encoding="utf-8") + NEW_RELEASE, encoding="utf-8")
    files, reused, rendered = render_again(specs, out)
    assert reused == models
    assert rendered == {CHANGELOG, VERSION_MODULE, MANIFEST}
    assert '__version__ = "0.1.1"' in files[VERSION_MODULE]
    cold = render_sources(read_sources(specs))
    assert {p: t for p, t in files.items() if p != MANIFEST} == {
        p: t for p, t in cold.files.items() if p != MANIFEST
    }

    assert cli.main(["generate", "--specs", str(specs), "--out", str(out)]) == 0
    _, reused, rendered = render_again(specs, out)
    assert reused == models and rendered <= {MANIFEST}

    history.write_text("releases: [{version: 0.1.0}, {version: 0.0.1}]\n", encoding="utf-8")
    assert cli.main(["generate", "--specs", str(specs), "--out", str(out)]) == 2
    assert '__version__ = "0.1.1"' in (out / VERSION_MODULE).read_text(encoding="utf-8")
