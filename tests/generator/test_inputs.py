"""Input families: each kind belongs to one family, which alone decides how an input of it is
read, typed, documented and laid out on the wire (README, "Spec format")."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from generator.emit.jinja import environment
from generator.inputs import FAMILIES, family_for, family_of
from generator.ir import Input, InputKind, ValueType
from generator.load import SourceFile, Sources, read_sources
from generator.pipeline import build_catalogue
from tests.conftest import ROOT

KITCHEN_SINK = ROOT / "tests" / "cases" / "every-input-type" / "specs"


def kitchen_sink() -> dict[str, Input]:
    sources = read_sources(KITCHEN_SINK)
    providers = read_sources(ROOT / "specs").providers
    catalogue, problems = build_catalogue(Sources(providers=providers, models=sources.models))
    assert catalogue is not None, problems
    (model,) = catalogue.models
    return {i.wire_name: i for i in model.inputs}


@pytest.mark.parametrize(
    ("kind", "raw", "family"),
    [
        (InputKind.TEXT, {}, "text"),
        (InputKind.TEXTAREA, {}, "text"),
        (InputKind.NUMBER, {}, "number"),
        (InputKind.FLOAT, {}, "number"),
        (InputKind.RANGE, {}, "number"),
        (InputKind.SELECT, {}, "select"),
        (InputKind.SELECTWITHCOVER, {}, "select"),
        (InputKind.MULTISELECT, {}, "select"),
        (InputKind.SELECT, {"boolean": {}}, "boolean"),
        (InputKind.CHECKBOX, {}, "boolean"),
        (InputKind.CHECKBOX, {"boolean": {}}, "boolean"),
        (InputKind.FILEINPUT, {}, "file"),
        (InputKind.MULTIFILEINPUT, {}, "file"),
        (InputKind.COMBINEFILEINPUT, {}, "file"),
    ],
)
def test_every_kind_belongs_to_one_family(
    kind: InputKind, raw: dict[str, object], family: str
) -> None:
    assert family_for(kind, raw).name == family
    assert sum(f.claims(kind, raw) for f in FAMILIES.values()) == 1


def test_the_kitchen_sink_inputs_are_read_by_their_families() -> None:
    inputs = kitchen_sink()
    families = {name: item.family for name, item in inputs.items()}
    assert families == {
        "prompt": "text",
        "title": "text",
        "apiToken": "text",
        "seed": "text",
        "style": "select",
        "customModel": "select",
        "tags": "select",
        "background": "select",
        "steps": "number",
        "scale": "number",
        "strength": "number",
        "frames": "number",
        "safe": "boolean",
        "IDmix": "boolean",
        "upscale": "boolean",
        "inputImageUrl": "file",
        "maskImage": "file",
        "referenceImages": "file",
        "clips": "file",
    }
    assert (inputs["frames"].value_type, inputs["strength"].value_type) == (
        ValueType.INT,
        ValueType.FLOAT,
    )
    assert inputs["customModel"].value_type is ValueType.STR  # a select without options


def test_each_family_says_how_its_values_look_in_python_and_on_the_wire() -> None:
    inputs = kitchen_sink()
    shown = {
        name: (family_of(i).annotation(i), family_of(i).wire_value(i, i.default))
        for name, i in inputs.items()
        if i.default is not None
    }
    # A multiselect is a JSON array on the wire (Wiro-MCP's formatter, the n8n nodes).
    assert shown["tags"] == ("Sequence[Tags | TagsValue]", ["portrait", "outdoor"])
    assert shown["upscale"] == ("bool", "NO")
    assert shown["IDmix"] == ("bool", "--id_mix")
    assert shown["clips"] == (  # a combinefileinput: a JSON array (Wiro-MCP's formatter)
        "Sequence[FileInput]",
        ["https://cdn.example.com/a.mp4", "https://cdn.example.com/b.mp4"],
    )
    assert shown["steps"] == ("int", 30)
    style = inputs["style"]
    assert family_of(style).literal(style, "natural") == "Style.NATURAL"


def test_every_family_has_its_wire_rule_macro() -> None:
    for family in FAMILIES.values():
        module = environment().get_template(family.template).module
        assert callable(getattr(module, "input_spec", None)), family.template


def test_no_emitter_switches_over_input_kinds() -> None:
    # The point of the families: a new kind is one module and one macro, not an edit of every
    # emitter. Emitters may read an input's facts, never branch on its kind or value type.
    for path in sorted((ROOT / "generator" / "emit").glob("*.py")):
        source = path.read_text("utf-8")
        names = {
            node.attr
            for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in ("InputKind", "ValueType")
        }
        assert not names, f"{path.name} switches over {sorted(names)}"


def test_a_family_reports_at_the_node_it_checks(tmp_path: Path) -> None:
    spec = (
        "provider: wiro\nname: acme/bad\nendpoint: acme/bad\ninputs:\n"
        "  - name: upscale\n    type: select\n    boolean: {true_value: 'YES', false_value: 'NO'}\n"
        "    default: 'NO'\n    options:\n      - {value: 'NO'}\n      - {value: maybe}\n"
    )
    providers = read_sources(ROOT / "specs").providers
    sources = Sources(providers=providers, models=(SourceFile("acme/bad.yaml", spec.encode()),))
    _, problems = build_catalogue(sources)
    assert [str(p) for p in problems] == [
        "acme/bad.yaml:7:14: a boolean select needs exactly the options 'NO' and 'YES'; "
        "it has ['NO', 'maybe']"
    ]
