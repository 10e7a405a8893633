"""The committed generated/ is what generation produces, byte for byte, and it is good output:
deterministic, black-stable, type-checked, lint-clean, importable without the generator."""

from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

import jsonschema
import pytest

from generator.emit.format import format_generated
from generator.load import read_sources
from generator.pipeline import render_sources
from generator.write import with_manifest
from tests.conftest import GENERATED, ROOT
from tests.support.checks import mypy_strict, round_trip, ruff_check

PACKAGE = GENERATED / "python"


@cache
def rendered() -> dict[str, str]:
    result = render_sources(read_sources(ROOT / "specs"))
    assert result.ok, result.diagnostics
    return with_manifest(result.files)


def committed() -> dict[str, str]:
    return {
        p.relative_to(GENERATED).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(GENERATED.rglob("*"))
        if p.is_file()
        and "__pycache__" not in p.parts
        and not p.name.endswith(".pyc")
        and ".mypy_cache" not in p.parts
        and ".ruff_cache" not in p.parts
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
    proc = ruff_check(PACKAGE)
    assert proc.returncode == 0, proc.stdout + proc.stderr


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
