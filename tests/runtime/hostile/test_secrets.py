"""Defects 1 and 2, and secret inputs: no credential (nor a valid signature) in any error's
text, repr or traceback locals, nor in a log line, whatever the server answers or the caller
passes; credentials no header can carry are refused when the client is made."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field
from wiro_client import AsyncWiro, InputSpec, ModelSpec, Wiro, errors

from tests.runtime.conftest import IMAGE
from tests.runtime.hostile.conftest import Hostile, leaks, texts_of
from tests.runtime.hostile.server import (
    BROKEN_GZIP,
    CLOSE,
    KEY,
    SECRET,
    HostileServer,
    Request,
    Script,
    gzipped,
    http,
    run_ok,
    wiro,
)

# --- 1. the key and a valid signature in traceback locals ----------------------------------


def test_a_run_answered_with_a_broken_gzip_body_leaks_nothing(
    hostile: Callable[..., Hostile], caplog: pytest.LogCaptureFixture
) -> None:
    broken = http(200, BROKEN_GZIP, {"content-encoding": "gzip"})
    api = hostile(Script({"run": [broken]}))
    with caplog.at_level(logging.DEBUG):
        error = api.fails(lambda: api.client.run("wiro/instant-id", {"inputImageUrl": IMAGE}))
    assert isinstance(error, errors.RunOutcomeUnknownError)
    assert error.model == "wiro/instant-id" and error.parameters["inputImageUrl"] == IMAGE
    assert api.server.count("run") == 1
    logs = "\n".join(r.getMessage() for r in caplog.records)
    assert leaks(texts_of(error) + logs, api.server) == []


def test_a_gzip_run_answer_that_decodes_is_read(hostile: Callable[..., Hostile]) -> None:
    body = json.dumps(wiro(taskid="7", socketaccesstoken="tok-7")).encode()
    api = hostile(Script({"run": [http(200, gzipped(body), {"content-encoding": "gzip"})]}))
    task = api.run()
    assert (task.id, task.token) == ("7", "tok-7")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_number_json_cannot_carry_is_refused_before_sending(
    hostile: Callable[..., Hostile], value: float
) -> None:
    # instant-id's scale is a float without a range: nothing but this check stops it.
    api = hostile(Script({"run": [run_ok()]}))
    model = api.client.models.wiro.instant_id
    error = api.fails(lambda: model.run(input_image_url=IMAGE, scale=value))
    assert isinstance(error, errors.InvalidInputError) and error.input_name == "scale"
    assert api.server.count("run") == 0 and leaks(texts_of(error)) == []


UNSENDABLE: dict[str, Any] = {
    "an object": object(),
    "a set": {1, 2},
    "nan": float("nan"),
    "a nested infinity": {"nested": float("inf")},
    "a list holding an object": {"list": [1, [object()]]},
}


@pytest.mark.parametrize("value", list(UNSENDABLE.values()), ids=list(UNSENDABLE))
def test_an_untyped_value_no_request_can_carry_is_refused_before_sending(
    hostile: Callable[..., Hostile], value: Any
) -> None:
    api = hostile(Script({"run": [run_ok()]}))
    inputs = {"prompt": "x", "weird": value}
    error = api.fails(lambda: api.client.run("acme/unknown-model", inputs))
    assert isinstance(error, errors.InvalidInputError) and error.input_name == "weird"
    assert api.server.count("run") == 0 and leaks(texts_of(error)) == []


# --- 2. the key in error text and logs --------------------------------------------------


@pytest.mark.parametrize(
    ("key", "secret", "problem"),
    [
        (KEY + "\n", SECRET, "api_key starts or ends with whitespace"),
        (" " + KEY, SECRET, "api_key starts or ends with whitespace"),
        (KEY[:5] + "é" + KEY[5:], SECRET, "api_key holds a character an HTTP header"),
        (KEY[:5] + "\x00" + KEY[5:], SECRET, "api_key holds a control character"),
        (KEY, SECRET + "\r\n", "api_secret starts or ends with whitespace"),
        (KEY, SECRET[:3] + "\x1b" + SECRET[3:], "api_secret holds a control character"),
    ],
)
@pytest.mark.parametrize("client", [Wiro, AsyncWiro])
def test_credentials_no_header_can_carry_are_refused_when_the_client_is_made(
    client: type[Wiro | AsyncWiro], key: str, secret: str, problem: str
) -> None:
    with (
        HostileServer(Script({"run": [run_ok()]})) as server,
        pytest.raises(errors.AuthenticationError) as caught,
    ):
        client(api_key=key, api_secret=secret, base_url=server.url)
    error = caught.value
    assert str(error).startswith(problem)
    # The package's frames only: the test's own frame holds the strings it passed.
    assert error.__traceback__ is not None
    import traceback

    frames = traceback.walk_tb(error.__traceback__.tb_next)
    text = "".join(traceback.StackSummary.extract(frames, capture_locals=True).format())
    assert leaks(str(error) + repr(error) + text) == []
    assert key.strip() not in text and secret.strip() not in text
    assert server.requests == []


def test_credentials_from_the_environment_are_checked_too(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("WIRO_API_KEY", KEY + "\n")  # as a key file read whole would give
    monkeypatch.setenv("WIRO_API_SECRET", SECRET)
    with HostileServer(Script({"run": [run_ok()]})) as server:
        with pytest.raises(errors.AuthenticationError, match="api_key starts or ends"):
            Wiro(base_url=server.url)
        assert server.requests == []


def test_a_run_that_fails_leaves_no_signature_anywhere(
    hostile: Callable[..., Hostile], caplog: pytest.LogCaptureFixture
) -> None:
    # Every way a Run's exchange can break after the request left.
    answers: list[Any] = [
        http(502, "<html>bad gateway</html>"),
        http(200, "not json"),
        [http(200, b"{}", length=500), CLOSE],  # closed short of its Content-Length
        http(200, "[" * 100_000 + "]" * 100_000),
        http(307, b"", {"location": "http://127.0.0.1:9/steal"}),
    ]
    runs = len(answers)
    api = hostile(
        Script({"run": [lambda _, a=a: a if isinstance(a, list) else [a] for a in answers]})
    )
    texts = []
    with caplog.at_level(logging.DEBUG):
        for _ in range(runs):
            texts.append(texts_of(api.fails(lambda: api.run(), errors.RunOutcomeUnknownError)))
    texts += [r.getMessage() for r in caplog.records]
    assert api.server.count("run") == runs
    assert leaks("\n".join(texts), api.server) == []


# --- secret inputs ------------------------------------------------------------------------


class _TokenInput(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    prompt: str
    api_token: str | None = Field(None, alias="apiToken")


TOKENED = ModelSpec(
    endpoint="acme/tokened",
    name="acme/tokened",
    provider="wiro",
    input_model=_TokenInput,
    inputs=(
        InputSpec("prompt", "textarea", "prompt", required=True),
        InputSpec("apiToken", "text", "api_token", secret=True),
    ),
)
TOKEN = "third-party-token-5f4dcc3b5aa765d61d8327deb882cf99"


def test_a_secret_input_is_sent_but_never_shown(
    hostile: Callable[..., Hostile], caplog: pytest.LogCaptureFixture
) -> None:
    def run(request: Request) -> list[bytes]:
        if len(api.server.to("run")) == 1:
            return [http(502, "bad gateway")]
        return [run_ok()]

    api = hostile(run)
    with caplog.at_level(logging.DEBUG):
        error = api.fails(
            lambda: api.client._start(TOKENED, {"prompt": "hi", "apiToken": TOKEN}),
            errors.RunOutcomeUnknownError,
        )
        task = api(api.client._start(TOKENED, {"prompt": "hi", "api_token": TOKEN}))
    assert [r.json["apiToken"] for r in api.server.to("run")] == [TOKEN, TOKEN]
    # What a caller keeps or shows: the error, its parameters, the stored task, the logs.
    shown = [str(error), repr(error), json.dumps(error.parameters), json.dumps(task.to_dict())]
    shown += [r.getMessage() for r in caplog.records]
    assert error.parameters == {"prompt": "hi"}
    assert TOKEN not in "\n".join(shown)


def test_a_secret_input_in_a_multipart_run_is_sent_in_clear(
    hostile: Callable[..., Hostile], tmp_path: Any
) -> None:
    class _Upload(BaseModel):
        model_config = ConfigDict(extra="forbid", populate_by_name=True)
        image: str
        api_token: str | None = Field(None, alias="apiToken")

    spec = ModelSpec(
        endpoint="acme/upload",
        name="acme/upload",
        provider="wiro",
        input_model=_Upload,
        inputs=(
            InputSpec("image", "fileinput", "image", upload_field="image", url_field=None),
            InputSpec("apiToken", "text", "api_token", secret=True),
        ),
    )
    image = tmp_path / "face.png"
    image.write_bytes(b"\x89PNG....")
    api = hostile(Script({"run": [run_ok()]}), files="multipart")  # the documented Run
    api(api.client._start(spec, {"image": image, "apiToken": TOKEN}))
    (request,) = api.server.to("run")
    assert request.headers["content-type"].startswith("multipart/form-data")
    assert b'name="apiToken"\r\n\r\n' + TOKEN.encode() in request.body
    assert b"Secret(" not in request.body
