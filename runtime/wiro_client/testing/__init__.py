"""A faithful local Wiro for tests: :class:`FakeWiro`, and clocks that make time cheap.

```python
from wiro_client.testing import FakeWiro, Outcome

with FakeWiro() as fake, fake.client() as client:
    fake.script(Outcome.failure(pexit="1"))
    task = client.run("wiro/instant-id", {"inputImageUrl": "https://x/face.png"})
    result = task.wait(raise_on_failure=False)
    assert result.failed and fake.calls("run") == 1
```

``python -m wiro_client.testing serve`` serves one standalone; ``... demo`` runs a task through
it; alone, it says what it can do.
"""

from ._clock import ScaledClock, VirtualClock
from ._fake import CallbackAttempt, FakeTask, FakeWiro, NoncePolicy, RecordedRequest
from ._scripts import Fault, Outcome, SocketFault, png
from ._sockets import SocketSession

__all__ = [
    "CallbackAttempt",
    "FakeTask",
    "FakeWiro",
    "Fault",
    "NoncePolicy",
    "Outcome",
    "RecordedRequest",
    "ScaledClock",
    "SocketFault",
    "SocketSession",
    "VirtualClock",
    "png",
]
