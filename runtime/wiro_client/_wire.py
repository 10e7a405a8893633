"""What crosses the wire, as plain data, and how an answer becomes a value or an error.

Nothing here does I/O: a driver turns an :class:`ApiRequest` into an :class:`Exchange`
(what came back, or how the network failed) and :func:`judge` decides what it means.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import errors
from ._constants import ERROR_BODY_MAX, RETRY_STATUSES
from ._spec import ProviderSpec

__all__ = [
    "Answer",
    "ApiRequest",
    "Exchange",
    "Retry",
    "Upload",
    "Verdict",
    "error_for_answer",
    "judge",
    "parse_retry_after",
]


@dataclass(frozen=True, slots=True)
class Upload:
    """One file part of a multipart request."""

    field: str
    filename: str
    content_type: str
    data: bytes | Path
    """The bytes, or a local file read afresh at each attempt."""
    url_field: str = ""
    """Where the file's URL goes once uploaded first (File/Upload): the input's URL field,
    or its own field for inputs that take URLs there."""
    separator: str | None = None
    """How that field holds several URLs: joined by this text, or None for a JSON array."""
    multiple: bool = False
    """The field holds several URLs (else the uploaded URL replaces it)."""
    input_name: str = ""
    """The model input the file was given for (errors name it)."""

    @property
    def size(self) -> int:
        return (
            len(self.data) if isinstance(self.data, bytes) else self.data.stat().st_size
        )


@dataclass(frozen=True, slots=True)
class ApiRequest:
    """One call of a provider endpoint, before auth headers (added at send time)."""

    endpoint: str
    """The provider endpoint's key: ``run``, ``detail``, ``cancel``, ``kill``, ``list``..."""
    method: str
    path: str
    """Relative to the base URL: ``Run/wiro/instant-id``."""
    fields: Mapping[str, Any] = field(default_factory=dict)
    """JSON body when there are no uploads, form fields (as text) otherwise."""
    uploads: tuple[Upload, ...] = ()

    @property
    def is_run(self) -> bool:
        return self.endpoint == "run"

    @property
    def idempotent(self) -> bool:
        """Whether sending it twice does no harm. A Run bills a task and an upload stores a
        file (the SDKs never retry /Run or /File/Upload once sent)."""
        return self.endpoint not in ("run", "upload")


FailureKind = Literal["connect", "timeout", "network", "local"]


@dataclass(frozen=True, slots=True)
class Exchange:
    """What one HTTP attempt produced: an answer, or a failure."""

    status: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    received: int = 0
    """Body bytes received (for streamed downloads, whose body is on disk)."""
    failure: FailureKind | None = None
    reached: bool = True
    """False only when the request provably never left this process (no connection could
    be made, or no pooled connection was free): only then may a Run be sent again."""
    detail: str = ""
    """What failed, in words (never a header)."""
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.failure is None and 200 <= self.status < 300


@dataclass(frozen=True, slots=True)
class Answer:
    """A successful answer's JSON body."""

    body: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Retry:
    """The attempt failed in a way that a later attempt may not."""

    error: errors.WiroError
    retry_after: float | None = None


@dataclass(frozen=True, slots=True)
class Fatal:
    """The attempt failed for good."""

    error: errors.WiroError


Verdict = Answer | Retry | Fatal


def judge(provider: ProviderSpec, request: ApiRequest, exchange: Exchange) -> Verdict:
    """What one attempt of ``request`` means.

    Idempotent calls retry on network failures, 408, 429, 5xx and unreadable bodies. A Run
    retries only when it provably never arrived (no connection; 429 with Retry-After, which
    says the server refused it); any other failure after sending is a
    :class:`RunOutcomeUnknownError` for the caller to reconcile, never a silent re-send.
    """
    run = request.is_run
    ctx: dict[str, Any] = {"endpoint": request.endpoint}
    error: errors.WiroError
    if exchange.failure is not None:
        error = errors.TransportError(
            f"{request.method} {request.path}: {exchange.detail or exchange.failure}",
            **ctx,
        )
        if exchange.failure == "local":
            return Fatal(error)  # e.g. an upload vanished: retrying cannot help
        if run and exchange.reached:
            return Fatal(
                _unknown(request, f"network failure after sending: {error.message}")
            )
        if exchange.reached and not request.idempotent:
            return Fatal(error)
        return Retry(error)
    status = exchange.status
    text = _text(exchange.body)
    parsed = _json(exchange.body)
    retry_after = parse_retry_after(exchange.headers.get("retry-after"))
    if status == 429:
        error = error_for_answer(provider, request, status, text, parsed)
        if isinstance(error, errors.RateLimitError):
            error.retry_after = retry_after
        if not request.idempotent and retry_after is None:
            return Fatal(error)
        return Retry(error, retry_after)
    if status in RETRY_STATUSES or status >= 500:
        error = error_for_answer(provider, request, status, text, parsed)
        if run:
            return Fatal(
                _unknown(request, f"HTTP {status} after sending", status, text)
            )
        if not request.idempotent:
            return Fatal(error)
        return Retry(error, retry_after)
    if 200 <= status < 300:
        if not isinstance(parsed, dict) or not isinstance(parsed.get("result"), bool):
            reason = f"unreadable answer to {request.path} (HTTP {status})"
            if run:
                return Fatal(_unknown(request, reason, status, text))
            if not request.idempotent:
                return Fatal(
                    errors.ServerError(reason, status_code=status, body=text, **ctx)
                )
            return Retry(
                errors.ServerError(reason, status_code=status, body=text, **ctx)
            )
        if parsed["result"]:
            return Answer(parsed)
    return Fatal(error_for_answer(provider, request, status, text, parsed))


def error_for_answer(
    provider: ProviderSpec,
    request: ApiRequest,
    status: int,
    text: str,
    parsed: Any,
) -> errors.WiroError:
    """The error an answer stands for.

    A specific Wiro error code decides the class (HTTP 401 with code 99 is a
    TokenInvalidError); the general code (0) yields to a specific HTTP status (401 with
    code 0 is an AuthenticationError); message prefixes refine code 0 into
    InvalidInputError.
    """
    code, message = _first_error(parsed)
    by_code = provider.error_codes.get(code) if code is not None else None
    by_message = None
    if code is not None:
        for c, prefix, refined in provider.error_messages:
            if c == code and message.startswith(prefix):
                by_message = refined
                break
    by_http = provider.http_errors.get(str(status)) or (
        provider.http_errors.get(f"{status // 100}xx") if status >= 400 else None
    )
    general = "ServerError"
    name = by_message or (
        by_code if by_code and (by_code != general or not by_http) else by_http
    )
    cls = _error_class(name) if name else errors.ServerError
    summary = message or f"{request.method} {request.path} failed (HTTP {status})"
    kwargs: dict[str, Any] = {
        "status_code": status or None,
        "body": text,
        "code": code,
        "endpoint": request.endpoint,
    }
    if cls is errors.InvalidInputError:
        return errors.InvalidInputError(
            summary, input_name=_bracketed(message), rule=message, **kwargs
        )
    return cls(summary, **kwargs)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _unknown(
    request: ApiRequest,
    reason: str,
    status: int | None = None,
    text: str | None = None,
) -> errors.RunOutcomeUnknownError:
    # The model and parameters are filled in by the caller, which knows the fingerprint.
    return errors.RunOutcomeUnknownError(
        f"the Run of {request.path} may have created a task: {reason}; it was not sent "
        "again (look for it with client.tasks.reconcile(error))",
        model=request.path,
        parameters={},
        sent_at=0.0,
        reason=reason,
        status_code=status,
        body=text,
        endpoint=request.endpoint,
    )


def _error_class(name: str) -> type[errors.WiroError]:
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, errors.WiroError):
        return cls
    return errors.ServerError


def _first_error(parsed: Any) -> tuple[int | None, str]:
    if not isinstance(parsed, dict):
        return None, ""
    items = parsed.get("errors")
    if isinstance(items, list) and items:
        first = items[0]
        if isinstance(first, dict):
            code = first.get("code")
            try:
                number = int(code) if code is not None else None
            except (TypeError, ValueError):
                number = None
            return number, str(first.get("message", ""))
        return None, str(first)
    message = parsed.get("message")
    return None, str(message) if message else ""


def _bracketed(message: str) -> str | None:
    start = message.find("[")
    end = message.find("]", start + 1)
    return message[start + 1 : end] if start >= 0 and end > start else None


def _text(body: bytes) -> str:
    return body[:ERROR_BODY_MAX].decode("utf-8", "replace")


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return None
