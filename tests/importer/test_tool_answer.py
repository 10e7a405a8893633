"""Import from a Tool/Detail answer, from the API (``--api``), and ``wirogen sync``: against
FakeWiro, which answers Tool/Detail from the committed specs themselves."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from wiro_client.testing import FakeWiro

from generator.importer import write_spec
from generator.importer.command import run_import
from generator.importer.sync import run_sync
from generator.importer.tool import MAX_OPTIONS, import_tool
from tests.conftest import ROOT

SPECS = ROOT / "specs"
COMMITTED = sorted((SPECS / "models").rglob("*.yaml"))


def _endpoint(spec: Path) -> str:
    line = next(x for x in spec.read_text("utf-8").splitlines() if x.startswith("endpoint:"))
    return line.split(":", 1)[1].strip()


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Any:
    with FakeWiro() as server:
        monkeypatch.setenv("WIRO_BASE_URL", server.url)
        monkeypatch.setenv("WIRO_API_KEY", server.api_key)
        monkeypatch.setenv("WIRO_API_SECRET", server.api_secret or "")
        yield server


@pytest.mark.parametrize("spec", COMMITTED, ids=[p.stem for p in COMMITTED])
def test_each_committed_spec_round_trips_through_its_tool_detail_answer(
    fake: FakeWiro, spec: Path
) -> None:
    out, err = io.StringIO(), io.StringIO()
    api = _endpoint(spec)
    code = run_import(None, api=api, check=str(spec), specs=str(SPECS), stdout=out, stderr=err)
    assert code == 0, out.getvalue() + err.getvalue()  # --check: exit 1 on any difference
    assert out.getvalue() == "" and f"is what Tool/Detail {api} imports to" in err.getvalue()
    (request,) = fake.requests_to("tool_detail")
    owner, slug = _endpoint(spec).split("/")
    assert request.body == {"slugowner": owner, "slugproject": slug}  # Swift tool_detail.json
    assert request.signed


def test_an_answer_file_imports_like_the_api(tmp_path: Path) -> None:
    tool = json.loads(
        (ROOT / "generated/python/wiro_client/testing/tools/wiro/instant-id.json").read_text()
    )
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({"result": True, "errors": [], "tool": [tool]}, indent=1))
    committed = SPECS / "models/wiro/instant-id.yaml"
    out, err = io.StringIO(), io.StringIO()
    code = run_import(str(answer), check=str(committed), specs=str(SPECS), stdout=out, stderr=err)
    assert code == 0 and out.getvalue() == "", out.getvalue() + err.getvalue()


def _tool(**changes: Any) -> dict[str, Any]:
    tool: dict[str, Any] = {
        "slugowner": "acme",
        "slugproject": "thing",
        "cleanslugowner": "acme",
        "cleanslugproject": "thing",
        "categories": ["image"],
        "parameters": [
            {
                "title": "Inputs",
                "items": [
                    {"id": "prompt", "type": "textarea", "label": "Prompt", "required": True},
                    {"id": "steps", "type": "number", "default": 20, "min": 1, "max": 50},
                ],
            }
        ],
    }
    tool.update(changes)
    return tool


def _errors(tool: Any) -> list[str]:
    text = json.dumps({"result": True, "tool": [tool]}, indent=2)
    spec, problems = import_tool("answer.json", text.encode())
    assert spec is None
    return [str(p) for p in problems if p.severity == "error"]


def test_a_good_answer_gives_a_spec() -> None:
    spec, problems = import_tool("answer.json", json.dumps(_tool()).encode())
    assert spec is not None and not problems
    text = write_spec(spec)
    assert "endpoint: acme/thing" in text and "default: 20" in text and "max: 50" in text


@pytest.mark.parametrize(
    ("tool", "message"),
    [
        (_tool(slugowner=None), "the answer has no 'slugowner'"),
        ({k: v for k, v in _tool().items() if k != "cleanslugproject"}, "no 'cleanslugproject'"),
        (
            _tool(parameters=[{"items": [{"id": "x", "type": "slider"}]}]),
            "input 'x' has unknown type 'slider'",
        ),
        (_tool(parameters="prompt"), "'parameters' must be a list, found text"),
        (_tool(categories="image"), "'categories' must be a list of texts, found text"),
        (
            _tool(parameters=[{"items": [{"id": "s", "type": "select", "options": "a,b"}]}]),
            "'options' must be a list, found text",
        ),
        (
            _tool(
                parameters=[
                    {
                        "items": [
                            {
                                "id": "s",
                                "type": "select",
                                "options": [{"value": str(i)} for i in range(MAX_OPTIONS + 1)],
                            }
                        ]
                    }
                ]
            ),
            f"{MAX_OPTIONS + 1} options; at most {MAX_OPTIONS} are read",
        ),
        (
            _tool(parameters=[{"items": [{"id": "p", "type": "text", "required": "yes"}]}]),
            "'required' must be true or false",
        ),
    ],
    ids=[
        "missing-owner",
        "missing-endpoint",
        "unknown-type",
        "string-for-parameters",
        "string-for-categories",
        "string-for-options",
        "huge-option-list",
        "string-for-required",
    ],
)
def test_hostile_answers_give_located_errors(tool: Any, message: str) -> None:
    found = _errors(tool)
    assert any(message in e for e in found), found
    assert all(e.startswith("answer.json:") and e.split(":")[1].isdigit() for e in found), found


def test_not_json_is_refused_at_its_place() -> None:
    spec, problems = import_tool("answer.json", b'{"tool": [\n  {"slugowner": }]}')
    assert spec is None and str(problems[0]).startswith("answer.json:2:17: not JSON")


def test_sync_refreshes_every_spec_and_reports_per_model(fake: FakeWiro, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    import shutil

    shutil.copytree(SPECS, specs)
    stale = specs / "models/wiro/instant-id.yaml"
    stale.write_text(stale.read_text("utf-8").replace("default: 20", "default: 25"), "utf-8")
    out, err = io.StringIO(), io.StringIO()
    assert run_sync(str(specs), stdout=out, stderr=err) == 0, err.getvalue()
    assert "wiro/instant-id: changed" in err.getvalue()
    assert "wiro/image-inpainting-sd: unchanged" in err.getvalue()
    assert "-    default: 25" in out.getvalue() and "+    default: 20" in out.getvalue()
    # ...and what it means to callers, as `wirogen diff` says it.
    assert "breaking" in out.getvalue() and "25" in out.getvalue().split("+    default: 20")[1]
    assert stale.read_text("utf-8") == (SPECS / "models/wiro/instant-id.yaml").read_text("utf-8")
    assert fake.calls("tool_detail") == len(COMMITTED)


def test_sync_writes_nothing_when_an_answer_is_bad(fake: FakeWiro, tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    import shutil

    shutil.copytree(SPECS, specs)
    stale = specs / "models/wiro/instant-id.yaml"
    before = stale.read_text("utf-8").replace("default: 20", "default: 25")
    stale.write_text(before, "utf-8")
    fake.tools()["black-forest-labs/flux-pro-1-1"]["parameters"] = "broken"
    err = io.StringIO()
    assert run_sync(str(specs), stdout=io.StringIO(), stderr=err) == 2
    assert (
        "'parameters' must be a list" in err.getvalue() and "nothing was written" in err.getvalue()
    )
    assert stale.read_text("utf-8") == before


def test_sync_of_one_owner_asks_only_for_its_models(fake: FakeWiro) -> None:
    assert (
        run_sync(str(SPECS), owner="black-forest-labs", stdout=io.StringIO(), stderr=io.StringIO())
        == 0
    )
    assert [r.body["slugowner"] for r in fake.requests_to("tool_detail")] == ["black-forest-labs"]
