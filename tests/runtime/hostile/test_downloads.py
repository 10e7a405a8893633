"""Defects 4 (downloads), 6, 7 and 9, and what held: a download never writes past what Wiro
reported nor past its limits, decodes a compressing CDN's answer right, saves a hostile name
under a safe one inside its folder, tells the disk's failures from the network's, leaves
nothing behind, and never carries a credential to the file's host."""

from __future__ import annotations

import functools
import gzip
import logging
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from wiro_client import Policy, errors

from tests.runtime.hostile.conftest import Hostile
from tests.runtime.hostile.server import (
    CLOSE,
    HostileServer,
    Request,
    Script,
    Step,
    detail,
    head,
    http,
    output,
    record,
)

FILE = bytes(range(256)) * 20
"""5,120 bytes of an output."""


def _output(
    api: Hostile,
    serve: Callable[[Request], Iterator[Step] | list[Step]],
    *,
    size: int | None = len(FILE),
    name: str = "0.png",
    url: str | None = None,
    **options: Any,
) -> Any:
    """The output of a finished task (read through Task/Detail), its file served by
    ``serve`` at ``/files/...``."""
    url = f"{api.server.root}/files/0.png" if url is None else url
    api.server.answer = Script(
        {"detail": [detail(record(outputs=[output(url, name=name, size=size)]))], "*": [serve]}
    )
    return api(api.task().refresh()).outputs[0]


def _parts(folder: Path) -> list[int]:
    return [p.stat().st_size for p in folder.glob(".wiro-*.part")]


def _watching(folder: Path, body: bytes, seen: list[int], chunk: int = 1 << 16) -> Any:
    """Serve ``body`` in chunks, noting the size of the client's partial file before each."""

    def serve(request: Request) -> Iterator[Step]:
        yield head(200, {"content-type": "image/png", "content-length": str(len(body))})
        for start in range(0, len(body), chunk):
            seen.extend(_parts(folder))
            yield body[start : start + chunk]
        seen.extend(_parts(folder))

    return serve


# --- 6. downloads are unbounded -----------------------------------------------------------


def test_an_output_served_larger_than_reported_is_never_written_past_it(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    seen: list[int] = []
    api = hostile(lambda r: [])
    out = _output(api, _watching(tmp_path, b"\xaa" * (10 << 20), seen), size=10)
    error = api.fails(lambda: out.download(tmp_path), errors.OutputTooLargeError)
    assert error.limit == 10 and "nothing was kept" in str(error)
    assert api.server.count("/files/0.png") == 1  # not retried: the host lies
    assert max(seen, default=0) <= 10
    assert list(tmp_path.iterdir()) == []


@functools.cache
def _bomb(decoded: int) -> bytes:
    """A gzip body of ``decoded`` zero bytes (about a thousandth of that on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1 << 20)
    return b"".join(packer.compress(block) for _ in range(decoded >> 20)) + packer.flush()


@pytest.mark.parametrize("reported", [1000, None])
def test_a_gzip_bomb_stops_early(
    hostile: Callable[..., Hostile], tmp_path: Path, reported: int | None
) -> None:
    bomb = _bomb(64 << 20)
    seen: list[int] = []

    def serve(request: Request) -> Iterator[Step]:
        yield head(200, {"content-encoding": "gzip", "content-length": str(len(bomb))})
        for start in range(0, len(bomb), 4096):
            seen.extend(_parts(tmp_path))
            yield bomb[start : start + 4096]

    api = hostile(lambda r: [])
    out = _output(api, serve, size=reported)
    api.fails(lambda: out.download(tmp_path), errors.OutputTooLargeError)
    # Reported: never past it. Unreported: never past a hundredfold its wire bytes (after
    # the first MiB) -- 64 MiB would have decoded from these ~64 KB.
    bound = reported if reported is not None else (1 << 20) + 100 * len(bomb)
    assert max(seen, default=0) <= bound < 64 << 20
    assert list(tmp_path.iterdir()) == []


def test_an_endless_body_of_unreported_size_stops_at_the_limit(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    def endless(request: Request) -> Iterator[Step]:
        yield head(200, {"content-type": "image/png", "connection": "close"})
        for _ in range(10_000):
            yield bytes(1 << 16)

    api = hostile(lambda r: [], policy=Policy(max_download_bytes=1 << 20))
    out = _output(api, endless, size=None)
    error = api.fails(lambda: out.download(tmp_path), errors.OutputTooLargeError)
    assert error.limit == 1 << 20 and api.server.count("/files/0.png") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_reported_size_over_the_limit_is_refused_before_any_download(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    api = hostile(lambda r: [], policy=Policy(max_download_bytes=1000))
    out = _output(api, lambda r: [http(200, FILE)], size=len(FILE))
    error = api.fails(lambda: out.download(tmp_path), errors.OutputTooLargeError)
    assert "Policy.max_download_bytes" in str(error)
    assert api.server.count("/files/0.png") == 0 and list(tmp_path.iterdir()) == []


def test_a_body_shorter_than_reported_is_retried_then_fails(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    api = hostile(lambda r: [])
    out = _output(api, lambda r: [http(200, FILE[:100])])
    error = api.fails(lambda: out.download(tmp_path), errors.TransportError)
    assert "truncated" in str(error) and api.server.count("/files/0.png") == 3
    assert list(tmp_path.iterdir()) == []


# --- 7. correct gzip downloads ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", lambda b: gzip.compress(b, mtime=0)),
        ("deflate", zlib.compress),
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send
    ],
    ids=["gzip", "zlib", "raw-deflate"],
)
def test_a_compressing_cdn_is_read_right(
    hostile: Callable[..., Hostile],
    tmp_path: Path,
    encoding: str,
    encode: Callable[[bytes], bytes],
) -> None:
    packed = encode(FILE)
    api = hostile(lambda r: [])
    out = _output(api, lambda r: [http(200, packed, {"content-encoding": encoding})])
    path = api(out.download(tmp_path))
    assert path.read_bytes() == FILE and api.server.count("/files/0.png") == 1
    assert api.server.to("/files/0.png")[0].headers["accept-encoding"] == "gzip, deflate"


def test_a_gzip_body_cut_short_is_retried(hostile: Callable[..., Hostile], tmp_path: Path) -> None:
    packed = gzip.compress(FILE, mtime=0)
    api = hostile(lambda r: [])
    answers = [http(200, packed[:-20], {"content-encoding": "gzip"}), http(200, FILE)]
    out = _output(api, lambda r: [answers.pop(0)])
    assert api(out.download(tmp_path)).read_bytes() == FILE
    assert api.server.count("/files/0.png") == 2


# --- 4 and 9: names, disks, redirects -------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "saved"),
    [
        ("..", "0.png"),
        (".", "0.png"),
        ("", "0.png"),
        ("../../escape.png", "escape.png"),
        ("/etc/passwd", "passwd"),
        ("..\\..\\windows.png", "windows.png"),
        ("sub/dir/", "0.png"),
        ("nul\x00byte.png", "nulbyte.png"),
        ("line\nbreak\r.png", "linebreak.png"),
        ("\u202egnp.exe", "gnp.exe"),  # right-to-left override: no spoofed extension
        (".bashrc", "bashrc"),
        ("  spaced.png  ", "spaced.png"),
        ("x" * 300 + ".png", "x" * 196 + ".png"),
        ("é" * 200 + ".png", "é" * 98 + ".png"),
    ],
)
def test_a_hostile_name_is_saved_under_a_safe_one_inside_the_folder(
    hostile: Callable[..., Hostile], tmp_path: Path, name: str, saved: str
) -> None:
    folder = tmp_path / "downloads"
    folder.mkdir()
    api = hostile(lambda r: [])
    out = _output(api, lambda r: [http(200, FILE)], name=name)
    path = api(out.download(folder))
    assert path == folder / saved and path.read_bytes() == FILE
    assert [p.name for p in folder.iterdir()] == [saved]  # nothing else, no .part
    assert [p.name for p in tmp_path.iterdir()] == ["downloads"]  # nothing outside


def test_a_name_from_the_url_when_the_output_has_none(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    api = hostile(lambda r: [])
    url = f"{api.server.root}/files/..%2F..%2Fx/../?a=b"
    out = _output(api, lambda r: [http(200, FILE)], name="..", url=url)
    path = api(out.download(tmp_path))
    assert path.parent == tmp_path and path.read_bytes() == FILE


def test_a_folder_that_cannot_be_made_fails_before_any_download(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    (tmp_path / "file").write_text("a file, not a folder")
    api = hostile(lambda r: [])
    out = _output(api, lambda r: [http(200, FILE)])
    folder = f"{tmp_path / 'file' / 'sub'}/"
    error = api.fails(lambda: out.download(folder), errors.LocalFileError)
    assert error.path == str(tmp_path / "file" / "sub")
    assert api.server.count("/files/0.png") == 0


def test_a_name_taken_by_a_folder_is_a_local_error_leaving_nothing(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    (tmp_path / "0.png").mkdir()
    (tmp_path / "0.png" / "keep").write_text("mine")
    api = hostile(lambda r: [])
    out = _output(api, lambda r: [http(200, FILE)])
    error = api.fails(lambda: out.download(tmp_path), errors.LocalFileError)
    assert error.path == str(tmp_path / "0.png") and api.server.count("/files/0.png") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.png"]  # no .part left
    assert (tmp_path / "0.png" / "keep").read_text() == "mine"


def test_a_cleanup_failure_never_replaces_the_real_error(
    hostile: Callable[..., Hostile], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def sabotage(request: Request) -> Iterator[Step]:
        # Mid-download, the partial file is swapped for a folder (that cannot be unlinked);
        # then the connection drops.
        yield head(200, {"content-type": "image/png", "content-length": str(len(FILE))})
        yield FILE[:100]
        for _ in range(500):  # until the client made its partial file
            parts = list(tmp_path.glob(".wiro-*.part"))
            if parts:
                parts[0].unlink()
                parts[0].mkdir()
                break
            time.sleep(0.01)
        yield CLOSE

    api = hostile(lambda r: [])
    out = _output(api, sabotage)
    with caplog.at_level(logging.WARNING, logger="wiro_client"):
        error = api.fails(lambda: out.download(tmp_path, max_retries=0))
    assert type(error) is errors.TransportError  # the download's own failure
    assert any("could not remove" in r.getMessage() for r in caplog.records)


def test_redirect_loops_are_a_transport_error_not_retried(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    api = hostile(lambda r: [])
    loop = f"{api.server.root}/files/0.png"
    out = _output(api, lambda r: [http(302, b"", {"location": loop})])
    api.fails(lambda: out.download(tmp_path), errors.TransportError)
    assert api.server.count("/files/0.png") == 21  # httpx's 20 redirects, once
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://x/y", "http://[::1", ""])
def test_a_url_this_client_cannot_fetch_is_not_retried(
    hostile: Callable[..., Hostile], tmp_path: Path, url: str
) -> None:
    api = hostile(lambda r: [])
    out = _output(api, lambda r: [http(200, FILE)], url=url)
    api.fails(lambda: out.download(tmp_path / "x.png"), errors.TransportError)
    assert list(tmp_path.iterdir()) == []


# --- what held: no credential reaches a file host ----------------------------------------------


def test_no_credential_reaches_a_file_host_even_through_a_redirect(
    hostile: Callable[..., Hostile], tmp_path: Path
) -> None:
    with HostileServer(lambda r: [http(200, FILE)]) as cdn:
        api = hostile(lambda r: [])
        moved = {"location": f"{cdn.root}/real/0.png"}
        out = _output(api, lambda r: [http(302, b"", moved)])
        assert api(out.download(tmp_path)).read_bytes() == FILE
        for request in [*cdn.requests, *api.server.to("/files/0.png")]:
            assert not {"x-api-key", "x-nonce", "x-signature", "authorization"} & set(
                request.headers
            )
        assert len(cdn.requests) == 1
