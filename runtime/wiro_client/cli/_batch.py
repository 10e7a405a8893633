"""``wiro batch FILE.jsonl --model OWNER/SLUG --out DIR``: one task per line, resumable.

Each line is a JSON object of the model's inputs (wire or Python names; relative file paths
are read from the file's folder). Every line is checked before anything is sent. Runs go
through a journal (``--journal``, default ``DIR/journal.sqlite``) under the key of their
line, so the same command started again after a crash or a Ctrl-C skips finished lines,
re-attaches running tasks, reconciles a Run whose answer was lost, and sends only what
never created a task: every line gets exactly one task. Outputs land in ``DIR/<line>/``;
``DIR/results.jsonl`` has one result per line, in file order.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from .. import _constants as C
from .. import errors
from .._catalogue import model_spec
from .._client import AsyncWiro
from .._inputs import encode_run, is_url
from .._journal import SqliteJournal, inputs_hash
from .._spec import ModelSpec
from .._task import AsyncTask
from ._common import JSON_OPTION, State, pass_state, set_json, unknown_model
from ._display import Screen, money
from ._exit import CliError, ExitCode

__all__ = ["batch"]

BAD_LINES_SHOWN = 20

ABORTS = (
    errors.AuthenticationError,
    errors.InsufficientBalanceError,
    errors.NotFoundError,
)
"""Refusals that every other line would meet too: the batch stops sending."""


@dataclass(frozen=True, slots=True)
class Line:
    number: int
    """Its line number in the file (1-based)."""
    inputs: dict[str, Any]
    key: str
    """Its journal key."""
    digest: str


@dataclass
class Tally:
    """What the progress display shows."""

    total: int
    done: int = 0
    failed: int = 0
    running: int = 0
    cost: float = 0.0

    def count(self, outcome: Mapping[str, Any]) -> None:
        self.done += 1
        if outcome["state"] != "succeeded":
            self.failed += 1
        self.cost += outcome.get("cost") or 0.0


@click.command(short_help="Run a model once per line of a JSONL file; resumable.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--model", required=True, metavar="OWNER/SLUG", help="The model to run.")
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Outputs (DIR/<line>/), results.jsonl and, by default, the journal.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1000),
    default=C.CONCURRENCY,
    show_default=True,
    help="Tasks in flight at once (Wiro's own limit, code 96, is waited out).",
)
@click.option(
    "--journal",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="PATH",
    help="The journal that makes the batch resumable [default: DIR/journal.sqlite].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Stop waiting for a task after this long (it keeps running; run again).",
)
@JSON_OPTION
@pass_state
def batch(
    state: State,
    file: Path,
    model: str,
    out: Path,
    concurrency: int,
    journal: Path | None,
    timeout: float | None,
    as_json: bool,
) -> int:
    """Run a model once per line of FILE (a JSON object of inputs per line).

    Started again with the same FILE and journal it resumes: finished lines are skipped,
    running tasks re-attached, and no line ever gets a second task.
    """
    set_json(state, as_json)
    spec = model_spec(model)
    if spec is None:
        raise CliError(unknown_model(model))
    state.model = spec.endpoint
    provider = state.provider(spec.provider)
    lines = read_lines(file, spec, provider.name)
    journal_path = journal or out / "journal.sqlite"
    out.mkdir(parents=True, exist_ok=True)
    with (
        _exclusive(journal_path),
        contextlib.closing(SqliteJournal(journal_path)) as store,
    ):
        changed = [
            line.number
            for line in lines
            if (entry := store.get(line.key)) is not None
            and entry.inputs_hash != line.digest
        ]
        if changed:
            raise CliError(
                f"{file}: line(s) {', '.join(map(str, changed[:BAD_LINES_SHOWN]))} "
                f"changed since {journal_path} recorded their Runs; restore them, or "
                "use another --journal"
            )
        runner = Runner(state, spec, lines, out, store, concurrency, timeout)
        resume = ["wiro", *state.argv]
        try:
            code = asyncio.run(runner.run())
        except KeyboardInterrupt:
            runner.write_results()
            running = sum(
                1
                for line in lines
                if (entry := store.get(line.key)) is not None
                and entry.state == "answered"
            )
            state.screen.say(
                f"interrupted: {running} task(s) keep running, nothing is lost; "
                f"resume with: {shlex.join(resume)}",
                "yellow",
            )
            return ExitCode.INTERRUPTED
    if code == ExitCode.INCOMPLETE and not state.screen.as_json:
        state.screen.say(f"resume with: {shlex.join(resume)}")
    return code


@contextlib.contextmanager
def _exclusive(journal: Path) -> Iterator[None]:
    """One batch at a time per journal (a second would send the same lines): an advisory
    lock the system drops when the process dies, however it dies."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (documented)
        yield
        return
    journal.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{journal}.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise CliError(
                f"another 'wiro batch' is using {journal}; wait for it to finish",
                ExitCode.USAGE,
            ) from None
        yield


# --- reading the file ---------------------------------------------------------------------
def read_lines(file: Path, spec: ModelSpec, provider: str) -> list[Line]:
    """Every line of ``file`` as inputs, checked as the client would check them; all bad
    lines reported at once, before anything is sent."""
    from .._providers import PROVIDERS

    folder = file.resolve().parent
    scope = f"batch:{spec.endpoint}:{file.resolve()}:"
    lines: list[Line] = []
    problems: list[str] = []
    try:
        text = file.read_text("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{file}: not UTF-8 text ({exc.reason})") from None
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            values = json.loads(raw)
        except ValueError as exc:
            problems.append(f"{file}:{number}: not JSON: {exc}")
            continue
        if not isinstance(values, dict):
            problems.append(f"{file}:{number}: a line must be a JSON object of inputs")
            continue
        values = _from_folder(spec, values, folder)
        try:
            payload = encode_run(spec, PROVIDERS[provider], values)
        except errors.InvalidInputError as exc:
            problems.append(f"{file}:{number}: {exc}")
            continue
        digest = inputs_hash(spec, payload)
        lines.append(Line(number, values, f"{scope}{number}", digest))
    if problems:
        shown = "\n  ".join(problems[:BAD_LINES_SHOWN])
        more = len(problems) - BAD_LINES_SHOWN
        tail = f"\n  ... and {more} more" if more > 0 else ""
        raise CliError(
            f"{file}: {len(problems)} bad line(s), nothing was sent:\n  {shown}{tail}"
        )
    if not lines:
        raise CliError(f"{file}: no lines to run")
    return lines


def _from_folder(
    spec: ModelSpec, values: dict[str, Any], folder: Path
) -> dict[str, Any]:
    """Relative paths of file inputs, read from the batch file's folder."""
    files = {i.name for i in spec.inputs if i.is_file} | {
        i.python_name for i in spec.inputs if i.is_file
    }

    def place(value: Any) -> Any:
        if isinstance(value, str) and not is_url(value):
            path = Path(value).expanduser()
            return str(path if path.is_absolute() else folder / path)
        if isinstance(value, list):
            return [place(v) for v in value]
        return value

    return {k: place(v) if k in files else v for k, v in values.items()}


# --- running ------------------------------------------------------------------------------
@dataclass
class Runner:
    state: State
    spec: ModelSpec
    lines: list[Line]
    out: Path
    store: SqliteJournal
    concurrency: int
    timeout: float | None
    outcomes: dict[int, dict[str, Any]] = field(default_factory=dict)
    abort: BaseException | None = None
    tally: Tally = field(init=False)

    def __post_init__(self) -> None:
        self.tally = Tally(total=len(self.lines))

    async def run(self) -> int:
        screen = self.state.screen
        todo = []
        for line in self.lines:
            entry = self.store.get(line.key)
            if entry is not None and entry.state == "done" and entry.outcome:
                self.outcomes[line.number] = dict(entry.outcome)
                self.tally.count(entry.outcome)
            else:
                todo.append(line)
        before = len(self.lines) - len(todo)
        screen.say(
            f"{self.spec.endpoint}: {len(self.lines)} lines"
            + (f", {before} done before" if before else "")
            + f", {len(todo)} to run (concurrency {self.concurrency}, "
            f"journal {self.store.path})"
        )
        progress = BatchProgress(screen, self.spec.endpoint, self.tally)
        gate = asyncio.Semaphore(self.concurrency)
        client = AsyncWiro(
            provider=self.spec.provider,
            journal=self.store,
            wait_timeout=None,
            **self.state.client_options(),
        )
        try:
            unknown = await self._pass(client, gate, todo, progress)
            # Lines whose Run answer was lost: reconciled (their journal entries say
            # "sending") once the other lines had time to run, then run if nothing shows.
            for _ in range(3):
                if not unknown or self.abort is not None:
                    break
                unknown = await self._pass(client, gate, unknown, progress)
            for line in unknown:
                self._unfinished(line, "its Run's outcome is still unknown")
        finally:
            progress.close()
            await client.close()
            self.write_results()
        return self._summary()

    async def _pass(
        self,
        client: AsyncWiro,
        gate: asyncio.Semaphore,
        lines: list[Line],
        progress: BatchProgress,
    ) -> list[Line]:
        results = await asyncio.gather(
            *(self._line(client, gate, line, progress) for line in lines)
        )
        return [line for line, lost in zip(lines, results, strict=True) if lost]

    async def _line(
        self,
        client: AsyncWiro,
        gate: asyncio.Semaphore,
        line: Line,
        progress: BatchProgress,
    ) -> bool:
        """Run one line to its end; True when its Run's answer was lost."""
        async with gate:
            if self.abort is not None:
                self._unfinished(line, f"not sent: {self.abort}")
                return False
            try:
                task = await client._start(
                    self.spec, line.inputs, key=line.key, patient=True
                )
            except errors.RunOutcomeUnknownError:
                return True
            except errors.InvalidInputError as exc:  # the provider's own check
                self._final(line, {"state": "rejected", "error": str(exc)}, progress)
                return False
            except ABORTS as exc:
                self.abort = self.abort or exc
                self._unfinished(line, f"not sent: {exc}")
                return False
            except errors.WiroError as exc:
                self._unfinished(line, f"not sent: {exc}")
                return False
            self.tally.running += 1
            progress.update()
            try:
                await self._finish(task, line, progress)
            finally:
                self.tally.running -= 1
                progress.update()
        return False

    async def _finish(
        self, task: AsyncTask, line: Line, progress: BatchProgress
    ) -> None:
        ids = {"task_id": task.id, "token": task.token}
        try:
            result = await task.wait(self.timeout, raise_on_failure=False)
        except errors.WiroError as exc:
            self._unfinished(line, str(exc), **ids)
            return
        outputs: list[dict[str, Any]] = []
        if result.succeeded:
            folder = os.path.join(self.out, str(line.number), "")
            try:
                for output in result.outputs:
                    item: dict[str, Any] = {"name": output.name, "url": output.url}
                    if output.is_raw:
                        item["text"] = output.text
                    else:
                        item["path"] = str(await output.download(folder))
                    outputs.append(item)
            except (errors.WiroError, OSError) as exc:
                self._unfinished(line, f"download failed: {exc}", **ids)
                return
        state = result.phase.value if result.is_final else "failed"
        error = None
        if not result.succeeded:
            last = (result.debugerror.strip().splitlines() or [""])[-1][:300]
            error = (
                f"{result.status} (pexit {result.pexit!r}){': ' + last if last else ''}"
            )
        self._final(
            line,
            {
                "state": state,
                "status": result.status,
                "cost": result.cost,
                "elapsed_seconds": result.elapsed_seconds,
                "outputs": outputs,
                "error": error,
                **ids,
            },
            progress,
        )

    def _final(
        self, line: Line, outcome: dict[str, Any], progress: BatchProgress
    ) -> None:
        outcome = {"line": line.number, **outcome}
        self.store.record_outcome(line.key, outcome)
        self.outcomes[line.number] = outcome
        self.tally.count(outcome)
        progress.finished(outcome)

    def _unfinished(self, line: Line, why: str, **ids: Any) -> None:
        self.outcomes[line.number] = {
            "line": line.number,
            "state": "unfinished",
            "error": why,
            **ids,
        }

    def write_results(self) -> None:
        """``results.jsonl``: every line's outcome in file order (written whole, then
        renamed: a reader never sees half of it)."""
        target = self.out / "results.jsonl"
        temp = target.with_name(f".{target.name}.part")
        with temp.open("w", encoding="utf-8") as stream:
            for line in self.lines:
                outcome = self.outcomes.get(
                    line.number,
                    {"line": line.number, "state": "unfinished", "error": "not run"},
                )
                stream.write(json.dumps(outcome, sort_keys=True) + "\n")
        os.replace(temp, target)

    def _summary(self) -> int:
        states = [o["state"] for o in self.outcomes.values()]
        counts = {s: states.count(s) for s in sorted(set(states))}
        unfinished = len(self.lines) - sum(
            n for s, n in counts.items() if s != "unfinished"
        )
        screen = self.state.screen
        results = self.out / "results.jsonl"
        if screen.as_json:
            screen.data(
                {
                    "model": self.spec.endpoint,
                    "lines": len(self.lines),
                    **{s: n for s, n in counts.items() if s != "unfinished"},
                    "unfinished": unfinished,
                    "cost": round(self.tally.cost, 10),
                    "results": str(results),
                    "journal": str(self.store.path),
                }
            )
        else:
            parts = [f"{n} {s}" for s, n in counts.items() if s != "unfinished"]
            if unfinished:
                parts.append(f"{unfinished} unfinished")
            screen.say(
                f"{len(self.lines)} lines: {', '.join(parts)}; cost "
                f"{money(self.tally.cost)}; results in {results}"
            )
        if self.abort is not None:
            self.state.model = self.spec.endpoint
            raise self.abort
        if unfinished:
            return ExitCode.INCOMPLETE
        if any(s != "succeeded" for s in states):
            return ExitCode.TASK_FAILED
        return ExitCode.OK


class BatchProgress:
    """A progress bar with done / failed / running / cost on a terminal; elsewhere one
    line per finished line: ``[  12/200] line 17: succeeded task 1017 $0.0012 ...``."""

    def __init__(self, screen: Screen, title: str, tally: Tally) -> None:
        self.screen = screen
        self.tally = tally
        self._bar: Any = None
        self._id: Any = None
        if screen.live:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._bar = Progress(
                SpinnerColumn(),
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("done"),
                TextColumn("[red]failed {task.fields[failed]}"),
                TextColumn("[cyan]running {task.fields[running]}"),
                TextColumn("[green]{task.fields[cost]}"),
                TimeElapsedColumn(),
                console=screen.console(),
            )
            self._id = self._bar.add_task(
                title, total=tally.total, completed=tally.done, **self._fields()
            )
            self._bar.start()

    def _fields(self) -> dict[str, Any]:
        t = self.tally
        return {"failed": t.failed, "running": t.running, "cost": money(t.cost)}

    def update(self) -> None:
        if self._bar is not None:
            self._bar.update(self._id, completed=self.tally.done, **self._fields())

    def finished(self, outcome: Mapping[str, Any]) -> None:
        if self._bar is not None:
            self.update()
            if outcome["state"] != "succeeded":
                self._bar.console.print(
                    f"line {outcome['line']}: {outcome['state']}: {outcome.get('error')}",
                    style="red",
                    markup=False,
                    highlight=False,
                )
            return
        t = self.tally
        width = len(str(t.total))
        where = " ".join(
            o.get("path") or o.get("url", "") for o in outcome.get("outputs", [])
        )
        task = f" task {outcome['task_id']}" if outcome.get("task_id") else ""
        detail = (
            f" {money(outcome.get('cost'))} {where}".rstrip()
            if outcome["state"] == "succeeded"
            else f": {outcome.get('error')}"
        )
        print(
            f"[{t.done:>{width}}/{t.total}] line {outcome['line']}: "
            f"{outcome['state']}{task}{detail}",
            file=self.screen.progress,
            flush=True,
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
