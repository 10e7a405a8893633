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
from ._auth import NonceSource, Secret
from ._client import (
    AsyncTasks,
    AsyncTools,
    AsyncWiro,
    BatchItem,
    FileMode,
    Tasks,
    Tools,
    Wiro,
)
from ._clock import Clock, SystemClock
from ._journal import JournalEntry, JournalStore, SqliteJournal
from ._lifecycle import Policy
from ._protocol import OutputRecord, TaskRef
from ._resource import FileInput
from ._spec import AuthSpec, EndpointSpec, InputSpec, ModelSpec, ProviderSpec
from ._task import (
    AsyncTask,
    AsyncTaskClient,
    AsyncTaskOutput,
    AsyncTaskResult,
    AsyncTextStream,
    Task,
    TaskClient,
    TaskOutput,
    TaskPhase,
    TaskResult,
    TextStream,
)
from ._tools import Tool, ToolOption, ToolPage, ToolParameter
from ._transport import Timeouts
from ._version import __version__
from .errors import WiroError

__all__ = [
    "AsyncTask",
    "AsyncTaskClient",
    "AsyncTaskOutput",
    "AsyncTaskResult",
    "AsyncTasks",
    "AsyncTextStream",
    "AsyncTools",
    "AsyncWiro",
    "AuthSpec",
    "BatchItem",
    "Clock",
    "EndpointSpec",
    "FileInput",
    "FileMode",
    "InputSpec",
    "JournalEntry",
    "JournalStore",
    "ModelSpec",
    "NonceSource",
    "OutputRecord",
    "Policy",
    "ProviderSpec",
    "Secret",
    "SqliteJournal",
    "SystemClock",
    "Task",
    "TaskClient",
    "TaskOutput",
    "TaskPhase",
    "TaskRef",
    "TaskResult",
    "Tasks",
    "TextStream",
    "Timeouts",
    "Tool",
    "ToolOption",
    "ToolPage",
    "ToolParameter",
    "Tools",
    "Wiro",
    "WiroError",
    "__version__",
    "errors",
]
