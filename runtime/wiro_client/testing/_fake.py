"""FakeWiro: a local Wiro over real HTTP, driven by the same specs as the client.

Everything it knows of Wiro comes from ``_providers`` (auth schemes, endpoints, statuses)
and ``_catalogue`` (each model's inputs): a new spec file makes it accept a new model.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import logging
import math
import random
import socket
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

from .. import _catalogue
from .._auth import sign
from .._catalogue import model_spec
from .._client import AsyncWiro, Wiro
from .._clock import Clock
from .._providers import PROVIDERS
from .._socket import available
from .._spec import EndpointSpec, ModelSpec, ProviderSpec
from ._clock import VirtualClock
from ._scripts import FakeTask, Fault, Outcome, SocketFault, png
from ._sockets import SocketServer, SocketSession

__all__ = ["CallbackAttempt", "FakeTask", "FakeWiro", "NoncePolicy", "RecordedRequest"]

log = logging.getLogger("wiro_client.testing")

NoncePolicy = Literal["unique", "increasing", "off"]

# Wiro's own words (WIRO_API.md and its error reference).
NOT_FOUNDED = "Project authorization is not founded."
SIGNATURE_REQUIRED = "Project requires signature authentication. x-signature and x-nonce headers are required."
NOT_VALID = "Project authorization is not valid."
BAD_URL = "Error parsing url."
NO_TASK = "There is no task yet."
NO_TASK_ID = "taskid or socketaccesstoken is required"
TASK_NOT_EXIST = "task-not-exist"
NOT_CANCELLABLE = "Task is not in a cancellable state."
NO_MODEL = "slug-owner-project-not-exist"
CONCURRENCY = (
    "You have reached your concurrent task limit. With your current balance of ${balance}, "
    "you can run up to {limit} tasks at the same time. Add funds to increase your limit."
)
BALANCE = "Insufficient balance"
NOT_FINISHED = "Task must be completed or cancelled before deleting files"
UPLOAD_LIMIT = 100 * 1024 * 1024
"""files.md: 100 MB per file."""
UPLOAD_TOO_LARGE = "File size limit exceeded (100 MB per file)."
"""Not in Wiro's docs, which give the limit but not the message."""
MIN_BALANCE = 0.5


@dataclass
class RecordedRequest:
    """One request FakeWiro received (for assertions)."""

    endpoint: str
    """``run``, ``detail``, ``cancel``, ``kill``, ``list``, ``delete_files``, ``file``,
    or ``unknown``."""
    call: int
    """This was the Nth call of ``endpoint``."""
    method: str
    path: str
    headers: dict[str, str] = field(repr=False)
    fields: dict[str, str] = field(default_factory=dict)
    """Every field as text (an array's items joined by commas)."""
    body: dict[str, Any] = field(default_factory=dict)
    """The fields as sent: JSON values, or a multipart field's texts (a list when repeated)."""
    files: list[tuple[str, str, int]] = field(default_factory=list)
    """(field, filename, size) of each uploaded file."""
    content_type: str = ""
    at: float = 0.0
    """On the fake's clock."""
    status: int | None = None
    """The HTTP status answered; None when the connection was dropped."""
    code: int | None = None
    """The Wiro error code answered (``result: false``), if any."""
    rejected: str | None = None
    """Why auth refused it (e.g. ``nonce reused``)."""
    fault: str | None = None

    @property
    def nonce(self) -> str | None:
        return self.headers.get("x-nonce")

    @property
    def signed(self) -> bool:
        return "x-signature" in self.headers


@dataclass
class CallbackAttempt:
    task_id: str
    url: str
    attempt: int
    status: int | None
    error: str | None = None


class FakeWiro:
    """A faithful local Wiro: real HTTP on 127.0.0.1 (a free port), in a background thread.

    ```python
    with FakeWiro() as fake, fake.client() as client:
        task = client.models.wiro.instant_id.run(input_image_url="https://x/face.png")
        assert task.wait().succeeded
        assert fake.calls("run") == 1
    ```

    It checks the key, the signature and the nonce (``nonce_policy``: ``unique`` rejects
    a reused nonce, ``increasing`` one not above the last accepted, ``off``), validates
    inputs with Wiro's messages, runs tasks through Wiro's statuses on ``clock`` (a
    :class:`VirtualClock` by default: give the same clock to the client, as ``client()``
    does), serves the output files it reports, honours Cancel, Kill and ``callbackUrl``,
    emulates the balance (code 97) and the concurrency limit (code 96), records every
    request and injects faults (:meth:`fail`, :meth:`outage`).
    """

    def __init__(
        self,
        *,
        api_key: str = "fake-api-key",
        api_secret: str | None = "fake-api-secret",
        clock: Clock | None = None,
        nonce_policy: NoncePolicy = "unique",
        outcome: Outcome | None = None,
        balance: float = 1000.0,
        concurrency_limit: int | None = None,
        callback_retries: int = 3,
        callback_duplicates: int = 0,
        host: str = "127.0.0.1",
        port: int = 0,
        provider: str = "wiro",
        seed: int = 0,
        latency: float = 0.0,
        upload_limit: int = UPLOAD_LIMIT,
        serve_socket: bool = True,
    ) -> None:
        self.api_key = api_key
        self.api_secret = api_secret
        self.clock: Clock = clock if clock is not None else VirtualClock()
        self.nonce_policy = nonce_policy
        self.default_outcome = outcome or Outcome()
        self.balance = balance
        self.concurrency_limit = concurrency_limit
        self.callback_retries = callback_retries
        self.callback_duplicates = callback_duplicates
        self.provider: ProviderSpec = PROVIDERS[provider]
        self.requests: list[RecordedRequest] = []
        self.callbacks: list[CallbackAttempt] = []
        self.tasks: dict[str, FakeTask] = {}
        self._host = host
        self._port = port
        self._rng = random.Random(seed)
        self._lock = threading.RLock()
        self._counts: dict[str, int] = {}
        self._faults: dict[tuple[str, int], Fault] = {}
        self._scripted: list[Outcome] = []
        self._nonces: set[str] = set()
        self._last_nonce = -1
        self._next_id = 1000
        self._files: dict[str, bytes] = {}
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self.upload_limit = upload_limit
        self._socket_wanted = serve_socket
        self._socket: SocketServer | None = None
        self._socket_faults: list[SocketFault] = []
        self.socket_sessions: list[SocketSession] = []
        """Every connection the socket served, with what it sent."""
        self._changes: dict[str, threading.Event] = {}
        self._tools: dict[str, dict[str, Any]] | None = None
        """Bytes File/Upload takes per file (files.md: 100 MB)."""
        self.latency = latency
        """Real seconds each answer is held back, as a slow network or server would."""
        self._in_flight = 0
        self.peak_in_flight = 0
        """The most requests this fake was serving at one time (the clients' bound shows here)."""
        self._stopping = threading.Event()
        self._ticker: threading.Thread | None = None
        self._routes = self._compile_routes()

    # --- life ----------------------------------------------------------------------------
    def start(self) -> FakeWiro:
        if self._server is None:
            self._listen()
            if self._socket_wanted and self.provider.socket_url and available():
                self._socket = SocketServer(self, self._host)
            self._stopping.clear()
            self._ticker = threading.Thread(
                target=self._tick_loop, name="FakeWiro-callbacks", daemon=True
            )
            self._ticker.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        for event in list(self._changes.values()):
            event.set()
        if self._socket is not None:
            self._socket.close()
            self._socket = None
        self._close_listener()
        if self._ticker is not None:
            self._ticker.join(timeout=2)
            self._ticker = None

    def __enter__(self) -> FakeWiro:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None and not self._port:
            raise RuntimeError("FakeWiro is not started")
        return self._port

    @property
    def root(self) -> str:
        return f"http://{self._host}:{self.port}"

    @property
    def url(self) -> str:
        """The base URL to give a client (``http://127.0.0.1:PORT/v1``)."""
        return self.root + self._base_path

    @property
    def socket_url(self) -> str:
        """The task socket's URL (``ws://127.0.0.1:PORT/v1``), or ``""`` when the fake
        serves none (``serve_socket=False``, or the websockets package is not installed).
        """
        if self._socket is None:
            return ""
        return f"ws://{self._host}:{self._socket.port}{self._base_path}"

    @property
    def _base_path(self) -> str:
        return urllib.parse.urlsplit(self.provider.base_url).path.rstrip("/")

    def client(self, **options: Any) -> Wiro:
        """A :class:`~wiro_client.Wiro` for this fake: its key, secret, URL and clock, and
        a seeded jitter so that runs repeat exactly."""
        return Wiro(**self._client_options(options))

    def async_client(self, **options: Any) -> AsyncWiro:
        """An :class:`~wiro_client.AsyncWiro` for this fake (see :meth:`client`)."""
        return AsyncWiro(**self._client_options(options))

    def _client_options(self, options: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {
            "api_key": self.api_key,
            "api_secret": self.api_secret or "",
            "base_url": self.url,
            "socket_url": self.socket_url,
            "clock": self.clock,
            "rng": random.Random(0),
        }
        out.update(options)
        return out

    # --- scripting ----------------------------------------------------------------------
    def script(self, *outcomes: Outcome) -> None:
        """The outcomes of the next tasks, in order (then ``default_outcome``)."""
        with self._lock:
            self._scripted.extend(outcomes)

    def fail(self, endpoint: str, *faults: Fault, on_call: int | None = None) -> None:
        """Misbehave on calls of ``endpoint`` (``run``, ``detail``, ``cancel``, ``kill``,
        ``list``, ``delete_files`` or ``file`` for output downloads): the first fault on
        call ``on_call`` (default: the next call), the second on the call after, ..."""
        with self._lock:
            first = (
                on_call if on_call is not None else self._counts.get(endpoint, 0) + 1
            )
            for offset, fault in enumerate(faults):
                self._faults[(endpoint, first + offset)] = fault

    def fail_socket(self, *faults: SocketFault) -> None:
        """Misbehave on the next connections to the socket, one fault each, in order."""
        with self._lock:
            self._socket_faults.extend(faults)

    def _task_changed(self, task_id: str) -> threading.Event:
        """Set when a task's course changes (it is cancelled or killed)."""
        with self._lock:
            return self._changes.setdefault(task_id, threading.Event())

    def outage(self, seconds: float) -> None:
        """Stop listening now (connections are refused) and listen again on the same port
        after ``seconds`` on the fake's clock."""
        self._close_listener()  # the port is kept: the fake listens there again

        def back() -> None:
            self.clock.sleep(seconds)
            if not self._stopping.is_set():
                self._listen()

        threading.Thread(target=back, name="FakeWiro-outage", daemon=True).start()

    # --- assertions ------------------------------------------------------------------------
    def calls(self, endpoint: str) -> int:
        """How many requests ``endpoint`` received (refused and faulted ones included)."""
        with self._lock:
            return self._counts.get(endpoint, 0)

    def requests_to(self, endpoint: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.endpoint == endpoint]

    def task(self, task_id: str) -> FakeTask:
        with self._lock:
            return self.tasks[task_id]

    def record(self, task: FakeTask) -> dict[str, Any]:
        """The task as Task/Detail shows it now."""
        with self._lock:
            return self._record(task, self.clock.now())

    def wait_for_callbacks(
        self, count: int, timeout: float = 5.0
    ) -> list[CallbackAttempt]:
        """Block (real time) until ``count`` callback deliveries were attempted."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            while not deadline.is_set():
                with self._lock:
                    if len(self.callbacks) >= count:
                        return list(self.callbacks)
                deadline.wait(0.005)
        finally:
            timer.cancel()
        with self._lock:
            return list(self.callbacks)

    # --- HTTP plumbing -----------------------------------------------------------------------
    def _listen(self) -> None:
        fake = self

        class Handler(_Handler):
            owner = fake

        server = _Server((self._host, self._port), Handler)
        server.daemon_threads = True
        self._port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": 0.01},
            name="FakeWiro",
            daemon=True,
        )
        self._thread.start()

    def _close_listener(self) -> None:
        server = self._server
        if server is None:
            return
        self._server = None
        server.shutdown()
        server.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=2)

    def _compile_routes(self) -> list[tuple[str, list[str]]]:
        routes = []
        for name, spec in self.provider.endpoints.items():
            routes.append((name, spec.path.split("/")))
        return routes

    def _route(self, path: str) -> tuple[str, dict[str, str]]:
        base = self._base_path
        if not path.startswith(base + "/"):
            return "unknown", {}
        parts = path[len(base) + 1 :].split("/")
        for name, pattern in self._routes:
            if len(pattern) != len(parts):
                continue
            params: dict[str, str] = {}
            for want, got in zip(pattern, parts, strict=True):
                if want.startswith("{") and want.endswith("}"):
                    params[want[1:-1]] = urllib.parse.unquote(got)
                elif want.lower() != got.lower():
                    break
            else:
                return name, params
        return "unknown", {}

    def _next_call(self, endpoint: str) -> tuple[int, Fault | None]:
        with self._lock:
            n = self._counts.get(endpoint, 0) + 1
            self._counts[endpoint] = n
            return n, self._faults.pop((endpoint, n), None)

    # --- auth ------------------------------------------------------------------------------
    def _check_auth(self, headers: Mapping[str, str]) -> str | None:
        """None when the request may proceed, else Wiro's message (and why, recorded)."""
        schemes = {s.kind: s for s in self.provider.auth}
        key_header = next(
            (s.api_key_header for s in self.provider.auth if s.api_key_header),
            "x-api-key",
        )
        key = headers.get(key_header or "x-api-key")
        if not key or not hmac.compare_digest(key, self.api_key):
            return NOT_FOUNDED
        scheme = schemes.get("hmac-nonce")
        if self.api_secret is None or scheme is None:
            return None
        nonce = headers.get(scheme.nonce_header or "x-nonce")
        signature = headers.get(scheme.signature_header or "x-signature")
        if not nonce or not signature:
            return SIGNATURE_REQUIRED
        expected = sign(
            scheme, api_key=self.api_key, api_secret=self.api_secret, nonce=nonce
        )
        if not hmac.compare_digest(signature.lower(), expected):
            return NOT_VALID
        with self._lock:
            if self.nonce_policy == "unique":
                if nonce in self._nonces:
                    return NOT_VALID + " (nonce reused)"
                self._nonces.add(nonce)
            elif self.nonce_policy == "increasing":
                try:
                    value = int(nonce)
                except ValueError:
                    return NOT_VALID + " (nonce not an integer)"
                if value <= self._last_nonce:
                    return NOT_VALID + " (nonce not increasing)"
                self._last_nonce = value
        return None

    # --- endpoints ---------------------------------------------------------------------------
    def _handle(
        self,
        endpoint: str,
        params: Mapping[str, str],
        fields: dict[str, str],
        files: list[tuple[str, str, str, bytes]],
        body: Mapping[str, Any] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        now = self.clock.now()
        with self._lock:
            if endpoint == "run":
                return self._run(params, fields, files, now)
            if endpoint == "upload":
                return self._upload(files)
            if endpoint == "tool_list":
                return self._tool_list(body or fields)
            if endpoint == "tool_detail":
                return self._tool_detail(fields)
            if endpoint == "list":
                return self._list(fields, now)
            task = self._find(endpoint, fields)
            if task is None:
                # tasks.md: InputOutputDelete answers task-not-exist for a bad tasktoken;
                # error-reference.md: Detail without an identifier names the two it takes.
                if endpoint == "delete_files":
                    return _error(1, TASK_NOT_EXIST)
                if endpoint == "detail" and not self._names_task(endpoint, fields):
                    return _error(0, NO_TASK_ID)
                return _error(1, NO_TASK)
            if endpoint == "detail":
                return _ok(total="1", tasklist=[self._record(task, now)])
            if endpoint in ("cancel", "kill"):
                return self._stop(endpoint, task, now)
            if endpoint == "delete_files":
                if self._phase(task, now) not in ("final",):
                    return _error(0, NOT_FINISHED)
                task.files_deleted = True
                return _ok()
        return _error(0, BAD_URL)

    def _run(
        self,
        params: Mapping[str, str],
        fields: dict[str, str],
        files: list[tuple[str, str, str, bytes]],
        now: float,
    ) -> tuple[int, dict[str, Any]]:
        endpoint = f"{params.get('owner', '')}/{params.get('slug', '')}"
        spec = model_spec(endpoint)
        if spec is None or spec.endpoint != endpoint:
            return _error(1, NO_MODEL)
        problem = _validate(spec, fields, files)
        if problem:
            return _error(0, problem)
        if self.balance < MIN_BALANCE:
            return _error(97, BALANCE)
        limit = self._limit()
        if limit is not None:
            running = sum(
                1 for t in self.tasks.values() if self._phase(t, now) != "final"
            )
            if running >= limit:
                message = CONCURRENCY.format(balance=f"{self.balance:.2f}", limit=limit)
                return _error(96, message)
        outcome = self._scripted.pop(0) if self._scripted else self.default_outcome
        self._next_id += 1
        task_id = str(self._next_id)
        token = "".join(
            self._rng.choice(
                "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
            )
            for _ in range(30)
        )
        uuid = f"{self._rng.getrandbits(128):032x}"
        callback_field = self.provider.run_callback_field or "callbackUrl"
        project_field = self.provider.run_project_field or "projectid"
        parameters = {
            k: v for k, v in fields.items() if k not in (callback_field, project_field)
        }
        for name, filename, _, data in files:
            key = f"upload/{token}/{name}-{filename}"
            self._files[key] = data
            parameters[name] = (
                f"{self.root}{self._base_path}/File/{token}/{name}-{filename}"
            )
        task = FakeTask(
            id=task_id,
            token=token,
            uuid=uuid,
            model=endpoint,
            parameters=parameters,
            created=now,
            created_unix=self.clock.time(),
            outcome=outcome,
            callback_url=fields.get(callback_field) or None,
        )
        for index in range(outcome.outputs):
            self._files[f"{uuid}/{index}.png"] = png(
                rgb=(index * 40 % 256, int(task_id) % 256, 160)
            )
        self.tasks[task_id] = task
        return _ok(taskid=task_id, socketaccesstoken=token)

    def _upload(
        self, files: list[tuple[str, str, str, bytes]]
    ) -> tuple[int, dict[str, Any]]:
        """File/Upload (files.md): one multipart part named ``file``; the answer lists it."""
        field = self.provider.endpoints["upload"].file_field or "file"
        sent = [f for f in files if f[0] == field]
        if not sent:
            return _error(0, f"Request files [{field}] required")
        _, filename, content_type, data = sent[0]
        if len(data) > self.upload_limit:
            return _error(0, UPLOAD_TOO_LARGE)
        self._next_id += 1
        file_id = f"{self._rng.getrandbits(64):016x}"
        key = f"uploads/{file_id}/{filename}"
        self._files[key] = data
        return _ok(
            list=[
                {
                    "id": file_id,
                    "name": filename,
                    "contenttype": content_type,
                    "size": str(len(data)),
                    "parentid": "0",
                    "url": f"{self.root}/cdn/{key}",
                    "addedtime": str(int(self.clock.time())),
                    "accesskey": file_id,
                }
            ]
        )

    def tools(self) -> dict[str, dict[str, Any]]:
        """Every model this fake runs, as Tool/Detail describes it (endpoint -> ``tool``):
        the package's ``testing/tools`` files, generated from the same specs."""
        if self._tools is None:
            folder = Path(_catalogue.__file__).parent / "testing" / "tools"
            found: dict[str, dict[str, Any]] = {}
            for path in sorted(folder.rglob("*.json")):
                tool = json.loads(path.read_text(encoding="utf-8"))
                endpoint = f"{tool['cleanslugowner']}/{tool['cleanslugproject']}"
                if model_spec(endpoint) is not None:
                    found[endpoint] = tool
            self._tools = found
        return self._tools

    def _tool_list(self, body: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
        """Tool/List (models.md): filtered by search, categories and owner, then paged."""
        try:
            start = int(str(body.get("start", "0")))
            limit = int(str(body.get("limit", "20")))
        except ValueError:
            return _error(0, "Request parameter [limit] must be integer or float")
        search = str(body.get("search") or "").lower()
        categories = body.get("categories") or []
        owner = body.get("slugowner")
        chosen = []
        for tool in self.tools().values():
            text = " ".join(
                str(tool.get(k, "")) for k in ("title", "description", "slugproject")
            )
            if search and search not in text.lower():
                continue
            if categories and not set(categories) & set(tool.get("categories", [])):
                continue
            if owner and owner not in (tool["slugowner"], tool["cleanslugowner"]):
                continue
            summary = {
                k: v for k, v in tool.items() if k not in ("parameters", "inspire")
            }
            chosen.append(summary)
        if str(body.get("order", "")).upper() == "DESC":
            chosen.reverse()
        return _ok(total=len(chosen), tool=chosen[start : start + limit])

    def _tool_detail(self, fields: Mapping[str, str]) -> tuple[int, dict[str, Any]]:
        owner, project = fields.get("slugowner", ""), fields.get("slugproject", "")
        for tool in self.tools().values():
            if (owner, project) in (
                (tool["cleanslugowner"], tool["cleanslugproject"]),
                (tool["slugowner"], tool["slugproject"]),
            ):
                return _ok(tool=[tool])
        return _error(1, NO_MODEL)

    def _list(
        self, fields: Mapping[str, str], now: float
    ) -> tuple[int, dict[str, Any]]:
        try:
            limit = int(fields.get("limit", "20"))
            start = int(fields.get("start", "0"))
        except ValueError:
            return _error(0, "Request parameter [limit] must be integer or float")
        ordered = sorted(
            self.tasks.values(), key=lambda t: (t.created, int(t.id)), reverse=True
        )
        page = ordered[start : start + limit]
        return _ok(
            total=str(len(ordered)), tasklist=[self._record(t, now) for t in page]
        )

    def _stop(
        self, endpoint: str, task: FakeTask, now: float
    ) -> tuple[int, dict[str, Any]]:
        phase = self._phase(task, now)
        if endpoint == "cancel" and phase != "queued":
            return _error(1, NOT_CANCELLABLE)
        if endpoint == "kill" and phase != "running":
            # error-reference.md: "Task could not be killed: {reason}" (code 1).
            return _error(
                1, f"Task could not be killed: the task is {task.status_at(now)}"
            )
        task.cancelled_at = now
        self._task_changed(task.id).set()
        return _ok(tasklist=[self._record(task, now)])

    def _find(self, endpoint: str, fields: Mapping[str, str]) -> FakeTask | None:
        spec: EndpointSpec | None = self.provider.endpoints.get(endpoint)
        if spec is None:
            return None
        for name in spec.task_id_fields:
            if fields.get(name):
                return self.tasks.get(fields[name])
        for name in spec.task_token_fields:
            token = fields.get(name)
            if token:
                return next((t for t in self.tasks.values() if t.token == token), None)
        return None

    def _names_task(self, endpoint: str, fields: Mapping[str, str]) -> bool:
        spec = self.provider.endpoints[endpoint]
        return any(
            fields.get(n) for n in (*spec.task_id_fields, *spec.task_token_fields)
        )

    def _limit(self) -> int | None:
        if self.concurrency_limit is not None:
            return self.concurrency_limit
        if self.balance > 250:
            return None
        return max(1, math.floor(self.balance * 0.10))

    def _phase(self, task: FakeTask, now: float) -> str:
        status = task.status_at(now)
        if status in self.provider.final:
            return "final"
        if status in self.provider.queued:
            return "queued"
        return "running"

    def _record(self, task: FakeTask, now: float) -> dict[str, Any]:
        status = task.status_at(now)
        final = status in self.provider.final
        succeeded = (
            final
            and status == self.provider.success_status
            and task.outcome.pexit == "0"
        )
        if succeeded and not task.billed:
            task.billed = True
            self.balance -= task.outcome.cost
        elapsed = max(0.0, now - task.created)
        outputs: list[dict[str, Any]] = []
        if succeeded and not task.files_deleted:
            outputs = self._outputs(task)
        created = int(task.created_unix)
        start_at = (
            created + int(task.timeline[5][0]) if len(task.timeline) > 5 else created
        )
        record: dict[str, Any] = {
            "id": task.id,
            "uuid": task.uuid,
            "socketaccesstoken": task.token,
            "parameters": dict(task.parameters),
            "debugoutput": task.outcome.debugoutput if final else "",
            "debugerror": (
                task.outcome.debugerror if status not in self.provider.queued else ""
            ),
            "starttime": str(start_at) if status not in self.provider.queued else "0",
            "endtime": str(created + int(elapsed)) if final else "0",
            "elapsedseconds": f"{elapsed:.4f}",
            "status": status,
            "pexit": (
                task.outcome.pexit
                if final and status == self.provider.success_status
                else ""
            ),
            "totalcost": f"{task.outcome.cost:.12f}" if succeeded else "0",
            "createtime": str(created),
            "canceltime": (
                str(created + int((task.cancelled_at or task.created) - task.created))
                if task.cancelled_at is not None
                else "0"
            ),
            "modelslugowner": task.model.split("/")[0],
            "modelslugproject": task.model.split("/")[1],
            "callbackurl": task.callback_url or "",
            "outputs": outputs,
            "size": str(sum(int(o.get("size", 0)) for o in outputs)),
        }
        return record

    def _outputs(self, task: FakeTask) -> list[dict[str, Any]]:
        if task.outcome.llm is not None:
            return [
                {
                    "id": hashlib.md5(task.uuid.encode()).hexdigest(),
                    "name": "",
                    "contenttype": "raw",
                    "content": dict(task.outcome.llm),
                    "size": "0",
                    "url": "",
                }
            ]
        out = []
        for index in range(task.outcome.outputs):
            name = f"{index}.png"
            data = self._files.get(f"{task.uuid}/{name}", b"")
            out.append(
                {
                    "id": hashlib.md5(f"{task.uuid}/{name}".encode()).hexdigest(),
                    "name": name,
                    "contenttype": "image/png",
                    "parentid": task.uuid,
                    "uuid": task.uuid,
                    "size": str(len(data)),
                    "addedtime": str(int(task.created_unix)),
                    "url": f"{self.root}/cdn/{task.uuid}/{name}",
                }
            )
        return out

    def _file(self, path: str) -> bytes | None:
        if not path.startswith("/cdn/"):
            return None
        key = path[len("/cdn/") :]
        uuid = key.split("/")[0]
        with self._lock:
            if uuid == "uploads":
                return self._files.get(key)
            task = next((t for t in self.tasks.values() if t.uuid == uuid), None)
            if task is None or task.files_deleted:
                return None
            return self._files.get(key)

    # --- callbacks ------------------------------------------------------------------------
    def _tick_loop(self) -> None:
        while not self._stopping.wait(0.005):
            now = self.clock.now()
            due = []
            with self._lock:
                for task in self.tasks.values():
                    if task.callback_url and not task.callback_sent:
                        finished = task.finished_at
                        if finished is not None and now >= finished:
                            task.callback_sent = True
                            due.append((task, self._record(task, now)))
            for task, record in due:
                threading.Thread(
                    target=self._deliver,
                    args=(task, record),
                    name="FakeWiro-callback",
                    daemon=True,
                ).start()

    def _deliver(self, task: FakeTask, record: dict[str, Any]) -> None:
        assert task.callback_url
        body = json.dumps({"result": True, "errors": [], "tasklist": [record]}).encode()
        deliveries = 1 + self.callback_duplicates
        for _ in range(deliveries):
            for attempt in range(1, self.callback_retries + 2):
                status, error = _post(task.callback_url, body)
                with self._lock:
                    self.callbacks.append(
                        CallbackAttempt(
                            task.id, task.callback_url, attempt, status, error
                        )
                    )
                if status is not None and 200 <= status < 300:
                    break
                if self._stopping.wait(0.01 * 2**attempt):
                    return


class _Server(ThreadingHTTPServer):
    # socketserver's default backlog is 5: hundreds of clients connecting at once would
    # overflow it and see resets that a real Wiro (behind its load balancer) never sends.
    request_queue_size = 1024
    daemon_threads = True


class _Handler(BaseHTTPRequestHandler):
    owner: FakeWiro
    protocol_version = "HTTP/1.1"
    server_version = "FakeWiro/1.0"

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm holds the
        # body until the client's delayed ACK, 40 ms per answer.
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.owner._lock:
            self.owner._connections.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.owner._lock:
            self.owner._connections.discard(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        fake = self.owner
        with fake._lock:
            fake._in_flight += 1
            fake.peak_in_flight = max(fake.peak_in_flight, fake._in_flight)
        try:
            if fake.latency:
                time.sleep(fake.latency)
            self._serve_one(method)
        finally:
            with fake._lock:
                fake._in_flight -= 1

    def _serve_one(self, method: str) -> None:
        fake = self.owner
        busy = getattr(fake.clock, "busy", None)
        context = busy() if busy is not None else contextlib.nullcontext()
        path = urllib.parse.urlsplit(self.path).path
        length = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        params: dict[str, str] = {}
        if method == "GET" and path.startswith("/cdn/"):
            endpoint = "file"
        else:
            endpoint, params = fake._route(path)
        call, fault = fake._next_call(endpoint)
        record = RecordedRequest(
            endpoint=endpoint,
            call=call,
            method=method,
            path=path,
            headers=headers,
            content_type=headers.get("content-type", ""),
            at=fake.clock.now(),
            fault=fault.kind if fault else None,
        )
        sent, files = _parse_body(headers.get("content-type", ""), raw)
        fields = {k: _text(v) for k, v in sent.items()}
        record.fields = fields
        record.body = sent
        record.files = [(n, f, len(d)) for n, f, _, d in files]
        with fake._lock:
            fake.requests.append(record)
        if fault is not None and not fault.acts:
            self._misbehave(fault, record)
            return
        with context:
            status, body, extra = self._answer(
                method, endpoint, path, params, headers, fields, files, record
            )
        if fault is not None and fault.kind == "late_answer":
            time.sleep(fault.seconds)
        elif fault is not None:
            self._misbehave(fault, record, body)
            return
        record.status = status
        self._send(status, body, extra)

    def _answer(
        self,
        method: str,
        endpoint: str,
        path: str,
        params: Mapping[str, str],
        headers: Mapping[str, str],
        fields: dict[str, str],
        files: list[tuple[str, str, str, bytes]],
        record: RecordedRequest,
    ) -> tuple[int, bytes, dict[str, str]]:
        fake = self.owner
        if endpoint == "file":
            data = fake._file(path)
            if data is None:
                return 404, b"Not Found", {"content-type": "text/plain"}
            return 200, data, {"content-type": "image/png"}
        if endpoint == "unknown" or method != "POST":
            return 404, _json(_error(0, BAD_URL)[1]), {}
        refused = fake._check_auth(headers)
        if refused is not None:
            record.rejected = refused
            message = refused.split(" (")[0]
            return 401, _json(_error(0, message)[1]), {}
        status, body = fake._handle(endpoint, params, fields, files, record.body)
        if not body.get("result"):
            record.code = int(body["errors"][0]["code"])
        return status, _json(body), {}

    def _misbehave(
        self, fault: Fault, record: RecordedRequest, body: bytes = b""
    ) -> None:
        advance = getattr(self.owner.clock, "advance", None)
        if fault.advance and advance is not None:
            advance(fault.advance)
        if fault.kind == "error":
            record.status = fault.status
            record.code = fault.code
            self._send(fault.status, _json(_error(fault.code, fault.message)[1]), {})
        elif fault.kind == "http":
            record.status = fault.status
            self._send(
                fault.status,
                b'{"result": false, "errors": [{"code": 0, "message": "Server error"}]}',
                {},
            )
        elif fault.kind == "rate_limit":
            record.status = 429
            extra = (
                {"retry-after": f"{fault.retry_after:g}"}
                if fault.retry_after is not None
                else {}
            )
            self._send(
                429,
                b'{"result": false, "errors": [{"code": 0, "message": "Too Many Requests"}]}',
                extra,
            )
        elif fault.kind == "hang":
            self.owner._stopping.wait(fault.seconds)
            self._drop()
        elif fault.kind in ("close", "drop_answer"):
            self._drop()
        elif fault.kind == "malformed":
            record.status = 200
            self._send(
                200, b"<html>502 Bad Gateway</html>", {"content-type": "text/html"}
            )
        elif fault.kind == "truncated":
            record.status = 200
            data = body or b'{"result": true}'
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: max(1, len(data) // 2)])
            self.wfile.flush()
            self._drop()

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, status: int, body: bytes, extra: Mapping[str, str]) -> None:
        try:
            self.send_response(status)
            headers = {"content-type": "application/json", **extra}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.wfile.flush()
        except OSError:
            self.close_connection = True


def _ok(**body: Any) -> tuple[int, dict[str, Any]]:
    return 200, {"result": True, "errors": [], **body}


def _error(code: int, message: str) -> tuple[int, dict[str, Any]]:
    return 200, {"result": False, "errors": [{"code": code, "message": message}]}


def _json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body).encode()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return "" if value is None else str(value)


def _parse_body(
    content_type: str, raw: bytes
) -> tuple[dict[str, Any], list[tuple[str, str, str, bytes]]]:
    """(fields as sent, files as (field, filename, content type, data)); a repeated
    multipart field is a list."""
    kind = content_type.split(";")[0].strip().lower()
    if not raw:
        return {}, []
    if kind == "application/json":
        try:
            data = json.loads(raw)
        except ValueError:
            return {}, []
        return (
            {str(k): v for k, v in data.items()} if isinstance(data, dict) else {}
        ), []
    if kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
        )
        fields: dict[str, Any] = {}
        files: list[tuple[str, str, str, bytes]] = []
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            filename = part.get_filename()
            if filename is not None:
                files.append((name, filename, part.get_content_type(), data))
            else:
                text = data.decode("utf-8", "replace")
                if name in fields:
                    before = fields[name]
                    fields[name] = [
                        *(before if isinstance(before, list) else [before]),
                        text,
                    ]
                else:
                    fields[name] = text
        return fields, files
    if kind == "application/x-www-form-urlencoded":
        parsed = urllib.parse.parse_qs(
            raw.decode("utf-8", "replace"), keep_blank_values=True
        )
        return {k: v if len(v) > 1 else v[-1] for k, v in parsed.items()}, []
    return {}, []


def _validate(
    spec: ModelSpec, fields: Mapping[str, str], files: list[tuple[str, str, str, bytes]]
) -> str | None:
    """Wiro's first complaint about these inputs, in Wiro's words, or None."""
    uploaded = {name for name, _, _, _ in files}
    for item in spec.inputs:
        if item.is_file:
            upload_field = item.upload_field or item.name
            url_value = fields.get(item.url_field or upload_field, "")
            if item.required and upload_field not in uploaded and not url_value.strip():
                return f"Request files [{upload_field}] required"
            continue
        value = fields.get(item.name)
        if value is None or value == "":
            if item.required:
                return f"Request parameter [{item.name}] required"
            continue
        if item.kind in ("number", "float", "range"):
            try:
                number = float(value)
            except ValueError:
                return f"Request parameter [{item.name}] must be integer or float"
            low, high = item.minimum, item.maximum
            if (low is not None and number < low) or (
                high is not None and number > high
            ):
                return f"Request parameter [{item.name}] must be between {_num(low)} and {_num(high)}"
    return None


def _num(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if float(value).is_integer() else str(value)


def _post(url: str, body: bytes) -> tuple[int | None, str | None]:
    request = urllib.request.Request(
        url, data=body, method="POST", headers={"content-type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return int(response.status), None
    except urllib.error.HTTPError as exc:
        return exc.code, None
    except (OSError, ValueError) as exc:
        return None, f"{type(exc).__name__}: {exc}"
