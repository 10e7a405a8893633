"""The naming rule: any wire name, owner, slug or option label to a valid, stable Python name.

1. Letters are folded to ASCII (NFKD, accents dropped: ``é`` -> ``e``); anything that is not a
   letter or digit separates words.
2. Words also split where a lower-case letter or digit meets a capital (``inputImageUrl``), and
   before the last capital of a run of three or more followed by lower case (``HTTPServer`` ->
   ``http_server``); a run of two stays together (``IDscale`` -> ``idscale``).
3. Snake case for attributes, arguments and modules; UPPER_SNAKE for enum members; PascalCase
   for classes.
4. A name that would start with a digit gets a word in front that says what it is
   (``input_``, ``model_``, ``owner_``, ``VALUE_``, ``Model``); so does an input name starting with
   ``model_dump`` or ``model_validate``, which pydantic reserves (``input_model_dump``).
5. A name that is a Python keyword or soft keyword, a builtin, or a name the generated code uses
   itself (``self``, pydantic's ``BaseModel`` attributes) gets a trailing underscore
   (``type`` -> ``type_``, ``json`` -> ``json_``).
6. A class name that the generated modules already bind (``Task``, ``Field``, ``Literal``, ...:
   :data:`MODULE_NAMES`) or that another class of the same model took gets ``Option`` appended
   (an enum) or ``Model`` (a model's client class).
7. A name with no letters or digits at all is refused by validation (it cannot be made readable).

Two names that end up equal are a spec error naming both; the wire name is always kept as sent.
"""

from __future__ import annotations

import builtins
import keyword
import re
import unicodedata
from typing import Literal

NameKind = Literal["input", "model", "owner"]

_PREFIX: dict[NameKind, str] = {"input": "input_", "model": "model_", "owner": "owner_"}

# Names the generated modules use themselves, beside keywords and builtins.
_RUNTIME_NAMES = frozenset(
    {
        "self",
        "cls",
        # pydantic.BaseModel's attributes and methods: a field with one of these names shadows it.
        "copy",
        "dict",
        "json",
        "schema",
        "schema_json",
        "construct",
        "validate",
        "fields",
        "parse_obj",
        "parse_raw",
        "parse_file",
        "from_orm",
        "update_forward_refs",
        "model_config",
        "model_fields",
        "model_computed_fields",
        "model_extra",
        "model_fields_set",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
    }
)
_PYDANTIC_PROTECTED = ("model_dump", "model_validate")
"""pydantic warns on import about any field whose name starts with these (its protected namespaces)."""
_RESERVED = (
    frozenset(keyword.kwlist)
    | frozenset(keyword.softkwlist)
    | frozenset(dir(builtins))
    | _RUNTIME_NAMES
)

MODULE_NAMES = frozenset(
    {
        # resources/<owner>/<model>.py imports these from the runtime and typing ...
        "AsyncModelResource",
        "AsyncTask",
        "FileInput",
        "InputSpec",
        "Literal",
        "ModelResource",
        "ModelSpec",
        "Sequence",
        "Task",
        # ... and types/<owner>/<model>.py these from pydantic, enum and typing.
        "Annotated",
        "Any",
        "BaseModel",
        "ConfigDict",
        "Enum",
        "Field",
        "RootModel",
        "StrEnum",
    }
)
"""Class-like names bound at module level by every generated module; no generated class may
shadow one (tests/generator/test_naming.py checks the generated modules against this list)."""


def free_class_name(base: str, taken: set[str], suffix: str) -> str:
    """``base``, or ``base`` + ``suffix`` (repeated) until it is neither reserved nor taken."""
    name = base
    while name in MODULE_NAMES or name in taken:
        name += suffix
    return name


_CAMEL_LOWER_UPPER = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_CAMEL_ACRONYM = re.compile(r"(?<=[A-Z]{2})(?=[A-Z][a-z])")
_NOT_WORD = re.compile(r"[^A-Za-z0-9]+")


def words(text: str) -> list[str]:
    """Split any text into lower-case ASCII words by the rule above."""
    folded = unicodedata.normalize("NFKD", text)
    ascii_only = "".join(c for c in folded if c.isascii() and not unicodedata.combining(c))
    spaced = _CAMEL_ACRONYM.sub(" ", _CAMEL_LOWER_UPPER.sub(" ", ascii_only))
    return [w.lower() for w in _NOT_WORD.split(spaced) if w]


def has_word(text: str) -> bool:
    return bool(words(text))


def snake(text: str, kind: NameKind) -> str:
    """``inputImageUrl`` -> ``input_image_url``; ``class`` -> ``class_``; ``3d`` -> ``input_3d``."""
    name = "_".join(words(text))
    if not name:
        raise ValueError(f"{text!r} has no letters or digits to make a name from")
    if name[0].isdigit() or (kind == "input" and name.startswith(_PYDANTIC_PROTECTED)):
        name = _PREFIX[kind] + name
    return name + "_" if name in _RESERVED else name


def pascal(text: str) -> str:
    """``flux-pro-1-1`` -> ``FluxPro11``; ``3d-gen`` -> ``Model3dGen``."""
    name = "".join(w[:1].upper() + w[1:] for w in words(text))
    if not name:
        raise ValueError(f"{text!r} has no letters or digits to make a name from")
    return "Model" + name if name[0].isdigit() else name


def enum_member(label: str) -> str | None:
    """``stabilityai/stable-diffusion-xl-base-1.0`` -> ``STABILITYAI_STABLE_DIFFUSION_XL_BASE_1_0``.

    None when the label has no letters or digits (the caller falls back to the value).
    """
    name = "_".join(words(label)).upper()
    if not name:
        return None
    return "VALUE_" + name if name[0].isdigit() else name


def unique_members(candidates: list[str | None]) -> list[str]:
    """Make enum member names unique in list order: the second ``X`` becomes ``X_2``."""
    taken: set[str] = set()
    out: list[str] = []
    for candidate in candidates:
        base = candidate or "EMPTY"
        name, n = base, 1
        while name in taken:
            n += 1
            name = f"{base}_{n}"
        taken.add(name)
        out.append(name)
    return out


def humanize(key: str, vocabulary: str = "") -> str:
    """A translation key as readable text: ``select-model`` -> ``Select model``.

    Words run together in the key are split where they end in a word of ``vocabulary`` (the
    input's wire name): ``guidancescale`` for ``scale`` reads ``Guidance scale``.
    """
    known = sorted({w for w in words(vocabulary) if len(w) >= 3}, key=len, reverse=True)
    parts = [piece for token in words(key) for piece in _split_known(token, known)]
    text = " ".join(parts)
    return text[:1].upper() + text[1:] if text else key


def _split_known(token: str, known: list[str]) -> list[str]:
    for word in known:
        if token != word and token.endswith(word) and len(token) - len(word) >= 3:
            return [*_split_known(token[: -len(word)], known), word]
    return [token]


_TRANSLATION_KEY = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def is_translation_key(text: str) -> bool:
    """Wiro pages show i18n keys where text is missing: ``select-model-help``, ``inferencesteps``.

    A key is one lower-case token of ASCII letters and digits, optionally joined by ``-`` or ``_``.
    Labels that are keys are shown humanised (``Select model``); help texts that are keys are not
    shown at all, since they carry no meaning (and are sometimes another input's: ``samples`` has
    ``guidancescale-help``).
    """
    return bool(_TRANSLATION_KEY.match(text))
