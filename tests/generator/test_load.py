"""The located YAML loader: locations, exact source text, and what it refuses."""

from __future__ import annotations

import pytest
import yaml

from generator.load import parse_yaml, yaml_source
from generator.load.yaml_source import MAX_ALIASES


def load(text: str, path: str = "s.yaml") -> yaml_source.Document:
    doc, problems = parse_yaml(path, text.encode())
    assert doc is not None, problems
    return doc


def problems_of(data: bytes | str) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    doc, problems = parse_yaml("s.yaml", raw)
    assert doc is None
    return [str(p) for p in problems]


@pytest.fixture(params=["libyaml", "python"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both parsers must give the same results (libyaml is used when PyYAML has it)."""
    if request.param == "python":
        monkeypatch.setattr(yaml_source, "_Loader", yaml.SafeLoader)
    elif not hasattr(yaml, "CSafeLoader"):
        pytest.skip("PyYAML built without libyaml")
    return str(request.param)


def test_locations_are_one_based_line_and_column(loader: str) -> None:
    doc = load("a: 1\nlist:\n  - name: x\n    type: text\n")
    assert (doc.at(("list", 0, "type")).line, doc.at(("list", 0, "type")).col) == (4, 11)
    assert (doc.key_at(("list", 0, "type")).line, doc.key_at(("list", 0, "type")).col) == (4, 5)
    assert doc.at(("list", 0, "missing")) == doc.at(("list", 0))


def test_unquoted_scalars_keep_their_source_text(loader: str) -> None:
    doc = load("a: 0.10\nb: NO\nc: false\nd: 5.0\ne: 'quoted'\nf: 3572004920\n")
    assert doc.data == {"a": 0.1, "b": False, "c": False, "d": 5.0, "e": "quoted", "f": 3572004920}
    assert [doc.text_at((k,)) for k in "abcdef"] == [
        "0.10",
        "NO",
        "false",
        "5.0",
        None,
        "3572004920",
    ]


def test_duplicate_keys_are_an_error_at_the_second_key(loader: str) -> None:
    assert problems_of("a: 1\nb:\n  c: 1\n  c: 2\n") == [
        "s.yaml:4:3: duplicate key 'c' (first defined on line 3)"
    ]


def test_merge_keys_and_custom_tags_are_refused(loader: str) -> None:
    found = problems_of("base: &b {x: 1}\nm:\n  <<: *b\nt: !!python/object:os.system {}\n")
    assert found == [
        "s.yaml:3:3: merge keys (<<) are not allowed; write the keys out",
        "s.yaml:4:4: tag 'tag:yaml.org,2002:python/object:os.system' is not allowed",
    ]


def test_alias_bombs_stop_quickly(loader: str) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    found = problems_of("\n".join(lines) + "\n")
    assert len(found) == 1
    assert "more than" in found[0]


def test_a_few_aliases_are_fine(loader: str) -> None:
    doc = load("x: &v [1, 2]\ny: *v\n")
    assert doc.data == {"x": [1, 2], "y": [1, 2]}
    text = "x: &v [1]\n" + "".join(f"y{i}: *v\n" for i in range(MAX_ALIASES + 1))
    assert "aliases" in problems_of(text)[0]


def test_recursive_alias_is_refused(loader: str) -> None:
    assert "contains it" in problems_of("a: &a [*a]\n")[0]


def test_byte_level_problems_have_locations() -> None:
    assert problems_of(b"\xef\xbb\xbfa: 1\n") == [
        "s.yaml:1:1: file starts with a byte order mark; save it as UTF-8 without BOM"
    ]
    assert problems_of(b"a: 1\nb: caf\xe9\n") == ["s.yaml:2:7: invalid UTF-8 (byte 0xe9)"]
    assert problems_of("a:\n\tb: 1\n")[0].startswith("s.yaml:2:1: invalid YAML")
    assert problems_of("a: .inf\n") == ["s.yaml:1:4: '.inf' is not a finite number"]
    assert problems_of("") == ["s.yaml:1:1: the file is empty"]
    assert problems_of("a: 1\n---\nb: 2\n") == [
        "s.yaml:2:1: invalid YAML: expected a single document in the stream but found another document"
    ]


def test_oversized_files_are_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_SPEC_BYTES", 10)
    assert problems_of("a: 12345678901\n") == ["s.yaml:1:1: file is 15 bytes; the limit is 10"]


def test_timestamps_stay_text(loader: str) -> None:
    assert load("d: 2024-01-02\n").data == {"d": "2024-01-02"}


def test_tags_on_sequences_are_refused_too(loader: str) -> None:
    assert problems_of("a: !!python/object/apply:os.system [id]\n") == [
        "s.yaml:1:4: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed"
    ]


def test_tab_indentation_says_so(loader: str) -> None:
    assert problems_of("a:\n\t- b\n")[0].endswith("(a tab: YAML indents with spaces only)")
