"""Signing and nonces: Wiro's recipe, uniqueness across threads and tasks, fresh per send."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import pickle
import threading
from collections.abc import Callable

import pytest
from wiro_client._auth import MonotonicNonces, Secret, Signer, sign
from wiro_client._providers import PROVIDERS
from wiro_client.testing import FakeWiro, Fault

from tests.runtime.conftest import Api

WIRO = PROVIDERS["wiro"]


def test_signature_is_wiros_recipe() -> None:
    # The seeds' recipe: openssl dgst -sha256 -hmac "$KEY" over "${SECRET}${NONCE}".
    scheme = WIRO.auth[0]
    expected = hmac.new(b"my-key", b"my-secret1734513807", hashlib.sha256).hexdigest()
    assert sign(scheme, api_key="my-key", api_secret="my-secret", nonce="1734513807") == expected


def test_signer_makes_fresh_headers_each_time() -> None:
    nonces = MonotonicNonces(now_ms=lambda: 5)
    signer = Signer.choose(WIRO, Secret("key-1"), Secret("secret-1"), nonces)
    first, second = signer.headers(), signer.headers()
    assert first["x-api-key"] == "key-1"
    assert (first["x-nonce"], second["x-nonce"]) == ("5", "6")
    expected = sign(WIRO.auth[0], api_key="key-1", api_secret="secret-1", nonce="5")
    assert first["x-signature"] == expected
    assert signer.name == "signature" and "secret-1" not in repr(signer)


def test_key_only_sends_the_key_alone() -> None:
    signer = Signer.choose(WIRO, Secret("k"), None, MonotonicNonces())
    assert signer.name == "key" and signer.headers() == {"x-api-key": "k"}


def test_nonces_are_unique_and_increasing_across_threads() -> None:
    nonces = MonotonicNonces(now_ms=lambda: 1_000)  # a stuck clock: the counter must carry
    per_thread: list[list[int]] = []

    def take() -> None:
        per_thread.append([int(nonces()) for _ in range(500)])

    threads = [threading.Thread(target=take) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = list(itertools.chain.from_iterable(per_thread))
    assert len(set(everything)) == len(everything) == 8000
    assert all(seq == sorted(seq) for seq in per_thread)


def test_nonces_are_unique_across_asyncio_tasks() -> None:
    nonces = MonotonicNonces()

    async def take() -> list[str]:
        out = []
        for _ in range(100):
            out.append(nonces())
            await asyncio.sleep(0)
        return out

    async def main() -> list[list[str]]:
        return await asyncio.gather(*(take() for _ in range(50)))

    values = list(itertools.chain.from_iterable(asyncio.run(main())))
    assert len(set(values)) == len(values) == 5000


def test_nonces_follow_the_clock_when_it_moves() -> None:
    now = [10]
    nonces = MonotonicNonces(now_ms=lambda: now[0])
    assert [nonces(), nonces()] == ["10", "11"]
    now[0] = 500
    assert nonces() == "500"


def test_strictly_increasing_nonce_policy_holds_for_one_client(connect: Callable[..., Api]) -> None:
    with FakeWiro(nonce_policy="increasing") as fake:
        api = connect(fake)
        task = api.run()
        fake.fail("detail", Fault.http(503))
        api(task.wait())
        api(task.delete_files())
        assert all(r.rejected is None for r in fake.requests)
        nonces = [int(r.nonce or 0) for r in fake.requests]
        assert nonces == sorted(nonces) and len(set(nonces)) == len(nonces)


def test_a_replayed_nonce_is_refused(fake: FakeWiro, connect: Callable[..., Api]) -> None:
    api = connect(fake, nonces=lambda: "42")
    api.run()
    with pytest.raises(Exception) as caught:
        api.run()
    assert "not valid" in str(caught.value)
    assert fake.requests[-1].rejected == "Project authorization is not valid. (nonce reused)"


def test_nonce_is_made_at_send_time_after_the_wait(fake: FakeWiro, api: Api) -> None:
    clock_ms = []

    def stamped() -> str:
        clock_ms.append(fake.clock.now())
        return str(len(clock_ms))

    api.client._signer = type(api.client._signer)(
        api.client._signer.scheme,
        api.client._signer.api_key,
        api.client._signer.api_secret,
        stamped,
    )
    api.client._driver.signer = api.client._signer
    fake.fail("run", Fault.rate_limit(retry_after=9))
    api.run()
    assert clock_ms[1] - clock_ms[0] == pytest.approx(9.0)


def test_secrets_do_not_show_or_pickle() -> None:
    secret = Secret("hunter2")
    assert "hunter2" not in repr(secret) + str(secret) + f"{secret}"
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    assert secret == Secret("hunter2") and secret != Secret("other") and bool(secret)
