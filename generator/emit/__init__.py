"""Stage 4: emitters, each a pure function from the intermediate model to {relative path: text}.

- ``schemas``: JSON Schema of each model's inputs (``schemas/<owner>/<slug>.json``);
- ``types``: pydantic input models via datamodel-code-generator (``python/wiro_client/types``);
- ``client``: the Python package, runtime and typed per-model clients (``python/``);
- ``docs``: Markdown per model and an index (``docs/``).

Output splits in two: :func:`render_model` (the four files of one model, which depend on that
model and its provider only) and :func:`render_shared` (files that list the whole catalogue).
That split is what lets the pipeline spread models over processes and reuse unchanged ones.
"""

from __future__ import annotations

from ..ir import Catalogue, Model, Provider
from .client import client_package, resource_file, runtime_files
from .docs import docs_index, model_page
from .format import format_python
from .schemas import schema_file
from .types import input_model_source, types_packages, types_path

BLACK_FORMATTED = ("python/wiro_client/_providers.py",)
"""Catalogue-wide modules rendered once a run and small: black formats them as they are.
The runtime (``templates/python/package``) is formatted too; every other module is written in
black's layout by its template (see ``emit.format``)."""


def render_model(model: Model, provider: Provider) -> dict[str, str]:
    """The files of one model: JSON Schema, input models, client module and doc page."""
    files = dict(
        [schema_file(model), resource_file(model), model_page(model, provider)],
    )
    files[types_path(model)] = input_model_source(model)
    return files


def render_shared(catalogue: Catalogue) -> dict[str, str]:
    """The files that depend on the catalogue as a whole: runtime, namespaces, index, package."""
    files = client_package(catalogue)
    runtime = {path for path, _ in runtime_files()}
    for path in (*BLACK_FORMATTED, *runtime):
        if path.endswith(".py"):
            files[path] = format_python(files[path])
    files.update(types_packages(catalogue))
    files.update(docs_index(catalogue))
    return files


def merge(parts: list[dict[str, str]]) -> dict[str, str]:
    """One sorted file map from several, refusing two producers of one path."""
    files: dict[str, str] = {}
    for part in parts:
        for path, content in part.items():
            if path in files:
                raise AssertionError(f"two emitters produced {path}")
            files[path] = content
    return dict(sorted(files.items()))


def render_catalogue(catalogue: Catalogue) -> dict[str, str]:
    """Every generated file, keyed by its path under the output folder, sorted."""
    models = [render_model(m, catalogue.provider(m.provider)) for m in catalogue.models]
    return merge([render_shared(catalogue), *models])
