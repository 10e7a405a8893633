"""Emitter: Markdown docs, one page per model and an index.

Each page: description, endpoint, inputs table, option lists (long ones folded), sync/async Python
and curl examples built from the spec's first example, the task statuses and the errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import quote

from ..inputs import family_of
from ..inputs.select import SHORT_SELECT
from ..ir import BooleanWire, Catalogue, Input, Model, Option, Provider
from . import format as layout
from . import text
from .jinja import render


def emit_docs(catalogue: Catalogue) -> dict[str, str]:
    files = docs_index(catalogue)
    files.update(model_page(m, catalogue.provider(m.provider)) for m in catalogue.models)
    return files


def docs_index(catalogue: Catalogue) -> dict[str, str]:
    rows = [_index_row(m) for m in catalogue.models]
    return {"docs/index.md": render("docs/index.md.j2", catalogue=catalogue, rows=rows)}


def model_page(model: Model, provider: Provider) -> tuple[str, str]:
    """``docs/<owner>/<slug>.md`` of one model."""
    page = render(
        "docs/model.md.j2",
        model=model,
        provider=provider,
        rows=[_input_row(i) for i in model.inputs],
        selects=[(i, option_rows(i)) for i in model.inputs if i.options],
        short_select=SHORT_SELECT,
        examples=examples(model, provider),
        up="../" * (model.file_stem.count("/") + 1),
    )
    return f"docs/{model.file_stem}.md", page


@dataclass(frozen=True)
class IndexRow:
    model: Model
    summary: str


def _index_row(model: Model) -> IndexRow:
    return IndexRow(model, text.shorten(model.description or model.title, 120))


@dataclass(frozen=True)
class InputRow:
    input: Input
    type: str
    default: str
    description: str


def _input_row(item: Input) -> InputRow:
    family = family_of(item)
    if item.secret:
        default = "(secret)"
    elif item.default is not None:
        shown = str(family.wire_value(item, item.default))
        default = text.md_code(text.shorten(shown, 60))
    else:
        default = "**required**" if item.required else "optional"
    parts = [text.md(item.label.rstrip(".") + ".")]
    if item.help and item.help != item.label:
        parts.append(text.md(item.help))
    parts += family.page_notes(item)
    return InputRow(item, family.type_cell(item), default, " ".join(parts))


@dataclass(frozen=True)
class OptionRow:
    value: str
    label: str
    python: str
    description: str


def option_rows(item: Input) -> list[OptionRow]:
    return list(_option_rows(item.options, item.boolean, item.enum_name))


@cache
def _option_rows(
    options: tuple[Option, ...], boolean: BooleanWire | None, enum_name: str | None
) -> tuple[OptionRow, ...]:
    """The option table of a select; cached, since many models share long lists (languages,
    voices, checkpoints) and escaping their 100+ rows was a tenth of a model's doc page."""
    rows = []
    for option in options:
        if boolean is not None:
            python = text.md_code(str(option.value == boolean.true_value))
        else:
            python = text.md_code(f"{enum_name}.{option.member}")
        description = text.md(option.description) if option.description else ""
        if option.trigger_words:
            words = ", ".join(text.md_code(w) for w in option.trigger_words)
            description = f"{description} Trigger words: {words}.".strip()
        rows.append(
            OptionRow(text.md_code(option.value), text.md(option.label), python, description)
        )
    return tuple(rows)


@dataclass(frozen=True)
class Examples:
    python: str
    python_async: str
    curl: str


def example_values(model: Model) -> list[tuple[Input, Any]]:
    given = dict(model.examples[0].values) if model.examples else {}
    out = []
    for item in model.inputs:
        if item.wire_name in given:
            out.append((item, given[item.wire_name]))
        elif item.required:
            out.append((item, family_of(item).placeholder(item)))
    return out


def _call(head: str, values: list[tuple[Input, Any]], indent: str) -> str:
    """``head(...)`` with one keyword argument a line and a trailing comma, so black keeps it."""
    if not values:
        return f"{head}()"
    inner = indent + layout.INDENT
    args = "".join(family_of(i).example_argument(i, v, inner) + "\n" for i, v in values)
    return f"{head}(\n{args}{indent})"


def examples(model: Model, provider: Provider) -> Examples:
    """Sync, async and curl examples; the Python is written in black's layout (tests hold it)."""
    values = example_values(model)
    enums = sorted({i.enum_name for i, _ in values if i.enum_name})
    module = f"wiro_client.types.{model.owner_attr}.{model.slug_attr}"
    imports = layout.import_from(module, enums) + "\n" if enums else ""
    run = f"client.models.{model.owner_attr}.{model.slug_attr}.run"
    sync = (
        f"from wiro_client import Wiro\n{imports}\n"
        f"client = Wiro()  # reads {provider.env_api_key} and {provider.env_api_secret}\n"
        f"{_call('task = ' + run, values, '')}\n"
        "result = task.wait(timeout=600)\n"
        "for output in result.outputs:\n"
        '    print(output.url, output.download("outputs/"))\n'
    )
    async_ = (
        f"import asyncio\n\nfrom wiro_client import AsyncWiro\n{imports}\n\n"
        "async def main() -> None:\n"
        "    async with AsyncWiro() as client:\n"
        f"{_call('        task = await ' + run, values, '        ')}\n"
        "        result = await task.wait(timeout=600)\n"
        "        for output in result.outputs:\n"
        "            print(output.url)\n\n\n"
        "asyncio.run(main())\n"
    )
    return Examples(sync, async_, _curl(model, provider, values))


def _curl(model: Model, provider: Provider, values: list[tuple[Input, Any]]) -> str:
    body = {
        i.wire_name if i.file is None else (i.file.url or i.wire_name): family_of(i).wire_value(
            i, v
        )
        for i, v in values
    }
    run = provider.endpoint("run")
    path = (
        run.path.replace("{owner}", model.owner).replace("{slug}", model.slug)
        if run
        else model.endpoint
    )
    url = f"{provider.base_url}/{quote(path, safe='/')}"
    auth = provider.auth[0]
    lines = [f"curl -X POST {text.sh_single(url)}", '  -H "Content-Type: application/json"']
    if auth.api_key_header:
        lines.append(f'  -H "{auth.api_key_header}: ${{API_KEY}}"')
    if auth.nonce_header and auth.signature_header:
        lines.append(f'  -H "{auth.nonce_header}: ${{NONCE}}"')
        lines.append(f'  -H "{auth.signature_header}: ${{SIGNATURE}}"')
    lines.append(f"  -d {text.sh_single(json.dumps(body, ensure_ascii=False, indent=2))}")
    return _signing_recipe(provider) + " \\\n".join(lines) + "\n"


_SHELL_VARS = {"api_key": "${API_KEY}", "api_secret": "${API_SECRET}", "nonce": "${NONCE}"}


def _signing_recipe(provider: Provider) -> str:
    """Shell lines that compute the auth headers, derived from the provider's first scheme."""
    auth = provider.auth[0]
    if auth.kind != "hmac-nonce" or auth.hmac_key is None:
        return ""
    message = "".join(_SHELL_VARS[part] for part in auth.hmac_message)
    return (
        f"# {auth.scheme}: {auth.description or ''}".rstrip() + "\n"
        "NONCE=$(date +%s%N)  # any integer that never repeats\n"
        f'SIGNATURE=$(printf %s "{message}" | openssl dgst -sha256 -hmac "{_SHELL_VARS[auth.hmac_key]}" | sed "s/^.* //")\n\n'
    )
