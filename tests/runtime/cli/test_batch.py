"""``wiro batch``: one task per line, and never a second one, however the process dies.

The batch runs in a process of its own against a FakeWiro in this one; the fake's tasks
(what it created, and billed) are the truth every test ends on.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from wiro_client.testing import FakeWiro, Fault, Outcome

from .conftest import IMAGE, QUICK, command, environment, lines, one_error_line, wiro

MODEL = "wiro/instant-id"


def write_lines(path: Path, count: int) -> Path:
    path.write_text(
        "".join(
            json.dumps({"inputImageUrl": IMAGE, "prompt": f"line {n}"}) + "\n"
            for n in range(1, count + 1)
        )
    )
    return path


def results(out: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]


def assert_one_task_per_line(fake: FakeWiro, out: Path, count: int) -> None:
    """Every line succeeded with a task of its own, the fake made no other task, and it
    billed exactly one task per line."""
    done = results(out)
    assert [r["line"] for r in done] == list(range(1, count + 1))
    assert all(r["state"] == "succeeded" for r in done), [
        r for r in done if r["state"] != "succeeded"
    ]
    task_ids = [str(r["task_id"]) for r in done]
    assert sorted(task_ids) == sorted(fake.tasks), "a line has two tasks, or a task no line"
    for record in done:
        task = fake.task(str(record["task_id"]))
        assert task.parameters["prompt"] == f"line {record['line']}"
        assert (out / str(record["line"]) / "0.png").is_file()
    assert sum(t.billed for t in fake.tasks.values()) == count


def test_a_batch_runs_each_line_and_writes_results_by_line(fake: FakeWiro, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    (tmp_path / "faces").mkdir()
    (tmp_path / "faces" / "me.jpg").write_bytes(b"a face")
    rows = [
        {"inputImageUrl": IMAGE, "prompt": "line 1"},
        {"input_image_url": IMAGE, "prompt": "line 2", "steps": 30},  # Python names
        {"inputImageUrl": "faces/me.jpg", "prompt": "line 3"},  # read from the file's folder
        {"inputImageUrl": IMAGE, "prompt": "line 4"},
    ]
    source.write_text(
        "\n".join(json.dumps(r) for r in rows[:2])
        + "\n\n"
        + "\n".join(json.dumps(r) for r in rows[2:])
        + "\n"
    )
    out = tmp_path / "out"
    done = wiro(
        fake,
        "batch",
        str(source),
        "--model",
        MODEL,
        "--out",
        str(out),
        "--concurrency",
        "2",
        cwd=tmp_path.parent,
    )
    assert done.returncode == 0, done.stderr
    progress = lines(done.stdout)
    assert (
        progress[0] == f"{MODEL}: 4 lines, 4 to run (concurrency 2, journal {out}/journal.sqlite)"
    )
    finished = sorted(int(line.split(" line ")[1].split(":")[0]) for line in progress[1:5])
    assert finished == [1, 2, 4, 5] and all(": succeeded task " in line for line in progress[1:5])
    assert progress[-1] == f"4 lines: 4 succeeded; cost $0.014; results in {out}/results.jsonl"
    by_line = {r["line"]: r for r in results(out)}
    assert sorted(by_line) == [1, 2, 4, 5]  # line numbers of the file (line 3 is blank)
    upload = fake.task(str(by_line[4]["task_id"]))
    # Uploaded first (File/Upload), its URL then sent in the Run's URL field.
    assert upload.parameters["inputImageUrl"].endswith("/me.jpg")
    assert fake.task(str(by_line[2]["task_id"])).parameters["steps"] == "30"

    again = wiro(fake, "batch", str(source), "--model", MODEL, "--out", str(out))
    assert again.returncode == 0
    assert lines(again.stdout)[0].startswith(f"{MODEL}: 4 lines, 4 done before, 0 to run")
    assert fake.calls("run") == 4


def test_bad_lines_are_all_reported_before_anything_is_sent(fake: FakeWiro, tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text(
        "\n".join(
            [
                json.dumps({"inputImageUrl": IMAGE}),
                "{not json",
                "[1, 2]",
                json.dumps({"inputImageUrl": IMAGE, "stepz": 3}),
                json.dumps({"inputImageUrl": "missing.png"}),
            ]
        )
    )
    done = wiro(fake, "batch", str(source), "--model", MODEL, "--out", str(tmp_path / "out"))
    assert done.returncode == 2 and fake.calls("run") == 0
    message = done.stderr
    assert f"{source}: 4 bad line(s), nothing was sent:" in message
    for where in (
        ":2: not JSON",
        ":3: a line must be a JSON object",
        ":4: Invalid input of wiro/instant-id: stepz: no such input",
        ":5: Invalid input of wiro/instant-id: input_image_url (inputImageUrl): no such local file",
    ):
        assert f"{source}{where}" in message, message
    assert "Traceback" not in message


def test_the_concurrency_limit_is_waited_out(tmp_path: Path) -> None:
    with FakeWiro(clock=QUICK_CLOCK(), outcome=QUICK, concurrency_limit=2) as fake:
        source = write_lines(tmp_path / "in.jsonl", 4)
        out = tmp_path / "out"
        done = wiro(
            fake, "batch", str(source), "--model", MODEL, "--out", str(out), "--concurrency", "4"
        )
        assert done.returncode == 0, done.stderr
        assert fake.calls("run") > 4  # code 96 answered, then sent again
        assert_one_task_per_line(fake, out, 4)


def test_failed_lines_exit_1_and_no_line_is_run_again_nor_changed(
    fake: FakeWiro, tmp_path: Path
) -> None:
    fake.script(Outcome.failure(duration=0.6, queue=0.1, finishing=0.2))
    source = write_lines(tmp_path / "in.jsonl", 2)
    out = tmp_path / "out"
    args = ("batch", str(source), "--model", MODEL, "--out", str(out), "--concurrency", "1")
    done = wiro(fake, *args)
    assert done.returncode == 1
    first, second = results(out)
    assert first["state"] == "failed" and "CUDA out of memory" in str(first["error"])
    assert second["state"] == "succeeded"
    assert wiro(fake, *args).returncode == 1 and fake.calls("run") == 2

    source.write_text(source.read_text().replace("line 2", "line two"))
    changed = wiro(fake, *args)
    assert changed.returncode == 2 and "line(s) 2 changed since" in one_error_line(changed)
    assert fake.calls("run") == 2


def test_a_run_whose_answer_died_with_the_process_is_reconciled(
    fake: FakeWiro, tmp_path: Path
) -> None:
    """SIGKILL while Wiro holds the answer of a Run it acted on: the next batch finds that
    task through Task/List instead of paying for another."""
    source = write_lines(tmp_path / "in.jsonl", 3)
    out = tmp_path / "out"
    args = ("batch", str(source), "--model", MODEL, "--out", str(out), "--concurrency", "1")
    fake.fail("run", Fault.late_answer(30.0), on_call=2)
    process = subprocess.Popen(
        command(*args), env=environment(fake), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    _wait_for(lambda: len(fake.tasks) == 2)  # the second Run acted; its answer is held
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    done = wiro(fake, *args)
    assert done.returncode == 0, done.stderr
    assert fake.calls("run") == 3 and fake.calls("list") >= 1
    assert_one_task_per_line(fake, out, 3)


def test_killed_at_random_points_every_line_still_gets_exactly_one_task(tmp_path: Path) -> None:
    """The issue's test: SIGKILL the batch process at random points (seeded), resume, and
    every line has exactly one task; the fake billed one task per line.

    Each kill is at one of three points, drawn at random: while a Run is at the fake but
    before it creates a task (the Run never happened), right after the fake created the
    task but before it answers (the answer dies with the process), or at a random moment
    between requests. Tasks of uneven length keep Runs going out all the time.
    """
    count = 40
    rng = random.Random(14)
    with FakeWiro(clock=QUICK_CLOCK(), outcome=QUICK, latency=0.02) as fake:
        fake.script(
            *(
                Outcome.success(rng.uniform(0.3, 2.0), queue=0.1, finishing=0.2)
                for _ in range(count * 2)
            )
        )
        source = write_lines(tmp_path / "in.jsonl", count)
        out = tmp_path / "out"
        args = ("batch", str(source), "--model", MODEL, "--out", str(out), "--concurrency", "8")
        kills = KillInRun(fake)
        points = sorted(rng.sample(range(3, count - 3), 4))
        modes = ["before", "after", *rng.choices(["before", "after", "between"], k=2)]
        rng.shuffle(modes)
        for at, mode in zip(points, modes, strict=True):
            process = subprocess.Popen(
                command(*args),
                env=environment(fake),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            if mode == "between":
                _wait_for(lambda at=at, p=process: fake.calls("run") >= at or p.poll() is not None)  # type: ignore[misc]
                time.sleep(rng.uniform(0.0, 0.5))
                process.send_signal(signal.SIGKILL)
            else:
                kills.arm(process, max(at, fake.calls("run") + 1), mode)
            assert process.wait(timeout=60) == -signal.SIGKILL
        done = wiro(fake, *args, timeout=120)
        assert done.returncode == 0, done.stderr
        assert_one_task_per_line(fake, out, count)
        assert fake.calls("list") >= 1  # the answer lost with the process was reconciled


class KillInRun:
    """Kills the batch process from inside the fake's Run handler, before or after the
    task is created: exactly where a crash hurts."""

    def __init__(self, fake: FakeWiro) -> None:
        self.fake = fake
        self.plan: tuple[subprocess.Popen[bytes], int, str] | None = None
        self._run = fake._run
        fake._run = self._intercept  # type: ignore[method-assign]

    def arm(self, process: subprocess.Popen[bytes], call: int, mode: str) -> None:
        self.plan = (process, call, mode)

    def _intercept(self, *args: Any) -> Any:
        plan = self.plan
        if plan is None or self.fake.calls("run") < plan[1]:
            return self._run(*args)
        process, _, mode = plan
        self.plan = None
        if mode == "before":  # the Run reached the fake; no task exists
            process.send_signal(signal.SIGKILL)
            return 200, {"result": False, "errors": [{"code": 0, "message": "gone"}]}
        answer = self._run(*args)  # the task exists now; its answer will find no one
        process.send_signal(signal.SIGKILL)
        return answer


def _wait_for(condition: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def QUICK_CLOCK() -> object:
    from wiro_client import SystemClock

    return SystemClock()


def test_ctrl_c_leaves_the_tasks_running_and_a_second_batch_is_refused_meanwhile(
    fake: FakeWiro, tmp_path: Path
) -> None:
    fake.script(Outcome.success(60.0), Outcome.success(60.0))
    source = write_lines(tmp_path / "in.jsonl", 3)
    out = tmp_path / "out"
    args = ("batch", str(source), "--model", MODEL, "--out", str(out), "--concurrency", "2")
    process = subprocess.Popen(
        command(*args),
        env=environment(fake),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    _wait_for(lambda: fake.calls("detail") >= 2)  # both tasks are being followed
    second = wiro(fake, *args)  # the same batch again, meanwhile: refused, nothing sent
    assert second.returncode == 2 and "another 'wiro batch' is using" in one_error_line(second)
    assert fake.calls("run") == 2
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert lines(stdout)[-1] == (
        "interrupted: 2 task(s) keep running, nothing is lost; resume with: wiro " + " ".join(args)
    )
    assert [r["state"] for r in results(out)] == ["unfinished"] * 3
    assert all(t.cancelled_at is None for t in fake.tasks.values())
