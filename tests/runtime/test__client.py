"""Wiro and AsyncWiro end to end through FakeWiro: retries by call, the Run rule, options."""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator

import pytest
from wiro_client import AsyncWiro, Wiro, errors
from wiro_client.testing import FakeWiro, Fault, Outcome

from tests.conftest import GENERATED
from tests.runtime.conftest import IMAGE, Api

# --- retries of idempotent calls ----------------------------------------------------------


@pytest.mark.parametrize("status", [500, 502, 503, 408])
def test_detail_retries_server_errors(fake: FakeWiro, api: Api, status: int) -> None:
    task = api.run()
    fake.fail("detail", Fault.http(status), Fault.http(status))
    result = api(task.wait())
    assert result.succeeded
    assert [r.status for r in fake.requests_to("detail")][:3] == [status, status, 200]


@pytest.mark.parametrize("fault", [Fault.malformed(), Fault.truncated(), Fault.close()])
def test_detail_retries_unreadable_answers(fake: FakeWiro, api: Api, fault: Fault) -> None:
    task = api.run()
    fake.fail("detail", fault)
    assert api(task.wait()).succeeded


def test_retry_after_is_honoured(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.fail("detail", Fault.rate_limit(retry_after=7))
    api(task.wait())
    first, second = fake.requests_to("detail")[:2]
    assert first.status == 429
    assert second.at - first.at == pytest.approx(7.0)


def test_retry_after_is_capped(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.fail("detail", Fault.rate_limit(retry_after=3600))
    api(task.wait())
    first, second = fake.requests_to("detail")[:2]
    assert second.at - first.at == pytest.approx(60.0)


def test_backoff_grows_with_jitter_below_nominal(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.fail("detail", *[Fault.http(503)] * 4)
    api(task.wait())
    times = [r.at for r in fake.requests_to("detail")[:5]]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    nominal = [0.5, 1.0, 2.0, 4.0]
    assert all(n * 0.5 <= g <= n for g, n in zip(gaps, nominal, strict=True))
    assert gaps == sorted(gaps)


def test_max_retries_per_client(fake: FakeWiro, connect: Callable[..., Api]) -> None:
    api = connect(fake, max_retries=1)
    task = api.run()
    fake.fail("detail", Fault.http(503), Fault.http(503))
    with pytest.raises(errors.ServerError) as caught:
        api(task.refresh())
    assert caught.value.status_code == 503
    assert caught.value.task is task and caught.value.task_id == task.id
    assert fake.calls("detail") == 2


def test_max_retries_per_call(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.fail("detail", Fault.http(502))
    with pytest.raises(errors.ServerError):
        api(task.refresh(max_retries=0))
    assert api(task.refresh(max_retries=0)).status  # the next call is fine
    assert fake.calls("detail") == 2


def test_with_options_changes_retries_and_shares_connections(fake: FakeWiro, api: Api) -> None:
    strict = api.client.with_options(max_retries=0)
    assert strict._http is api.client._http
    fake.fail("list", Fault.http(500))
    with pytest.raises(errors.ServerError):
        api(strict.tasks.list())
    assert api(api.client.tasks.list()) == []
    with pytest.raises(TypeError):
        api.client.with_options(colour="blue")


# --- Run: sent again only when it never arrived --------------------------------------------


@pytest.mark.parametrize("fault", [Fault.http(500), Fault.http(503), Fault.http(408)])
def test_run_is_never_resent_after_a_server_error(fake: FakeWiro, api: Api, fault: Fault) -> None:
    fake.fail("run", fault)
    with pytest.raises(errors.RunOutcomeUnknownError) as caught:
        api.run()
    assert fake.calls("run") == 1
    assert caught.value.model == "wiro/instant-id"
    assert caught.value.parameters["inputImageUrl"] == IMAGE


def test_run_answer_dropped_after_creating_the_task_is_reconciled(fake: FakeWiro, api: Api) -> None:
    api.run(inputs={"inputImageUrl": IMAGE, "prompt": "someone else"})  # unrelated
    fake.fail("run", Fault.drop_answer())
    with pytest.raises(errors.RunOutcomeUnknownError) as caught:
        api.run(inputs={"inputImageUrl": IMAGE, "prompt": "mine"})
    assert fake.calls("run") == 2 and len(fake.tasks) == 2
    found = api(api.client.tasks.reconcile(caught.value))
    assert [t.id for t in found] == [max(fake.tasks)]
    assert api(found[0].wait()).succeeded


def test_run_connection_closed_before_creating_reconciles_to_nothing(
    fake: FakeWiro, api: Api
) -> None:
    fake.fail("run", Fault.close())
    with pytest.raises(errors.RunOutcomeUnknownError) as caught:
        api.run()
    assert fake.tasks == {}
    assert api(api.client.tasks.reconcile(caught.value)) == []


@pytest.mark.parametrize("fault", [Fault.malformed(), Fault.truncated()])
def test_run_with_unreadable_answer_is_unknown(fake: FakeWiro, api: Api, fault: Fault) -> None:
    fake.fail("run", fault)
    with pytest.raises(errors.RunOutcomeUnknownError):
        api.run()
    assert fake.calls("run") == 1 and len(fake.tasks) == 1


def test_run_read_timeout_is_unknown(fake: FakeWiro, connect: Callable[..., Api]) -> None:
    api = connect(fake, timeout=0.2)
    fake.fail("run", Fault.hang(1.0))
    with pytest.raises(errors.RunOutcomeUnknownError) as caught:
        api.run()
    assert "Timeout" in caught.value.reason
    assert fake.calls("run") == 1


def test_run_rate_limited_with_retry_after_is_sent_again(fake: FakeWiro, api: Api) -> None:
    fake.fail("run", Fault.rate_limit(retry_after=2))
    task = api.run()
    assert fake.calls("run") == 2 and list(fake.tasks) == [task.id]


def test_run_rate_limited_without_retry_after_is_not_resent(fake: FakeWiro, api: Api) -> None:
    fake.fail("run", Fault.rate_limit(retry_after=None))
    with pytest.raises(errors.RateLimitError):
        api.run()
    assert fake.calls("run") == 1 and fake.tasks == {}


def test_run_refused_connection_is_sent_again(fake: FakeWiro, api: Api) -> None:
    api.run()  # a pooled connection exists; the outage must close it too
    fake.outage(0.3)
    task = api.run()
    assert len(fake.tasks) == 2 and task.id in fake.tasks
    assert fake.calls("run") == 2  # the refused attempts never arrived


def test_nothing_listening_is_a_transport_error(connect: Callable[..., Api]) -> None:
    fake = FakeWiro()
    with fake:
        pass  # started and stopped: its port now refuses connections
    api = connect(fake, max_retries=1)
    with pytest.raises(errors.TransportError) as caught:
        api.run()
    assert not isinstance(caught.value, errors.RunOutcomeUnknownError)


def test_every_attempt_is_signed_afresh(fake: FakeWiro, api: Api) -> None:
    fake.fail("run", Fault.rate_limit(retry_after=1))
    task = api.run()
    fake.fail("detail", Fault.http(503))
    api(task.wait())
    nonces = [r.nonce for r in fake.requests]
    assert all(r.signed for r in fake.requests)
    assert len(set(nonces)) == len(nonces)
    assert all(r.rejected is None for r in fake.requests)


# --- Wiro's error codes become classes ---------------------------------------------------------


def test_insufficient_balance(fake: FakeWiro, api: Api) -> None:
    fake.balance = 0.2
    with pytest.raises(errors.InsufficientBalanceError) as caught:
        api.run()
    assert caught.value.code == 97 and fake.calls("run") == 1


def test_unknown_model_passes_unvalidated_and_wiro_says_not_found(fake: FakeWiro, api: Api) -> None:
    with pytest.raises(errors.NotFoundError) as caught:
        api.run("someone/unknown-model", {"prompt": "hi", "steps": 3})
    assert caught.value.code == 1
    assert fake.requests_to("run")[0].fields == {"prompt": "hi", "steps": "3"}


def test_unknown_task_is_not_found(fake: FakeWiro, api: Api) -> None:
    with pytest.raises(errors.NotFoundError) as caught:
        api(api.client.tasks.get("424242"))
    assert caught.value.task_id == "424242"


def test_wrong_secret_is_an_authentication_error(
    fake: FakeWiro, connect: Callable[..., Api]
) -> None:
    api = connect(fake, api_secret="not-the-secret")
    with pytest.raises(errors.AuthenticationError) as caught:
        api.run()
    assert caught.value.status_code == 401
    assert "not-the-secret" not in repr(caught.value) + str(caught.value)


def test_key_only_project_without_secret_needs_no_signature(connect: Callable[..., Api]) -> None:
    with FakeWiro(api_secret=None) as fake:
        api = connect(fake, api_secret="")
        assert api.client.auth_scheme == "key"
        assert api(api.run().wait()).succeeded
        assert not any(r.signed or r.nonce for r in fake.requests)


def test_signature_project_refuses_a_key_only_client(
    fake: FakeWiro, connect: Callable[..., Api]
) -> None:
    api = connect(fake, api_secret="")
    with pytest.raises(errors.AuthenticationError) as caught:
        api.run()
    assert "signature" in caught.value.message


# --- configuration -------------------------------------------------------------------------


def test_credentials_and_base_url_from_the_environment(
    fake: FakeWiro, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIRO_API_KEY", fake.api_key)
    monkeypatch.setenv("WIRO_API_SECRET", fake.api_secret or "")
    monkeypatch.setenv("WIRO_BASE_URL", fake.url)
    with Wiro(clock=fake.clock) as client:
        assert client.base_url == fake.url and client.auth_scheme == "signature"
        assert client.run("wiro/instant-id", {"inputImageUrl": IMAGE}).id in fake.tasks


def test_no_key_at_all_fails_at_construction(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WIRO_API_KEY", raising=False)
    with pytest.raises(errors.AuthenticationError, match="WIRO_API_KEY"):
        Wiro()


def test_reprs_hold_no_secret(fake: FakeWiro) -> None:
    with fake.client() as client:
        text = repr(client) + repr(client._signer) + repr(client._api_key) + str(client._api_secret)
    assert fake.api_key not in text and (fake.api_secret or "?") not in text


def test_async_client_context_manager(fake: FakeWiro) -> None:
    import asyncio

    async def main() -> bool:
        async with fake.async_client() as client:
            task = await client.run("wiro/instant-id", {"inputImageUrl": IMAGE})
            return (await task.wait()).succeeded

    assert asyncio.run(main())


def test_models_are_imported_lazily() -> None:
    code = textwrap.dedent(
        """
        import sys
        import wiro_client
        assert not [m for m in sys.modules if m.startswith(("wiro_client.resources", "wiro_client.types"))]
        assert "asyncio" not in sys.modules  # only AsyncWiro needs it
        client = wiro_client.Wiro(api_key="k", api_secret="s")
        client.models.wiro.instant_id
        loaded = sorted(m for m in sys.modules if m.startswith("wiro_client.resources."))
        assert loaded == ["wiro_client.resources.wiro", "wiro_client.resources.wiro.instant_id"], loaded
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=GENERATED / "python", timeout=60)


def test_event_hooks_pass_through(fake: FakeWiro) -> None:
    seen: list[str] = []
    with fake.client(event_hooks={"request": [lambda r: seen.append(r.url.path)]}) as client:
        client.run("wiro/instant-id", {"inputImageUrl": IMAGE})
    assert seen == ["/v1/Run/wiro/instant-id"]


def test_callback_url_and_project_id_on_every_run(fake: FakeWiro, api: Api) -> None:
    api.run(callback_url="https://hooks.example.com/a", project_id="77")
    hooked = api.client.with_options(callback_url="https://hooks.example.com/b", project_id="78")
    api(hooked.models.wiro.instant_id.run(input_image_url=IMAGE))
    first, second = (r.fields for r in fake.requests_to("run"))
    assert (first["callbackUrl"], first["projectid"]) == ("https://hooks.example.com/a", "77")
    assert (second["callbackUrl"], second["projectid"]) == ("https://hooks.example.com/b", "78")
    assert all(t.parameters.get("callbackUrl") is None for t in fake.tasks.values())


def test_escape_hatch_validates_known_models(fake: FakeWiro, api: Api) -> None:
    with pytest.raises(errors.InvalidInputError) as caught:
        api.run("wiro/instant-id", {"inputImageUrl": IMAGE, "steps": "many"})
    assert caught.value.input_name == "steps"
    assert fake.calls("run") == 0
    task = api.run("wiro/instant-id", {"input_image_url": IMAGE, "steps": "12"})
    assert fake.task(task.id).parameters["steps"] == "12"


def test_run_many_resubmits_on_the_concurrency_limit(connect: Callable[..., Api]) -> None:
    with FakeWiro(concurrency_limit=2, outcome=Outcome.success(20.0)) as fake:
        api = connect(fake)
        inputs = [{"inputImageUrl": IMAGE, "prompt": f"p{i}"} for i in range(6)]
        items = api(api.client.run_many("wiro/instant-id", inputs, concurrency=4))
        assert [i.index for i in items] == list(range(6))
        assert all(i.ok for i in items), [i.error for i in items]
        assert len(fake.tasks) == 6
        refused = [r for r in fake.requests_to("run") if r.code == 96]
        assert refused and fake.calls("run") == 6 + len(refused)
        assert sorted(i.task.id for i in items) == sorted(fake.tasks)


def test_run_many_reports_per_input_errors(fake: FakeWiro, api: Api) -> None:
    fake.script(Outcome.success(), Outcome.failure(), Outcome.success())
    items = api(
        api.client.run_many(
            "wiro/instant-id",
            [{"inputImageUrl": IMAGE}, {"inputImageUrl": IMAGE}, {"steps": "x"}],
            concurrency=1,
        )
    )
    assert items[0].ok
    assert not items[1].ok and items[1].result is not None and items[1].result.failed
    assert isinstance(items[2].error, errors.InvalidInputError) and items[2].task is None


def test_clients_are_sync_and_async() -> None:
    assert not hasattr(Wiro, "__aenter__") and hasattr(AsyncWiro, "__aenter__")


# --- callbacks ---------------------------------------------------------------------------------


class Receiver:
    """A callbackUrl endpoint: records each POST; fails the first ``failures`` of them."""

    def __init__(self, failures: int = 0) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        self.bodies: list[bytes] = []
        self.failures = failures
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.bodies.append(body)
                failing = receiver.failures > 0
                receiver.failures -= 1
                self.send_response(500 if failing else 200)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(failures=1)
    yield r
    r.close()


def test_callback_is_retried_deduplicated_and_trusted_only_after_detail(
    connect: Callable[..., Api], receiver: Receiver
) -> None:
    with FakeWiro(callback_duplicates=1) as fake:
        api = connect(fake)
        task = api.run(callback_url=receiver.url)
        fake.clock.advance(30.0)  # type: ignore[attr-defined]
        attempts = fake.wait_for_callbacks(3)
        assert [(a.attempt, a.status) for a in attempts] == [(1, 500), (2, 200), (1, 200)]
        handles = [api(api.client.tasks.from_callback(body)) for body in receiver.bodies]
        assert {h.id for h in handles} == {task.id}
        assert fake.calls("detail") == len(handles)  # each one re-read Task/Detail
        before = fake.calls("detail")
        result = api(handles[0].wait())  # final already: no further poll
        assert result.succeeded and fake.calls("detail") == before


def test_a_forged_callback_is_not_believed(fake: FakeWiro, api: Api) -> None:
    import json

    fake.script(Outcome.success(100.0))
    task = api.run()
    forged = {"id": task.id, "status": "task_postprocess_end", "pexit": "0", "outputs": []}
    handle = api(api.client.tasks.from_callback(json.dumps(forged)))
    assert handle.last.status != "task_postprocess_end" and not handle.last.is_final
    with pytest.raises(ValueError):
        api(api.client.tasks.from_callback(b"not json"))
