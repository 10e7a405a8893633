"""The spec rules, checked on the real specs where the seed pages exercise them.

Each messy case of ../shared/seeds/README.md has a rule (README, "Spec format"); the refusals
have case directories in tests/cases, the accepted forms are pinned here.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from generator.ir import Catalogue, FileFields, Input, InputKind, Model, ValueType
from generator.load import read_sources
from generator.pipeline import build_catalogue
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.catalogue

PAGES = {
    "wiro/instant-id": "000_31a65c2e63523ae1.txt",
    "wiro/image-inpainting-sd": "001_8ddcafa1c73a4561.txt",
    "black-forest-labs/flux-pro-1-1": "004_5522909650315600.txt",
}


@cache
def catalogue() -> Catalogue:
    built, problems = build_catalogue(read_sources(ROOT / "specs"))
    assert built is not None, problems
    return built


def model(endpoint: str) -> Model:
    return next(m for m in catalogue().models if m.endpoint == endpoint)


def field(endpoint: str, name: str) -> Input:
    return model(endpoint).input(name)


def test_name_and_endpoint_slug_may_differ() -> None:
    flux = model("black-forest-labs/flux-pro-1-1")
    assert flux.name == "black-forest-labs/flux-pro-1.1"
    assert (flux.owner_attr, flux.slug_attr, flux.file_stem) == (
        "black_forest_labs",
        "flux_pro_1_1",
        "black-forest-labs/flux-pro-1-1",
    )


def test_duplicated_option_is_listed_once_in_the_spec() -> None:
    scheduler = field("wiro/instant-id", "scheduler")
    values = [o.value for o in scheduler.options]
    assert values.count("EulerDiscreteScheduler") == 1
    assert len(values) == 8 and scheduler.default == "EulerAncestralDiscreteScheduler"


def test_select_without_options_is_plain_optional_text() -> None:
    private = field("wiro/instant-id", "selectedModelPrivate")
    assert (private.kind, private.value_type, private.required, private.default) == (
        InputKind.SELECT,
        ValueType.STR,
        False,
        None,
    )


def test_bare_boolean_and_number_select_defaults_are_read_as_written() -> None:
    assert field("black-forest-labs/flux-pro-1-1", "safetyTolerance").default == "2"
    upsampling = field("black-forest-labs/flux-pro-1-1", "promptUpsampling")
    assert upsampling.value_type is ValueType.BOOL and upsampling.default is False
    assert (
        upsampling.boolean and (upsampling.boolean.true_value, upsampling.boolean.false_value)
    ) == ("true", "false")


def test_text_with_a_bare_number_default_keeps_its_digits() -> None:
    assert field("wiro/instant-id", "seed").default == "3572004920"
    assert field("wiro/image-inpainting-sd", "seed").default == "123456"
    assert field("black-forest-labs/flux-pro-1-1", "seed").default == "42"


def test_inputs_without_default_are_required_file_inputs() -> None:
    image = field("wiro/instant-id", "inputImageUrl")
    assert image.required and image.default is None
    assert image.file == FileFields(upload="inputImage", url="inputImageUrl", multiple=False)
    mask = field("wiro/image-inpainting-sd", "inputImageMaskUrl")
    assert mask.required and mask.file is not None and mask.file.upload == "inputImageMask"


def test_translation_keys_are_not_shown_as_text() -> None:
    samples = field("wiro/instant-id", "samples")
    assert samples.raw_help == "guidancescale-help"  # the page reuses another input's key
    assert samples.help is None and samples.label == "Samples"
    assert field("wiro/image-inpainting-sd", "selectedModel").raw_help == "selct-model-help"
    assert field("wiro/image-inpainting-sd", "selectedModel").help is None
    assert field("wiro/instant-id", "negativePrompt").label == "Negative prompt"
    assert (
        field("black-forest-labs/flux-pro-1-1", "prompt").help
        == "Text prompt for image generation."
    )


def test_option_labels_with_quotes_spaces_and_dots_become_members() -> None:
    options = {o.value: o for o in field("wiro/instant-id", "selectedModel").options}
    assert options["1061"].description == 'GalaxyTimeMachine\'s GTM "XLPlus"'
    assert options["1061"].member == "GALAXYTIMEMACHINE_GALAXY_TIME_MACHINES_GTM_XL_PLUS"
    assert options["554"].member == "MOXIE1776_MOXIE_DIFFUSION_XL_V1_91"
    assert options["964"].trigger_words == (
        "ghibli",
        "sticker design",
        "portrait art style",
        "illustrator",
        "horror style",
        "anime style",
    )


def test_flat_examples_are_grouped_into_whole_examples() -> None:
    examples = model("wiro/instant-id").examples
    assert len(examples) == 10
    assert all([name for name, _ in e.values] == ["prompt", "negativePrompt"] for e in examples)
    assert len(model("black-forest-labs/flux-pro-1-1").examples) == 8
    assert model("wiro/image-inpainting-sd").examples == ()


def _page_options(page: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of one select on a flattened seed page, duplicates included."""
    start = page.index(f"- name: {name} ")
    ends = [i for i in (page.find("- name: ", start + 1), page.find(" ## ", start)) if i > 0]
    section = page[start : min(ends)]
    return re.findall(
        r'- value: "(.*?)" label: (.*?)(?= description: | - value: | triggerwords: |$)', section
    )


@pytest.mark.parametrize("endpoint", sorted(PAGES))
def test_specs_transcribe_every_option_and_default_of_their_page(endpoint: str) -> None:
    page = (SEEDS / PAGES[endpoint]).read_text(encoding="utf-8")
    spec = model(endpoint)
    for item in spec.inputs:
        if item.options:
            on_page = list(dict.fromkeys(_page_options(page, item.wire_name)))
            assert [(o.value, o.label) for o in item.options] == [
                (v, label.strip()) for v, label in on_page
            ], item.wire_name
    names_on_page = re.findall(r"- name: (\w+) label:", page)
    assert [i.wire_name for i in spec.inputs] == names_on_page


def test_instant_id_and_inpainting_have_every_model_option() -> None:
    assert len(field("wiro/instant-id", "selectedModel").options) == 53
    assert len(field("wiro/image-inpainting-sd", "selectedModel").options) == 21
