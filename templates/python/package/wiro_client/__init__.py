"""Typed client of the Wiro API: ``Wiro`` and ``AsyncWiro``.

```python
from wiro_client import Wiro

with Wiro() as client:  # WIRO_API_KEY, WIRO_API_SECRET
    task = client.models.wiro.instant_id.run(input_image_url="https://...")
    result = task.wait(timeout=600)
    result.outputs[0].download("out/")
```

Importing this package imports no model: ``client.models`` loads each on first use.
"""

# Every model's inputs are a pydantic model, and pydantic loads its model machinery (what the
# generated modules import: BaseModel, ConfigDict, Field; ~30 ms, once per process) on first
# use. It loads with the package, so reaching a model costs that model's own modules only.
from pydantic import BaseModel as _BaseModel  # noqa: F401
from pydantic import ConfigDict as _ConfigDict  # noqa: F401
from pydantic import Field as _Field  # noqa: F401

from . import errors
from ._clock import Clock, SystemClock
from ._client import AsyncTasks, AsyncWiro, BatchItem, Tasks, Wiro
from ._resource import FileInput
from ._task import (
    AsyncTask,
    AsyncTaskOutput,
    AsyncTaskResult,
    Task,
    TaskOutput,
    TaskPhase,
    TaskResult,
)
from .errors import WiroError

__all__ = [
    "AsyncTask",
    "AsyncTaskOutput",
    "AsyncTaskResult",
    "AsyncTasks",
    "AsyncWiro",
    "BatchItem",
    "Clock",
    "FileInput",
    "SystemClock",
    "Task",
    "TaskOutput",
    "TaskPhase",
    "TaskResult",
    "Tasks",
    "Wiro",
    "WiroError",
    "errors",
]
