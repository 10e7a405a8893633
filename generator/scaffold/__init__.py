"""``wirogen init DIR``: start a spec repository that keeps its specs, with wirogen pinned.

The scaffold is what this repository's own layout needs, nothing of its code: the provider specs
and meta-schemas wirogen ships (so ``$schema`` headers resolve and editors check specs), a
Makefile and a CI workflow around the pinned wirogen, and generated/ written from the start so
that ``wirogen check`` holds on the first commit.
"""

from __future__ import annotations

from pathlib import Path

from .. import __version__
from .._paths import providers_dir, schema_dir

HERE = Path(__file__).resolve().parent

REQUIREMENTS = f"""\
# The wirogen that generates this repository, pinned: its version decides the bytes of
# generated/. From another source, pin it the same way (wirogen @ git+https://...@v{__version__}).
wirogen=={__version__}
"""


def scaffold() -> dict[str, bytes]:
    """The files of a new spec repository, by path inside it."""
    files = {
        "README.md": (HERE / "README.md").read_bytes(),
        "Makefile": (HERE / "Makefile").read_bytes(),
        ".gitignore": (HERE / "gitignore").read_bytes(),
        ".github/workflows/wirogen.yml": (HERE / "ci.yml").read_bytes(),
        "requirements.txt": REQUIREMENTS.encode(),
        "specs/models/.gitkeep": b"",
    }
    for path in sorted(providers_dir().glob("*.yaml")):
        files[f"specs/providers/{path.name}"] = path.read_bytes()
    for path in sorted(schema_dir().glob("*.schema.json")):
        files[f"specs/schema/{path.name}"] = path.read_bytes()
    return files


def existing(target: Path, files: dict[str, bytes]) -> list[str]:
    """Paths of the scaffold that are taken in ``target`` (init never overwrites)."""
    return sorted(path for path in files if (target / path).exists())


def write(target: Path, files: dict[str, bytes]) -> None:
    for path, data in files.items():
        destination = target / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        destination.write_bytes(data)
