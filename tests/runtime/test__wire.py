"""How answers become values or errors: the code decides, then the HTTP status; and how
hostile bytes are read (never past a limit, never raising but as documented)."""

from __future__ import annotations

import gzip
import json
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wiro_client import errors
from wiro_client._providers import PROVIDERS
from wiro_client._wire import (
    Answer,
    ApiRequest,
    BodyDecoder,
    BodyTooLarge,
    Exchange,
    Fatal,
    Retry,
    Undecodable,
    judge,
    parse_retry_after,
    read_json,
)
from wiro_client.testing import FakeWiro, Fault

from tests.runtime.conftest import Api

WIRO = PROVIDERS["wiro"]
DETAIL = ApiRequest("detail", "POST", "Task/Detail", {"taskid": "1"})
RUN = ApiRequest("run", "POST", "Run/wiro/instant-id", {})


def answer(status: int, code: int | None = None, message: str = "", **headers: str) -> Exchange:
    body = (
        {"result": True}
        if code is None
        else {"result": False, "errors": [{"code": code, "message": message}]}
    )
    return Exchange(status=status, headers=headers, body=json.dumps(body).encode())


@pytest.mark.parametrize(
    ("status", "code", "message", "error"),
    [
        (200, 0, "Request parameter [steps] must be integer or float", errors.InvalidInputError),
        (200, 0, "Request files [inputImage] required", errors.InvalidInputError),
        (200, 0, "Something broke", errors.ServerError),
        (200, 1, "There is no task yet.", errors.NotFoundError),
        (200, 96, "You have reached your concurrent task limit...", errors.ConcurrencyLimitError),
        (200, 97, "Insufficient balance", errors.InsufficientBalanceError),
        (200, 98, "Sign in required", errors.SignInRequiredError),
        (200, 99, "Bearer token invalid", errors.TokenInvalidError),
        (401, 99, "Bearer token invalid", errors.TokenInvalidError),
        (401, 0, "Project authorization is not valid.", errors.AuthenticationError),
        (403, None, "", errors.AuthenticationError),
        (404, 0, "Error parsing url.", errors.NotFoundError),
    ],
)
def test_the_code_decides_then_the_http_status(
    status: int, code: int | None, message: str, error: type[errors.WiroError]
) -> None:
    exchange = (
        answer(status, code, message) if code is not None else Exchange(status=status, body=b"")
    )
    verdict = judge(WIRO, DETAIL, exchange)
    assert isinstance(verdict, Fatal) and type(verdict.error) is error
    assert verdict.error.code == code and verdict.error.status_code == status


def test_invalid_input_names_the_input() -> None:
    verdict = judge(WIRO, RUN, answer(200, 0, "Request parameter [steps] must be integer or float"))
    assert isinstance(verdict, Fatal) and isinstance(verdict.error, errors.InvalidInputError)
    assert verdict.error.input_name == "steps"


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504, 599])
def test_idempotent_calls_retry(status: int) -> None:
    assert isinstance(judge(WIRO, DETAIL, Exchange(status=status)), Retry)


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
def test_a_run_that_may_have_arrived_is_unknown(status: int) -> None:
    verdict = judge(WIRO, RUN, Exchange(status=status))
    assert isinstance(verdict, Fatal) and isinstance(verdict.error, errors.RunOutcomeUnknownError)


def test_network_failures_by_call_kind() -> None:
    never_sent = Exchange(failure="connect", reached=False, detail="refused")
    maybe_sent = Exchange(failure="timeout", detail="ReadTimeout")
    assert isinstance(judge(WIRO, RUN, never_sent), Retry)
    assert isinstance(judge(WIRO, DETAIL, maybe_sent), Retry)
    unknown = judge(WIRO, RUN, maybe_sent)
    assert isinstance(unknown, Fatal) and isinstance(unknown.error, errors.RunOutcomeUnknownError)
    local = judge(WIRO, DETAIL, Exchange(failure="local", reached=False, detail="gone"))
    assert isinstance(local, Fatal) and isinstance(local.error, errors.TransportError)


def test_unreadable_bodies() -> None:
    garbage = Exchange(status=200, body=b"<html>")
    assert isinstance(judge(WIRO, DETAIL, garbage), Retry)
    assert isinstance(judge(WIRO, RUN, garbage).error, errors.RunOutcomeUnknownError)  # type: ignore[union-attr]
    assert isinstance(judge(WIRO, DETAIL, answer(200)), Answer)


def test_rate_limit_on_run_needs_retry_after() -> None:
    assert isinstance(judge(WIRO, RUN, Exchange(status=429, headers={"retry-after": "3"})), Retry)
    refused = judge(WIRO, RUN, Exchange(status=429))
    assert isinstance(refused, Fatal) and isinstance(refused.error, errors.RateLimitError)


def test_retry_after_formats() -> None:
    assert parse_retry_after("7") == 7.0 and parse_retry_after("") is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past


def test_http_401_with_code_99_end_to_end(fake: FakeWiro, api: Api) -> None:
    task = api.run()
    fake.fail("detail", Fault.error(99, "Bearer token invalid", status=401))
    with pytest.raises(errors.TokenInvalidError) as caught:
        api(task.refresh())
    assert (caught.value.status_code, caught.value.code) == (401, 99)
    assert isinstance(caught.value, errors.AuthenticationError) and caught.value.task is task
    assert '"code": 99' in (caught.value.body or "")


def test_sign_in_required_end_to_end(fake: FakeWiro, api: Api) -> None:
    fake.fail("run", Fault.error(98, "Sign in required"))
    with pytest.raises(errors.SignInRequiredError):
        api.run()
    assert fake.calls("run") == 1


# --- hostile bytes ----------------------------------------------------------------------------


@given(st.binary(max_size=300))
def test_read_json_never_raises(body: bytes) -> None:
    read_json(body)
    read_json(b"[" * 100_000 + body)


@given(st.text(max_size=60))
def test_a_retry_after_of_any_text_is_seconds_or_none(value: str) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or 0.0 <= seconds < float("inf")


def _decode(encoding: str | None, body: bytes, limit: int, chunk: int = 7) -> bytes:
    decoder = BodyDecoder(encoding, limit)
    out = b"".join(decoder.feed(body[i : i + chunk]) for i in range(0, len(body), chunk))
    decoder.end()
    return out


@given(st.binary(max_size=2000), st.sampled_from(["gzip", "deflate", "raw", None]))
def test_a_compressed_body_decodes_to_what_was_compressed(data: bytes, how: str | None) -> None:
    packed = {
        "gzip": lambda: gzip.compress(data),
        "deflate": lambda: zlib.compress(data),
        "raw": lambda: zlib.compress(data)[2:-4],
        None: lambda: data,
    }[how]()
    encoding = "deflate" if how == "raw" else how
    assert _decode(encoding, packed, limit=len(data)) == data
    if data:
        with pytest.raises(BodyTooLarge):
            _decode(encoding, packed, limit=len(data) - 1)


@given(st.binary(max_size=400), st.sampled_from(["gzip", "deflate"]), st.integers(0, 300))
def test_hostile_compressed_bytes_never_grow_past_the_limit(
    body: bytes, encoding: str, limit: int
) -> None:
    decoder = BodyDecoder(encoding, limit)
    total = 0
    try:
        for i in range(0, len(body), 13):
            total += len(decoder.feed(body[i : i + 13]))
            assert total <= limit
        decoder.end()
    except (BodyTooLarge, Undecodable):
        pass


def test_a_bomb_is_inflated_a_limit_at_a_time() -> None:
    bomb = gzip.compress(bytes(50 << 20))  # 50 MiB of zeros in ~50 KB
    decoder = BodyDecoder("gzip", 1000)
    with pytest.raises(BodyTooLarge):
        decoder.feed(bomb)
    assert decoder.size <= 1001


def test_an_encoding_not_asked_for_is_refused() -> None:
    for encoding in ("br", "zstd", "gzip, gzip", "compress"):
        with pytest.raises(Undecodable):
            BodyDecoder(encoding, 100)
    assert _decode("identity", b"abc", 3) == b"abc"
    assert _decode("gzip", b"", 3) == b""  # an empty body is empty, whatever it claims
