"""Python formatting: black is the style authority for generated code, at a fraction of its cost.

Running black over every generated module cost ~50 ms a file (a minute for 1,000 models), so
generation does not: the templates write black's layout directly, and these helpers make the
decisions black would make where a line's length depends on the specs:

- :func:`collection` and :func:`subscript` lay out a bracket of plain items (strings, names) the
  way black does: on one line when it fits, else exploded (black's rules for atoms and subscripts);
- :func:`parameter` asks black itself about one ``run()`` parameter that is too long, through a
  small fragment in the same context (memoised: the same parameter recurs across models).

Tests hold every generated module to ``format_python(text) == text`` (black-stable), over the
committed output, the case directories, a synthetic catalogue and random hostile spec strings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from black.mode import Mode

LINE_LENGTH = 88
"""black's default, which the generated package keeps."""
INDENT = "    "


@cache
def _mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311})


def format_python(source: str) -> str:
    """``source`` as black formats it; raises ``ValueError`` naming the line if it is not Python."""
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=_mode())
    except InvalidInput as exc:
        raise ValueError(f"generated code is not valid Python: {exc}") from exc


@cache
def _stub_mode() -> Mode:
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY311}, is_pyi=True)


def format_stub(source: str) -> str:
    """``source`` as black formats a stub (``.pyi``: its own blank-line rules)."""
    import black

    return black.format_str(source, mode=_stub_mode())


def format_generated(path: str, source: str) -> str:
    """What black makes of a generated file: modules, stubs, and anything else as it is."""
    if path.endswith(".pyi"):
        return format_stub(source)
    return format_python(source) if path.endswith(".py") else source


def width(line: str) -> int:
    """Columns a line takes as black counts them (East Asian wide characters count twice)."""
    if line.isascii():
        return len(line)
    table = _width_table()
    if table is None:
        from black.strings import str_width

        return str_width(line)
    return sum(_char_width(table, ord(c)) for c in line)


@cache
def _width_table() -> list[tuple[int, int, int]] | None:
    """black's own table of character widths, read from its source without importing black.

    Importing black costs ~0.1 s, a fifth of the one-changed-spec budget, and every line with a
    non-ASCII character asks for its width. ``black/_width_table.py`` is plain data; when it is
    not beside the package, black's ``str_width`` is used instead.
    """
    import importlib.util

    spec = importlib.util.find_spec("black")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        source = Path(folder) / "_width_table.py"
        if source.is_file():
            namespace: dict[str, object] = {}
            exec(compile(source.read_text("utf-8"), str(source), "exec"), namespace)
            table = namespace.get("WIDTH_TABLE")
            return table if isinstance(table, list) else None
    return None


def _char_width(table: list[tuple[int, int, int]], codepoint: int) -> int:
    """black's ``char_width``: a binary search of the table; unlisted characters are 1 wide."""
    low, high = 0, len(table) - 1
    while low <= high:
        middle = (low + high) // 2
        start, end, columns = table[middle]
        if codepoint < start:
            high = middle - 1
        elif codepoint > end:
            low = middle + 1
        else:
            return max(columns, 0)
    return 1


def fits(line: str) -> bool:
    if line.isascii():
        return len(line) <= LINE_LENGTH
    if 2 * len(line) <= LINE_LENGTH:  # no character is wider than two columns
        return True
    return width(line) <= LINE_LENGTH


def _exploded(indent: str, head: str, opener: str, items: Sequence[str], closer: str) -> str:
    inner = indent + INDENT
    return "\n".join(
        [f"{indent}{head}{opener}", *(f"{inner}{item}," for item in items), f"{indent}{closer}"]
    )


def collection(
    head: str,
    items: Sequence[str],
    tail: str = "",
    *,
    indent: str = "",
    brackets: str = "()",
    one_tuple: bool = False,
) -> str:
    """``head(items)tail`` as black lays out a tuple, list or import list of bracket-free items.

    One line when it fits; otherwise black puts a lone item on a line of its own and explodes
    several, one a line with a trailing comma. ``one_tuple`` writes a one-item tuple with its
    comma (``("a",)``).
    """
    opener, closer = brackets[0], brackets[1]
    body = ", ".join(items) + ("," if one_tuple and len(items) == 1 else "")
    line = f"{indent}{head}{opener}{body}{closer}{tail}"
    if fits(line) or not items:
        return line
    if len(items) == 1:
        return f"{indent}{head}{opener}\n{indent}{INDENT}{body}\n{indent}{closer}{tail}"
    return _exploded(indent, head, opener, items, closer + tail)


def mappings(head: str, rows: Sequence[Sequence[str]], tail: str = "", *, indent: str = "") -> str:
    """``head({items}, ...)tail``, a tuple of dicts of plain items, as black lays it out.

    One line when it fits; otherwise one dict a line, each laid out by :func:`collection`
    (a one-item tuple keeps its comma either way).
    """
    dicts = ["{" + ", ".join(items) + "}" for items in rows]
    body = ", ".join(dicts) + ("," if len(dicts) == 1 else "")
    line = f"{indent}{head}({body}){tail}"
    if fits(line) or not rows:
        return line
    inner = indent + INDENT
    lines = [collection("", items, ",", indent=inner, brackets="{}") for items in rows]
    return "\n".join([f"{indent}{head}(", *lines, f"{indent}){tail}"])


def subscript(head: str, items: Sequence[str], tail: str = "", *, indent: str = "") -> str:
    """``head[items]tail`` (``Literal[...]``) as black lays it out.

    One line when it fits; else the items on one line of their own when they fit there (or there
    is only one: a subscript's single item gets no comma); else one item per line with a comma.
    """
    body = ", ".join(items)
    line = f"{indent}{head}[{body}]{tail}"
    if fits(line):
        return line
    inner = f"{indent}{INDENT}{body}"
    if len(items) == 1 or fits(inner):
        return f"{indent}{head}[\n{inner}\n{indent}]{tail}"
    return _exploded(indent, head, "[", items, "]" + tail)


def import_from(module: str, names: Sequence[str], *, indent: str = "") -> str:
    """``from module import names`` as black lays it out (parenthesised, one name a line)."""
    line = f"{indent}from {module} import {', '.join(names)}"
    if fits(line):
        return line
    return _exploded(indent, f"from {module} import ", "(", names, ")")


PARAMETER_INDENT = INDENT * 2
"""``run()`` parameters sit in a method of a class."""


_SIMPLE_PARAMETER = re.compile(
    r"(?P<name>\w+): (?P<annotation>[\w.]+(?: \| [\w.]+)*)"
    r" = (?P<default>[\w.+-]+|\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'),"
)
"""``name: A | B = default,`` with no bracket outside a string: the common long parameter."""
_TUPLE_PARAMETER = re.compile(
    r"(?P<name>\w+): (?P<annotation>[\w.]+\[[\w. |]+\]) = \((?P<members>[\w.]+(?:, [\w.]+)*,?)\),"
)
"""``name: Sequence[A | B] = (A.X, A.Y),``: a multiselect's default members."""


@cache
def parameter(text: str) -> str:
    """One keyword parameter of ``run()`` (``name: Annotation = default,``), laid out by black.

    A parameter that fits is written as is (the signature's trailing comma keeps one per line);
    a long one is split by black in a fragment of the same shape, so parenthesised annotations
    and exploded defaults come out exactly as black writes them.
    """
    line = PARAMETER_INDENT + text
    if fits(line):
        return line
    simple = _SIMPLE_PARAMETER.fullmatch(text)
    if simple and " | " not in simple["annotation"]:
        return line  # nothing black can split: no bracket, no operator outside the literal
    if simple and fits(PARAMETER_INDENT + INDENT + simple["annotation"]):
        # black wraps a long annotation with an operator in parentheses of its own
        return (
            f"{PARAMETER_INDENT}{simple['name']}: (\n"
            f"{PARAMETER_INDENT}{INDENT}{simple['annotation']}\n"
            f"{PARAMETER_INDENT}) = {simple['default']},"
        )
    many = _TUPLE_PARAMETER.fullmatch(text)
    head = f"{PARAMETER_INDENT}{many['name']}: {many['annotation']} = (" if many else ""
    if many and fits(head):
        # black splits at the default tuple's bracket, one member a line
        members = [m.strip() for m in many["members"].split(",") if m.strip()]
        lines = [head, *(f"{PARAMETER_INDENT}{INDENT}{m}," for m in members)]
        return "\n".join([*lines, f"{PARAMETER_INDENT}),"])
    fragment = (
        f"class _:\n    def f(\n        self,\n        *,\n{line}\n    ) -> None:\n        pass\n"
    )
    lines = format_python(fragment).splitlines()
    start = lines.index(PARAMETER_INDENT + "*,") + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(INDENT + ")"))
    return "\n".join(lines[start:end])


@cache
def statement(code: str, depth: int = 0) -> str:
    """One simple statement or compound-statement header (``def f(self) -> X:``) at ``depth``.

    Lines whose length comes from spec names (long slugs make long classes and methods) are
    written as they are when they fit, and otherwise laid out by black in a nested fragment.
    """
    indent = INDENT * depth
    text = indent + code
    if fits(text):
        return text
    wrappers = "".join(f"{INDENT * level}class _{level}:\n" for level in range(depth))
    body = f"\n{indent}{INDENT}pass" if code.endswith(":") else ""
    lines = format_python(f"{wrappers}{text}{body}\n").splitlines()[depth:]
    return "\n".join(lines[:-1] if body else lines)


def closing_docstring(text: str) -> str:
    """Text that ends a one-line docstring, padded as black pads one ending in a quote."""
    return text + " " if text.endswith('"') else text


def format_files(files: dict[str, str]) -> dict[str, str]:
    """Every module and stub of ``files`` formatted by black; other files unchanged (for tests)."""
    return {path: format_generated(path, src) for path, src in files.items()}
