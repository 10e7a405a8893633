"""The wire contract: what this client sends and how it reads answers, row by row of the README's
wire-fidelity table ("Reliability"), each against the official Wiro source it follows.

Wiro's own clients are the truth (all wiroai/ on GitHub, MIT): Wiro-Docs ``markdown/``, Wiro-MCP
``src/client.ts``, the Swift QuickStart's wire fixtures (``Tests/WiroKitTests/Fixtures/Wire``),
the Kotlin QuickStart's live tests and the n8n nodes. Every test runs through real HTTP against
FakeWiro, in both clients.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from wiro_client import _catalogue, errors
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
