"""Property tests: random specs full of hostile names and text either are refused with located
errors and nothing generated, or generate code that compiles, imports, round-trips every default
and option through the generated models, and docs whose tables keep their columns.

`make test` runs the fixed-seed profile; `make fuzz` the long randomised one. A sample of the
generated packages also goes through mypy --strict.
"""

from __future__ import annotations

import ast
import importlib
import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.emit.client import runtime_files
from generator.load import SourceFile, Sources
from generator.pipeline import render_sources
from tests.conftest import ROOT
from tests.support import roundtrip
from tests.support.checks import mypy_strict

PROVIDERS = tuple(
    SourceFile(f"specs/providers/{p.name}", p.read_bytes())
    for p in sorted((ROOT / "specs" / "providers").glob("*.yaml"))
)
SPEC_PATH = "specs/models/fuzz/model.yaml"

HOSTILE = [
    '"""',
    "'''",
    "\\",
    "\\n",
    "{{ x }}",
    "{% if x %}",
    "${HOME}",
    "$(id)",
    "<script>alert(1)</script>",
    "</details>",
    "<!-- -->",
    "-->",
    "|",
    "`",
    "*",
    "_x_",
    "[a](b)",
    "# h",
    "1. x",
    "\u202e",
    "\u200f",
    "😀",
    "\U0001d401",
    "\x07",
    "\t",
    "\n",
    "\r\n",
    "\u2028",
    "é",
    ",",
    ";",
    ":",
    "#ff0000",
    " ",
]
hostile_text = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE), st.text(st.characters(blacklist_categories=("Cs",)), max_size=6)
    ),
    max_size=5,
).map("".join)
RESERVED = [
    "class",
    "from",
    "lambda",
    "type",
    "id",
    "filter",
    "match",
    "self",
    "json",
    "run",
    "client",
    "options",
    "task",
    "literal",
    "field",
    "model_spec",
    "3d",
    "a-b",
    "a.b",
    "a b",
    "ñandú",
    "inputImage",
    "input_image",
    "IDscale",
    "HTTPServer",
    "Watermark",
    "model_dump",
    "_",
    "--",
]
names = st.one_of(
    st.sampled_from(RESERVED),
    st.text(st.sampled_from("abcXYZ_-. 1é"), min_size=1, max_size=8),
    hostile_text.filter(bool),
)
KINDS = [
    "text",
    "textarea",
    "select",
    "multiselect",
    "selectwithcover",
    "number",
    "float",
    "range",
    "checkbox",
    "fileinput",
    "multifileinput",
    "combinefileinput",
]


@st.composite
def inputs(draw: st.DrawFn, index: int) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    # Mostly distinct names (so specs get far), sometimes raw ones (so collisions happen too).
    name = draw(names)
    item: dict[str, Any] = {
        "name": name if draw(st.integers(0, 5)) == 0 else f"{name}{index}x",
        "type": kind,
    }
    if draw(st.booleans()):
        item["label"] = draw(hostile_text)
    if draw(st.booleans()):
        item["help"] = draw(hostile_text)
    if kind in ("select", "multiselect", "selectwithcover"):
        values = draw(st.lists(hostile_text, max_size=6, unique=draw(st.integers(0, 4)) > 0))
        item["options"] = [
            {
                "value": v,
                "label": draw(hostile_text),
                **({"description": draw(hostile_text)} if draw(st.booleans()) else {}),
            }
            for v in values
        ]
        if values and draw(st.booleans()):
            item["default"] = draw(st.sampled_from(values)) if kind != "multiselect" else values[:2]
    elif kind in ("number", "range"):
        low = draw(st.integers(-5, 5))
        item.update(min=low, max=low + draw(st.integers(0, 100)))
        item["default"] = draw(st.integers(low, item["max"]))
    elif kind == "float":
        item["default"] = draw(st.floats(-1e6, 1e6, allow_nan=False))
    elif kind == "checkbox":
        item["default"] = draw(st.booleans())
    elif kind in ("text", "textarea"):
        item["default"] = draw(st.one_of(hostile_text, st.integers(), st.booleans()))
    elif draw(st.booleans()):
        item["required"] = False
    if draw(st.integers(0, 9)) == 0:  # now and then, something plainly wrong
        item[draw(st.sampled_from(["default", "type", "min", "colour"]))] = draw(hostile_text)
    return item


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "provider": "wiro",
        "name": "fuzz/" + (draw(hostile_text).replace("/", "") or "m"),
        "endpoint": "fuzz/"
        + draw(st.sampled_from(["model", "task", "3d-gen", "a b", "v1.5", "class"])),
        "description": draw(hostile_text),
        "inputs": [draw(inputs(i)) for i in range(draw(st.integers(0, 8)))],
    }
    if draw(st.booleans()):
        spec["title"] = draw(hostile_text) or "t"
    if spec["inputs"] and draw(st.booleans()):
        first = spec["inputs"][0]
        spec["examples"] = [{first["name"]: first.get("default", "x")}]
    return spec


def _tables_are_well_formed(markdown: str) -> None:
    columns = None
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = len(re.findall(r"(?<!\\)\|", line)) - 1
            columns = cells if columns is None else columns
            assert cells == columns, line
        else:
            columns = None


def _import_and_round_trip(files: dict[str, str], into: Path) -> None:
    for path, text in [*runtime_files(), *files.items()]:
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    package = str(into / "python")
    saved = {
        k: v for k, v in sys.modules.items() if k == "wiro_client" or k.startswith("wiro_client.")
    }
    for k in saved:
        del sys.modules[k]
    sys.path.insert(0, package)
    cwd = Path.cwd()
    try:
        import os

        os.chdir(package)
        importlib.invalidate_caches()
        roundtrip.main()
    finally:
        os.chdir(cwd)
        sys.path.remove(package)
        for k in [k for k in sys.modules if k == "wiro_client" or k.startswith("wiro_client.")]:
            del sys.modules[k]
        sys.modules.update(saved)


# mypy takes seconds per package: one sample in the fixed-seed profile, more when fuzzing.
_mypy_budget = {"left": 25 if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else 1}


@pytest.mark.filterwarnings("error")  # a generated module that warns on import is a bug
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(spec=specs())
def test_random_specs_are_refused_with_locations_or_generate_valid_code(
    spec: dict[str, Any], tmp_path_factory: Any
) -> None:
    text = yaml.safe_dump(spec, allow_unicode=True, sort_keys=False)
    result = render_sources(
        Sources(PROVIDERS, (SourceFile(SPEC_PATH, text.encode("utf-8"), SPEC_PATH),))
    )
    if not result.ok:
        assert result.files == {}
        for diagnostic in result.diagnostics:
            assert diagnostic.location.path == SPEC_PATH
            assert diagnostic.location.line >= 1 and diagnostic.location.col >= 1
            assert "\n" not in diagnostic.message
        return
    for path, content in result.files.items():
        if path.endswith(".py"):
            ast.parse(content)
        elif path.endswith(".md"):
            _tables_are_well_formed(content)
        elif path.endswith(".json"):
            schema = json.loads(content)
            jsonschema.Draft202012Validator.check_schema(schema)
    out = tmp_path_factory.mktemp("fuzz")
    _import_and_round_trip(result.files, out)
    if _mypy_budget["left"] > 0 and any(i.get("options") for i in spec["inputs"]):
        _mypy_budget["left"] -= 1
        # A fresh cache: every example's package names its modules alike.
        proc = mypy_strict(out / "python", out / ".mypy_cache")
        assert proc.returncode == 0, proc.stdout
