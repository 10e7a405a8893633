"""FakeWiro under a hostile client: a malformed, oversized or stalled request body is
answered or dropped, and holds none of its threads."""

from __future__ import annotations

import socket

from wiro_client.testing import FakeWiro

from tests.runtime.conftest import IMAGE

POST = b"POST /v1/Task/Detail HTTP/1.1\r\nhost: x\r\n"


def _ask(fake: FakeWiro, head: bytes, body: bytes = b"") -> bytes:
    """Everything the fake answers to one raw request, until it hangs up."""
    with socket.create_connection(("127.0.0.1", fake.port), timeout=5) as conn:
        conn.sendall(head + b"\r\n" + body)
        data = b""
        while chunk := conn.recv(65536):
            data += chunk
        return data


def test_a_content_length_that_is_not_a_number_is_answered_400() -> None:
    with FakeWiro() as fake:
        for value in (b"abc", b"-5", b"1e3", b" ", b"\xb2"):
            answer = _ask(fake, POST + b"content-length: " + value + b"\r\n")
            assert answer.startswith(b"HTTP/1.1 400"), value


def test_a_body_over_the_cap_is_refused_unread() -> None:
    with FakeWiro(max_request_bytes=1000) as fake:
        answer = _ask(fake, POST + b"content-length: 5000\r\n")
        assert answer.startswith(b"HTTP/1.1 413")


def test_a_body_that_never_comes_holds_no_thread() -> None:
    with FakeWiro(body_timeout=0.2) as fake:
        assert _ask(fake, POST + b"content-length: 100\r\n", b"{}") == b""  # hung up on
        with fake.client() as client:  # and it serves on
            assert client.run("wiro/instant-id", {"inputImageUrl": IMAGE}).id
