"""The manifest: what generation wrote and from what, in a stable text form.

``.wirogen-manifest.json`` is generated output like any other file (committed, held by
``wirogen check``). It lists every file with its SHA-256, and records what the next run needs to
reuse work without reading a spec twice:

- ``fingerprint``: a hash of everything besides the model specs that decides the bytes (the
  generator's code, templates, meta-schemas, provider specs, the versions of black,
  datamodel-code-generator and the other libraries that shape output). Any difference means a
  full run.
- ``models``: per model spec (by its name under ``specs/``), the SHA-256 of its bytes, the files
  it produced, the few facts about it that catalogue-wide files and cross-spec checks use
  (:class:`ModelRecord`), and its warnings.

Content hashes only, never file times: a fresh clone (new mtimes) is as reusable as the folder
that was generated, and an edited generated file is noticed because its hash no longer matches.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import __version__

MANIFEST = ".wirogen-manifest.json"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class ModelEntry:
    """What catalogue-wide files and cross-spec checks know of a model (see ``pipeline.entry``)."""

    source: str
    provider: str
    name: str
    owner: str
    slug: str
    owner_attr: str
    slug_attr: str
    file_stem: str
    class_name: str
    input_class: str
    title: str
    description: str | None
    provider_at: tuple[int, int]
    name_at: tuple[int, int]
    endpoint_at: tuple[int, int]
    """Where ``provider:``, ``name:`` and ``endpoint:`` stand in the spec, for cross-spec
    messages."""


@dataclass(frozen=True)
class ModelRecord:
    spec: str
    """SHA-256 of the spec file's bytes."""
    files: tuple[str, ...]
    entry: ModelEntry
    warnings: tuple[tuple[int, int, str], ...] = ()
    """(line, column, message) of each warning the spec raised, reported again when reused."""
    types_key: str = ""
    """SHA-256 of what the model's input models module depends on: reused when only the rest
    of the spec changed."""


@dataclass(frozen=True)
class UnitRecord:
    """A unit of catalogue-wide files (see ``emit.SharedUnit``): its key and its files."""

    key: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Manifest:
    fingerprint: str = ""
    models: dict[str, ModelRecord] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    """Path -> SHA-256 of every generated file but the manifest."""
    shared: dict[str, UnitRecord] = field(default_factory=dict)


def render_manifest(
    files: Mapping[str, str],
    fingerprint: str = "",
    models: Mapping[str, ModelRecord] | None = None,
    hashes: Mapping[str, str] | None = None,
    shared: Mapping[str, UnitRecord] | None = None,
) -> str:
    """The manifest's text. ``hashes`` gives known SHA-256s (of files reused unchanged).

    One model or file a line, so a change to one spec shows as a few changed lines, and each
    line is encoded by json's C encoder (an indented ``json.dumps`` is ~10x slower).
    """
    known = hashes or {}
    lines = ["{", f'"generator": {_json(f"wirogen {__version__}")},']
    if fingerprint:
        lines.append(f'"fingerprint": {_json(fingerprint)},')
    if models:
        records = [f"{_json(name)}: {_json(_record_json(models[name]))}" for name in sorted(models)]
        lines += ['"models": {', ",\n".join(records), "},"]
    if shared:
        units = [
            f"{_json(name)}: {_json({'key': u.key, 'files': list(u.files)})}"
            for name, u in sorted(shared.items())
        ]
        lines += ['"shared": {', ",\n".join(units), "},"]
    entries = [
        f"{_json(path)}: {_json(known.get(path) or digest(files[path].encode('utf-8')))}"
        for path in sorted(files)
        if path != MANIFEST
    ]
    lines += ['"files": {', ",\n".join(entries), "}", "}"]
    body = "\n".join(line for line in lines if line) + "\n"
    # The manifest's own hash, as its second line: a run that changes nothing can tell from it
    # that the manifest on disk is exactly what it would write, without writing it again.
    return body.replace("{\n", f'{{\n"digest": {_json(digest(body.encode()))},\n', 1)


def is_intact(text: str) -> bool:
    """Whether ``text`` is a manifest exactly as :func:`render_manifest` wrote it."""
    head, newline, rest = text.partition("\n")
    line, newline2, tail = rest.partition("\n")
    if head != "{" or not line.startswith('"digest": "') or not newline2:
        return False
    return line == f'"digest": {_json(digest((head + newline + tail).encode()))},'


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _record_json(record: ModelRecord) -> dict[str, Any]:
    e = record.entry
    out: dict[str, Any] = {
        "spec": record.spec,
        "files": list(record.files),
        "entry": {
            "source": e.source,
            "provider": e.provider,
            "name": e.name,
            "owner": e.owner,
            "slug": e.slug,
            "owner_attr": e.owner_attr,
            "slug_attr": e.slug_attr,
            "file_stem": e.file_stem,
            "class_name": e.class_name,
            "input_class": e.input_class,
            "title": e.title,
            "description": e.description,
            "provider_at": list(e.provider_at),
            "name_at": list(e.name_at),
            "endpoint_at": list(e.endpoint_at),
        },
    }
    if record.warnings:
        out["warnings"] = [list(w) for w in record.warnings]
    if record.types_key:
        out["types"] = record.types_key
    return out


def parse_manifest(text: str) -> Manifest | None:
    """A manifest's content, or None when it is unreadable (then nothing is reused)."""
    try:
        document = json.loads(text)
        files = {str(p): str(h) for p, h in document["files"].items()}
        models = {str(name): _record(raw) for name, raw in document.get("models", {}).items()}
        shared = {
            str(name): UnitRecord(str(raw["key"]), tuple(str(f) for f in raw["files"]))
            for name, raw in document.get("shared", {}).items()
        }
        return Manifest(str(document.get("fingerprint", "")), models, files, shared)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _record(raw: dict[str, Any]) -> ModelRecord:
    entry = dict(raw["entry"])
    for at in ("provider_at", "name_at", "endpoint_at"):
        entry[at] = tuple(entry[at])
    return ModelRecord(
        spec=str(raw["spec"]),
        files=tuple(str(f) for f in raw["files"]),
        entry=ModelEntry(**entry),
        warnings=tuple((int(w[0]), int(w[1]), str(w[2])) for w in raw.get("warnings", [])),
        types_key=str(raw.get("types", "")),
    )


def manifest_files(text: str) -> list[str]:
    """Paths a manifest lists; an unreadable manifest lists nothing (nothing will be removed)."""
    manifest = parse_manifest(text)
    return sorted(manifest.files) if manifest else []
