"""Base classes of the generated per-model clients and namespaces (placeholder: runtime pending)."""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any, ClassVar

from ._spec import ModelSpec

if TYPE_CHECKING:
    from ._client import AsyncWiro, Wiro
    from ._task import AsyncTask, Task

FileInput = str | os.PathLike[str] | bytes | IO[bytes]


class SyncNamespace:
    def __init__(self, client: Wiro) -> None:
        self._client = client


class AsyncNamespace:
    def __init__(self, client: AsyncWiro) -> None:
        self._client = client


class ModelResource:
    spec: ClassVar[ModelSpec]

    def __init__(self, client: Wiro) -> None:
        self._client = client

    def _run(self, values: dict[str, Any]) -> Task:
        raise NotImplementedError


class AsyncModelResource:
    spec: ClassVar[ModelSpec]

    def __init__(self, client: AsyncWiro) -> None:
        self._client = client

    async def _run(self, values: dict[str, Any]) -> AsyncTask:
        raise NotImplementedError
