"""Properties over random specs (hypothesis; the profile in tests/conftest.py sets how many):

- a spec rendered as a page, in either layout, flattened or not, with CRLF or trailing blanks,
  plain or quoted values, imports back to exactly that spec, with no diagnostics;
- the spec the writer writes passes the generator's validation and reads back as the same spec.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from generator.importer import import_page, write_spec
from generator.importer.check import validate
from generator.importer.spec import Spec
from tests.importer.corpus import providers
from tests.importer.render import Style, render
from tests.importer.strategies import specs

# The examples come from the loaded profile (tests/conftest.py): a fixed, derandomized set under
# `make test`, thousands of random ones under `make fuzz`.

styles = st.builds(
    Style,
    layout=st.sampled_from(["tool", "model"]),
    flat=st.booleans(),
    crlf=st.booleans(),
    trailing_blanks=st.booleans(),
    quote_values=st.booleans(),
    placeholders=st.booleans(),
    samples=st.booleans(),
    kill_cancel=st.booleans(),
)


@given(specs(), styles)
def test_property_a_rendered_page_imports_back_to_its_spec(spec: Spec, style: Style) -> None:
    # Importing is cheap next to drawing a spec: every spec is tried in both layouts, flattened
    # and multi-line, with the drawn style's other choices.
    for layout, flat in itertools.product(("tool", "model"), (False, True)):
        page = render(spec, replace(style, layout=layout, flat=flat))
        imported, problems = import_page("page.txt", page.encode("utf-8"))
        assert problems == []
        assert imported == spec


@given(specs())
def test_property_the_written_spec_passes_validation_and_reads_back(spec: Spec) -> None:
    assert validate(spec, write_spec(spec), "spec.yaml", providers()) == []
