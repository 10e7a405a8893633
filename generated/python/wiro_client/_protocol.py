"""The task-polling protocol (Wiro's): requests built from the provider's endpoint specs and
answers read into plain records.

A provider with another protocol (``ProviderSpec.protocol``: ``get-polling``, ``synchronous``)
adds one more strategy beside :class:`TaskPolling`; the lifecycle above does not change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

from . import errors
from ._inputs import RunPayload
from ._spec import ProviderSpec
from ._wire import ApiRequest, Upload

__all__ = [
    "OutputRecord",
    "Phase",
    "TaskPolling",
    "TaskRecord",
    "TaskRef",
    "protocol_for",
]


@dataclass(frozen=True, slots=True)
class TaskRef:
    """What identifies a task: its id, its token, or both."""

    task_id: str | None = None
    token: str | None = None

    def __post_init__(self) -> None:
        if not self.task_id and not self.token:
            raise ValueError("a task needs a task id or a token")


class Phase(Enum):
    """How the lifecycle reads a status (statuses themselves stay open strings)."""

    QUEUED = "queued"
    RUNNING = "running"
    FINISHING = "finishing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"
    """A status this package does not know: polled through like a running one."""

    @property
    def is_final(self) -> bool:
        return self in (Phase.SUCCEEDED, Phase.FAILED, Phase.CANCELLED)


@dataclass(frozen=True, slots=True)
class OutputRecord:
    """One entry of a task's ``outputs``."""

    name: str
    """File name, e.g. ``0.png`` (empty for an LLM's raw output)."""
    content_type: str
    size: int | None
    """Bytes, as Wiro reports them (a download is checked against it)."""
    url: str
    id: str
    content: Mapping[str, Any] | None
    """Structured content of an LLM output (``contenttype: "raw"``)."""
    raw: Mapping[str, Any] = field(repr=False)

    @classmethod
    def parse(cls, data: Mapping[str, Any]) -> OutputRecord:
        content = data.get("content")
        return cls(
            name=str(data.get("name") or ""),
            content_type=str(data.get("contenttype") or ""),
            size=_int(data.get("size")),
            url=str(data.get("url") or ""),
            id=str(data.get("id") or ""),
            content=content if isinstance(content, Mapping) else None,
            raw=dict(data),
        )


@dataclass(frozen=True, slots=True)
class TaskRecord:
    """One task as Task/Detail (or Task/List, or a callback) reports it; numbers parsed."""

    task_id: str
    token: str
    uuid: str
    status: str
    phase: Phase
    pexit: str | None
    debugoutput: str
    debugerror: str
    outputs: tuple[OutputRecord, ...]
    parameters: Mapping[str, Any]
    cost: float | None
    created_at: float | None
    started_at: float | None
    ended_at: float | None
    elapsed_seconds: float | None
    model: str | None
    """``owner/slug`` when the answer names the model."""
    raw: Mapping[str, Any] = field(repr=False)

    @property
    def progress_key(self) -> tuple[str, int, int, int]:
        """Changes whenever the task shows any sign of life."""
        return (
            self.status,
            len(self.debugoutput),
            len(self.debugerror),
            len(self.outputs),
        )


class TaskPolling:
    """Wiro's protocol: POST Run answers an id and a token; POST Task/Detail is polled."""

    def __init__(self, provider: ProviderSpec) -> None:
        self.provider = provider
        p = provider
        self._phases: dict[str, Phase] = {}
        for status in p.running:
            self._phases[status] = Phase.RUNNING
        for status in p.queued:
            self._phases[status] = Phase.QUEUED
        for status in p.finishing:
            self._phases[status] = Phase.FINISHING
        for status in p.cancelled:
            self._phases[status] = Phase.CANCELLED

    # --- requests ---------------------------------------------------------------------
    def run_request(self, model: str, payload: RunPayload) -> ApiRequest:
        owner, _, slug = model.partition("/")
        spec = self._endpoint("run")
        fields = payload.text_fields() if payload.uploads else payload.fields
        return ApiRequest(
            "run",
            spec.method,
            spec.path.format(owner=owner, slug=slug),
            fields,
            payload.uploads,
        )

    def upload_limit(self) -> int | None:
        """The largest file the upload endpoint takes, or None (no endpoint or no limit)."""
        spec = self.provider.endpoints.get("upload")
        return None if spec is None else spec.max_bytes

    def upload_request(self, upload: Upload) -> ApiRequest:
        """POST File/Upload: the file alone, in the endpoint's file field."""
        spec = self._endpoint("upload")
        part = replace(upload, field=spec.file_field or "file")
        return ApiRequest("upload", spec.method, spec.path, {}, (part,))

    def uploaded_url(self, body: Mapping[str, Any]) -> str | None:
        """The URL of the file an upload answer lists first (files.md: ``list[0].url``)."""
        spec = self._endpoint("upload")
        items = body.get(spec.answer_items or "list")
        first = items[0] if isinstance(items, list) and items else None
        url = (
            first.get(spec.answer_url or "url") if isinstance(first, Mapping) else None
        )
        return url if isinstance(url, str) and url else None

    def lacks(self, endpoint: str, ref: TaskRef) -> bool:
        """Whether ``endpoint`` needs the identifier ``ref`` lacks (read it from Detail)."""
        spec = self._endpoint(endpoint)
        if spec.sends == "task_id" or not spec.task_token_fields:
            return not ref.task_id
        if spec.sends == "task_token" or not spec.task_id_fields:
            return not ref.token
        return False

    def task_request(self, endpoint: str, ref: TaskRef) -> ApiRequest:
        """Detail, Cancel, Kill or delete_files of one task: the identifier the endpoint
        ``sends``, else the id when known, else the token."""
        spec = self._endpoint(endpoint)
        fields: dict[str, str] = {}
        by_id = spec.sends != "task_token" and ref.task_id and spec.task_id_fields
        if by_id:
            fields[spec.task_id_fields[0]] = str(ref.task_id)
        elif spec.sends != "task_id" and ref.token and spec.task_token_fields:
            fields[spec.task_token_fields[0]] = ref.token
        else:
            raise ValueError(f"{spec.path} needs a task id or token this task lacks")
        return ApiRequest(endpoint, spec.method, spec.path, fields)

    def list_request(
        self, start: int, limit: int, filters: Mapping[str, Any]
    ) -> ApiRequest:
        """Task/List as Wiro-MCP sends it: the endpoint's fixed fields, and every number
        as a string."""
        spec = self._endpoint("list")
        fields: dict[str, Any] = dict(spec.body)
        fields.update(start=str(start), limit=str(limit))
        fields.update({k: v for k, v in filters.items() if v is not None})
        return ApiRequest("list", spec.method, spec.path, fields)

    # --- answers ----------------------------------------------------------------------
    def run_answer(self, body: Mapping[str, Any]) -> TaskRef | None:
        """The new task's id and token, or None when the answer names neither."""
        spec = self._endpoint("run")
        task_id = body.get(spec.answer_task_id or "taskid")
        token = body.get(spec.answer_task_token or "socketaccesstoken")
        if not task_id and not token:
            return None
        return TaskRef(str(task_id) if task_id else None, str(token) if token else None)

    def tasks(self, endpoint: str, body: Mapping[str, Any]) -> list[TaskRecord]:
        spec = self._endpoint(endpoint)
        items = body.get(spec.answer_tasks or "tasklist")
        if not isinstance(items, list):
            return []
        return [self.record(item) for item in items if isinstance(item, Mapping)]

    def one_task(
        self, endpoint: str, body: Mapping[str, Any], ref: TaskRef
    ) -> TaskRecord:
        records = self.tasks(endpoint, body)
        for record in records:
            if (ref.task_id and record.task_id == ref.task_id) or (
                ref.token and record.token == ref.token
            ):
                return record
        if records and endpoint == "detail":
            return records[0]
        raise errors.NotFoundError(
            "There is no task yet.",
            endpoint=endpoint,
            task_id=ref.task_id,
            task_token=ref.token,
        )

    def record(self, data: Mapping[str, Any]) -> TaskRecord:
        status = str(data.get("status") or "")
        pexit = data.get(self.provider.success_field or "pexit")
        pexit_text = None if pexit is None else str(pexit)
        outputs = data.get("outputs")
        owner = data.get("modelslugowner")
        project = data.get("modelslugproject")
        parameters = data.get("parameters")
        return TaskRecord(
            task_id=str(data.get("id") or data.get("taskid") or ""),
            token=str(data.get("socketaccesstoken") or data.get("tasktoken") or ""),
            uuid=str(data.get("uuid") or ""),
            status=status,
            phase=self.phase(status, pexit_text),
            pexit=pexit_text,
            debugoutput=str(data.get("debugoutput") or ""),
            debugerror=str(data.get("debugerror") or ""),
            outputs=tuple(
                OutputRecord.parse(o)
                for o in (outputs if isinstance(outputs, list) else [])
                if isinstance(o, Mapping)
            ),
            parameters=dict(parameters) if isinstance(parameters, Mapping) else {},
            cost=_float(data.get("totalcost")),
            created_at=_time(data.get("createtime")),
            started_at=_time(data.get("starttime")),
            ended_at=_time(data.get("endtime")),
            elapsed_seconds=_float(data.get("elapsedseconds")),
            model=f"{owner}/{project}" if owner and project else None,
            raw=dict(data),
        )

    def phase(self, status: str, pexit: str | None) -> Phase:
        p = self.provider
        if status == p.success_status:
            return Phase.SUCCEEDED if pexit == p.success_value else Phase.FAILED
        if status in p.cancelled:
            return Phase.CANCELLED
        if status in p.final:
            return Phase.FAILED
        return self._phases.get(status, Phase.UNKNOWN)

    def _endpoint(self, name: str) -> Any:
        spec = self.provider.endpoints.get(name)
        if spec is None:
            raise NotImplementedError(f"{self.provider.title} has no {name} endpoint")
        return spec


def protocol_for(provider: ProviderSpec) -> TaskPolling:
    """The transport strategy of ``provider``."""
    if provider.protocol == "task-polling":
        return TaskPolling(provider)
    raise NotImplementedError(
        f"{provider.title} speaks {provider.protocol!r}, which this runtime does not implement"
    )


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def _time(value: Any) -> float | None:
    number = _float(value)
    return number if number else None
