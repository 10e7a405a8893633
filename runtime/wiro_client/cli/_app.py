"""The ``wiro`` commands: ``run``, ``models``, ``tasks`` and ``batch``.

Configured like the client: the provider's environment variables (``WIRO_API_KEY``,
``WIRO_API_SECRET``, ``WIRO_BASE_URL`` for Wiro) or ``--base-url``. ``wiro run OWNER/SLUG``
has one option per input of that model, made from its SPEC (:mod:`._options`); every
provider the specs hold is served the same way: a model's spec names its provider.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import click

from .. import errors
from .._catalogue import ENDPOINTS, NAMES, model_spec
from .._client import Wiro
from .._providers import PROVIDERS
from .._spec import ModelSpec
from .._task import Task, TaskResult
from ._batch import batch
from ._common import JSON_OPTION, State, pass_state, set_json, unknown_model
from ._display import Watch, money, result_json, seconds, verdict
from ._exit import CliError, ExitCode
from ._options import InputOption, example_command, input_options, inputs_from

__all__ = ["State", "cli"]


class _Wiro(click.Group):
    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        variables = []
        for spec in PROVIDERS.values():
            names = [spec.env_api_key, spec.env_api_secret, spec.env_base_url]
            variables += [n for n in names if n]
        with formatter.section("Configuration (environment)"):
            formatter.write_text(", ".join(variables) or "none")
        with formatter.section("Exit codes"):
            formatter.write_dl([(str(int(code)), code.meaning) for code in ExitCode])


@click.group(cls=_Wiro, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--base-url",
    metavar="URL",
    help="API base URL (default: the provider's variable, else its own URL).",
)
@click.option(
    "--max-retries",
    type=click.IntRange(0, 100),
    metavar="N",
    help="Retries of a call that may be retried (default 4; a Run only if never sent).",
)
@click.option("--debug", is_flag=True, help="Log every request; tracebacks on errors.")
@pass_state
def cli(
    state: State, base_url: str | None, max_retries: int | None, debug: bool
) -> None:
    """Run any model of this package from a terminal, follow tasks, run batches.

    \b
      wiro run wiro/instant-id --input-image-url ./me.jpg --prompt "a painting"
      wiro models list --search image
      wiro batch prompts.jsonl --model wiro/instant-id --out out/
    """
    state.base_url = base_url or state.base_url
    state.max_retries = max_retries
    state.debug = state.debug or debug


# --- run ----------------------------------------------------------------------------------
class _Models(click.Group):
    """``wiro run OWNER/SLUG``: one command per model, built when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(ENDPOINTS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = model_spec(cmd_name)
        return None if spec is None else model_command(spec)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        command = self.get_command(ctx, name)
        if command is None and not name.startswith("-"):
            raise CliError(unknown_model(name))
        return super().resolve_command(ctx, args)


@click.group(cls=_Models, short_help="Run a model: one option per input.")
def run() -> None:
    """Run a model: ``wiro run OWNER/SLUG --INPUT VALUE ...``.

    'wiro run OWNER/SLUG --help' lists the model's options; 'wiro models show OWNER/SLUG'
    gives an example.
    """


cli.add_command(run)


DOWNLOAD: dict[str, Any] = {
    "metavar": "DIR",
    "type": click.Path(file_okay=False),
    "help": "Save the outputs into DIR (default: print their URLs).",
}
TIMEOUT: dict[str, Any] = {
    "type": click.FloatRange(min=0),
    "metavar": "SECONDS",
    "help": "Stop waiting after this long (the task keeps running; exit 7).",
}


def model_command(spec: ModelSpec) -> click.Command:
    made = input_options(spec)
    named = [n for n, _ in made]
    params: list[click.Parameter] = [option for _, option in made]
    params += [
        click.Option(
            ["--wait/--no-wait"],
            default=True,
            help="Follow the task to its end (default), or print its id and return.",
        ),
        click.Option(["--download"], **DOWNLOAD),
        click.Option(["--timeout"], **TIMEOUT),
        click.Option(
            ["--json", "as_json"], is_flag=True, help="Print the result as JSON."
        ),
        click.Option(
            ["--list-options"],
            metavar="INPUT",
            is_eager=True,
            expose_value=False,
            callback=partial(_list_options, spec, named),
            help="Print the values of a select input (its option name) and exit.",
        ),
    ]
    title = spec.title or spec.name
    description = spec.description or title
    if title not in (spec.name, spec.endpoint):
        description = f"{title}: {description}"
    return click.Command(
        spec.endpoint,
        params=params,
        callback=partial(_run_model, spec, named),
        help=description,
        short_help=description[:80],
        context_settings={"help_option_names": ["-h", "--help"]},
    )


def _list_options(
    spec: ModelSpec,
    named: Sequence[InputOption],
    ctx: click.Context,
    param: click.Parameter,
    value: str | None,
) -> None:
    if value is None or ctx.resilient_parsing:
        return
    wanted = value.removeprefix("--")
    found = next(
        (
            n
            for n in named
            if wanted in (n.flag.removeprefix("--"), n.input.name, n.input.python_name)
        ),
        None,
    )
    if found is None:
        names = ", ".join(n.flag.removeprefix("--") for n in named if n.input.options)
        raise click.BadParameter(
            f"{spec.endpoint} has no input {value!r} (selects: {names or 'none'})",
            ctx,
            param,
        )
    item = found.input
    if not item.options:
        raise click.BadParameter(
            f"{found.flag} takes any text: it has no list of values", ctx, param
        )
    state = ctx.find_object(State) or State()
    if state.screen.as_json or "--json" in state.argv:
        state.screen.data(
            [{"value": o, "label": item.option_label(o)} for o in item.options]
        )
    elif item.option_labels:
        state.screen.table(
            ["VALUE", "LABEL"], [[o, item.option_label(o)] for o in item.options]
        )
    else:
        state.screen.table(["VALUE"], [[o] for o in item.options])
    ctx.exit(0)


@pass_state
def _run_model(
    state: State,
    spec: ModelSpec,
    named: Sequence[InputOption],
    /,
    *,
    wait: bool,
    download: str | None,
    timeout: float | None,
    as_json: bool,
    **params: Any,
) -> int:
    set_json(state, as_json)
    state.model = spec.endpoint
    state.options = {n.input.name: n.flag for n in named}
    screen = state.screen
    values = inputs_from(named, params)
    with state.client(spec.provider) as client:
        state.starting = True
        task = client.run(spec.endpoint, values)
        state.starting = False
        state.resume = resume_words(state, spec.provider, task, download)
        if not wait:
            if screen.as_json:
                screen.data(
                    {"task_id": task.id, "token": task.token, "model": spec.endpoint}
                )
            else:
                screen.say(f"task {task.id} started ({spec.endpoint})")
                screen.say(f"follow it with: {shlex.join(state.resume)}")
            return ExitCode.OK
        return follow(
            state, task, f"task {task.id} · {spec.endpoint}", None, timeout, download
        )


def resume_words(
    state: State, provider: str, task: Task, download: str | None
) -> list[str]:
    words = ["wiro", "tasks", "wait", str(task.id or task.token)]
    if len(PROVIDERS) > 1:
        words += ["--provider", provider]
    if download:
        words += ["--download", download]
    if state.screen.as_json:
        words.append("--json")
    return words


def follow(
    state: State,
    task: Task,
    title: str,
    started_unix: float | None,
    timeout: float | None,
    download: str | None,
) -> int:
    """Wait for ``task`` showing its progress; print (or download) what it made."""
    screen = state.screen
    watch = Watch(screen, title, started_unix)
    try:
        result = task.wait(timeout, on_status=watch.status, raise_on_failure=False)
    except KeyboardInterrupt:
        watch.close()
        return interrupted(state, task)
    finally:
        watch.close()
    return finish(state, result, download)


def finish(state: State, result: TaskResult, download: str | None) -> int:
    screen = state.screen
    paths: dict[int, Path] = {}
    if download and result.succeeded:
        for index, output in enumerate(result.outputs):
            if not output.is_raw:
                paths[index] = output.download(os.path.join(download, ""))
    line, style = verdict(result)
    if screen.as_json:
        screen.data(result_json(result, paths))
    else:
        screen.say(f"task {result.task_id} {line}", style)
        for index, output in enumerate(result.outputs):
            if output.is_raw:
                screen.say(output.text)
            else:
                screen.say(str(paths.get(index, output.url)))
    return ExitCode.OK if result.succeeded else ExitCode.TASK_FAILED


def interrupted(state: State, task: Task) -> int:
    """Ctrl-C while waiting: cancel the task, or leave it running (the default, and the
    only choice without a terminal to ask on)."""
    screen = state.screen
    answer = "leave"
    if _interactive():
        try:
            answer = click.prompt(
                f"\ntask {task.id} is still running: cancel it, or leave it running?",
                type=click.Choice(["cancel", "leave"]),
                default="leave",
                err=screen.as_json,
            )
        except (click.Abort, KeyboardInterrupt, EOFError):
            answer = "leave"
    if answer == "cancel":
        result = task.stop()
        screen.say(f"task {task.id}: {result.status}; cancelled or killed, not billed")
        state.resume = None
    else:
        command = shlex.join(state.resume or [])
        screen.say(f"task {task.id} keeps running; resume with: {command}")
    return ExitCode.INTERRUPTED


def _interactive() -> bool:
    try:
        return os.isatty(0)
    except OSError:
        return False


# --- models -------------------------------------------------------------------------------
@cli.group(short_help="List and describe the models of this package.")
def models() -> None:
    """The models of this package (from its specs)."""


@models.command("list")
@click.option("--owner", help="Only this owner's models.")
@click.option(
    "--search", metavar="TEXT", help="Words found in the name or description."
)
@click.option("--provider", help="Only this provider's models.")
@JSON_OPTION
@pass_state
def models_list(
    state: State,
    owner: str | None,
    search: str | None,
    provider: str | None,
    as_json: bool,
) -> int:
    """List the models (by endpoint: what 'wiro run' takes)."""
    from .._listing import MODELS

    set_json(state, as_json)
    words = (search or "").casefold().split()
    names = {endpoint: name for name, endpoint in NAMES.items()}
    rows = []
    for endpoint in sorted(ENDPOINTS):
        provider_name, title, description = MODELS.get(endpoint, ("", endpoint, ""))
        if owner and endpoint.split("/")[0].casefold() != owner.casefold():
            continue
        if provider and provider_name != provider:
            continue
        text = " ".join([endpoint, names.get(endpoint, ""), title, description])
        if not all(word in text.casefold() for word in words):
            continue
        rows.append(
            (endpoint, names.get(endpoint, endpoint), provider_name, title, description)
        )
    if state.screen.as_json:
        state.screen.data(
            [
                {"endpoint": e, "name": n, "provider": p, "title": t, "description": d}
                for e, n, p, t, d in rows
            ]
        )
    else:
        state.screen.table(
            ["MODEL", "PROVIDER", "DESCRIPTION"],
            [[e, p, _short(d or t, 100)] for e, _, p, t, d in rows],
        )
    if not rows and not state.screen.as_json:
        state.screen.say("no model matches", "yellow")
    return ExitCode.OK


def _short(text: str, size: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


@models.command("show")
@click.argument(
    "model", metavar="OWNER/SLUG", shell_complete=lambda c, p, i: _complete_models(i)
)
@JSON_OPTION
@pass_state
def models_show(state: State, model: str, as_json: bool) -> int:
    """Describe a model: its inputs, their options and defaults, an example."""
    set_json(state, as_json)
    spec = model_spec(model)
    if spec is None:
        raise CliError(unknown_model(model))
    state.model = spec.endpoint
    named = [n for n, _ in input_options(spec)]
    examples = [shlex.join(example_command(spec, e)) for e in spec.examples]
    if not examples:
        examples = [shlex.join(example_command(spec, {}))]
    screen = state.screen
    if screen.as_json:
        screen.data(
            {
                "endpoint": spec.endpoint,
                "name": spec.name,
                "title": spec.title or spec.name,
                "provider": spec.provider,
                "description": spec.description,
                "inputs": [_input_json(n) for n in named],
                "examples": examples,
            }
        )
        return ExitCode.OK
    screen.say(
        spec.name if spec.name == spec.endpoint else f"{spec.name} ({spec.endpoint})",
        "bold",
    )
    if spec.title and spec.title != spec.name:
        screen.say(spec.title)
    if spec.description:
        screen.say(spec.description)
    screen.say(f"provider: {spec.provider}")
    screen.say("")
    screen.table(
        ["OPTION", "TYPE", "DEFAULT", "DESCRIPTION"],
        [
            [
                n.flag,
                _type_name(n),
                "required" if n.input.required else _default(n),
                _short(_describe(n), 90),
            ]
            for n in named
        ],
    )
    screen.say("")
    more = f" (and {len(examples) - 1} more with --json)" if len(examples) > 1 else ""
    screen.say(f"example{more}:", "bold")
    screen.say(f"  {examples[0]}")
    return ExitCode.OK


def _complete_models(incomplete: str) -> list[Any]:
    from click.shell_completion import CompletionItem

    return [CompletionItem(e) for e in sorted(ENDPOINTS) if e.startswith(incomplete)]


def _type_name(named: InputOption) -> str:
    item = named.input
    kind = {
        "enum": f"one of {len(item.options)}",
        "enum_list": f"any of {len(item.options)}",
        "str_list": "texts",
        "file": "file or URL",
        "file_list": "files or URLs",
        "bool": "flag",
        "str": "text",
        "int": "integer",
        "float": "number",
    }.get(item.value_type, item.value_type)
    if item.value_type == "enum" and len(item.options) <= 4:
        kind = "|".join(item.options)
    return kind


def _default(named: InputOption) -> str:
    value = named.input.default
    if value is None or named.input.secret:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ",".join(value)
    return _short(str(value), 24)


def _describe(named: InputOption) -> str:
    item = named.input
    parts = [item.label]
    if item.help and item.help != item.label:
        parts.append(item.help)
    if len(item.options) > 4:
        parts.append(f"(--list-options {named.flag.removeprefix('--')})")
    if item.minimum is not None or item.maximum is not None:
        parts.append(f"[{_num(item.minimum)}..{_num(item.maximum)}]")
    return " ".join(parts)


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def _input_json(named: InputOption) -> dict[str, Any]:
    item = named.input
    data: dict[str, Any] = {
        "name": item.name,
        "option": named.flag,
        "type": item.value_type,
        "kind": item.kind,
        "required": item.required,
        "label": item.label,
        "help": item.help,
        "default": None if item.secret else item.default,
    }
    if item.options:
        data["options"] = [
            {"value": o, "label": item.option_label(o)} for o in item.options
        ]
    if item.minimum is not None:
        data["minimum"] = item.minimum
    if item.maximum is not None:
        data["maximum"] = item.maximum
    return data


# --- tasks --------------------------------------------------------------------------------
@cli.group(short_help="Follow, stop and download tasks started anywhere.")
def tasks() -> None:
    """Tasks by id or token (digits are an id, anything else a token)."""


PROVIDER_OPTION = click.option(
    "--provider", help="The provider the task runs on (default: this package's)."
)
TASK_ARGUMENT = click.argument("task_ref", metavar="ID_OR_TOKEN")


def _attach(state: State, client: Wiro, task_ref: str) -> Task:
    """The task ``task_ref`` names (read once from Detail)."""
    detail = client.provider.endpoints.get("detail")
    ids = detail.task_id_fields if detail else ()
    tokens = detail.task_token_fields if detail else ()
    by_token = bool(tokens) and (not ids or not task_ref.isdigit())
    try:
        task = (
            client.tasks.get(token=task_ref)
            if by_token
            else client.tasks.get(taskid=task_ref)
        )
    except errors.NotFoundError as exc:
        kind = "token" if by_token else "id"
        raise CliError(
            f"no task with {kind} {task_ref} on {client.provider.title}: {exc.message}",
            ExitCode.REFUSED,
        ) from exc
    state.model = task.model
    return task


@tasks.command("get")
@TASK_ARGUMENT
@PROVIDER_OPTION
@JSON_OPTION
@pass_state
def tasks_get(state: State, task_ref: str, provider: str | None, as_json: bool) -> int:
    """Show a task as the provider reports it now."""
    set_json(state, as_json)
    with state.client(provider) as client:
        task = _attach(state, client, task_ref)
        result = task.last
        assert result is not None
        _show(state, result)
    return ExitCode.OK


def _show(state: State, result: TaskResult) -> None:
    screen = state.screen
    if screen.as_json:
        screen.data(result_json(result))
        return
    line, style = verdict(result)
    screen.say(f"task {result.task_id} ({result.model or '?'}): {line}", style)
    screen.say(f"status: {result.status}")
    for output in result.outputs:
        screen.say(output.text if output.is_raw else output.url)


@tasks.command("wait")
@TASK_ARGUMENT
@click.option("--download", **DOWNLOAD)
@click.option("--timeout", **TIMEOUT)
@PROVIDER_OPTION
@JSON_OPTION
@pass_state
def tasks_wait(
    state: State,
    task_ref: str,
    download: str | None,
    timeout: float | None,
    provider: str | None,
    as_json: bool,
) -> int:
    """Follow a task to its end, as 'wiro run' does."""
    set_json(state, as_json)
    with state.client(provider) as client:
        task = _attach(state, client, task_ref)
        state.resume = resume_words(state, client.provider.name, task, download)
        last = task.last
        started = last.created_at if last is not None else None
        title = f"task {task.id} · {task.model or '?'}"
        return follow(state, task, title, started, timeout, download)


def _act(name: str, summary: str) -> None:
    @tasks.command(name, help=summary)
    @TASK_ARGUMENT
    @PROVIDER_OPTION
    @JSON_OPTION
    @pass_state
    def command(
        state: State, task_ref: str, provider: str | None, as_json: bool
    ) -> int:
        set_json(state, as_json)
        with state.client(provider) as client:
            task = _attach(state, client, task_ref)
            action: Callable[[], TaskResult] = getattr(task, name)
            _show(state, action())
        return ExitCode.OK


_act("cancel", "Cancel a queued task.")
_act("kill", "Kill a running task.")
_act("stop", "Cancel a queued task or kill a running one, whichever fits.")


@tasks.command("list")
@click.option("--limit", type=click.IntRange(1, 1000), default=20, show_default=True)
@click.option(
    "--start",
    type=click.IntRange(0),
    default=0,
    show_default=True,
    help="Skip this many.",
)
@PROVIDER_OPTION
@JSON_OPTION
@pass_state
def tasks_list(
    state: State, limit: int, start: int, provider: str | None, as_json: bool
) -> int:
    """The newest tasks of the account, newest first."""
    set_json(state, as_json)
    with state.client(provider) as client:
        results = client.tasks.list(limit=limit, start=start)
    if state.screen.as_json:
        state.screen.data([result_json(r) for r in results])
        return ExitCode.OK
    state.screen.table(
        ["ID", "MODEL", "STATUS", "PHASE", "ELAPSED", "COST"],
        [
            [
                r.task_id,
                r.model or "",
                r.status,
                r.phase.value,
                seconds(r.elapsed_seconds) if r.elapsed_seconds is not None else "",
                money(r.cost),
            ]
            for r in results
        ],
    )
    return ExitCode.OK


@tasks.command("download")
@TASK_ARGUMENT
@click.argument(
    "directory", metavar="[DIR]", default=".", type=click.Path(file_okay=False)
)
@PROVIDER_OPTION
@JSON_OPTION
@pass_state
def tasks_download(
    state: State, task_ref: str, directory: str, provider: str | None, as_json: bool
) -> int:
    """Save a finished task's outputs into DIR (default: here)."""
    set_json(state, as_json)
    with state.client(provider) as client:
        task = _attach(state, client, task_ref)
        result = task.last
        assert result is not None
        if not result.is_final:
            raise CliError(
                f"task {task.id} is still {result.status}: "
                f"'wiro tasks wait {task_ref} --download {directory}' waits for it",
                ExitCode.INCOMPLETE,
            )
        return finish(state, result, directory)


cli.add_command(batch)
