"""The task lifecycle, written once for both clients.

Every behaviour here is a generator that *yields effects* (send this request, fetch this file,
sleep this long, here is what the task looks like now) and receives their results. It never
touches the network or sleeps itself: :mod:`wiro_client._transport` has a thin sync driver
(``httpx.Client``, ``clock.sleep``) and a thin async one (``httpx.AsyncClient``,
``await clock.sleep_async``) that execute the effects. ``Wiro`` and ``AsyncWiro`` therefore
retry, poll, time out and stop tasks identically, by construction.
"""

from __future__ import annotations

import itertools
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
from ._wire import Answer, ApiRequest, Exchange, Fatal, judge

__all__ = [
    "DeadlineReached",
    "Effect",
    "Fetch",
    "Lifecycle",
    "Observe",
    "Policy",
    "PollSchedule",
    "Send",
    "Sleep",
    "Steps",
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


Effect = Send | Fetch | Sleep | Observe
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
    task_error_grace: float = C.TASK_ERROR_GRACE
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
        return base * (1.0 + self.jitter * (2.0 * rng.random() - 1.0))


@dataclass(frozen=True, slots=True)
class WaitOutcome:
    record: TaskRecord
    stuck_for: float | None = None
    """Set when the task sat in an interim-error status without progress this long."""


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

    def reconcile(
        self,
        model: str,
        parameters: Mapping[str, str],
        sent_at: float,
        *,
        limit: int = C.RECONCILE_LIMIT,
    ) -> Steps[list[TaskRecord]]:
        """The listed tasks that may be a lost Run's (see :func:`match_run`)."""
        records = yield from self.list({"limit": limit, "start": 0})
        return match_run(records, model=model, parameters=parameters, sent_at=sent_at)

    def list(
        self, filters: Mapping[str, Any], *, max_retries: int | None = None
    ) -> Steps[list[TaskRecord]]:
        request = self.protocol.list_request(filters)
        body = yield from self.call(request, max_retries=max_retries)
        return self.protocol.tasks("list", body)

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
        progress = last.progress_key if last else None
        error_since: float | None = None
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
            if record.phase is Phase.INTERIM_ERROR:
                if error_since is None or record.progress_key != progress:
                    error_since = now
                elif now - error_since >= p.task_error_grace:
                    return WaitOutcome(record, stuck_for=now - error_since)
            else:
                error_since = None
            progress = record.progress_key
            next_at = now + schedule.interval(now - origin, record.phase, self.rng)

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
        yield from self.call(
            self.protocol.task_request(endpoint, ref), max_retries=max_retries
        )
        return (yield from self.detail(ref, max_retries=max_retries))

    def stop(
        self, ref: TaskRef, *, max_retries: int | None = None
    ) -> Steps[TaskRecord]:
        """Cancel a queued task, kill a running one; if Wiro says the chosen action does not
        fit the task's state (it moved on meanwhile), try the other one."""
        record = yield from self.detail(ref, max_retries=max_retries)
        if record.phase.is_final:
            return record
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
