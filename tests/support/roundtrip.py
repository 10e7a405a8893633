"""Run inside a generated package (cwd = generated python/ folder): import every module, then push
every default and every option of every model through its generated input model.

Prints "ok" or raises. Kept as a plain script so it runs with only the package's own dependencies.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any


def placeholder(item: Any) -> Any:
    if item.is_file:
        return ["https://example.com/x.png"] if item.multiple else "https://example.com/x.png"
    if item.kind == "multiselect" and not item.options:
        return ["x"]
    if item.options:
        return [item.options[0]] if item.multiple else item.options[0]
    if item.true_value is not None or item.kind == "checkbox":
        return True
    return {"number": 1, "float": 1.0, "range": 1}.get(item.kind, "x")


def to_wire(item: Any, value: Any) -> Any:
    """As the schema's wire form: arrays stay arrays, a multifileinput's URLs are joined."""
    if item.true_value is not None:
        return item.true_value if value else item.false_value
    if isinstance(value, list) and item.kind == "multifileinput":
        return item.separator.join(value)
    return value


def main() -> None:
    import wiro_client
    from wiro_client import _catalogue

    for module in pkgutil.walk_packages(wiro_client.__path__, "wiro_client."):
        importlib.import_module(module.name)
    schemas = {}
    for path in Path("..", "schemas").rglob("*.json"):
        schema = json.loads(path.read_text(encoding="utf-8"))
        schemas[schema["$id"]] = schema
    for endpoint in _catalogue.ENDPOINTS:
        spec = _catalogue.model_spec(endpoint)
        assert spec is not None
        schema = next(
            s
            for key, s in schemas.items()
            if key.endswith(":" + endpoint.replace(" ", "%20")) or key.endswith(":" + endpoint)
        )
        required = {i.name: placeholder(i) for i in spec.inputs if i.required}
        dumped = spec.input_model.model_validate(required).model_dump(by_alias=True, mode="json")
        for name, prop in schema["properties"].items():
            if "default" in prop:
                got = to_wire(spec.input(name), dumped[name])
                assert got == prop["default"], (endpoint, name, got, prop["default"])
        for item in spec.inputs:
            if item.true_value is not None:
                continue
            for option in item.options:
                sent = [option] if item.multiple else option
                model = spec.input_model.model_validate({**required, item.name: sent})
                assert model.model_dump(by_alias=True, mode="json")[item.name] == sent, (
                    endpoint,
                    item.name,
                    option,
                )
    print("ok")


if __name__ == "__main__":
    sys.path.insert(0, ".")
    main()
