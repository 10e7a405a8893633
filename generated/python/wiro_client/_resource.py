"""Base classes of the generated per-model clients and of the ``client.models`` namespaces.

A generated ``run()`` passes every input by its wire name, exactly as the caller gave it
(None: left out); the client validates, lays out and sends it.
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ._spec import ModelSpec

if TYPE_CHECKING:
    from ._client import AsyncWiro, Wiro
    from ._task import AsyncTask, Task

__all__ = [
    "AsyncModelResource",
    "AsyncNamespace",
    "FileInput",
    "ModelResource",
    "SyncNamespace",
]

FileInput = str | os.PathLike[str] | bytes | IO[bytes]
"""A file input: a URL (``http(s)://...``), a local path, bytes, or a binary file object."""


class SyncNamespace:
    """A level of ``client.models`` (its attributes are cached properties)."""

    def __init__(self, client: Wiro) -> None:
        self._client = client


class AsyncNamespace:
    """A level of ``client.models`` of :class:`AsyncWiro`."""

    def __init__(self, client: AsyncWiro) -> None:
        self._client = client


class ModelResource:
    """One model's typed client; its generated ``run()`` calls :meth:`_run`."""

    spec: ClassVar[ModelSpec]

    def __init__(self, client: Wiro) -> None:
        self._client = client

    def _run(self, values: dict[str, Any]) -> Task:
        return self._client._start(self.spec, values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec.endpoint!r})"


class AsyncModelResource:
    """One model's typed client for :class:`AsyncWiro`."""

    spec: ClassVar[ModelSpec]

    def __init__(self, client: AsyncWiro) -> None:
        self._client = client

    async def _run(self, values: dict[str, Any]) -> AsyncTask:
        return await self._client._start(self.spec, values)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.spec.endpoint!r})"
