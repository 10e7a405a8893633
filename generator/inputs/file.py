"""Files: ``fileinput`` (one), ``multifileinput`` and ``combinefileinput`` (several). Python takes
a URL, a path, bytes or a binary file (a sequence of them for several); URLs travel in the URL
field, uploads in the upload field (WIRO_API.md, "File inputs"). A page's ``inputImageUrl`` is the
URL field of the file input ``inputImage``; a ``combinefileinput`` mixes URLs and uploads in its
own field. A default is an http(s) URL."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from ..emit import format as layout
from ..emit import text
from ..ir import FileFields, Input, InputKind, Value, ValueType
from ..load import Document, PathKey
from ..normalize.values import split_list
from .base import Facts, Family, Reading, Shaped

_URL = re.compile(r"^https?://\S+$")


class File(Family):
    name: ClassVar[str] = "file"
    kinds: ClassVar[frozenset[InputKind]] = frozenset(
        {InputKind.FILEINPUT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT}
    )

    def read(self, reading: Reading) -> Facts:
        separator = str(reading.raw.get("separator", ","))
        fields = file_fields(reading.kind, reading.name, separator)
        value_type = ValueType.FILE_LIST if fields.multiple else ValueType.FILE
        return Facts(value_type, separator=separator if fields.multiple else None, file=fields)

    def coerce(self, doc: Document, path: PathKey, value: Any, shape: Shaped) -> Value:
        if shape.value_type is ValueType.FILE_LIST:
            return split_list(doc, path, value, shape.separator or ",")
        return super().coerce(doc, path, value, shape)

    def check_default(self, reading: Reading, facts: Facts, default: Value) -> None:
        urls = default if isinstance(default, tuple) else (default,)
        bad = [u for u in urls if not isinstance(u, str) or not _URL.match(u)]
        if bad:
            reading.fail(
                ("default",), f"a file input's default must be an http(s) URL, found {bad[0]!r}"
            )

    def annotation(self, item: Input) -> str:
        return "Sequence[FileInput]" if item.value_type is ValueType.FILE_LIST else "FileInput"

    def python_schema(self, item: Input, defs: dict[str, Any]) -> dict[str, Any]:
        if item.value_type is ValueType.FILE_LIST:
            return {"type": "array", "items": {"type": "string"}}
        return {"type": "string"}

    def wire_schema(self, item: Input) -> dict[str, Any]:
        if item.kind is InputKind.COMBINEFILEINPUT:
            return {"type": "array", "items": {"type": "string"}}
        return {"type": "string"}

    def wire_value(self, item: Input, value: Any) -> Any:
        """A combinefileinput's URLs as a JSON array (Wiro-MCP's formatter); a multifileinput's
        joined in its URL field (model-parameters.md)."""
        if isinstance(value, tuple):
            assert item.file is not None
            if item.kind is InputKind.COMBINEFILEINPUT:
                return list(value)
            return item.file.separator.join(value)
        return value

    def notes(self, item: Input) -> list[str]:
        if item.value_type is ValueType.FILE_LIST:
            return ["URLs and/or local files to upload (paths, bytes or binary files)."]
        return ["A URL, or a local file to upload (path, bytes or binary file)."]

    def page_notes(self, item: Input) -> list[str]:
        assert item.file is not None
        where = (
            f"URLs in {text.md_code(item.file.url)}" if item.file.url else "URLs and files mixed"
        )
        return [f"File: {where}, uploads in {text.md_code(item.file.upload)}."]

    def wire_notes(self, item: Input) -> list[str]:
        assert item.file is not None
        if item.kind is InputKind.COMBINEFILEINPUT:
            return [f"An array of URLs; local files are uploaded in {item.file.upload!r}."]
        if item.file.multiple:
            return [
                f"URLs joined by {item.file.separator!r}; local files are uploaded in "
                f"{item.file.upload!r}."
            ]
        return [f"A URL; a local file is uploaded in {item.file.upload!r} instead."]

    def placeholder(self, item: Input) -> Value:
        if item.value_type is ValueType.FILE_LIST:
            return (f"https://example.com/{item.py_name}-1.png",)
        return f"https://example.com/{item.py_name}.png"

    def example_argument(self, item: Input, value: Value, indent: str) -> str:
        if isinstance(value, tuple):
            items = [text.py_literal(v) for v in value]
            return layout.collection(f"{item.py_name}=", items, ",", indent=indent, brackets="[]")
        return super().example_argument(item, value, indent)


def file_fields(kind: InputKind, name: str, separator: str) -> FileFields:
    """Where files and URLs go (WIRO_API.md, "File inputs").

    A page that lists ``inputImageUrl`` documents the URL field of the file input ``inputImage``;
    a ``combinefileinput`` takes files and URLs mixed in its own field.
    """
    multiple = kind is not InputKind.FILEINPUT
    if kind is InputKind.COMBINEFILEINPUT:
        return FileFields(upload=name, url=None, multiple=True, separator=separator)
    if name.endswith("Url") and len(name) > 3:
        return FileFields(upload=name[:-3], url=name, multiple=multiple, separator=separator)
    return FileFields(upload=name, url=name + "Url", multiple=multiple, separator=separator)


FILE = File()
