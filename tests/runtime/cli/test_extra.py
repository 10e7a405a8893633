"""The CLI is an optional extra: the library itself still needs only httpx and pydantic."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import tomllib

from .conftest import PACKAGE, environment

BLOCK_CLI_LIBRARIES = """
import importlib.abc, sys

class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("click", "rich"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None

sys.meta_path.insert(0, NotInstalled())
"""

ALLOWED = {
    # httpx and what it needs
    "httpx", "httpcore", "h11", "anyio", "sniffio", "certifi", "idna",
    # pydantic and what it needs
    "pydantic", "pydantic_core", "typing_extensions", "annotated_types", "typing_inspection",
    "wiro_client",
    # the optional socket extra, installed in the development environment
    "websockets",
}  # fmt: skip


def test_the_package_declares_only_httpx_and_pydantic_and_the_cli_as_an_extra() -> None:
    project = tomllib.loads((PACKAGE / "pyproject.toml").read_text())["project"]
    assert [d.split(">")[0] for d in project["dependencies"]] == ["httpx", "pydantic"]
    assert [d.split(">")[0] for d in project["optional-dependencies"]["cli"]] == ["click", "rich"]
    assert [d.split(">")[0] for d in project["optional-dependencies"]["socket"]] == ["websockets"]
    assert project["scripts"] == {"wiro": "wiro_client.cli:main"}


def test_without_click_and_rich_the_library_works_and_the_cli_says_what_to_install(
    tmp_path: object,
) -> None:
    script = BLOCK_CLI_LIBRARIES + textwrap.dedent(
        f"""
        import os, sys, tempfile
        from wiro_client.testing import FakeWiro

        with FakeWiro() as fake, fake.client(journal=os.path.join(tempfile.mkdtemp(), "j")) as client:
            task = client.run("wiro/instant-id", {{"inputImageUrl": "https://x/a.png"}}, key="a")
            assert task.wait().succeeded

        third_party = {{
            name.split(".")[0]
            for name, module in sys.modules.items()
            if module is not None
            and name.split(".")[0] not in sys.stdlib_module_names
            and not name.startswith("_")  # the interpreter's own: __main__, _sysconfigdata...
        }}
        assert third_party <= {ALLOWED!r}, third_party - {ALLOWED!r}
        assert "wiro_client.cli" not in sys.modules

        from wiro_client.cli import main
        sys.exit(main(["models", "list"]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment(None),
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip() == (
        "wiro: the command line needs click and rich, the package's 'cli' extra: "
        "pip install 'wiro-client[cli]'"
    )


def test_importing_the_package_loads_neither_the_cli_nor_a_journal() -> None:
    code = (
        "import sys, wiro_client; "
        "print(sorted(m for m in ('wiro_client.cli', 'sqlite3') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=environment(None)
    )
    assert done.stdout.strip() == "[]", done.stderr
