"""``wirogen sync [--owner X]``: every committed Wiro spec refreshed from Tool/Detail.

Each spec's model is read from the API and imported (:mod:`.tool`); what changed is reported
per model as a unified diff, then, once written, as ``wirogen diff``'s report for callers. All
or nothing: when any answer cannot be read or imported, or
any result fails validation, no spec is written. A spec holding what no answer describes
(``title``, ``polling``, an input's ``secret``: written by hand) is left as it is, and said so.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

import httpx

from ..diagnostics import errors_only
from ..load import Sources, read_sources
from ..pipeline import load_document
from .api import ApiError, Credentials, fetch_tool, wiro_provider
from .check import spec_diff, validate
from .command import (
    EXIT_OK,
    EXIT_REFUSED,
    _neighbours,
    _report,
    _write_atomically,
    schema_reference,
)
from .tool import import_tool
from .writer import write_spec

HAND_WRITTEN = ("title", "polling")
"""Top-level spec keys no import writes."""


def run_sync(
    specs: str = "specs",
    *,
    owner: str | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    environ: Mapping[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    try:
        provider = wiro_provider(specs)
        credentials = Credentials.of(provider, environ)
    except ApiError as exc:
        print(f"wirogen: {exc}", file=err)
        return EXIT_REFUSED
    sources = read_sources(specs)
    changed: list[tuple[Path, str]] = []
    failed = 0
    for source in sources.models:
        doc, problems = load_document(source, "model")
        if doc is None:
            _report(problems, err, f"{source.path} is not a valid spec")
            failed += 1
            continue
        data = doc.data
        endpoint = str(data["endpoint"])
        if data["provider"] != provider.name or (owner and endpoint.split("/")[0] != owner):
            continue
        kept = [k for k in HAND_WRITTEN if k in data] + [
            f"inputs.{i['name']}.secret" for i in data.get("inputs", []) if i.get("secret")
        ]
        if kept:
            print(f"{endpoint}: not refreshed: hand-written {', '.join(kept)}", file=err)
            continue
        shown = f"Tool/Detail {endpoint}"
        try:
            answer = fetch_tool(provider, credentials, endpoint, transport=transport)
        except ApiError as exc:
            print(f"wirogen: {endpoint}: {exc}", file=err)
            failed += 1
            continue
        spec, problems = import_tool(shown, answer)
        if spec is None:
            _report(problems, err, f"the answer for {endpoint} cannot be imported")
            failed += 1
            continue
        text = write_spec(spec, schema_reference(source.path, specs))
        providers, others = _neighbours(specs, source.path, err)
        problems += validate(spec, text, source.path, providers, others)
        if errors_only(problems):
            _report(problems, err, f"the spec imported for {endpoint} fails validation")
            failed += 1
            continue
        committed = source.data.decode("utf-8")
        diff = spec_diff(committed, text, source.path, shown)
        if diff:
            out.writelines(diff)
            print(f"{endpoint}: changed ({source.path})", file=err)
            changed.append((Path(source.path), text))
        else:
            print(f"{endpoint}: unchanged", file=err)
    if failed:
        print(
            f"wirogen: {failed} model{'s' if failed != 1 else ''} could not be refreshed; "
            "nothing was written",
            file=err,
        )
        return EXIT_REFUSED
    for path, text in changed:
        _write_atomically(path, text)
    print(f"wirogen: {len(changed)} spec{'s' if len(changed) != 1 else ''} written", file=err)
    if changed:
        _report_for_callers(sources, read_sources(specs), out)
    return EXIT_OK


def _report_for_callers(before: Sources, after: Sources, out: TextIO) -> None:
    """What the refreshed specs mean to callers of the generated client: ``wirogen diff``'s
    report between the specs as they were and as sync wrote them (the unified diffs above say
    what changed in the files, this says whether a caller's code still runs)."""
    from ..diff.command import Outcome, outcome
    from ..diff.render import to_text

    found = outcome(before, after)
    if isinstance(found, Outcome):
        out.write(
            "\n" + to_text(found.report, found.note("releases.yaml", "wirogen diff --record"))
        )
