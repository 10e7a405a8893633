"""Random model specs, random edits of them, and random calls of their generated clients.

Specs are valid (the property is about the report, not the spec rules); an edit may make the
new spec invalid, and such pairs are left out by the tests. Calls are what a caller writes
for the old spec: its Python names, its enum members or raw values, values in its ranges.
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from generator.ir import Input, Model, ValueType

NAMES = [
    "prompt",
    "negativePrompt",
    "style",
    "aspectRatio",
    "steps",
    "guidanceScale",
    "seed",
    "upscale",
    "inputImage",
    "tags",
    "strength",
    "mode",
    "quality",
    "refImages",
    "safetyCheck",
    "frames",
]
VALUES = ["vivid", "natural", "noir", "1:1", "16:9", "EulerScheduler", "v2.0", "a b"]
KINDS = [
    "text",
    "textarea",
    "select",
    "selectwithcover",
    "multiselect",
    "number",
    "float",
    "range",
    "checkbox",
    "yesno",
    "fileinput",
    "multifileinput",
]
URL = "https://cdn.example.com/in.png"


def _options(values: list[str]) -> list[dict[str, str]]:
    return [{"value": v, "label": v.upper().replace(":", " by ")} for v in values]


@st.composite
def an_input(draw: st.DrawFn, name: str) -> dict[str, Any]:
    kind = draw(st.sampled_from(KINDS))
    item: dict[str, Any] = {"name": name, "type": kind, "label": name}
    optional = draw(st.integers(0, 2))  # 0: required, 1: a default, 2: optional without one
    if kind in ("select", "selectwithcover", "multiselect"):
        values = draw(st.lists(st.sampled_from(VALUES), min_size=2, max_size=5, unique=True))
        item["options"] = _options(values)
        if optional == 1:
            item["default"] = values[0] if kind != "multiselect" else ",".join(values[:2])
    elif kind == "yesno":
        item.update(type="select", boolean={"true_value": "yes", "false_value": "no"})
        item["options"] = [{"value": "no", "label": "No"}, {"value": "yes", "label": "Yes"}]
        if optional == 1:
            item["default"] = draw(st.sampled_from(["yes", "no"]))
    elif kind in ("number", "range"):
        low = draw(st.integers(0, 5))
        item.update(min=low, max=low + draw(st.integers(1, 50)))
        if optional == 1:
            item["default"] = draw(st.integers(item["min"], item["max"]))
    elif kind == "float":
        if draw(st.booleans()):
            item.update(min=0.0, max=10.0)
        if optional == 1:
            item["default"] = draw(st.sampled_from([0.5, 1.0, 2.5]))
    elif kind == "checkbox":
        if optional == 1:
            item["default"] = draw(st.booleans())
    elif kind in ("text", "textarea"):
        if optional == 1:
            item["default"] = draw(st.sampled_from(["a cat", "blurry", "42"]))
    elif optional == 1:
        item["default"] = URL
    if optional == 2:
        item["required"] = False
    return item


@st.composite
def a_spec(draw: st.DrawFn, index: int) -> dict[str, Any]:
    names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True))
    return {
        "provider": "wiro",
        "name": f"fuzz/m{index}",
        "endpoint": f"fuzz/m{index}",
        "description": "A model.",
        "inputs": [draw(an_input(n)) for n in names],
    }


def _spare(spec: dict[str, Any]) -> str:
    used = {i["name"] for i in spec["inputs"]}
    return next(n for n in [*NAMES, *(f"extra{k}" for k in range(20))] if n not in used)


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name)


def _edits(item: dict[str, Any], spec: dict[str, Any]) -> list[str]:
    """The edits that change something of ``item`` (or of the spec around it)."""
    kind, edits = item["type"], ["add", "rename", "docs"]
    if len(spec["inputs"]) > 1:
        edits.append("remove")
    if _snake(item["name"]) != item["name"]:
        edits.append("wire-name")
    if item.get("options") and "boolean" not in item:
        edits += ["option-add", "option-remove", "option-relabel"]
    if "default" in item:
        edits += ["default", "default-drop", "required"]
    elif item.get("required") is False:
        edits += ["default-add", "required"]
    else:
        edits.append("optional")
    if kind in ("number", "range", "float"):
        edits += ["range", "widen"]
    if kind == "number":
        edits.append("int-to-float")
    if kind in ("text", "textarea", "select", "selectwithcover"):
        edits.append("text-kind")
    if "boolean" in item:
        edits.append("yes-no-values")
    if kind == "multifileinput":
        edits.append("file-kind")
    if kind == "multiselect":
        edits.append("separator")
    if kind in ("text", "textarea") and "default" not in item and not item.get("secret"):
        edits.append("secret")
    return edits


@st.composite
def an_edit(draw: st.DrawFn, spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with one change a pull request might make to one of its inputs."""
    spec = copy.deepcopy(spec)
    inputs = spec["inputs"]
    item = draw(st.sampled_from(inputs))
    edit = draw(st.sampled_from(_edits(item, spec)))
    if edit == "add":
        at = draw(st.integers(0, len(inputs)))
        inputs.insert(at, draw(an_input(_spare(spec))))
    elif edit == "remove":
        inputs.remove(item)
    elif edit == "rename":
        item["name"] = _spare(spec)
    elif edit == "wire-name":
        item["name"] = _snake(item["name"])
    elif edit in ("option-add", "option-remove", "option-relabel"):
        options = item["options"]
        if edit == "option-add":
            fresh = [v for v in VALUES if v not in {o["value"] for o in options}]
            options.insert(draw(st.integers(0, len(options))), *_options(fresh[:1]))
        elif edit == "option-remove" and len(options) > 1:
            gone = draw(st.sampled_from(options))
            options.remove(gone)
            if gone["value"] in str(item.get("default", "")).split(","):
                item.pop("default")
                item["required"] = False
        else:
            draw(st.sampled_from(options))["label"] = "Renamed option"
    elif edit == "default":
        item["default"] = _another_default(draw, item)
    elif edit == "default-drop":
        del item["default"]
        item["required"] = False
    elif edit == "default-add":
        item.pop("required", None)
        item["default"] = _another_default(draw, item)
    elif edit == "range":
        for bound in ("min", "max"):
            if bound in item:
                item[bound] += draw(st.integers(-3, 3))
    elif edit == "widen":
        if "min" in item:
            item["min"] -= draw(st.integers(1, 3))
        if draw(st.booleans()):
            item.pop("max", None)
    elif edit == "int-to-float":
        item["type"] = "float"
    elif edit == "text-kind":
        item["type"] = {
            "text": "textarea",
            "textarea": "text",
            "select": "selectwithcover",
            "selectwithcover": "select",
        }[item["type"]]
    elif edit == "required":  # optional to required
        item.pop("default", None)
        item.pop("required", None)
    elif edit == "optional":  # required to optional
        if draw(st.booleans()):
            item["required"] = False
        else:
            item["default"] = _another_default(draw, item)
    elif edit == "yes-no-values":
        item["boolean"] = {"true_value": "true", "false_value": "false"}
        item["options"] = [{"value": "false", "label": "No"}, {"value": "true", "label": "Yes"}]
        if "default" in item:
            item["default"] = {"yes": "true", "no": "false"}[item["default"]]
    elif edit == "file-kind":
        item["type"] = "combinefileinput"
    elif edit == "separator":
        item["separator"] = ";"
        if "default" in item:
            item["default"] = item["default"].replace(",", ";")
    elif edit == "docs":
        item["label"] = "Another label"
        item["help"] = "Some help."
        spec["description"] = "Another description."
    elif edit == "secret":
        item["secret"] = True
    return spec


def _another_default(draw: st.DrawFn, item: dict[str, Any]) -> Any:
    kind = item["type"]
    if item.get("boolean"):
        return draw(
            st.sampled_from([item["boolean"]["true_value"], item["boolean"]["false_value"]])
        )
    if item.get("options"):
        values = [o["value"] for o in item["options"]]
        return draw(st.sampled_from(values)) if kind != "multiselect" else values[-1]
    if kind in ("number", "range"):
        return draw(st.integers(item.get("min", 0), item.get("max", 100)))
    if kind == "float":
        return draw(st.sampled_from([0.25, 3.0, 7.5]))
    if kind == "checkbox":
        return draw(st.booleans())
    if kind in ("fileinput", "multifileinput"):
        return "https://cdn.example.com/other.png"
    return draw(st.sampled_from(["a dog", "sharp", "7"]))


@st.composite
def a_pair(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], dict[str, Any]]:
    old = draw(a_spec(index))
    new = old
    for _ in range(draw(st.integers(1, 2))):
        new = draw(an_edit(new))
    return old, new


# --- Calls ---------------------------------------------------------------------------------------


@st.composite
def a_call(draw: st.DrawFn, model: Model, types: str) -> list[tuple[str, str]]:
    """Keyword arguments, as Python source, of a call valid for ``model``: every required
    input and some of the optional ones. Enum members are named through ``types``, the
    model's types module as the call site imports it."""
    arguments = []
    for item in model.inputs:
        if item.required or draw(st.booleans()):
            arguments.append((item.py_name, draw(_argument(item, types))))
    return arguments


def _argument(item: Input, types: str) -> st.SearchStrategy[str]:
    vt = item.value_type
    if vt is ValueType.ENUM:
        return _option(item, types)
    if vt is ValueType.ENUM_LIST:
        return st.lists(
            _option(item, types), min_size=1, max_size=len(item.options), unique=True
        ).map(lambda xs: "[" + ", ".join(xs) + "]")
    if vt is ValueType.BOOL:
        return st.sampled_from(["True", "False"])
    if vt is ValueType.INT:
        low = int(item.minimum) if item.minimum is not None else -10
        high = int(item.maximum) if item.maximum is not None else 10
        return st.integers(low, high).map(repr)
    if vt is ValueType.FLOAT:
        low = float(item.minimum) if item.minimum is not None else -10.0
        high = float(item.maximum) if item.maximum is not None else 10.0
        whole = st.integers(int(low) if low == int(low) else int(low) + 1, int(high)).map(repr)
        return st.one_of(st.sampled_from([low, high, (low + high) / 2]).map(repr), whole)
    if vt is ValueType.FILE:
        return st.just(repr(URL))
    if vt is ValueType.FILE_LIST:
        return st.just(f"[{URL!r}]")
    return st.sampled_from(["'a red fox'", "'x'", "'12'"])


def _option(item: Input, types: str) -> st.SearchStrategy[str]:
    """An option as a caller may write it: the enum member, or its raw value."""
    members = [f"{types}.{item.enum_name}.{o.member}" for o in item.options]
    raw = [repr(o.value) for o in item.options]
    return st.sampled_from(members + raw)
