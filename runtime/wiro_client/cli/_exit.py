"""Exit codes and error reports: stable, for scripts.

Every failure ends in one line on stderr (what failed, the model, the input, what the
provider said) and, with ``--json``, one ``{"error": {...}}`` object on stdout; a traceback
only with ``--debug``.
"""

from __future__ import annotations

import enum
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from .. import errors

__all__ = ["CliError", "ExitCode", "exit_code", "report"]


class ExitCode(enum.IntEnum):
    """What ``wiro`` exits with; the README's table lists them."""

    OK = 0
    TASK_FAILED = 1
    """A task ended failed or cancelled (``batch``: at least one line did)."""
    USAGE = 2
    """Bad command line, unknown model or option, invalid input, unreadable batch file:
    nothing was sent."""
    AUTH = 3
    """No API key, or the key or signature was refused."""
    REFUSED = 4
    """The provider refused: balance too low, concurrency limit, no such task or model."""
    UNREACHABLE = 5
    """The network or the provider failed, after every retry."""
    OUTCOME_UNKNOWN = 6
    """A Run's answer was lost: its task may exist (the message says how to find it)."""
    INCOMPLETE = 7
    """``--timeout`` passed and the task keeps running, or a batch left lines unfinished:
    the same command (or the one printed) resumes."""
    LOCAL = 8
    """A local file could not be read or written."""
    INTERRUPTED = 130
    """Ctrl-C."""

    @property
    def meaning(self) -> str:
        """The first sentence of its description, for ``wiro --help``."""
        return _MEANINGS[self]


_MEANINGS = {
    ExitCode.OK: "done",
    ExitCode.TASK_FAILED: "a task failed or was cancelled (batch: a line did)",
    ExitCode.USAGE: "bad command line, model, input or batch file; nothing sent",
    ExitCode.AUTH: "no API key, or the key or signature was refused",
    ExitCode.REFUSED: "refused: balance, concurrency limit, no such task or model",
    ExitCode.UNREACHABLE: "the network or the provider failed after every retry",
    ExitCode.OUTCOME_UNKNOWN: "a Run's answer was lost; its task may exist",
    ExitCode.INCOMPLETE: "timed out or lines unfinished; the task keeps running: resume",
    ExitCode.LOCAL: "a local file could not be read or written",
    ExitCode.INTERRUPTED: "interrupted (Ctrl-C)",
}


class CliError(Exception):
    """A failure of the command line itself, with the exit code it means."""

    def __init__(self, message: str, code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


_CODES: Sequence[tuple[type[BaseException], ExitCode]] = (
    (errors.InvalidInputError, ExitCode.USAGE),
    (errors.AuthenticationError, ExitCode.AUTH),
    (errors.InsufficientBalanceError, ExitCode.REFUSED),
    (errors.ConcurrencyLimitError, ExitCode.REFUSED),
    (errors.NotFoundError, ExitCode.REFUSED),
    (errors.RunOutcomeUnknownError, ExitCode.OUTCOME_UNKNOWN),
    (errors.WaitTimeoutError, ExitCode.INCOMPLETE),
    (errors.TaskFailedError, ExitCode.TASK_FAILED),
    (errors.TaskCancelledError, ExitCode.TASK_FAILED),
    (errors.WiroError, ExitCode.UNREACHABLE),
    (OSError, ExitCode.LOCAL),
)


def exit_code(exc: BaseException) -> ExitCode:
    if isinstance(exc, CliError):
        return exc.code
    return next(
        (code for kind, code in _CODES if isinstance(exc, kind)), ExitCode.LOCAL
    )


def report(
    exc: BaseException,
    *,
    model: str | None = None,
    options: Mapping[str, str] | None = None,
    resume: Sequence[str] | None = None,
) -> tuple[str, dict[str, Any]]:
    """The line to print for ``exc`` and its ``--json`` form.

    ``options`` maps an input's wire name to the option that sets it, so that an invalid
    input names what the user typed; ``resume`` is the command that picks the task up.
    """
    if isinstance(exc, errors.WaitTimeoutError):
        line = (
            f"task {exc.task_id or exc.task_token} is still "
            f"{exc.last_status or 'running'} at the timeout; it keeps running"
        )
    elif isinstance(exc, errors.WiroError):
        line = str(exc)
        if model and model not in line:
            line = f"{model}: {line}"
    elif isinstance(exc, OSError) and exc.filename is not None:
        line = f"{exc.strerror or exc}: {exc.filename}"
    else:
        line = str(exc) or type(exc).__name__
    data: dict[str, Any] = {
        "type": type(exc).__name__,
        "message": line,
        "exit_code": int(exit_code(exc)),
    }
    if model:
        data["model"] = model
    if isinstance(exc, errors.InvalidInputError) and exc.input_name:
        data["input"] = exc.input_name
        option = (options or {}).get(exc.input_name)
        if option:
            data["option"] = option
            line += f" (option {option})"
    if isinstance(exc, errors.WiroError):
        for field in ("task_id", "task_token", "status_code", "code"):
            value = getattr(exc, field)
            if value is not None:
                data[field] = value
    if isinstance(exc, errors.RunOutcomeUnknownError):
        line += (
            "; the task may exist: 'wiro tasks list' shows the newest tasks "
            "(a 'wiro batch' finds it by itself when run again)"
        )
    if resume:
        command = shlex.join(resume)
        data["resume"] = command
        line += f"; resume with: {command}"
    return line, data
