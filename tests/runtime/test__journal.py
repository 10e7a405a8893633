"""The journal: a Run written down before it is sent is made once, whatever happens between.

Each behaviour runs through ``Wiro`` and ``AsyncWiro`` (the ``connect`` fixture) against a
FakeWiro on virtual time; what the fake created and billed is the truth checked.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from wiro_client import JournalStore, SqliteJournal, errors
from wiro_client._catalogue import model_spec
from wiro_client._inputs import encode_run
from wiro_client._journal import inputs_hash
from wiro_client._providers import PROVIDERS
from wiro_client.testing import FakeWiro, Fault

from .conftest import IMAGE, Api

MODEL = "wiro/instant-id"


def inputs(prompt: str = "a portrait") -> dict[str, str]:
    return {"inputImageUrl": IMAGE, "prompt": prompt}


@pytest.fixture
def journal_path(tmp_path: Path) -> Path:
    return tmp_path / "journal" / "runs.sqlite"


def test_a_key_names_one_run(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    api = connect(fake, journal=journal_path)
    first = api.run(MODEL, inputs(), key="line-1")
    again = api.run(MODEL, inputs(), key="line-1")
    assert (again.id, again.token) == (first.id, first.token)
    assert fake.calls("run") == 1
    entry = api.client.journal.get("line-1")
    assert entry.state == "answered" and entry.task_id == first.id
    assert entry.model == MODEL and entry.inputs_hash


def test_another_process_sees_the_same_run(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    """A second client on the same file (what a restarted process is) re-attaches."""
    first = connect(fake, journal=journal_path).run(MODEL, inputs(), key="k")
    later = connect(fake, journal=journal_path)
    task = later.run(MODEL, inputs(), key="k")
    assert task.id == first.id and fake.calls("run") == 1
    assert later(task.wait()).succeeded


def test_a_key_used_for_other_inputs_is_refused_before_sending(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    api = connect(fake, journal=journal_path)
    api.run(MODEL, inputs("one"), key="k")
    with pytest.raises(errors.InvalidInputError, match="other inputs"):
        api.run(MODEL, inputs("two"), key="k")
    assert fake.calls("run") == 1


def test_a_lost_answer_is_reconciled_not_sent_again(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    api = connect(fake, journal=journal_path)
    fake.fail("run", Fault.drop_answer())  # Wiro creates the task; the answer never comes
    with pytest.raises(errors.RunOutcomeUnknownError):
        api.run(MODEL, inputs(), key="k")
    assert api.client.journal.get("k").state == "sending"
    task = api.run(MODEL, inputs(), key="k")
    assert fake.calls("run") == 1 and list(fake.tasks) == [task.id]
    assert task.status is not None  # the handle starts from what Task/List showed
    assert api.client.journal.get("k").task_id == task.id
    assert api(task.wait()).succeeded


def test_a_run_that_never_left_is_sent_after_the_list_shows_nothing(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    """The process died between writing the intent and sending: no task exists."""
    api = connect(fake, journal=journal_path)
    spec = model_spec(MODEL)
    payload = encode_run(spec, PROVIDERS["wiro"], inputs())
    api.client.journal.record_sending("k", MODEL, inputs_hash(spec, payload), 0.0)
    task = api.run(MODEL, inputs(), key="k")
    assert fake.calls("list") == 1 and fake.calls("run") == 1
    assert list(fake.tasks) == [task.id]


def test_identical_lost_runs_adopt_one_task_each(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    """Two keys, same inputs, both answers lost: two tasks exist and each key gets one."""
    api = connect(fake, journal=journal_path)
    fake.fail("run", Fault.drop_answer(), Fault.drop_answer())
    for key in ("a", "b"):
        with pytest.raises(errors.RunOutcomeUnknownError):
            api.run(MODEL, inputs(), key=key)
    a = api.run(MODEL, inputs(), key="a")
    b = api.run(MODEL, inputs(), key="b")
    assert {a.id, b.id} == set(fake.tasks) and a.id != b.id
    assert fake.calls("run") == 2


def test_a_task_of_another_key_is_never_adopted(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    api = connect(fake, journal=journal_path)
    done = api.run(MODEL, inputs(), key="a")
    fake.fail("run", Fault.close())  # read, then dropped: no task, outcome unknown
    with pytest.raises(errors.RunOutcomeUnknownError):
        api.run(MODEL, inputs(), key="b")
    b = api.run(MODEL, inputs(), key="b")
    assert b.id != done.id and len(fake.tasks) == 2


def test_a_refused_run_is_sent_again(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    api = connect(fake, journal=journal_path)
    fake.balance = 0.0
    with pytest.raises(errors.InsufficientBalanceError):
        api.run(MODEL, inputs(), key="k")
    entry = api.client.journal.get("k")
    assert entry.state == "refused" and "balance" in (entry.refusal or "").lower()
    fake.balance = 1000.0
    task = api.run(MODEL, inputs(), key="k")
    assert fake.calls("list") == 0 and list(fake.tasks) == [task.id]


def test_every_attempt_of_a_patient_run_is_written_down_first(
    fake: FakeWiro, connect: Callable[..., Api], journal_path: Path
) -> None:
    """run_many waits out code 96: the entry keeps the last attempt's time, the one a
    reconciliation must look around."""
    api = connect(fake, journal=journal_path)
    fake.fail("run", Fault.error(96, "concurrency"), Fault.error(96, "concurrency"))
    items = api(api.client.run_many(MODEL, [inputs()]))
    assert items[0].ok and fake.calls("run") == 3
    (entry,) = api.client.journal.entries()
    first_attempt = 1_750_000_000.0  # the virtual clock's start
    assert entry.sent_at == fake.task(items[0].task.id).created_unix > first_attempt


def test_without_a_journal_a_key_is_an_error(fake: FakeWiro, connect: Callable[..., Api]) -> None:
    api = connect(fake)
    with pytest.raises(ValueError, match="journal"):
        api.run(MODEL, inputs(), key="k")
    assert fake.calls("run") == 0


def test_copies_share_the_journal_and_only_the_owner_closes_it(
    fake: FakeWiro, journal_path: Path
) -> None:
    client = fake.client(journal=journal_path)
    copy = client.with_options(max_retries=0)
    assert copy.journal is client.journal
    copy.close()
    client.run(MODEL, inputs(), key="k")  # still open
    client.close()
    with pytest.raises(sqlite3.ProgrammingError):
        client.journal.get("k")


def test_a_store_object_is_used_as_given(fake: FakeWiro, journal_path: Path) -> None:
    store = SqliteJournal(journal_path)
    assert isinstance(store, JournalStore)
    with fake.client(journal=store) as client:
        client.run(MODEL, inputs(), key="k")
    assert store.get("k") is not None  # not closed: the caller owns it
    store.close()


def test_secrets_leave_no_trace_in_the_journal(tmp_path: Path) -> None:
    """An input marked secret counts by name only: the hash is the same whatever its value,
    and the file never holds it."""
    from wiro_client import InputSpec, ModelSpec
    from wiro_client._inputs import RunPayload

    spec = ModelSpec(
        endpoint="acme/m",
        name="acme/m",
        provider="wiro",
        input_model=object,  # type: ignore[arg-type]
        inputs=(InputSpec("token", "text", "token", secret=True),),
    )

    def digest(value: str) -> str:
        return inputs_hash(spec, RunPayload({"token": value, "prompt": "x"}, ()))

    assert digest("hunter2") == digest("correct horse")
    assert digest("hunter2") != inputs_hash(spec, RunPayload({"prompt": "y"}, ()))
    store = SqliteJournal(tmp_path / "j.sqlite")
    store.record_sending("k", "acme/m", digest("hunter2"), 1.0)
    store.close()
    assert b"hunter2" not in (tmp_path / "j.sqlite").read_bytes()


def test_uploads_count_by_content(tmp_path: Path) -> None:
    image = tmp_path / "face.png"
    spec = model_spec(MODEL)
    image.write_bytes(b"one")
    first = inputs_hash(spec, encode_run(spec, PROVIDERS["wiro"], {"inputImageUrl": image}))
    image.write_bytes(b"two")
    second = inputs_hash(spec, encode_run(spec, PROVIDERS["wiro"], {"inputImageUrl": image}))
    assert first != second


# --- the SQLite store itself ----------------------------------------------------------------
def test_entries_survive_reopening_and_list_by_prefix(journal_path: Path) -> None:
    store = SqliteJournal(journal_path)
    store.record_sending("batch:a%_1", "o/m", "h1", 10.0)
    store.record_sending("batch:a%_2", "o/m", "h2", 11.0)
    store.record_sending("batch:ab", "o/m", "h3", 12.0)
    store.record_answer("batch:a%_1", "7", "tok", 13.0)
    store.record_outcome("batch:a%_1", {"status": "task_postprocess_end", "cost": 0.5})
    store.close()
    again = SqliteJournal(journal_path)
    assert [e.key for e in again.entries("batch:a%_")] == ["batch:a%_1", "batch:a%_2"]
    done = again.get("batch:a%_1")
    assert done is not None and done.state == "done" and done.task_id == "7"
    assert done.outcome == {"status": "task_postprocess_end", "cost": 0.5}
    again.close()


def test_a_task_is_held_by_one_entry(journal_path: Path) -> None:
    store = SqliteJournal(journal_path)
    store.record_sending("a", "o/m", "h", 1.0)
    store.record_sending("b", "o/m", "h", 1.0)
    assert store.record_answer("a", "7", "tok", 2.0)
    assert not store.record_answer("b", "7", "tok", 2.0)
    assert not store.record_answer("b", None, "tok", 2.0)
    assert store.get("b").state == "sending"  # type: ignore[union-attr]
    store.close()


def test_threads_write_at_once(journal_path: Path) -> None:
    store = SqliteJournal(journal_path)

    def write(n: int) -> None:
        for i in range(25):
            key = f"{n}-{i}"
            store.record_sending(key, "o/m", "h", float(i))
            store.record_answer(key, f"{n}.{i}", None, float(i))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.entries()) == 100
    store.close()


def test_a_file_that_is_not_a_journal_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("not a database, " * 100)
    with pytest.raises(ValueError, match="not a usable journal"):
        SqliteJournal(path)
