"""Every emitter's files, in the units generation renders and reuses them by.

Output splits in two: :func:`render_model` (the four files of one model, which depend on that
model and its provider only) and :func:`render_shared` (files that list the whole catalogue).
That split is what lets the pipeline spread models over processes and reuse unchanged ones.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass

from ..ir import Catalogue, Model, Provider
from .client import (
    client_listing,
    listing_module,
    owner_namespace,
    providers_module,
    resource_file,
    runtime_files,
)
from .docs import docs_index, model_page
from .errors import EmitError
from .schemas import schema_file
from .tools import tool_file
from .types import input_model_source, types_packages, types_path

__all__ = [
    "EmitError",
    "merge",
    "prepare_shared",
    "render_catalogue",
    "render_model",
    "render_shared",
    "shared_units",
]


def render_model(model: Model, provider: Provider, types: str | None = None) -> dict[str, str]:
    """The files of one model: JSON Schema, input models, client module, doc page and the
    Tool/Detail answer FakeWiro gives for it.

    ``types`` is the input models module when the caller has it already (the last run wrote
    it for the same :func:`~.types.types_key`).
    """
    files = dict(
        [schema_file(model), resource_file(model), model_page(model, provider), tool_file(model)],
    )
    files[types_path(model)] = types if types is not None else input_model_source(model)
    for path, text in files.items():
        if path.endswith(".py"):
            check_python(model, path, text)
    return files


def check_python(model: Model, path: str, text: str) -> None:
    """Fail closed: a module that is not valid Python is refused at its spec, never written.

    Templates escape every spec string, and the property tests say they always produce valid
    code; this parse (~0.5 ms a module, no bytecode) makes it a guarantee rather than a claim.
    """
    try:
        compile(text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError) as exc:
        where = f" (line {exc.lineno})" if isinstance(exc, SyntaxError) and exc.lineno else ""
        raise EmitError(
            model.source,
            f"{path}{where} is not valid Python: {exc.msg if isinstance(exc, SyntaxError) else exc}",
        ) from exc


@dataclass(frozen=True)
class SharedUnit:
    """Catalogue-wide files rendered together, and a key of everything they are made from.

    An incremental run re-renders a unit only when its key changed (or a file of it was
    edited): a spec's new description re-renders its owner's namespace and the listings, not
    the runtime nor the other owners' namespaces.
    """

    name: str
    key: str
    render: Callable[[], dict[str, str]]


def shared_units(catalogue: Catalogue) -> list[SharedUnit]:
    """The catalogue-wide files in units. ``catalogue`` lists models as their entries (no
    inputs), so a key over the entries covers all a unit's templates can read."""

    def key(*parts: object) -> str:
        return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()

    def entries(models: tuple[Model, ...]) -> list[object]:
        return [vars(m) for m in models]  # every field: what a template can read is in the key

    # The package listings only ever see the models' names (titles and descriptions blanked),
    # so a new description re-renders the index and the owner's namespace, not these.
    named = dataclasses.replace(catalogue, models=tuple(_named_only(m) for m in catalogue.models))
    providers = [p.name for p in catalogue.providers]
    units = [
        SharedUnit("runtime", key("runtime"), lambda: dict(runtime_files())),
        SharedUnit("providers", key(providers), lambda: providers_module(catalogue)),
        SharedUnit(
            "package",
            key(entries(named.models), providers),
            lambda: {**client_listing(named), **types_packages(named)},
        ),
        SharedUnit("index", key(entries(catalogue.models)), lambda: docs_index(catalogue)),
        SharedUnit("listing", key(entries(catalogue.models)), lambda: listing_module(catalogue)),
    ]
    for owner in catalogue.owners:
        units.append(
            SharedUnit(
                f"owner {owner.attr}",
                key(owner.name, owner.attr, owner.class_name, entries(owner.models)),
                lambda owner=owner: owner_namespace(owner),  # type: ignore[misc]
            )
        )
    return units


SHARED_TEMPLATES = (
    "python/providers.py.j2",
    "python/catalogue.py.j2",
    "python/models.py.j2",
    "python/owner.py.j2",
    "python/owner.pyi.j2",
    "python/pyproject.toml.j2",
    "python/listing.py.j2",
    "python/README.md.j2",
    "docs/index.md.j2",
)


def prepare_shared() -> None:
    """Do now what catalogue-wide rendering will need whatever the catalogue: read the
    runtime, compile the templates. The pipeline calls it while worker processes build models,
    when this process would otherwise wait."""
    from .jinja import environment

    runtime_files()
    for name in SHARED_TEMPLATES:
        environment().get_template(name)


def _named_only(model: Model) -> Model:
    return dataclasses.replace(model, title="", description=None, source="")


def render_shared(catalogue: Catalogue) -> dict[str, str]:
    """The files that depend on the catalogue as a whole: runtime, namespaces, index, package."""
    return merge([unit.render() for unit in shared_units(catalogue)])


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
