"""The core: spec sources in, a map of output path -> file text out. No disk, no clock.

``generate``, ``check`` and the writer are thin doors around :func:`render_sources`.

At catalogue scale the same function does less work, never different work:

- given what the last run left (:class:`Previous`: its manifest and the bytes now on disk), a
  model whose spec bytes, generator fingerprint and output files are all unchanged is not
  parsed again: its files are the ones on disk, and its :class:`ModelEntry` (all that
  catalogue-wide files and cross-spec checks read) comes from the manifest. Catalogue-wide
  files are always rendered from entries, in a cold run too, so both paths feed them the same
  data and produce the same bytes;
- many models to build are spread over worker processes (each model's files depend on that
  model and its provider only).
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from . import __version__
from ._paths import license_file, runtime_dir, schema_dir, templates_dir
from .diagnostics import Diagnostic, Location, error, errors_only, warning
from .load import SourceFile, Sources
from .write.manifest import (
    MANIFEST,
    Manifest,
    ModelEntry,
    ModelRecord,
    UnitRecord,
    digest,
    is_intact,
    render_manifest,
)

if TYPE_CHECKING:
    from .ir import Catalogue, Model, Provider
    from .load import Document, PathKey
    from .validate import SpecKind

# Stages past loading are imported where they are used: a run with nothing to rebuild (the
# common case in CI) needs neither jsonschema nor the normaliser, and importing them costs
# more than the rest of such a run.

PARALLEL_FROM = 48
"""Models to build before worker processes pay for themselves (a fork costs ~10 ms)."""

OUTPUT_LIBRARIES = ("black", "datamodel-code-generator")
"""The formatter and the code generator, pinned exactly in pyproject.toml: their versions decide
the bytes. The fingerprint is committed inside generated/, so it may only depend on what every
machine shares (not the Python version, nor libraries pinned to a range, whose versions the
project already trusts not to change output)."""


class Files(Mapping[str, str]):
    """Generated files by path: rendered texts, plus texts still held as the bytes on disk.

    A run that changes nothing hands back ~45 MB read from the output folder (1,000 models);
    decoding all of it took a third of the no-op budget, and the writer never looks at those
    texts (it knows they are the bytes it would compare against). They are decoded when read.
    """

    def __init__(self, texts: Mapping[str, str], kept: Mapping[str, bytes] | None = None) -> None:
        self._texts = dict(texts)
        self._kept = {p: b for p, b in (kept or {}).items() if p not in self._texts}

    def __getitem__(self, path: str) -> str:
        text = self._texts.get(path)
        if text is None:
            text = self._texts[path] = self._kept.pop(path).decode("utf-8")
        return text

    def __contains__(self, path: object) -> bool:
        return path in self._texts or path in self._kept

    def __iter__(self) -> Iterator[str]:
        return iter(sorted([*self._texts, *self._kept]))

    def __len__(self) -> int:
        return len(self._texts) + len(self._kept)


@dataclass(frozen=True)
class Result:
    """Files to write (empty when there are errors) and everything worth telling the author.

    ``files`` includes the manifest; ``reused`` counts models whose files came from the last run.
    """

    files: Mapping[str, str] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    reused: int = 0
    verbatim: frozenset[str] = frozenset()
    """Paths whose text is the bytes ``Previous.files`` holds (the writer need not compare)."""

    @property
    def ok(self) -> bool:
        return not errors_only(self.diagnostics)


@dataclass(frozen=True)
class Previous:
    """What the last generation left: its manifest and the current bytes of the files it lists
    (a file missing from ``files`` is missing or unreadable on disk)."""

    manifest: Manifest
    files: Mapping[str, bytes]

    def intact(self, path: str) -> bool:
        """Whether ``path`` is on disk exactly as the manifest recorded it."""
        data = self.files.get(path)
        return data is not None and digest(data) == self.manifest.files.get(path)


def load_document(source: SourceFile, kind: SpecKind) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one spec file and check it against its meta-schema."""
    from .load import parse_yaml
    from .validate import check_structure

    doc, problems = parse_yaml(source.path, source.data)
    if doc is None:
        return None, problems
    problems = check_structure(doc, kind)
    return (None if problems else doc), problems


# --- Fingerprint --------------------------------------------------------------------------------


def installed_versions(names: Sequence[str]) -> dict[str, str]:
    """Installed version of each distribution, from the ``<name>-<version>.dist-info`` folders.

    The same answer as ``importlib.metadata.version`` for installed wheels at a fraction of the
    cost (that module alone takes ~30 ms to import, a tenth of the no-op budget); names it
    cannot find this way are asked of importlib.metadata.
    """
    wanted = {re.sub(r"[-_.]+", "_", n).lower(): n for n in names}
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in listing:
            if folder.endswith(".dist-info"):
                dist, _, version = folder[: -len(".dist-info")].partition("-")
                name = wanted.get(re.sub(r"[-_.]+", "_", dist).lower())
                if name is not None and name not in found:
                    found[name] = version
    for name in names:
        if name not in found:
            import importlib.metadata

            try:
                found[name] = importlib.metadata.version(name)
            except importlib.metadata.PackageNotFoundError:
                found[name] = "missing"
    return found


_IGNORED = frozenset({"__pycache__", "_data", "importer", "scaffold", "diff"})
"""Folders of the generator whose files cannot change what generation writes (the importer
writes specs, ``init``'s scaffold starts a repository and ``wirogen diff`` reports: none
writes output), so editing them does not invalidate every generated file."""


def _counts(parts: tuple[str, ...]) -> bool:
    """Whether a file under a fingerprinted folder is source: not in an ignored folder, nor in a
    tool's hidden cache (``make lint`` leaves ``.mypy_cache`` and ``.ruff_cache`` in runtime/)."""
    return not _IGNORED.intersection(parts) and not any(p.startswith(".") for p in parts)


@cache
def _tool_fingerprint() -> str:
    """The generator's own code, templates, runtime and meta-schemas, and the output libraries'
    versions."""
    h = hashlib.sha256(f"wirogen {__version__}\n".encode())
    for name, version in sorted(installed_versions(OUTPUT_LIBRARIES).items()):
        h.update(f"{name}=={version}\n".encode())
    package = Path(__file__).resolve().parent
    roots = ((package, "*.py"), (package, "*.toml"), (templates_dir(), "*"), (runtime_dir(), "*"))
    for root, pattern in roots:
        for path in sorted(root.rglob(pattern)):
            if path.is_file() and _counts(path.relative_to(root).parts):
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + _lf(path))
    for path in sorted(schema_dir().glob("*.json")):
        h.update(path.name.encode() + b"\0" + _lf(path))
    h.update(b"LICENSE\0" + _lf(license_file()))  # every package ships it
    return h.hexdigest()


def _lf(path: Path) -> bytes:
    """A file's bytes with CRLF read as LF (a Windows checkout has the same fingerprint)."""
    return path.read_bytes().replace(b"\r\n", b"\n")


def fingerprint(providers: Sequence[SourceFile]) -> str:
    """Everything but the model specs that decides the output: tools and provider specs."""
    h = hashlib.sha256(_tool_fingerprint().encode())
    for source in sorted(providers, key=lambda s: s.stable_name):
        h.update(source.stable_name.encode() + b"\0" + source.data.replace(b"\r\n", b"\n"))
    return h.hexdigest()


# --- Building models ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    """One model spec after load, validation, normalisation and (if it is valid) rendering."""

    name: str
    model: Model | None
    doc: Document | None
    diagnostics: list[Diagnostic]
    files: dict[str, str]
    types_key: str = ""
    """What the input models module depends on (see ``emit.types.types_key``)."""


def build_providers(sources: Sources) -> tuple[dict[str, Provider], list[Diagnostic]]:
    from .normalize import build_provider

    diagnostics: list[Diagnostic] = []
    providers: dict[str, Provider] = {}
    for source in sources.providers:
        doc, problems = load_document(source, "provider")
        diagnostics += problems
        if doc is not None:
            provider, problems = build_provider(doc, source.stable_name)
            diagnostics += problems
            if provider is not None:
                providers[provider.name] = provider
    return providers, diagnostics


def build_one(
    source: SourceFile,
    providers: Mapping[str, Provider],
    render: bool,
    earlier_types: Mapping[str, str] | None = None,
) -> Built:
    """Load, check and normalise one model spec; render its files when ``render`` and it is valid.

    ``earlier_types`` maps a types key to the input models module the last run wrote for it:
    an edit that leaves a model's inputs as they were (its description, an example) reuses that
    module instead of starting datamodel-code-generator (~0.6 s before its first model).
    """
    from .normalize import build_model

    doc, diagnostics = load_document(source, "model")
    model: Model | None = None
    if doc is not None:
        model, problems = build_model(doc, source.stable_name)
        diagnostics += problems
    files: dict[str, str] = {}
    key = ""
    if render and model is not None and model.provider in providers:
        # Jinja and datamodel-code-generator load only when generating.
        from .emit.types import types_key
        from .emit.units import EmitError, render_model

        key = types_key(model)
        earlier = (earlier_types or {}).get(key)
        try:
            files = render_model(model, providers[model.provider], earlier)
        except EmitError as exc:  # fail closed at the spec: no traceback, nothing written
            diagnostics.append(error(Location(source.path), exc.message))
            model = None
    slim = None if doc is None else _slim(doc)
    if render and model is not None and slim is not None:
        # Its files are rendered: what is left to do needs the model's entry only, and sending
        # the whole IR back from a worker (every option of every select) costs the parent time.
        model = listed_model(entry(model, slim))
    return Built(source.stable_name, model, slim, diagnostics, files, key)


def _slim(doc: Document) -> Document:
    """The document without its data: the two locations cross-spec checks cite (cheap to send)."""
    from .load import Document

    keys: tuple[PathKey, ...] = (("provider",), ("name",), ("endpoint",))
    return Document(doc.path, None, {k: doc.positions[k] for k in keys if k in doc.positions})


def _build_chunk(
    chunk: Sequence[SourceFile],
    providers: Mapping[str, Provider],
    render: bool,
    earlier_types: Mapping[str, str] | None = None,
) -> list[Built]:
    return [build_one(source, providers, render, earlier_types) for source in chunk]


def build_many(
    sources: Sequence[SourceFile],
    providers: Mapping[str, Provider],
    render: bool,
    jobs: int,
    earlier_types: Mapping[str, str] | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> list[Built]:
    """:func:`build_one` over ``sources``, in worker processes when there are enough of them;
    then ``meanwhile`` runs here while they work (only then: alone it would be extra work)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    serial = jobs <= 1 or len(sources) < PARALLEL_FROM
    if serial or "fork" not in multiprocessing.get_all_start_methods():  # spawn re-imports all
        return _build_chunk(sources, providers, render, earlier_types)
    size = max(4, len(sources) // (jobs * 32))  # small chunks: the last one ends the run
    chunks = [sources[i : i + size] for i in range(0, len(sources), size)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        count = len(chunks)
        parts = pool.map(
            _build_chunk, chunks, [providers] * count, [render] * count, [earlier_types] * count
        )
        if meanwhile:
            meanwhile()  # the workers have their tasks: use this process's wait
        return [built for part in parts for built in part]


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


# --- Entries: what catalogue-wide files see of a model -------------------------------------------


def entry(model: Model, doc: Document) -> ModelEntry:
    def at(key: str) -> tuple[int, int]:
        location = doc.at((key,))
        return location.line, location.col

    return ModelEntry(
        source=model.source,
        provider=model.provider,
        name=model.name,
        owner=model.owner,
        slug=model.slug,
        owner_attr=model.owner_attr,
        slug_attr=model.slug_attr,
        file_stem=model.file_stem,
        class_name=model.class_name,
        input_class=model.input_class,
        title=model.title,
        description=model.description,
        provider_at=at("provider"),
        name_at=at("name"),
        endpoint_at=at("endpoint"),
    )


def listed_model(e: ModelEntry) -> Model:
    """A model as catalogue-wide files and cross-spec checks see it: its entry, no inputs."""
    from .ir import Model

    return Model(
        source=e.source,
        provider=e.provider,
        name=e.name,
        owner=e.owner,
        slug=e.slug,
        owner_attr=e.owner_attr,
        slug_attr=e.slug_attr,
        file_stem=e.file_stem,
        class_name=e.class_name,
        input_class=e.input_class,
        title=e.title,
        description=e.description,
        cover=None,
        categories=(),
        tags=(),
        inputs=(),
        examples=(),
    )


def listed_doc(e: ModelEntry, path: str) -> Document:
    from .load import Document

    positions: dict[PathKey, tuple[int, int]] = {
        ("provider",): e.provider_at,
        ("name",): e.name_at,
        ("endpoint",): e.endpoint_at,
    }
    return Document(path, None, positions)


# --- The core -----------------------------------------------------------------------------------


def build_catalogue(sources: Sources) -> tuple[Catalogue | None, list[Diagnostic]]:
    """Load, validate and normalize every spec; all problems of all files are reported."""
    from .validate import check_catalogue

    providers, diagnostics = build_providers(sources)
    built = [build_one(s, providers, render=False) for s in sources.models]
    pairs = [(b.model, b.doc) for b in built if b.model is not None and b.doc is not None]
    for b in built:
        diagnostics += b.diagnostics
    diagnostics += check_catalogue(pairs, providers)
    if errors_only(diagnostics):
        return None, sorted(diagnostics)
    return _catalogue(providers, [m for m, _ in pairs]), sorted(diagnostics)


def _catalogue(providers: dict[str, Provider], models: list[Model]) -> Catalogue:
    from .ir import Catalogue

    ordered = tuple(sorted(models, key=lambda m: (m.owner_attr, m.slug_attr)))
    used = {m.provider for m in ordered}
    return Catalogue(
        tuple(p for name, p in sorted(providers.items()) if name in used or not ordered), ordered
    )


def reusable(source: SourceFile, previous: Previous | None, print_: str) -> ModelRecord | None:
    """The last run's record of ``source`` when all of its output can be kept as it is."""
    if previous is None or previous.manifest.fingerprint != print_:
        return None
    record = previous.manifest.models.get(source.stable_name)
    if record is None or record.spec != digest(source.data):
        return None
    return record if all(previous.intact(f) for f in record.files) else None


def render_sources(
    sources: Sources, previous: Previous | None = None, jobs: int | None = None
) -> Result:
    """Everything ``wirogen generate`` would write, keyed by path relative to the output folder.

    ``previous`` lets unchanged models be taken from the last run; the result is the same.
    """
    print_ = fingerprint(sources.providers)
    records = {s.stable_name: reusable(s, previous, print_) for s in sources.models}
    kept = {name: r for name, r in records.items() if r is not None}
    if previous is not None and _nothing_changed(sources, previous, kept):
        return _as_before(previous, sources)

    from .release import read_history, release_unit
    from .validate import check_catalogue

    providers, diagnostics = build_providers(sources)
    history, problems = read_history(sources.releases)
    diagnostics += problems
    to_build = [s for s in sources.models if s.stable_name not in kept]
    earlier = _earlier_types(previous, print_, to_build)
    from .emit.units import prepare_shared

    built = build_many(to_build, providers, True, jobs or default_jobs(), earlier, prepare_shared)
    for b in built:
        diagnostics += b.diagnostics
    # Cross-spec checks see the models in source order, kept or built, as a cold run does.
    fresh = {b.name: b for b in built}
    pairs: list[tuple[Model, Document]] = []
    entries: dict[str, ModelEntry] = {}
    for source in sources.models:
        name, record = source.stable_name, kept.get(source.stable_name)
        if record is not None:
            pairs.append((listed_model(record.entry), listed_doc(record.entry, source.path)))
            entries[name] = record.entry
            diagnostics += [
                warning(Location(source.path, line, col), message)
                for line, col, message in record.warnings
            ]
            continue
        b = fresh[name]
        if b.model is not None and b.doc is not None:
            pairs.append((b.model, b.doc))
            entries[name] = entry(b.model, b.doc)
    diagnostics += check_catalogue(pairs, providers)
    if errors_only(diagnostics) or history is None:
        return Result({}, sorted(diagnostics))

    from .emit.units import merge, shared_units  # emitters import jinja: only when generating

    listing = _catalogue(providers, [listed_model(e) for e in entries.values()])
    units: dict[str, UnitRecord] = {}
    rendered: list[dict[str, str]] = []
    kept_files = {f for r in kept.values() for f in r.files}
    earlier_units = previous.manifest.shared if previous and not _stale(previous, print_) else {}
    for unit in [*shared_units(listing), release_unit(sources.releases, history)]:
        earlier_unit = earlier_units.get(unit.name)
        if (
            previous is not None
            and earlier_unit is not None
            and earlier_unit.key == unit.key
            and all(previous.intact(f) for f in earlier_unit.files)
        ):
            units[unit.name] = earlier_unit
            kept_files.update(earlier_unit.files)
        else:
            made = unit.render()
            units[unit.name] = UnitRecord(unit.key, tuple(sorted(made)))
            rendered.append(made)
    files = merge([*rendered, *(b.files for b in built)])
    if kept_files & set(files):
        raise AssertionError("a kept file was rendered again")
    data = {s.stable_name: s.data for s in sources.models}
    new_records = dict(kept)
    for b in built:
        if b.model is not None:
            warned = tuple(
                (d.location.line, d.location.col, d.message)
                for d in b.diagnostics
                if d.severity == "warning"
            )
            own = tuple(sorted(b.files))
            new_records[b.name] = ModelRecord(
                digest(data[b.name]), own, entries[b.name], warned, b.types_key
            )
    raw = previous.files if previous else {}
    known = previous.manifest.files if previous else {}
    hashes = {f: known[f] for f in kept_files}
    everything = Files(files, {f: raw[f] for f in kept_files})
    manifest = render_manifest(everything, print_, new_records, hashes, units)
    result = Files({**files, MANIFEST: manifest}, everything._kept)
    return Result(result, sorted(diagnostics), len(kept), frozenset(kept_files))


def _stale(previous: Previous, print_: str) -> bool:
    return previous.manifest.fingerprint != print_


def _earlier_types(
    previous: Previous | None, print_: str, to_build: Sequence[SourceFile]
) -> dict[str, str]:
    """Types key -> intact input models module, from the last run's records of specs to build."""
    if previous is None or previous.manifest.fingerprint != print_:
        return {}
    earlier: dict[str, str] = {}
    for source in to_build:
        record = previous.manifest.models.get(source.stable_name)
        if record is None or not record.types_key:
            continue
        path = next((f for f in record.files if f.startswith(TYPES_FOLDER)), None)
        if path is not None and previous.intact(path):
            earlier[record.types_key] = previous.files[path].decode("utf-8")
    return earlier


TYPES_FOLDER = "python/wiro_client/types/"


def _nothing_changed(sources: Sources, previous: Previous, kept: dict[str, ModelRecord]) -> bool:
    """Every model kept, no model gone, the version history as it was, and every other
    generated file on disk as recorded."""
    if len(kept) != len(sources.models) or set(previous.manifest.models) != set(kept):
        return False
    from .release import UNIT, release_key

    release = previous.manifest.shared.get(UNIT)
    if release is None or release.key != release_key(sources.releases):
        return False
    own = {f for r in kept.values() for f in r.files}
    return all(previous.intact(f) for f in previous.manifest.files if f not in own)


def _as_before(previous: Previous, sources: Sources) -> Result:
    """The last run's output, read back: what a cold run produces when nothing changed.

    The manifest is written afresh from what it records (a hand-edited one is put right), and
    the specs' warnings are reported again.
    """
    manifest = previous.manifest
    kept = {f: previous.files[f] for f in manifest.files}
    on_disk = previous.files[MANIFEST].decode("utf-8", "replace")
    text = (
        on_disk
        if is_intact(on_disk)
        else render_manifest(
            Files({}, kept), manifest.fingerprint, manifest.models, manifest.files, manifest.shared
        )
    )
    diagnostics = [
        warning(Location(source.path, line, col), message)
        for source in sources.models
        for line, col, message in manifest.models[source.stable_name].warnings
    ]
    files = Files({MANIFEST: text}, kept)
    return Result(files, sorted(diagnostics), len(manifest.models), frozenset(manifest.files))


__all__ = [
    "Previous",
    "Result",
    "build_catalogue",
    "load_document",
    "render_sources",
]
