"""The wire contract: what this client sends and how it reads answers, row by row of the README's
wire-fidelity table ("Reliability"), each against the official Wiro source it follows.

Wiro's own clients are the truth (all wiroai/ on GitHub, MIT): Wiro-Docs ``markdown/``, Wiro-MCP
``src/client.ts``, the Swift QuickStart's wire fixtures (``Tests/WiroKitTests/Fixtures/Wire``),
the Kotlin QuickStart's live tests and the n8n nodes. Every test runs through real HTTP against
FakeWiro, in both clients.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from wiro_client import TaskRef, _catalogue, errors
from wiro_client.testing import FakeWiro

from tests.conftest import SEEDS
from tests.runtime.conftest import IMAGE, Api

SEED_PAGES = sorted(SEEDS.glob("*.txt"))


def _curl_run(page: Path) -> tuple[str, dict[str, Any]] | None:
    """The model and body of a seed page's "Run Command" curl example, or None."""
    text = page.read_text(encoding="utf-8")
    found = re.search(
        r"Run Command - Make HTTP Post Request.*?/v1/Run/([^\"\s]+)\".*?-d '(\{.*?\})'",
        text,
        re.S,
    )
    if found is None:
        return None
    return found.group(1), json.loads(found.group(2))


SEED_RUNS = [run for run in map(_curl_run, SEED_PAGES) if run is not None]


def _required_only(model: str) -> dict[str, Any]:
    spec = _catalogue.model_spec(model)
    assert spec is not None, model
    return {i.name: ([IMAGE] if i.multiple else IMAGE) for i in spec.inputs if i.required}


# --- 18: every documented input goes on the wire ---------------------------------------------


def test_the_seed_pages_are_read() -> None:
    assert {model for model, _ in SEED_RUNS} >= {
        "wiro/instant-id",
        "wiro/image-inpainting-sd",
        "black-forest-labs/flux-pro-1-1",
    }


@pytest.mark.parametrize(("model", "curl"), SEED_RUNS, ids=[m for m, _ in SEED_RUNS])
def test_seed_models_send_the_keys_of_their_pages_curl_example(
    fake: FakeWiro, api: Api, model: str, curl: dict[str, Any]
) -> None:
    """Row 18. The seed pages' "Run Command" curl examples (../shared/seeds/) and the n8n nodes
    (nodes/WiroAI/FluxPro11/FluxPro11.node.ts sends every property, ``seed: ''`` included):
    given only its required inputs, a model sends every documented input, ``callbackUrl``
    aside."""
    api.run(model, _required_only(model))
    (request,) = fake.requests_to("run")
    assert set(request.body) == set(curl) - {"callbackUrl"}


def test_an_empty_default_is_sent_as_empty_text(fake: FakeWiro, api: Api) -> None:
    """Row 18. n8n nodes send ``selectedModelPrivate: ''``; so does instant-id's curl example."""
    api.run("wiro/instant-id", {"inputImageUrl": IMAGE})
    (request,) = fake.requests_to("run")
    assert request.body["selectedModelPrivate"] == ""
    assert request.body["steps"] == 20 and request.body["scheduler"] == (
        "EulerAncestralDiscreteScheduler"
    )


# --- 17: discovery ------------------------------------------------------------------------------


def test_tool_list_sends_the_official_body_and_reads_summaries(fake: FakeWiro, api: Api) -> None:
    """Row 17. Wiro-MCP src/client.ts searchModels and Swift Fixtures/Wire/endpoints/
    tool_list.json: every number a string, hideworkflows and summary always true."""
    page = api(api.client.tools.list("flux", owner="black-forest-labs", order="DESC"))
    (request,) = fake.requests_to("tool_list")
    assert request.body == {
        "start": "0",
        "limit": "20",
        "search": "flux",
        "categories": [],
        "sort": "relevance",
        "hideworkflows": True,
        "summary": True,
        "slugowner": "black-forest-labs",
        "order": "DESC",
    }
    assert page.total == 1 and page.tools[0].endpoint == "black-forest-labs/flux-pro-1-1"
    assert page.tools[0].name == "black-forest-labs/flux-pro-1.1"
    assert page.tools[0].parameters is None  # a summary


def test_tool_detail_reads_a_model_with_its_parameters(fake: FakeWiro, api: Api) -> None:
    """Row 17. Swift Fixtures/Wire/endpoints/tool_detail.json; models.md's answer."""
    tool = api(api.client.tools.get("wiro/instant-id"))
    (request,) = fake.requests_to("tool_detail")
    assert request.body == {"slugowner": "wiro", "slugproject": "instant-id"}
    assert tool.parameters is not None
    by_id = {p.id: p for p in tool.parameters}
    assert by_id["steps"].type == "number" and by_id["steps"].default == "20"
    assert by_id["inputImageUrl"].required and by_id["selectedModelPrivate"].default == ""
    assert len(by_id["scheduler"].options) == 8 and tool.examples
    with pytest.raises(errors.NotFoundError):
        api(api.client.tools.get("nobody/nothing"))


# --- 1-16: one test per row -------------------------------------------------------------------


def test_row_01_signature_headers(fake: FakeWiro, api: Api) -> None:
    """Wiro-Docs markdown/authentication.md: x-api-key, x-nonce and x-signature, the lowercase
    hex HMAC-SHA256 of secret + nonce keyed with the key."""
    import hashlib
    import hmac

    api.run()
    (request,) = fake.requests_to("run")
    nonce = request.headers["x-nonce"]
    secret = (fake.api_secret or "").encode()
    expected = hmac.new(fake.api_key.encode(), secret + nonce.encode(), hashlib.sha256)
    assert request.headers["x-api-key"] == fake.api_key
    assert request.headers["x-signature"] == expected.hexdigest()


def test_row_02_nonces_are_unix_milliseconds_and_increase(fake: FakeWiro, api: Api) -> None:
    """Wiro-MCP src/client.ts getAuthHeaders: ``Date.now().toString()`` (milliseconds)."""
    import time

    for _ in range(3):
        api(api.client.tasks.list())
    nonces = [int(r.nonce or 0) for r in fake.requests]
    assert nonces == sorted(set(nonces)) and abs(nonces[0] / 1000 - time.time()) < 3600


def test_row_03_local_files_go_to_file_upload_then_the_run_is_json(
    fake: FakeWiro, api: Api, tmp_path: Path
) -> None:
    """Swift Sources/WiroKit/Client/WiroClient+Upload.swift resolveFileInputs; Wiro-Docs
    markdown/files.md (part "file", list[0].url)."""
    from wiro_client.testing import png

    face = tmp_path / "face.png"
    face.write_bytes(png())
    api.run("wiro/instant-id", {"inputImageUrl": face})
    (upload,) = fake.requests_to("upload")
    (run,) = fake.requests_to("run")
    assert upload.files[0][:2] == ("file", "face.png") and run.content_type == "application/json"


def test_row_04_a_url_goes_in_the_url_field(fake: FakeWiro, api: Api) -> None:
    """n8n nodes (inputImageUrl); Wiro-Docs markdown/model-parameters.md ({id}Url)."""
    api.run("wiro/instant-id", {"inputImageUrl": IMAGE})
    assert fake.requests_to("run")[0].body["inputImageUrl"] == IMAGE


def test_row_05_multiselect_and_combinefileinput_are_arrays(fake: FakeWiro, api: Api) -> None:
    """Wiro-MCP src/utils/format.ts ("Pass an array of URLs directly"); n8n multiOptions.
    (Pinned in detail by tests/runtime/test__inputs.py with a spec of each kind.)"""
    from wiro_client._inputs import encode_run
    from wiro_client._providers import PROVIDERS

    spec = _catalogue.model_spec("wiro/instant-id")
    assert spec is not None
    payload = encode_run(spec, PROVIDERS["wiro"], {"inputImageUrl": IMAGE})
    assert not any(isinstance(v, list) for v in payload.fields.values())  # none in this model


def test_row_06_numbers_are_numbers_and_yes_no_selects_their_words(
    fake: FakeWiro, api: Api
) -> None:
    """Swift Fixtures/Wire/requests/flux2_pro.json (numbers as JSON numbers); the flux page's
    curl example and n8n FluxPro11.node.ts (promptUpsampling "false")."""
    api.run("black-forest-labs/flux-pro-1-1", {})
    body = fake.requests_to("run")[0].body
    assert body["promptUpsampling"] == "false" and body["safetyTolerance"] == "2"
    api.run("wiro/instant-id", {"inputImageUrl": IMAGE, "steps": 12, "scale": 7.5})
    body = fake.requests_to("run")[1].body
    assert body["steps"] == 12 and body["scale"] == 7.5


def test_row_07_detail_by_id_or_token(fake: FakeWiro, api: Api) -> None:
    """Swift Fixtures/Wire/endpoints/task_detail_id.json and task_detail_token.json."""
    task = api.run()
    api(task.refresh())
    api(api.client.tasks.get(token=task.token))
    bodies = [r.body for r in fake.requests_to("detail")]
    assert bodies[0] == {"taskid": task.id} and bodies[-1] == {"tasktoken": task.token}


def test_row_08_cancel_sends_the_id_resolved_from_the_token(fake: FakeWiro, api: Api) -> None:
    """Swift Fixtures/Wire/endpoints/task_cancel.json ({taskid}); Wiro-MCP src/client.ts
    cancelTask (resolves the id through Task/Detail first)."""
    from wiro_client.testing import Outcome

    fake.script(Outcome.success(60.0, queue=30.0))
    started = api.run()
    by_token = (type(started))(api.client, TaskRef(None, started.token))
    api(by_token.cancel())
    assert [r.body for r in fake.requests_to("cancel")] == [{"taskid": started.id}]
    assert fake.requests_to("detail")[0].body == {"tasktoken": started.token}


def test_row_09_kill_by_token_sends_socketaccesstoken(fake: FakeWiro, api: Api) -> None:
    """Swift Fixtures/Wire/endpoints/task_kill.json; Wiro-MCP src/client.ts killTask."""
    from wiro_client.testing import Outcome

    fake.script(Outcome.success(60.0, queue=0.5))
    started = api.run()
    fake.clock.advance(5.0)  # type: ignore[attr-defined]
    by_token = (type(started))(api.client, TaskRef(None, started.token))
    api(by_token.kill())
    assert [r.body for r in fake.requests_to("kill")] == [{"socketaccesstoken": started.token}]


def test_row_10_input_output_delete_sends_the_tasktoken(fake: FakeWiro, api: Api) -> None:
    """Wiro-Docs markdown/tasks.md, POST /Task/InputOutputDelete: tasktoken required."""
    task = api.run()
    api(task.wait())
    api(task.delete_files())
    assert [r.body for r in fake.requests_to("delete_files")] == [{"tasktoken": task.token}]


def test_row_11_task_list_sends_wiro_mcps_body(fake: FakeWiro, api: Api) -> None:
    """Wiro-MCP src/client.ts listTasks: type, sort, order and string start/limit."""
    api(api.client.tasks.list(limit=5, start=20))
    assert fake.requests_to("list")[0].body == {
        "type": "model",
        "sort": "id",
        "order": "DESC",
        "start": "20",
        "limit": "5",
    }


def test_row_12_task_error_on_detail_is_final(fake: FakeWiro, api: Api) -> None:
    """Wiro-MCP src/types.ts TERMINAL_STATUSES ("Task/Detail returns this DB status for fatal
    pre-execution failures"); websocket.md keeps the socket's task_error interim."""
    from wiro_client.testing import Outcome

    fake.script(Outcome.fatal_error())
    with pytest.raises(errors.TaskFailedError) as caught:
        api(api.run().wait())
    assert caught.value.result.status == "task_error"
    fake.script(Outcome.interim_error(duration=20.0))
    assert api(api.run().wait()).succeeded  # a stderr line on the socket is not a failure


def test_row_13_raw_llm_outputs_are_read(fake: FakeWiro, api: Api) -> None:
    """Wiro-Docs markdown/tasks.md and llm-chat-streaming.md: contenttype raw, content
    {prompt, raw, thinking, answer}; Wiro-MCP src/types.ts TaskOutputRawContent."""
    from wiro_client.testing import Outcome

    fake.script(Outcome.llm_answer(("Hello", " world"), thinking=("hm",)))
    result = api(api.run().wait())
    (output,) = result.outputs
    assert output.is_raw and output.text == "Hello world" and output.thinking == ["hm"]


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, errors.InvalidInputError),
        (401, errors.AuthenticationError),
        (403, errors.AuthenticationError),
        (404, errors.NotFoundError),
        (422, errors.InvalidInputError),
        (429, errors.RateLimitError),
        (500, errors.ServerError),
    ],
)
def test_row_14_every_documented_status_maps_to_a_class(
    fake: FakeWiro, connect: Any, status: int, error: type[errors.WiroError]
) -> None:
    """Wiro-Docs markdown/full-documentation.md ("Common HTTP status codes") and
    error-reference.md (codes 0, 1, 96-99)."""
    from wiro_client.testing import Fault

    api = connect(fake, max_retries=0)
    fake.fail("list", Fault.error(0, "refused", status=status))
    with pytest.raises(error):
        api(api.client.tasks.list())


def test_row_15_polling_starts_at_two_seconds_and_slows(fake: FakeWiro, polling: Api) -> None:
    """Wiro-MCP src/client.ts getPollInterval (2 s, 5 s, 10 s); the SDKs' 3 s
    (WiroClient.swift pollInterval); concurrency-limits.md ("start at 3 seconds")."""
    from wiro_client.testing import Outcome

    fake.script(Outcome.success(120.0))
    api = polling
    api(api.run().wait())
    times = [fake.requests_to("run")[0].at] + [r.at for r in fake.requests_to("detail")]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert gaps[0] == pytest.approx(2.0) and min(gaps) >= 1.99 and max(gaps) > 5.0


def test_row_16_the_socket_registers_the_token_and_detail_is_read_at_the_end(
    fake: FakeWiro, api: Api
) -> None:
    """Wiro-Docs markdown/websocket.md (task_info + tasktoken); Swift
    WiroClient+Tracking.swift trackWithSocket (getTask after the socket's end)."""
    task = api.run()
    result = api(task.wait())
    (session,) = fake.socket_sessions
    assert session.token == task.token and session.sent[-1]["type"] == "task_postprocess_end"
    assert result.succeeded and fake.calls("detail") <= 3


def test_the_socket_url_is_configured_like_the_base_url(monkeypatch: pytest.MonkeyPatch) -> None:
    """Wiro-Docs markdown/websocket.md (wss://socket.wiro.ai/v1); Swift WiroClient.swift
    defaultSocketURL beside its base URL."""
    from wiro_client import Wiro

    monkeypatch.delenv("WIRO_SOCKET_URL", raising=False)
    monkeypatch.delenv("WIRO_BASE_URL", raising=False)
    assert Wiro(api_key="k").socket_url == "wss://socket.wiro.ai/v1"
    assert Wiro(api_key="k", base_url="http://127.0.0.1:9/v1").socket_url == ""  # polls
    assert Wiro(api_key="k", socket_url="ws://127.0.0.1:9/v1").socket_url == "ws://127.0.0.1:9/v1"
    monkeypatch.setenv("WIRO_SOCKET_URL", "ws://127.0.0.1:8/v1")
    assert Wiro(api_key="k", base_url="http://127.0.0.1:9/v1").socket_url == "ws://127.0.0.1:8/v1"
    assert Wiro(api_key="k", socket_url="").socket_url == ""
