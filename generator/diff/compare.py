"""Two catalogues in, a report out: which model and input of one is which of the other, and
what every rule finds between them. Pure: no files, no git, no clock.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from ..ir import Catalogue
from . import rules
from .change import Change, Entry, Report
from .surface import InputView, ModelView, ProviderView, models, providers

T = TypeVar("T")


def diff_catalogues(old: Catalogue, new: Catalogue) -> Report:
    """Every change callers of ``old``'s client see in ``new``'s, per provider and model.

    Models are matched by endpoint, then (for a changed endpoint) by spec file, then by Python
    path; inputs by Python name (made from the wire name), then as a rename (same type, options,
    default and bounds under another name). What is left was removed or added.
    """
    return Report(
        tuple(
            entry
            for entry in (*_provider_entries(old, new), *_model_entries(old, new))
            if entry.changes
        )
    )


def _provider_entries(old: Catalogue, new: Catalogue) -> list[Entry]:
    pairs, removed, added = match(providers(old), providers(new), [lambda p: p.name])
    entries = [_provider_entry(p, rules.provider_removed(p)) for p in removed]
    entries += [_provider_entry(p, rules.provider_added(p)) for p in added]
    for a, b in pairs:
        entries.append(
            _provider_entry(b, [c for check in rules.PROVIDER_RULES for c in check(a, b)])
        )
    return sorted(entries, key=lambda e: e.name)


def _provider_entry(p: ProviderView, changes: list[Change]) -> Entry:
    return Entry("provider", p.name, f"Wiro(provider={p.name!r})", tuple(changes))


def _model_entries(old: Catalogue, new: Catalogue) -> list[Entry]:
    keys: list[Callable[[ModelView], object]] = [
        lambda m: m.endpoint,
        lambda m: m.source,
        lambda m: m.python_path,
    ]
    pairs, removed, added = match(models(old), models(new), keys)
    entries = [_model_entry(m, rules.model_removed(m)) for m in removed]
    entries += [_model_entry(m, rules.model_added(m)) for m in added]
    entries += [_model_entry(b, diff_models(a, b)) for a, b in pairs]
    return sorted(entries, key=lambda e: e.name)


def _model_entry(m: ModelView, changes: list[Change]) -> Entry:
    return Entry("model", m.endpoint, m.python_path, tuple(changes))


def diff_models(old: ModelView, new: ModelView) -> list[Change]:
    """What changed between two versions of one model: the model's own rules, then its inputs
    in the new order (a removed input where it stood)."""
    changes = [c for check in rules.MODEL_RULES for c in check(old, new)]
    pairs, removed, added = match(old.inputs, new.inputs, [lambda i: i.py_name])
    renamed = _renames(old.inputs, new.inputs, removed, added)
    placed: list[tuple[tuple[int, int], list[Change]]] = []
    for a, b in pairs:
        found = [c for check in rules.INPUT_RULES for c in check(a, b)]
        placed.append(((new.inputs.index(b), 1), _about(b, found)))
    for a, b in renamed:
        removed.remove(a)
        added.remove(b)
        found = rules.input_renamed(a, b) + rules.input_docs(a, b)
        placed.append(((new.inputs.index(b), 1), _about(a, found)))
    for a in removed:
        placed.append(((old.inputs.index(a), 0), _about(a, rules.input_removed(a))))
    for b in added:
        placed.append(((new.inputs.index(b), 1), _about(b, rules.input_added(b))))
    for _, found in sorted(placed, key=lambda p: p[0]):
        changes += found
    return changes


def _about(item: InputView, changes: list[Change]) -> list[Change]:
    return [
        Change(c.rule, c.kind, c.text, input=item.py_name, addition=c.addition) for c in changes
    ]


def _renames(
    old: Sequence[InputView],
    new: Sequence[InputView],
    removed: list[InputView],
    added: list[InputView],
) -> list[tuple[InputView, InputView]]:
    """Removed and added inputs that are one input under another name: the only candidate of
    its shape, or the one in the same place."""
    out: list[tuple[InputView, InputView]] = []
    free = list(added)
    for a in removed:
        candidates = [b for b in free if rules.same_shape(a, b)]
        if len(candidates) > 1:
            candidates = [b for b in candidates if new.index(b) == old.index(a)]
        if len(candidates) == 1:
            out.append((a, candidates[0]))
            free.remove(candidates[0])
    return out


def match(
    old: Sequence[T], new: Sequence[T], keys: Sequence[Callable[[T], object]]
) -> tuple[list[tuple[T, T]], list[T], list[T]]:
    """Pair items of ``old`` and ``new`` by the first key that pairs them one to one; return the
    pairs (in ``new``'s order), what is left of ``old`` and what is left of ``new``."""
    left_old, left_new = list(old), list(new)
    pairs: list[tuple[T, T]] = []
    for key in keys:
        by_key: dict[object, list[T]] = {}
        for item in left_old:
            by_key.setdefault(key(item), []).append(item)
        paired: set[int] = set()
        unpaired: list[T] = []
        for item in left_new:
            found = by_key.get(key(item))
            if found is not None and len(found) == 1:
                match = found.pop()
                pairs.append((match, item))
                paired.add(id(match))
            else:
                unpaired.append(item)
        left_old = [item for item in left_old if id(item) not in paired]
        left_new = unpaired
    order = {id(item): i for i, item in enumerate(new)}
    pairs.sort(key=lambda p: order[id(p[1])])
    return pairs, left_old, left_new
