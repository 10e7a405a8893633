"""``wirogen``: thin doors around the pure core in ``pipeline``.

Exit codes: 0 done; 1 ``check`` found drift; 2 a spec (or page) is wrong, nothing was written.
Problems are printed as ``path:line:col: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__
from .diagnostics import Diagnostic, errors_only
from .diff.command import add_parser as add_diff_parser
from .load import SourceFile, Sources, read_sources
from .pipeline import Previous, Result, build_catalogue, load_document, render_sources
from .write import UnsafePathError, plan, read_previous, with_manifest, write_output

EXIT_OK, EXIT_DRIFT, EXIT_SPEC = 0, 1, 2
MAX_SHOWN = 200
"""A run prints at most this many problems; the rest are counted (a broken input can make thousands)."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.run(args)
    except UnsafePathError as exc:
        print(f"wirogen: {exc}", file=sys.stderr)
        return EXIT_SPEC
    except OSError as exc:
        print(f"wirogen: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_SPEC
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirogen", description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument("--version", action="version", version=f"wirogen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    generate = commands.add_parser("generate", help="write generated/ from specs/")
    _folders(generate)
    generate.set_defaults(run=cmd_generate)

    check = commands.add_parser(
        "check", help="exit 1 and list the files when generated/ is out of date"
    )
    _folders(check)
    check.set_defaults(run=cmd_check)

    validate = commands.add_parser(
        "validate", help="validate spec files; exit 2 on the first bad one"
    )
    validate.add_argument(
        "paths", nargs="*", help="spec files or folders (default: all of --specs)"
    )
    validate.add_argument(
        "--specs", default="specs", help="specs folder holding providers/ (default: specs)"
    )
    validate.set_defaults(run=cmd_validate)
    _import_parser(commands)
    add_diff_parser(commands)
    return parser


def _import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = commands.add_parser(
        "import", help="write the spec of a Wiro model documentation page (stdout by default)"
    )
    importer.add_argument("page", help="the model's page, flattened or with its line breaks")
    target = importer.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write the spec to FILE")
    target.add_argument(
        "--check",
        metavar="SPEC",
        help="show how SPEC differs from a fresh import of the page; exit 1 when it does",
    )
    importer.add_argument(
        "--specs", default="specs", help="specs folder holding providers/ (default: specs)"
    )
    importer.set_defaults(run=cmd_import)


def cmd_import(args: argparse.Namespace) -> int:
    from .importer.command import run_import  # only this command needs the importer

    return run_import(args.page, output=args.output, check=args.check, specs=args.specs)


def _folders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--specs", default="specs", help="specs folder (default: specs)")
    parser.add_argument("--out", default="generated", help="output folder (default: generated)")


def report(diagnostics: Sequence[Diagnostic]) -> None:
    for diagnostic in diagnostics[:MAX_SHOWN]:
        print(diagnostic, file=sys.stderr)
    if len(diagnostics) > MAX_SHOWN:
        print(f"wirogen: ... and {len(diagnostics) - MAX_SHOWN} more not shown", file=sys.stderr)
    errors = len(errors_only(diagnostics))
    if errors:
        print(
            f"wirogen: {errors} error{'s' if errors != 1 else ''}; nothing was written",
            file=sys.stderr,
        )


def render(args: argparse.Namespace) -> tuple[Result, Previous | None]:
    """Render the specs, reusing what the last run left in ``--out`` where nothing changed."""
    last = read_previous(args.out)
    previous = Previous(*last) if last is not None else None
    return render_sources(read_sources(args.specs), previous), previous


def cmd_generate(args: argparse.Namespace) -> int:
    result, previous = render(args)
    report(result.diagnostics)
    if not result.ok:
        return EXIT_SPEC
    known = previous.files if previous else None
    written = write_output(args.out, result.files, known, result.verbatim)
    print(
        f"wirogen: {len(written.written)} written, {len(written.removed)} removed, "
        f"{written.unchanged} unchanged in {args.out}/"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    result, previous = render(args)
    report(result.diagnostics)
    if not result.ok:
        return EXIT_SPEC
    known = previous.files if previous else None
    changed, stale = plan(Path(args.out), result.files, known, result.verbatim)
    if not changed and not stale:
        print(f"wirogen: {args.out}/ is up to date ({len(with_manifest(result.files))} files)")
        return EXIT_OK
    out = Path(args.out)
    for path in sorted(changed):
        state = "changed" if (out / path).exists() else "missing"
        print(f"{state}: {args.out}/{path}")
    for path in stale:
        print(f"stale: {args.out}/{path}")
    print(f"wirogen: {args.out}/ is out of date; run `make generate`", file=sys.stderr)
    return EXIT_DRIFT


def cmd_validate(args: argparse.Namespace) -> int:
    sources = read_sources(args.specs)
    if args.paths:
        wanted = _spec_files(args.paths)
        models = tuple(
            SourceFile(p.as_posix(), p.read_bytes()) for p in wanted if "providers" not in p.parts
        )
        providers = sources.providers + tuple(
            SourceFile(p.as_posix(), p.read_bytes()) for p in wanted if "providers" in p.parts
        )
    else:
        models, providers = sources.models, sources.providers
    # Files one by one, stopping at the first bad one; then the rules across files.
    for source, kind in [*((p, "provider") for p in providers), *((m, "model") for m in models)]:
        _, problems = load_document(source, kind)  # type: ignore[arg-type]
        if errors_only(problems):
            report(problems)
            return EXIT_SPEC
    _, problems = build_catalogue(Sources(providers=_unique(providers), models=models))
    report(problems)
    if errors_only(problems):
        return EXIT_SPEC
    print(f"wirogen: {len(models)} model spec{'s' if len(models) != 1 else ''} valid")
    return EXIT_OK


def _spec_files(paths: Sequence[str]) -> list[Path]:
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out += sorted(p for p in path.rglob("*.yaml") if p.is_file())
        else:
            out.append(path)
    return out


def _unique(files: Sequence[SourceFile]) -> tuple[SourceFile, ...]:
    seen: dict[str, SourceFile] = {}
    for f in files:
        seen.setdefault(Path(f.path).resolve().as_posix(), f)
    return tuple(seen.values())
