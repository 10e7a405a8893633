"""``wirogen``: thin doors around the pure core in ``pipeline``.

Exit codes: 0 done; 1 ``check`` found drift; 2 a spec (or page) is wrong, nothing was written.
Problems are printed as ``path:line:col: message``, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
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


DESCRIPTION = """\
Generate a typed Python client (Wiro, AsyncWiro), JSON Schemas, Markdown docs
and a local fake of the API (FakeWiro) from declarative YAML specs of AI
models: one file a model in specs/models/, one a provider in specs/providers/.

exit codes: 0 done; 1 check found drift (or import --check a difference);
2 a spec or page is wrong, and nothing was written. Problems are printed as
path:line:col: message."""

EXAMPLES = """\
examples:
  wirogen import page.txt -o specs/models/wiro/instant-id.yaml
                              a model's page becomes a spec
  wirogen generate            specs/ -> generated/ (python/, schemas/, docs/)
  wirogen check               in CI: exit 1 when generated/ is out of date
  wirogen validate            check the specs without generating

`wirogen COMMAND --help` tells more of each command."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wirogen",
        description=DESCRIPTION,
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"wirogen {__version__}", help="print the version"
    )
    parser.set_defaults(run=lambda _: _explain(parser))
    commands = parser.add_subparsers(dest="command", title="commands", metavar="COMMAND")

    generate = _command(
        commands,
        "generate",
        "write generated/ from specs/",
        "Render every spec into the output folder: the client package (python/), a JSON Schema "
        "of each model's inputs (schemas/) and its page (docs/). Only files that changed are "
        "written; files of deleted specs are removed, and nothing else. A bad spec stops the "
        "run with path:line:col messages, and nothing is written.",
        "wirogen generate\n  wirogen generate --specs ../platform/specs --out build/generated",
    )
    _folders(generate)
    generate.set_defaults(run=cmd_generate)

    check = _command(
        commands,
        "check",
        "exit 1 and list the files when generated/ is out of date",
        "Render the specs as generate does and compare with the output folder, writing "
        "nothing: exit 0 when every generated file is as generation would write it, 1 (with "
        "each changed, missing or stale file listed) when not. Files generation does not "
        "write (a download in generated/python/out/) are not looked at. What CI runs.",
        "wirogen check\n  wirogen check --specs specs --out generated",
    )
    _folders(check)
    check.set_defaults(run=cmd_check)

    validate = _command(
        commands,
        "validate",
        "validate spec files; exit 2 on the first bad one",
        "Check spec files against their meta-schemas and the spec rules without generating, "
        "stopping at the first bad file; then the rules across specs (no two specs share an "
        "endpoint, a name or a Python name; every provider is known).",
        "wirogen validate\n  wirogen validate specs/models/wiro/instant-id.yaml",
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

    init = _command(
        commands,
        "init",
        "start a spec repository in DIR",
        "Start a repository that keeps model specs and what they generate, with wirogen as a "
        "pinned dependency: specs/ with the provider specs and meta-schemas wirogen ships "
        "(spec headers resolve, editors check specs), a Makefile (generate, check, package, "
        "demo), a CI workflow running make check, requirements.txt pinning this wirogen, and "
        "generated/ written from the start. Nothing is overwritten: a DIR holding any of these "
        "files is refused.",
        "wirogen init model-specs\n  cd model-specs && wirogen import page.txt -o "
        "specs/models/wiro/instant-id.yaml && wirogen generate",
    )
    init.add_argument("dir", nargs="?", default=".", help="the folder (default: here)")
    init.set_defaults(run=cmd_init)
    return parser


def _command(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    summary: str,
    description: str,
    examples: str,
) -> argparse.ArgumentParser:
    """A subcommand whose --help says what it does and shows how it is used."""
    return commands.add_parser(
        name,
        help=summary,
        description=textwrap.fill(description, 78),
        epilog=f"examples:\n  {examples}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _explain(parser: argparse.ArgumentParser) -> int:
    """``wirogen`` alone: what it is and what it can do, not a usage error."""
    parser.print_help()
    return EXIT_SPEC


def _import_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    importer = _command(
        commands,
        "import",
        "write the spec of a Wiro model documentation page (stdout by default)",
        "Turn a Wiro model page (the text of its page or llms.txt, flattened or with its line "
        "breaks) into a spec file. The spec is written only when it passes every check generate "
        "makes, beside the model specs already in --specs: none may share its endpoint or name. "
        "Warnings and errors are reported at the page's line and column.",
        "wirogen import page.txt -o specs/models/wiro/instant-id.yaml\n"
        "  wirogen import page.txt --endpoint wiro/instant-id-v2 --name wiro/instant-id-v2 \\\n"
        "      -o specs/models/wiro/instant-id-v2.yaml\n"
        "  wirogen import --check specs/models/wiro/instant-id.yaml page.txt",
    )
    importer.add_argument(
        "page",
        nargs="?",
        help="the model's page (flattened or with its line breaks), or a Tool/Detail answer (JSON)",
    )
    importer.add_argument(
        "--api",
        metavar="OWNER/SLUG",
        help="read the model's Tool/Detail answer from the API (credentials from WIRO_API_KEY, "
        "WIRO_API_SECRET; WIRO_BASE_URL)",
    )
    target = importer.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="FILE", help="write the spec to FILE")
    target.add_argument(
        "--check",
        metavar="SPEC",
        help="show how SPEC differs from a fresh import of the page; exit 1 when it does",
    )
    importer.add_argument(
        "--specs",
        default="specs",
        help="specs folder holding providers/ and the model specs the new one must not clash "
        "with (default: specs; without providers/, the providers wirogen ships)",
    )
    importer.add_argument(
        "--endpoint",
        metavar="OWNER/SLUG",
        help="the Run URL's owner/slug to give the model instead of the page's",
    )
    importer.add_argument(
        "--name", metavar="OWNER/NAME", help="the model name to give it instead of the page's"
    )
    importer.set_defaults(run=cmd_import)
    sync = _command(
        commands,
        "sync",
        "refresh every committed Wiro spec from the API's Tool/Detail",
        "Ask Tool/Detail for the model of every committed Wiro spec (of one owner with --owner), "
        "import each answer, print how each spec would change and write them only when every "
        "answer imported and validated: one bad answer and nothing is written. Credentials come "
        "from WIRO_API_KEY and WIRO_API_SECRET, the API from WIRO_BASE_URL.",
        "wirogen sync\n  wirogen sync --owner black-forest-labs",
    )
    sync.add_argument("--owner", help="only the models of this owner")
    sync.add_argument("--specs", default="specs", help="specs folder (default: specs)")
    sync.set_defaults(run=cmd_sync)


def cmd_import(args: argparse.Namespace) -> int:
    from .importer.command import run_import  # only this command needs the importer

    if (args.page is None) == (args.api is None):
        print("wirogen import: give a page or answer file, or --api OWNER/SLUG", file=sys.stderr)
        return EXIT_SPEC
    return run_import(
        args.page,
        output=args.output,
        check=args.check,
        specs=args.specs,
        endpoint=args.endpoint,
        name=args.name,
        api=args.api,
    )


def cmd_sync(args: argparse.Namespace) -> int:
    from .importer.sync import run_sync

    return run_sync(args.specs, owner=args.owner)


def _folders(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--specs",
        default="specs",
        help="specs folder holding providers/ and models/ (default: specs)",
    )
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


def cmd_init(args: argparse.Namespace) -> int:
    from . import scaffold

    target = Path(args.dir)
    files = scaffold.scaffold()
    taken = scaffold.existing(target, files)
    if taken:
        for path in taken:
            print(f"wirogen: {target / path} already exists", file=sys.stderr)
        print(
            f"wirogen: {target}/ is not a new spec repository; nothing was written", file=sys.stderr
        )
        return EXIT_SPEC
    scaffold.write(target, files)
    print(f"wirogen: started a spec repository in {target}/ ({len(files)} files)")
    code = cmd_generate(
        argparse.Namespace(specs=str(target / "specs"), out=str(target / "generated"))
    )
    if code == EXIT_OK:
        print(
            f"next: cd {target} && wirogen import PAGE -o specs/models/<owner>/<name>.yaml "
            "&& make generate"
        )
    return code


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
