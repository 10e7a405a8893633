"""Defects 4 (API calls), 5, 8 and 10, and the smaller ones about answers and inputs: every
answer is read as hostile, every failure is a ``WiroError``, an answer about another task is
never taken for this one, API requests never follow redirects, a Run only ever goes to
``Run/<owner>/<slug>``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field
from wiro_client import InputSpec, ModelSpec, Policy, errors

from tests.runtime.conftest import IMAGE
from tests.runtime.hostile.conftest import Hostile
from tests.runtime.hostile.server import (
    BROKEN_GZIP,
    TRUNCATED_GZIP,
    HostileServer,
    Script,
    detail,
    http,
    record,
    run_ok,
    wiro,
)

DEEP = "[" * 100_000 + "]" * 100_000
GZIP = {"content-encoding": "gzip"}

# --- 4. exceptions outside WiroError ----------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        http(200, DEEP),
        http(200, BROKEN_GZIP, GZIP),
        http(200, TRUNCATED_GZIP, GZIP),
        http(200, wiro(tasklist=json.loads("[" * 900 + "]" * 900))),
    ],
    ids=["deep JSON", "broken gzip", "truncated gzip", "deep tasklist"],
)
def test_a_run_answered_unreadably_keeps_what_reconcile_needs(
    hostile: Callable[..., Hostile], answer: bytes
) -> None:
    api = hostile(Script({"run": [answer]}))
    sent_before = api.clock.time()
    error = api.fails(
        lambda: api.client.run("wiro/instant-id", {"inputImageUrl": IMAGE, "prompt": "p"}),
        errors.RunOutcomeUnknownError,
    )
    assert error.model == "wiro/instant-id"
    assert error.parameters["prompt"] == "p" and error.sent_at >= sent_before
    assert api.server.count("run") == 1


@pytest.mark.parametrize(
    "answer",
    [http(200, DEEP), http(200, BROKEN_GZIP, GZIP), http(200, TRUNCATED_GZIP, GZIP)],
    ids=["deep JSON", "broken gzip", "truncated gzip"],
)
def test_a_detail_answered_unreadably_is_retried(
    hostile: Callable[..., Hostile], answer: bytes
) -> None:
    api = hostile(Script({"detail": [answer, answer, detail(record())]}))
    result = api(api.task().wait(timeout=60))
    assert result.succeeded and api.server.count("detail") == 3


def test_numbers_no_float_holds_are_read_as_none(hostile: Callable[..., Hostile]) -> None:
    odd = record(totalcost="1e999", elapsedseconds="nan", createtime="-inf")
    odd["outputs"] = [{"name": "0.png", "url": "http://x/0.png", "size": "1e400"}]
    api = hostile(Script({"detail": [http(200, json.dumps(wiro(tasklist=[odd])))]}))
    result = api(api.task().refresh())
    assert result.cost is None and result.elapsed_seconds is None and result.created_at is None
    assert result.outputs[0].size is None


def test_an_answer_larger_than_the_limit_is_refused(hostile: Callable[..., Hostile]) -> None:
    huge = http(200, wiro(tasklist=[record(debugoutput="x" * (17 << 20))]))
    api = hostile(Script({"detail": [huge], "run": [huge]}))
    error = api.fails(lambda: api.task().refresh(), errors.ServerError)
    assert "larger than" in str(error) and api.server.count("detail") == 1  # not retried
    api.fails(lambda: api.run(), errors.RunOutcomeUnknownError)
    assert api.server.count("run") == 1


def test_the_answer_limit_is_a_policy_and_stops_reading(
    hostile: Callable[..., Hostile],
) -> None:
    answer = detail(record(debugoutput="x" * (32 << 20)))
    api = hostile(Script({"detail": [answer]}), policy=Policy(max_answer_bytes=64 << 10))
    api.fails(lambda: api.task().refresh(), errors.ServerError)
    (request,) = api.server.to("detail")
    assert request.settled().hung_up  # the client stopped reading: 32 MiB never came in


def test_an_error_answer_larger_than_the_limit_is_cut_not_failed(
    hostile: Callable[..., Hostile],
) -> None:
    busy = http(503, "<html>" + "x" * (17 << 20) + "</html>", {"content-type": "text/html"})
    api = hostile(Script({"detail": [busy, detail(record())]}))
    assert api(api.task().refresh()).succeeded  # a 503, however long, is retried


# --- 5. an answer about another task -------------------------------------------------------


def test_an_answer_about_another_task_is_never_taken(hostile: Callable[..., Hostile]) -> None:
    other = detail(record("999", "token-999", outputs=[{"url": "http://x/999.png"}]))
    api = hostile(Script({"detail": [other]}))
    task = api.task("1", "token-1")
    error = api.fails(lambda: task.wait(timeout=30), errors.ServerError)
    assert "another task" in str(error) and error.task is task
    assert task.last is None
    assert api.server.count("detail") == 3  # retried: a proxy's mix-up may pass


def test_an_answer_about_another_task_then_this_one(hostile: Callable[..., Hostile]) -> None:
    other = detail(record("999", "token-999"))
    mine = detail(record("1", "token-1", outputs=[{"name": "1.png", "url": "http://x/1.png"}]))
    api = hostile(Script({"detail": [other, mine]}))
    result = api(api.task().wait(timeout=30))
    assert result.task_id == "1" and result.outputs[0].url == "http://x/1.png"


def test_the_same_id_with_another_token_is_another_task(hostile: Callable[..., Hostile]) -> None:
    api = hostile(Script({"detail": [detail(record("1", "token-of-someone-else"))]}))
    api.fails(lambda: api.task("1", "token-1").refresh(), errors.ServerError)


# --- 8. redirects -----------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_api_requests_never_follow_redirects_whatever_client_is_passed(
    hostile: Callable[..., Hostile], status: int
) -> None:
    with HostileServer(Script({"*": [run_ok("666")]})) as elsewhere:
        away = {"location": f"{elsewhere.url}/Run/wiro/instant-id"}
        answer = http(status, b"", away)
        api = hostile(Script({"run": [answer], "detail": [answer]}))
        with api.own_client(follow_redirects=True) as own:
            error = api.fails(
                lambda: own.run("wiro/instant-id", {"inputImageUrl": IMAGE}),
                errors.RunOutcomeUnknownError,
            )
            assert "redirect" in str(error)
            task = own.tasks.from_dict({"task_id": "1"})
            detail_error = api.fails(lambda: task.refresh(), errors.ServerError)
            assert f"HTTP {status}" in str(detail_error)
        assert elsewhere.requests == []  # no key, nonce, signature or Run body left
        assert api.server.count("run") == 1 and api.server.count("detail") == 1


# --- 10. model paths --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "model",
    [
        "../Task",
        "wiro/..",
        "wiro/.",
        "a/b?x=1",
        "a/b#x",
        "a/b/c",
        "../Task/Detail",
        "a/%2e%2e",
        " wiro/instant-id",
        "wiro/instant-id\n",
        "wiro",
        "/instant-id",
        "wiro/",
        "wiro/instant-id ",
        "wiro/a\\b",
        "wiro/\u2028",
    ],
)
def test_only_owner_slug_models_are_run(hostile: Callable[..., Hostile], model: str) -> None:
    api = hostile(Script({"*": [run_ok()]}))
    error = api.fails(lambda: api.client.run(model, {"prompt": "x"}), errors.InvalidInputError)
    assert error.rule == "model name"
    assert api.server.requests == []


def test_a_slug_with_spaces_goes_where_it_names(hostile: Callable[..., Hostile]) -> None:
    # Wiro's own slugs may hold spaces and dots: each part is one encoded path segment.
    api = hostile(Script({"*": [run_ok()]}))
    api(api.client.run("wiro/Face Swap v1.2", {"inputImageUrl": IMAGE}))
    assert [r.target for r in api.server.requests] == ["/v1/Run/wiro/Face%20Swap%20v1.2"]


# --- smaller ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "taskid", [12345, True, {"$ne": ""}, [1], "", "a" * 300, "line\nbreak", None]
)
def test_an_id_that_is_not_a_short_string_names_no_task(
    hostile: Callable[..., Hostile], taskid: Any
) -> None:
    api = hostile(Script({"run": [http(200, wiro(taskid=taskid))]}))
    error = api.fails(lambda: api.run(), errors.RunOutcomeUnknownError)
    assert "names no task" in str(error) and api.server.count("run") == 1


def test_a_detail_record_without_a_string_id_is_not_this_task(
    hostile: Callable[..., Hostile],
) -> None:
    numeric = record()
    numeric["id"], numeric["socketaccesstoken"] = 1, None
    api = hostile(Script({"detail": [http(200, wiro(tasklist=[numeric]))]}))
    api.fails(lambda: api.task("1", None).refresh(), errors.ServerError)


@pytest.mark.parametrize("value", [True, False])
def test_true_is_not_a_number(hostile: Callable[..., Hostile], value: bool) -> None:
    api = hostile(Script({"run": [run_ok()]}))
    model = api.client.models.wiro.instant_id
    for name in ("steps", "scale"):
        error = api.fails(
            lambda name=name: model.run(input_image_url=IMAGE, **{name: value}),
            errors.InvalidInputError,
        )
        assert error.input_name == name
    assert api.server.requests == []


def test_one_input_under_both_its_names_is_refused(hostile: Callable[..., Hostile]) -> None:
    api = hostile(Script({"run": [run_ok()]}))
    both = {"inputImageUrl": IMAGE, "input_image_url": "https://elsewhere/x.png"}
    error = api.fails(lambda: api.client.run("wiro/instant-id", both), errors.InvalidInputError)
    assert error.input_name == "inputImageUrl" and "given twice" in str(error)
    assert api.server.requests == []


class _Styled(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    prompt: str
    styles: list[str] | None = Field(None)
    moods: list[str] = Field(...)


STYLED = ModelSpec(
    endpoint="acme/styled",
    name="acme/styled",
    provider="wiro",
    input_model=_Styled,
    inputs=(
        InputSpec("prompt", "textarea", "prompt", required=True),
        InputSpec("styles", "multiselect", "styles", options=("a", "b"), multiple=True),
        InputSpec(
            "moods", "multiselect", "moods", options=("x", "y"), multiple=True, required=True
        ),
    ),
)


def test_an_empty_multiselect_is_left_out(hostile: Callable[..., Hostile]) -> None:
    api = hostile(Script({"run": [run_ok()]}))
    api(api.client._start(STYLED, {"prompt": "p", "styles": [], "moods": ["x", "y"]}))
    (request,) = api.server.to("run")
    assert request.json == {"prompt": "p", "moods": ["x", "y"]}


def test_an_empty_required_multiselect_is_missing(hostile: Callable[..., Hostile]) -> None:
    api = hostile(Script({"run": [run_ok()]}))
    error = api.fails(
        lambda: api.client._start(STYLED, {"prompt": "p", "moods": []}), errors.InvalidInputError
    )
    assert error.input_name == "moods" and api.server.requests == []


def test_a_callback_body_is_read_as_hostile(hostile: Callable[..., Hostile]) -> None:
    api = hostile(Script({"detail": [detail(record())]}))
    bodies = [DEEP, b"\xff\xfe", "[]", '{"tasklist": [{"id": 5}]}', '{"id": "a\\u0000b"}']
    for body in bodies:
        error = api.fails(lambda body=body: api.client.tasks.from_callback(body))
        assert isinstance(error, errors.InvalidCallbackError | ValueError)
    assert api.server.requests == []
    assert api(api.client.tasks.from_callback('{"id": "1"}')).id == "1"
