"""``wiro run``, ``wiro models``, ``wiro tasks``: real processes against a FakeWiro.

Output that is not a terminal is plain lines (the form scripts and logs see); a
pseudo-terminal shows the live display and answers the Ctrl-C question.
"""

from __future__ import annotations

import json
import os
import pty
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest
from wiro_client.testing import FakeWiro, Fault, Outcome

from .conftest import IMAGE, command, environment, lines, one_error_line, status_lines, wiro

MODEL = "wiro/instant-id"


# --- run ------------------------------------------------------------------------------------
def test_run_shows_each_status_as_a_line_then_the_outputs(fake: FakeWiro) -> None:
    done = wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--prompt", "a painting")
    assert done.returncode == 0, done.stderr
    (task_id,) = fake.tasks
    assert status_lines(done.stdout)[-1] == "task_postprocess_end"
    *_, verdict, url = lines(done.stdout)
    assert verdict.startswith(f"task {task_id} succeeded in ") and verdict.endswith("cost $0.0035")
    assert url == fake._outputs(fake.task(task_id))[0]["url"]
    assert done.stderr == ""
    sent = fake.requests_to("run")[0].fields
    assert sent["inputImageUrl"] == IMAGE and sent["prompt"] == "a painting"
    assert sent["steps"] == "20"  # every documented input goes on the wire, defaults included


def test_every_option_comes_from_the_spec(fake: FakeWiro, tmp_path: Path) -> None:
    """Types, labels of selects, flags and local files, all from the model's SPEC."""
    face = tmp_path / "me.jpg"
    face.write_bytes(b"\xff\xd8 a face")
    done = wiro(
        fake,
        "run",
        MODEL,
        "--input-image-url",
        str(face),
        "--selected-model",
        "stabilityai/stable-diffusion-xl-base-1.0",  # a label picks its value
        "--scheduler",
        "ddimscheduler",  # any case
        "--steps",
        "30",
        "--scale",
        "7.5",
        "--no-wait",
    )
    assert done.returncode == 0, done.stderr
    request = fake.requests_to("run")[0]
    assert request.fields["selectedModel"] == "79"
    assert request.fields["scheduler"] == "DDIMScheduler"
    assert request.fields["steps"] == "30" and request.fields["scale"] == "7.5"
    # A local file is uploaded first (File/Upload); the Run carries its URL.
    (upload,) = fake.requests_to("upload")
    assert upload.files == [("file", "me.jpg", len(b"\xff\xd8 a face"))]
    assert request.files == [] and request.fields["inputImageUrl"].endswith("/me.jpg")


def test_download_and_json(fake: FakeWiro, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--download", str(out), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)  # stdout holds the JSON document alone
    assert result["phase"] == "succeeded" and result["cost"] == 0.0035
    (output,) = result["outputs"]
    assert Path(output["path"]) == out / "0.png"
    assert (out / "0.png").read_bytes() == fake._files[f"{fake.task(result['task_id']).uuid}/0.png"]
    assert status_lines(done.stderr)[-1] == "task_postprocess_end"  # progress went to stderr


def test_no_wait_prints_the_task_and_how_to_follow_it(fake: FakeWiro, tmp_path: Path) -> None:
    started = wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--no-wait")
    assert started.returncode == 0, started.stderr
    (task_id,) = fake.tasks
    assert lines(started.stdout) == [
        f"task {task_id} started ({MODEL})",
        f"follow it with: wiro tasks wait {task_id}",
    ]
    followed = wiro(fake, "tasks", "wait", task_id, "--download", str(tmp_path))
    assert followed.returncode == 0, followed.stderr
    assert lines(followed.stdout)[-1] == str(tmp_path / "0.png")
    assert fake.calls("run") == 1


def test_a_failed_task_says_why_and_exits_1(fake: FakeWiro) -> None:
    fake.script(Outcome.failure(duration=0.6, queue=0.1, finishing=0.2))
    done = wiro(fake, "run", MODEL, "--input-image-url", IMAGE)
    assert done.returncode == 1
    verdict = lines(done.stdout)[-1]
    assert "failed in" in verdict and "pexit '1'" in verdict and "CUDA out of memory" in verdict


def test_a_timeout_leaves_the_task_running_and_prints_the_resume_command(
    fake: FakeWiro,
) -> None:
    fake.script(Outcome.success(30.0))
    done = wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--timeout", "1.5")
    assert done.returncode == 7
    (task_id,) = fake.tasks
    message = one_error_line(done)
    assert f"task {task_id} is still task_" in message
    assert message.endswith(f"resume with: wiro tasks wait {task_id}")
    assert fake.task(task_id).cancelled_at is None


def test_ctrl_c_without_a_terminal_leaves_the_task_and_says_how_to_resume(
    fake: FakeWiro, tmp_path: Path
) -> None:
    fake.script(Outcome.success(30.0))
    process = subprocess.Popen(
        command("run", MODEL, "--input-image-url", IMAGE, "--download", str(tmp_path)),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=environment(fake),
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # the first status: the task exists
    assert first.startswith("["), first
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    (task_id,) = fake.tasks
    assert lines(out)[-1] == (
        f"task {task_id} keeps running; resume with: "
        f"wiro tasks wait {task_id} --download {tmp_path}"
    )
    assert fake.task(task_id).cancelled_at is None and "Traceback" not in err


def test_on_a_terminal_progress_is_live_and_ctrl_c_offers_to_cancel(fake: FakeWiro) -> None:
    fake.script(Outcome.success(30.0))
    env = environment(fake, TERM="xterm", COLUMNS="100")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: wiro on a pseudo-terminal
        os.execve(command()[0], command("run", MODEL, "--input-image-url", IMAGE), env)
    screen = _read_until(terminal, b"task_start")
    assert "⠋" in screen or "task 10" in screen  # the spinner line, redrawn in place
    os.write(terminal, b"\x03")  # Ctrl-C, through the terminal
    screen += _read_until(terminal, b"leave]:")
    assert "cancel it, or leave it running?" in screen
    os.write(terminal, b"cancel\r")
    screen += _read_until(terminal, b"not billed")
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 130
    (task_id,) = fake.tasks
    assert fake.task(task_id).cancelled_at is not None


def _read_until(terminal: int, marker: bytes, timeout: float = 30.0) -> str:
    seen = b""
    deadline = time.monotonic() + timeout
    while marker not in seen:
        left = deadline - time.monotonic()
        assert left > 0, f"no {marker!r} on the terminal: {seen.decode(errors='replace')}"
        ready, _, _ = select.select([terminal], [], [], left)
        if ready:
            try:
                chunk = os.read(terminal, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")


# --- errors ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "code", "says"),
    [
        (
            ["run", "wiro/instant-idd"],
            2,
            "no model 'wiro/instant-idd' in this package; did you mean wiro/instant-id?",
        ),
        (["run", MODEL, "--prompt", "x"], 2, "Missing option '--input-image-url'"),
        (["run", MODEL, "--input-image-url", "./nowhere.jpg"], 2, "no such file: ./nowhere.jpg"),
        (
            ["run", MODEL, "--input-image-url", IMAGE, "--steps", "many"],
            2,
            "'many' is not a valid integer",
        ),
        (
            ["run", MODEL, "--input-image-url", IMAGE, "--scheduler", "Fast"],
            2,
            "'Fast' is not an option of scheduler",
        ),
        (["tasks", "get", "999999"], 4, "no task with id 999999 on Wiro"),
    ],
)
def test_an_error_is_one_line_and_a_stable_exit_code(
    fake: FakeWiro, args: list[str], code: int, says: str
) -> None:
    done = wiro(fake, *args)
    assert done.returncode == code, done.stderr
    assert says in one_error_line(done)
    assert fake.calls("run") == 0


def test_what_wiro_said_is_the_error(fake: FakeWiro) -> None:
    fake.balance = 0.0
    done = wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--json")
    assert done.returncode == 4
    assert "wiro/instant-id" in one_error_line(done) and "code 97" in one_error_line(done)
    error = json.loads(done.stdout)["error"]
    assert error["type"] == "InsufficientBalanceError" and error["code"] == 97
    assert error["exit_code"] == 4 and error["model"] == MODEL


def test_an_invalid_input_names_the_option(fake: FakeWiro) -> None:
    fake.fail("run", Fault.error(0, "Request parameter [prompt] is too long"))
    done = wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--prompt", "x" * 10)
    assert done.returncode == 2
    assert one_error_line(done).startswith("wiro/instant-id: Request parameter [prompt]")


def test_no_key_no_network_and_debug(fake: FakeWiro, tmp_path: Path) -> None:
    env = environment(None)
    no_key = wiro(None, "run", MODEL, "--input-image-url", IMAGE, env=env)
    assert no_key.returncode == 3
    assert "no API key: set WIRO_API_KEY (and WIRO_API_SECRET)" in one_error_line(no_key)

    closed = environment(fake, WIRO_BASE_URL="http://127.0.0.1:9/v1")
    args = ("--max-retries", "0", "run", MODEL, "--input-image-url", IMAGE)
    offline = wiro(None, *args, env=closed)
    assert offline.returncode == 5 and "Connect" in one_error_line(offline)
    debugged = wiro(None, "--debug", *args, env=closed)
    assert debugged.returncode == 5 and "Traceback (most recent call last)" in debugged.stderr


# --- models ---------------------------------------------------------------------------------
def test_models_list_search_and_json(fake: FakeWiro) -> None:
    listed = wiro(None, "models", "list", env=environment(None))
    assert [line.split("\t")[0] for line in lines(listed.stdout)] == [
        "black-forest-labs/flux-pro-1-1",
        "wiro/image-inpainting-sd",
        "wiro/instant-id",
    ]
    found = wiro(
        None, "models", "list", "--search", "id-preserving", "--json", env=environment(None)
    )
    (only,) = json.loads(found.stdout)
    assert only["endpoint"] == MODEL and only["provider"] == "wiro"


def test_models_show_gives_inputs_and_a_runnable_example(fake: FakeWiro) -> None:
    shown = wiro(None, "models", "show", "black-forest-labs/flux-pro-1.1", env=environment(None))
    assert shown.returncode == 0, shown.stderr
    text = shown.stdout
    assert "--aspect-ratio" in text and "--prompt-upsampling" in text
    example = json.loads(
        wiro(
            None,
            "models",
            "show",
            "black-forest-labs/flux-pro-1-1",
            "--json",
            env=environment(None),
        ).stdout
    )["examples"][0]
    assert example.startswith("wiro run black-forest-labs/flux-pro-1-1 --prompt ")
    import shlex

    ran = wiro(fake, *shlex.split(example)[1:], "--no-wait")
    assert ran.returncode == 0, ran.stderr


def test_list_options_of_a_long_select(fake: FakeWiro) -> None:
    done = wiro(None, "run", MODEL, "--list-options", "selected-model", env=environment(None))
    assert done.returncode == 0
    rows = [line.split("\t") for line in lines(done.stdout)]
    assert len(rows) == 53 and ["79", "stabilityai/stable-diffusion-xl-base-1.0"] in rows
    bad = wiro(None, "run", MODEL, "--list-options", "prompt", env=environment(None))
    assert bad.returncode == 2 and "takes any text" in one_error_line(bad)


def test_shell_completion_of_models_and_select_values() -> None:
    def complete(words: str) -> list[str]:
        env = environment(
            None,
            _WIRO_COMPLETE="bash_complete",
            COMP_WORDS=words,
            COMP_CWORD=str(len(words.split()) - 1),
        )
        done = subprocess.run(command(), capture_output=True, text=True, env=env, timeout=60)
        return [line.split(",", 1)[1] for line in lines(done.stdout)]

    assert complete("wiro run wiro/inst") == ["wiro/instant-id"]
    assert complete("wiro run wiro/instant-id --scheduler DD") == ["DDIMScheduler", "DDPMScheduler"]


# --- tasks ----------------------------------------------------------------------------------
def test_tasks_get_list_stop_and_download(fake: FakeWiro, tmp_path: Path) -> None:
    fake.script(Outcome.success(30.0), QUICK_DONE)
    slow = json.loads(
        wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--no-wait", "--json").stdout
    )
    quick = json.loads(wiro(fake, "run", MODEL, "--input-image-url", IMAGE, "--json").stdout)
    listed = json.loads(wiro(fake, "tasks", "list", "--json").stdout)
    assert [t["task_id"] for t in listed] == [quick["task_id"], slow["task_id"]]

    by_token = json.loads(wiro(fake, "tasks", "get", slow["token"], "--json").stdout)
    assert by_token["task_id"] == slow["task_id"] and by_token["phase"] != "succeeded"
    stopped = wiro(fake, "tasks", "stop", slow["task_id"])
    assert stopped.returncode == 0 and "task_cancel" in stopped.stdout
    assert fake.task(slow["task_id"]).cancelled_at is not None

    saved = wiro(fake, "tasks", "download", quick["task_id"], str(tmp_path / "d"))
    assert lines(saved.stdout)[-1] == str(tmp_path / "d" / "0.png")
    assert (tmp_path / "d" / "0.png").is_file()


QUICK_DONE = Outcome.success(0.6, queue=0.1, finishing=0.2)
