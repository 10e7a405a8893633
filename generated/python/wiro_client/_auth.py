"""Credentials, nonces and request signing, driven by the provider's :class:`AuthSpec`.

Secrets live in :class:`Secret` objects whose repr is masked; the raw value is revealed only
inside :meth:`Signer.headers`, so no repr, log line or error message of this package can
show it.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ._spec import AuthSpec, ProviderSpec

__all__ = [
    "DEFAULT_NONCES",
    "MonotonicNonces",
    "NonceSource",
    "Secret",
    "Signer",
    "sign",
]

NonceSource = Callable[[], str]
"""Returns a fresh nonce at each call: unique and increasing within the process."""


class Secret:
    """A credential that never shows itself in a repr or str."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def problem(self, *, header: bool) -> str | None:
        """Why this value cannot be a credential, in words that never show it: surrounding
        whitespace (a newline read from a file), a control character, and, for a value
        sent in a header (``header``), any character outside printable ASCII."""
        value = self._value
        if value != value.strip():
            return "starts or ends with whitespace (a newline read from a file?)"
        for position, char in enumerate(value):
            if char < " " or char == "\x7f":
                return f"holds a control character (at position {position})"
            if header and char > "~":
                return (
                    f"holds a character an HTTP header cannot carry (non-ASCII, at "
                    f"position {position})"
                )
        return None

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and hmac.compare_digest(
            self._value, other._value
        )

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickling would write the secret in clear; refuse rather than leak.
        raise TypeError("a Secret cannot be pickled")


class MonotonicNonces:
    """Nonces from the unix time in milliseconds, bumped so that no two are ever equal and
    each is larger than the one before, across every thread and asyncio task of the process.

    One lock, no awaits inside: asyncio tasks of one thread interleave only between calls.
    """

    def __init__(self, now_ms: Callable[[], int] | None = None) -> None:
        self._now_ms = now_ms or (lambda: time.time_ns() // 1_000_000)
        self._last = 0
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            self._last = max(self._last + 1, self._now_ms())
            return str(self._last)

    def __repr__(self) -> str:
        return "MonotonicNonces()"


DEFAULT_NONCES = MonotonicNonces()
"""Shared by every client of the process: two clients of one project never collide."""


@dataclass(frozen=True, slots=True)
class Signer:
    """Makes the auth headers of one request, freshly (new nonce) at each call."""

    scheme: AuthSpec
    api_key: Secret
    api_secret: Secret | None
    nonces: NonceSource

    @classmethod
    def choose(
        cls,
        provider: ProviderSpec,
        api_key: Secret,
        api_secret: Secret | None,
        nonces: NonceSource,
    ) -> Signer:
        """The provider's first scheme the credentials can satisfy: signing when there is a
        secret, the key alone otherwise."""
        for scheme in provider.auth:
            if scheme.kind == "hmac-nonce" and not api_secret:
                continue
            return cls(scheme, api_key, api_secret, nonces)
        raise ValueError(f"no auth scheme of {provider.name} fits these credentials")

    @property
    def name(self) -> str:
        return self.scheme.scheme

    def headers(self) -> dict[str, str]:
        """The headers of one request; call it right before sending, never earlier."""
        scheme = self.scheme
        key = self.api_key.reveal()
        if scheme.kind == "bearer":
            return {scheme.api_key_header or "authorization": f"Bearer {key}"}
        out = {scheme.api_key_header or "x-api-key": key}
        if scheme.kind == "hmac-nonce":
            nonce = self.nonces()
            out[scheme.nonce_header or "x-nonce"] = nonce
            out[scheme.signature_header or "x-signature"] = sign(
                scheme,
                api_key=key,
                api_secret=self.api_secret.reveal() if self.api_secret else "",
                nonce=nonce,
            )
        return out

    def scrub(self, text: str, also: Iterable[str] = ()) -> str:
        """``text`` with the credentials, and ``also``'s values (one request's signed
        headers), masked: for what a failure says of itself."""
        credentials = [self.api_key.reveal()]
        if self.api_secret:
            credentials.append(self.api_secret.reveal())
        for value in (*credentials, *(v for v in also if len(v) >= 8)):
            if value and value in text:
                text = text.replace(value, "***")
        return text

    def __repr__(self) -> str:
        return f"Signer(scheme={self.scheme.scheme!r})"


def sign(scheme: AuthSpec, *, api_key: str, api_secret: str, nonce: str) -> str:
    """The lowercase hex HMAC-SHA256 an ``hmac-nonce`` scheme asks for: keyed and composed
    as the provider spec says (Wiro: key = API key, message = API secret + nonce)."""
    parts = {"api_key": api_key, "api_secret": api_secret, "nonce": nonce}
    message = "".join(parts[p] for p in scheme.hmac_message)
    signing_key = parts[scheme.hmac_key or "api_key"]
    return hmac.new(signing_key.encode(), message.encode(), hashlib.sha256).hexdigest()
