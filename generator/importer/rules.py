"""Raw page data to a spec: every decision the importer takes, each one a named rule.

The rules (README, "Importer"; ``warns`` marks the ones that print a warning):

identity
  endpoint      The Run URL is the truth: ``owner/slug`` after ``/Run/``, percent-decoded, from
                ``Run Task Endpoint (POST):`` and the curl example; two that disagree are an error.
  name          The name shown (``Model name:``), kept as written; it must be ``owner/name``.
  human-text    Descriptions, labels and help texts have HTML entities decoded (``&lt;`` -> ``<``);
                wire values (names, option values, defaults, examples) never change.
types
  type          The page's type is the spec's type, except:
  url-text      on older (``Tool name:``) pages a ``text`` input named ``input<x>Url`` is a
                ``fileinput`` (its uploads go in ``input<x>``), unless that is an input itself;
                other ``*Url`` texts (``youtubeUrl``) are links and stay text;
  url-field     a ``text`` input ``<x>Url`` beside a ``fileinput``/``multifileinput`` ``<x>`` is that
                input's URL field, not an input of its own: dropped (warns);
  fraction      a ``number`` with a fractional default, min, max or step is a ``float`` (warns).
booleans
  yes-no-select A ``select`` whose two options are ``true``/``false``, ``yes``/``no``, ``on``/``off``
                (any case), or ``1``/``0`` labelled as yes/no (or not labelled), is a boolean that
                sends those exact values.
  checkbox      A ``checkbox`` is a boolean: default ``true``/``false`` sends true/false; another
                yes/no word (``True``, ``YES``, ``1``) sends that word's pair in the page's case;
                any other default (a flag such as ``--id_mix``) is sent when true, ``""`` when
                false, and is on by default.
defaults
  required      No default (``default:`` bare or absent) means required; ``default: ""`` means
                optional with no default (``required: false`` where ``""`` is not a value).
  placeholder   An option whose value is empty is a placeholder: removed, and the input may then
                be left empty (optional, no default). A select with no real options may always be
                left empty and takes any value (its default is kept as written).
  outside       A default that is not one of the options is dropped; the input stays optional
                (warns).
  bad-number    A number default that is not a number, not finite, or outside min/max is dropped;
                the input stays optional (warns).
  sample-file   A file input's default that is not an http(s) URL is a sample file name, not a
                default: the input is required.
  separator     A multi-valued default written with ``;`` (and no ``,``) sets ``separator: ";"``.
options
  duplicate     An option value listed twice is kept once (warns).
  trigger-words ``triggerwords`` is a JSON list; anything else is ignored (warns).
  settings      Non-empty ``generatesettings`` have no place in the spec: ignored (warns).
  misplaced     Options, min, max or step on an input type that has none are ignored (warns).
inputs
  twice         An input listed twice identically is kept once (warns); listed twice differently
                is an error. (A ``- name:`` with no ``type:`` before the next input is text of the
                input before it (warns): :func:`.parse._records`.)
  field-order   A label or help text holding ``type:``, ``default:`` or ``options:`` is read as
                text, fields coming in Wiro's order (warns, in case the page is out of order).
  file-field    A file input whose upload or URL field (``<x>``/``<x>Url``) is another input
                (other than a dropped URL-field text) is an error.
  python-name   Two inputs whose Python names collide, or a name without letters or digits, are
                an error (the generator could not name them).
sections
  sections      Sections other than info, inputs, examples and Wiro's known ones are not read
                (warns); no info or inputs section, or two of one, is an error: :mod:`.sections`.
examples
  group         "Parameter Inspires" is one flat list: an example ends where a key repeats.
  example-key   A key names an input, or an input's file variant (``inputImageFirst`` for
                ``inputImageFirstUrl`` and back); other ``- key:`` text is not a key (warns).
  example-value Values are read as their input's type; a value that is not (an unknown option,
                a non-number, a fraction where the input takes whole numbers) is left out
                (warns); sample file names are left out silently; an example left empty is
                dropped.
"""

from __future__ import annotations

import html
import json
import math
import re
from dataclasses import replace
from urllib.parse import unquote as percent_decode

from ..diagnostics import Diagnostic, error, warning
from ..ir import InputKind
from ..normalize import naming
from ..normalize.model import endpoint_problem
from .fields import Text
from .page import Page
from .parse import Layout, RawInput, RawItem, RawOption, RawPage, list_items, read_examples
from .spec import Boolean, Example, Input, Option, Spec, Value

PROVIDER = "wiro"
"""Every page in this layout is a Wiro model page."""

SELECTS = frozenset({InputKind.SELECT, InputKind.SELECTWITHCOVER, InputKind.MULTISELECT})
NUMBERS = frozenset({InputKind.NUMBER, InputKind.FLOAT, InputKind.RANGE})
FILES = frozenset({InputKind.FILEINPUT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT})
MULTI = frozenset({InputKind.MULTISELECT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT})

_URL = re.compile(r"^https?://\S+$")
_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_NAME = re.compile(r"^[^/]+/[^/]+$")
# Wiro names file inputs input<Thing> (inputImage, inputAudio, inputImageMask); an older page
# lists their URL field. Other *Url texts (youtubeUrl, webhookUrl) are links, not files.
_UPLOAD_NAME = re.compile(r"^input.+Url$")
_FIELD_IN_TEXT = re.compile(r"(?<!\S)(?:type|default|options):\s")
_STRAY_KEY = re.compile(r"(?<!\S)-[ \t]+(?P<key>[A-Za-z_][\w-]*):(?=\s|$)")

# Yes/no words, by family: a boolean's two values come from one family.
_TRUTH: dict[str, tuple[str, bool]] = {
    "true": ("true/false", True),
    "false": ("true/false", False),
    "yes": ("yes/no", True),
    "no": ("yes/no", False),
    "on": ("on/off", True),
    "off": ("on/off", False),
    "1": ("1/0", True),
    "0": ("1/0", False),
}
_YES_NO_LABELS = frozenset(
    {"yes", "no", "true", "false", "on", "off", "enabled", "disabled", "enable", "disable"}
)


class Report:
    """Diagnostics of one import, located in the original page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.problems: list[Diagnostic] = []

    def warn(self, at: int, message: str) -> None:
        self.problems.append(warning(self.page.location(at), message))

    def fail(self, at: int, message: str) -> None:
        self.problems.append(error(self.page.location(at), message))

    def where(self, at: int) -> str:
        location = self.page.location(at)
        return f"{location.line}:{location.col}"

    @property
    def failed(self) -> bool:
        return any(d.severity == "error" for d in self.problems)


def build_spec(raw: RawPage, report: Report) -> Spec | None:
    """The spec of a parsed page; None when an error makes one impossible."""
    endpoint = _endpoint(raw, report)
    if not _NAME.match(raw.name.value):
        report.fail(raw.name.at, f"model name {raw.name.value!r} is not 'owner/name'")
    inputs = _inputs(raw, report)
    if endpoint is None or report.failed:
        return None
    examples = _examples(raw, inputs, report) if raw.examples is not None else ()
    return Spec(
        provider=PROVIDER,
        name=raw.name.value,
        endpoint=endpoint,
        description=human(raw.description),
        cover=(raw.cover.value or None) if raw.cover is not None else None,
        categories=_list(raw.categories, "categories", report),
        tags=_list(raw.tags, "tags", report),
        inputs=tuple(inputs),
        examples=examples,
    )


# --- identity ---------------------------------------------------------------------------------


def _endpoint(raw: RawPage, report: Report) -> str | None:
    if not raw.run_urls:
        report.fail(
            raw.info_at,
            "the page shows no Run URL ('Run Task Endpoint (POST):' or a curl example), "
            "so the endpoint is unknown",
        )
        return None
    found: list[tuple[str, Text]] = []
    for url in raw.run_urls:
        endpoint, problem = endpoint_of(url.value)
        if endpoint is None:
            report.fail(url.at, f"cannot read the endpoint of Run URL {url.value!r}: {problem}")
            return None
        found.append((endpoint, url))
    first, first_url = found[0]
    for endpoint, url in found[1:]:
        if endpoint != first:
            report.fail(
                url.at,
                f"this Run URL's endpoint {endpoint!r} differs from {first!r} "
                f"(at {report.where(first_url.at)}); which one is right?",
            )
            return None
    return first


def endpoint_of(url: str) -> tuple[str | None, str]:
    """``owner/slug`` of a Run URL (percent-decoded), or None and why not."""
    head, marker, rest = url.partition("/Run/")
    if not marker or "://" not in head:
        return None, "expected '<base URL>/Run/<owner>/<slug>'"
    rest = re.split(r"[?#]", rest, maxsplit=1)[0].removesuffix("/")
    parts = rest.split("/")
    if len(parts) != 2:
        return None, "expected exactly '<owner>/<slug>' after '/Run/'"
    try:
        decoded = [percent_decode(part, errors="strict") for part in parts]
    except UnicodeDecodeError:
        return None, "its percent-encoding is not UTF-8"
    for part, what in zip(decoded, ("owner", "slug"), strict=True):
        problem = endpoint_problem(part)
        if problem:
            return None, f"{what} {part!r} {problem}"
    return "/".join(decoded), ""


def human(text: Text | None) -> str | None:
    """Text for people: HTML entities decoded (``&lt;`` -> ``<``); None when empty."""
    if text is None or not text.value:
        return None
    return html.unescape(text.value)


def _list(text: Text | None, what: str, report: Report) -> tuple[str, ...]:
    if text is None:
        return ()
    items = list_items(text)
    if items is None:
        report.warn(text.at, f"{what} are not a '- item' list; ignored")
        return ()
    return tuple(item.value for item in items)


# --- inputs -----------------------------------------------------------------------------------


def _inputs(raw: RawPage, report: Report) -> list[Input]:
    names = {item.name.value for item in raw.inputs}
    kinds = {item.name.value: InputKind(item.type.value) for item in raw.inputs}
    built: dict[str, tuple[Input, RawInput]] = {}
    python: dict[str, RawInput] = {}
    for item in raw.inputs:
        name = item.name.value
        upload = name[:-3] if name.endswith("Url") and len(name) > 3 else None
        if (
            kinds[name] is InputKind.TEXT
            and upload is not None
            and kinds.get(upload) in (InputKind.FILEINPUT, InputKind.MULTIFILEINPUT)
        ):
            report.warn(
                item.name.at,
                f"text input {name!r} is the URL field of file input {upload!r}, "
                "not an input of its own; dropped",
            )
            continue
        as_file = (
            raw.layout is Layout.TOOL
            and _UPLOAD_NAME.match(name) is not None
            and upload is not None
            and upload not in names
        )
        spec_input = build_input(item, report, url_text_is_file=as_file)
        if spec_input is None:
            continue
        if name in built:
            first, first_raw = built[name]
            if first == spec_input:
                report.warn(
                    item.name.at,
                    f"input {name!r} is listed twice (first at {report.where(first_raw.at)}); "
                    "the repeat is dropped",
                )
            else:
                report.fail(
                    item.name.at,
                    f"input {name!r} is listed twice, differently (first at "
                    f"{report.where(first_raw.at)}); which one is right?",
                )
            continue
        if not _python_name_ok(item, python, report):
            continue
        built[name] = (spec_input, item)
    _file_fields_free(list(built.values()), report)
    return [spec_input for spec_input, _ in built.values()]


def file_fields(item: Input) -> tuple[str, ...]:
    """Where a file input's uploads and URLs go (normalize's rule, WIRO_API.md "File inputs")."""
    name = item.name
    if item.kind is InputKind.COMBINEFILEINPUT:
        return (name,)
    if item.kind not in FILES:
        return ()
    if name.endswith("Url") and len(name) > 3:
        return (name[:-3], name)
    return (name, name + "Url")


def _file_fields_free(built: list[tuple[Input, RawInput]], report: Report) -> None:
    """Rule file-field: a file input's upload or URL field may not be another input."""
    names = {item.name: raw for item, raw in built}
    for item, raw in built:
        for field in file_fields(item):
            if field != item.name and field in names:
                report.fail(
                    raw.name.at,
                    f"file input {item.name!r} takes files or URLs in {field!r}, which is also "
                    f"an input (at {report.where(names[field].at)}); which one is right?",
                )


def _python_name_ok(item: RawInput, seen: dict[str, RawInput], report: Report) -> bool:
    name = item.name.value
    if not naming.has_word(name):
        report.fail(item.name.at, f"input name {name!r} has no letter or digit")
        return False
    py_name = naming.snake(name, "input")
    other = seen.get(py_name)
    if other is not None:
        report.fail(
            item.name.at,
            f"inputs {other.name.value!r} (at {report.where(other.at)}) and {name!r} both "
            f"become the Python name {py_name!r}",
        )
        return False
    seen[py_name] = item
    return True


def build_input(item: RawInput, report: Report, *, url_text_is_file: bool = False) -> Input | None:
    """One input by the type rules; None (with an error reported) when it cannot be built."""
    kind = InputKind(item.type.value)
    if url_text_is_file and kind is InputKind.TEXT:
        kind = InputKind.FILEINPUT
    for text, what in ((item.label, "label"), (item.help, "help")):
        if text is not None and _FIELD_IN_TEXT.search(text.value):
            report.warn(
                text.at,
                f"the {what} of {item.name.value!r} contains a field name followed by ':'; "
                "fields are read in Wiro's order (name, label, help, type, default, options)",
            )
    base = Input(name=item.name.value, kind=kind, label=human(item.label), help=human(item.help))
    _misplaced(item, kind, report)
    if kind in SELECTS:
        return _select(item, base, report)
    if kind is InputKind.CHECKBOX:
        return _checkbox(item, base)
    if kind in NUMBERS:
        return _number(item, base, report)
    if kind in FILES:
        return _file(item, base)
    return replace(base, default=_text_default(item.default))


def _misplaced(item: RawInput, kind: InputKind, report: Report) -> None:
    name = item.name.value
    if item.options and kind not in SELECTS and item.options_at is not None:
        report.warn(item.options_at, f"options of {kind} input {name!r} are ignored")
    if kind not in NUMBERS:
        for text in (item.minimum, item.maximum, item.step):
            if text is not None:
                report.warn(text.at, f"min, max and step of {kind} input {name!r} are ignored")
                break


def _text_default(default: Text | None) -> str | None:
    """Rule required: bare or absent -> required (None); ``""`` -> optional; else the text."""
    if default is None or (default.value == "" and not default.quoted):
        return None
    return default.value


def _checkbox(item: RawInput, base: Input) -> Input:
    default = item.default
    if default is None or default.value == "":
        return replace(base, optional=True)
    text = default.value
    if text in ("true", "false"):
        return replace(base, default=text == "true")
    truth = _TRUTH.get(text.lower())
    if truth is not None:
        family, value = truth
        return replace(
            base, default=value, boolean=Boolean(*(_in_case(w, text) for w in family.split("/")))
        )
    return replace(base, default=True, boolean=Boolean(text, ""))


def _in_case(word: str, like: str) -> str:
    """``word`` written in the case of ``like`` (``no`` like ``YES`` is ``NO``)."""
    if like.isupper():
        return word.upper()
    if like[:1].isupper():
        return word.capitalize()
    return word


def _number(item: RawInput, base: Input, report: Report) -> Input | None:
    name = item.name.value
    bounds = {
        what: _read_number(text.value)
        for what, text in (("min", item.minimum), ("max", item.maximum), ("step", item.step))
        if text is not None
    }
    kind = base.kind
    default_text = item.default
    optional = False
    value: int | float | None = None
    if default_text is None or default_text.value == "":
        optional = default_text is not None and default_text.quoted
    else:
        value = _read_number(default_text.value)
        if value is None or not math.isfinite(value):
            report.warn(
                default_text.at,
                f"default {default_text.value!r} of {kind} input {name!r} is not a number; "
                "dropped (the input is optional)",
            )
            value, optional = None, True
    numbers = [v for v in (value, *bounds.values()) if v is not None]
    if kind is InputKind.NUMBER and any(not float(v).is_integer() for v in numbers):
        report.warn(
            item.type.at,
            f"number input {name!r} has a fractional default, min, max or step; imported as float",
        )
        kind = InputKind.FLOAT
    low, high, step = bounds.get("min"), bounds.get("max"), bounds.get("step")
    if low is not None and high is not None and low > high and item.minimum is not None:
        report.fail(item.minimum.at, f"min {low} of {name!r} is greater than max {high}")
        return None
    if step is not None and step <= 0 and item.step is not None:
        report.warn(item.step.at, f"step {step} of {name!r} is not positive; ignored")
        step = None
    if (
        value is not None
        and default_text is not None
        and ((low is not None and value < low) or (high is not None and value > high))
    ):
        report.warn(
            default_text.at,
            f"default {default_text.value} of {name!r} is outside min {low} and max {high}; "
            "dropped (the input is optional)",
        )
        value, optional = None, True
    return replace(
        base,
        kind=kind,
        default=None if value is None else _typed(value, kind),
        optional=optional,
        minimum=_bound(low, kind),
        maximum=_bound(high, kind),
        step=_bound(step, kind),
    )


def takes_whole_numbers(item: Input) -> bool:
    """A number input, or a range whose numbers are all whole (the generator makes it an int:
    normalize's rule for ranges)."""
    if item.kind is InputKind.NUMBER:
        return True
    if item.kind is not InputKind.RANGE:
        return False
    shown = [
        v
        for v in (item.minimum, item.maximum, item.step, item.default)
        if isinstance(v, int | float) and not isinstance(v, bool)
    ]
    return bool(shown) and all(float(v).is_integer() for v in shown)


def _read_number(text: str) -> int | float | None:
    stripped = text.strip()
    if _INT.match(stripped):
        return int(stripped)
    if _FLOAT.match(stripped):
        return float(stripped)
    return None


def _typed(value: int | float, kind: InputKind) -> int | float:
    """A number as its input takes it: whole for number, as the page wrote it otherwise."""
    return int(value) if kind is InputKind.NUMBER else value


def _bound(value: int | float | None, kind: InputKind) -> int | float | None:
    return None if value is None else _typed(value, kind)


def _file(item: RawInput, base: Input) -> Input:
    default = item.default
    separator = _separator(default, base.kind)
    if default is None or default.value == "":
        return replace(base, separator=separator, default=_text_default(default))
    if base.kind is InputKind.FILEINPUT:
        urls: tuple[str, ...] = (default.value.strip(),)
    else:
        urls = _split(default.value, separator or ",")
    if not urls or not all(_URL.match(url) for url in urls):
        return replace(base, separator=separator)  # rule sample-file: not a default
    value: Value = urls[0] if base.kind is InputKind.FILEINPUT else urls
    return replace(base, separator=separator, default=value)


def _separator(default: Text | None, kind: InputKind) -> str | None:
    """Rule separator: ``;`` when the page's default is written with it (and no ``,``)."""
    if kind not in MULTI or default is None:
        return None
    text = default.value
    return ";" if ";" in text and "," not in text else None


def _split(text: str, separator: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(separator) if part.strip())


# --- selects ----------------------------------------------------------------------------------


def _select(item: RawInput, base: Input, report: Report) -> Input:
    options, placeholder = _options(item, report)
    name = item.name.value
    default = item.default
    may_be_empty = placeholder or not options
    boolean = _boolean_pair(options) if base.kind is InputKind.SELECT else None
    if boolean is not None:
        return _boolean_select(item, replace(base, options=options, boolean=boolean), report)
    separator = _separator(default, base.kind) if options else None
    with_options = replace(base, options=options, separator=separator)
    if default is None or default.value == "":
        if (default is not None and default.quoted) or may_be_empty:
            return replace(with_options, default="")
        return with_options
    if not options:
        return replace(with_options, default=default.value)  # rule placeholder: free values
    values = [o.value for o in options]
    if base.kind is InputKind.MULTISELECT:
        chosen = _split(default.value, separator or ",")
        unknown = [v for v in chosen if v not in values]
        if unknown:
            report.warn(
                default.at,
                f"default {default.value!r} of {name!r} names {_shown(unknown)}, not among "
                f"the options; dropped (the input is optional)",
            )
            return replace(with_options, default="")
        return replace(with_options, default=chosen)
    if default.value in values:
        return replace(with_options, default=default.value)
    report.warn(
        default.at,
        f"default {default.value!r} of {name!r} is not one of its options{_hint(default.value, options)}; "
        "dropped (the input is optional)",
    )
    return replace(with_options, default="")


def _boolean_select(item: RawInput, base: Input, report: Report) -> Input:
    assert base.boolean is not None
    default = item.default
    if default is None or default.value == "":
        placeholder = any(o.value.value.strip() == "" for o in item.options or ())
        if (default is not None and default.quoted) or placeholder:
            return replace(base, optional=True)
        return base
    truth = read_truth(default.value, base.boolean)
    if truth is None:
        report.warn(
            default.at,
            f"default {default.value!r} of yes/no input {item.name.value!r} is neither "
            f"{base.boolean.true_value!r} nor {base.boolean.false_value!r}; dropped "
            "(the input is optional)",
        )
        return replace(base, optional=True)
    return replace(base, default=truth)


def read_truth(text: str, boolean: Boolean) -> bool | None:
    """A yes/no value: one of the two wire values, else a yes/no word of any family."""
    if text == boolean.true_value:
        return True
    if text == boolean.false_value:
        return False
    truth = _TRUTH.get(text.strip().lower())
    return None if truth is None else truth[1]


def _boolean_pair(options: tuple[Option, ...]) -> Boolean | None:
    """Rule yes-no-select: the two options' wire values, true first; None if not yes/no."""
    if len(options) != 2:
        return None
    words = [_TRUTH.get(o.value.lower()) for o in options]
    if words[0] is None or words[1] is None:
        return None
    (family_a, truth_a), (family_b, truth_b) = words[0], words[1]
    if family_a != family_b or truth_a == truth_b:
        return None
    if family_a == "1/0" and not all(_reads_yes_no(o) for o in options):
        return None  # 0/1 labelled "Male"/"Female" is a choice, not a switch
    true, false = (options[0], options[1]) if truth_a else (options[1], options[0])
    return Boolean(true.value, false.value)


def _reads_yes_no(option: Option) -> bool:
    label = option.label
    return label is None or label == option.value or label.strip().lower() in _YES_NO_LABELS


def _options(item: RawInput, report: Report) -> tuple[tuple[Option, ...], bool]:
    """Rules duplicate, placeholder, trigger-words, settings: the options as the spec lists them."""
    seen: dict[str, int] = {}
    options: list[Option] = []
    placeholder = False
    name = item.name.value
    for raw in item.options or ():
        value = raw.value.value
        if value.strip() == "":
            placeholder = True
            continue
        if value in seen:
            report.warn(
                raw.value.at,
                f"option {value!r} of {name!r} is listed twice (first at "
                f"{report.where(seen[value])}); the repeat is dropped",
            )
            continue
        seen[value] = raw.value.at
        options.append(
            Option(
                value=value,
                label=human(raw.label),
                description=human(raw.description),
                trigger_words=_trigger_words(raw, name, report),
                cover=(raw.cover.value or None) if raw.cover is not None else None,
            )
        )
        _settings(raw, name, report)
    return tuple(options), placeholder


def _trigger_words(raw: RawOption, name: str, report: Report) -> tuple[str, ...]:
    text = raw.trigger_words
    if text is None or text.value in ("", "[]"):
        return ()
    try:
        words = json.loads(text.value)
    except ValueError:
        words = None
    if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
        report.warn(
            text.at,
            f"trigger words of option {raw.value.value!r} of {name!r} are not a JSON list of "
            "strings; ignored",
        )
        return ()
    return tuple(w for w in words if w.strip())


def _settings(raw: RawOption, name: str, report: Report) -> None:
    text = raw.generate_settings
    if text is not None and text.value not in ("", "[]", "{}"):
        report.warn(
            text.at,
            f"generatesettings of option {raw.value.value!r} of {name!r} have no place in the "
            "spec; ignored",
        )


def _shown(values: list[str]) -> str:
    return ", ".join(repr(v) for v in values[:5]) + (", ..." if len(values) > 5 else "")


def _hint(value: str, options: tuple[Option, ...]) -> str:
    folded = [o.value for o in options if o.value.lower() == value.lower()]
    if folded:
        return f" (options are compared as written; {folded[0]!r} differs in case)"
    labelled = [o.value for o in options if o.label == value]
    if labelled:
        return f" (it is the label of option {labelled[0]!r})"
    return ""


# --- examples ---------------------------------------------------------------------------------


def example_keys(inputs: list[Input]) -> dict[str, str]:
    """Rule example-key: every key an example may use, to the input it names."""
    keys = {item.name: item.name for item in inputs}
    for item in inputs:
        if item.name.endswith("Url") and len(item.name) > 3:
            keys.setdefault(item.name[:-3], item.name)
        if item.kind in FILES:
            keys.setdefault(item.name + "Url", item.name)
    return keys


def _examples(raw: RawPage, inputs: list[Input], report: Report) -> tuple[Example, ...]:
    assert raw.examples is not None
    keys = example_keys(inputs)
    items, unread = read_examples(report.page, raw.examples, list(keys))
    if unread is not None:
        stray = _STRAY_KEY.match(unread.value)
        what = (
            f"example key {stray.group('key')!r} names no input"
            if stray
            else ("text before the first '- <input>:' example key")
        )
        report.warn(unread.at, f"{what}; ignored")
    by_name = {item.name: item for item in inputs}
    groups: list[list[tuple[str, RawItem]]] = []
    for raw_item in items:
        name = keys[raw_item.key.value]
        if not groups or any(n == name for n, _ in groups[-1]):
            groups.append([])  # rule group: a repeated key starts the next example
        groups[-1].append((name, raw_item))
    examples: list[Example] = []
    for group in groups:
        values: list[tuple[str, Value]] = []
        for name, raw_item in group:
            _stray_keys(raw_item, report)
            value = example_value(by_name[name], raw_item.value, report)
            if value is not None:
                values.append((name, value))
        if values:
            examples.append(tuple(values))
    return tuple(examples)


def _stray_keys(item: RawItem, report: Report) -> None:
    for match in _STRAY_KEY.finditer(item.value.value):
        report.warn(
            item.value.at + match.start(),
            f"the example value of {item.key.value!r} contains '- {match.group('key')}:', "
            "which names no input; kept as part of the value",
        )


def example_value(item: Input, text: Text, report: Report) -> Value | None:
    """Rule example-value: one example value read as its input's type, or None (left out)."""
    value = text.value
    if value == "" and not text.quoted:
        return None
    kind = item.kind
    problem: str | None = None
    if item.boolean is not None or kind is InputKind.CHECKBOX:
        truth = read_truth(value, item.boolean or Boolean("true", "false"))
        if truth is not None:
            return truth
        problem = "is not a yes/no value"
    elif kind in FILES:
        urls = (
            (value.strip(),)
            if kind is InputKind.FILEINPUT
            else _split(value, item.separator or ",")
        )
        if urls and all(_URL.match(u) for u in urls):
            return urls[0] if kind is InputKind.FILEINPUT else urls
        return None  # rule sample-file
    elif kind in NUMBERS:
        number = _read_number(value)
        if number is None or not math.isfinite(number):
            problem = "is not a number"
        elif takes_whole_numbers(item) and not float(number).is_integer():
            problem = "is not a whole number (the input takes whole numbers)"
        else:
            return int(number) if takes_whole_numbers(item) else number
    elif kind in SELECTS and item.options:
        values = [o.value for o in item.options]
        if kind is InputKind.MULTISELECT:
            chosen = _split(value, item.separator or ",")
            if chosen and all(v in values for v in chosen):
                return chosen
        elif value in values:
            return value
        problem = "is not one of its options"
    else:
        return value
    report.warn(text.at, f"example value {value!r} of {item.name!r} {problem}; left out")
    return None
