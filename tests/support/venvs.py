"""Fresh virtual environments, filled by pip as a user's would be, offline after the first run.

The newcomer tests install the generated package and wirogen itself the way a user does: a new
venv, ``pip install <folder>``. Every wheel they need (the build backend, wirogen's
dependencies, the generated package's) is downloaded once into a wheelhouse inside the
project's venv, at the versions that venv has (black and datamodel-code-generator decide the
bytes of generated files); later runs install with ``--no-index`` from there.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import subprocess
import sys
import tomllib
from pathlib import Path

WHEELHOUSE = Path(sys.prefix) / "wheelhouse"


def _requirements(project: Path) -> list[str]:
    """What building and installing wirogen or a generated package needs: the build backend,
    wirogen's dependencies (which hold the generated package's httpx and pydantic), and pip
    for a venv whose own scripts install more (a spec repository's Makefile)."""
    meta = tomllib.loads((project / "pyproject.toml").read_text(encoding="utf-8"))
    return sorted({"pip", *meta["build-system"]["requires"], *meta["project"]["dependencies"]})


def _constraints() -> list[str]:
    """Every distribution of this environment at its version (wirogen, installed editable,
    aside)."""
    pins = {
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in importlib.metadata.distributions()
        if dist.metadata["Name"] and dist.metadata["Name"].lower() != "wirogen"
    }
    return sorted(pins)


def wheelhouse(project: Path) -> Path:
    """The wheelhouse, downloaded when it does not hold what ``project`` needs yet."""
    requirements, constraints = _requirements(project), _constraints()
    key = hashlib.sha256("\n".join([*requirements, "--", *constraints]).encode()).hexdigest()
    stamp = WHEELHOUSE / ".complete"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == key:
        return WHEELHOUSE
    WHEELHOUSE.mkdir(exist_ok=True)
    pins = WHEELHOUSE / "constraints.txt"
    pins.write_text("\n".join(constraints) + "\n", encoding="utf-8")
    done = subprocess.run(
        [
            *(sys.executable, "-m", "pip", "download", "--quiet", "--only-binary=:all:"),
            *("--dest", str(WHEELHOUSE), "--constraint", str(pins), *requirements),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, f"could not fill {WHEELHOUSE}:\n{done.stderr}"
    stamp.write_text(key, encoding="utf-8")
    return WHEELHOUSE


def fresh_venv(folder: Path, project: Path, *, with_pip: bool = False) -> Path:
    """A new venv (no system site-packages); its python. This project's pip installs into it
    (:func:`pip_install`); ``with_pip`` gives it pip of its own, from the wheelhouse (seconds
    faster than ``ensurepip``)."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True, timeout=120
    )
    python = folder / "bin" / "python"
    if with_pip:
        pip_install(python, project, "pip")
    return python


def offline_env(project: Path) -> dict[str, str]:
    """Environment under which any ``pip install`` (a Makefile's too) takes only local wheels."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PIP_NO_INDEX"] = "1"
    env["PIP_FIND_LINKS"] = str(wheelhouse(project))
    env["PIP_NO_COMPILE"] = "1"  # bytecode is written on first import anyway; saves seconds
    return env


def pip_install(python: Path, project: Path, *args: str) -> None:
    """``pip install ARGS`` into the venv of ``python``, from the wheelhouse only."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", *args],
        env=offline_env(project),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr
