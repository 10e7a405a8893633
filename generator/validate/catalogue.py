"""Rules across spec files: every model names a known provider, and no two specs claim the same
endpoint, Python name, owner namespace or generated file (compared case-insensitively, as some
disks compare names). Names and endpoints share one namespace: ``client.run(x)`` and FakeWiro
find a model by either, so a name that is another spec's endpoint or name would run (and bill)
the wrong model. One clash between two specs is reported once, at the later spec."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..diagnostics import Diagnostic, Location, error
from ..ir import Model, Provider
from ..load import Document


def check_catalogue(
    models: Iterable[tuple[Model, Document]], providers: dict[str, Provider]
) -> list[Diagnostic]:
    pairs = list(models)
    problems: list[Diagnostic] = []
    for model, doc in pairs:
        if model.provider not in providers:
            known = ", ".join(sorted(providers)) or (
                "none: no provider specs in specs/providers/; `wirogen init` writes the ones "
                "wirogen ships"
            )
            where = doc.at(("provider",))
            problems.append(error(where, f"unknown provider {model.provider!r} (known: {known})"))

    clashes: list[tuple[str, Callable[[Model], str]]] = [
        ("endpoint", lambda m: m.endpoint.casefold()),
        ("Python name", lambda m: f"client.models.{m.owner_attr}.{m.slug_attr}"),
        ("generated file name", lambda m: m.file_stem.casefold()),
    ]
    reported: set[frozenset[int]] = set()
    for what, key in clashes:
        first: dict[str, tuple[Model, Location]] = {}
        for model, doc in pairs:
            where = doc.at(("endpoint",))
            claimant, claimed_at = first.setdefault(key(model), (model, where))
            pair = frozenset({id(model), id(claimant)})
            if claimant is not model and pair not in reported:
                reported.add(pair)
                problems.append(
                    error(
                        where,
                        f"{what} {key(model)!r} is also claimed by {claimed_at} ({claimant.name})",
                    )
                )

    problems += _lookup_clashes(pairs, reported)

    owners: dict[str, tuple[Model, Location]] = {}
    for model, doc in pairs:
        where = doc.at(("endpoint",))
        other, other_where = owners.setdefault(model.owner_attr, (model, where))
        if other.owner != model.owner and frozenset({id(model), id(other)}) not in reported:
            problems.append(
                error(
                    where,
                    f"owner {model.owner!r} and owner {other.owner!r} ({other_where}) both become "
                    f"client.models.{model.owner_attr}",
                )
            )
    return problems


def _lookup_clashes(
    pairs: list[tuple[Model, Document]], reported: set[frozenset[int]]
) -> list[Diagnostic]:
    """A model's name or endpoint that is another model's name or endpoint (two endpoints are
    the endpoint rule's to report)."""
    problems: list[Diagnostic] = []
    first: dict[str, tuple[Model, str, Location]] = {}
    for model, doc in pairs:
        claims = [("endpoint", model.endpoint)]
        if model.name.casefold() != model.endpoint.casefold():
            claims.append(("name", model.name))
        for what, value in claims:
            where = doc.at((what,))
            other, other_what, other_where = first.setdefault(
                value.casefold(), (model, what, where)
            )
            pair = frozenset({id(model), id(other)})
            if other is model or pair in reported or what == other_what == "endpoint":
                continue
            reported.add(pair)
            problems.append(
                error(
                    where,
                    f"{what} {value!r} is also the {other_what} of {other_where} ({other.name}): "
                    "names and endpoints share one namespace, so client.run() could not tell "
                    "the two models apart",
                )
            )
    return problems
