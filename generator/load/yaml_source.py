"""YAML in, plain data out, with the location of every node kept beside it.

Plain PyYAML loses locations and silently keeps the last of two duplicate keys; specs come from
pull requests, so this loader composes the node graph itself (safe, C-accelerated when libyaml is
there), refuses duplicate keys, merge keys, custom tags and alias bombs, and records for each value
where it stands and, for unquoted scalars, the exact text written (so `default: 0.10` can be read as
the text "0.10" where text is expected).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic, Location, error

try:  # libyaml parses ~8x faster; the pure-Python loader is the fallback, with the same results.
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment,unused-ignore]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

PathKey = tuple[str | int, ...]

MAX_SPEC_BYTES = 4 * 1024 * 1024
"""Larger files are refused before parsing: the largest real page (166 options) is ~60 KB."""
MAX_NODES = 200_000
"""Values built from one file, aliases expanded: stops billion-laughs documents early."""
MAX_ALIASES = 64
"""Alias uses per file: specs have no need for more, and expansion attacks need many."""

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",  # kept as its text: a spec never means a date object
}
_constructor = SafeConstructor()


@dataclass
class Document:
    """One parsed YAML file: its data and where each part of it stands."""

    path: str
    data: Any
    positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    key_positions: dict[PathKey, tuple[int, int]] = field(default_factory=dict)
    source_text: dict[PathKey, str] = field(default_factory=dict)

    def at(self, path: PathKey) -> Location:
        """Location of the value at ``path``, or of its nearest ancestor that exists."""
        for end in range(len(path), -1, -1):
            pos = self.positions.get(path[:end])
            if pos is not None:
                return Location(self.path, *pos)
        return Location(self.path)

    def key_at(self, path: PathKey) -> Location:
        """Location of the mapping key that introduces ``path`` (for 'unexpected key' errors)."""
        pos = self.key_positions.get(path)
        return Location(self.path, *pos) if pos is not None else self.at(path)

    def text_at(self, path: PathKey) -> str | None:
        """What was written for an unquoted scalar (``5.0``, ``false``, ``NO``), else None."""
        return self.source_text.get(path)


class _Limits(Exception):
    def __init__(self, node: Node, message: str) -> None:
        super().__init__(message)
        self.node = node


def _position(node: Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def decode_source(path: str, raw: bytes) -> tuple[str | None, list[Diagnostic]]:
    """Bytes to text, refusing what a spec never legitimately contains."""
    if len(raw) > MAX_SPEC_BYTES:
        return None, [
            error(Location(path), f"file is {len(raw)} bytes; the limit is {MAX_SPEC_BYTES}")
        ]
    if raw.startswith(b"\xef\xbb\xbf"):
        return None, [
            error(
                Location(path), "file starts with a byte order mark; save it as UTF-8 without BOM"
            )
        ]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8")
        line, col = _line_col(good, len(good))
        return None, [
            error(Location(path, line, col), f"invalid UTF-8 (byte 0x{raw[exc.start]:02x})")
        ]
    return text, []


def parse_yaml(path: str, raw: bytes) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one YAML file into a located :class:`Document`, or say exactly why not."""
    text, problems = decode_source(path, raw)
    if text is None:
        return None, problems
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        what = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        if mark and text[mark.index : mark.index + 1] == "\t":
            what += " (a tab: YAML indents with spaces only)"
        return None, [error(where, f"invalid YAML: {what}")]
    except yaml.reader.ReaderError as exc:
        line, col = _line_col(text, exc.position)
        return None, [error(Location(path, line, col), f"invalid YAML: {exc.reason}")]
    except yaml.YAMLError as exc:  # pragma: no cover - every PyYAML error above carries a place
        return None, [error(Location(path), f"invalid YAML: {exc}")]
    finally:
        loader.dispose()
    if root is None:
        return None, [error(Location(path), "the file is empty")]
    doc = Document(path, None)
    builder = _Builder(doc)
    try:
        doc.data = builder.build(root, ())
    except _Limits as exc:
        return None, [error(Location(path, *_position(exc.node)), exc.args[0])]
    if builder.problems:
        return None, builder.problems
    return doc, []


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.problems: list[Diagnostic] = []
        self.nodes = 0
        self.aliases = 0
        self.seen: set[int] = set()
        self.active: set[int] = set()

    def build(self, node: Node, path: PathKey) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Limits(node, f"the document expands to more than {MAX_NODES} values")
        if id(node) in self.active:
            raise _Limits(node, "an alias refers to a node that contains it")
        if id(node) in self.seen and not isinstance(node, ScalarNode):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise _Limits(node, f"more than {MAX_ALIASES} aliases")
        self.seen.add(id(node))
        self.doc.positions[path] = _position(node)
        if isinstance(node, ScalarNode):
            return self.scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                if node.tag != "tag:yaml.org,2002:seq":
                    self.problems.append(
                        error(self.doc.at(path), f"tag {node.tag!r} is not allowed")
                    )
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            if isinstance(node, MappingNode):
                return self.mapping(node, path)
        finally:
            self.active.discard(id(node))
        raise _Limits(node, "unsupported YAML node")  # pragma: no cover

    def mapping(self, node: MappingNode, path: PathKey) -> dict[str, Any]:
        if node.tag != "tag:yaml.org,2002:map":
            self.problems.append(error(self.doc.at(path), f"tag {node.tag!r} is not allowed"))
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            where = Location(self.doc.path, *_position(key_node))
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.problems.append(
                    error(where, "merge keys (<<) are not allowed; write the keys out")
                )
                continue
            if not isinstance(key_node, ScalarNode):
                self.problems.append(error(where, "mapping keys must be plain text"))
                continue
            key = str(key_node.value)
            if key in first_seen:
                self.problems.append(
                    error(where, f"duplicate key {key!r} (first defined on line {first_seen[key]})")
                )
                continue
            first_seen[key] = where.line
            child = (*path, key)
            self.doc.key_positions[child] = (where.line, where.col)
            out[key] = self.build(value_node, child)
        return out

    def scalar(self, node: ScalarNode, path: PathKey) -> Any:
        tag = node.tag
        if tag not in _SCALAR_TAGS:
            self.problems.append(error(self.doc.at(path), f"tag {tag!r} is not allowed"))
            return None
        if not node.style:  # plain: None from PyYAML's Python parser, "" from libyaml
            self.doc.source_text[path] = node.value
        if tag == "tag:yaml.org,2002:str" or tag == "tag:yaml.org,2002:timestamp":
            return node.value
        # The tag's own constructor, not construct_object: that one caches every node it sees.
        value = _constructor.yaml_constructors[tag](_constructor, node)
        if isinstance(value, float) and not math.isfinite(value):
            self.problems.append(error(self.doc.at(path), f"{node.value!r} is not a finite number"))
            return None
        return value


def walk(data: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, Any]]:
    """Every (path, value) in a loaded document, parents before children."""
    yield path, data
    if isinstance(data, dict):
        for key, value in data.items():
            yield from walk(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from walk(value, (*path, i))
