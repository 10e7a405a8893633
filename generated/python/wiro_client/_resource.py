"""Base classes of the generated per-model clients and of the ``client.models`` namespaces.

A generated ``run()`` passes every input by its wire name, exactly as the caller gave it
(None: left out); the client validates, lays out and sends it.
"""

from __future__ import annotations

import os
from typing import IO, Any, ClassVar, Protocol

from ._spec import ModelSpec
from ._task import AsyncTask, Task

__all__ = [
    "AsyncModelClient",
    "AsyncModelResource",
    "AsyncNamespace",
    "FileInput",
    "ModelClient",
    "ModelResource",
    "SyncNamespace",
]

FileInput = str | os.PathLike[str] | bytes | IO[bytes]
"""A file input: a URL (``http(s)://...``), a local path, bytes, or a binary file object."""


class ModelClient(Protocol):
    """What a model's typed client needs of :class:`~wiro_client.Wiro`: starting a task.

    Declared here, not imported: the client module imports the namespaces, never the reverse.
    """

    def _start(self, spec: ModelSpec, values: dict[str, Any], /) -> Task: ...


class AsyncModelClient(Protocol):
    """What a model's typed client needs of :class:`~wiro_client.AsyncWiro`."""

    async def _start(self, spec: ModelSpec, values: dict[str, Any], /) -> AsyncTask: ...


class SyncNamespace:
    """A level of ``client.models`` (its attributes are cached properties)."""

    def __init__(self, client: ModelClient) -> None:
        self._client = client


class AsyncNamespace:
    """A level of ``client.models`` of :class:`AsyncWiro`."""

    def __init__(self, client: AsyncModelClient) -> None:
        self._client = client


class ModelResource:
    """One model's typed client; its generated ``run()`` calls :meth:`_run`."""

    spec: ClassVar[ModelSpec]

    def __init__(self, client: ModelClient) -> None:
        self._client = client

    def _run(self, values: dict[str, Any]) -> Task:
        return self._client._start(self.spec, values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec.endpoint!r})"


class AsyncModelResource:
    """One model's typed client for :class:`AsyncWiro`."""

    spec: ClassVar[ModelSpec]

    def __init__(self, client: AsyncModelClient) -> None:
        self._client = client

    async def _run(self, values: dict[str, Any]) -> AsyncTask:
        return await self._client._start(self.spec, values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec.endpoint!r})"
