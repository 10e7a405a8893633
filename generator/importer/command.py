"""``wirogen import PAGE [-o FILE]`` and ``wirogen import --check SPEC PAGE``: the only disk access.

Exit codes as for every command: 0 done (warnings may have been printed), 1 ``--check`` found a
difference, 2 the page cannot be imported or the result fails validation (nothing is written).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..diagnostics import Diagnostic, errors_only
from ..load import read_sources
from . import import_any, write_spec
from .check import spec_diff, validate

EXIT_OK, EXIT_DIFFERS, EXIT_REFUSED = 0, 1, 2


def run_import(
    page_path: str | None,
    *,
    output: str | None = None,
    check: str | None = None,
    specs: str = "specs",
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
    text = write_spec(spec)
    shown = check or output or f"{page_path} (imported spec)"
    problems += validate(spec, text, shown, read_sources(specs).providers)
    if errors_only(problems):
        _report(problems, err, f"the spec imported from {page_path} fails validation")
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
    return EXIT_OK


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
