"""The first hour of a new user, end to end (issue 10): every path a newcomer takes works, inside
this repository and outside it.

1. In a copy of the repository: ``pip install generated/python`` into a fresh venv and run the
   README's quick start from another folder; import a seed page as a new model (``--endpoint``,
   and ``--name`` since names and endpoints share one namespace); generate; call the new model;
   then ``wirogen check`` and every test marked ``catalogue`` (those that read the committed
   specs or generated/ as a whole) pass on the result.
2. Outside it: wirogen installed by pip into a fresh venv; ``wirogen import`` in an empty folder;
   ``wirogen init``; import, generate, and the new repository's own Makefile (``check``,
   ``package``, ``demo``, what its CI runs) with wirogen pinned, then the new model called.

Installs are offline after the first run (tests/support/venvs.py).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

from tests.conftest import ROOT, SEEDS, SHARED
from tests.support.venvs import fresh_venv, offline_env, pip_install
from tests.test_readme import code_block, section

INPAINTING = SEEDS / "001_8ddcafa1c73a4561.txt"
NEW = ["--endpoint", "wiro/image-inpainting-sd-v2", "--name", "wiro/image-inpainting-sd-v2"]

# A newcomer's own script: the new model, by its typed client, against FakeWiro.
CALL_THE_NEW_MODEL = textwrap.dedent(
    """
    from wiro_client.testing import FakeWiro

    with FakeWiro() as fake, fake.client() as client:
        task = client.models.wiro.image_inpainting_sd_v2.run(
            input_image_url="https://example.com/room.png",
            input_image_mask_url="https://example.com/mask.png",
            prompt="a window with a view of the sea",
        )
        result = task.wait(timeout=600)
        (run,) = fake.requests_to("run")
        print(run.path, result.status, result.outputs[0].download("out/"))
    """
)

IGNORED = shutil.ignore_patterns(".git", ".venv", "__pycache__", ".*_cache", ".hypothesis", ".work")
MYPY_CACHE = Path(".mypy_cache") / "generated"
"""mypy's cache of the generated package, taken along: mypy then checks what changed only."""


def _run(args: list[str | Path], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_inside_the_repository(tmp_path: Path) -> None:
    # A checkout of its own, beside the shared seeds as the repository is.
    repo = tmp_path / "wirogen"
    shutil.copytree(ROOT, repo, ignore=IGNORED, symlinks=True)
    if (ROOT / MYPY_CACHE).is_dir():
        shutil.copytree(ROOT / MYPY_CACHE, repo / MYPY_CACHE)
    (tmp_path / "shared").symlink_to(SHARED)
    wirogen = [sys.executable, "-m", "generator"]

    python = fresh_venv(tmp_path / "venv", ROOT)
    pip_install(python, ROOT, str(repo / "generated" / "python"))
    mine = tmp_path / "my-app"
    mine.mkdir()
    quick_start = code_block(section("quickstart"), "python")
    status, saved = _run([python, "-c", quick_start], mine, _clean_env()).splitlines()[-2:]
    assert status.startswith("task_postprocess_end") and (mine / saved).stat().st_size > 0
    versions = "import importlib.metadata as m, wiro_client as w\n" + (
        "print(m.version('wiro-client'), w.__version__)"
    )
    installed, runtime = _run([python, "-c", versions], mine, _clean_env()).split()
    assert installed == runtime  # the metadata reads wiro_client.__version__
    # Run as the README once said, from generated/python: its download must break nothing.
    _run([python, "-c", quick_start], repo / "generated" / "python", _clean_env())
    assert (repo / "generated" / "python" / "out" / "0.png").is_file()

    # A copy of a committed model under a new endpoint: the page's name would clash.
    spec = repo / "specs" / "models" / "wiro" / "image-inpainting-sd-v2.yaml"
    clash = subprocess.run(
        [*wirogen, "import", str(INPAINTING), "-o", str(spec), "--endpoint", NEW[1]],
        cwd=repo,
        capture_output=True,
        text=True,
    )
    assert clash.returncode == 2 and not spec.exists()
    assert "name 'wiro/image-inpainting-sd' is also the endpoint of" in clash.stderr
    _run([*wirogen, "import", INPAINTING, "-o", spec, *NEW], repo)
    _run([*wirogen, "generate"], repo)

    pip_install(python, ROOT, "--force-reinstall", "--no-deps", str(repo / "generated" / "python"))
    called = _run([python, "-c", CALL_THE_NEW_MODEL], mine, _clean_env())
    assert called.split()[:2] == ["/v1/Run/wiro/image-inpainting-sd-v2", "task_postprocess_end"]

    assert "is up to date" in _run([*wirogen, "check"], repo)
    marked = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "catalogue"]
    assert " passed" in _run(marked, repo, _clean_env())  # none failed: _run wants exit 0


def test_outside_the_repository(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    env = offline_env(ROOT)
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT],
        tmp_path,
        env,
    )
    (wheel,) = dist.glob("wirogen-*.whl")
    shipped = zipfile.ZipFile(wheel).namelist()
    for data in ("providers/wiro.yaml", "schema/model.schema.json", "LICENSE"):
        assert f"generator/_data/{data}" in shipped, data
    python = fresh_venv(tmp_path / "venv", ROOT, with_pip=True)
    pip_install(python, ROOT, str(wheel))
    wirogen = python.parent / "wirogen"

    # An empty folder: import works against the provider specs the wheel ships.
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    _run([wirogen, "import", INPAINTING, "-o", "inpainting.yaml"], scratch, env)
    assert "endpoint: wiro/image-inpainting-sd" in (scratch / "inpainting.yaml").read_text("utf-8")

    # A spec repository of its own, with wirogen pinned.
    _run([wirogen, "init", "model-specs"], tmp_path, env)
    repo = tmp_path / "model-specs"
    spec = repo / "specs" / "models" / "wiro" / "image-inpainting-sd-v2.yaml"
    _run([wirogen, "import", INPAINTING, "-o", spec, *NEW], repo, env)
    header = spec.read_text("utf-8").splitlines()[0]
    assert (spec.parent / header.split("$schema=")[1]).is_file()
    _run([wirogen, "generate"], repo, env)
    # The repository's own checks, as its CI runs them; the Makefile installs the pinned
    # wirogen (requirements.txt) into the venv, finding it among the local wheels.
    env["PIP_FIND_LINKS"] += f" {dist}"
    make = ["make", f"VENV={python.parent.parent}"]
    _run([*make, "check"], repo, env)
    assert "task_postprocess_end" in _run([*make, "demo"], repo, env)  # after `make package`

    mine = tmp_path / "my-app"
    mine.mkdir()
    called = _run([python, "-c", CALL_THE_NEW_MODEL], mine, env)
    assert called.split()[:2] == ["/v1/Run/wiro/image-inpainting-sd-v2", "task_postprocess_end"]
