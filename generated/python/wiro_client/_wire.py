"""What crosses the wire, as plain data, and how an answer becomes a value or an error.

Nothing here does I/O: a driver turns an :class:`ApiRequest` into an :class:`Exchange`
(what came back, or how the network failed) and :func:`judge` decides what it means. What a
server sends is hostile until read: :class:`BodyDecoder` decodes a body as it arrives and stops
it at a size limit, :func:`read_json` never raises, and an answer that does not say what it
must is :class:`Unreadable`.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from . import errors
from ._auth import Secret
from ._constants import ERROR_BODY_MAX, ERROR_MESSAGE_MAX, RETRY_STATUSES
from ._spec import ProviderSpec

__all__ = [
    "Answer",
    "ApiRequest",
    "BodyDecoder",
    "BodyTooLarge",
    "Exchange",
    "Retry",
    "Undecodable",
    "Unreadable",
    "Upload",
    "Verdict",
    "encode_json",
    "error_for_answer",
    "form_text",
    "judge",
    "parse_retry_after",
    "read_json",
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
    """JSON body when there are no uploads, form fields (as text) otherwise. A secret
    input's value is a :class:`Secret`, revealed only when the body is encoded."""
    uploads: tuple[Upload, ...] = ()

    @property
    def is_run(self) -> bool:
        return self.endpoint == "run"

    @property
    def idempotent(self) -> bool:
        """Whether sending it twice does no harm. A Run bills a task and an upload stores a
        file (the SDKs never retry /Run or /File/Upload once sent)."""
        return self.endpoint not in ("run", "upload")


FailureKind = Literal[
    "connect", "timeout", "network", "local", "too_large", "redirects", "disk"
]
"""How an attempt failed. ``connect``: no connection (nothing sent); ``timeout``: the
request's time or the caller's deadline ran out; ``network``: the connection broke or the
answer was not HTTP or not decodable; ``local``: the request could not be made (nothing
sent); ``too_large``: the answer grew past its size limit; ``redirects``: a download
redirected too often; ``disk``: a download could not be written here."""


@dataclass(frozen=True, slots=True)
class Exchange:
    """What one HTTP attempt produced: an answer, or a failure."""

    status: int = 0
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    received: int = 0
    """Body bytes received, decoded (for downloads, whose body is on disk)."""
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
    """A successful answer's value: its JSON body, as its reader read it."""

    value: Any


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


class Unreadable(Exception):
    """An answer whose JSON does not say what it must (raised by an answer's reader)."""


def judge(
    provider: ProviderSpec,
    request: ApiRequest,
    exchange: Exchange,
    read: Callable[[dict[str, Any]], Any] | None = None,
) -> Verdict:
    """What one attempt of ``request`` means; a success's value is ``read(body)``.

    Idempotent calls retry on network failures, 408, 429, 5xx and unreadable answers (not
    Wiro's JSON, or ``read`` raising :class:`Unreadable`); an upload is never sent again
    once it may have left. A Run retries only when it provably never arrived (no
    connection; 429 with Retry-After, which says the server refused it); any other failure
    after sending (a redirect, an answer too large or naming no task) is a
    :class:`RunOutcomeUnknownError` for the caller to reconcile, never a silent re-send.
    Redirects are never followed.
    """
    run = request.is_run
    ctx: dict[str, Any] = {"endpoint": request.endpoint}
    error: errors.WiroError
    if exchange.failure is not None:
        what = f"{request.method} {request.path}: {exchange.detail or exchange.failure}"
        if exchange.failure == "local":
            # e.g. an upload vanished: nothing was sent, and retrying cannot help.
            return Fatal(errors.TransportError(what, **ctx))
        if run and exchange.reached:
            return Fatal(_unknown(request, f"after sending: {exchange.detail}"))
        if exchange.failure == "too_large":
            return Fatal(errors.ServerError(what, **ctx))
        if exchange.reached and not request.idempotent:
            return Fatal(errors.TransportError(what, **ctx))
        return Retry(errors.TransportError(what, **ctx))
    status = exchange.status
    text = _text(exchange.body)
    parsed = read_json(exchange.body)
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
    if 300 <= status < 400:
        location = exchange.headers.get("location", "")[:200]
        reason = (
            f"answered with a redirect (HTTP {status}"
            f"{' to ' + location if location else ''}), which API requests never follow"
        )
        if run:
            return Fatal(_unknown(request, reason, status, text))
        return Fatal(
            errors.ServerError(
                f"{request.method} {request.path} {reason}",
                status_code=status,
                body=text,
                **ctx,
            )
        )
    if 200 <= status < 300:
        reason = f"unreadable answer to {request.path} (HTTP {status})"
        if isinstance(parsed, dict) and isinstance(parsed.get("result"), bool):
            if not parsed["result"]:
                return Fatal(error_for_answer(provider, request, status, text, parsed))
            try:
                return Answer(parsed if read is None else read(parsed))
            except errors.WiroError as exc:
                return Fatal(exc)
            except Unreadable as exc:
                reason = f"{exc} (HTTP {status})"
        if run:
            return Fatal(_unknown(request, reason, status, text))
        unreadable = errors.ServerError(reason, status_code=status, body=text, **ctx)
        return Retry(unreadable) if request.idempotent else Fatal(unreadable)
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
    summary = (
        message[:ERROR_MESSAGE_MAX]
        or f"{request.method} {request.path} failed (HTTP {status})"
    )
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
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None: never
    raises, whatever the server wrote."""
    if not value:
        return None
    value = value.strip()[:100]
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
        seconds = when.timestamp() - time.time()
    except (TypeError, ValueError, OverflowError, OSError, IndexError):
        return None
    return max(0.0, seconds)


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
            return _code(first.get("code")), _message(first.get("message", ""))
        return None, _message(first)
    message = parsed.get("message")
    return None, _message(message) if message else ""


def _code(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError, OverflowError):
        return None


def _message(value: Any) -> str:
    return value[:ERROR_MESSAGE_MAX] if isinstance(value, str) else ""


def _bracketed(message: str) -> str | None:
    start = message.find("[")
    end = message.find("]", start + 1)
    return message[start + 1 : end] if start >= 0 and end > start else None


def _text(body: bytes) -> str:
    return body[:ERROR_BODY_MAX].decode("utf-8", "replace")


def read_json(body: bytes | str) -> Any:
    """The JSON of ``body``, or None when it is not JSON (any bytes, any depth: never
    raises)."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return None


def encode_json(fields: Mapping[str, Any]) -> bytes:
    """A JSON request body: secret inputs revealed here, at send time; NaN and infinity
    refused (JSON has none)."""
    return json.dumps(fields, allow_nan=False, default=_reveal).encode()


def form_text(value: Any) -> str:
    """A multipart form field's text."""
    return value.reveal() if isinstance(value, Secret) else str(value)


def _reveal(value: Any) -> str:
    if isinstance(value, Secret):
        return value.reveal()
    raise TypeError(f"{type(value).__name__} cannot be sent as JSON")


# --- bodies as they arrive ------------------------------------------------------------------
class BodyTooLarge(Exception):
    """A body grew past what it may be."""


class Undecodable(Exception):
    """A body's Content-Encoding is not one this client asked for, or its data is broken."""


ACCEPT_ENCODING = "gzip, deflate"
"""What requests ask for: exactly what :class:`BodyDecoder` decodes."""
_GROWTH_FLOOR = 1 << 20


class BodyDecoder:
    """Decodes a body chunk by chunk (Content-Encoding ``gzip``, ``deflate`` or none) and
    stops it as soon as it would grow past ``limit`` decoded bytes, without ever holding
    more: a compressed body is inflated at most ``limit + 1`` bytes at a time. With
    ``growth``, a compressed body may also decode to at most ``growth`` times its bytes on
    the wire (beyond its first MiB)."""

    def __init__(
        self, encoding: str | None, limit: int, *, growth: int | None = None
    ) -> None:
        name = (encoding or "").strip().lower()
        self._inflater: Any = None
        self._raw_deflate_fallback = False
        if name in ("", "identity"):
            pass
        elif name in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif name == "deflate":
            # Servers send zlib-wrapped or raw deflate under this name (httpx reads both).
            self._inflater = zlib.decompressobj()
            self._raw_deflate_fallback = True
        else:
            raise Undecodable(f"Content-Encoding {name[:40]!r} was not asked for")
        self.limit = limit
        self.growth = growth
        self.wire = 0
        """Bytes fed in, as they came."""
        self.size = 0
        """Bytes given out, decoded."""

    def feed(self, data: bytes) -> bytes:
        """The decoded bytes of the next chunk (raises BodyTooLarge, Undecodable)."""
        self.wire += len(data)
        out = data if self._inflater is None else self._inflate(data)
        self._count(len(out))
        return out

    def end(self) -> None:
        """The body ended: raises Undecodable when its compressed data did not (an empty
        body is empty, however it is said to be encoded)."""
        inflater = self._inflater
        if inflater is None or self.wire == 0:
            return
        if not inflater.eof or inflater.unused_data:
            raise Undecodable(
                "the compressed body ends early or has data after its end"
            )

    def _inflate(self, data: bytes) -> bytes:
        room = self.limit - self.size
        inflater = self._inflater
        try:
            out: bytes = inflater.decompress(data, room + 1)
            while inflater.unconsumed_tail and len(out) <= room:
                out += inflater.decompress(
                    inflater.unconsumed_tail, room + 1 - len(out)
                )
        except zlib.error as exc:
            if self._raw_deflate_fallback and self.size == 0:
                self._raw_deflate_fallback = False
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                return self._inflate(data)
            raise Undecodable(f"broken compressed body: {exc}") from None
        self._raw_deflate_fallback = False
        return out

    def _count(self, n: int) -> None:
        self.size += n
        if self.size > self.limit:
            raise BodyTooLarge(f"body larger than {self.limit} bytes")
        if (
            self.growth is not None
            and self._inflater is not None
            and self.size > _GROWTH_FLOOR + self.growth * self.wire
        ):
            raise BodyTooLarge(
                f"compressed body decoding to over {self.growth} times its size"
            )
