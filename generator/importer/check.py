"""An imported spec must pass everything ``wirogen generate`` checks before anyone sees it.

:func:`validate` runs the generator's own stages on the written text (located YAML loading, the
meta-schema, the normalize rules, the provider being known) and checks that the text reads back
as exactly the spec the rules produced, so a writer bug can never change a value silently.
:func:`spec_diff` is what ``wirogen import --check`` shows.
"""

from __future__ import annotations

import difflib
from typing import Any

from ..diagnostics import Diagnostic, Location, error
from ..load import SourceFile, Sources, parse_yaml
from ..pipeline import build_catalogue
from .spec import Spec, spec_data


def validate(
    spec: Spec,
    text: str,
    path: str,
    providers: tuple[SourceFile, ...],
    others: tuple[SourceFile, ...] = (),
) -> list[Diagnostic]:
    """Every problem ``generate`` would find in the spec ``text`` (shown as ``path``) beside
    the model specs ``others``: its own, and its clashes with them (an endpoint, a name or a
    Python name one of them has). Problems of the others alone are theirs, not the import's."""
    source = SourceFile(path, text.encode("utf-8"))
    doc, problems = parse_yaml(path, source.data)
    if doc is None:
        return problems
    if not same(doc.data, spec_data(spec)):
        return [error(Location(path), "the written YAML does not read back as the imported spec")]
    # Listed last, the new spec is where every clash it takes part in is reported.
    _, problems = build_catalogue(Sources(providers=providers, models=(*others, source)))
    return [p for p in problems if p.location.path == path]


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (``True`` is not ``1``, ``1`` is not ``1.0``)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def spec_diff(committed: str, fresh: str, spec_path: str, page_path: str) -> list[str]:
    """A unified diff from the committed spec to a fresh import; empty when they are equal."""
    return list(
        difflib.unified_diff(
            committed.splitlines(keepends=True),
            fresh.splitlines(keepends=True),
            fromfile=spec_path,
            tofile=f"{spec_path} (fresh import of {page_path})",
        )
    )
