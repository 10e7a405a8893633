"""Measurements that run inside a fresh interpreter: ``python -m bench.probes NAME ARGS...``.

Each prints one JSON object on stdout. They live apart from ``bench/run.py`` because an import
time or a memory figure is only honest in a process that has imported nothing else.

- ``import PACKAGE_DIR``: seconds to import httpx+pydantic, then wiro_client; which model
  modules the import pulled in.
- ``first PACKAGE_DIR OWNER MODEL``: seconds and memory to reach ``client.models.OWNER.MODEL``
  for the first time.
- ``percall PACKAGE_DIR``: per-call microseconds of the client (validate, serialise, sign) and of
  pydantic, fastjsonschema, jsonschema and json.dumps on the same instant-id-sized input.
- ``swarm PACKAGE_DIR TASKS [batch]``: AsyncWiro driving TASKS concurrent tasks against FakeWiro
  (plain ``run()`` calls at once, or the client's ``run_many``).
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any

RUNTIME_MISSING = "n/a (runtime not merged)"


def _rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    import os

    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def probe_import(package: str, with_models: bool = False) -> dict[str, Any]:
    """``import wiro_client`` on top of httpx and pydantic; ``with_models``: on top of pydantic
    with its model machinery loaded (``from pydantic import BaseModel``), as any program that
    uses pydantic models has it: ``import pydantic`` alone defers all of it."""
    sys.path.insert(0, package)
    t0 = time.perf_counter()
    import httpx  # noqa: F401
    import pydantic

    if with_models:
        import pydantic.types  # noqa: F401
        from pydantic import BaseModel  # noqa: F401
    t1 = time.perf_counter()
    import wiro_client  # noqa: F401

    t2 = time.perf_counter()
    models = sorted(
        m for m in sys.modules if m.startswith(("wiro_client.resources.", "wiro_client.types."))
    )
    deep = [m for m in models if m.count(".") >= 3]  # owner packages are not model modules
    return {"base": t1 - t0, "package": t2 - t1, "model_modules": deep, "rss_mb": _rss_mb()}


def _fresh_client() -> tuple[Any, str]:
    """A new client when the runtime has one (its ``models`` not yet touched), else None."""
    from wiro_client import Wiro

    try:
        return Wiro(api_key="bench-key", api_secret="bench-secret"), "client.models"
    except Exception:
        return None, "Models(client) (runtime not merged)"


def _stand_in() -> Any:
    """The generated namespace on a stand-in client, for a package without its runtime."""
    from wiro_client.resources import Models

    return Models(object())


def probe_first(package: str, owner: str, model: str) -> dict[str, Any]:
    sys.path.insert(0, package)
    import httpx  # noqa: F401
    import pydantic  # noqa: F401
    import wiro_client  # noqa: F401

    client, how = _fresh_client()
    before = _rss_mb()
    t0 = time.perf_counter()
    # The whole chain a user writes, from a fresh client: client.models.<owner>.<model>.
    resource = getattr(getattr(client.models if client is not None else _stand_in(), owner), model)
    t1 = time.perf_counter()
    return {
        "first_access": t1 - t0,
        "via": how,
        "resource": type(resource).__name__,
        "rss_delta_mb": _rss_mb() - before,
    }


def _instant_id_payload() -> dict[str, Any]:
    return {
        "selectedModel": "79",
        "selectedModelPrivate": "",
        "inputImageUrl": "https://cdn.wiro.ai/uploads/sample/face.png",
        "prompt": "olympic athlete, standing, wearing olympics uniform, Paris background",
        "negativePrompt": "(lowres, low quality, worst quality:1.2), (text:1.2), watermark",
        "steps": 20,
        "scale": 5.0,
        "ip_adapter_scale": 0.8,
        "samples": 1,
        "seed": "3572004920",
        "scheduler": "EulerAncestralDiscreteScheduler",
    }


def _per_call_us(fn: Any, budget: float = 0.4) -> float:
    import timeit

    timer = timeit.Timer(fn)
    number, _ = timer.autorange()
    rounds = max(3, int(budget / max(timer.timeit(number) / number * number, 1e-9)))
    best = min(timer.repeat(repeat=min(rounds, 7), number=number))
    return best / number * 1e6


def _client_call(payload: dict[str, Any]) -> Any:
    """``run()`` of instant-id through the runtime, its HTTP answered in memory (no network)."""
    import httpx
    from wiro_client import Wiro

    answer = {"errors": [], "taskid": "1", "socketaccesstoken": "t", "result": True}

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=answer)

    http = httpx.Client(transport=httpx.MockTransport(handler))
    client = Wiro(api_key="k", api_secret="s", http_client=http)
    resource = client.models.wiro.instant_id
    kwargs = {spec.python_name: payload[spec.name] for spec in resource.spec.inputs}
    resource.run(**kwargs)  # fails here when the runtime is not there
    return lambda: resource.run(**kwargs)


def _runtime_present() -> bool:
    """Whether the package has its runtime (the foundation's placeholder has no testing)."""
    try:
        import wiro_client.testing  # noqa: F401
    except ImportError:
        return False
    return True


def _overhead_call(payload: dict[str, Any]) -> Any:
    """What the client does per call besides the network: validate and lay out the inputs
    (``encode_run``), serialise the body, sign the request (the runtime's own functions)."""
    from wiro_client._auth import MonotonicNonces, Secret, Signer
    from wiro_client._inputs import encode_run
    from wiro_client._providers import PROVIDERS
    from wiro_client.resources.wiro.instant_id import SPEC

    provider = PROVIDERS["wiro"]
    signer = Signer.choose(provider, Secret("bench-key"), Secret("bench-secret"), MonotonicNonces())

    def call() -> Any:
        body = json.dumps(encode_run(SPEC, provider, payload).fields)
        return body, signer.headers()

    call()
    return call


def probe_percall(package: str) -> dict[str, Any]:
    sys.path.insert(0, package)
    payload = _instant_id_payload()
    out: dict[str, Any] = {}
    try:
        out["overhead"] = _per_call_us(_overhead_call(payload))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
        out["overhead"] = f"failed: {error}" if _runtime_present() else RUNTIME_MISSING
    try:
        out["client"] = _per_call_us(_client_call(payload))
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:200]
        out["client"] = f"failed: {error}" if _runtime_present() else RUNTIME_MISSING
    from wiro_client.types.wiro.instant_id import InstantIdInput

    out["pydantic"] = _per_call_us(lambda: InstantIdInput.model_validate(payload))
    schema_path = f"{package}/../schemas/wiro/instant-id.json"
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    import fastjsonschema

    fast = fastjsonschema.compile(schema)
    out["fastjsonschema"] = _per_call_us(lambda: fast(payload))
    import jsonschema

    slow = jsonschema.Draft202012Validator(schema)
    out["jsonschema"] = _per_call_us(lambda: slow.validate(payload))
    out["json_dumps"] = _per_call_us(lambda: json.dumps(payload))
    return out


def probe_swarm(package: str, tasks: int, batch: bool = False) -> dict[str, Any]:
    """Drive ``tasks`` concurrent tasks through AsyncWiro against FakeWiro; count Detail calls.

    Plain: ``tasks`` typed ``run()`` + ``wait()`` at once (asyncio.gather); ``batch``: the
    client's ``run_many(..., concurrency=tasks)``."""
    sys.path.insert(0, package)
    try:
        import asyncio

        from wiro_client import AsyncWiro
        from wiro_client.testing import FakeWiro
    except Exception as exc:
        return {"result": RUNTIME_MISSING, "error": f"{type(exc).__name__}: {exc}"[:200]}

    async def main(client: Any) -> list[Any]:
        async with client:
            if batch:  # the client's own batching: at most ``tasks`` in flight
                inputs = [{"inputImageUrl": "https://example.com/face.png"}] * tasks
                items = await client.run_many("wiro/instant-id", inputs, concurrency=tasks)
                failed = [i.error for i in items if not i.ok]
                if failed:
                    raise failed[0]
                return list(items)
            model = client.models.wiro.instant_id

            async def one() -> Any:
                task = await model.run(input_image_url="https://example.com/face.png")
                return await task.wait(timeout=600)

            return await asyncio.gather(*(one() for _ in range(tasks)))

    try:
        with FakeWiro() as fake:
            # The fake's own client factory gives its key, URL and (virtual) clock.
            client = (
                fake.async_client()
                if hasattr(fake, "async_client")
                else AsyncWiro(api_key="k", api_secret="s", base_url=fake.url)
            )
            t0 = time.perf_counter()
            results = asyncio.run(main(client))
            elapsed = time.perf_counter() - t0
            details = fake.calls("detail") if hasattr(fake, "calls") else float("nan")
    except Exception as exc:
        return {"result": f"failed: {type(exc).__name__}: {exc}"[:200]}
    return {
        "result": "ok",
        "tasks": len(results),
        "seconds": elapsed,
        "detail_per_task": details / max(1, len(results)),
    }


def main(argv: list[str]) -> int:
    name, args = argv[0], argv[1:]
    if name == "import":
        result = probe_import(args[0], with_models=args[1:] == ["models"])
    elif name == "first":
        result = probe_first(args[0], args[1], args[2])
    elif name == "percall":
        result = probe_percall(args[0])
    elif name == "swarm":
        result = probe_swarm(args[0], int(args[1]), batch=args[2:] == ["batch"])
    else:
        raise SystemExit(f"unknown probe {name}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
