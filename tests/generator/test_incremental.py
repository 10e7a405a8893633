"""Incremental generation gives the bytes of a cold run, and reuses exactly what is unchanged.

Every test renders twice: cold (no previous output) and incrementally (with what the last run
left on disk), and holds the second to the first, byte for byte.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from pathlib import Path

import pytest

from bench.synth import write_catalogue
from generator import cli, pipeline
from generator.load import read_sources
from generator.pipeline import Previous, Result, render_sources
from generator.write import MANIFEST, read_previous, write_output
from tests.conftest import ROOT

SYNTHETIC = 5


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    """The repository's specs plus a few synthetic ones (long shared selects, every type)."""
    folder = tmp_path / "specs"
    write_catalogue(SYNTHETIC, folder, seed=7)
    shutil.copytree(ROOT / "specs" / "models", folder / "models", dirs_exist_ok=True)
    return folder


def cold(specs: Path) -> Mapping[str, str]:
    result = render_sources(read_sources(specs))
    assert result.ok, result.diagnostics
    return result.files


def again(specs: Path, out: Path) -> Result:
    last = read_previous(out)
    assert last is not None
    result = render_sources(read_sources(specs), Previous(*last))
    assert result.ok, result.diagnostics
    return result


def generate(specs: Path, out: Path) -> None:
    assert cli.main(["generate", "--specs", str(specs), "--out", str(out)]) == 0


def on_disk(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def model_count(specs: Path) -> int:
    return len(read_sources(specs).models)


def own_files(files: Mapping[str, str], stem: str) -> set[str]:
    return {p for p in files if stem in p}


@pytest.mark.catalogue
def test_nothing_changed_reuses_every_model_and_gives_the_cold_bytes(
    specs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    result = again(specs, out)
    assert result.reused == model_count(specs)
    assert dict(result.files) == dict(cold(specs))
    assert {p for p in result.files if p != MANIFEST} <= result.verbatim


def test_a_fresh_clone_is_reused_on_content_alone(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    clone = tmp_path / "clone"
    for path, data in on_disk(out).items():  # new files, new times: only the bytes are the same
        (clone / path).parent.mkdir(parents=True, exist_ok=True)
        (clone / path).write_bytes(data)
    assert again(specs, clone).reused == model_count(specs)


def test_one_changed_spec_rebuilds_that_model_only(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    before = on_disk(out)
    spec = specs / "models" / "wiro" / "instant-id.yaml"
    spec.write_text(
        spec.read_text().replace("InstantID is a method", "InstantID, a method"), "utf-8"
    )
    result = again(specs, out)
    assert result.reused == model_count(specs) - 1
    assert dict(result.files) == dict(cold(specs))
    changed = {p for p, text in result.files.items() if before.get(p) != text.encode()}
    # The model's own schema, pages and Tool/Detail answer, the listings that quote its
    # description, the manifest.
    assert changed == {
        "schemas/wiro/instant-id.json",
        "python/wiro_client/testing/tools/wiro/instant-id.json",
        "docs/wiro/instant-id.md",
        "python/wiro_client/resources/wiro/instant_id.py",
        "python/wiro_client/resources/wiro/__init__.pyi",
        "docs/index.md",
        "python/wiro_client/_listing.py",
        MANIFEST,
    }


def test_a_changed_generator_or_template_rebuilds_everything(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    monkeypatch.setattr(pipeline, "_tool_fingerprint", lambda: "another generator")
    result = again(specs, out)
    assert result.reused == 0
    assert {p: t for p, t in result.files.items() if p != MANIFEST} == {
        p: t for p, t in cold(specs).items() if p != MANIFEST
    }


def test_the_fingerprint_covers_templates_code_schemas_providers_and_libraries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = read_sources(ROOT / "specs")
    base = pipeline.fingerprint(sources.providers)
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "python" / "owner.py.j2").write_text("# changed\n", "utf-8")
    monkeypatch.setattr(pipeline, "templates_dir", lambda: templates)
    pipeline._tool_fingerprint.cache_clear()
    try:
        assert pipeline.fingerprint(sources.providers) != base
    finally:
        monkeypatch.undo()
        pipeline._tool_fingerprint.cache_clear()
    assert pipeline.fingerprint(sources.providers) == base
    other_provider = [type(p)(p.path, p.data + b"\n# edited\n", p.name) for p in sources.providers]
    assert pipeline.fingerprint(other_provider) != base
    real = pipeline.installed_versions
    monkeypatch.setattr(
        pipeline, "installed_versions", lambda names: {**real(names), "black": "0.0"}
    )
    pipeline._tool_fingerprint.cache_clear()
    try:
        assert pipeline.fingerprint(sources.providers) != base
    finally:
        monkeypatch.undo()
        pipeline._tool_fingerprint.cache_clear()


def test_tool_caches_beside_the_runtime_leave_the_fingerprint_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make lint` runs mypy and ruff inside runtime/: their caches are not the runtime."""
    sources = read_sources(ROOT / "specs")
    base = pipeline.fingerprint(sources.providers)
    runtime = tmp_path / "runtime"
    shutil.copytree(ROOT / "runtime", runtime, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    for cache in (".mypy_cache/3.11", ".ruff_cache/0.17.5"):
        (runtime / cache).mkdir(parents=True)
        (runtime / cache / "cache.db").write_bytes(b"whatever the tool wrote")
    monkeypatch.setattr(pipeline, "runtime_dir", lambda: runtime)
    pipeline._tool_fingerprint.cache_clear()
    try:
        assert pipeline.fingerprint(sources.providers) == base
        (runtime / "wiro_client" / "_constants.py").write_text("# changed\n", "utf-8")
        pipeline._tool_fingerprint.cache_clear()
        assert pipeline.fingerprint(sources.providers) != base
    finally:
        monkeypatch.undo()
        pipeline._tool_fingerprint.cache_clear()


def test_installed_versions_agree_with_importlib_metadata() -> None:
    import importlib.metadata

    found = pipeline.installed_versions(pipeline.OUTPUT_LIBRARIES)
    assert found == {n: importlib.metadata.version(n) for n in pipeline.OUTPUT_LIBRARIES}


def test_a_hand_edited_generated_file_is_rendered_again(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    edited = out / "python" / "wiro_client" / "types" / "wiro" / "instant_id.py"
    edited.write_text("# edited by hand\n", "utf-8")
    (out / "docs" / "index.md").unlink()
    result = again(specs, out)
    assert result.reused == model_count(specs) - 1
    assert dict(result.files) == dict(cold(specs))
    generate(specs, out)
    assert edited.read_text("utf-8") == cold(specs)["python/wiro_client/types/wiro/instant_id.py"]


def test_a_reformatted_manifest_is_put_right(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text("utf-8").replace("\n", "\n "), "utf-8")
    assert dict(again(specs, out).files) == dict(cold(specs))
    assert cli.main(["check", "--specs", str(specs), "--out", str(out)]) == 1


def test_a_deleted_spec_removes_its_files_and_nothing_else(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    (specs / "models" / "wiro" / "instant-id.yaml").unlink()
    result = again(specs, out)
    assert dict(result.files) == dict(cold(specs))
    assert result.reused == model_count(specs)
    generate(specs, out)
    assert not own_files(on_disk(out), "instant")  # type: ignore[arg-type]
    assert (out / "python" / "wiro_client" / "types" / "wiro" / "image_inpainting_sd.py").exists()


def test_a_bad_spec_still_writes_nothing(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    before = on_disk(out)
    spec = specs / "models" / "wiro" / "instant-id.yaml"
    spec.write_text(spec.read_text().replace("default: 20", "default: twenty"), "utf-8")
    assert cli.main(["generate", "--specs", str(specs), "--out", str(out)]) == 2
    assert on_disk(out) == before


def test_a_new_spec_clashing_with_a_reused_one_is_reported_where_both_stand(
    specs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    original = specs / "models" / "wiro" / "instant-id.yaml"
    copy = specs / "models" / "wiro" / "instant-id-copy.yaml"
    copy.write_bytes(original.read_bytes())
    last = read_previous(out)
    assert last is not None
    incremental = render_sources(read_sources(specs), Previous(*last))
    fresh = render_sources(read_sources(specs))
    assert not incremental.ok
    assert [str(d) for d in incremental.diagnostics] == [str(d) for d in fresh.diagnostics]


def test_a_new_name_clashing_with_a_reused_endpoint_names_both_places(
    specs: Path, tmp_path: Path
) -> None:
    """The reused spec is not parsed again: where its endpoint stands comes from the manifest."""
    out = tmp_path / "out"
    generate(specs, out)
    original = specs / "models" / "wiro" / "instant-id.yaml"
    copy = specs / "models" / "wiro" / "instant-id-v2.yaml"
    copy.write_text(
        original.read_text("utf-8").replace("endpoint: wiro/instant-id", "endpoint: wiro/id-v2"),
        "utf-8",
    )
    last = read_previous(out)
    assert last is not None
    incremental = render_sources(read_sources(specs), Previous(*last))
    assert [str(d) for d in incremental.diagnostics] == [
        f"{original}:4:11: endpoint 'wiro/instant-id' is also the name of {copy}:3:7 "
        "(wiro/instant-id): names and endpoints share one namespace, so client.run() could not "
        "tell the two models apart"
    ]
    assert [str(d) for d in render_sources(read_sources(specs)).diagnostics] == [
        str(d) for d in incremental.diagnostics
    ]


def test_worker_processes_give_the_same_bytes(specs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = render_sources(read_sources(specs), jobs=1)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 2)
    parallel = render_sources(read_sources(specs), jobs=2)
    assert dict(parallel.files) == dict(serial.files)
    assert parallel.diagnostics == serial.diagnostics


@pytest.mark.catalogue
def test_written_output_matches_what_check_expects(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_output(out, cold(specs))
    assert cli.main(["check", "--specs", str(specs), "--out", str(out)]) == 0


def test_an_edit_that_leaves_the_inputs_alone_reuses_the_input_models(
    specs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    spec = specs / "models" / "wiro" / "instant-id.yaml"
    spec.write_text(spec.read_text().replace("InstantID is", "InstantID, is"), "utf-8")
    import generator.emit.units as units

    def no_codegen(model: object) -> str:
        raise AssertionError("datamodel-code-generator ran for an unchanged input model")

    monkeypatch.setattr(units, "input_model_source", no_codegen)
    result = again(specs, out)
    monkeypatch.undo()
    assert dict(result.files) == dict(cold(specs))


def test_an_edit_to_an_input_renders_the_input_models_again(specs: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    generate(specs, out)
    spec = specs / "models" / "wiro" / "instant-id.yaml"
    spec.write_text(spec.read_text().replace("default: 20", "default: 25"), "utf-8")
    result = again(specs, out)
    types = "python/wiro_client/types/wiro/instant_id.py"
    assert "25" in result.files[types]
    assert dict(result.files) == dict(cold(specs))
