"""``Wiro`` and ``AsyncWiro``: configuration, the HTTP client, and the entry points.

Both build the same :class:`~wiro_client._lifecycle.Lifecycle`; only their driver differs.
"""

from __future__ import annotations

import builtins
import functools
import json
import os
import random
import ssl
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import httpx

from . import _constants as C
from . import errors
from ._auth import DEFAULT_NONCES, NonceSource, Secret, Signer
from ._clock import SYSTEM_CLOCK, Clock
from ._inputs import RunPayload, encode_run
from ._journal import JournalStore, Started, open_journal
from ._lifecycle import Lifecycle, Policy, Steps
from ._protocol import TaskRecord, TaskRef, protocol_for
from ._providers import PROVIDERS
from ._spec import ModelSpec, ProviderSpec
from ._task import (
    DEFAULT,
    AsyncTask,
    AsyncTaskResult,
    Task,
    TaskResult,
    _async_result,
    _sync_result,
)
from ._tools import Tool, ToolPage, tool_detail_request, tool_list_request, tools_of
from ._transport import AsyncDriver, SyncDriver, Timeouts

if TYPE_CHECKING:
    from .resources import AsyncModels, Models

__all__ = [
    "AsyncTasks",
    "AsyncTools",
    "AsyncWiro",
    "BatchItem",
    "FileMode",
    "Tasks",
    "Tools",
    "Wiro",
]

FileMode = Literal["upload", "multipart"]
"""How local files travel: uploaded first (File/Upload), or inside a multipart Run."""

H = TypeVar("H", Task, AsyncTask)
R = TypeVar("R", TaskResult, AsyncTaskResult)


@dataclass(frozen=True, slots=True)
class BatchItem(Generic[H, R]):
    """One input of ``run_many``: its task, its result, or what went wrong."""

    index: int
    inputs: Mapping[str, Any]
    task: H | None = None
    """The handle, as soon as Wiro accepted the Run (kept even if waiting failed)."""
    result: R | None = None
    error: errors.WiroError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.result is not None and self.result.succeeded


class _ClientBase:
    """Configuration shared by both clients."""

    def __init__(
        self,
        *,
        api_key: Secret | None = None,
        api_secret: Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | Timeouts | None = None,
        max_retries: int = C.MAX_RETRIES,
        max_connections: int = C.MAX_CONNECTIONS,
        wait_timeout: float | None = C.WAIT_TIMEOUT,
        callback_url: str | None = None,
        project_id: str | None = None,
        files: FileMode = "upload",
        socket_url: str | None = None,
        provider: str = "wiro",
        clock: Clock | None = None,
        nonces: NonceSource | None = None,
        rng: random.Random | None = None,
        policy: Policy | None = None,
        journal: str | os.PathLike[str] | JournalStore | None = None,
    ) -> None:
        if max_connections < 1:
            raise ValueError("max_connections must be at least 1")
        self._max_connections = max_connections
        spec = PROVIDERS.get(provider)
        if spec is None:
            raise ValueError(
                f"unknown provider {provider!r}; known: {sorted(PROVIDERS)}"
            )
        self._provider: ProviderSpec = spec
        key = api_key if api_key is not None else _secret(_env(spec.env_api_key))
        secret = (
            api_secret if api_secret is not None else _secret(_env(spec.env_api_secret))
        )
        if not key:
            raise errors.AuthenticationError(
                f"no API key: pass api_key= or set {spec.env_api_key or 'the API key'}"
            )
        self._api_key = key
        self._api_secret = secret if secret else None
        self._base_url = (base_url or _env(spec.env_base_url) or spec.base_url).rstrip(
            "/"
        )
        self._timeouts = Timeouts.of(timeout)
        self._clock = clock or SYSTEM_CLOCK
        self._nonces = nonces or DEFAULT_NONCES
        self._rng = rng or random.Random()
        self._policy = policy or Policy()
        if max_retries != self._policy.max_retries:
            from dataclasses import replace

            self._policy = replace(self._policy, max_retries=max_retries)
        self._wait_timeout = wait_timeout
        self._owns_journal = isinstance(journal, str | os.PathLike)
        self._journal = None if journal is None else open_journal(journal)
        self._callback_url = callback_url
        self._project_id = project_id
        self._signer = Signer.choose(
            spec, self._api_key, self._api_secret, self._nonces
        )
        if files not in ("upload", "multipart"):
            raise ValueError(f"files must be 'upload' or 'multipart', not {files!r}")
        self._files = files
        # The provider's own socket goes with its own API: a client pointed elsewhere (a
        # proxy, a fake) and given no socket URL polls rather than ask the real socket.
        default_socket = spec.socket_url if self._base_url == spec.base_url else None
        self._socket_url = (
            socket_url
            if socket_url is not None
            else _env(spec.env_socket_url) or default_socket or ""
        )
        self._lifecycle = Lifecycle(
            protocol_for(spec),
            self._clock,
            self._rng,
            self._policy,
            upload_first=files == "upload",
        )
        self._options: dict[str, Any] = {
            "base_url": self._base_url,
            "timeout": self._timeouts,
            "max_retries": self._policy.max_retries,
            "max_connections": max_connections,
            "wait_timeout": wait_timeout,
            "callback_url": callback_url,
            "project_id": project_id,
            "files": files,
            "socket_url": self._socket_url,
            "provider": provider,
            "clock": self._clock,
            "nonces": self._nonces,
            "rng": self._rng,
            "policy": self._policy,
            "journal": self._journal,
        }

    @property
    def base_url(self) -> str:
        return self._base_url

    @property
    def provider(self) -> ProviderSpec:
        return self._provider

    @property
    def socket_url(self) -> str:
        """Where tasks are followed live (``""``: they are polled)."""
        return self._socket_url

    @property
    def journal(self) -> JournalStore | None:
        """Where each Run is written down before it is sent (``journal=``), if anywhere."""
        return self._journal

    @property
    def auth_scheme(self) -> str:
        """``signature`` when requests are signed, ``key`` when the key goes alone."""
        return self._signer.name

    def _payload(
        self,
        model: str | ModelSpec,
        values: Mapping[str, Any],
        callback_url: str | None,
        project_id: str | None,
    ) -> tuple[str, RunPayload]:
        if isinstance(model, ModelSpec):
            spec: ModelSpec | None = model
        else:
            from ._catalogue import model_spec

            spec = model_spec(model)
        if spec is not None and spec.provider != self._provider.name:
            raise ValueError(
                f"{spec.name} runs on {spec.provider}, not {self._provider.name}"
            )
        endpoint = spec.endpoint if spec is not None else str(model)
        if spec is None and endpoint.count("/") != 1:
            raise errors.InvalidInputError(
                f"model must be 'owner/slug', got {endpoint!r}", rule="model name"
            )
        payload = encode_run(
            spec,
            self._provider,
            values,
            endpoint=endpoint,
            callback_url=(
                callback_url if callback_url is not None else self._callback_url
            ),
            project_id=project_id if project_id is not None else self._project_id,
        )
        return endpoint, payload

    def _run_steps(
        self,
        model: str | ModelSpec,
        values: Mapping[str, Any],
        callback_url: str | None,
        project_id: str | None,
        key: str | None,
        deadline: float | None,
        patient: bool,
    ) -> tuple[str, Steps[TaskRef | Started]]:
        """How to start a task: the Run (``patient``: waiting out code 96 until
        ``deadline``), through the journal when there is one."""
        endpoint, payload = self._payload(model, values, callback_url, project_id)
        lifecycle = self._lifecycle
        send = (
            lifecycle.submit(endpoint, payload, deadline=deadline)
            if patient
            else lifecycle.start(endpoint, payload)
        )
        if self._journal is None:
            if key is not None:
                raise ValueError("key= needs a journal: Wiro(journal=PATH)")
            return endpoint, send
        from ._catalogue import model_spec
        from ._journal import inputs_hash, start_once

        spec = model if isinstance(model, ModelSpec) else model_spec(endpoint)
        return endpoint, start_once(
            self._journal,
            key if key is not None else uuid.uuid4().hex,
            endpoint,
            inputs_hash(spec, payload),
            payload,
            send,
            lifecycle.reconcile,
            self._clock,
            self._policy.reconcile_settle,
        )

    def _handle_args(
        self, endpoint: str, started: TaskRef | Started
    ) -> tuple[TaskRef, dict[str, Any], TaskRecord | None]:
        """A new handle's reference and keywords (and what is known of its task)."""
        if isinstance(started, TaskRef) or started.run_at is None:
            ref = started if isinstance(started, TaskRef) else started.ref
            now = {"run_at": self._clock.time(), "origin": self._clock.now()}
            return ref, {"model": endpoint, **now}, None
        return (
            started.ref,
            {"model": endpoint, "run_at": started.run_at},
            started.record,
        )

    def _kwargs_with(self, changes: Mapping[str, Any]) -> dict[str, Any]:
        unknown = set(changes) - set(self._options) - {"api_key", "api_secret"}
        if unknown:
            raise TypeError(f"with_options() got unknown options: {sorted(unknown)}")
        kwargs = {**self._options, **changes}
        kwargs.setdefault("api_key", self._api_key)
        kwargs.setdefault("api_secret", self._api_secret or Secret(""))
        kwargs.setdefault("journal", self._journal)
        if "max_retries" in changes:
            from dataclasses import replace

            kwargs["policy"] = replace(self._policy, max_retries=kwargs["max_retries"])
        return kwargs

    def __repr__(self) -> str:
        if not hasattr(self, "_signer"):  # half-built (its constructor raised)
            return f"{type(self).__name__}(...)"
        return (
            f"{type(self).__name__}(base_url={self._base_url!r}, "
            f"auth={self._signer.name!r}, max_retries={self._policy.max_retries})"
        )


@functools.cache
def _tls() -> ssl.SSLContext:
    """One TLS context for every client of the process: building one costs ~30 ms (the CA
    bundle is parsed), which clients made per job or per test should not pay again."""
    return httpx.create_ssl_context()


def _secret(value: str | Secret | None) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    return Secret(value)


def _env(name: str | None) -> str | None:
    return os.environ.get(name) if name else None


def _callback_ref(
    body: bytes | str | Mapping[str, Any],
) -> tuple[TaskRef, Mapping[str, Any]]:
    data: Any = body
    if isinstance(body, bytes | str):
        try:
            data = json.loads(body)
        except ValueError as exc:
            raise ValueError(f"a callback body must be JSON: {exc}") from None
    if (
        isinstance(data, Mapping)
        and isinstance(data.get("tasklist"), list)
        and data["tasklist"]
    ):
        data = data["tasklist"][0]
    if not isinstance(data, Mapping):
        raise ValueError("a callback body must be a task object")
    task_id = data.get("id") or data.get("taskid")
    token = data.get("socketaccesstoken") or data.get("tasktoken")
    if not task_id and not token:
        raise ValueError("the callback body names no task (no id, taskid or token)")
    return (
        TaskRef(str(task_id) if task_id else None, str(token) if token else None),
        data,
    )


class Wiro(_ClientBase):
    """The Wiro API, synchronously.

    ``Wiro(api_key=..., api_secret=...)`` signs every request (omit the secret for a key-only
    project); both also come from ``WIRO_API_KEY``/``WIRO_API_SECRET``, the base URL from
    ``WIRO_BASE_URL``. ``timeout`` is per request; ``wait(timeout=...)`` bounds a whole wait.

    Args:
        api_key, api_secret: the project's credentials (default: ``WIRO_API_KEY`` and
            ``WIRO_API_SECRET``); without a secret requests carry the key alone.
        base_url: default ``WIRO_BASE_URL``, else ``https://api.wiro.ai/v1``.
        timeout: per request (seconds, or ``httpx.Timeout``); ``wait(timeout=...)`` is the
            total deadline of a wait.
        max_retries: retries of a retryable call (a Run only when it never left).
        max_connections: connections to Wiro at once; more requests wait their turn in the
            client (bounded by their deadline), never in httpx's pool (size it to your own
            ``http_client``'s limit when you pass one).
        wait_timeout: the default deadline of ``wait()`` (None: none).
        callback_url, project_id: sent with every Run (``callbackUrl``, ``projectid``).
        files: how local files travel: ``"upload"`` (default, as the official SDKs do: each
            to File/Upload first, then its URL in the Run's JSON) or ``"multipart"`` (the
            Run itself as multipart/form-data, files included).
        socket_url: where ``wait()``, ``watch()`` and ``stream()`` follow tasks live
            (default ``WIRO_SOCKET_URL``, else ``wss://socket.wiro.ai/v1`` when the base URL
            is Wiro's own; ``""`` polls).
        clock, nonces, rng, policy: time, nonce source, jitter and every other knob of the
            lifecycle (for tests and tuning).
        journal: a file (SQLite) or a :class:`~wiro_client.JournalStore` where each Run is
            written down before it is sent and its task when Wiro answers: with
            ``run(..., key=...)`` a Run is made once across processes and crashes.
        http_client, event_hooks: an httpx client to use, or hooks for the one made here.
    """

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        api_secret: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | Timeouts | None = None,
        max_retries: int = C.MAX_RETRIES,
        max_connections: int = C.MAX_CONNECTIONS,
        wait_timeout: float | None = C.WAIT_TIMEOUT,
        callback_url: str | None = None,
        project_id: str | None = None,
        files: FileMode = "upload",
        socket_url: str | None = None,
        provider: str = "wiro",
        clock: Clock | None = None,
        nonces: NonceSource | None = None,
        rng: random.Random | None = None,
        policy: Policy | None = None,
        journal: str | os.PathLike[str] | JournalStore | None = None,
        http_client: httpx.Client | None = None,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
    ) -> None:
        # Wrapped first and the plain strings dropped: if anything below raises, no frame
        # of the traceback holds a credential in clear.
        key, secret = _secret(api_key), _secret(api_secret)
        api_key = api_secret = None
        super().__init__(
            api_key=key,
            api_secret=secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            wait_timeout=wait_timeout,
            callback_url=callback_url,
            project_id=project_id,
            files=files,
            socket_url=socket_url,
            provider=provider,
            clock=clock,
            nonces=nonces,
            rng=rng,
            policy=policy,
            journal=journal,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(
            verify=_tls(),
            headers={"user-agent": C.USER_AGENT},
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=min(
                    max_connections, C.MAX_KEEPALIVE_CONNECTIONS
                ),
            ),
            event_hooks=dict(event_hooks or {}),
        )
        self._driver = SyncDriver(
            self._http,
            self._base_url,
            self._signer,
            self._clock,
            self._timeouts,
            max_in_flight=max_connections,
        )

    @cached_property
    def models(self) -> Models:
        """Typed clients of every model: ``client.models.<owner>.<model>.run(...)``."""
        from . import resources

        return resources.Models(self)

    @cached_property
    def tasks(self) -> Tasks:
        """Tasks started anywhere: ``get``, ``list``, ``reconcile``, ``from_callback``."""
        return Tasks(self)

    @cached_property
    def tools(self) -> Tools:
        """Wiro's models: ``list`` (Tool/List) and ``get`` (Tool/Detail)."""
        return Tools(self)

    def run(
        self,
        model: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        callback_url: str | None = None,
        project_id: str | None = None,
        key: str | None = None,
    ) -> Task:
        """Start ``model`` (``owner/slug``) with ``inputs`` (wire or Python names):
        validated when the model is in this package, sent as given otherwise.

        ``key`` (with a journal) names the Run: made again with the same key, in this
        process or another, it returns the same task and never pays twice.
        """
        return self._start(model, inputs or {}, callback_url, project_id, key=key)

    def _start(
        self,
        model: str | ModelSpec,
        values: Mapping[str, Any],
        callback_url: str | None = None,
        project_id: str | None = None,
        *,
        key: str | None = None,
        deadline: float | None = None,
        patient: bool = False,
    ) -> Task:
        endpoint, steps = self._run_steps(
            model, values, callback_url, project_id, key, deadline, patient
        )
        ref, kwargs, record = self._handle_args(endpoint, self._driver.run(steps))
        task = Task(self, ref, **kwargs)
        if record is not None:
            task._observe(record)
        return task

    def run_many(
        self,
        model: str,
        inputs: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = C.CONCURRENCY,
        timeout: float | None = DEFAULT,
        callback_url: str | None = None,
        project_id: str | None = None,
    ) -> list[BatchItem[Task, TaskResult]]:
        """Run ``model`` once per input, at most ``concurrency`` tasks at a time, and wait
        for them all; one :class:`BatchItem` per input, in order. A Run refused by the
        project's concurrency limit (code 96) is submitted again after a pause."""
        items = list(inputs)
        wait_timeout = self._wait_timeout if timeout is DEFAULT else timeout
        deadline = None if wait_timeout is None else self._clock.now() + wait_timeout

        def one(index: int) -> BatchItem[Task, TaskResult]:
            values = items[index]
            task: Task | None = None
            try:
                task = self._start(
                    model,
                    values,
                    callback_url,
                    project_id,
                    deadline=deadline,
                    patient=True,
                )
                remaining = (
                    None if deadline is None else max(deadline - self._clock.now(), 0.0)
                )
                result = task.wait(remaining, raise_on_failure=False)
                return BatchItem(index, values, task, result)
            except errors.WiroError as exc:
                return BatchItem(index, values, task, task.last if task else None, exc)

        with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
            return list(pool.map(one, range(len(items))))

    def with_options(self, **changes: Any) -> Wiro:
        """A client with some options changed, sharing this one's connections."""
        return Wiro(http_client=self._http, **self._kwargs_with(changes))

    def close(self) -> None:
        if self._owns_http:
            self._http.close()
        if self._owns_journal and self._journal is not None:
            self._journal.close()

    def __enter__(self) -> Wiro:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncWiro(_ClientBase):
    """The Wiro API with ``await``: every call of :class:`Wiro`, same behaviour and
    arguments (``http_client`` is an ``httpx.AsyncClient``)."""

    def __init__(
        self,
        *,
        api_key: str | Secret | None = None,
        api_secret: str | Secret | None = None,
        base_url: str | None = None,
        timeout: float | httpx.Timeout | Timeouts | None = None,
        max_retries: int = C.MAX_RETRIES,
        max_connections: int = C.MAX_CONNECTIONS,
        wait_timeout: float | None = C.WAIT_TIMEOUT,
        callback_url: str | None = None,
        project_id: str | None = None,
        files: FileMode = "upload",
        socket_url: str | None = None,
        provider: str = "wiro",
        clock: Clock | None = None,
        nonces: NonceSource | None = None,
        rng: random.Random | None = None,
        policy: Policy | None = None,
        journal: str | os.PathLike[str] | JournalStore | None = None,
        http_client: httpx.AsyncClient | None = None,
        event_hooks: Mapping[str, list[Callable[..., Any]]] | None = None,
    ) -> None:
        # Wrapped first and the plain strings dropped: if anything below raises, no frame
        # of the traceback holds a credential in clear.
        key, secret = _secret(api_key), _secret(api_secret)
        api_key = api_secret = None
        super().__init__(
            api_key=key,
            api_secret=secret,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            max_connections=max_connections,
            wait_timeout=wait_timeout,
            callback_url=callback_url,
            project_id=project_id,
            files=files,
            socket_url=socket_url,
            provider=provider,
            clock=clock,
            nonces=nonces,
            rng=rng,
            policy=policy,
            journal=journal,
        )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            verify=_tls(),
            headers={"user-agent": C.USER_AGENT},
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=min(
                    max_connections, C.MAX_KEEPALIVE_CONNECTIONS
                ),
            ),
            event_hooks=dict(event_hooks or {}),
        )
        self._driver = AsyncDriver(
            self._http,
            self._base_url,
            self._signer,
            self._clock,
            self._timeouts,
            max_in_flight=max_connections,
        )

    @cached_property
    def models(self) -> AsyncModels:
        from . import resources

        return resources.AsyncModels(self)

    @cached_property
    def tasks(self) -> AsyncTasks:
        return AsyncTasks(self)

    @cached_property
    def tools(self) -> AsyncTools:
        return AsyncTools(self)

    async def run(
        self,
        model: str,
        inputs: Mapping[str, Any] | None = None,
        *,
        callback_url: str | None = None,
        project_id: str | None = None,
        key: str | None = None,
    ) -> AsyncTask:
        """See :meth:`Wiro.run`."""
        return await self._start(model, inputs or {}, callback_url, project_id, key=key)

    async def _start(
        self,
        model: str | ModelSpec,
        values: Mapping[str, Any],
        callback_url: str | None = None,
        project_id: str | None = None,
        *,
        key: str | None = None,
        deadline: float | None = None,
        patient: bool = False,
    ) -> AsyncTask:
        endpoint, steps = self._run_steps(
            model, values, callback_url, project_id, key, deadline, patient
        )
        started = await self._driver.run(steps)
        ref, kwargs, record = self._handle_args(endpoint, started)
        task = AsyncTask(self, ref, **kwargs)
        if record is not None:
            task._observe(record)
        return task

    async def run_many(
        self,
        model: str,
        inputs: Iterable[Mapping[str, Any]],
        *,
        concurrency: int = C.CONCURRENCY,
        timeout: float | None = DEFAULT,
        callback_url: str | None = None,
        project_id: str | None = None,
    ) -> list[BatchItem[AsyncTask, AsyncTaskResult]]:
        """See :meth:`Wiro.run_many`."""
        import asyncio

        items = list(inputs)
        wait_timeout = self._wait_timeout if timeout is DEFAULT else timeout
        deadline = None if wait_timeout is None else self._clock.now() + wait_timeout
        gate = asyncio.Semaphore(max(1, concurrency))

        async def one(index: int) -> BatchItem[AsyncTask, AsyncTaskResult]:
            values = items[index]
            task: AsyncTask | None = None
            async with gate:
                try:
                    task = await self._start(
                        model,
                        values,
                        callback_url,
                        project_id,
                        deadline=deadline,
                        patient=True,
                    )
                    remaining = (
                        None
                        if deadline is None
                        else max(deadline - self._clock.now(), 0.0)
                    )
                    result = await task.wait(remaining, raise_on_failure=False)
                    return BatchItem(index, values, task, result)
                except errors.WiroError as exc:
                    return BatchItem(
                        index, values, task, task.last if task else None, exc
                    )

        return list(await asyncio.gather(*(one(i) for i in range(len(items)))))

    def with_options(self, **changes: Any) -> AsyncWiro:
        return AsyncWiro(http_client=self._http, **self._kwargs_with(changes))

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()
        if self._owns_journal and self._journal is not None:
            self._journal.close()

    async def __aenter__(self) -> AsyncWiro:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


# --- client.tasks -------------------------------------------------------------------------
class Tasks:
    """``client.tasks``: tasks by id or token, the task list, callbacks, reconciliation."""

    def __init__(self, client: Wiro) -> None:
        self._client = client

    def get(self, taskid: str | None = None, *, token: str | None = None) -> Task:
        """Re-attach to a task started anywhere (another process, yesterday) by its id or
        token; reads Task/Detail once (NotFoundError if Wiro has no such task)."""
        task = Task(self._client, TaskRef(taskid, token))
        task.refresh()
        return task

    def from_dict(self, data: Mapping[str, Any]) -> Task:
        """Resume a task stored with ``task.to_dict()`` (no request is made)."""
        return Task.from_dict(data, self._client)

    def list(
        self, *, limit: int = 20, start: int = 0, **filters: Any
    ) -> builtins.list[TaskResult]:
        """Tasks newest first, as Task/List reports them: the account's (or team's) tasks,
        not one project's. ``filters`` are sent as given (e.g. ``modelName=...``)."""
        c = self._client
        records: Sequence[TaskRecord] = c._driver.run(
            c._lifecycle.list(start, limit, filters)
        )
        return [_sync_result(r, c) for r in records]

    def reconcile(
        self, error: errors.RunOutcomeUnknownError, *, page: int = C.RECONCILE_PAGE
    ) -> builtins.list[Task]:
        """The tasks that may have been created by the Run behind ``error`` (same model,
        same parameters, created around the time it was sent), oldest first. Task/List is
        read newest first until it passes the time the Run was sent, so an empty answer
        means no such task exists: only then is running again safe from double billing.
        """
        c = self._client
        found = c._driver.run(
            c._lifecycle.reconcile(
                error.model, error.parameters, error.sent_at, page=page
            )
        )
        tasks = []
        for record in found:
            task = Task(
                c,
                TaskRef(record.task_id or None, record.token or None),
                model=error.model,
            )
            task._observe(record)
            tasks.append(task)
        return tasks

    def from_callback(self, body: bytes | str | Mapping[str, Any]) -> Task:
        """The task a ``callbackUrl`` POST is about. The body is only a hint (anyone can
        POST to a URL): the task is read from Task/Detail before it is returned, so
        ``task.last`` is Wiro's word and a final task's ``wait()`` returns at once."""
        ref, _ = _callback_ref(body)
        return self.get(ref.task_id, token=ref.token)


class AsyncTasks:
    """``client.tasks`` of :class:`AsyncWiro`."""

    def __init__(self, client: AsyncWiro) -> None:
        self._client = client

    async def get(
        self, taskid: str | None = None, *, token: str | None = None
    ) -> AsyncTask:
        task = AsyncTask(self._client, TaskRef(taskid, token))
        await task.refresh()
        return task

    def from_dict(self, data: Mapping[str, Any]) -> AsyncTask:
        return AsyncTask.from_dict(data, self._client)

    async def list(
        self, *, limit: int = 20, start: int = 0, **filters: Any
    ) -> builtins.list[AsyncTaskResult]:
        c = self._client
        records: Sequence[TaskRecord] = await c._driver.run(
            c._lifecycle.list(start, limit, filters)
        )
        return [_async_result(r, c) for r in records]

    async def reconcile(
        self, error: errors.RunOutcomeUnknownError, *, page: int = C.RECONCILE_PAGE
    ) -> builtins.list[AsyncTask]:
        c = self._client
        found = await c._driver.run(
            c._lifecycle.reconcile(
                error.model, error.parameters, error.sent_at, page=page
            )
        )
        tasks = []
        for record in found:
            task = AsyncTask(
                c,
                TaskRef(record.task_id or None, record.token or None),
                model=error.model,
            )
            task._observe(record)
            tasks.append(task)
        return tasks

    async def from_callback(self, body: bytes | str | Mapping[str, Any]) -> AsyncTask:
        ref, _ = _callback_ref(body)
        return await self.get(ref.task_id, token=ref.token)


# --- client.tools -------------------------------------------------------------------------
def _only_tool(page: ToolPage, model: str) -> Tool:
    if not page.tools:
        raise errors.NotFoundError(
            f"Wiro describes no model {model!r}", endpoint="tool_detail"
        )
    return page.tools[0]


class Tools:
    """``client.tools``: the models on Wiro, as Tool/List and Tool/Detail describe them."""

    def __init__(self, client: Wiro) -> None:
        self._client = client

    def list(
        self,
        search: str = "",
        *,
        categories: Sequence[str] = (),
        owner: str | None = None,
        start: int = 0,
        limit: int = 20,
        sort: str = "relevance",
        order: str | None = None,
    ) -> ToolPage:
        """One page of models (summaries: no parameters), as Wiro-MCP searches them."""
        c = self._client
        request = tool_list_request(
            c._provider,
            search=search,
            categories=categories,
            owner=owner,
            start=start,
            limit=limit,
            sort=sort,
            order=order,
        )
        body = c._driver.run(c._lifecycle.call(request))
        return tools_of(c._provider, "tool_list", body)

    def get(self, model: str) -> Tool:
        """One model (``owner/slug``) with its parameters and examples (Tool/Detail)."""
        c = self._client
        request = tool_detail_request(c._provider, model)
        body = c._driver.run(c._lifecycle.call(request))
        return _only_tool(tools_of(c._provider, "tool_detail", body), model)


class AsyncTools:
    """``client.tools`` of :class:`AsyncWiro`."""

    def __init__(self, client: AsyncWiro) -> None:
        self._client = client

    async def list(
        self,
        search: str = "",
        *,
        categories: Sequence[str] = (),
        owner: str | None = None,
        start: int = 0,
        limit: int = 20,
        sort: str = "relevance",
        order: str | None = None,
    ) -> ToolPage:
        c = self._client
        request = tool_list_request(
            c._provider,
            search=search,
            categories=categories,
            owner=owner,
            start=start,
            limit=limit,
            sort=sort,
            order=order,
        )
        body = await c._driver.run(c._lifecycle.call(request))
        return tools_of(c._provider, "tool_list", body)

    async def get(self, model: str) -> Tool:
        c = self._client
        request = tool_detail_request(c._provider, model)
        body = await c._driver.run(c._lifecycle.call(request))
        return _only_tool(tools_of(c._provider, "tool_detail", body), model)
