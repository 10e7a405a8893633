"""Spec text reaches Python, Markdown and shell as data (generator/emit/text.py)."""

from __future__ import annotations

import ast
import re
import shlex

from hypothesis import given
from hypothesis import strategies as st

from generator.emit import text

# Hostile text: quotes, backslashes, newlines, template syntax, HTML, bidi marks, astral emoji.
hostile = st.text(
    alphabet=st.sampled_from(
        [
            *list("a\"'\\\n\r\t{}%$|`*_[]<>&#-!~ "),
            "\u200f",
            "\u202e",
            "😀",
            "\U0001d401",
            "\x07",
            "é",
        ]
    ),
    max_size=30,
) | st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=30)


@given(hostile)
def test_python_literals_round_trip(value: str) -> None:
    literal = text.py_str(value)
    assert ast.literal_eval(literal) == value
    assert "\n" not in literal


@given(hostile)
def test_docstring_text_cannot_close_the_docstring(value: str) -> None:
    source = f'def f():\n    """{text.doc_text(value)} """\n'
    tree = ast.parse(source)
    doc = ast.get_docstring(tree.body[0], clean=False)  # type: ignore[arg-type]
    assert doc is not None
    assert doc == " ".join(value.split()) + " "


@given(hostile)
def test_markdown_cells_stay_one_cell_without_html(value: str) -> None:
    cell = text.md(value)
    assert "\n" not in cell
    assert re.search(r"(?<!\\)\|", cell) is None
    assert "<" not in cell and ">" not in cell.replace("&gt;", "")
    code = text.md_code(value)
    assert "\n" not in code and re.search(r"(?<!\\)\|", code) is None


@given(hostile)
def test_shell_words_round_trip(value: str) -> None:
    assert shlex.split(text.sh_single(value)) == [value]


def test_python_literals_use_black_quotes() -> None:
    assert text.py_str("plain") == '"plain"'
    assert text.py_str('say "hi"') == "'say \"hi\"'"
    # Both quotes: black keeps whichever needs fewer escapes (double when it is a tie).
    assert text.py_str('it\'s "x"') == "'it\\'s \"x\"'"
    assert text.py_str("it's \"x\" y's") == '"it\'s \\"x\\" y\'s"'
    assert text.py_literal((1, 2.5, True, None)) == "(1, 2.5, True, None)"
    assert text.py_literal(("one",)) == '("one",)'


def test_markdown_escapes_only_what_markdown_reads() -> None:
    assert text.md("black-forest-labs/flux-pro-1.1") == "black-forest-labs/flux-pro-1.1"
    assert text.md("ip_adapter_scale") == "ip_adapter_scale"
    assert text.md("_MOHAWK_ | <b>*x*</b>") == "\\_MOHAWK\\_ \\| &lt;b&gt;\\*x\\*&lt;/b&gt;"
    assert text.md("1. first") == "1\\. first"
    assert text.md_link("javascript:alert(1)", "x") == "`javascript:alert(1)`"


@given(hostile | st.text(max_size=30))
def test_toml_strings_read_back_as_the_text(value: str) -> None:
    import tomllib

    read = tomllib.loads(f"key = {text.toml_str(value)}\n")["key"]
    expected = "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in value)
    assert read == expected
