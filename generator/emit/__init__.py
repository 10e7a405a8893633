"""Stage 4: emitters, each a pure function from the intermediate model to {relative path: text}.

- ``schemas``: JSON Schema of each model's inputs (``schemas/<owner>/<slug>.json``);
- ``types``: pydantic input models via datamodel-code-generator (``python/wiro_client/types``);
- ``client``: the Python package, runtime and typed per-model clients (``python/``);
- ``docs``: Markdown per model and an index (``docs/``).
"""

from __future__ import annotations

from ..ir import Catalogue
from .client import emit_client
from .docs import emit_docs
from .errors import EmitError
from .format import format_files
from .schemas import emit_schemas
from .types import emit_types

EMITTERS = (emit_schemas, emit_types, emit_client, emit_docs)

__all__ = ["EMITTERS", "EmitError", "render_catalogue"]


def render_catalogue(catalogue: Catalogue) -> dict[str, str]:
    """Every generated file, formatted, keyed by its path under the output folder, sorted."""
    files: dict[str, str] = {}
    for emitter in EMITTERS:
        for path, content in emitter(catalogue).items():
            if path in files:
                raise AssertionError(f"two emitters produced {path}")
            files[path] = content
    try:
        return dict(sorted(format_files(files).items()))
    except EmitError as exc:  # name the spec the broken file came from (searched only on failure)
        owner = next(
            (m for m in catalogue.models if f"/{m.owner_attr}/{m.slug_attr}." in exc.source), None
        )
        raise EmitError(owner.source if owner else exc.source, exc.message) from exc
