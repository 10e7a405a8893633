"""``wirogen import PAGE [-o FILE]`` and ``wirogen import --check SPEC PAGE``: the only disk access.

Exit codes as for every command: 0 done (warnings may have been printed), 1 ``--check`` found a
difference, 2 the page cannot be imported or the result fails validation (nothing is written).

The spec is checked as ``generate`` would check it beside the model specs already in
``--specs`` (the file it replaces aside), so an import never writes a spec that clashes with a
committed one. Provider specs come from ``--specs``; a folder without ``providers/`` (a new
project before ``wirogen init``) is checked against the providers wirogen ships.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from .._paths import providers_dir
from ..diagnostics import Diagnostic, errors_only
from ..load import SourceFile, read_sources
from . import import_any, write_spec
from .check import spec_diff, validate
from .writer import SCHEMA_REFERENCE

EXIT_OK, EXIT_DIFFERS, EXIT_REFUSED = 0, 1, 2

CLASH_HINT = (
    "wirogen: to import the page as a model of its own, give it another --endpoint "
    "(and --name, which shares the endpoints' namespace)"
)


def run_import(
    page_path: str | None,
    *,
    output: str | None = None,
    check: str | None = None,
    specs: str = "specs",
    endpoint: str | None = None,
    name: str | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    api: str | None = None,
) -> int:
    """Import a page, a Tool/Detail answer file, or (``api``) the answer the API gives."""
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    if api is not None:
        from .api import ApiError, Credentials, fetch_tool, wiro_provider

        page_path = f"Tool/Detail {api}"
        try:
            provider = wiro_provider(specs)
            raw = fetch_tool(provider, Credentials.of(provider), api)
        except ApiError as exc:
            print(f"wirogen: {exc}", file=err)
            return EXIT_REFUSED
    else:
        assert page_path is not None
        raw = Path(page_path).read_bytes()
    spec, problems = import_any(page_path, raw)
    if spec is None:
        _report(problems, err, f"{page_path} cannot be imported")
        return EXIT_REFUSED
    if endpoint is not None:
        spec = dataclasses.replace(spec, endpoint=endpoint)
    if name is not None:
        spec = dataclasses.replace(spec, name=name)
    target = check or output
    text = write_spec(spec, schema_reference(target, specs))
    shown = target or f"{page_path} (imported spec)"
    providers, others = _neighbours(specs, target, err)
    found = validate(spec, text, shown, providers, others)
    problems += found
    if errors_only(problems):
        _report(problems, err, f"the spec imported from {page_path} fails validation")
        if len(errors_only(found)) > len(errors_only(validate(spec, text, shown, providers))):
            print(CLASH_HINT, file=err)  # some errors are clashes with the specs beside it
        return EXIT_REFUSED
    _report(problems, err, "")
    if check is not None:
        committed = Path(check).read_text(encoding="utf-8")
        diff = spec_diff(committed, text, check, page_path)
        out.writelines(diff)
        if diff:
            print(f"wirogen: {check} differs from a fresh import of {page_path}", file=err)
            return EXIT_DIFFERS
        print(f"wirogen: {check} is what {page_path} imports to", file=err)
        return EXIT_OK
    if output is None:
        out.write(text)
    else:
        _write_atomically(Path(output), text)
        print(f"wirogen: wrote {output}", file=err)
        reference = schema_reference(output, specs)
        if not (Path(output).parent / reference).is_file():
            print(
                f"wirogen: note: its $schema header ({reference}) names no file yet, so editors "
                "cannot check it (`wirogen init` adds specs/schema/)",
                file=err,
            )
    return EXIT_OK


def schema_reference(target: str | None, specs: str) -> str:
    """The meta-schema as the spec file at ``target`` reaches it: ``<specs>/schema/`` relative to
    the file's folder when the file is inside ``specs``; the usual ``../../schema/`` (from
    ``specs/models/<owner>/``) otherwise."""
    if target is None:
        return SCHEMA_REFERENCE
    root = Path(specs).absolute()
    folder = Path(target).absolute().parent
    if not folder.is_relative_to(root):
        return SCHEMA_REFERENCE
    return Path(os.path.relpath(root / "schema" / "model.schema.json", folder)).as_posix()


def _neighbours(
    specs: str, target: str | None, err: TextIO
) -> tuple[tuple[SourceFile, ...], tuple[SourceFile, ...]]:
    """Provider specs to check against, and the model specs the new one must not clash with
    (the one it replaces left out)."""
    sources = read_sources(specs)
    providers = sources.providers
    if not Path(specs, "providers").is_dir():
        providers = tuple(
            SourceFile(p.as_posix(), p.read_bytes(), f"specs/providers/{p.name}")
            for p in sorted(providers_dir().glob("*.yaml"))
        )
        print(
            f"wirogen: no {Path(specs, 'providers')}/ here; checking against the providers "
            "wirogen ships (`wirogen init` starts a spec repository with them)",
            file=err,
        )
    replaced = Path(target).resolve() if target is not None else None
    others = tuple(m for m in sources.models if Path(m.path).resolve() != replaced)
    return providers, others


def _report(problems: Sequence[Diagnostic], err: TextIO, refusal: str) -> None:
    for problem in problems:
        print(problem, file=err)
    count = len(errors_only(problems))
    if count:
        print(
            f"wirogen: {count} error{'s' if count != 1 else ''}; {refusal}; nothing was written",
            file=err,
        )


def _write_atomically(path: Path, text: str) -> None:
    """Readers never see half a spec: write beside it, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; a spec is an ordinary source file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
