"""The journal: every Run written down before it is sent, so that no process, however it
dies, loses a paid task or pays for one twice.

``Wiro(journal=PATH)`` records each Run's intent (model, a hash of its inputs, the time)
before the request leaves, and the task's id and token as soon as Wiro answers. A Run made
again with the same key (``client.run(model, inputs, key=...)``, or ``wiro batch`` started
again) is then never sent twice:

- answered before: the task is re-attached, nothing is sent;
- sent, answer lost (the process died, the connection broke): Task/List is read, and a task
  of that model with those parameters, created since, and claimed by no other entry, is
  adopted; only when there is none is the Run sent again;
- never sent, or refused (Wiro created no task): it is sent.

:class:`JournalStore` is what the client needs of the place entries are kept;
:class:`SqliteJournal` (standard library ``sqlite3``) is the embedded default. A Postgres or
Redis store implements the same methods, each one atomic and durable when it returns.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

from . import _constants as C
from . import errors
from ._clock import Clock
from ._inputs import RunPayload
from ._lifecycle import Send, Sleep, Steps
from ._protocol import TaskRecord, TaskRef
from ._spec import ModelSpec

if TYPE_CHECKING:  # sqlite3 loads when a journal is opened, not with the package
    import sqlite3

__all__ = [
    "JournalEntry",
    "JournalState",
    "JournalStore",
    "SqliteJournal",
    "Started",
    "inputs_hash",
    "open_journal",
    "start_once",
]

JournalState = Literal["sending", "answered", "refused", "done"]
"""``sending``: a Run may be on its way (intent written, no answer yet); ``answered``: Wiro
named its task; ``refused``: Wiro answered without creating a task (sending again is safe);
``done``: the caller recorded the task's outcome."""


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One Run as the journal knows it."""

    key: str
    model: str
    inputs_hash: str
    sent_at: float
    """Unix time just before the latest attempt to send it."""
    state: JournalState
    task_id: str | None = None
    token: str | None = None
    answered_at: float | None = None
    refusal: str | None = None
    """What Wiro said when it refused the Run."""
    outcome: Mapping[str, Any] | None = None
    """What the caller recorded once the task ended (``wiro batch``: status, cost, files)."""

    @property
    def ref(self) -> TaskRef | None:
        if self.task_id or self.token:
            return TaskRef(self.task_id, self.token)
        return None


@runtime_checkable
class JournalStore(Protocol):
    """Where journal entries live. Every method is one atomic write or read; a write is
    durable (survives the process being killed) when it returns, and visible to every
    process using the same store.

    :class:`SqliteJournal` is the embedded default. Another store (Postgres: one table keyed
    by ``key`` with a unique ``task_id``; Redis: one hash per key and a set of claimed task
    ids, updated in a transaction) implements these same methods.
    """

    def get(self, key: str) -> JournalEntry | None:
        """The entry of ``key``, if any."""
        ...

    def record_sending(self, key: str, model: str, inputs_hash: str, at: float) -> None:
        """A Run is about to be sent (first attempt or not): create the entry, or set it
        back to ``sending`` at ``at`` (unix time)."""
        ...

    def record_answer(
        self, key: str, task_id: str | None, token: str | None, at: float
    ) -> bool:
        """Wiro named the task of ``key``'s Run. False, and nothing written, when another
        entry already holds that task (a reconciled task is adopted by one entry only).
        """
        ...

    def record_refusal(self, key: str, reason: str) -> None:
        """Wiro answered ``key``'s Run without creating a task."""
        ...

    def record_outcome(self, key: str, outcome: Mapping[str, Any]) -> None:
        """The task of ``key`` ended; ``outcome`` is plain JSON data."""
        ...

    def entries(self, prefix: str = "") -> list[JournalEntry]:
        """Every entry whose key starts with ``prefix``, in key order."""
        ...

    def close(self) -> None: ...


_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    key TEXT PRIMARY KEY,
    model TEXT NOT NULL,
    inputs_hash TEXT NOT NULL,
    sent_at REAL NOT NULL,
    state TEXT NOT NULL,
    task_id TEXT UNIQUE,
    token TEXT UNIQUE,
    answered_at REAL,
    refusal TEXT,
    outcome TEXT
)
"""
_VERSION = 1
_COLUMNS = (
    "key, model, inputs_hash, sent_at, state, task_id, token, answered_at, refusal, "
    "outcome"
)


class SqliteJournal:
    """A journal in one SQLite file (created with its folder when missing).

    Write-ahead logging with ``synchronous=FULL``: each record is on disk before the call
    returns, so an intent is written before its Run leaves even if the machine then loses
    power. Safe for the threads of one process and for several processes (SQLite locks the
    file; a writer waits up to ``busy_timeout`` seconds).
    """

    def __init__(self, path: str | os.PathLike[str], *, busy_timeout: float = 30.0):
        import sqlite3

        self.path = Path(os.fspath(path)).expanduser()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db: sqlite3.Connection = sqlite3.connect(
            self.path,
            timeout=busy_timeout,
            isolation_level=None,  # autocommit: each statement is its own transaction
            check_same_thread=False,  # serialised by self._lock
        )
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=FULL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > _VERSION:
                raise ValueError(
                    f"{self.path} is a journal of a newer wiro_client (format {version})"
                )
            self._db.execute(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={_VERSION}")
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise ValueError(f"{self.path} is not a usable journal: {exc}") from None

    def get(self, key: str) -> JournalEntry | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_COLUMNS} FROM runs WHERE key = ?", (key,)
            ).fetchone()
        return None if row is None else _entry(row)

    def record_sending(self, key: str, model: str, inputs_hash: str, at: float) -> None:
        with self._lock:
            self._db.execute(
                "INSERT INTO runs (key, model, inputs_hash, sent_at, state) "
                "VALUES (?, ?, ?, ?, 'sending') ON CONFLICT (key) DO UPDATE SET "
                "model = excluded.model, inputs_hash = excluded.inputs_hash, "
                "sent_at = excluded.sent_at, state = 'sending', refusal = NULL",
                (key, model, inputs_hash, at),
            )

    def record_answer(
        self, key: str, task_id: str | None, token: str | None, at: float
    ) -> bool:
        import sqlite3

        with self._lock:
            try:
                done = self._db.execute(
                    "UPDATE runs SET state = 'answered', task_id = ?, token = ?, "
                    "answered_at = ?, refusal = NULL WHERE key = ?",
                    (task_id or None, token or None, at, key),
                )
            except sqlite3.IntegrityError:  # the task belongs to another entry
                return False
        return done.rowcount == 1

    def record_refusal(self, key: str, reason: str) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE runs SET state = 'refused', refusal = ? WHERE key = ?",
                (reason, key),
            )

    def record_outcome(self, key: str, outcome: Mapping[str, Any]) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE runs SET state = 'done', outcome = ? WHERE key = ?",
                (json.dumps(outcome, sort_keys=True), key),
            )

    def entries(self, prefix: str = "") -> list[JournalEntry]:
        # A range, not LIKE: keys may hold % and _.
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_COLUMNS} FROM runs WHERE key >= ? AND key < ? ORDER BY key",
                (prefix, prefix + "\U0010ffff"),
            ).fetchall()
        return [_entry(row) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __repr__(self) -> str:
        return f"SqliteJournal({os.fspath(self.path)!r})"


def _entry(row: Sequence[Any]) -> JournalEntry:
    key, model, digest, sent_at, state, task_id, token, answered, refusal, outcome = row
    return JournalEntry(
        key=key,
        model=model,
        inputs_hash=digest,
        sent_at=sent_at,
        state=state,
        task_id=task_id,
        token=token,
        answered_at=answered,
        refusal=refusal,
        outcome=json.loads(outcome) if outcome else None,
    )


def open_journal(journal: str | os.PathLike[str] | JournalStore) -> JournalStore:
    """A store from what ``Wiro(journal=...)`` was given: a path (SQLite) or a store."""
    if isinstance(journal, str | os.PathLike):
        return SqliteJournal(journal)
    if isinstance(journal, JournalStore):
        return journal
    raise TypeError(f"journal must be a path or a JournalStore, not {type(journal)}")


# --- the inputs' hash ---------------------------------------------------------------------
def inputs_hash(spec: ModelSpec | None, payload: RunPayload) -> str:
    """SHA-256 of a Run's inputs as sent: its fields (run options such as the callback URL
    aside) and the bytes of its uploads. A secret input counts by name only: the journal
    never holds anything derived from a credential."""
    secret = {i.name for i in spec.inputs if i.secret} if spec is not None else set()
    digest = hashlib.sha256()
    for name in sorted(payload.fields):
        if name in payload.run_options:
            continue
        value = "<secret>" if name in secret else payload.fields[name]
        digest.update(json.dumps([name, _text(value)]).encode())
    for upload in payload.uploads:
        digest.update(json.dumps([upload.field, upload.filename]).encode())
        if isinstance(upload.data, bytes):
            digest.update(hashlib.sha256(upload.data).digest())
        else:
            with upload.data.open("rb") as stream:
                digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# --- a Run made once ------------------------------------------------------------------------
Reconcile = Callable[[str, Mapping[str, str], float], Steps[list[TaskRecord]]]
"""``(model, parameters, sent_at)`` -> the listed tasks that may be that Run's."""


@dataclass(frozen=True, slots=True)
class Started:
    """How a journaled Run got its task."""

    ref: TaskRef
    run_at: float | None = None
    """Unix time of the Run's answer, for a task that was not started now (re-attached,
    or reconciled: its answer had been lost and Task/List showed it)."""
    record: TaskRecord | None = None
    """What Task/List showed of a reconciled task."""


def start_once(
    journal: JournalStore,
    key: str,
    model: str,
    digest: str,
    payload: RunPayload,
    send: Steps[TaskRef],
    reconcile: Reconcile,
    clock: Clock,
    settle: float = C.RECONCILE_SETTLE,
) -> Steps[Started]:
    """Run ``model`` at most once for ``key``: the journal's task if it has one, else the
    task a lost answer created (reconciled), else a new one (``send``, a lifecycle
    ``start`` or ``submit``, each attempt of which is recorded before it leaves).

    ``reconcile(model, parameters, sent_at)`` is the lifecycle's: the listed tasks that may
    be that Run's, oldest first.
    """
    entry = journal.get(key)
    if entry is not None and (entry.model, entry.inputs_hash) != (model, digest):
        raise errors.InvalidInputError(
            f"journal key {key!r} holds a Run of {entry.model} with other inputs; "
            "a key names one Run",
            rule="journal key reused",
        )
    if entry is not None and entry.ref is not None:
        return Started(entry.ref, run_at=entry.answered_at)
    if entry is not None and entry.state == "sending":
        # Its answer was lost. A request still being handled by Wiro would create its
        # task late: let the last attempt settle before reading the list.
        pause = entry.sent_at + settle - clock.time()
        if pause > 0:
            yield Sleep(pause)
        found: list[TaskRecord] = yield from reconcile(
            model, payload.fingerprint, entry.sent_at
        )
        for record in found:
            answered = record.created_at or clock.time()
            if journal.record_answer(key, record.task_id, record.token, answered):
                ref = TaskRef(record.task_id or None, record.token or None)
                return Started(ref, run_at=answered, record=record)
    try:
        ref = yield from _recorded(send, journal, key, model, digest, clock)
    except errors.RunOutcomeUnknownError:
        raise  # the entry stays "sending": the next attempt reconciles
    except errors.WiroError as exc:
        journal.record_refusal(key, str(exc))
        raise
    journal.record_answer(key, ref.task_id, ref.token, clock.time())
    return Started(ref)


def _recorded(
    steps: Steps[TaskRef],
    journal: JournalStore,
    key: str,
    model: str,
    digest: str,
    clock: Clock,
) -> Steps[TaskRef]:
    """``steps``, writing the intent down before each request it sends (a Run refused
    with code 96 is sent again later: the entry keeps the time of the last attempt)."""
    answer: Any = None
    while True:
        try:
            effect = steps.send(answer)
        except StopIteration as stop:
            ref: TaskRef = stop.value
            return ref
        if isinstance(effect, Send):
            journal.record_sending(key, model, digest, clock.time())
        answer = yield effect
