"""Source text building blocks: the only ways spec data and names get into generated code.

* `literal` renders a *type-checked* value (``None``, ``bool``, ``int``, finite ``float``, ``str``
  and lists, tuples, dicts and frozensets of those) as a Python expression. Nothing else is ever
  spliced into generated source, so a spec string can only ever become a string literal.
* `Namer.ident` hands out identifiers from a counter; no identifier is derived from spec text.
* `SourceWriter` indents, and puts ``pass`` into blocks that would otherwise stay empty.

>>> literal({"a'\\n": [1, 2.5, None, True]})
'{"a\\'\\\\n": [1, 2.5, None, True]}'
"""

from __future__ import annotations

import keyword
import math
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["LiteralError", "Namer", "SourceWriter", "literal"]

MAX_LITERAL_DEPTH = 64


class LiteralError(ValueError):
    """A value cannot be rendered as a safe literal (wrong type, NaN, too deep, ...)."""


def _sort_key(value: object) -> tuple[int, object]:
    if type(value) is str:
        return (1, value)
    return (0, value)


def literal(value: object, _depth: int = 0) -> str:
    """Render ``value`` as Python source; raise `LiteralError` for anything not plain data.

    Exact type checks (``type(v) is str``) keep subclasses with a custom ``__repr__`` out.

    >>> literal(("properties", "x", 0))
    "('properties', 'x', 0)"
    >>> literal(frozenset({"b", "a"}))
    "frozenset({'a', 'b'})"
    """
    if _depth > MAX_LITERAL_DEPTH:
        raise LiteralError("value is nested too deeply")
    kind = type(value)
    if value is None or value is True or value is False:
        return repr(value)
    if kind is int:
        try:
            return repr(value)
        except ValueError as exc:  # beyond sys.get_int_max_str_digits()
            raise LiteralError("integer has too many digits") from exc
    if kind is float:
        assert isinstance(value, float)
        if not math.isfinite(value):
            raise LiteralError(f"{value!r} is not a finite number")
        return repr(value)
    if kind is str:
        return repr(value)
    if kind is list or kind is tuple:
        assert isinstance(value, (list, tuple))
        items = ", ".join(literal(item, _depth + 1) for item in value)
        if kind is tuple:
            return f"({items},)" if len(value) == 1 else f"({items})"
        return f"[{items}]"
    if kind is dict:
        assert isinstance(value, dict)
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise LiteralError(f"object key {key!r} is not a string")
            parts.append(f"{literal(key)}: {literal(item, _depth + 1)}")
        return "{" + ", ".join(parts) + "}"
    if kind is frozenset:
        assert isinstance(value, frozenset)
        if not value:
            return "frozenset()"
        for item in value:
            if type(item) not in (str, int, float):
                raise LiteralError("frozenset members must be strings or numbers")
        items = ", ".join(literal(item) for item in sorted(value, key=_sort_key))
        return f"frozenset({{{items}}})"
    raise LiteralError(f"a value of type {kind.__name__} cannot be a literal")


class Namer:
    """Collision-free identifiers: ``_<prefix>__<kind><n>`` with a counter.

    The part after the last double underscore is letters then digits, so two namers with
    different prefixes can never produce the same identifier.

    >>> n = Namer("pets"); n.ident("v"), n.ident("v"), n.ident("c")
    ('_pets__v1', '_pets__v2', '_pets__c3')
    """

    def __init__(self, prefix: str) -> None:
        if not prefix.isidentifier() or keyword.iskeyword(prefix) or not prefix.isascii():
            raise ValueError(f"{prefix!r} is not a valid identifier prefix")
        self._prefix = prefix
        self._count = 0

    def ident(self, kind: str) -> str:
        """A new module-level identifier; ``kind`` is a short lowercase word chosen by us."""
        if not (kind.isascii() and kind.isalpha() and kind.islower()):
            raise ValueError(f"bad identifier kind {kind!r}")
        self._count += 1
        return f"_{self._prefix}__{kind}{self._count}"


class LocalNamer:
    """Names for local variables of one generated function: ``v1``, ``k2``, ``i3``.

    Parameters are ``x`` (the instance), ``p`` (its path) and ``out`` (the violation list);
    locals are a letter and a number, so they never shadow those, builtins or module names.
    """

    def __init__(self) -> None:
        self._count = 0

    def ident(self, kind: str) -> str:
        if kind not in ("v", "k", "i", "t", "n", "m"):
            raise ValueError(f"bad local kind {kind!r}")
        self._count += 1
        return f"{kind}{self._count}"


class SourceWriter:
    """Collects indented lines; `block` adds ``pass`` to a block left empty."""

    def __init__(self, indent: int = 0) -> None:
        self.lines: list[str] = []
        self.depth = indent

    def line(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self.depth += 1
        start = len(self.lines)
        try:
            yield
        finally:
            if len(self.lines) == start:
                self.line("pass")
            self.depth -= 1

    def text(self) -> str:
        return "".join(line + "\n" for line in self.lines)
