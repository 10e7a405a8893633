"""What ``wiro`` shows while it waits, and how it prints results.

On a terminal, a live line (spinner, status, elapsed time) with each status change printed
above it; anywhere else (a pipe, a file, CI) plain lines, one per status change, with the
same content: ``[  12.3s] task_start``. With ``--json`` the progress goes to stderr and
stdout carries only the JSON document.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .._task import TaskPhase, TaskResult

__all__ = ["Screen", "Watch", "money", "result_json"]

_PHASE_STYLE = {
    "queued": "yellow",
    "running": "cyan",
    "finishing": "cyan",
    "interim_error": "red",
    "succeeded": "green",
    "failed": "red",
    "cancelled": "magenta",
    "unknown": "white",
}


def money(cost: float | None) -> str:
    return "$0" if not cost else f"${cost:.4f}".rstrip("0").rstrip(".")


def seconds(value: float) -> str:
    if value < 60:
        return f"{value:.1f}s"
    minutes, rest = divmod(int(value), 60)
    return (
        f"{minutes}m{rest:02d}s"
        if minutes < 60
        else f"{minutes // 60}h{minutes % 60:02d}m"
    )


@dataclass
class Screen:
    """Where each kind of output goes, and whether it may be live."""

    as_json: bool = False
    out: IO[str] = field(default_factory=lambda: sys.stdout)
    err: IO[str] = field(default_factory=lambda: sys.stderr)

    @property
    def progress(self) -> IO[str]:
        """Status lines and summaries: stdout, or stderr when stdout carries JSON."""
        return self.err if self.as_json else self.out

    @property
    def live(self) -> bool:
        stream = self.progress
        return stream.isatty() and os.environ.get("TERM") != "dumb"

    def console(self) -> Any:
        from rich.console import Console

        return Console(file=self.progress, highlight=False)

    def say(self, line: str, style: str | None = None) -> None:
        """A human line (progress stream); styled only on a terminal."""
        if self.live and style:
            self.console().print(line, style=style, markup=False)
        else:
            print(line, file=self.progress, flush=True)

    def data(self, document: Any) -> None:
        """The ``--json`` document, alone on stdout."""
        print(json.dumps(document, indent=2, default=str), file=self.out, flush=True)

    def table(self, headers: list[str], rows: Iterable[list[str]]) -> None:
        """Rows: a rich table on a terminal, tab-separated lines elsewhere."""
        rows = list(rows)
        if self.live:
            from rich.table import Table

            table = Table(*headers, box=None, pad_edge=False, header_style="bold")
            for row in rows:
                table.add_row(*row)
            self.console().print(table)
            return
        for row in rows:
            print("\t".join(row), file=self.progress)
        self.progress.flush()


class Watch:
    """Shows a task's progress until :meth:`close`: live on a terminal, else lines."""

    def __init__(self, screen: Screen, title: str, started_unix: float | None) -> None:
        self.screen = screen
        self.title = title
        age = max(0.0, time.time() - started_unix) if started_unix else 0.0
        self._start = time.monotonic() - age
        self._status = "…"
        self._phase = "queued"
        self._live: Any = None
        if screen.live:
            from rich.live import Live

            self._live = Live(
                _Line(self),
                console=screen.console(),
                refresh_per_second=8,
                transient=True,
            )
            self._live.start()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self._start

    def status(self, result: TaskResult) -> None:
        """A new status: one line above the live line (or one plain line)."""
        self._status = result.status
        self._phase = result.phase.value
        line = f"[{self.elapsed:7.1f}s] {result.status}"
        if self._live is not None:
            self._live.console.print(
                line, style=_PHASE_STYLE.get(self._phase), markup=False, highlight=False
            )
        else:
            print(line, file=self.screen.progress, flush=True)

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


class _Line:
    """The live line: re-rendered several times a second, so the time runs."""

    def __init__(self, watch: Watch) -> None:
        self.watch = watch

    def __rich__(self) -> Any:
        from rich.spinner import Spinner
        from rich.text import Text

        w = self.watch
        text = Text.assemble(
            (w.title, "bold"),
            "  ",
            (w._status, _PHASE_STYLE.get(w._phase, "")),
            "  ",
            (seconds(w.elapsed), "dim"),
        )
        return Spinner("dots", text=text)


def result_json(
    result: TaskResult, paths: Mapping[int, Path] | None = None
) -> dict[str, Any]:
    """A task's result as ``--json`` prints it (stable keys)."""
    outputs = []
    for index, output in enumerate(result.outputs):
        item: dict[str, Any] = {
            "name": output.name,
            "url": output.url,
            "size": output.size,
            "content_type": output.content_type,
        }
        if output.is_raw:
            item["text"] = output.text
        if paths and index in paths:
            item["path"] = str(paths[index])
        outputs.append(item)
    return {
        "task_id": result.task_id,
        "token": result.token,
        "model": result.model,
        "status": result.status,
        "phase": result.phase.value,
        "pexit": result.pexit,
        "cost": result.cost,
        "elapsed_seconds": result.elapsed_seconds,
        "created_at": result.created_at,
        "outputs": outputs,
    }


def verdict(result: TaskResult) -> tuple[str, str]:
    """One line saying how the task ended, and its style."""
    took = (
        f" in {seconds(result.elapsed_seconds)}"
        if result.elapsed_seconds is not None
        else ""
    )
    if result.phase is TaskPhase.SUCCEEDED:
        return f"succeeded{took}, cost {money(result.cost)}", "bold green"
    if result.phase is TaskPhase.CANCELLED:
        return f"cancelled{took}", "bold magenta"
    if result.phase.is_final:
        last = (result.debugerror.strip().splitlines() or [""])[-1][:300]
        detail = f": {last}" if last else ""
        return f"failed{took} (pexit {result.pexit!r}){detail}", "bold red"
    return f"{result.status} ({result.phase.value})", "bold"
