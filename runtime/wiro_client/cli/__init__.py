"""``wiro``: the command line of this package (``pip install 'wiro-client[cli]'``).

``wiro run OWNER/SLUG --INPUT VALUE ...`` runs any model with one option per input, made
from the model's spec; ``wiro models``, ``wiro tasks`` and ``wiro batch`` do the rest.
``python -m wiro_client`` is the same command. Importing :mod:`wiro_client` never loads
this package nor its dependencies (click and rich): only running it does.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from typing import Any

__all__ = ["main"]

MISSING = (
    "wiro: the command line needs click and rich, the package's 'cli' extra: "
    "pip install 'wiro-client[cli]'"
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``wiro`` with ``argv`` (default: the process's); the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    cut = args.index("--") if "--" in args else len(args)
    debug = "--debug" in args[:cut] or os.environ.get("WIRO_DEBUG", "") not in ("", "0")
    args = [a for i, a in enumerate(args) if i >= cut or a != "--debug"]
    try:
        import click
        import rich  # noqa: F401
    except ImportError:
        print(MISSING, file=sys.stderr)
        return 2
    from ._app import State, cli
    from ._exit import ExitCode, exit_code, report

    if debug:
        logging.basicConfig(format="%(asctime)s %(name)s %(message)s")
        logging.getLogger("wiro_client").setLevel(logging.DEBUG)
    state = State(debug=debug, argv=args)
    try:
        code = cli.main(args, prog_name="wiro", standalone_mode=False, obj=state)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        return ExitCode.INTERRUPTED
    except click.ClickException as exc:
        return _usage_error(exc, state.screen.as_json)
    except KeyboardInterrupt:
        where = ""
        if state.starting:  # between sending a Run and its answer
            where = f" while starting {state.model}: 'wiro tasks list' shows if it did"
        print(f"wiro: interrupted{where}", file=sys.stderr)
        return ExitCode.INTERRUPTED
    except Exception as exc:  # one line, not a traceback (unless --debug)
        if debug:
            traceback.print_exc()
        line, data = report(
            exc, model=state.model, options=state.options, resume=state.resume
        )
        if state.screen.as_json:
            print(json.dumps({"error": data}, indent=2, default=str))
        print(f"wiro: error: {line}", file=sys.stderr)
        return exit_code(exc)
    return int(code) if isinstance(code, int) else ExitCode.OK


def _usage_error(exc: Any, as_json: bool) -> int:
    """A bad command line: click's message on one line, and where help is."""
    message = exc.format_message()
    if as_json:
        error = {"type": "UsageError", "message": message, "exit_code": exc.exit_code}
        print(json.dumps({"error": error}))
    context = getattr(exc, "ctx", None)
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    print(f"wiro: error: {message}{hint}", file=sys.stderr)
    code: int = exc.exit_code
    return code
