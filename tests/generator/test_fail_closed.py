"""When an emitter cannot produce valid output, the run refuses with the spec's location:
no traceback, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.cli import main
from generator.emit import client as client_emitter
from generator.emit import types
from tests.conftest import ROOT


@pytest.mark.catalogue
def test_a_datamodel_code_generator_failure_names_the_spec(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(model: object, header: str) -> object:
        raise RuntimeError("cannot handle this schema")

    monkeypatch.setattr(types, "_generate", broken)
    assert main(["generate", "--specs", str(ROOT / "specs"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert (
        "specs/models/black-forest-labs/flux-pro-1.1.yaml:1:1: datamodel-code-generator could not build"
        in err
    )
    assert "Traceback" not in err and not (tmp_path / "out").exists()


@pytest.mark.catalogue
def test_generated_code_that_is_not_python_names_the_spec(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = client_emitter.render

    def render(template: str, **context: object) -> str:
        text = real(template, **context)
        return text + "\ndef (\n" if template == "python/resource.py.j2" else text

    monkeypatch.setattr(client_emitter, "render", render)
    assert main(["generate", "--specs", str(ROOT / "specs"), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert (
        "specs/models/black-forest-labs/flux-pro-1.1.yaml:1:1: python/wiro_client/resources/" in err
    )
    assert "not valid Python" in err and not (tmp_path / "out").exists()
