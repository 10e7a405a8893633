"""The task lifecycle, written once for both clients.

Every behaviour here is a generator that *yields effects* (send this request, fetch this file,
sleep this long, here is what the task looks like now) and receives their results. It never
touches the network or sleeps itself: :mod:`wiro_client._transport` has a thin sync driver
(``httpx.Client``, ``clock.sleep``) and a thin async one (``httpx.AsyncClient``,
``await clock.sleep_async``) that execute the effects. ``Wiro`` and ``AsyncWiro`` therefore
retry, poll, time out and stop tasks identically, by construction.
"""

from __future__ import annotations

import builtins
import itertools
import json
import logging
import random
import threading
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from . import _constants as C
from . import errors
from ._clock import Clock
from ._inputs import RunPayload, arguments
from ._protocol import Phase, TaskPolling, TaskRecord, TaskRef
from ._socket import SocketEnd
from ._wire import Answer, ApiRequest, Exchange, Fatal, judge

__all__ = [
    "Connect",
    "DeadlineReached",
    "Disconnect",
    "Effect",
    "Fetch",
    "Lifecycle",
    "Observe",
    "Policy",
    "PollSchedule",
    "Receive",
    "Report",
    "Send",
    "Sleep",
    "Steps",
    "Text",
    "WaitOutcome",
    "match_run",
]

T = TypeVar("T")
log = logging.getLogger("wiro_client")


# --- effects ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Send:
    """Send ``request`` (signed at send time); answer with an :class:`Exchange`."""

    request: ApiRequest
    deadline: float | None = None
    """On the lifecycle's clock: timeouts are cut so the exchange ends by then."""


@dataclass(frozen=True, slots=True)
class Fetch:
    """GET ``url`` without credentials, streaming the body into ``dest``."""

    url: str
    dest: Path
    deadline: float | None = None


@dataclass(frozen=True, slots=True)
class Sleep:
    seconds: float


@dataclass(frozen=True, slots=True)
class Observe:
    """A fresh look at the task (``changed``: its status differs from the last one)."""

    record: TaskRecord
    changed: bool


@dataclass(frozen=True, slots=True)
class Connect:
    """Open the task socket at ``url`` and send ``register``; answer with a channel, or a
    string saying why it could not open."""

    url: str
    register: str


@dataclass(frozen=True, slots=True)
class Receive:
    """The channel's next message, its :class:`SocketEnd`, or None once ``until`` (on the
    lifecycle's clock) passes in silence."""

    channel: Any
    until: float | None


@dataclass(frozen=True, slots=True)
class Disconnect:
    channel: Any


@dataclass(frozen=True, slots=True)
class Text:
    """New text of an LLM's answer, as the socket streamed it."""

    chunk: str


Effect = Send | Fetch | Sleep | Observe | Connect | Receive | Disconnect | Text
Report = Observe | Text
"""What a lifecycle tells its caller along the way (``watch()``, ``stream()``)."""
Steps = Generator[Effect, Any, T]


class DeadlineReached(Exception):
    """The caller's deadline passed (internal: the task layer raises WaitTimeoutError)."""

    def __init__(self, last_error: errors.WiroError | None = None) -> None:
        super().__init__("deadline reached")
        self.last_error = last_error


# --- policy -------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Policy:
    """Every knob of the lifecycle; defaults from :mod:`wiro_client._constants`."""

    max_retries: int = C.MAX_RETRIES
    backoff_initial: float = C.BACKOFF_INITIAL
    backoff_multiplier: float = C.BACKOFF_MULTIPLIER
    backoff_max: float = C.BACKOFF_MAX
    backoff_jitter: float = C.BACKOFF_JITTER
    retry_after_max: float = C.RETRY_AFTER_MAX
    first_poll: float = C.FIRST_POLL
    poll_curve: tuple[tuple[float, float], ...] = C.POLL_CURVE
    poll_reference: float = C.POLL_REFERENCE_SECONDS
    min_poll: float = C.MIN_POLL
    max_poll: float = C.MAX_POLL
    finishing_poll: float = C.FINISHING_POLL
    poll_jitter: float = C.POLL_JITTER
    last_poll_lead: float = C.LAST_POLL_LEAD
    concurrency_retry_initial: float = C.CONCURRENCY_RETRY_INITIAL
    concurrency_retry_max: float = C.CONCURRENCY_RETRY_MAX
    reconcile_settle: float = C.RECONCILE_SETTLE


@dataclass(frozen=True, slots=True)
class PollSchedule:
    """When to poll next, from the time since the Run answer and the task's phase."""

    first: float
    curve: tuple[tuple[float, float], ...]
    stretch: float
    minimum: float
    maximum: float
    finishing: float
    jitter: float

    @classmethod
    def for_model(
        cls,
        policy: Policy,
        first_poll: float | None = None,
        typical_seconds: float | None = None,
    ) -> PollSchedule:
        """The default schedule, or one seeded by a model's spec hints: ``first_poll``
        (video models start slower) and ``typical_seconds`` (stretches the curve)."""
        stretch = 1.0
        if typical_seconds and typical_seconds > 0:
            stretch = typical_seconds / policy.poll_reference
        return cls(
            first=policy.first_poll if first_poll is None else first_poll,
            curve=policy.poll_curve,
            stretch=stretch,
            minimum=policy.min_poll,
            maximum=policy.max_poll,
            finishing=policy.finishing_poll,
            jitter=policy.poll_jitter,
        )

    def base_interval(self, elapsed: float, phase: Phase) -> float:
        """The interval before jitter."""
        if phase is Phase.FINISHING:
            return self.finishing
        x = max(elapsed, 0.0) / self.stretch
        points = self.curve
        interval = points[-1][1]
        for (x0, y0), (x1, y1) in itertools.pairwise(points):
            if x < x1:
                interval = y0 + (y1 - y0) * (x - x0) / (x1 - x0) if x >= x0 else y0
                break
        return min(max(interval * self.stretch, self.minimum), self.maximum)

    def interval(self, elapsed: float, phase: Phase, rng: random.Random) -> float:
        base = self.base_interval(elapsed, phase)
        jittered = base * (1.0 + self.jitter * (2.0 * rng.random() - 1.0))
        return max(jittered, min(self.minimum, base))


@dataclass(frozen=True, slots=True)
class WaitOutcome:
    record: TaskRecord


_unknown_statuses: set[str] = set()
_unknown_lock = threading.Lock()


def _first_sighting(status: str) -> bool:
    with _unknown_lock:
        if status in _unknown_statuses:
            return False
        _unknown_statuses.add(status)
        return True


# --- the lifecycle ------------------------------------------------------------------------
@dataclass
class Lifecycle:
    """Behaviour of one client: its protocol, clock, randomness and policy."""

    protocol: TaskPolling
    clock: Clock
    rng: random.Random
    policy: Policy = field(default_factory=Policy)
    upload_first: bool = True
    """Local files go to the upload endpoint first and the Run carries their URLs in JSON
    (the official SDKs' way); False sends the Run as multipart with the files."""

    def with_policy(self, **changes: Any) -> Lifecycle:
        return replace(self, policy=replace(self.policy, **changes))

    # --- one call, with retries -----------------------------------------------------------
    def backoff(self, attempt: int, retry_after: float | None) -> float:
        """Seconds before retry number ``attempt + 1``: the server's Retry-After (capped),
        else exponential with jitter drawn below the nominal delay."""
        p = self.policy
        if retry_after is not None:
            return min(retry_after, p.retry_after_max)
        nominal = min(p.backoff_max, p.backoff_initial * p.backoff_multiplier**attempt)
        return nominal * (1.0 - p.backoff_jitter * self.rng.random())

    def call(
        self,
        request: ApiRequest,
        *,
        deadline: float | None = None,
        max_retries: int | None = None,
    ) -> Steps[dict[str, Any]]:
        """One API call: its answer's JSON body, after the retries its kind allows."""
        retries = self.policy.max_retries if max_retries is None else max_retries
        attempt = 0
        last: errors.WiroError | None = None
        while True:
            if deadline is not None and self.clock.now() >= deadline:
                raise DeadlineReached(last)
            sent_at = self.clock.time()
            exchange: Exchange = yield Send(request, deadline)
            verdict = judge(self.protocol.provider, request, exchange)
            if isinstance(verdict, Answer):
                return verdict.body
            if isinstance(verdict, Fatal):
                if isinstance(verdict.error, errors.RunOutcomeUnknownError):
                    verdict.error.sent_at = sent_at
                raise verdict.error
            last = verdict.error
            if attempt >= retries:
                raise verdict.error
            delay = self.backoff(attempt, verdict.retry_after)
            if deadline is not None and self.clock.now() + delay >= deadline:
                raise DeadlineReached(verdict.error)
            log.debug(
                "retry %s %s in %.2fs (attempt %d of %d): %s",
                request.method,
                request.path,
                delay,
                attempt + 2,
                retries + 1,
                verdict.error,
            )
            yield Sleep(delay)
            attempt += 1

    # --- runs ----------------------------------------------------------------------------
    def start(
        self,
        model: str,
        payload: RunPayload,
        *,
        max_retries: int | None = None,
    ) -> Steps[TaskRef]:
        """Run ``model``: the new task's id and token as soon as Wiro answers."""
        if payload.uploads and self.upload_first:
            payload = yield from self.upload(payload, max_retries=max_retries)
        request = self.protocol.run_request(model, payload)
        try:
            body = yield from self.call(request, max_retries=max_retries)
        except errors.RunOutcomeUnknownError as exc:
            exc.model = model
            exc.parameters = dict(payload.fingerprint)
            raise
        except errors.InvalidInputError as exc:
            if payload.spec is not None:  # Wiro names wire fields; say which arguments
                exc.name_arguments(arguments(payload.spec))
            raise
        ref = self.protocol.run_answer(body)
        if ref is None:
            raise errors.RunOutcomeUnknownError(
                f"Wiro accepted the Run of {model} but named no task; it was not sent "
                "again (look for it with client.tasks.reconcile(error))",
                model=model,
                parameters=payload.fingerprint,
                sent_at=self.clock.time(),
                reason="answer without a task id",
                endpoint="run",
            )
        log.debug("run %s -> task %s", model, ref.task_id or ref.token)
        return ref

    def upload(
        self, payload: RunPayload, *, max_retries: int | None = None
    ) -> Steps[RunPayload]:
        """Upload ``payload``'s files (each checked against the size limit before anything
        is sent) and return the Run with their URLs in place of the files."""
        limit = self.protocol.upload_limit()
        for one in payload.uploads:
            if limit is not None and one.size > limit:
                raise errors.InvalidInputError(
                    f"Invalid input [{one.input_name or one.field}]: {one.filename} is "
                    f"{one.size} bytes; Wiro takes files up to {limit} bytes",
                    input_name=one.input_name or one.field,
                    rule="file size",
                )
        urls = []
        for one in payload.uploads:
            body = yield from self.call(
                self.protocol.upload_request(one), max_retries=max_retries
            )
            url = self.protocol.uploaded_url(body)
            if url is None:
                raise errors.ServerError(
                    f"the upload of {one.filename} answered no file URL",
                    endpoint="upload",
                )
            log.debug("uploaded %s -> %s", one.filename, url)
            urls.append(url)
        return payload.with_urls(urls)

    def submit(
        self,
        model: str,
        payload: RunPayload,
        *,
        deadline: float | None = None,
        max_retries: int | None = None,
    ) -> Steps[TaskRef]:
        """:meth:`start`, waiting and submitting again while the project's concurrency
        limit refuses the Run (code 96: no task was created, so this is safe)."""
        attempt = 0
        p = self.policy
        while True:
            try:
                return (yield from self.start(model, payload, max_retries=max_retries))
            except errors.ConcurrencyLimitError:
                nominal = min(
                    p.concurrency_retry_max,
                    p.concurrency_retry_initial * p.backoff_multiplier**attempt,
                )
                delay = nominal * (1.0 - p.backoff_jitter * self.rng.random())
                if deadline is not None and self.clock.now() + delay >= deadline:
                    raise
                log.debug("concurrency limit: run %s again in %.1fs", model, delay)
                yield Sleep(delay)
                attempt += 1

    # --- reading tasks ----------------------------------------------------------------------
    def detail(
        self,
        ref: TaskRef,
        *,
        deadline: float | None = None,
        max_retries: int | None = None,
    ) -> Steps[TaskRecord]:
        request = self.protocol.task_request("detail", ref)
        body = yield from self.call(request, deadline=deadline, max_retries=max_retries)
        return self.protocol.one_task("detail", body, ref)

    def list(
        self,
        start: int,
        limit: int,
        filters: Mapping[str, Any] | None = None,
        *,
        max_retries: int | None = None,
    ) -> Steps[list[TaskRecord]]:
        request = self.protocol.list_request(start, limit, filters or {})
        body = yield from self.call(request, max_retries=max_retries)
        return self.protocol.tasks("list", body)

    def reconcile(
        self,
        model: str,
        parameters: Mapping[str, str],
        sent_at: float,
        *,
        page: int = C.RECONCILE_PAGE,
    ) -> Steps[builtins.list[TaskRecord]]:
        """The listed tasks a lost Run may have created (see :func:`match_run`).

        Task/List is paged newest first until a page reaches tasks created before the Run
        was sent (less ``RECONCILE_BEFORE`` for clock skew) or the list ends: every task
        that could be the Run's has then been seen, so an empty answer is a proof.
        """
        horizon = sent_at - C.RECONCILE_BEFORE
        seen: builtins.list[TaskRecord] = []
        start = 0
        while True:
            records = yield from self.list(start, page)
            seen.extend(records)
            created = [r.created_at for r in records if r.created_at is not None]
            if len(records) < page or (created and min(created) < horizon):
                break
            start += len(records)
        return match_run(seen, model=model, parameters=parameters, sent_at=sent_at)

    def wait(
        self,
        ref: TaskRef,
        *,
        origin: float,
        first_poll_at: float,
        last: TaskRecord | None = None,
        deadline: float | None = None,
        schedule: PollSchedule,
        max_retries: int | None = None,
    ) -> Steps[WaitOutcome]:
        """Poll Task/Detail until a final status.

        ``origin`` is when the Run was answered (on the clock): the schedule's elapsed time
        counts from it. Polls never start after ``deadline``: the last one is made
        ``last_poll_lead`` before it, with its request cut to end by it.
        """
        clock = self.clock
        p = self.policy
        if last is not None and last.phase.is_final:
            return WaitOutcome(last)
        last_status = last.status if last else None
        next_at = first_poll_at
        polled_at: float | None = None
        while True:
            now = clock.now()
            if deadline is not None:
                if now >= deadline:
                    raise DeadlineReached()
                latest = deadline - p.last_poll_lead
                if next_at > latest:
                    if polled_at is not None and polled_at >= latest:
                        yield Sleep(deadline - now)
                        raise DeadlineReached()
                    next_at = max(latest, now)
            if next_at > now:
                yield Sleep(next_at - now)
            polled_at = clock.now()
            record = yield from self.detail(
                ref, deadline=deadline, max_retries=max_retries
            )
            changed = record.status != last_status
            if changed:
                self._log_status(ref, last_status, record)
            yield Observe(record, changed)
            last_status = record.status
            if record.phase.is_final:
                return WaitOutcome(record)
            now = clock.now()
            next_at = now + schedule.interval(now - origin, record.phase, self.rng)

    def follow(
        self,
        ref: TaskRef,
        *,
        socket_url: str,
        origin: float,
        first_poll_at: float,
        last: TaskRecord | None = None,
        deadline: float | None = None,
        schedule: PollSchedule,
        max_retries: int | None = None,
    ) -> Steps[WaitOutcome]:
        """Follow the task on the provider's socket until a final status, then read
        Task/Detail once for the authoritative record (as the official SDKs do).

        A socket that cannot open or drops is opened again after a growing pause, with
        Task/Detail polled on ``schedule`` meanwhile; a socket silent for ``SOCKET_QUIET``
        is checked against Task/Detail, and reopened when it missed a status. Neither the
        deadline, the task nor a status is lost on the way. LLM answers are streamed as
        :class:`Text` reports.
        """
        p = self.protocol.provider
        if not (socket_url and ref.token and p.socket_register_type):
            return (
                yield from self.wait(
                    ref,
                    origin=origin,
                    first_poll_at=first_poll_at,
                    last=last,
                    deadline=deadline,
                    schedule=schedule,
                    max_retries=max_retries,
                )
            )
        if last is not None and last.phase.is_final:
            return WaitOutcome(last)
        clock = self.clock
        lead = self.policy.last_poll_lead
        register = json.dumps(
            {
                "type": p.socket_register_type,
                p.socket_token_field or "tasktoken": ref.token,
            }
        )
        record = last
        heard = record.status if record else None  # the last status the socket showed
        answer = ""
        channel: Any = None
        attempt = 0
        connect_at = clock.now()
        poll_at: float | None = None
        check_at = clock.now() + C.SOCKET_QUIET

        def look() -> Steps[TaskRecord]:
            nonlocal record, heard
            fresh = yield from self.detail(
                ref, deadline=deadline, max_retries=max_retries
            )
            changed = fresh.status != (record.status if record else None)
            if changed:
                self._log_status(ref, record.status if record else None, fresh)
            record = fresh
            yield Observe(fresh, changed)
            return fresh

        while True:
            now = clock.now()
            if deadline is not None and now >= deadline - lead:
                # A last look before the deadline, as polling makes one.
                final = yield from look()
                if final.phase.is_final:
                    return WaitOutcome(final)
                raise DeadlineReached()
            if channel is None and now >= connect_at:
                opened = yield Connect(socket_url, register)
                if isinstance(opened, str):
                    attempt += 1
                    connect_at = now + self._reconnect_delay(attempt)
                    log.debug("task socket unavailable (%s): polling", opened)
                    if poll_at is None:
                        poll_at = max(now, first_poll_at)
                else:
                    channel, attempt, poll_at = opened, 0, None
                    check_at = now + C.SOCKET_QUIET
                continue
            if channel is None:
                assert poll_at is not None
                wake = min(poll_at, connect_at)
                if deadline is not None:
                    wake = min(wake, deadline - lead)
                if wake > now:
                    yield Sleep(wake - now)
                    continue
                if clock.now() >= poll_at:
                    polled = yield from look()
                    if polled.phase.is_final:
                        return WaitOutcome(polled)
                    heard = polled.status
                    now = clock.now()
                    poll_at = now + schedule.interval(
                        now - origin, polled.phase, self.rng
                    )
                continue
            until = check_at if deadline is None else min(check_at, deadline - lead)
            message = yield Receive(channel, until)
            now = clock.now()
            if message is None:  # silence: is the socket still telling the truth?
                checked = yield from look()
                if checked.phase.is_final:
                    yield Disconnect(channel)
                    return WaitOutcome(checked)
                if heard is not None and checked.status != heard:
                    log.debug("task socket missed %s: opening it again", checked.status)
                    yield Disconnect(channel)
                    channel, connect_at = None, clock.now() + self._reconnect_delay(1)
                    poll_at = clock.now()
                heard = checked.status
                check_at = clock.now() + C.SOCKET_QUIET
                continue
            if isinstance(message, SocketEnd):
                log.debug(
                    "task socket closed (%s): polling until it opens", message.reason
                )
                channel = None
                attempt += 1
                connect_at = now + self._reconnect_delay(attempt)
                poll_at = now
                continue
            event = socket_event(message)
            if event is None:
                continue
            kind, payload = event
            check_at = now + C.SOCKET_QUIET
            if kind in p.socket_logs:
                # A stderr line; if nothing follows, Detail tells whether the task died.
                check_at = now + C.SOCKET_ERROR_CHECK
                continue
            text = _answer_text(payload)
            if text is not None:
                if text.startswith(answer) and len(text) > len(answer):
                    yield Text(text[len(answer) :])
                answer = text
            if self.protocol.phase(kind, "0").is_final:
                yield Disconnect(channel)
                channel = None
                final = yield from look()
                if final.phase.is_final:
                    return WaitOutcome(final)
                # Detail lags the socket: poll it, fast, until it agrees.
                poll_at = clock.now() + schedule.finishing
                connect_at = float("inf")
                continue
            if kind != heard:
                base = record or self.protocol.record(
                    {"id": ref.task_id or "", "socketaccesstoken": ref.token}
                )
                seen = replace(base, status=kind, phase=self.protocol.phase(kind, None))
                self._log_status(ref, heard, seen)
                record, heard = seen, kind
                yield Observe(seen, True)

    def _reconnect_delay(self, attempt: int) -> float:
        nominal = min(
            C.SOCKET_RECONNECT_MAX,
            C.SOCKET_RECONNECT_INITIAL
            * self.policy.backoff_multiplier ** (attempt - 1),
        )
        return nominal * (1.0 - self.policy.backoff_jitter * self.rng.random())

    def _log_status(self, ref: TaskRef, before: str | None, record: TaskRecord) -> None:
        if record.phase is Phase.UNKNOWN and _first_sighting(record.status):
            log.warning(
                "task %s reports status %r, unknown to this client: polling on",
                ref.task_id or ref.token,
                record.status,
            )
        log.debug(
            "task %s: %s -> %s", ref.task_id or ref.token, before or "?", record.status
        )

    # --- stopping tasks ------------------------------------------------------------------
    def act(
        self, endpoint: str, ref: TaskRef, *, max_retries: int | None = None
    ) -> Steps[TaskRecord]:
        """Cancel, Kill or delete_files, then re-read Detail (the answer of an action is
        not the task's new state)."""
        ref = yield from self._complete(endpoint, ref, max_retries)
        yield from self.call(
            self.protocol.task_request(endpoint, ref), max_retries=max_retries
        )
        return (yield from self.detail(ref, max_retries=max_retries))

    def _complete(
        self, endpoint: str, ref: TaskRef, max_retries: int | None
    ) -> Steps[TaskRef]:
        """``ref`` with the identifier ``endpoint`` needs, read from Task/Detail when
        missing (Wiro-MCP's cancelTask resolves the id from the token this way)."""
        if not self.protocol.lacks(endpoint, ref):
            return ref
        record = yield from self.detail(ref, max_retries=max_retries)
        return TaskRef(
            ref.task_id or record.task_id or None, ref.token or record.token or None
        )

    def stop(
        self, ref: TaskRef, *, max_retries: int | None = None
    ) -> Steps[TaskRecord]:
        """Cancel a queued task, kill a running one; if Wiro says the chosen action does not
        fit the task's state (it moved on meanwhile), try the other one."""
        record = yield from self.detail(ref, max_retries=max_retries)
        if record.phase.is_final:
            return record
        ref = TaskRef(
            ref.task_id or record.task_id or None, ref.token or record.token or None
        )
        order = (
            ("cancel", "kill") if record.phase is Phase.QUEUED else ("kill", "cancel")
        )
        try:
            yield from self.call(
                self.protocol.task_request(order[0], ref), max_retries=max_retries
            )
        except errors.NotFoundError:
            log.debug(
                "%s refused for task %s: trying %s", order[0], ref.task_id, order[1]
            )
            try:
                yield from self.call(
                    self.protocol.task_request(order[1], ref), max_retries=max_retries
                )
            except errors.NotFoundError:
                record = yield from self.detail(ref, max_retries=max_retries)
                if record.phase.is_final:
                    return record
                raise
        return (yield from self.detail(ref, max_retries=max_retries))

    # --- outputs -----------------------------------------------------------------------
    def download(
        self,
        url: str,
        dest: Path,
        *,
        expected_size: int | None,
        max_retries: int | None = None,
    ) -> Steps[int]:
        """Stream ``url`` into ``dest`` until a complete copy arrives; its size in bytes."""
        retries = self.policy.max_retries if max_retries is None else max_retries
        attempt = 0
        while True:
            exchange: Exchange = yield Fetch(url, dest)
            error, retry_after, retryable = _judge_download(
                url, exchange, expected_size
            )
            if error is None:
                return exchange.received
            if not retryable or attempt >= retries:
                raise error
            delay = self.backoff(attempt, retry_after)
            log.debug("retry download of %s in %.2fs: %s", url, delay, error)
            yield Sleep(delay)
            attempt += 1


def socket_event(message: str | bytes) -> tuple[str, Any] | None:
    """(type, message) of one socket frame (websocket.md: ``{type, id, tasktoken, message,
    result}``), or None for what is not such an event (binary audio frames, bad JSON).
    """
    if isinstance(message, bytes):
        return None
    try:
        data = json.loads(message)
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        return None
    return data["type"], data.get("message")


def _answer_text(payload: Any) -> str | None:
    """An LLM's answer so far (llm-chat-streaming.md: each ``task_output`` carries the whole
    ``answer`` array up to now), or None when the event carries none."""
    if isinstance(payload, dict) and isinstance(payload.get("answer"), list):
        return "".join(str(part) for part in payload["answer"])
    return None


def _judge_download(
    url: str, exchange: Exchange, expected: int | None
) -> tuple[errors.WiroError | None, float | None, bool]:
    from ._wire import parse_retry_after

    if exchange.failure is not None:
        return (
            errors.TransportError(f"download of {url}: {exchange.detail}"),
            None,
            True,
        )
    status = exchange.status
    retry_after = parse_retry_after(exchange.headers.get("retry-after"))
    body = exchange.body[: C.ERROR_BODY_MAX].decode("utf-8", "replace") or None
    failed = f"download of {url} failed"
    if status in C.RETRY_STATUSES or status >= 500:
        retry: type[errors.WiroError] = (
            errors.RateLimitError if status == 429 else errors.ServerError
        )
        return retry(failed, status_code=status, body=body), retry_after, True
    if not 200 <= status < 300:
        fatal: type[errors.WiroError] = (
            errors.NotFoundError if status in (404, 410) else errors.ServerError
        )
        return fatal(failed, status_code=status, body=body), None, False
    length = exchange.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) != exchange.received:
        return (
            errors.TransportError(
                f"download of {url} truncated: {exchange.received} of {length} bytes"
            ),
            None,
            True,
        )
    if expected is not None and expected != exchange.received:
        return (
            errors.TransportError(
                f"download of {url}: got {exchange.received} bytes, Wiro reported "
                f"{expected}"
            ),
            None,
            True,
        )
    return None, None, False


def match_run(
    records: Iterable[TaskRecord],
    *,
    model: str,
    parameters: Mapping[str, str],
    sent_at: float,
    before: float = C.RECONCILE_BEFORE,
    after: float = C.RECONCILE_AFTER,
) -> list[TaskRecord]:
    """The listed tasks that may be a lost Run's: same model (when the listing names it),
    same text parameters, created in [sent_at - before, sent_at + after]; oldest first.
    """
    found = []
    for record in records:
        if record.model is not None and record.model != model:
            continue
        if record.created_at is not None and not (
            sent_at - before <= record.created_at <= sent_at + after
        ):
            continue
        if all(
            _same(value, record.parameters.get(key))
            for key, value in parameters.items()
        ):
            found.append(record)
    return sorted(found, key=lambda r: (r.created_at or 0.0, r.task_id))


def _same(sent: str, listed: Any) -> bool:
    if listed is None:
        return False
    text = str(listed)
    if text == sent:
        return True
    try:
        return float(text) == float(sent)
    except ValueError:
        return False
