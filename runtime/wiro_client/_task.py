"""Task handles, their results and outputs: the small public face of the lifecycle.

``Task`` and ``AsyncTask`` hold no behaviour of their own: each method builds a lifecycle
generator (:mod:`wiro_client._lifecycle`) and hands it to its client's driver.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

from . import _constants as C
from . import errors
from ._lifecycle import (
    DeadlineReached,
    Lifecycle,
    Observe,
    PollSchedule,
    Steps,
    Text,
    WaitOutcome,
)
from ._protocol import OutputRecord, Phase, TaskRecord, TaskRef
from ._transport import AsyncDriver, SyncDriver

__all__ = [
    "AsyncTask",
    "AsyncTaskClient",
    "AsyncTaskOutput",
    "AsyncTaskResult",
    "AsyncTextStream",
    "OnTimeout",
    "Task",
    "TaskClient",
    "TaskOutput",
    "TaskPhase",
    "TaskResult",
    "TextStream",
]

TaskPhase = Phase
"""How a status reads: queued, running, finishing, succeeded, failed, cancelled..."""

OnTimeout = Literal["cancel", "kill", "stop"]


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()
"""Marks an argument left to the client's setting."""


class TaskClient(Protocol):
    """What a :class:`Task` needs of its client; :class:`~wiro_client.Wiro` is one.

    Declared here, not imported: the client module imports this one, never the reverse.
    """

    @property
    def _driver(self) -> SyncDriver: ...
    @property
    def _lifecycle(self) -> Lifecycle: ...
    @property
    def _wait_timeout(self) -> float | None: ...
    @property
    def _socket_url(self) -> str: ...


class AsyncTaskClient(Protocol):
    """What an :class:`AsyncTask` needs of its client; :class:`~wiro_client.AsyncWiro` is one."""

    @property
    def _driver(self) -> AsyncDriver: ...
    @property
    def _lifecycle(self) -> Lifecycle: ...
    @property
    def _wait_timeout(self) -> float | None: ...
    @property
    def _socket_url(self) -> str: ...


# --- outputs ------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _OutputData(OutputRecord):
    """An output as the protocol read it, with what callers ask of it."""

    @property
    def is_raw(self) -> bool:
        """An LLM's structured answer rather than a file."""
        return self.content_type == "raw" or (self.content is not None and not self.url)

    @property
    def prompt(self) -> str | None:
        value = (self.content or {}).get("prompt")
        return None if value is None else str(value)

    @property
    def raw_text(self) -> str | None:
        """The model's raw text (``content.raw``)."""
        value = (self.content or {}).get("raw")
        return None if value is None else str(value)

    @property
    def thinking(self) -> list[str]:
        return _strings((self.content or {}).get("thinking"))

    @property
    def answer(self) -> list[str]:
        return _strings((self.content or {}).get("answer"))

    @property
    def text(self) -> str:
        """The answer parts joined (the raw text when there are none)."""
        return "".join(self.answer) or (self.raw_text or "")

    def _target(self, dest: str | os.PathLike[str]) -> Path:
        if self.is_raw:
            raise ValueError(
                "this output is an LLM's structured answer, not a file: read .text, "
                ".answer, .thinking or .raw_text"
            )
        path = Path(os.fspath(dest)).expanduser()
        if path.is_dir() or os.fspath(dest).endswith(("/", os.sep)):
            name = Path(self.name).name or Path(self.url.split("?")[0]).name or "output"
            path = path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [] if value is None else [str(value)]


def _temp_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.part")


def _commit(temp: Path, target: Path) -> Path:
    os.replace(temp, target)
    return target


def _discard(temp: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()


@dataclass(frozen=True, slots=True)
class TaskOutput(_OutputData):
    """One output of a finished task."""

    _client: TaskClient | None = field(default=None, repr=False, compare=False)

    def download(
        self, dest: str | os.PathLike[str] = ".", *, max_retries: int | None = None
    ) -> Path:
        """Save the file to ``dest`` (a directory, or a file path) and return its path.

        Streams to a temporary file beside the target and renames it only once complete
        and of the reported size; retries like any idempotent call. Wiro's credentials are
        never sent to the file's host.
        """
        if self._client is None:
            raise ValueError("this output is not bound to a client")
        target = self._target(dest)
        temp = _temp_for(target)
        client = self._client
        try:
            client._driver.run(
                client._lifecycle.download(
                    self.url, temp, expected_size=self.size, max_retries=max_retries
                )
            )
        except BaseException:
            _discard(temp)
            raise
        return _commit(temp, target)


@dataclass(frozen=True, slots=True)
class AsyncTaskOutput(_OutputData):
    """One output of a finished task, for :class:`AsyncWiro`."""

    _client: AsyncTaskClient | None = field(default=None, repr=False, compare=False)

    async def download(
        self, dest: str | os.PathLike[str] = ".", *, max_retries: int | None = None
    ) -> Path:
        """See :meth:`TaskOutput.download`."""
        if self._client is None:
            raise ValueError("this output is not bound to a client")
        target = self._target(dest)
        temp = _temp_for(target)
        client = self._client
        try:
            await client._driver.run(
                client._lifecycle.download(
                    self.url, temp, expected_size=self.size, max_retries=max_retries
                )
            )
        except BaseException:
            _discard(temp)
            raise
        return _commit(temp, target)


# --- results ------------------------------------------------------------------------------
OutputT = TypeVar("OutputT", TaskOutput, AsyncTaskOutput)


@dataclass(frozen=True, slots=True)
class _ResultData(Generic[OutputT]):
    task_id: str
    token: str
    """The socket access token: re-attaches like the id does."""
    status: str
    """Wiro's status, kept as it came (statuses are an open set)."""
    phase: TaskPhase
    pexit: str | None
    outputs: tuple[OutputT, ...]
    debugoutput: str
    """The process's standard output; an LLM's merged answer."""
    debugerror: str
    cost: float | None
    """``totalcost`` in USD (failed tasks are not billed)."""
    created_at: float | None
    started_at: float | None
    ended_at: float | None
    elapsed_seconds: float | None
    parameters: Mapping[str, Any] = field(repr=False)
    model: str | None = None
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def is_final(self) -> bool:
        return self.phase.is_final

    @property
    def succeeded(self) -> bool:
        return self.phase is Phase.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.phase is Phase.FAILED

    @property
    def cancelled(self) -> bool:
        return self.phase is Phase.CANCELLED

    @property
    def text(self) -> str:
        """An LLM's merged answer (``debugoutput``)."""
        return self.debugoutput


@dataclass(frozen=True, slots=True)
class TaskResult(_ResultData[TaskOutput]):
    """What Task/Detail says of a task (final, once ``wait()`` returns it)."""


@dataclass(frozen=True, slots=True)
class AsyncTaskResult(_ResultData[AsyncTaskOutput]):
    """What Task/Detail says of a task, for :class:`AsyncWiro`."""


def _copied(record: OutputRecord | TaskRecord, target: type) -> dict[str, Any]:
    """``record``'s values of ``target``'s fields, outputs aside (they are bound to a client
    first): the public types mirror the protocol's records field for field."""
    have = {f.name for f in fields(record)}
    return {
        f.name: getattr(record, f.name)
        for f in fields(target)
        if f.name in have and f.name != "outputs"
    }


def _sync_result(record: TaskRecord, client: TaskClient) -> TaskResult:
    outputs = tuple(
        TaskOutput(**_copied(o, TaskOutput), _client=client) for o in record.outputs
    )
    return TaskResult(outputs=outputs, **_copied(record, TaskResult))


def _async_result(record: TaskRecord, client: AsyncTaskClient) -> AsyncTaskResult:
    outputs = tuple(
        AsyncTaskOutput(**_copied(o, TaskOutput), _client=client)
        for o in record.outputs
    )
    return AsyncTaskResult(outputs=outputs, **_copied(record, AsyncTaskResult))


def _outcome_error(
    outcome: WaitOutcome, result: _ResultData[Any]
) -> errors.WiroError | None:
    record = outcome.record
    ids = {"task_id": record.task_id or None, "task_token": record.token or None}
    if record.phase is Phase.CANCELLED:
        return errors.TaskCancelledError(
            f"task {record.task_id} was cancelled", result=result, **ids
        )
    if record.phase is Phase.SUCCEEDED:
        return None
    if record.pexit:
        why = f"ended with pexit {record.pexit!r}"
    else:
        why = f"failed before its model ran ({record.status})"
    last_line = record.debugerror.strip().splitlines()[-1:] or [""]
    detail = f": {last_line[0][:300]}" if last_line[0] else ""
    return errors.TaskFailedError(
        f"task {record.task_id} {why}{detail}",
        result=result,
        pexit=record.pexit,
        debugerror=record.debugerror,
        debugoutput_tail=record.debugoutput[-C.LOG_TAIL :],
        cost=record.cost,
        elapsed_seconds=record.elapsed_seconds,
        created_at=record.created_at,
        started_at=record.started_at,
        ended_at=record.ended_at,
        **ids,
    )


# --- handles ------------------------------------------------------------------------------
class _TaskBase:
    """What both handles share: identity, schedule, serialisation."""

    def __init__(
        self,
        ref: TaskRef,
        *,
        model: str | None = None,
        run_at: float | None = None,
        origin: float | None = None,
    ) -> None:
        self._ref = ref
        self._model = model
        self._run_at = run_at
        self._origin = origin
        self._record: TaskRecord | None = None

    @property
    def id(self) -> str | None:
        """Wiro's task id."""
        return self._ref.task_id

    @property
    def token(self) -> str | None:
        """The socket access token (``tasktoken``)."""
        return self._ref.token

    @property
    def model(self) -> str | None:
        """``owner/slug`` of the model, when known."""
        return self._model

    @property
    def status(self) -> str | None:
        """The last status seen (no request is made)."""
        return self._record.status if self._record else None

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to resume this task elsewhere (``Task.from_dict``): plain
        JSON-able data, no credentials."""
        return {
            "task_id": self._ref.task_id,
            "token": self._ref.token,
            "model": self._model,
            "run_at": self._run_at,
        }

    @staticmethod
    def _ref_from(data: Mapping[str, Any]) -> tuple[TaskRef, str | None, float | None]:
        run_at = data.get("run_at")
        return (
            TaskRef(data.get("task_id") or None, data.get("token") or None),
            data.get("model"),
            float(run_at) if run_at is not None else None,
        )

    def _observe(self, record: TaskRecord) -> None:
        self._record = record
        if (record.task_id and not self._ref.task_id) or (
            record.token and not self._ref.token
        ):
            self._ref = TaskRef(
                self._ref.task_id or record.task_id or None,
                self._ref.token or record.token or None,
            )
        if self._model is None and record.model:
            self._model = record.model
        if self._run_at is None and record.created_at:
            self._run_at = record.created_at

    def _schedule_args(
        self, lifecycle: Any, now: float, wall: float
    ) -> tuple[float, float, PollSchedule]:
        from ._catalogue import model_spec

        spec = model_spec(self._model) if self._model else None
        schedule = PollSchedule.for_model(
            lifecycle.policy,
            spec.first_poll if spec else None,
            spec.typical_seconds if spec else None,
        )
        if self._origin is not None:
            origin = self._origin
        elif self._run_at is not None:
            origin = now - max(0.0, wall - self._run_at)
        else:
            origin = now
        first_at = (
            now if self._record is not None else max(now, origin + schedule.first)
        )
        return origin, first_at, schedule

    def _follow(
        self,
        lifecycle: Lifecycle,
        socket_url: str,
        deadline: float | None,
        max_retries: int | None,
    ) -> Steps[WaitOutcome]:
        """The task to its end: on the socket when there is one, else by polling."""
        clock = lifecycle.clock
        origin, first_at, schedule = self._schedule_args(
            lifecycle, clock.now(), clock.time()
        )
        return lifecycle.follow(
            self._ref,
            socket_url=socket_url,
            origin=origin,
            first_poll_at=first_at,
            last=self._record,
            deadline=deadline,
            schedule=schedule,
            max_retries=max_retries,
        )

    def _deadline(
        self, timeout: Any, default: float | None, now: float
    ) -> float | None:
        value = default if timeout is DEFAULT else timeout
        return None if value is None else now + float(value)

    def _timeout_error(
        self, timeout: Any, default: float | None
    ) -> errors.WaitTimeoutError:
        value = default if timeout is DEFAULT else timeout
        status = self.status or "unknown"
        return errors.WaitTimeoutError(
            f"task {self.id or self.token} still {status} after {value}s; it keeps running "
            "(task.wait() resumes, task.stop() ends it)",
            last_status=self.status,
            task_id=self.id,
            task_token=self.token,
            task=self,
        )

    def __repr__(self) -> str:
        parts = [f"id={self.id!r}"]
        if self._model:
            parts.append(f"model={self._model!r}")
        if self.status:
            parts.append(f"status={self.status!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


class Task(_TaskBase):
    """A task on Wiro: returned by ``run()`` as soon as Wiro accepted it.

    Store ``task.to_dict()`` and ``Task.from_dict(data, client)`` resumes it in another
    process: the id alone is enough never to lose a paid task.
    """

    def __init__(self, client: TaskClient, ref: TaskRef, **kwargs: Any) -> None:
        super().__init__(ref, **kwargs)
        self._client = client

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], client: TaskClient) -> Task:
        """Resume a task stored with :meth:`to_dict` on ``client`` (a :class:`Wiro`; or call
        ``client.tasks.from_dict(data)``)."""
        ref, model, run_at = cls._ref_from(data)
        return cls(client, ref, model=model, run_at=run_at)

    @property
    def last(self) -> TaskResult | None:
        """What the last Task/Detail said (no request is made)."""
        return (
            None if self._record is None else _sync_result(self._record, self._client)
        )

    def _drive(self, steps: Steps[Any], observe: Any = None) -> Any:
        try:
            return self._client._driver.run(steps, observe)
        except errors.WiroError as exc:
            exc.attach(self, self.id, self.token)
            raise

    def refresh(self, *, max_retries: int | None = None) -> TaskResult:
        """Read Task/Detail once."""
        record: TaskRecord = self._drive(
            self._client._lifecycle.detail(self._ref, max_retries=max_retries)
        )
        self._observe(record)
        return _sync_result(record, self._client)

    def wait(
        self,
        timeout: float | None = DEFAULT,
        *,
        on_status: Callable[[TaskResult], Any] | None = None,
        raise_on_failure: bool = True,
        on_timeout: OnTimeout | None = None,
        max_retries: int | None = None,
    ) -> TaskResult:
        """Poll until the task ends; its final result.

        Args:
            timeout: total seconds (default: the client's ``wait_timeout``; None: no
                limit). No retry or slow answer stretches it.
            on_status: called with the result at each status change.
            raise_on_failure: raise TaskFailedError/TaskCancelledError (default), or
                return the result of a failed or cancelled task.
            on_timeout: also ``"cancel"``, ``"kill"`` or ``"stop"`` the task when the
                deadline passes (default: leave it running).

        Raises:
            WaitTimeoutError: the deadline passed; ``.task`` is this handle.
            TaskFailedError: pexit is not "0", or the task failed before it ran
                (``task_error``).
            TaskCancelledError: the task was cancelled or killed.
        """
        client = self._client
        default = client._wait_timeout
        deadline = self._deadline(timeout, default, client._lifecycle.clock.now())

        def observe(record: TaskRecord, changed: bool) -> None:
            self._observe(record)
            if changed and on_status is not None:
                on_status(_sync_result(record, client))

        try:
            outcome: WaitOutcome = self._drive(
                self._steps(deadline, max_retries), observe
            )
        except DeadlineReached:
            expired = self._timeout_error(timeout, default)
            if on_timeout is not None:
                self._stop_quietly(on_timeout)
            raise expired from None
        self._observe(outcome.record)
        result = _sync_result(outcome.record, client)
        error = _outcome_error(outcome, result)
        if error is not None and raise_on_failure:
            error.attach(self, self.id, self.token)
            raise error
        return result

    def watch(
        self, timeout: float | None = DEFAULT, *, max_retries: int | None = None
    ) -> Iterator[TaskResult]:
        """Each status change as it is seen, up to the final one (no error on failure)."""
        client = self._client
        default = client._wait_timeout
        deadline = self._deadline(timeout, default, client._lifecycle.clock.now())
        if self._record is not None and self._record.phase.is_final:
            yield _sync_result(self._record, client)
            return
        iterator = client._driver.iterate(
            self._steps(deadline, max_retries), lambda r, c: self._observe(r)
        )
        try:
            for report in iterator:
                if isinstance(report, Observe) and report.changed:
                    yield _sync_result(report.record, client)
        except DeadlineReached:
            raise self._timeout_error(timeout, default) from None
        except errors.WiroError as exc:
            exc.attach(self, self.id, self.token)
            raise

    def _steps(
        self, deadline: float | None, max_retries: int | None
    ) -> Steps[WaitOutcome]:
        client = self._client
        url = client._socket_url if client._driver.can_listen else ""
        return self._follow(client._lifecycle, url, deadline, max_retries)

    def stream(
        self,
        timeout: float | None = DEFAULT,
        *,
        raise_on_failure: bool = True,
        max_retries: int | None = None,
    ) -> TextStream:
        """An LLM's answer as it is written: iterate for text chunks (llm-chat-streaming.md:
        over the socket, token by token); when the task ends the iteration stops and
        ``.result`` is its final result, as ``wait()`` returns it (and raises as it does).
        Without a socket the whole answer comes as one chunk at the end.

        ```python
        stream = task.stream()
        for chunk in stream:
            print(chunk, end="", flush=True)
        print(stream.result.cost)
        ```
        """
        return TextStream(self, timeout, raise_on_failure, max_retries)

    def cancel(self, *, max_retries: int | None = None) -> TaskResult:
        """Cancel the task while it is queued; the fresh Task/Detail after it."""
        return self._act("cancel", max_retries)

    def kill(self, *, max_retries: int | None = None) -> TaskResult:
        """Kill the task while it runs; the fresh Task/Detail after it."""
        return self._act("kill", max_retries)

    def stop(self, *, max_retries: int | None = None) -> TaskResult:
        """Cancel or kill, whichever fits the task's state now (falls back to the other
        when Wiro says the first does not fit); the fresh Task/Detail after it."""
        record: TaskRecord = self._drive(
            self._client._lifecycle.stop(self._ref, max_retries=max_retries)
        )
        self._observe(record)
        return _sync_result(record, self._client)

    def delete_files(self, *, max_retries: int | None = None) -> TaskResult:
        """Delete the finished task's input and output files on Wiro (idempotent)."""
        return self._act("delete_files", max_retries)

    def _act(self, endpoint: str, max_retries: int | None) -> TaskResult:
        record: TaskRecord = self._drive(
            self._client._lifecycle.act(endpoint, self._ref, max_retries=max_retries)
        )
        self._observe(record)
        return _sync_result(record, self._client)

    def _stop_quietly(self, how: OnTimeout) -> None:
        try:
            {"cancel": self.cancel, "kill": self.kill, "stop": self.stop}[how]()
        except errors.WiroError as exc:
            import logging

            logging.getLogger("wiro_client").warning(
                "on_timeout=%r for task %s failed: %s", how, self.id, exc
            )


class AsyncTask(_TaskBase):
    """A task on Wiro, for :class:`AsyncWiro`: every method of :class:`Task`, awaited."""

    def __init__(self, client: AsyncTaskClient, ref: TaskRef, **kwargs: Any) -> None:
        super().__init__(ref, **kwargs)
        self._client = client

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], client: AsyncTaskClient) -> AsyncTask:
        """Resume a task stored with :meth:`to_dict` on ``client`` (an :class:`AsyncWiro`)."""
        ref, model, run_at = cls._ref_from(data)
        return cls(client, ref, model=model, run_at=run_at)

    @property
    def last(self) -> AsyncTaskResult | None:
        return (
            None if self._record is None else _async_result(self._record, self._client)
        )

    async def _drive(self, steps: Steps[Any], observe: Any = None) -> Any:
        try:
            return await self._client._driver.run(steps, observe)
        except errors.WiroError as exc:
            exc.attach(self, self.id, self.token)
            raise

    async def refresh(self, *, max_retries: int | None = None) -> AsyncTaskResult:
        record: TaskRecord = await self._drive(
            self._client._lifecycle.detail(self._ref, max_retries=max_retries)
        )
        self._observe(record)
        return _async_result(record, self._client)

    async def wait(
        self,
        timeout: float | None = DEFAULT,
        *,
        on_status: Callable[[AsyncTaskResult], Awaitable[Any] | Any] | None = None,
        raise_on_failure: bool = True,
        on_timeout: OnTimeout | None = None,
        max_retries: int | None = None,
    ) -> AsyncTaskResult:
        """See :meth:`Task.wait`; ``on_status`` may be a coroutine function."""
        client = self._client
        default = client._wait_timeout
        deadline = self._deadline(timeout, default, client._lifecycle.clock.now())

        def observe(record: TaskRecord, changed: bool) -> Awaitable[Any] | Any:
            self._observe(record)
            if changed and on_status is not None:
                return on_status(_async_result(record, client))
            return None

        try:
            outcome: WaitOutcome = await self._drive(
                self._steps(deadline, max_retries), observe
            )
        except DeadlineReached:
            expired = self._timeout_error(timeout, default)
            if on_timeout is not None:
                await self._stop_quietly(on_timeout)
            raise expired from None
        self._observe(outcome.record)
        result = _async_result(outcome.record, client)
        error = _outcome_error(outcome, result)
        if error is not None and raise_on_failure:
            error.attach(self, self.id, self.token)
            raise error
        return result

    async def watch(
        self, timeout: float | None = DEFAULT, *, max_retries: int | None = None
    ) -> AsyncIterator[AsyncTaskResult]:
        """See :meth:`Task.watch`: ``async for result in task.watch(): ...``."""
        client = self._client
        default = client._wait_timeout
        deadline = self._deadline(timeout, default, client._lifecycle.clock.now())
        if self._record is not None and self._record.phase.is_final:
            yield _async_result(self._record, client)
            return
        iterator = client._driver.iterate(
            self._steps(deadline, max_retries), lambda r, c: self._observe(r)
        )
        try:
            async for report in iterator:
                if isinstance(report, Observe) and report.changed:
                    yield _async_result(report.record, client)
        except DeadlineReached:
            raise self._timeout_error(timeout, default) from None
        except errors.WiroError as exc:
            exc.attach(self, self.id, self.token)
            raise

    def _steps(
        self, deadline: float | None, max_retries: int | None
    ) -> Steps[WaitOutcome]:
        client = self._client
        url = client._socket_url if client._driver.can_listen else ""
        return self._follow(client._lifecycle, url, deadline, max_retries)

    def stream(
        self,
        timeout: float | None = DEFAULT,
        *,
        raise_on_failure: bool = True,
        max_retries: int | None = None,
    ) -> AsyncTextStream:
        """See :meth:`Task.stream`: ``async for chunk in stream: ...``."""
        return AsyncTextStream(self, timeout, raise_on_failure, max_retries)

    async def cancel(self, *, max_retries: int | None = None) -> AsyncTaskResult:
        return await self._act("cancel", max_retries)

    async def kill(self, *, max_retries: int | None = None) -> AsyncTaskResult:
        return await self._act("kill", max_retries)

    async def stop(self, *, max_retries: int | None = None) -> AsyncTaskResult:
        record: TaskRecord = await self._drive(
            self._client._lifecycle.stop(self._ref, max_retries=max_retries)
        )
        self._observe(record)
        return _async_result(record, self._client)

    async def delete_files(self, *, max_retries: int | None = None) -> AsyncTaskResult:
        return await self._act("delete_files", max_retries)

    async def _act(self, endpoint: str, max_retries: int | None) -> AsyncTaskResult:
        record: TaskRecord = await self._drive(
            self._client._lifecycle.act(endpoint, self._ref, max_retries=max_retries)
        )
        self._observe(record)
        return _async_result(record, self._client)

    async def _stop_quietly(self, how: OnTimeout) -> None:
        try:
            await {"cancel": self.cancel, "kill": self.kill, "stop": self.stop}[how]()
        except errors.WiroError as exc:
            import logging

            logging.getLogger("wiro_client").warning(
                "on_timeout=%r for task %s failed: %s", how, self.id, exc
            )


# --- streamed answers -----------------------------------------------------------------------
def _final_text(record: TaskRecord) -> str:
    """The answer of a finished task: its raw output's answer, else ``debugoutput``."""
    for output in record.outputs:
        answer = (output.content or {}).get("answer")
        if isinstance(answer, list) and answer:
            return "".join(str(part) for part in answer)
    return record.debugoutput


class TextStream:
    """The text of a task's answer as it arrives (see :meth:`Task.stream`)."""

    def __init__(
        self,
        task: Task,
        timeout: float | None,
        raise_on_failure: bool,
        max_retries: int | None,
    ) -> None:
        self._task = task
        self._chunks = self._run(timeout, raise_on_failure, max_retries)
        self._result: TaskResult | None = None
        self.text = ""
        """Everything streamed so far."""

    @property
    def result(self) -> TaskResult:
        """The final result, once the iteration has ended."""
        if self._result is None:
            raise RuntimeError("the stream has not ended yet: iterate it to its end")
        return self._result

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        chunk = next(self._chunks)
        self.text += chunk
        return chunk

    def _run(
        self, timeout: Any, raise_on_failure: bool, max_retries: int | None
    ) -> Iterator[str]:
        task, client = self._task, self._task._client
        default = client._wait_timeout
        deadline = task._deadline(timeout, default, client._lifecycle.clock.now())
        streamed = False
        if task._record is None or not task._record.phase.is_final:
            reports = client._driver.iterate(
                task._steps(deadline, max_retries), lambda r, c: task._observe(r)
            )
            try:
                for report in reports:
                    if isinstance(report, Text):
                        streamed = True
                        yield report.chunk
            except DeadlineReached:
                raise task._timeout_error(timeout, default) from None
            except errors.WiroError as exc:
                exc.attach(task, task.id, task.token)
                raise
        record = task._record
        assert record is not None
        if not streamed and record.phase is Phase.SUCCEEDED and _final_text(record):
            yield _final_text(record)
        self._result = _sync_result(record, client)
        error = _outcome_error(WaitOutcome(record), self._result)
        if error is not None and raise_on_failure:
            error.attach(task, task.id, task.token)
            raise error


class AsyncTextStream:
    """The text of a task's answer as it arrives, for :class:`AsyncWiro`."""

    def __init__(
        self,
        task: AsyncTask,
        timeout: float | None,
        raise_on_failure: bool,
        max_retries: int | None,
    ) -> None:
        self._task = task
        self._chunks = self._run(timeout, raise_on_failure, max_retries)
        self._result: AsyncTaskResult | None = None
        self.text = ""

    @property
    def result(self) -> AsyncTaskResult:
        if self._result is None:
            raise RuntimeError("the stream has not ended yet: iterate it to its end")
        return self._result

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        chunk = await self._chunks.__anext__()
        self.text += chunk
        return chunk

    async def _run(
        self, timeout: Any, raise_on_failure: bool, max_retries: int | None
    ) -> AsyncIterator[str]:
        task, client = self._task, self._task._client
        default = client._wait_timeout
        deadline = task._deadline(timeout, default, client._lifecycle.clock.now())
        streamed = False
        if task._record is None or not task._record.phase.is_final:
            reports = client._driver.iterate(
                task._steps(deadline, max_retries), lambda r, c: task._observe(r)
            )
            try:
                async for report in reports:
                    if isinstance(report, Text):
                        streamed = True
                        yield report.chunk
            except DeadlineReached:
                raise task._timeout_error(timeout, default) from None
            except errors.WiroError as exc:
                exc.attach(task, task.id, task.token)
                raise
        record = task._record
        assert record is not None
        if not streamed and record.phase is Phase.SUCCEEDED and _final_text(record):
            yield _final_text(record)
        self._result = _async_result(record, client)
        error = _outcome_error(WaitOutcome(record), self._result)
        if error is not None and raise_on_failure:
            error.attach(task, task.id, task.token)
            raise error
