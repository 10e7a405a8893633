"""A server on 127.0.0.1 that answers the way a compromised CDN, a buggy proxy or a malicious
endpoint would: byte by byte, as each test scripts it.

``HostileServer(answer)`` calls ``answer(request)`` for every request it reads and writes what
that returns, step by step: bytes as they are, :class:`Tick` moves a virtual clock (virtual
time passes on the wire: a byte "a second" costs no real second), :class:`Pause` sleeps for
real, :data:`HANG` says nothing until the client hangs up, :data:`CLOSE` drops the connection.
Helpers build the answers: :func:`http` (any status, headers and body, with a true, false or
no Content-Length), :func:`wiro` (Wiro's JSON envelope), :func:`record` (a Task/Detail task).
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import json
import socket
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from wiro_client.testing import VirtualClock

__all__ = [
    "BROKEN_GZIP",
    "CLOSE",
    "HANG",
    "TRUNCATED_GZIP",
    "HostileServer",
    "Pause",
    "Request",
    "Tick",
    "http",
    "record",
    "trickle",
    "wiro",
]

KEY = "hostile-test-key-0123456789"
SECRET = "hostile-test-secret-9876543210"
"""The credentials every hostile test gives its client: no text the client makes may hold them."""


@dataclass(frozen=True)
class Pause:
    """Sleep this many real seconds before the next step."""

    seconds: float


@dataclass(frozen=True)
class Tick:
    """Move ``clock`` forward by ``seconds`` of virtual time (and yield the CPU briefly)."""

    clock: VirtualClock
    seconds: float


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


HANG = _Marker("HANG")
"""Send nothing more until the client hangs up (or the server stops)."""
CLOSE = _Marker("CLOSE")
"""Close the connection now."""

Step = bytes | Pause | Tick | _Marker
Answer = Callable[["Request"], Iterable[Step]]


@dataclass
class Request:
    """One request as the server read it."""

    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    connection: int
    """Which connection it came on (the nth accepted): equal numbers mean a reused one."""
    sent: int = 0
    """Bytes of the answer written before the client hung up (or all of them)."""
    hung_up: bool = False
    answered: threading.Event = field(default_factory=threading.Event, repr=False)
    """Set once the server is done with its answer (all written, or the client gone)."""

    def settled(self, timeout: float = 10.0) -> Request:
        """This request, once the server is done answering it."""
        assert self.answered.wait(timeout), "the server is still answering"
        return self

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def endpoint(self) -> str:
        """``run``, ``detail``, ``cancel``, ``kill``, ``list``, ``delete_files``, ``upload``,
        ``tool_list``, ``tool_detail``, or else the path."""
        path = self.path
        for suffix, name in (
            ("/Task/Detail", "detail"),
            ("/Task/Cancel", "cancel"),
            ("/Task/Kill", "kill"),
            ("/Task/List", "list"),
            ("/Task/InputOutputDelete", "delete_files"),
            ("/File/Upload", "upload"),
            ("/Tool/List", "tool_list"),
            ("/Tool/Detail", "tool_detail"),
        ):
            if path.endswith(suffix):
                return name
        return "run" if "/Run/" in path else path

    @property
    def json(self) -> Any:
        return json.loads(self.body or b"null")


class HostileServer:
    """Real HTTP/1.1 on 127.0.0.1 (a free port) in background threads, answering as scripted."""

    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0), backlog=512)
        self.port = self._listener.getsockname()[1]
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._numbers = itertools.count(1)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The base URL to give a client."""
        return self.root + "/v1"

    def __enter__(self) -> HostileServer:
        thread = threading.Thread(target=self._accept, name="HostileServer", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept()
        with contextlib.suppress(OSError):
            self._listener.close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        for thread in list(self._threads):
            thread.join(timeout=5)

    # --- assertions --------------------------------------------------------------------
    def to(self, endpoint: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.endpoint == endpoint]

    def count(self, endpoint: str) -> int:
        return len(self.to(endpoint))

    def headers_seen(self) -> list[dict[str, str]]:
        with self._lock:
            return [r.headers for r in self.requests]

    # --- plumbing ----------------------------------------------------------------------
    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            number = next(self._numbers)
            thread = threading.Thread(
                target=self._serve, args=(conn, number), name="HostileConn", daemon=True
            )
            with self._lock:
                self._connections.add(conn)
                self._threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket, number: int) -> None:
        reader = _Reader(conn)
        try:
            while not self._stopping.is_set():
                request = reader.request(number)
                if request is None:
                    return
                with self._lock:
                    self.requests.append(request)
                try:
                    keep_open = self._reply(conn, request)
                finally:
                    request.answered.set()
                if not keep_open:
                    return
        except OSError:
            return
        finally:
            with self._lock:
                self._connections.discard(conn)
            with contextlib.suppress(OSError):
                conn.close()

    def _reply(self, conn: socket.socket, request: Request) -> bool:
        """Write the scripted answer; False when the connection is done with."""
        keep_open = True
        for step in self.answer(request):
            if isinstance(step, bytes):
                try:
                    conn.sendall(step)
                except OSError:
                    request.hung_up = True
                    return False
                request.sent += len(step)
                if b"connection: close" in step.lower():
                    keep_open = False
            elif isinstance(step, Pause):
                if self._stopping.wait(step.seconds):
                    return False
            elif isinstance(step, Tick):
                step.clock.advance(step.seconds)
                time.sleep(0.001)
            elif step is HANG:
                conn.settimeout(0.05)
                while not self._stopping.is_set():
                    try:
                        if conn.recv(1 << 16) == b"":
                            break
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                request.hung_up = True
                return False
            elif step is CLOSE:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                return False
        return keep_open


class _Reader:
    """Reads HTTP/1.1 requests off one connection."""

    def __init__(self, conn: socket.socket) -> None:
        self.conn = conn
        self.buffer = b""

    def _fill(self) -> bool:
        data = self.conn.recv(1 << 16)
        self.buffer += data
        return bool(data)

    def request(self, number: int) -> Request | None:
        while b"\r\n\r\n" not in self.buffer:
            if not self._fill():
                return None
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if headers.get("transfer-encoding", "").lower() == "chunked":
            body = self._chunked()
        else:
            length = int(headers.get("content-length") or 0)
            while len(self.buffer) < length:
                if not self._fill():
                    return None
            body, self.buffer = self.buffer[:length], self.buffer[length:]
        return Request(method, target, headers, body, number)

    def _chunked(self) -> bytes:
        body = b""
        while True:
            while b"\r\n" not in self.buffer:
                self._fill()
            size_line, self.buffer = self.buffer.split(b"\r\n", 1)
            size = int(size_line.split(b";")[0], 16)
            while len(self.buffer) < size + 2:
                self._fill()
            body += self.buffer[:size]
            self.buffer = self.buffer[size + 2 :]
            if size == 0:
                return body


# --- answers ----------------------------------------------------------------------------
def http(
    status: int = 200,
    body: bytes | str | Mapping[str, Any] | list[Any] = b"",
    headers: Mapping[str, str] | None = None,
    *,
    length: int | str | bool | None = True,
    reason: str = "Whatever",
) -> bytes:
    """One whole answer. ``length``: True states the body's true length, an int or a text
    states that instead (a lie), False or None states none (the body ends when the
    connection closes, which ``Connection: close`` tells the client)."""
    if isinstance(body, Mapping | list):
        body = json.dumps(body)
    data = body.encode() if isinstance(body, str) else body
    lines = [f"HTTP/1.1 {status} {reason}"]
    fields = {"content-type": "application/json", **(headers or {})}
    if length is True:
        fields["content-length"] = str(len(data))
    elif length is None or length is False:
        fields["connection"] = "close"
    else:
        fields["content-length"] = str(length)
    lines += [f"{name}: {value}" for name, value in fields.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + data


def head(status: int = 200, headers: Mapping[str, str] | None = None) -> bytes:
    """The status line and headers alone (the body follows as other steps)."""
    lines = [f"HTTP/1.1 {status} Whatever"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def wiro(**body: Any) -> dict[str, Any]:
    """Wiro's envelope: ``{"result": true, "errors": [], ...}``."""
    return {"result": True, "errors": [], **body}


def run_ok(taskid: Any = "1", token: Any = "token-1") -> bytes:
    return http(200, wiro(taskid=taskid, socketaccesstoken=token))


def record(
    task_id: str = "1",
    token: str = "token-1",
    *,
    status: str = "task_postprocess_end",
    pexit: str = "0",
    outputs: list[dict[str, Any]] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """A task as Task/Detail shows it."""
    return {
        "id": task_id,
        "socketaccesstoken": token,
        "uuid": f"uuid-{task_id}",
        "status": status,
        "pexit": pexit,
        "debugoutput": "",
        "debugerror": "",
        "createtime": "1750000000",
        "modelslugowner": "wiro",
        "modelslugproject": "instant-id",
        "outputs": outputs or [],
        **extra,
    }


def output(url: str, name: str = "0.png", size: int | None = 10) -> dict[str, Any]:
    """One file output of a task."""
    return {
        "id": "out-1",
        "name": name,
        "contenttype": "image/png",
        "size": "" if size is None else str(size),
        "url": url,
    }


def detail(*records: dict[str, Any]) -> bytes:
    return http(200, wiro(total=str(len(records)), tasklist=list(records)))


def trickle(
    data: bytes, clock: VirtualClock, *, per_byte: float = 1.0, real: float = 0.01
) -> Iterator[Step]:
    """``data`` one byte at a time, ``per_byte`` virtual seconds and ``real`` real seconds
    apart: a body that takes forever in the client's time and little in the test's."""
    for byte in data:
        yield Tick(clock, per_byte)
        yield Pause(real)
        yield bytes([byte])


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


BROKEN_GZIP = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03" + b"\xff" * 50
"""A gzip header, then data zlib refuses ("invalid block type"): httpx raises on it."""
TRUNCATED_GZIP = gzip.compress(b'{"result": true, "taskid": "1"}', mtime=0)[:-12]
"""A gzip body cut short: zlib stays silent, only its missing end tells."""


@dataclass
class Script:
    """Answers by endpoint, each a list consumed in order (the last one repeats)."""

    answers: dict[str, list[Callable[[Request], Iterable[Step]] | bytes]] = field(
        default_factory=dict
    )

    def __call__(self, request: Request) -> Iterable[Step]:
        queue = self.answers.get(request.endpoint) or self.answers.get("*")
        if not queue:
            return [http(404, wiro(result=False, errors=[{"code": 1, "message": "no"}]))]
        step = queue.pop(0) if len(queue) > 1 else queue[0]
        if isinstance(step, bytes):
            return [step]
        return step(request)
