"""Scale inside one spec (issue 5): one select of up to 5,000 options, one model of up to 300
inputs. Each size is generated cold; doubling the size should about double the time (a
quadratic step would quadruple it), so the table shows the growth per doubling."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .synth import ROOT

PROVIDERS = ROOT / "specs" / "providers"


def many_options(count: int) -> dict[str, Any]:
    """A select of ``count`` options with labels and descriptions, and a prompt."""
    options = [
        {
            "value": f"{1000 + i}",
            "label": f"studio-{i}/Checkpoint XL v{i % 9}.{i % 7}",
            "description": f"Checkpoint number {i}, fine-tuned.",
        }
        for i in range(count)
    ]
    return {
        "provider": "wiro",
        "name": f"bench/select-{count}",
        "endpoint": f"bench/select-{count}",
        "inputs": [
            {
                "name": "selectedModel",
                "type": "select",
                "label": "Model",
                "default": options[0]["value"],
                "options": options,
            },
            {"name": "prompt", "type": "textarea", "default": "a lighthouse at dusk"},
        ],
    }


_KINDS = ("text", "number", "select", "float", "checkbox", "fileinput")


def many_inputs(count: int) -> dict[str, Any]:
    """``count`` inputs of every common kind, and an example that sets a quarter of them."""
    inputs: list[dict[str, Any]] = []
    for i in range(count):
        kind = _KINDS[i % len(_KINDS)]
        item: dict[str, Any] = {
            "name": f"input{i}Value",
            "type": kind,
            "label": f"Input {i}",
            "help": f"What input {i} does.",
        }
        if kind == "select":
            item.update(
                default="a", options=[{"value": v, "label": v.upper()} for v in ("a", "b", "c")]
            )
        elif kind == "number":
            item.update(default=i, min=0, max=10 * count)
        elif kind == "float":
            item["default"] = i / 10
        elif kind == "checkbox":
            item["default"] = bool(i % 2)
        elif kind == "text":
            item["default"] = f"value {i}"
        else:
            item["required"] = False
        inputs.append(item)
    example = {f"input{i}Value": f"value {i}" for i in range(0, count, len(_KINDS) * 4)}
    return {
        "provider": "wiro",
        "name": f"bench/inputs-{count}",
        "endpoint": f"bench/inputs-{count}",
        "inputs": inputs,
        "examples": [example],
    }


def write_single(spec: dict[str, Any], folder: Path) -> Path:
    """A specs folder holding the repository's providers and this one model."""
    (folder / "providers").mkdir(parents=True, exist_ok=True)
    for provider in PROVIDERS.glob("*.yaml"):
        (folder / "providers" / provider.name).write_bytes(provider.read_bytes())
    target = folder / "models" / "bench" / f"{spec['endpoint'].split('/')[1]}.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
    return folder
