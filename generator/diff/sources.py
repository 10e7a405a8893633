"""The edges of ``wirogen diff``: spec files from a folder or from a git revision, and the
catalogues built from them.

At catalogue scale the report needs only the specs that differ: a model spec whose bytes are
the same on both sides makes the same model, so it is left out of both catalogues before
anything is parsed (one changed spec of 1,000 parses two files, not 2,000).
"""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

from ..diagnostics import Diagnostic, errors_only
from ..ir import Catalogue
from ..load import SourceFile, Sources


class GitError(Exception):
    """git could not answer (not a repository, unknown revision): the message says which."""


def revision(specs: str | Path, ref: str, now: Sources) -> Sources:
    """The spec files of the folder ``specs`` as they are at git revision ``ref``, given
    ``now``, the same folder as it is (its files are taken where they are unchanged).

    Messages about them name them as git does (``HEAD~1:specs/models/acme/x.yaml:3:5``); their
    names inside the specs folder are the working tree's, so both sides of a model match.
    """
    where = Path(specs)
    if not where.is_dir():
        raise GitError(f"{where}: no such specs folder")
    top = Path(_git(where, "rev-parse", "--show-toplevel").decode().strip())
    prefix = _git(where, "rev-parse", "--show-prefix").decode().strip()
    try:
        commit = _git(
            top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"
        )
    except GitError:
        raise GitError(f"{ref!r} is not a revision of the repository at {top}") from None
    listing = _git(top, "ls-tree", "-r", "-z", commit.decode().strip(), "--", prefix or ".")
    blobs: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, _, path = record.decode("utf-8", "surrogateescape").partition("\t")
        mode, kind, sha = meta.split()
        inside = path[len(prefix) :]
        if kind == "blob" and mode != "120000" and _wanted(inside):
            blobs.append((f"specs/{inside}", sha))
    current = {f.name: f for f in (*now.providers, *now.models, *_optional(now.releases))}
    # A blob's id is the hash of its bytes: a file that hashes to the id it had at ``ref`` is
    # unchanged, and is not read from git (one changed spec of 1,000 reads one blob).
    changed = [(name, sha) for name, sha in blobs if _blob_id(current.get(name), sha) != sha]
    contents = dict(zip(changed, _cat_files(top, [sha for _, sha in changed]), strict=True))
    files = [
        SourceFile(f"{ref}:{prefix}{name.removeprefix('specs/')}", contents[name, sha], name)
        if (name, sha) in contents
        else current[name]
        for name, sha in blobs
    ]
    providers = sorted((f for f in files if f.name.startswith("specs/providers/")), key=_name)
    models = sorted((f for f in files if f.name.startswith("specs/models/")), key=_name)
    releases = next((f for f in files if f.name == "specs/releases.yaml"), None)
    return Sources(tuple(providers), tuple(models), releases)


def _name(source: SourceFile) -> str:
    return source.name


def _optional(source: SourceFile | None) -> tuple[SourceFile, ...]:
    return () if source is None else (source,)


def _blob_id(source: SourceFile | None, like: str) -> str | None:
    """The git object id of ``source``'s bytes, in the hash ``like`` is in (SHA-1 or SHA-256)."""
    if source is None:
        return None
    h = hashlib.sha1() if len(like) == 40 else hashlib.sha256()
    h.update(b"blob %d\0" % len(source.data))
    h.update(source.data)
    return h.hexdigest()


def _wanted(inside: str) -> bool:
    """What ``read_sources`` reads: ``providers/*.yaml``, ``models/**/*.yaml``, ``releases.yaml``."""
    if inside == "releases.yaml":
        return True
    if not inside.endswith(".yaml"):
        return False
    if inside.startswith("providers/"):
        return "/" not in inside[len("providers/") :]
    return inside.startswith("models/")


def _git(where: Path, *args: str) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=where, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {args[0]} failed")
    return proc.stdout


def _cat_files(top: Path, shas: list[str]) -> list[bytes]:
    """The contents of many blobs in one git process."""
    if not shas:
        return []
    out = subprocess.run(
        ["git", "cat-file", "--batch"],
        cwd=top,
        input="".join(f"{sha}\n" for sha in shas).encode(),
        capture_output=True,
        check=True,
    ).stdout
    contents: list[bytes] = []
    at = 0
    for _ in shas:
        end = out.index(b"\n", at)
        size = int(out[at:end].split()[2])
        contents.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return contents


def differing(old: Sources, new: Sources) -> tuple[Sources, Sources]:
    """Both sides without the model specs they share byte for byte (same name, same bytes)."""
    theirs = {s.stable_name: s.data for s in new.models}
    mine = {s.stable_name: s.data for s in old.models}

    def keep(sources: Sources, other: dict[str, bytes]) -> Sources:
        models = tuple(s for s in sources.models if other.get(s.stable_name) != s.data)
        return Sources(sources.providers, models, sources.releases)

    return keep(old, theirs), keep(new, mine)


def catalogue(sources: Sources) -> tuple[Catalogue | None, list[Diagnostic]]:
    """The catalogue of ``sources``, with every provider (used by a model or not)."""
    from ..pipeline import build_catalogue

    listed, problems = build_catalogue(Sources(sources.providers, ()))
    built, more = build_catalogue(sources)
    problems = sorted({*problems, *more})
    if listed is None or built is None or errors_only(problems):
        return None, problems
    return Catalogue(listed.providers, built.models), problems
