"""What FakeWiro's tasks do and how its endpoints misbehave: scripted outcomes and faults."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["FakeTask", "Fault", "Outcome", "SocketFault", "png"]

FaultKind = Literal[
    "http",
    "rate_limit",
    "hang",
    "close",
    "drop_answer",
    "malformed",
    "truncated",
    "error",
    "late_answer",
]


@dataclass(frozen=True, slots=True)
class Fault:
    """One scripted misbehaviour of one call (see :meth:`FakeWiro.fail`)."""

    kind: FaultKind
    status: int = 500
    retry_after: float | None = None
    seconds: float = 2.0
    code: int = 0
    message: str = ""
    advance: float = 0.0
    """Seconds the fake's (virtual) clock jumps when the fault fires: the world moved on."""

    @property
    def acts(self) -> bool:
        """Whether the endpoint still does its work (e.g. creates the task) first."""
        return self.kind in ("drop_answer", "malformed", "truncated", "late_answer")

    @classmethod
    def http(cls, status: int = 500) -> Fault:
        """Answer ``status`` (500, 502, 503, 408...) without acting."""
        return cls("http", status=status)

    @classmethod
    def rate_limit(cls, retry_after: float | None = 1.0) -> Fault:
        """Answer 429, with a Retry-After header unless ``retry_after`` is None."""
        return cls("rate_limit", status=429, retry_after=retry_after)

    @classmethod
    def hang(cls, seconds: float = 2.0) -> Fault:
        """Say nothing for ``seconds`` of real time, then close the connection."""
        return cls("hang", seconds=seconds)

    @classmethod
    def close(cls) -> Fault:
        """Read the request, then close the connection without acting (a Run creates no
        task) and without answering."""
        return cls("close")

    @classmethod
    def drop_answer(cls) -> Fault:
        """Act (a Run creates its task), then close the connection without answering."""
        return cls("drop_answer")

    @classmethod
    def malformed(cls) -> Fault:
        """Act, then answer 200 with a body that is not JSON."""
        return cls("malformed", status=200)

    @classmethod
    def error(
        cls, code: int, message: str, *, status: int = 200, advance: float = 0.0
    ) -> Fault:
        """Answer Wiro's ``result: false`` with ``code`` and ``message`` (HTTP ``status``)
        without acting, after moving a virtual clock ``advance`` seconds (e.g. a queued
        task got assigned just before its Cancel arrived)."""
        return cls("error", status=status, code=code, message=message, advance=advance)

    @classmethod
    def late_answer(cls, seconds: float = 2.0) -> Fault:
        """Act (a Run creates its task), then hold the answer ``seconds`` of real time:
        a client that dies meanwhile never learns its task."""
        return cls("late_answer", seconds=seconds)

    @classmethod
    def truncated(cls) -> Fault:
        """Act, then send half the answer and close the connection."""
        return cls("truncated", status=200)


@dataclass(frozen=True, slots=True)
class SocketFault:
    """How one connection to FakeWiro's socket misbehaves (see :meth:`FakeWiro.fail_socket`)."""

    kind: Literal["refuse", "drop", "stall"]
    after: int = 0
    """Messages sent before the fault strikes."""

    @classmethod
    def refuse(cls) -> SocketFault:
        """Refuse the connection (HTTP 503 instead of the WebSocket handshake)."""
        return cls("refuse")

    @classmethod
    def drop(cls, after: int = 0) -> SocketFault:
        """Close the connection after ``after`` messages."""
        return cls("drop", after)

    @classmethod
    def stall(cls, after: int = 0) -> SocketFault:
        """Send nothing more after ``after`` messages, and keep the connection open."""
        return cls("stall", after)


@dataclass(frozen=True, slots=True)
class Outcome:
    """How one fake task runs: its timing, its end, and any oddities on the way."""

    duration: float = 6.0
    """Seconds from the Run to ``task_postprocess_end``."""
    queue: float = 0.5
    """Seconds in ``task_queue``/``task_accept`` (when Cancel still works)."""
    finishing: float = 1.0
    """Seconds from ``task_end`` (process exited) to ``task_postprocess_end``."""
    pexit: str = "0"
    debugoutput: str = ""
    debugerror: str = ""
    outputs: int = 1
    """How many image files a successful task outputs."""
    llm: Mapping[str, Any] | None = None
    """An LLM's structured answer (prompt, raw, thinking, answer) instead of files."""
    extra_statuses: Sequence[str] = field(default_factory=tuple)
    """Statuses reported mid-run, in order (unknown ones...)."""
    stderr: Sequence[str] = field(default_factory=tuple)
    """Lines the process writes to stderr mid-run: ``task_error`` events on the socket
    (websocket.md: interim, not a failure); Task/Detail shows them in ``debugerror``."""
    fatal: bool = False
    """The task fails before its model runs: Task/Detail reports ``task_error`` as its final
    status (Wiro-MCP types.ts) at ``duration``; the socket sends one ``task_error`` event."""
    stuck: str | None = None
    """Stay in this status from mid-run on, forever."""
    cost: float = 0.0035

    @classmethod
    def success(cls, duration: float = 6.0, *, outputs: int = 1, **kw: Any) -> Outcome:
        return cls(duration=duration, outputs=outputs, **kw)

    @classmethod
    def failure(
        cls,
        pexit: str = "1",
        debugerror: str = "RuntimeError: CUDA out of memory",
        *,
        duration: float = 6.0,
        **kw: Any,
    ) -> Outcome:
        """The process exits with ``pexit``: no outputs, not billed."""
        return cls(
            duration=duration, pexit=pexit, debugerror=debugerror, outputs=0, **kw
        )

    @classmethod
    def interim_error(cls, duration: float = 6.0, **kw: Any) -> Outcome:
        """A stderr line mid-run (a ``task_error`` socket event), then success."""
        line = "UserWarning: something odd, carrying on"
        return cls(duration=duration, stderr=(line,), debugerror=line, **kw)

    @classmethod
    def fatal_error(
        cls,
        debugerror: str = "Error: the input image could not be downloaded",
        *,
        duration: float = 2.0,
        **kw: Any,
    ) -> Outcome:
        """The task fails before its model runs: ``task_error`` is its final status."""
        return cls(
            duration=duration, fatal=True, debugerror=debugerror, outputs=0, **kw
        )

    @classmethod
    def unknown_status(cls, status: str = "task_mystery", **kw: Any) -> Outcome:
        """A status no client knows, mid-run, then success."""
        return cls(extra_statuses=(status,), **kw)

    @classmethod
    def never_finishing(cls, **kw: Any) -> Outcome:
        """Runs forever (``task_output``)."""
        return cls(stuck="task_output", **kw)

    @classmethod
    def llm_answer(
        cls,
        answer: Sequence[str] = ("Hello! How can I help you today?",),
        *,
        thinking: Sequence[str] = (),
        prompt: str = "Hello!",
        **kw: Any,
    ) -> Outcome:
        content = {
            "prompt": prompt,
            "raw": "".join(answer),
            "thinking": list(thinking),
            "answer": list(answer),
        }
        return cls(llm=content, debugoutput="".join(answer), outputs=0, **kw)

    def timeline(self) -> list[tuple[float, str]]:
        """(seconds after the Run, status), in order; ends in ``task_postprocess_end``
        unless the task is stuck."""
        d = max(self.duration, 0.5)
        q = min(self.queue, d * 0.3)
        if self.fatal:
            return [
                (0.0, "task_queue"),
                (q / 2, "task_accept"),
                (q, "task_preprocess_start"),
                (d, "task_error"),
            ]
        end = max(d - self.finishing, q + 0.3)
        start = q + 0.2
        steps: list[tuple[float, str]] = [
            (0.0, "task_queue"),
            (q / 2, "task_accept"),
            (q, "task_preprocess_start"),
            (q + 0.05, "task_preprocess_end"),
            (q + 0.1, "task_assign"),
            (start, "task_start"),
            (start + (end - start) * 0.2, "task_output"),
        ]
        span = end - start
        for i, status in enumerate(self.extra_statuses):
            at = start + span * (0.3 + 0.4 * (i + 1) / (len(self.extra_statuses) + 1))
            steps.append((at, status))
            steps.append((at + span * 0.1, "task_output"))
        if self.stuck is not None:
            steps.append((start + span * 0.5, self.stuck))
            return steps
        steps.append((end - 0.02, "task_output_full"))
        if self.debugerror:
            steps.append((end - 0.01, "task_error_full"))
        steps.append((end, "task_end"))
        steps.append((end + (d - end) * 0.1, "task_postprocess_start"))
        steps.append((d, "task_postprocess_end"))
        return steps


def png(
    width: int = 8, height: int = 8, rgb: tuple[int, int, int] = (64, 128, 192)
) -> bytes:
    """A small valid PNG of one colour (what the fake's image outputs hold)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


@dataclass
class FakeTask:
    """A task of FakeWiro; its status follows its outcome's timeline on the fake's clock."""

    id: str
    token: str
    uuid: str
    model: str
    parameters: dict[str, str]
    created: float
    created_unix: float
    outcome: Outcome
    callback_url: str | None = None
    cancelled_at: float | None = None
    files_deleted: bool = False
    billed: bool = False
    callback_sent: bool = False
    timeline: list[tuple[float, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.timeline = self.outcome.timeline()

    def status_at(self, now: float) -> str:
        if self.cancelled_at is not None and now >= self.cancelled_at:
            return "task_cancel"
        elapsed = now - self.created
        status = self.timeline[0][1]
        for at, step in self.timeline:
            if at <= elapsed:
                status = step
            else:
                break
        return status

    @property
    def finished_at(self) -> float | None:
        """When the task reached its final status (on the fake's clock), if it will."""
        if self.cancelled_at is not None:
            return self.cancelled_at
        last_at, _ = self.timeline[-1]
        return None if self.outcome.stuck is not None else self.created + last_at
