"""Rules across spec files: every model names a known provider, and no two specs claim the same
endpoint, Python name or generated file (compared case-insensitively, as some disks do)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..diagnostics import Diagnostic, Location, error
from ..ir import Model, Provider
from ..load import Document


def check_catalogue(
    models: Iterable[tuple[Model, Document]], providers: dict[str, Provider]
) -> list[Diagnostic]:
    problems: list[Diagnostic] = []
    pairs = list(models)
    for model, doc in pairs:
        if model.provider not in providers:
            known = ", ".join(sorted(providers)) or "none"
            problems.append(
                error(
                    doc.at(("provider",)), f"unknown provider {model.provider!r} (known: {known})"
                )
            )

    def unique(
        what: str, key: Callable[[Model], str], candidates: list[tuple[Model, Document]]
    ) -> None:
        first: dict[str, tuple[Model, Location]] = {}
        for model, doc in candidates:
            k = key(model)
            where = doc.at(("endpoint",))
            if k in first:
                other, other_where = first[k]
                problems.append(
                    error(where, f"{what} {k!r} is also claimed by {other_where} ({other.name})")
                )
            else:
                first[k] = (model, where)

    unique("endpoint", lambda m: m.endpoint.casefold(), pairs)
    # Names derived from an endpoint clash anyway when the endpoints do; report those once.
    distinct = list({m.endpoint.casefold(): (m, d) for m, d in reversed(pairs)}.values())[::-1]
    unique("Python name", lambda m: f"client.models.{m.owner_attr}.{m.slug_attr}", distinct)
    unique("generated file name", lambda m: m.file_stem.casefold(), distinct)
    owners: dict[str, tuple[str, Location]] = {}
    for model, doc in pairs:
        seen = owners.setdefault(model.owner_attr, (model.owner, doc.at(("endpoint",))))
        if seen[0] != model.owner:
            problems.append(
                error(
                    doc.at(("endpoint",)),
                    f"owner {model.owner!r} and owner {seen[0]!r} ({seen[1]}) both become "
                    f"client.models.{model.owner_attr}",
                )
            )
    return problems
