"""The committed generated/ is what generation produces, byte for byte, and it is good output:
deterministic, black-stable, type-checked, lint-clean, importable without the generator."""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from wiro_client._catalogue import ENDPOINTS

from generator import cli
from generator.emit.format import format_generated
from generator.load import read_sources
from generator.pipeline import render_sources
from generator.write import owned_paths, with_manifest
from tests.conftest import GENERATED, ROOT
from tests.support.checks import mypy_strict, round_trip, ruff_check

pytestmark = pytest.mark.catalogue

PACKAGE = GENERATED / "python"


@cache
def rendered() -> dict[str, str]:
    result = render_sources(read_sources(ROOT / "specs"))
    assert result.ok, result.diagnostics
    return with_manifest(result.files)


def committed(folder: Path = GENERATED) -> dict[str, str]:
    """The files of ``folder`` that generation answers for, as ``wirogen check`` sees them
    (what it writes and what its manifest lists): a user's files there are not looked at."""
    return {
        path: (folder / path).read_text(encoding="utf-8")
        for path in owned_paths(folder, rendered())
        if (folder / path).is_file()
    }


def test_committed_output_is_exactly_what_generation_produces() -> None:
    assert committed() == rendered(), (
        "generated/ drifted from specs/ and templates/: run `make generate`"
    )


def test_same_specs_same_bytes_whatever_the_hash_seed() -> None:
    code = (
        "import hashlib, json, sys\n"
        "from generator.load import read_sources\n"
        "from generator.pipeline import render_sources\n"
        "files = dict(render_sources(read_sources('specs')).files)\n"
        "print(hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest())\n"
    )
    digests = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        out = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        digests.add(out.stdout.strip())
    assert len(digests) == 1


@pytest.mark.parametrize("path", sorted(p for p in rendered() if p.endswith((".py", ".pyi"))))
def test_generated_python_is_black_stable(path: str) -> None:
    source = rendered()[path]
    assert format_generated(path, source) == source


@pytest.mark.parametrize("path", sorted(p for p in rendered() if p.startswith("schemas/")))
def test_schemas_are_valid_and_accept_their_examples_and_defaults(path: str) -> None:
    schema = json.loads(rendered()[path])
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for example in schema.get("examples", []):
        # Examples may leave out required inputs (a page's example shows what it varies).
        errors = [e for e in validator.iter_errors(example) if e.validator != "required"]
        assert errors == []
    defaults = {
        name: prop["default"] for name, prop in schema["properties"].items() if "default" in prop
    }
    required = {name: "https://example.com/x.png" for name in schema.get("required", [])}
    assert list(validator.iter_errors({**defaults, **required})) == []


def _code_blocks(markdown: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", markdown, flags=re.S | re.M)


@pytest.mark.parametrize("path", sorted(p for p in rendered() if p.startswith("docs/")))
def test_docs_examples_compile_and_tables_are_well_formed(path: str) -> None:
    markdown = rendered()[path]
    for block in _code_blocks(markdown, "python"):
        ast.parse(block)
    in_table, columns = False, 0
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line)) - 1
            if not in_table:
                in_table, columns = True, cells
            assert cells == columns, f"{path}: {line!r} has {cells} cells, the table has {columns}"
        else:
            in_table = False


def test_generated_package_passes_mypy_strict() -> None:
    proc = mypy_strict(PACKAGE, ROOT / ".mypy_cache" / "generated")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_generated_package_passes_ruff() -> None:
    proc = ruff_check(PACKAGE, *python_files(GENERATED))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def python_files(folder: Path) -> list[str]:
    """The package's Python files generation answers for (a user's script beside them is not
    generated code), relative to the package folder."""
    return [
        p.removeprefix("python/")
        for p in committed(folder)
        if p.startswith("python/") and p.endswith((".py", ".pyi"))
    ]


def test_a_users_files_under_generated_break_neither_check_nor_these_tests(
    tmp_path: Path,
) -> None:
    """The quick start run from generated/python downloads out/0.png there; git ignores it,
    and so do `wirogen check` and the committed-output test, alike."""
    out = tmp_path / "generated"
    shutil.copytree(GENERATED, out, ignore=shutil.ignore_patterns("__pycache__", ".*_cache"))
    (out / "python" / "out").mkdir(exist_ok=True)
    (out / "python" / "out" / "0.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    (out / "python" / "try_it.py").write_text("import os\n", "utf-8")  # unused import: F401
    (out / "NOTES.md").write_text("my notes\n", "utf-8")
    check = ["check", "--specs", str(ROOT / "specs"), "--out", str(out)]
    assert cli.main(check) == 0
    assert committed(out) == rendered()
    assert "try_it.py" not in python_files(out)
    # What generation owns is still held to what it writes, by both.
    (out / "docs" / "index.md").write_text("edited by hand\n", "utf-8")
    assert cli.main(check) == 1
    assert committed(out) != rendered()
    assert (out / "python" / "out" / "0.png").exists() and (out / "NOTES.md").exists()


BLOCKED = (
    "generator",
    "jinja2",
    "yaml",
    "black",
    "datamodel_code_generator",
    "jsonschema",
    "hypothesis",
    "pytest",
    "websockets",  # the optional socket extra: without it tasks are polled
    "click",  # the `cli` extra's: only wiro_client.cli needs them
    "rich",
)


def test_generated_package_imports_with_only_httpx_and_pydantic() -> None:
    code = f"""
import importlib, pkgutil, sys
sys.path.insert(0, {str(PACKAGE)!r})

BLOCKED = {BLOCKED!r}

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{{name}} must not be needed by the generated package")
        return None

sys.meta_path.insert(0, Block())
import wiro_client
for module in pkgutil.walk_packages(wiro_client.__path__, "wiro_client."):
    if module.name.startswith(("wiro_client.cli", "wiro_client.__main__")):
        continue  # the command line: an extra, with dependencies of its own
    importlib.import_module(module.name)
print(sorted({{m.split(".")[0] for m in sys.modules}} & set(BLOCKED)))
"""
    proc = subprocess.run(
        [sys.executable, "-I", "-c", code],
        cwd=PACKAGE,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_without_the_socket_extra_tasks_are_polled_and_the_client_says_so_once() -> None:
    code = f"""
import logging, sys
sys.path.insert(0, {str(PACKAGE)!r})

class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "websockets":
            raise ImportError("not installed")
        return None

sys.meta_path.insert(0, Block())
seen = []
handler = logging.Handler()
handler.emit = lambda record: seen.append(record.getMessage())
logging.getLogger("wiro_client").addHandler(handler)
logging.getLogger("wiro_client").setLevel(logging.DEBUG)
from wiro_client import Wiro
from wiro_client.testing import FakeWiro
with FakeWiro() as fake:
    assert fake.socket_url == ""
    with Wiro(api_key=fake.api_key, api_secret=fake.api_secret, base_url=fake.url,
              clock=fake.clock) as client:
        for _ in range(2):
            task = client.run("wiro/instant-id", {{"inputImageUrl": "https://x/y.png"}})
            assert task.wait().succeeded
print(sum("websockets package is not installed" in m for m in seen), fake.calls("detail") > 4)
"""
    proc = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=PACKAGE, capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["1", "True"]


def test_client_models_keep_their_static_types(tmp_path: Path) -> None:
    """The namespaces load models lazily, yet mypy still knows every model and flags typos."""
    usage = tmp_path / "usage.py"
    usage.write_text(
        "from wiro_client.resources import Models\n"
        "from wiro_client.resources.wiro.instant_id import InstantId\n"
        "def use(models: Models) -> None:\n"
        "    model: InstantId = models.wiro.instant_id\n"
        "    models.wiro.instnt_id\n",
        "utf-8",
    )
    proc = mypy_strict(
        PACKAGE,
        ROOT / ".mypy_cache" / "generated",
        str(usage),
        env={**os.environ, "MYPYPATH": str(PACKAGE)},
    )
    assert proc.returncode == 1, proc.stdout
    assert proc.stdout.count(": error:") == 1, proc.stdout
    assert 'has no attribute "instnt_id"; maybe "instant_id"?' in proc.stdout


def test_every_default_and_option_round_trips_through_the_generated_models() -> None:
    proc = round_trip(PACKAGE)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr


def test_the_package_metadata_is_complete_and_names_only_files_it_ships() -> None:
    """`pip install generated/python` needs every file the metadata names (a missing README
    failed it), and an index page needs the rest."""
    files = rendered()
    project = tomllib.loads(files["python/pyproject.toml"])["project"]
    assert f"python/{project['readme']}" in files
    assert all(f"python/{name}" in files for name in project["license-files"])
    assert files["python/LICENSE"] == (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert project["license"] == "MIT" and project["description"].startswith("Typed Python client")
    assert "Typing :: Typed" in project["classifiers"] and "python/wiro_client/py.typed" in files
    assert project["urls"] and project["dynamic"] == ["version"]
    version_file = tomllib.loads(files["python/pyproject.toml"])["tool"]["hatch"]["version"]
    assert re.search(
        r'^__version__ = "\d+\.\d+\.\d+"$', files[f"python/{version_file['path']}"], re.M
    )


def test_the_package_readme_lists_every_model_and_its_code_compiles() -> None:
    readme = rendered()["python/README.md"]
    for block in _code_blocks(readme, "python"):
        ast.parse(block)
    for module in ENDPOINTS.values():
        owner, slug = module.split(".")[-2:]
        assert f"`client.models.{owner}.{slug}`" in readme
