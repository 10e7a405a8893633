"""What every family of input kinds answers, and the context it reads a spec input in.

A family holds, side by side, everything wirogen knows about its kinds:

- **normalising**: :meth:`Family.read` turns the spec's mapping into the family's facts (the
  fields of :class:`~generator.ir.Input` it owns), checking the rules that protect them;
  :meth:`Family.coerce` reads one value (a default, an example's) as the input's type;
  :meth:`Family.check_default` checks a default against those facts;
- **typing**: the ``run()`` annotation, the Python literal of a value, the Python-level schema
  datamodel-code-generator makes the input model from, and the wire-level JSON Schema;
- **documenting**: the sentences a docstring and a doc page add about the input, its "Type"
  cell, and a stand-in value for examples;
- **the wire rule**: :meth:`Family.wire_value` (how a Python value travels) here, and the macro
  ``input_spec`` of :attr:`Family.template`, which writes the ``InputSpec`` the runtime lays the
  input out on the wire with.

A family is a module of :mod:`generator.inputs` plus its macro in ``templates/python/inputs/``;
nothing else switches over input kinds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol

from ..diagnostics import Diagnostic, error
from ..emit import text
from ..ir import BooleanWire, FileFields, Input, InputKind, Option, Value, ValueType
from ..load import Document, PathKey
from ..normalize import naming
from ..normalize.values import Invalid, as_text

__all__ = ["Facts", "Family", "Invalid", "Reading", "Shaped"]


class Shaped(Protocol):
    """What reading a value needs of an input: its family's facts (an :class:`Input` has them)."""

    @property
    def value_type(self) -> ValueType: ...
    @property
    def options(self) -> tuple[Option, ...]: ...
    @property
    def boolean(self) -> BooleanWire | None: ...
    @property
    def separator(self) -> str | None: ...
    @property
    def file(self) -> FileFields | None: ...


@dataclass(frozen=True)
class Facts:
    """The fields of an :class:`~generator.ir.Input` that its family decides."""

    value_type: ValueType
    options: tuple[Option, ...] = ()
    enum_name: str | None = None
    boolean: BooleanWire | None = None
    minimum: int | float | None = None
    maximum: int | float | None = None
    step: int | float | None = None
    separator: str | None = None
    file: FileFields | None = None


@dataclass
class Reading:
    """One input of a spec being read: its mapping, where it stands, and where problems go."""

    doc: Document
    raw: Mapping[str, Any]
    path: PathKey
    kind: InputKind
    py_name: str
    enum_names: set[str]
    """Class names the model's module already binds; a new enum takes a free one and adds it."""
    problems: list[Diagnostic] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.raw["name"])

    def at(self, *key: str | int) -> PathKey:
        return (*self.path, *key)

    def fail(self, key: tuple[str | int, ...], message: str) -> None:
        self.problems.append(error(self.doc.at(self.at(*key)), message))

    def text(self, *key: str | int) -> str:
        """The text at ``key`` of this input, read as written (see ``normalize.values``)."""
        value: Any = self.raw
        for part in key:
            value = value[part]
        return as_text(self.doc, self.at(*key), value)

    def line(self, path: PathKey) -> int:
        return self.doc.at(path).line


class Family:
    """The rules of one family of input kinds. Subclasses override what differs."""

    name: ClassVar[str]
    """The family's name, as :attr:`Input.family <generator.ir.Input.family>` records it."""
    kinds: ClassVar[frozenset[InputKind]]
    """The spec types this family reads (:meth:`claims` may take others)."""

    @property
    def template(self) -> str:
        """The template whose ``input_spec(item)`` macro writes this family's ``InputSpec``."""
        return f"python/inputs/{self.name}.py.j2"

    def claims(self, kind: InputKind, raw: Mapping[str, Any]) -> bool:
        """Whether an input of type ``kind`` written as ``raw`` belongs to this family."""
        return kind in self.kinds

    # --- normalising ------------------------------------------------------------------------

    def read(self, reading: Reading) -> Facts:
        """This family's facts of the input; problems go to ``reading``."""
        raise NotImplementedError

    def coerce(self, doc: Document, path: PathKey, value: Any, shape: Shaped) -> Value:
        """``value`` read as the input's type, or :class:`Invalid` saying why not."""
        if isinstance(value, list):
            raise Invalid("expected one value, found a list")
        return as_text(doc, path, value)

    def check_default(self, reading: Reading, facts: Facts, default: Value) -> None:
        """Rules a default must follow beyond its type (a range, a URL)."""

    # --- typing ----------------------------------------------------------------------------

    def annotation(self, item: Input) -> str:
        """The type of the input's ``run()`` argument."""
        return {ValueType.INT: "int", ValueType.FLOAT: "float", ValueType.BOOL: "bool"}.get(
            item.value_type, "str"
        )

    def literal(self, item: Input, value: Value) -> str:
        """``value`` as Python source, in the form the ``run()`` annotation takes."""
        return text.py_literal(value)

    def python_schema(self, item: Input, defs: dict[str, Any]) -> dict[str, Any]:
        """The input's Python-level type as JSON Schema, for datamodel-code-generator; shared
        definitions (an enum) go in ``defs``."""
        return {"type": "string"}

    def wire_schema(self, item: Input) -> dict[str, Any]:
        """The input's type on the wire as JSON Schema (the public schema of the Run body)."""
        return {"type": "string"}

    def wire_value(self, item: Input, value: Any) -> Any:
        """A Python-level value as the wire carries it (schema examples, curl examples)."""
        return value

    # --- documenting -----------------------------------------------------------------------

    def notes(self, item: Input) -> list[str]:
        """Sentences a ``run()`` docstring adds about the input, after its label and help."""
        return []

    def page_notes(self, item: Input) -> list[str]:
        """Sentences (Markdown) a doc page's inputs table adds about the input."""
        return []

    def wire_notes(self, item: Input) -> list[str]:
        """Sentences the public JSON Schema's description adds about the input."""
        return []

    def type_cell(self, item: Input) -> str:
        """The "Type" cell of the doc page's inputs table (plain text)."""
        return item.kind.value

    def placeholder(self, item: Input) -> Value:
        """A stand-in for a required input that no example gives."""
        return f"your {item.label.lower()}"

    def example_argument(self, item: Input, value: Value, indent: str) -> str:
        """``name=value,`` for one argument of a doc page's Python example, in black's layout."""
        return f"{indent}{item.py_name}={self.literal(item, value)},"


def free_enum_name(reading: Reading) -> str:
    """A class name for the input's enum: its own name, with ``Option`` appended until neither
    the enum nor its raw-values alias (``<Enum>Value``) collides with a name the module binds."""
    name = naming.pascal(reading.py_name)
    taken = reading.enum_names
    while name in taken or f"{name}Value" in taken or name in naming.MODULE_NAMES:
        name += "Option"
    taken.update({name, f"{name}Value"})
    return name
