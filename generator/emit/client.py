"""Emitter: the generated Python package around the runtime.

- ``runtime/wiro_client/**`` is the runtime, copied byte for byte (it never depends on a spec),
  but for its stand-ins (:data:`STAND_INS`), which this emitter writes from the catalogue;
- ``_providers.py`` and ``_catalogue.py`` describe the providers and list the models;
- ``resources/<owner>/<model>.py`` is one client module per model (typed ``run()``);
- ``resources/__init__.py`` and ``resources/<owner>/__init__.py`` are the lazy namespaces behind
  ``client.models.<owner>.<model>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from .._paths import license_file, runtime_dir
from ..inputs import FAMILIES, family_of
from ..inputs.select import literal_alias
from ..ir import Catalogue, Example, Input, Model, Owner
from . import text
from .client_names import isort_order
from .format import format_python
from .jinja import render

PACKAGE = "wiro_client"


def emit_client(catalogue: Catalogue) -> dict[str, str]:
    files = client_package(catalogue)
    files.update(resource_file(model) for model in catalogue.models)
    return files


def client_package(catalogue: Catalogue) -> dict[str, str]:
    """Everything of the package but the per-model modules: runtime, providers, namespaces."""
    files = dict(runtime_files())
    files.update(providers_module(catalogue))
    files.update(client_listing(catalogue))
    for owner in catalogue.owners:
        files.update(owner_namespace(owner))
    return files


def providers_module(catalogue: Catalogue) -> dict[str, str]:
    """``_providers.py``: rendered once a run and small, so black formats it as it is."""
    source = render("python/providers.py.j2", catalogue=catalogue)
    return {f"python/{PACKAGE}/_providers.py": format_python(source)}


def client_listing(catalogue: Catalogue) -> dict[str, str]:
    """The files that list every model: ``_catalogue.py``, ``client.models``, pyproject."""
    root = f"python/{PACKAGE}"
    return {
        f"{root}/_catalogue.py": render(
            "python/catalogue.py.j2", catalogue=catalogue, package=PACKAGE
        ),
        f"{root}/resources/__init__.py": render("python/models.py.j2", catalogue=catalogue),
        **package_files(catalogue),
    }


def listing_module(catalogue: Catalogue) -> dict[str, str]:
    """``_listing.py``: each model's provider, title and description, for the CLI's listing
    and search (a unit of its own: descriptions change more often than names)."""
    source = render("python/listing.py.j2", catalogue=catalogue)
    return {f"python/{PACKAGE}/_listing.py": source}


def package_files(catalogue: Catalogue) -> dict[str, str]:
    """What makes ``python/`` an installable distribution: its metadata, README and license."""
    titles = _and([p.title for p in catalogue.providers]) or "no provider"
    count = len(catalogue.models)
    description = (
        f"Typed Python client for {count} AI model{'s' if count != 1 else ''} on {titles}, "
        "with a local fake of the API for tests."
    )
    example = catalogue.models[0] if catalogue.models else None
    env = ""  # where the example's credentials come from
    if example is not None:
        provider = catalogue.provider(example.provider)
        env = _and([v for v in (provider.env_api_key, provider.env_api_secret) if v])
    context = {"catalogue": catalogue, "package": PACKAGE, "description": description}
    return {
        "python/pyproject.toml": render("python/pyproject.toml.j2", **context),
        "python/README.md": render(
            "python/README.md.j2", **context, example=example, titles=titles, env=env
        ),
        "python/LICENSE": license_file().read_text(encoding="utf-8"),
    }


def _and(words: list[str]) -> str:
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def owner_namespace(owner: Owner) -> dict[str, str]:
    """``client.models.<owner>``: the lazy namespace of one owner's models (``__init__.py``)
    and its typed declarations for type checkers and editors (``__init__.pyi``)."""
    path = f"python/{PACKAGE}/resources/{owner.attr}/__init__"
    return {
        f"{path}.py": render("python/owner.py.j2", owner=owner),
        f"{path}.pyi": render("python/owner.pyi.j2", owner=owner),
    }


def resource_file(model: Model) -> tuple[str, str]:
    """``resources/<owner>/<model>.py``: the typed client module of one model."""
    path = f"python/{PACKAGE}/resources/{model.owner_attr}/{model.slug_attr}.py"
    source = render(
        "python/resource.py.j2",
        model=model,
        params=[parameter(i) for i in model.inputs],
        exports=_exports(model),
        families={name: family.template for name, family in FAMILIES.items()},
        example_items=[_example_items(model, e) for e in model.examples],
    )
    return path, source


def _example_items(model: Model, example: Example) -> list[str]:
    """``"wire name": value`` of each value of an example; a multi-valued one as the text
    it is sent as (joined by its input's separator), so that examples stay flat."""
    items = []
    for name, value in example.values:
        if isinstance(value, tuple):
            value = (model.input(name).separator or ",").join(value)
        items.append(f"{text.py_literal(name)}: {text.py_literal(value)}")
    return items


STAND_INS = frozenset(
    {
        f"{PACKAGE}/_providers.py",
        f"{PACKAGE}/_catalogue.py",
        f"{PACKAGE}/_listing.py",
        f"{PACKAGE}/_version.py",
        f"{PACKAGE}/resources/__init__.py",
    }
)
"""Runtime modules that exist in its source tree only so that it imports, type-checks and is
tested on its own; the generated package has these modules made from the catalogue instead."""


@cache
def runtime_files() -> tuple[tuple[str, str], ...]:
    """The runtime's files but its stand-ins, keyed by output path (read once per process)."""
    base = runtime_dir()
    out = []
    for path in sorted(base.rglob("*")):
        name = path.relative_to(base).as_posix()
        if not path.is_file() or "__pycache__" in path.parts or path.suffix == ".pyc":
            continue
        if name.startswith(f"{PACKAGE}/") and name not in STAND_INS:
            out.append((f"python/{name}", path.read_text(encoding="utf-8")))
    return tuple(out)


@dataclass(frozen=True)
class Parameter:
    """How one input appears in ``run()``: its annotation, default and docstring line."""

    input: Input
    annotation: str
    default: str | None
    doc: str


def parameter(item: Input) -> Parameter:
    family = family_of(item)
    annotation = family.annotation(item)
    default: str | None
    if item.default is not None:
        default = family.literal(item, item.default)
    elif item.required:
        default = None
    else:
        annotation += " | None"
        default = "None"
    return Parameter(item, annotation, default, _doc_line(item))


def _exports(model: Model) -> list[str]:
    aliases = [literal_alias(i) for i in model.inputs if i.is_enum]
    return isort_order([model.class_name, f"Async{model.class_name}", "SPEC", *aliases])


def _doc_line(item: Input) -> str:
    parts = [item.label.rstrip(".") + "."]
    if item.help and item.help.strip() != item.label.strip():
        parts.append(item.help.strip())
    parts += family_of(item).notes(item)
    if item.default is not None and not item.secret:
        parts.append(f"Default: ``{text.shorten(_default_display(item), 60)}``.")
    elif item.sends_empty:
        parts.append('Default: ``""``.')
    elif item.required:
        parts.append("Required.")
    return " ".join(parts)


def _default_display(item: Input) -> str:
    value = item.default
    if isinstance(value, tuple):
        return ", ".join(value)
    if isinstance(value, str):
        return text.py_str(value)
    return text.py_literal(value)
