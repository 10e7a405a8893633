"""The runtime as a source tree: it imports on its own, has no import cycle, and ships byte
for byte in every generated package."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.emit.client import PACKAGE, STAND_INS, runtime_files
from tests.conftest import GENERATED, RUNTIME

SOURCE = RUNTIME / PACKAGE


@pytest.mark.catalogue
def test_generated_package_holds_the_runtime_byte_for_byte() -> None:
    shipped = dict(runtime_files())
    assert shipped, "no runtime files found"
    for path, text in shipped.items():
        assert (GENERATED / path).read_bytes() == text.encode(), f"{path} differs from runtime/"
    on_disk = {
        p.relative_to(RUNTIME).as_posix()
        for p in SOURCE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert {f"python/{p}" for p in on_disk - STAND_INS} == set(shipped)


@pytest.mark.catalogue
def test_every_stand_in_is_replaced_by_a_generated_module() -> None:
    for stand_in in sorted(STAND_INS):
        assert (SOURCE.parent / stand_in).read_text().startswith("# Stand-in: "), stand_in
        made = GENERATED / "python" / stand_in
        assert made.is_file(), f"{stand_in} has no generated counterpart"
        assert not made.read_text().startswith("# Stand-in"), stand_in


def test_the_source_tree_imports_on_its_own() -> None:
    """No generated module is needed: the stand-ins let every runtime module import."""
    modules = sorted(
        ".".join(p.relative_to(RUNTIME).with_suffix("").parts).removesuffix(".__init__")
        for p in SOURCE.rglob("*.py")
        if p.name != "__main__.py"
    )
    code = "import importlib, sys\nfor m in sys.argv[1:]: importlib.import_module(m)\n"
    env = {**os.environ, "PYTHONPATH": str(RUNTIME)}
    done = subprocess.run(
        [sys.executable, "-c", code, *modules], env=env, capture_output=True, text=True, cwd="/"
    )
    assert done.returncode == 0, done.stderr


def imports_of(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports, wherever the import statement stands
    (type-checking blocks and functions included)."""
    package = ".".join(path.relative_to(RUNTIME).parent.parts)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            target = f"{base}.{node.module}" if node.module else base
            if node.module is None:
                found.update(f"{base}.{alias.name}" for alias in node.names)
            else:
                found.add(target)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            found.update(n for n in names if n == PACKAGE or n.startswith(f"{PACKAGE}."))
    return found


def test_no_import_cycle() -> None:
    graph: dict[str, set[str]] = {}
    for path in SOURCE.rglob("*.py"):
        name = ".".join(path.relative_to(RUNTIME).with_suffix("").parts).removesuffix(".__init__")
        graph[name] = imports_of(path)
    modules = set(graph)
    for name in graph:
        # A package's __init__ is not part of a cycle through a submodule importing a sibling.
        graph[name] = {m for m in graph[name] if m in modules and m != name}

    cycles: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*trail[trail.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*trail, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_source_tree_passes_ruff_black_and_mypy_strict(tmp_path: Path) -> None:
    """Checked where it is written, at the width black gives every generated module."""
    from tests.support.checks import mypy_strict

    tools = Path(sys.executable).parent
    ruff = subprocess.run(
        [str(tools / "ruff"), "check", "--no-cache", PACKAGE],
        cwd=RUNTIME,
        capture_output=True,
        text=True,
    )
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr
    black = subprocess.run(
        [sys.executable, "-m", "black", "--check", "--quiet", PACKAGE],
        cwd=RUNTIME,
        capture_output=True,
        text=True,
    )
    assert black.returncode == 0, black.stderr
    typed = mypy_strict(RUNTIME, tmp_path / "mypy")
    assert typed.returncode == 0, typed.stdout + typed.stderr
