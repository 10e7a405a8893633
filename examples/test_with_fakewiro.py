"""Testing your own code against FakeWiro with pytest: no network, no bill, no waiting
(FakeWiro's clock is virtual: a 10-minute task ends as soon as the client polls).

pytest examples/test_with_fakewiro.py
"""

from collections.abc import Iterator

import pytest
from wiro_client import Wiro
from wiro_client.testing import FakeWiro, Outcome

PORTRAIT = "https://cdn.wiro.ai/uploads/sampleinputs/input-portrait-2.jpg"


def stylise(client: Wiro, image_url: str) -> str | None:
    """The code under test: the URL of the stylised portrait, or None when the model failed."""
    task = client.models.wiro.instant_id.run(input_image_url=image_url, prompt="an oil painting")
    result = task.wait(raise_on_failure=False)
    return result.outputs[0].url if result.succeeded else None


@pytest.fixture
def fake() -> Iterator[FakeWiro]:
    with FakeWiro() as server:
        yield server


def test_a_portrait_is_stylised(fake: FakeWiro) -> None:
    with fake.client() as client:
        url = stylise(client, PORTRAIT)
    assert url is not None and url.startswith(fake.root)
    (run,) = fake.requests_to("run")
    assert run.fields["prompt"] == "an oil painting"


def test_a_failed_task_gives_none(fake: FakeWiro) -> None:
    fake.script(Outcome.failure(pexit="1", duration=600.0))
    with fake.client() as client:
        assert stylise(client, PORTRAIT) is None
    assert fake.calls("run") == 1  # never run (and billed) twice
