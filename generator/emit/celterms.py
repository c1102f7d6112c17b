"""The pieces a CEL rule's Python translation is built from, and what is known about each.

`generator.emit.cel` walks a rule's parse tree into `Py` values: a subexpression's Python
source with what is known about its value at generation time (its type, whether it is a
literal, whether it may stand for an evaluation cel-python abandons), and for a dict or a list
the `Shape` the schema guarantees. An `IntForm` is integer arithmetic as plain Python behind a
guard. The helpers build the guards (``type(x) is int``) the translation puts in front of the
inline paths.

>>> constant(-1).code, type_test(Py("x"), "x", int), all_of("", "a", "b")
('(-1)', 'type(x) is int', 'a and b')
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from generator.emit.writer import literal

__all__ = [
    "IntForm",
    "Py",
    "Shape",
    "all_of",
    "constant",
    "double_constant",
    "iterable",
    "shaped",
    "type_test",
]


@dataclass(frozen=True, slots=True)
class Shape:
    """What a schema guarantees about a valid instance: its Python type, for an object the
    shapes of the properties it always has, for an array the shape of every item; ``held``
    names the local variables that already hold some of those properties.

    >>> Shape(dict, {"start": Shape(int)}).fields["start"].kind
    <class 'int'>
    """

    kind: type
    fields: Mapping[str, Shape] = field(default_factory=dict)
    items: Shape | None = None
    held: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Py:
    """A translated subexpression: Python source and what is known about its value.

    A ``kind`` (the value's Python type, known at generation time) also means the code is pure,
    cheap and never an error: it is repeated instead of bound to a temporary, and guards on it
    are left out.
    """

    code: str
    name: bool = False  # a bare name: repeated rather than bound to a temporary
    kind: type | None = None
    literal: bool = False  # ``value`` is the literal's value
    value: Any = None
    aborts: bool = False  # may stand for an evaluation cel-python abandons (raises)
    helper: str = ""  # the runtime function whose result this is, if any
    argument: str = ""  # and the code of its argument
    argument_kind: type | None = None  # and that argument's kind
    shape: Shape | None = None  # for a known dict or list: what more is known


def shaped(code: str, shape: Shape, name: bool = False) -> Py:
    """A value of a known ``shape`` (a bare ``name`` is repeated rather than bound)."""
    return Py(code, name=name, kind=shape.kind, shape=shape)


def constant(value: object) -> Py:
    """A literal operand; a negative number is parenthesized (``x - (-1)``)."""
    text = literal(value)
    text = f"({text})" if text.startswith("-") else text
    return Py(text, kind=type(value), literal=True, value=value)


def type_test(py: Py, text: str, kind: type) -> str | None:
    """The test that ``py`` (``text``) is a ``kind``: ``""`` if known, None if known not."""
    if py.kind is kind:
        return ""
    return None if py.kind is not None else f"type({text}) is {kind.__name__}"


def all_of(*tests: str) -> str:
    """The conjunction of the non-empty ``tests`` (``"True"`` if there are none)."""
    return " and ".join(test for test in tests if test) or "True"


def double_constant(value: float) -> Py:
    """A double literal; an infinity as ``1e999`` (`literal()` takes finite numbers only)."""
    if value in (math.inf, -math.inf):
        return Py("1e999" if value > 0 else "(-1e999)", kind=float, literal=True, value=value)
    return constant(value)


def iterable(target: Py) -> bool:
    """A known list whose code may be a comprehension's iterable (which cannot bind names)."""
    return target.kind is list and ":=" not in target.code


@dataclass(frozen=True, slots=True)
class IntForm:
    """Integer arithmetic as plain Python: valid when `guard` holds (see
    ``int_form`` in `generator.emit.cel`)."""

    checks: tuple[str, ...]
    fast: str
    slow: str
    leaf: Py | None = None  # the operand, for a form that is one
    operands: tuple[str, ...] = ()  # the first uses of operands not known to be ints
    aborts: bool = False

    @property
    def guard(self) -> str:
        """The operands are ints (tested in one chain, which binds them all), then the checks."""
        tests = [f"type({operand}) is" for operand in self.operands]
        return all_of(" ".join(tests) + " int" if tests else "", *self.checks)
