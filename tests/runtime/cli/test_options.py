"""Options made from a spec: names that never collide, values by label, examples."""

from __future__ import annotations

import click
import pytest
from wiro_client import InputSpec, ModelSpec
from wiro_client._catalogue import model_spec
from wiro_client.cli._options import SelectValue, example_command, input_options, option_names


def spec_of(*inputs: InputSpec) -> ModelSpec:
    return ModelSpec("acme/m", "acme/m", "wiro", object, inputs)  # type: ignore[arg-type]


def test_an_input_named_like_an_option_of_run_gets_a_prefix() -> None:
    spec = spec_of(
        InputSpec("json", "text", "json_"),
        InputSpec("inputJson", "text", "input_json"),
        InputSpec("wait", "checkbox", "wait", value_type="bool"),
        InputSpec("type", "text", "type_"),
        InputSpec("help", "text", "help_"),
    )
    assert [n.flag for n in option_names(spec)] == [
        "--input-json",
        "--input-input-json",
        "--input-wait",
        "--type",
        "--input-help",
    ]
    command = click.Command("m", params=[o for _, o in input_options(spec)])
    assert command.make_context("m", ["--input-wait", "--type", "x"]).params["input_2"] is True


def test_a_select_takes_a_value_or_a_label_in_any_case() -> None:
    item = InputSpec(
        "style", "select", "style", options=("1", "2"), option_labels=("Vivid", "Natural")
    )
    choice = SelectValue(item)
    assert [choice.convert(v, None, None) for v in ("1", "vivid", "NATURAL")] == ["1", "1", "2"]
    with pytest.raises(click.BadParameter, match="'3' is not an option of style"):
        choice.convert("3", None, None)
    completions = choice.shell_complete(
        click.Context(click.Command("m")), click.Option(["--s"]), "n"
    )
    assert [(c.value, c.help) for c in completions] == [("2", "Natural")]


def test_an_example_becomes_a_command_with_placeholders_for_what_it_lacks() -> None:
    spec = model_spec("wiro/instant-id")
    assert spec is not None
    words = example_command(spec, {"prompt": "a cat", "scheduler": "DDIMScheduler"})
    assert words == [
        "wiro",
        "run",
        "wiro/instant-id",
        "--input-image-url",
        "FILE_OR_URL",
        "--prompt",
        "a cat",
        "--scheduler",
        "DDIMScheduler",
    ]
