"""The naming rule (generator/normalize/naming.py), one row per clause."""

from __future__ import annotations

import keyword

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.normalize import naming


@pytest.mark.parametrize(
    ("wire", "python"),
    [
        ("inputImageUrl", "input_image_url"),  # camel case splits at each capital
        ("ip_adapter_scale", "ip_adapter_scale"),
        ("IDscale", "idscale"),  # a two-letter run followed by lower case stays one word
        ("HTTPServer", "http_server"),  # a longer run splits before its last capital
        ("inputIDs", "input_ids"),
        ("Watermark", "watermark"),
        ("flux-pro-1.1", "flux_pro_1_1"),  # anything not a letter or digit separates words
        ("naïve façade", "naive_facade"),  # folded to ASCII
        ("3d mode", "input_3d_mode"),  # a leading digit gets a word in front
        ("class", "class_"),  # keywords,
        ("match", "match_"),  # soft keywords,
        ("type", "type_"),  # builtins,
        ("json", "json_"),  # and pydantic.BaseModel's attributes get a trailing underscore
        ("model_dump", "input_model_dump"),  # pydantic's protected names get a word in front
        ("modelValidateJson", "input_model_validate_json"),
        ("model_name", "model_name"),
        ("self", "self_"),
    ],
)
def test_snake_case_rule(wire: str, python: str) -> None:
    assert naming.snake(wire, "input") == python


def test_prefix_depends_on_what_is_named() -> None:
    assert naming.snake("3d-labs", "owner") == "owner_3d_labs"
    assert naming.snake("3d-gen", "model") == "model_3d_gen"
    assert naming.pascal("3d-gen") == "Model3dGen"
    assert naming.enum_member("16:9") == "VALUE_16_9"


def test_names_without_letters_or_digits_are_refused() -> None:
    with pytest.raises(ValueError, match="no letters or digits"):
        naming.snake("__", "input")


def test_enum_members_are_unique_in_list_order() -> None:
    labels = ["Euler", "euler", None, "DDIM", None]
    assert naming.unique_members([naming.enum_member(x) if x else None for x in labels]) == [
        "EULER",
        "EULER_2",
        "EMPTY",
        "DDIM",
        "EMPTY_2",
    ]


@pytest.mark.parametrize(
    ("text", "is_key"),
    [
        ("select-model-help", True),
        ("selct-model-help", True),
        ("inferencesteps", True),
        ("seed", True),
        ("Prompt Upsampling", False),
        ("Text prompt for image generation.", False),
        ("NO", False),
    ],
)
def test_translation_keys(text: str, is_key: bool) -> None:
    assert naming.is_translation_key(text) is is_key


def test_label_keys_read_as_words_of_the_input_name() -> None:
    assert naming.humanize("negativeprompt", "negativePrompt") == "Negative prompt"
    assert naming.humanize("guidancescale", "scale") == "Guidance scale"
    assert naming.humanize("select-model", "selectedModel") == "Select model"
    assert naming.humanize("numberofoutputs", "samples") == "Numberofoutputs"


@given(st.text(min_size=1, max_size=40))
def test_any_name_with_a_letter_or_digit_becomes_a_valid_identifier(text: str) -> None:
    if not naming.has_word(text):
        return
    for kind in ("input", "model", "owner"):
        name = naming.snake(text, kind)  # type: ignore[arg-type]
        assert name.isidentifier() and name.isascii()
        assert not keyword.iskeyword(name) and not keyword.issoftkeyword(name)
        assert naming.snake(text, kind) == name  # stable
    assert naming.pascal(text).isidentifier()
    member = naming.enum_member(text)
    assert member is not None and member.isidentifier() and not member.startswith("_")
