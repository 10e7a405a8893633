"""FakeWiro's task socket: the events websocket.md documents, sent on the fake's clock.

A client connects, registers a task with ``{"type": "task_info", "tasktoken": ...}`` and then
hears one event per status the task passes from then on (``{type, id, tasktoken, message,
result}``): progress objects for standard models, the growing ``answer`` for raw-output (LLM)
models token by token (llm-chat-streaming.md), ``task_error`` for each stderr line, the outputs
with ``task_postprocess_end``. Faults (:class:`SocketFault`) refuse, drop or stall connections.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from .._clock import Clock, wait_for
from .._spec import ProviderSpec
from ._scripts import FakeTask, SocketFault

__all__ = ["SocketHost", "SocketServer", "SocketSession", "task_events"]

_OPEN_TIMEOUT = 10.0
"""Real seconds a connection may take to register before it is closed."""


class SocketHost(Protocol):
    """What the socket needs of its FakeWiro (named here: the fake imports this module)."""

    provider: ProviderSpec
    clock: Clock
    tasks: dict[str, FakeTask]
    socket_sessions: list[SocketSession]
    _lock: threading.RLock
    _socket_faults: list[SocketFault]
    _stopping: threading.Event

    def _outputs(self, task: FakeTask) -> list[dict[str, Any]]: ...
    def _task_changed(self, task_id: str) -> threading.Event: ...


@dataclass
class SocketSession:
    """One connection FakeWiro's socket served (for assertions)."""

    token: str | None = None
    """The task token it registered, if any."""
    sent: list[dict[str, Any]] = field(default_factory=list)
    fault: str | None = None


def task_events(
    fake: SocketHost, task: FakeTask
) -> list[tuple[float, int, dict[str, Any]]]:
    """Every event the socket sends for ``task``: (time on the fake's clock, order, message),
    in order; a cancelled task's events end with ``task_cancel``."""
    outcome = task.outcome
    events: list[tuple[float, str, Any]] = []
    timeline = task.timeline
    start = next((t for t, s in timeline if s == "task_start"), 0.0)
    end = next((t for t, s in timeline if s == "task_end"), start)
    for at, status in timeline:
        if status == "task_output" and outcome.llm is not None:
            continue  # replaced by the streamed tokens below
        events.append((at, status, _message(fake, task, status)))
    if outcome.llm is not None and not outcome.fatal:
        words = "".join(str(a) for a in outcome.llm.get("answer", [])).split(" ")
        thinking = [str(t) for t in outcome.llm.get("thinking", [])]
        for i in range(1, len(words) + 1):
            at = start + (end - start) * (0.2 + 0.7 * i / len(words))
            text = " ".join(words[:i])
            message = {
                "type": "answer",
                "thinking": thinking,
                "answer": [text],
                "raw": text,
                "isThinking": False,
                "speed": "48.5",
                "speedType": "t/s",
                "elapsedTime": f"{int(at - start)}s",
            }
            events.append((at, "task_output", message))
    for i, line in enumerate(outcome.stderr):
        at = start + (end - start) * (0.25 + 0.5 * (i + 1) / (len(outcome.stderr) + 1))
        events.append((at, "task_error", line))
    ordered = sorted(enumerate(events), key=lambda e: (e[1][0], e[0]))
    out = []
    for order, (at, status, message) in ordered:
        when = task.created + at
        if task.cancelled_at is not None and when >= task.cancelled_at:
            break
        out.append((when, order, _event(task, status, message)))
    if task.cancelled_at is not None:
        out.append((task.cancelled_at, len(events), _event(task, "task_cancel", None)))
    return out


def _message(fake: SocketHost, task: FakeTask, status: str) -> Any:
    outcome = task.outcome
    if status == "task_output":
        return {
            "type": "progressGenerate",
            "task": "Generate",
            "percentage": "60",
            "stepCurrent": "6",
            "stepTotal": "10",
            "speed": "1.2",
            "speedType": "it/s",
            "elapsedTime": "5s",
            "remainingTime": "3s",
        }
    if status == "task_output_full":
        return {"raw": outcome.debugoutput}
    if status == "task_error_full":
        return {"raw": outcome.debugerror}
    if status == "task_error":  # a fatal failure: its stderr
        return outcome.debugerror
    if status == "task_postprocess_end":
        return fake._outputs(task) if outcome.pexit == "0" else []
    return None


def _event(task: FakeTask, status: str, message: Any) -> dict[str, Any]:
    return {
        "type": status,
        "id": task.id,
        "tasktoken": task.token,
        "message": message,
        "result": True,
    }


@contextlib.contextmanager
def _idle(clock: Clock) -> Iterator[None]:
    """Let time move while this thread waits (undo one ``busy()`` of the clock, if any)."""
    idle: Callable[[], Any] | None = getattr(clock, "idle", None)
    with idle() if idle is not None else contextlib.nullcontext():
        yield


class SocketServer:
    """A WebSocket server for one FakeWiro, in a background thread."""

    def __init__(self, fake: SocketHost, host: str) -> None:
        from websockets.sync.server import serve

        self._fake = fake
        self._server = serve(
            self._handle, host, 0, process_request=self._admit, max_size=2**20
        )
        self.port = self._server.socket.getsockname()[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="FakeWiro-socket", daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=2)

    def _admit(self, connection: Any, request: Any) -> Any:
        fake = self._fake
        with fake._lock:
            fault = fake._socket_faults.pop(0) if fake._socket_faults else None
            if fault is not None and fault.kind == "refuse":
                fake.socket_sessions.append(SocketSession(fault="refuse"))
                return connection.respond(503, "Service Unavailable\n")
            connection.fake_fault = fault  # read by _handle
        return None

    def _handle(self, conn: Any) -> None:
        # Time holds still while this connection works (reads its registration, sends its
        # events); it moves only while the connection waits for its next event, so a client
        # listening for the event never sees virtual time pass it by.
        busy: Callable[[], Any] | None = getattr(self._fake.clock, "busy", None)
        with busy() if busy is not None else contextlib.nullcontext():
            self._serve(conn)

    def _serve(self, conn: Any) -> None:
        fake = self._fake
        fault: SocketFault | None = getattr(conn, "fake_fault", None)
        session = SocketSession(fault=fault.kind if fault else None)
        with fake._lock:
            fake.socket_sessions.append(session)
        register = fake.provider
        try:
            data = json.loads(conn.recv(timeout=_OPEN_TIMEOUT))
        except Exception:  # no registration: close
            conn.close(1008)
            return
        token = data.get(register.socket_token_field or "tasktoken")
        with fake._lock:
            task = next((t for t in fake.tasks.values() if t.token == token), None)
        if data.get("type") != register.socket_register_type or task is None:
            conn.close(1008, "unknown task")
            return
        session.token = token
        self._send_events(conn, task, session, fault)

    def _send_events(
        self,
        conn: Any,
        task: FakeTask,
        session: SocketSession,
        fault: SocketFault | None,
    ) -> None:
        fake = self._fake
        changed = fake._task_changed(task.id)
        last = (fake.clock.now(), -1)
        while not fake._stopping.is_set():
            if fault is not None and len(session.sent) >= fault.after:
                if fault.kind == "drop":
                    conn.close()
                    return
                break  # stall: say nothing more
            changed.clear()  # before reading the events: a cancel after this wakes the wait
            with fake._lock:
                due = [e for e in task_events(fake, task) if (e[0], e[1]) > last]
            if not due:
                break
            at, order, message = due[0]
            now = fake.clock.now()
            if at > now:
                with _idle(fake.clock):
                    wait_for(fake.clock, changed, at - now)
                continue
            try:
                conn.send(json.dumps(message))
            except Exception:  # the client went away
                return
            session.sent.append(message)
            last = (at, order)
        with (
            _idle(fake.clock),
            contextlib.suppress(Exception),
        ):  # until the client closes
            for _ in conn:
                pass
