"""Specs back to Wiro pages, for the property tests: ``import(render(spec)) == spec``.

The renderer writes what Wiro publishes: the info section, the inputs in Wiro's field order, the
flat "Parameter Inspires" list, the auth recipe, a curl Run example (its URL percent-encoded) and
the task sections. Where a page has two ways to say the same thing (a plain or a quoted default,
an empty default or a placeholder option, a sample file name where no default is), a
:class:`Style` picks one, so every form is exercised.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import quote

from generator.importer.spec import Boolean, Input, Option, Spec, Value
from generator.importer.writer import number
from generator.ir import InputKind

BASE = "https://api.wiro.ai/v1"
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
SELECTS = {InputKind.SELECT, InputKind.SELECTWITHCOVER, InputKind.MULTISELECT}
MULTI = {InputKind.MULTISELECT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT}


@dataclass(frozen=True)
class Style:
    layout: str = "model"
    """"tool" (older pages) or "model" (newer pages)."""
    flat: bool = False
    crlf: bool = False
    trailing_blanks: bool = False
    quote_values: bool = False
    """Write defaults and example values as quoted strings where plain would also do."""
    placeholders: bool = False
    """Say "may be left empty" with a bare default and an empty option rather than ``""``."""
    samples: bool = False
    """Show a sample file name where a file input has no default."""
    kill_cancel: bool = True


def render(spec: Spec, style: Style) -> str:
    word = "Tool" if style.layout == "tool" else "Model"
    lines = [f"## Basic {word.lower()} info", f"{word} name: {spec.name}"]
    if spec.description is not None:
        lines.append(f"{word} description: {_human(spec.description)}")
    if spec.cover is not None:
        lines.append(f"{word} cover: {spec.cover}")
    for title, items in (("categories", spec.categories), ("tags", spec.tags)):
        if items:
            lines += [f"{word} {title}:", *(f"- {item}" for item in items)]
    owner, slug = spec.endpoint.split("/")
    lines.append(f"Run Task Endpoint (POST): {BASE}/Run/{owner}/{slug}")
    lines.append(f"Get Task Detail Endpoint (POST): {BASE}/Task/Detail")
    lines.append(f"## {word} Inputs:")
    for item in spec.inputs:
        lines += _input(item, style)
    if spec.examples:
        lines.append(f"## {word} Parameter Inspires:")
        by_name = {item.name: item for item in spec.inputs}
        for example in spec.examples:
            for name, value in example:
                lines.append(f"- {name}: {_example(by_name[name], value, style)}")
    lines += _tail(f"{BASE}/Run/{quote(owner)}/{quote(slug)}", style)
    return _layout("\n".join(lines) + "\n", style)


def _layout(text: str, style: Style) -> str:
    if style.flat:
        text = " ".join(line.strip() for line in text.splitlines() if line.strip())
    if style.trailing_blanks:
        text = "\n".join(line + " \t " for line in text.split("\n"))
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return text


def _human(text: str) -> str:
    """Pages escape HTML in text for people; the importer decodes it."""
    return html.escape(text, quote=False)


def _input(item: Input, style: Style) -> list[str]:
    lines = [f"- name: {item.name}"]
    if item.label is not None:
        lines.append(f"  label: {_human(item.label)}")
    if item.help is not None:
        lines.append(f"  help: {_human(item.help)}")
    lines.append(f"  type: {item.kind.value}")
    placeholder = False
    default = _default(item, style)
    if default is None:  # optional with no default: a placeholder option can say it too
        placeholder = style.placeholders and item.kind in SELECTS and bool(item.options)
        default = "" if placeholder else '""'
    lines.append(f"  default: {default}".rstrip())
    for key, bound in (("min", item.minimum), ("max", item.maximum), ("step", item.step)):
        if bound is not None:
            lines.append(f"  {key}: {_number(bound)}")
    if item.options is not None:
        lines.append("  options:")
        if placeholder:
            lines += ['    - value: ""', "      label: Default"]
        for option in item.options:
            lines += _option(option)
    return lines


def _default(item: Input, style: Style) -> str | None:
    """The page's default text; None when the input is optional with no default."""
    if item.optional or item.default == "":
        return None
    if item.default is None:  # required
        if style.samples and item.kind in (InputKind.FILEINPUT, InputKind.COMBINEFILEINPUT):
            return "sample-input.png"
        return ""
    return _value(item, item.default, style)


def _example(item: Input, value: Value, style: Style) -> str:
    return _value(item, value, style)


def _value(item: Input, value: Value, style: Style) -> str:
    if isinstance(value, bool):
        wire = item.boolean or Boolean("true", "false")
        return wire.true_value if value else wire.false_value
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, tuple):
        return (item.separator or ",").join(value)
    return _text(value, style)


def _text(value: str, style: Style) -> str:
    """Plain when the importer reads it back as written, else (or when asked) quoted."""
    plain = value != "" and value == value.strip() and not _JSON_STRING.fullmatch(value)
    return value if plain and not style.quote_values else json.dumps(value, ensure_ascii=False)


def _number(value: int | float) -> str:
    return str(value) if isinstance(value, int) else number(value)


def _option(option: Option) -> list[str]:
    lines = [f"    - value: {json.dumps(option.value, ensure_ascii=False)}"]
    if option.label is not None:
        lines.append(f"      label: {_human(option.label)}")
    if option.description is not None:
        lines.append(f"      description: {_human(option.description)}")
    words = json.dumps(list(option.trigger_words), ensure_ascii=False, separators=(",", ":"))
    lines += [f"      triggerwords: {words}", "      generatesettings: []"]
    if option.cover is not None:
        lines.append(f"      cover: {option.cover}")
    return lines


def _tail(run_url: str, style: Style) -> list[str]:
    lines = [
        "## Integration Header Prepare",
        "```bash",
        'export YOUR_API_KEY="{{useSelectedProjectAPIKey}}";',
        'export SIGNATURE="$(echo -n "${YOUR_API_SECRET}${NONCE}" | openssl dgst -sha256 -hmac '
        '"${YOUR_API_KEY}")";',
        "```",
        "## Run Command - Make HTTP Post Request",
        "```bash",
        f'curl -X POST "{run_url}" -H "Content-Type: multipart/form-data" -d \'{{',
        '  "callbackUrl": "You can provide a callback URL."',
        "}';",
        "```",
        "## Run Command - Response",
        '```json { "errors": [], "taskid": "2221", "result": true } ```',
        "## Get Task Detail - Make HTTP Post Request with Socket Access Token",
        '```bash curl -X POST "https://api.wiro.ai/v1/Task/Detail" -d \'{ "tasktoken": "x" }\'; ```',
    ]
    if style.kill_cancel:
        lines += [
            "## Kill Task - Make HTTP Post Request with Task ID",
            '```bash curl -X POST "https://api.wiro.ai/v1/Task/Kill" -d \'{ "taskid": "1" }\'; ```',
            "## Cancel Task - Make HTTP Post Request (For tasks on queue)",
            '```bash curl -X POST "https://api.wiro.ai/v1/Task/Cancel" -d \'{ "taskid": "1" }\'; ```',
        ]
    lines += [
        "## Task Status Information",
        "### Completed Task Statuses (Polling can stop)",
        "- task_postprocess_end : Task completed successfully and post-processing is done.",
    ]
    return lines
