"""What every ``wiro`` command shares: its state, the client it makes, common options."""

from __future__ import annotations

import difflib
import inspect
import os
from dataclasses import dataclass, field
from typing import Any

import click

from .._catalogue import ENDPOINTS, NAMES
from .._client import Wiro
from .._providers import PROVIDERS
from .._spec import ProviderSpec
from ._display import Screen
from ._exit import CliError, ExitCode

__all__ = ["JSON_OPTION", "State", "pass_state", "set_json", "unknown_model"]


@dataclass
class State:
    """What the running command knows, for its error report."""

    screen: Screen = field(default_factory=Screen)
    base_url: str | None = None
    max_retries: int | None = None
    debug: bool = False
    model: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    """Wire name of each input -> the option that sets it."""
    resume: list[str] | None = None
    """The command that picks up the task this command leaves running."""
    argv: list[str] = field(default_factory=list)
    starting: bool = False
    """A Run is on its way: interrupted now, its task may or may not exist."""

    def provider(self, name: str | None) -> ProviderSpec:
        """``name``, or the only provider the package has, or the client's default."""
        if name is None:
            if len(PROVIDERS) == 1:
                return next(iter(PROVIDERS.values()))
            name = inspect.signature(Wiro).parameters["provider"].default
        spec = PROVIDERS.get(str(name))
        if spec is None:
            known = ", ".join(sorted(PROVIDERS)) or "none"
            raise CliError(f"unknown provider {name!r} (known: {known})")
        return spec

    def client(self, provider: str | None = None) -> Wiro:
        spec = self.provider(provider)
        if spec.env_api_key and not os.environ.get(spec.env_api_key):
            secret = f" (and {spec.env_api_secret})" if spec.env_api_secret else ""
            raise CliError(
                f"no API key: set {spec.env_api_key}{secret} for {spec.title}",
                ExitCode.AUTH,
            )
        return Wiro(provider=spec.name, wait_timeout=None, **self.client_options())

    def client_options(self) -> dict[str, Any]:
        """What the global options set on a client (``Wiro`` or ``AsyncWiro``)."""
        options: dict[str, Any] = {"base_url": self.base_url}
        if self.max_retries is not None:
            options["max_retries"] = self.max_retries
        return options


pass_state = click.make_pass_decorator(State, ensure=True)

JSON_OPTION = click.option(
    "--json", "as_json", is_flag=True, help="Print one JSON document on stdout."
)


def set_json(state: State, as_json: bool) -> None:
    state.screen.as_json = state.screen.as_json or as_json


def unknown_model(name: str) -> str:
    close = difflib.get_close_matches(name, [*ENDPOINTS, *NAMES], n=3, cutoff=0.6)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    return f"no model {name!r} in this package{hint} ('wiro models list' shows them)"
