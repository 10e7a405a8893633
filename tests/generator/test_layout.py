"""Generated Python is black-stable without running black over it (see ``emit/format.py``).

black stays the style authority: every test here asks black itself and compares.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.synth import spec_yaml, write_catalogue
from generator.emit import format as layout
from generator.emit.format import format_generated, format_python
from generator.emit.text import py_str
from generator.emit.types import input_model_source, whole_model_source
from generator.load import read_sources
from generator.pipeline import build_catalogue, render_sources
from tests.conftest import ROOT


def _python_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```python\n(.*?)^```$", markdown, flags=re.S | re.M)


def assert_black_stable(specs: Path) -> None:
    result = render_sources(read_sources(specs))
    assert result.ok, result.diagnostics
    unstable = [p for p, t in result.files.items() if format_generated(p, t) != t]
    unstable += [
        f"{p} (example)"
        for p, t in result.files.items()
        if p.endswith(".md")
        for block in _python_blocks(t)
        if format_python(block) != block
    ]
    assert unstable == []


def test_a_synthetic_catalogue_is_black_stable(tmp_path: Path) -> None:
    write_catalogue(16, tmp_path / "specs", seed=11)
    assert_black_stable(tmp_path / "specs")


HOSTILE = {
    "provider": "wiro",
    "name": '"quoted"/\u201cmodel\u201d \\ name',
    "endpoint": "averyveryverylongownernamethatgoesonandon/"
    + "a-very-long-model-slug-that-keeps-going-and-going-well-past-any-sane-length-v1-2-3",
    "title": '"Quoted" title with a backslash \\',
    "description": "\u5927\u6a21\u578b\u56fe\u50cf\u751f\u6210 " * 12 + '"ends with a quote"',
    "inputs": [
        {"name": "prompt", "type": "textarea", "default": "\u5927" * 60},
        {
            "name": "aVeryLongInputNameThatMakesTheParameterLineLong",
            "type": "select",
            "default": "an-option-with-a-rather-long-value-too",
            "options": [
                {"value": "an-option-with-a-rather-long-value-too", "label": "Long one"},
                {"value": "b", "label": "B"},
            ],
        },
        {
            "name": "styles",
            "type": "multiselect",
            "default": "photographic,digital-art,comic-book,analog-film",
            "options": [
                {"value": v, "label": v}
                for v in ["photographic", "digital-art", "comic-book", "analog-film", "pixel"]
            ],
        },
        {
            "name": "fits",
            "type": "select",
            "default": "x" * 30,
            "options": [{"value": "x" * 30, "label": "X"}, {"value": "y" * 31, "label": "Y"}],
        },
        {"name": "quoteLabel", "type": "text", "label": '"Quoted" label', "default": "\\"},
    ],
    "examples": [
        {
            "prompt": "\u5927" * 70,
            "styles": ["photographic", "digital-art", "comic-book", "analog-film", "pixel"],
        }
    ],
}


def test_hostile_names_and_texts_are_black_stable(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    shutil.copytree(ROOT / "specs" / "providers", specs / "providers")
    path = specs / "models" / "hostile.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(spec_yaml(HOSTILE), "utf-8")
    assert_black_stable(specs)


_ITEMS = st.lists(
    st.text(alphabet="ab\u5927'\"\\", min_size=0, max_size=30).map(py_str),
    min_size=1,
    max_size=8,
)
_HEADS = st.integers(0, 70).map(lambda n: "x" * n)


@settings(max_examples=120, deadline=None)
@given(_HEADS, _ITEMS, st.sampled_from(["()", "[]"]))
def test_collection_is_laid_out_as_black_does(head: str, items: list[str], brackets: str) -> None:
    one_tuple = brackets == "()" and len(items) == 1
    body = ", ".join(items) + ("," if one_tuple else "")
    code = f"{head or 'x'} = {brackets[0]}{body}{brackets[1]}\n"
    got = layout.collection(f"{head or 'x'} = ", items, brackets=brackets, one_tuple=one_tuple)
    assert got + "\n" == format_python(code)


@settings(max_examples=120, deadline=None)
@given(_HEADS, _ITEMS)
def test_subscript_is_laid_out_as_black_does(head: str, items: list[str]) -> None:
    code = f"{head or 'x'}Value = Literal[{', '.join(items)}]\n"
    assert layout.subscript(f"{head or 'x'}Value = Literal", items) + "\n" == format_python(code)


_ENTRIES = st.lists(
    st.tuples(
        _ITEMS.map(lambda items: items[0]),
        st.sampled_from(["0", "1.5", "True"]) | _ITEMS.map(lambda items: items[0]),
    ).map(lambda pair: f"{pair[0]}: {pair[1]}"),
    min_size=1,
    max_size=4,
)


@settings(max_examples=120, deadline=None)
@given(_HEADS, st.lists(_ENTRIES, min_size=1, max_size=3))
def test_mappings_are_laid_out_as_black_does(head: str, rows: list[list[str]]) -> None:
    """Examples in a model's SPEC: a tuple of dicts, inside the call's exploded arguments."""
    dicts = ", ".join("{" + ", ".join(items) + "}" for items in rows)
    body = dicts + ("," if len(rows) == 1 else "")
    code = f"SPEC = ModelSpec(\n    a=1,\n    {head}examples=({body}),\n)\n"
    got = layout.mappings(f"{head}examples=", rows, ",", indent="    ")
    assert f"SPEC = ModelSpec(\n    a=1,\n{got}\n)\n" == format_python(code)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 60), st.lists(st.integers(1, 40).map(lambda n: "N" * n), min_size=1))
def test_import_from_is_laid_out_as_black_does(module: int, names: list[str]) -> None:
    code = f"from {'m' * module} import {', '.join(names)}\n"
    assert layout.import_from("m" * module, names) + "\n" == format_python(code)


@pytest.mark.catalogue
def test_spliced_enums_give_what_one_whole_generation_gives(tmp_path: Path) -> None:
    write_catalogue(12, tmp_path / "specs", seed=5)
    shutil.copytree(ROOT / "specs" / "models", tmp_path / "specs" / "models", dirs_exist_ok=True)
    catalogue, problems = build_catalogue(read_sources(tmp_path / "specs"))
    assert catalogue is not None, problems
    spliced = [m for m in catalogue.models if any(len(i.options) >= 8 for i in m.inputs)]
    assert len(spliced) >= 4
    for model in catalogue.models:
        assert input_model_source(model) == whole_model_source(model), model.source


@pytest.mark.parametrize("value", [r'"artist\'s"', r'"a\\\'b"', r'"it\'s \"x\" y\'s"'])
def test_strings_are_normalised_as_black_does(value: str) -> None:
    from generator.emit.types import normalize_strings

    code = f"X = {value}\n"
    assert normalize_strings(code) == format_python(code)


_NAMES = st.text(alphabet="abcXYZ_", min_size=1, max_size=40).map(lambda t: "n" + t)
_DEFAULTS = st.one_of(
    _NAMES.map(lambda n: "E." + n.upper()),
    st.text(alphabet="ab\u5927'\"\\ ", max_size=90).map(py_str),
    st.integers(-5, 10**12).map(str),
)


@settings(max_examples=150, deadline=None)
@given(_NAMES, st.lists(_NAMES, min_size=1, max_size=3), _DEFAULTS)
def test_parameter_is_laid_out_as_black_does(name: str, types: list[str], default: str) -> None:
    text = f"{name}: {' | '.join(types)} = {default},"
    fragment = f"class _:\n    def f(\n        self,\n        *,\n{layout.parameter(text)}\n    ) -> None:\n        pass\n"
    assert format_python(fragment) == fragment


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_width_counts_columns_as_black_does(line: str) -> None:
    from black.strings import str_width

    assert layout.width(line) == str_width(line)
    assert layout._width_table() is not None  # read from black's source, black not imported


@settings(max_examples=150, deadline=None)
@given(_NAMES, _NAMES, st.lists(_NAMES.map(lambda n: "E." + n.upper()), min_size=1, max_size=4))
def test_tuple_parameter_is_laid_out_as_black_does(
    name: str, enum: str, members: list[str]
) -> None:
    default = "(" + ", ".join(members) + ("," if len(members) == 1 else "") + ")"
    text = f"{name}: Sequence[{enum} | {enum}Value] = {default},"
    fragment = f"class _:\n    def f(\n        self,\n        *,\n{layout.parameter(text)}\n    ) -> None:\n        pass\n"
    assert format_python(fragment) == fragment
