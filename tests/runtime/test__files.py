"""Where a download is saved: a safe name derived from whatever the server called it."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wiro_client._files import safe_name


@given(st.text(max_size=400), st.booleans(), st.integers(min_value=8, max_value=255))
def test_a_safe_name_is_one_plain_name_within_the_limit(
    name: str, windows: bool, limit: int
) -> None:
    safe = safe_name(name, limit=limit, windows=windows)
    assert len(safe.encode()) <= limit
    assert "/" not in safe and "\\" not in safe and "\x00" not in safe
    assert safe not in (".", "..") and not safe.startswith((".", " "))
    assert all(unicodedata.category(c)[0] != "C" for c in safe)
    if windows:
        assert not any(c in safe for c in '<>:"|?*') and not safe.endswith((" ", "."))


@pytest.mark.parametrize(
    ("name", "windows", "safe"),
    [
        ("0.png", False, "0.png"),
        ("../../x.png", False, "x.png"),
        ("a\\b\\c.png", False, "c.png"),
        ("..", False, ""),
        ("CON.png", True, "_CON.png"),
        ("con.png", False, "con.png"),
        ("what?.png", True, "what_.png"),
        ("trailing. ", True, "trailing"),
        ("x" * 300 + ".tar.gz", False, "x" * 197 + ".gz"),  # the last extension kept
    ],
)
def test_safe_names(name: str, windows: bool, safe: str) -> None:
    assert safe_name(name, windows=windows) == safe
