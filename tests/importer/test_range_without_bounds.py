"""The one spec-format change the importer needed: Wiro pages show ``range`` inputs with no
min/max (a page lists name, label, help, type, default and options only), so a range's bounds
are optional; a range that shows no number at all is a float, which takes whole numbers too."""

from __future__ import annotations

from generator.ir import ValueType
from generator.load import SourceFile, Sources, read_sources
from generator.pipeline import build_catalogue
from tests.conftest import ROOT

SPEC = b"""provider: wiro
name: acme/sliders
endpoint: acme/sliders
inputs:
  - {name: strength, type: range, default: 0.5}
  - {name: width, type: range, default: 1024}
  - {name: unknown, type: range, required: false}
  - {name: bounded, type: range, default: 0.5, min: 0, max: 1}
"""


def test_a_range_needs_no_bounds_and_takes_its_type_from_what_it_shows() -> None:
    providers = read_sources(ROOT / "specs").providers
    catalogue, problems = build_catalogue(
        Sources(providers=providers, models=(SourceFile("sliders.yaml", SPEC),))
    )
    assert catalogue is not None, problems
    inputs = {i.wire_name: i for i in catalogue.models[0].inputs}
    assert inputs["strength"].value_type is ValueType.FLOAT
    assert inputs["width"].value_type is ValueType.INT
    assert (inputs["unknown"].value_type, inputs["unknown"].required) == (ValueType.FLOAT, False)
    assert (inputs["bounded"].minimum, inputs["bounded"].maximum) == (0.0, 1.0)
