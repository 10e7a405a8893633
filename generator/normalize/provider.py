"""A provider spec (already structurally valid) to an IR :class:`Provider`."""

from __future__ import annotations

from typing import Any

from ..diagnostics import Diagnostic, error
from ..ir import AuthScheme, Endpoint, ErrorCode, HttpError, Provider, Status
from ..load import Document


def build_provider(
    doc: Document, name: str | None = None
) -> tuple[Provider | None, list[Diagnostic]]:
    data: dict[str, Any] = doc.data
    problems: list[Diagnostic] = []
    statuses = data["statuses"]
    running: dict[str, str] = statuses["running"]
    final: dict[str, str] = statuses["final"]
    for name in running.keys() & final.keys():
        problems.append(
            error(
                doc.key_at(("statuses", "final", name)),
                f"status {name!r} is both running and final",
            )
        )
    for group in ("queued", "finishing"):
        for i, name in enumerate(statuses.get(group, [])):
            if name not in running:
                problems.append(
                    error(
                        doc.at(("statuses", group, i)),
                        f"{group} status {name!r} is not a running status",
                    )
                )
    for i, name in enumerate(statuses.get("cancelled", [])):
        if name not in final:
            problems.append(
                error(
                    doc.at(("statuses", "cancelled", i)),
                    f"cancelled status {name!r} is not a final status",
                )
            )
    success = statuses["success"]
    if success["status"] not in final:
        problems.append(
            error(
                doc.at(("statuses", "success", "status")),
                f"success status {success['status']!r} is not a final status",
            )
        )
    if doc.path.rsplit("/", 1)[-1] != f"{data['provider']}.yaml":
        problems.append(
            error(
                doc.at(("provider",)),
                f"provider {data['provider']!r} must be in a file named {data['provider']}.yaml",
            )
        )
    if problems:
        return None, problems

    env = data.get("environment", {})
    socket = data.get("socket", {})
    run_fields = data.get("run_fields", {})
    provider = Provider(
        source=name or doc.path,
        name=data["provider"],
        title=data["title"],
        docs_url=data.get("docs_url"),
        base_url=data["base_url"],
        env_api_key=env.get("api_key"),
        env_api_secret=env.get("api_secret"),
        env_base_url=env.get("base_url"),
        env_socket_url=env.get("socket_url"),
        socket_url=socket.get("url"),
        socket_register_type=socket.get("register", {}).get("type"),
        socket_token_field=socket.get("register", {}).get("token_field"),
        socket_logs=tuple(socket.get("logs", ())),
        auth=tuple(_auth(a) for a in data["auth"]),
        protocol=data["protocol"],
        endpoints=tuple(_endpoint(name, e) for name, e in data["endpoints"].items()),
        run_callback_field=run_fields.get("callback_url"),
        run_project_field=run_fields.get("project_id"),
        statuses=tuple(Status(n, m, False) for n, m in running.items())
        + tuple(Status(n, m, True) for n, m in final.items()),
        queued=tuple(statuses.get("queued", ())),
        finishing=tuple(statuses.get("finishing", ())),
        cancelled=tuple(statuses.get("cancelled", ())),
        success_status=success["status"],
        success_field=success["field"],
        success_value=success["equals"],
        error_codes=tuple(
            ErrorCode(
                e["code"],
                e["error"],
                e["meaning"],
                tuple((m["starts_with"], m["error"]) for m in e.get("messages", [])),
            )
            for e in data["errors"]["codes"]
        ),
        http_errors=tuple(
            HttpError(str(e["status"]), e["error"], e.get("meaning"))
            for e in data["errors"]["http"]
        ),
    )
    return provider, []


def _auth(a: dict[str, Any]) -> AuthScheme:
    headers = a.get("headers", {})
    hmac = a.get("hmac", {})
    return AuthScheme(
        scheme=a["scheme"],
        kind=a["kind"],
        description=a.get("description"),
        api_key_header=headers.get("api_key"),
        nonce_header=headers.get("nonce"),
        signature_header=headers.get("signature"),
        hmac_algorithm=hmac.get("algorithm"),
        hmac_key=hmac.get("key"),
        hmac_message=tuple(hmac.get("message", ())),
    )


def _endpoint(name: str, e: dict[str, Any]) -> Endpoint:
    ids = e.get("ids", {})
    answer = e.get("answer", {})
    return Endpoint(
        name=name,
        method=e["method"],
        path=e["path"],
        task_id_fields=tuple(ids.get("task_id", ())),
        task_token_fields=tuple(ids.get("task_token", ())),
        answer_task_id=answer.get("task_id"),
        answer_task_token=answer.get("task_token"),
        answer_tasks=answer.get("tasks"),
        sends=e.get("sends"),
        body=tuple(e.get("body", {}).items()),
        file_field=e.get("file_field"),
        max_bytes=e.get("max_bytes"),
        answer_items=answer.get("items"),
        answer_url=answer.get("url"),
    )
