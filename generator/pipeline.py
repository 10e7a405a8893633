"""The core: spec sources in, a map of output path -> file text out. No disk, no clock.

``generate``, ``check`` and the writer are thin doors around :func:`render_sources`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .diagnostics import Diagnostic, Location, error, errors_only
from .ir import Catalogue, Model, Provider
from .load import Document, SourceFile, Sources, parse_yaml
from .normalize import build_model, build_provider
from .validate import SpecKind, check_catalogue, check_structure


@dataclass(frozen=True)
class Result:
    """Files to write (empty when there are errors) and everything worth telling the author."""

    files: dict[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not errors_only(self.diagnostics)


def load_document(source: SourceFile, kind: SpecKind) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one spec file and check it against its meta-schema."""
    doc, problems = parse_yaml(source.path, source.data)
    if doc is None:
        return None, problems
    problems = check_structure(doc, kind)
    return (None if problems else doc), problems


def build_catalogue(sources: Sources) -> tuple[Catalogue | None, list[Diagnostic]]:
    """Load, validate and normalize every spec; all problems of all files are reported."""
    diagnostics: list[Diagnostic] = []
    providers: dict[str, Provider] = {}
    for source in sources.providers:
        doc, problems = load_document(source, "provider")
        diagnostics += problems
        if doc is not None:
            provider, problems = build_provider(doc, source.stable_name)
            diagnostics += problems
            if provider is not None:
                providers[provider.name] = provider
    built: list[tuple[Model, Document]] = []
    for source in sources.models:
        doc, problems = load_document(source, "model")
        diagnostics += problems
        if doc is not None:
            model, problems = build_model(doc, source.stable_name)
            diagnostics += problems
            if model is not None:
                built.append((model, doc))
    diagnostics += check_catalogue(built, providers)
    if errors_only(diagnostics):
        return None, sorted(diagnostics)
    models = tuple(sorted((m for m, _ in built), key=lambda m: (m.owner_attr, m.slug_attr)))
    used = {m.provider for m in models}
    catalogue = Catalogue(
        tuple(p for name, p in sorted(providers.items()) if name in used or not models), models
    )
    return catalogue, sorted(diagnostics)


def render_sources(sources: Sources) -> Result:
    """Everything ``wirogen generate`` would write, keyed by path relative to the output folder."""
    catalogue, diagnostics = build_catalogue(sources)
    if catalogue is None:
        return Result({}, diagnostics)
    from .emit import EmitError, render_catalogue  # black and jinja load only when generating

    try:
        return Result(render_catalogue(catalogue), diagnostics)
    except EmitError as exc:
        return Result({}, [*diagnostics, error(Location(exc.source), exc.message)])
