"""The fast meta-schema check (jsonschema-rs) never accepts what jsonschema rejects.

``check_structure`` trusts a "valid" from jsonschema-rs and asks jsonschema only otherwise, so a
"valid" must always be jsonschema's verdict too: on the case directories (valid and broken) and
the repository's specs the two agree exactly; on random mutations a fast "valid" implies
jsonschema's.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.validate.metaschema import _validator, conforms
from tests.conftest import ROOT

SPECS = sorted((ROOT / "specs" / "models").rglob("*.yaml")) + sorted(
    (ROOT / "tests" / "cases").rglob("specs/models/**/*.yaml")
)


def _load(path: Path) -> Any:
    try:
        return yaml.load(path.read_bytes(), Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None


def _agree(data: Any) -> None:
    """The fast check may send a valid spec to jsonschema (a value it cannot take, such as
    ``inf``), but never passes one jsonschema rejects."""
    if conforms(data, "model"):
        assert _validator("model").is_valid(data)


@pytest.mark.catalogue
def test_fast_check_agrees_on_every_spec_and_case() -> None:
    loaded = [d for d in (_load(p) for p in SPECS) if d is not None]
    assert len(loaded) >= 10
    for data in loaded:
        _agree(data)
        assert conforms(data, "model") == _validator("model").is_valid(data)


def test_fast_check_says_no_to_what_it_cannot_read() -> None:
    assert not conforms({1: "not a text key"}, "model")


_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=5),
    st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_KEYS = st.sampled_from(
    ["name", "type", "default", "options", "min", "max", "step", "boolean", "separator",
     "secret", "required", "label", "help", "value", "endpoint", "provider", "inputs", "extra"]
)  # fmt: skip


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, (*prefix, i))
    return out


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_fast_check_agrees_on_mutated_specs(data: st.DataObject) -> None:
    base = _load(data.draw(st.sampled_from(SPECS[:3])))
    spec = copy.deepcopy(base)
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_paths(spec)))
        parent: Any = spec
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["set", "drop", "add"]))
        if not path or action == "add":
            target = parent if not path else parent[path[-1]]
            if isinstance(target, dict):
                target[data.draw(_KEYS)] = data.draw(_VALUES)
        elif action == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent[path[-1]] = data.draw(_VALUES)
    _agree(spec)
