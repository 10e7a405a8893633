"""The importer's small pieces, where a property test cannot see a mistake: quoting for YAML 1.2
readers, the map from the flat view back to the page's lines, and the Run URL rule."""

from __future__ import annotations

import pytest
import yaml

from generator.importer.page import flatten
from generator.importer.rules import endpoint_of
from generator.importer.writer import needs_quotes, number, scalar


@pytest.mark.parametrize(
    "text",
    [
        # YAML 1.1 (PyYAML) would misread these.
        "NO",
        "yes",
        "On",
        "off",
        "true",
        "~",
        "null",
        "",
        " lead",
        "trail ",
        "1.0",
        "2",
        "0x1F",
        "16:9",
        "2024-01-01",
        "<<",
        "=",
        # YAML 1.2 readers (editors, yaml-language-server) would misread these.
        "1e5",
        "0o17",
        ".inf",
        "-.Inf",
        ".NaN",
        "y",
        "N",
        # Indicators and structure.
        "- dash",
        "-1x",
        "[a]",
        "{a}",
        "*ref",
        "&anchor",
        "!tag",
        "|",
        ">",
        "#hex",
        "%x",
        "@x",
        "`x",
        "'x",
        '"x',
        "?",
        "a: b",
        "a #b",
        "end:",
        # Characters that must be escaped.
        "tab\there",
        "line\nbreak",
        "nel\x85",
        "ls\u2028",
        "bom\ufeff",
        "bell\x07",
    ],
)
def test_what_yaml_would_misread_is_quoted(text: str) -> None:
    assert needs_quotes(text)
    assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}


@pytest.mark.parametrize(
    "text",
    [
        "png",
        "Director's cut",
        'GalaxyTimeMachine\'s GTM "XLPlus"',
        "a, b",
        "key:value",
        "50%",
        "x#y",
        "“curly”",
        "\U0001f680 \U0001d401\U0001d428\U0001d425\U0001d41d"  # rocket, math-bold "Bold",
        "EulerDiscreteScheduler",
        "id_mix",
    ],
)
def test_plain_text_stays_plain(text: str) -> None:
    assert not needs_quotes(text)
    assert yaml.safe_load(f"k: {text}") == {"k": text}


def test_flow_lists_quote_what_would_end_an_item() -> None:
    assert needs_quotes("a, b", flow=True) and needs_quotes("a:b", flow=True)
    assert not needs_quotes("image generation", flow=True)


@pytest.mark.parametrize("value", [0.1, 5.0, 1e-05, 1e20, -2.5e-7, 123456.789])
def test_floats_read_back_as_floats_in_yaml_1_1(value: float) -> None:
    assert yaml.safe_load(f"k: {number(value)}") == {"k": value}


def test_locations_point_into_the_original_lines_for_crlf_and_trailing_blanks() -> None:
    page = flatten("p.txt", "## A  \r\n  x: 1\t\r\n\r\ny: 2")
    assert page.flat == "## A x: 1 y: 2"
    assert str(page.location(page.flat.index("x"))) == "p.txt:2:3"
    assert str(page.location(page.flat.index("y"))) == "p.txt:4:1"
    assert page.begins_line(page.flat.index("y")) and not page.begins_line(page.flat.index("1"))


def test_locations_on_a_flattened_page_are_columns_of_line_one() -> None:
    page = flatten("p.txt", "## A x: 1 y: 2")
    assert str(page.location(page.flat.index("y"))) == "p.txt:1:11"


@pytest.mark.parametrize(
    ("url", "endpoint"),
    [
        ("https://api.wiro.ai/v1/Run/wiro/instant-id", "wiro/instant-id"),
        (
            "https://api.wiro.ai/v1/Run/black-forest-labs/flux-pro-1-1/",
            "black-forest-labs/flux-pro-1-1",
        ),
        ("https://api.wiro.ai/v1/Run/wiro/Face Swap v1.2", "wiro/Face Swap v1.2"),
        ("https://api.wiro.ai/v1/Run/wiro/Face%20Swap%20v1.2?x=1", "wiro/Face Swap v1.2"),
    ],
)
def test_the_endpoint_is_the_run_urls_owner_and_slug(url: str, endpoint: str) -> None:
    assert endpoint_of(url) == (endpoint, "")


@pytest.mark.parametrize(
    "url",
    [
        "https://api.wiro.ai/v1/Task/Detail",
        "https://api.wiro.ai/v1/Run/wiro",
        "https://api.wiro.ai/v1/Run/wiro/a/b",
        "https://api.wiro.ai/v1/Run/wiro/a%2Fb",
        "https://api.wiro.ai/v1/Run/wiro/..",
    ],
)
def test_a_run_url_without_one_owner_and_one_slug_is_refused(url: str) -> None:
    endpoint, problem = endpoint_of(url)
    assert endpoint is None and problem
