"""Every error the client raises: all are :class:`WiroError`.

Each carries what is known of the failed call: the task id and token when there is a task,
the HTTP status and the raw answer when Wiro answered, Wiro's error code when it gave one.
None ever carries a credential: messages are built from answers and ids only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

__all__ = [
    "AuthenticationError",
    "ConcurrencyLimitError",
    "InputProblem",
    "InsufficientBalanceError",
    "InvalidInputError",
    "NotFoundError",
    "RateLimitError",
    "RunOutcomeUnknownError",
    "ServerError",
    "SignInRequiredError",
    "TaskCancelledError",
    "TaskFailedError",
    "TokenInvalidError",
    "TransportError",
    "WaitTimeoutError",
    "WiroError",
]


class WiroError(Exception):
    """Base of every error of this package."""

    message: str
    status_code: int | None
    """HTTP status of the answer, when there was one."""
    body: str | None
    """The answer's raw body (truncated to 64 KiB), when there was one."""
    code: int | None
    """Wiro's error code (``errors[0].code``), when it gave one."""
    endpoint: str | None
    """The provider endpoint called: ``run``, ``detail``, ``cancel``, ..."""
    task_id: str | None
    task_token: str | None
    task: Any
    """The task's handle (``Task`` or ``AsyncTask``) when the error concerns one: with it
    nothing is lost, ``task.wait()`` picks up where the failed call stopped."""

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        body: str | None = None,
        code: int | None = None,
        endpoint: str | None = None,
        task_id: str | None = None,
        task_token: str | None = None,
        task: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code
        self.body = body
        self.code = code
        self.endpoint = endpoint
        self.task_id = task_id
        self.task_token = task_token
        self.task = task

    def attach(self, task: Any, task_id: str | None, task_token: str | None) -> None:
        """Record the task this error concerns (kept if one is already recorded)."""
        if self.task is None:
            self.task = task
        self.task_id = self.task_id or task_id
        self.task_token = self.task_token or task_token

    def __str__(self) -> str:
        parts = [self.message]
        if self.task_id:
            parts.append(f"task {self.task_id}")
        if self.status_code is not None:
            parts.append(f"HTTP {self.status_code}")
        if self.code is not None:
            parts.append(f"code {self.code}")
        return parts[0] if len(parts) == 1 else f"{parts[0]} ({', '.join(parts[1:])})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class AuthenticationError(WiroError):
    """HTTP 401/403: a missing or wrong key, signature or nonce, or a refused IP."""


class SignInRequiredError(AuthenticationError):
    """Code 98: the model requires a signed-in account."""


class TokenInvalidError(AuthenticationError):
    """Code 99: the bearer token is invalid."""


class NotFoundError(WiroError):
    """Code 1 or HTTP 404: no such task or model, or not possible in the task's state
    (``Task is not in a cancellable state.``)."""


@dataclass(frozen=True, slots=True)
class InputProblem:
    """One way the inputs of a Run break the model's rules."""

    argument: str | None
    """The input's Python argument name (``aspect_ratio``); the key as given when the model
    has no such input; None when Wiro named a field of a model this package lacks."""
    wire_name: str
    """Its name on the wire (``aspectRatio``), as Wiro's messages name it."""
    message: str
    rule: str
    """What was broken: ``required``, ``unknown input``, ``range``, ``given twice``, ... or
    pydantic's or Wiro's own words."""

    @property
    def names(self) -> str:
        """``aspect_ratio (aspectRatio)``: both names when they differ."""
        if self.argument is None or self.argument == self.wire_name:
            return self.wire_name
        return f"{self.argument} ({self.wire_name})"

    def __str__(self) -> str:
        return f"{self.names}: {self.message}"


class InvalidInputError(WiroError):
    """Inputs break the model's rules: rejected before sending (every problem found is in
    :attr:`problems`), or by Wiro (code 0, ``Request parameter [...] ...``)."""

    problems: tuple[InputProblem, ...]
    """Every problem, in the order of the model's inputs (keys it lacks first)."""
    input_name: str | None
    """The first problem's input, by its name on the wire, when known."""
    rule: str | None
    """The first problem's rule."""

    def __init__(
        self,
        message: str,
        *,
        input_name: str | None = None,
        rule: str | None = None,
        problems: Sequence[InputProblem] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        if not problems and input_name is not None:
            problems = (InputProblem(None, input_name, message, rule or message),)
        self.problems = tuple(problems)
        first = self.problems[0] if self.problems else None
        self.input_name = input_name or (first.wire_name if first else None)
        self.rule = rule or (first.rule if first else None)

    @classmethod
    def of(cls, model: str, problems: Sequence[InputProblem]) -> InvalidInputError:
        """The error listing ``problems`` of a Run of ``model``, one a line."""
        if len(problems) == 1:
            message = f"Invalid input of {model}: {problems[0]}"
        else:
            lines = "".join(f"\n  - {p}" for p in problems)
            message = f"Invalid inputs of {model} ({len(problems)} problems):{lines}"
        return cls(message, problems=problems)

    def name_arguments(self, arguments: Mapping[str, str]) -> None:
        """Give each problem Wiro named by a wire field its Python argument name
        (``arguments``: wire field -> argument, from the model's spec)."""
        self.problems = tuple(
            (
                replace(p, argument=arguments.get(p.wire_name, p.argument))
                if p.argument is None
                else p
            )
            for p in self.problems
        )


class ConcurrencyLimitError(WiroError):
    """Code 96: the project runs as many tasks as its balance allows; the task was not
    created, so submitting again later is safe (``run_many`` does)."""


class InsufficientBalanceError(WiroError):
    """Code 97: the balance is too low to run the model."""


class RateLimitError(WiroError):
    """HTTP 429 after every retry."""

    retry_after: float | None

    def __init__(
        self, message: str, *, retry_after: float | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ServerError(WiroError):
    """HTTP 5xx, an unreadable answer, or Wiro's general error (code 0)."""


class TransportError(WiroError):
    """The network failed: no connection, a timeout, a connection dropped mid-answer."""


class RunOutcomeUnknownError(WiroError):
    """A Run whose request may have reached Wiro but whose answer was lost.

    The task may exist (and be billed). It is never re-sent automatically: look for it with
    ``client.tasks.reconcile(error)``, which matches Task/List against the model, the
    parameters and the time of this Run, and only run again when it finds nothing.
    """

    model: str
    """``owner/slug`` of the Run."""
    parameters: Mapping[str, str]
    """The text fields that were sent (file uploads excluded)."""
    sent_at: float
    """Unix time just before the request was sent."""
    reason: str

    def __init__(
        self,
        message: str,
        *,
        model: str,
        parameters: Mapping[str, str],
        sent_at: float,
        reason: str,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.model = model
        self.parameters = dict(parameters)
        self.sent_at = sent_at
        self.reason = reason


class TaskFailedError(WiroError):
    """The task ended without success: ``pexit`` is not ``"0"``, or it sat in an interim
    error status with no progress for longer than the grace window."""

    result: Any
    """The task's final detail (``TaskResult``/``AsyncTaskResult``)."""
    pexit: str | None
    debugerror: str
    debugoutput_tail: str
    cost: float | None
    """``totalcost`` in USD (Wiro does not bill failed tasks)."""
    elapsed_seconds: float | None
    created_at: float | None
    started_at: float | None
    ended_at: float | None
    """Unix times, as Wiro reports them (None when it does not)."""

    def __init__(
        self,
        message: str,
        *,
        result: Any = None,
        pexit: str | None = None,
        debugerror: str = "",
        debugoutput_tail: str = "",
        cost: float | None = None,
        elapsed_seconds: float | None = None,
        created_at: float | None = None,
        started_at: float | None = None,
        ended_at: float | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.result = result
        self.pexit = pexit
        self.debugerror = debugerror
        self.debugoutput_tail = debugoutput_tail
        self.cost = cost
        self.elapsed_seconds = elapsed_seconds
        self.created_at = created_at
        self.started_at = started_at
        self.ended_at = ended_at


class TaskCancelledError(WiroError):
    """The task was cancelled (queued) or killed (running): status ``task_cancel``."""

    result: Any

    def __init__(self, message: str, *, result: Any = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.result = result


class WaitTimeoutError(WiroError):
    """``wait()``'s deadline passed. The task lives on (unless ``on_timeout`` stopped it):
    ``.task`` is its handle, ``.last_status`` what Wiro last reported."""

    last_status: str | None

    def __init__(
        self, message: str, *, last_status: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(message, **kwargs)
        self.last_status = last_status
