"""Reading Tool/Detail from Wiro's API for ``wirogen import --api`` and ``wirogen sync``.

Where the API is, how to sign and which environment variables hold the credentials come from
the provider spec (``specs/providers/wiro.yaml``), as for the generated client; the request is
the official clients' (Wiro-MCP ``getModelSchema``, the Swift ``tool_detail.json`` fixture).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from .._paths import providers_dir
from ..ir import Provider
from ..load import SourceFile, read_sources
from ..normalize.provider import build_provider
from ..pipeline import load_document

__all__ = ["ApiError", "Credentials", "fetch_tool", "wiro_provider"]

TIMEOUT = 30.0
_last_nonce = 0


class ApiError(Exception):
    """The API could not be asked, or refused: a message for the command line."""


@dataclass(frozen=True)
class Credentials:
    base_url: str
    api_key: str
    api_secret: str | None

    @classmethod
    def of(cls, provider: Provider, environ: Mapping[str, str] | None = None) -> Credentials:
        env = os.environ if environ is None else environ
        key = env.get(provider.env_api_key or "") or ""
        if not key:
            raise ApiError(f"no API key: set {provider.env_api_key}")
        base = env.get(provider.env_base_url or "") or provider.base_url
        return cls(base.rstrip("/"), key, env.get(provider.env_api_secret or "") or None)


def wiro_provider(specs: str, name: str = "wiro") -> Provider:
    """The provider spec ``name`` of the ``specs`` folder (else the one wirogen ships)."""
    sources = read_sources(specs).providers or tuple(
        SourceFile(p.as_posix(), p.read_bytes(), f"specs/providers/{p.name}")
        for p in sorted(providers_dir().glob("*.yaml"))
    )
    for source in sources:
        if source.stable_name.rsplit("/", 1)[-1] == f"{name}.yaml":
            doc, problems = load_document(source, "provider")
            provider = None if doc is None else build_provider(doc)[0]
            if provider is not None:
                return provider
            raise ApiError(
                f"{source.path}: the provider spec is not valid ({len(problems)} problems)"
            )
    raise ApiError(f"{specs} has no provider spec {name}.yaml")


def fetch_tool(
    provider: Provider,
    credentials: Credentials,
    model: str,
    *,
    transport: httpx.BaseTransport | None = None,
) -> bytes:
    """Tool/Detail's answer for ``model`` (``owner/slug``), as the bytes Wiro sent."""
    owner, _, project = model.partition("/")
    if not owner or not project or "/" in project:
        raise ApiError(f"--api wants owner/slug, got {model!r}")
    endpoint = provider.endpoint("tool_detail")
    if endpoint is None:
        raise ApiError(f"{provider.title} has no tool_detail endpoint")
    url = f"{credentials.base_url}/{endpoint.path}"
    try:
        with httpx.Client(transport=transport, timeout=TIMEOUT) as http:
            answer = http.request(
                endpoint.method,
                url,
                json={"slugowner": owner, "slugproject": project},
                headers=_headers(provider, credentials),
            )
    except httpx.HTTPError as exc:
        raise ApiError(f"{url}: {type(exc).__name__}: {exc}") from None
    if answer.status_code != 200:
        raise ApiError(f"{url}: HTTP {answer.status_code}: {answer.text[:300]}")
    return answer.content


def _nonce() -> str:
    """Unix milliseconds, strictly increasing (Wiro refuses a nonce used before)."""
    global _last_nonce
    _last_nonce = max(time.time_ns() // 1_000_000, _last_nonce + 1)
    return str(_last_nonce)


def _headers(provider: Provider, credentials: Credentials) -> dict[str, str]:
    """Signed headers when there is a secret (the provider's hmac-nonce scheme), else the key."""
    for scheme in provider.auth:
        if scheme.kind == "hmac-nonce" and credentials.api_secret is not None:
            nonce = _nonce()
            parts = {
                "api_key": credentials.api_key,
                "api_secret": credentials.api_secret,
                "nonce": nonce,
            }
            key = parts[scheme.hmac_key or "api_key"].encode()
            message = "".join(parts[p] for p in scheme.hmac_message).encode()
            return {
                scheme.api_key_header or "x-api-key": credentials.api_key,
                scheme.nonce_header or "x-nonce": nonce,
                scheme.signature_header or "x-signature": hmac.new(
                    key, message, hashlib.sha256
                ).hexdigest(),
            }
    header = next((s.api_key_header for s in provider.auth if s.api_key_header), "x-api-key")
    return {header or "x-api-key": credentials.api_key}
