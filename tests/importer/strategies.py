"""Random specs in the importer's canonical form (what an import can produce), for property tests.

Text is drawn from hostile characters (quotes, brackets, ``#``, ``&``, ``%``, curly quotes, emoji,
math-bold letters, YAML words such as ``NO`` and ``1.0``) with two limits that real pages share:
no word ends with ``:`` (a page has no other way to tell a field from text) and text is one line
of single-spaced words (what the page's flattening keeps).
"""

from __future__ import annotations

from hypothesis import strategies as st

from generator.importer.rules import takes_whole_numbers
from generator.importer.spec import Boolean, Example, Input, Option, Spec, Value
from generator.ir import InputKind
from generator.normalize import naming

# Deliberately hostile: curly quotes, a dash, emoji and math-bold letters sit beside ASCII.
_CHARS = "abcxyzABCXYZ0189_.,;!?'\"()[]{}#&*%@`~<>\\|=+^$-:\u00e9\u00df\u201c\u201d\u2019\u2014"
_CHARS += "\U0001f680\U0001d401\U0001d428\u2728\u4e2d"
# Words YAML would misread, and HTML entities (which pages use in text for people).
_SPECIAL_WORDS = ["NO", "yes", "on", "Off", "null", "~", "1.0", "16:9", "0x1F", "2024-01-01", "<<"]
_SPECIAL_WORDS += ["&lt;b&gt;", "&amp;", "x&quot;y"]


def _word_ok(word: str) -> bool:
    return not word.endswith(":") and "##" not in word and word != "-"


word = st.one_of(
    st.text(alphabet=_CHARS, min_size=1, max_size=6),
    st.sampled_from(_SPECIAL_WORDS),
).filter(_word_ok)
text = st.lists(word, min_size=1, max_size=5).map(" ".join)
_LOWER = "abcdefghijklmnopqrstuvwxyz"
_ALNUM = _LOWER + _LOWER.upper() + "0123456789"


def _joined(first: str, rest: str, max_size: int, last: str = "") -> st.SearchStrategy[str]:
    """Strings of one character from ``first``, then up to ``max_size`` from ``rest``, then
    one from ``last`` when given (``st.from_regex`` would do, several times slower)."""
    parts = [st.sampled_from(first), st.text(alphabet=rest, max_size=max_size)]
    if last:
        parts.append(st.sampled_from(last))
    return st.tuples(*parts).map("".join)


plain_word = _joined(_LOWER, _LOWER + "0123456789", 7)
url = st.builds(
    lambda path, ext: f"https://cdn.example.com/{path}.{ext}",
    _joined(_LOWER + "0123456789", _LOWER + "0123456789_/-", 12),
    st.sampled_from(["png", "jpg", "mp4"]),
)
input_name = _joined(_LOWER + _LOWER.upper(), _ALNUM + "_", 10).filter(
    lambda n: not n.endswith("Url")
)
small_int = st.integers(min_value=-1000, max_value=100_000)
small_float = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)

# The yes/no families, written in each case Wiro pages use.
_FAMILIES = [
    ("true", "false"),
    ("True", "False"),
    ("TRUE", "FALSE"),
    ("yes", "no"),
    ("Yes", "No"),
    ("YES", "NO"),
    ("on", "off"),
    ("On", "Off"),
    ("1", "0"),
]
_TRUTH_WORDS = {w.lower() for pair in _FAMILIES for w in pair}


@st.composite
def options(draw: st.DrawFn, *, cover: bool = False, multi: bool = False) -> tuple[Option, ...]:
    value = text.filter(lambda v: "," not in v and ";" not in v) if multi else text
    values = draw(st.lists(value, min_size=1, max_size=6, unique=True))
    if len(values) == 2 and all(v.lower() in _TRUTH_WORDS for v in values):
        values = [*values, "third"]  # a yes/no pair would be imported as a boolean
    return tuple(
        Option(
            value=v,
            label=draw(st.none() | text),
            description=draw(st.none() | text),
            trigger_words=tuple(draw(st.lists(text, max_size=3))),
            cover=draw(st.none() | url) if cover else None,
        )
        for v in values
    )


@st.composite
def select_input(draw: st.DrawFn, name: str, kind: InputKind) -> Input:
    label, help_text = draw(st.none() | text), draw(st.none() | text)
    base = Input(name=name, kind=kind, label=label, help=help_text)
    if kind is InputKind.SELECT and draw(st.booleans()):
        return draw(boolean_select(base))
    if kind is not InputKind.MULTISELECT and draw(st.integers(0, 5)) == 0:
        free = draw(st.just("") | text)  # no options: any value, always optional
        return Input(name=name, kind=kind, label=label, help=help_text, default=free, options=())
    opts = draw(
        options(cover=kind is InputKind.SELECTWITHCOVER, multi=kind is InputKind.MULTISELECT)
    )
    values = [o.value for o in opts]
    default: Value | None
    separator = None
    if kind is InputKind.MULTISELECT:
        chosen = draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
        default = draw(st.sampled_from([None, "", tuple(chosen)]))
        if isinstance(default, tuple) and len(default) > 1 and draw(st.booleans()):
            separator = ";"
    else:
        default = draw(st.sampled_from([None, "", *values]))
    return Input(
        name=name,
        kind=kind,
        label=label,
        help=help_text,
        default=default,
        separator=separator,
        options=opts,
    )


@st.composite
def boolean_select(draw: st.DrawFn, base: Input) -> Input:
    true_value, false_value = draw(st.sampled_from(_FAMILIES))
    yes_no = ["Yes", "No", "YES", "NO", "Enabled", "Disabled", None]
    pair = [
        Option(true_value, label=draw(st.sampled_from(yes_no))),
        Option(false_value, label=draw(st.sampled_from(yes_no))),
    ]
    if draw(st.booleans()):
        pair.reverse()
    state = draw(st.sampled_from(["required", "optional", True, False]))
    return Input(
        name=base.name,
        kind=InputKind.SELECT,
        label=base.label,
        help=base.help,
        default=state if isinstance(state, bool) else None,
        optional=state == "optional",
        boolean=Boolean(true_value, false_value),
        options=tuple(pair),
    )


@st.composite
def checkbox_input(draw: st.DrawFn, name: str) -> Input:
    base = Input(name=name, kind=InputKind.CHECKBOX, label=draw(st.none() | text))
    form = draw(st.sampled_from(["plain", "optional", "family", "flag"]))
    if form == "optional":
        return Input(name=name, kind=InputKind.CHECKBOX, label=base.label, optional=True)
    if form == "flag":
        flag = "--" + draw(plain_word)
        return Input(
            name=name,
            kind=InputKind.CHECKBOX,
            label=base.label,
            default=True,
            boolean=Boolean(flag, ""),
        )
    boolean = None
    if form == "family":
        boolean = Boolean(*draw(st.sampled_from(_FAMILIES[1:])))
    return Input(
        name=name,
        kind=InputKind.CHECKBOX,
        label=base.label,
        default=draw(st.booleans()),
        boolean=boolean,
    )


@st.composite
def number_input(draw: st.DrawFn, name: str, kind: InputKind) -> Input:
    value = small_int if kind is InputKind.NUMBER else small_int | small_float
    low, high = sorted(draw(st.lists(value, min_size=2, max_size=2)))
    minimum = draw(st.none() | st.just(low))
    maximum = draw(st.none() | st.just(high))
    step = draw(
        st.none()
        | (st.integers(1, 10) if kind is InputKind.NUMBER else st.sampled_from([1, 0.05, 0.5]))
    )
    state = draw(st.sampled_from(["required", "optional", "value"]))
    default: int | float | None = None
    if state == "value":
        default = draw(value)
        if minimum is not None and default < minimum:
            default = minimum
        if maximum is not None and default > maximum:
            default = maximum
    return Input(
        name=name,
        kind=kind,
        help=draw(st.none() | text),
        default=default,
        optional=state == "optional",
        minimum=minimum,
        maximum=maximum,
        step=step,
    )


@st.composite
def file_input(draw: st.DrawFn, name: str, kind: InputKind) -> Input:
    separator = None
    default: Value | None
    if kind is InputKind.FILEINPUT:
        default = draw(st.sampled_from([None, ""]) | url)
    else:
        urls = tuple(draw(st.lists(url, min_size=1, max_size=3)))
        default = draw(st.sampled_from([None, "", urls]))
        if isinstance(default, tuple) and len(default) > 1 and draw(st.booleans()):
            separator = ";"
    return Input(
        name=name, kind=kind, label=draw(st.none() | text), default=default, separator=separator
    )


@st.composite
def text_input(draw: st.DrawFn, name: str, kind: InputKind) -> Input:
    return Input(
        name=name,
        kind=kind,
        label=draw(st.none() | text),
        help=draw(st.none() | text),
        default=draw(st.sampled_from([None, ""]) | text),
    )


@st.composite
def any_input(draw: st.DrawFn, name: str) -> Input:
    kind = draw(st.sampled_from(list(InputKind)))
    if kind in (InputKind.SELECT, InputKind.SELECTWITHCOVER, InputKind.MULTISELECT):
        return draw(select_input(name, kind))
    if kind is InputKind.CHECKBOX:
        return draw(checkbox_input(name))
    if kind in (InputKind.NUMBER, InputKind.FLOAT, InputKind.RANGE):
        return draw(number_input(name, kind))
    if kind in (InputKind.FILEINPUT, InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT):
        return draw(file_input(name, kind))
    return draw(text_input(name, kind))


def _example_values(item: Input) -> st.SearchStrategy[Value]:
    """Values an example can hold for ``item``, as a page can show them."""
    kind = item.kind
    if item.boolean is not None and item.boolean.false_value == "":
        return st.just(True)  # a flag's "false" is empty: a page cannot show it
    if item.boolean is not None or kind is InputKind.CHECKBOX:
        return st.booleans()
    if takes_whole_numbers(item):
        return small_int
    if kind in (InputKind.FLOAT, InputKind.RANGE):
        return small_int | small_float
    if kind is InputKind.FILEINPUT:
        return url
    if kind in (InputKind.MULTIFILEINPUT, InputKind.COMBINEFILEINPUT):
        return st.lists(url, min_size=1, max_size=3).map(tuple)
    if item.options:
        values = [o.value for o in item.options]
        if kind is InputKind.MULTISELECT:
            return st.lists(st.sampled_from(values), min_size=1, unique=True).map(tuple)
        return st.sampled_from(values)
    return text


@st.composite
def examples(draw: st.DrawFn, inputs: tuple[Input, ...]) -> tuple[Example, ...]:
    """Examples a flat list can hold: each next one starts with a key of the one before it."""
    usable = list(inputs)
    if not usable:
        return ()
    out: list[Example] = []
    for _ in range(draw(st.integers(0, 3))):
        chosen = draw(
            st.lists(st.sampled_from(usable), min_size=1, max_size=4, unique_by=lambda i: i.name)
        )
        if out:
            previous = {name for name, _ in out[-1]}
            first = draw(st.sampled_from([i for i in usable if i.name in previous]))
            chosen = [first, *(i for i in chosen if i.name != first.name)]
        values = [(i.name, draw(_example_values(i))) for i in chosen]
        out.append(tuple(values))
    return tuple(out)


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    names = draw(
        st.lists(
            input_name,
            max_size=6,
            unique_by=(lambda n: n, lambda n: naming.snake(n, "input")),
        )
    )
    inputs = tuple(draw(any_input(n)) for n in names)
    owner = draw(_joined(_LOWER, _LOWER + "0123456789-", 10, last=_LOWER + "0123456789"))
    slug = draw(_joined(_ALNUM, _ALNUM + " .-", 14, last=_ALNUM))
    shown = draw(text.filter(lambda t: "/" not in t))
    return Spec(
        provider="wiro",
        name=f"{owner}/{shown}",
        endpoint=f"{owner}/{slug}",
        description=draw(st.none() | text),
        cover=draw(st.none() | url),
        categories=tuple(draw(st.lists(text, max_size=3))),
        tags=tuple(draw(st.lists(text, max_size=3))),
        inputs=inputs,
        examples=draw(examples(inputs)),
    )
