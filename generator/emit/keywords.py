"""The keyword table: one small emitter per JSON Schema keyword, in evaluation order.

Each emitter receives the `FunctionEmitter`, the `Node` being compiled and the keyword's raw
value; it type-checks the value (a bad value is a `GenerationError` naming its pointer) and
writes code through ``f.fail`` / ``f.guard`` / ``f.child``. Keywords of one ``group`` share a
single type guard (``if type(x) is str:``), skipped when the type is already known.
Object, array and combinator keywords live in `generator.emit.applicators`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from generator.emit import applicators as app
from generator.emit.patterns import PatternError, translate
from generator.emit.utc_patterns import covers_utc_seconds
from generator.emit.writer import LiteralError, literal

if TYPE_CHECKING:
    from generator.emit.function import FunctionEmitter, Node

__all__ = ["KEYWORDS", "Keyword", "number"]

Emitter = Callable[["FunctionEmitter", "Node", object], None]
_NUMERIC = ("integer", "number")


@dataclass(frozen=True, slots=True)
class Keyword:
    """A keyword, the instance type it applies to (None: every type) and its emitter."""

    name: str
    group: str | None
    emit: Emitter


def number(f: FunctionEmitter, node: Node, keyword: str, value: object) -> int | float:
    """``value`` if it is a finite JSON number (not a boolean), else a `GenerationError`."""
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return value
    raise f.error((*node.loc, keyword), f"{keyword} must be a number, not {value!r:.60}")


def emit_type(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"type": "string"}``, ``{"type": ["integer", "null"]}``; OpenAPI adds ``nullable``.

    ``if not (type(x) is str): return False``
    """
    names = f.unit.dialect.type_names(f, node, value)
    checks = [f.unit.type_check(name, node.var) for name in names]
    if f.unit.dialect.admits_null(node.schema):
        checks.insert(0, f"{node.var} is None")
    if len(checks) == 1 and " or " not in checks[0]:
        test = checks[0].replace(" is ", " is not ", 1)
    else:
        test = f"not ({' or '.join(checks)})"
    with f.w.block(f"if {test}:"):
        f.fail(node, "type", literal(names))


def emit_enum(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"enum": ["a", 1, null, [1]]}``: JSON equality, so ``true`` is not ``1``.

    ``if not (type(x) is str and x in _c1 or (type(x) is int or ...) and x == 1 or ...)``
    """
    if type(value) is not list or not value:
        raise f.error((*node.loc, "enum"), "enum must be a non-empty array")
    try:
        literal(value)
    except LiteralError as exc:
        raise f.error((*node.loc, "enum"), f"enum value is not plain JSON: {exc}") from exc
    v = node.var
    strings = [m for m in value if type(m) is str]
    numbers = [m for m in value if type(m) in (int, float)]
    # Once the fast path knows the type, only members of that type can match: ``x != 1``.
    same = strings if node.known == "string" else numbers if node.known in _NUMERIC else []
    if f.fast and same:
        test = (
            f"{v} != {literal(same[0])}"
            if len(same) == 1
            else f"{v} not in {f.const(frozenset(same))}"
        )
        with f.w.block(f"if {test}:"):
            f.fail(node, "enum", f.const(value))
        return
    checks = []
    if len(strings) == 1:
        checks.append(f"{v} == {literal(strings[0])}")
    elif strings:
        checks.append(f"(type({v}) is str and {v} in {f.const(frozenset(strings))})")
    if len(numbers) == 1:
        checks.append(
            f"((type({v}) is int or type({v}) is float) and {v} == {literal(numbers[0])})"
        )
    elif numbers:
        checks.append(
            f"((type({v}) is int or type({v}) is float) and {v} in {f.const(frozenset(numbers))})"
        )
    checks += [f"{v} is {literal(m)}" for m in (True, False, None) if any(x is m for x in value)]
    containers = [m for m in value if type(m) in (list, dict)]
    if containers:
        checks.append(f"_rt.json_in({v}, {f.const(containers)})")
    with f.w.block(f"if not ({' or '.join(checks)}):"):
        f.fail(node, "enum", f.const(value))


def emit_format(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"format": "date-time"}``: checked by a runtime predicate; other types pass.

    ``if type(x) is str and not _rt.is_date_time(x): return False``
    """
    if type(value) is not str:
        raise f.error((*node.loc, "format"), "format must be a string")
    spec = f.unit.dialect.formats.get(value)
    if spec is None:
        if f.unit.options.unknown_formats == "ignore":
            return
        known = ", ".join(sorted(f.unit.dialect.formats))
        raise f.error((*node.loc, "format"), f"unknown format {value!r:.60} (known: {known})")
    v = node.var
    regex = _utc_second_pattern(f, node)
    if regex is not None:  # the pattern's check is written here too, under one cheap test
        with f.guard(node, "string"), f.w.block(f"if not _rt.is_utc_second({v}):"):
            with f.w.block(f"if not _rt.{spec.function}({v}):"):
                f.fail(node, "format", literal(value))
            with f.w.block(f"if {regex}.search({v}) is None:"):
                f.fail(node, "pattern", literal(node.schema["pattern"]))
    elif spec.function is not None:
        with f.guard(node, "string"), f.w.block(f"if not _rt.{spec.function}({v}):"):
            f.fail(node, "format", literal(value))
    elif spec.bounds is not None:
        if _integer_range(f, node, "format"):
            return
        low, high = spec.bounds
        with f.w.block(f"if type({v}) is int and not ({low} <= {v} <= {high}):"):
            f.fail(node, "format", literal(value))


def _integer_range(f: FunctionEmitter, node: Node, keyword: str) -> bool:
    """In the fast path on a known integer, one ``if not 0 <= x <= 9223372036854775807`` for
    the integer ``format``'s bounds, ``minimum`` and ``maximum`` together, written by the first
    of them (``keyword``); True if ``keyword`` is taken care of by it."""
    if not f.fast or node.known != "integer":
        return False
    name = node.schema.get("format")
    spec = f.unit.dialect.formats.get(name) if type(name) is str else None
    bounds = spec.bounds if spec is not None else None
    present = [k for k in ("minimum", "maximum") if k in node.schema]
    first = "format" if bounds is not None else present[0]
    if keyword != first:
        return True
    lows, highs = [bounds[0]] if bounds else [], [bounds[1]] if bounds else []
    if "minimum" in present:  # x >= 0.5 is x >= 1, x > 0.5 is x >= 1 for an integer x
        limit, exclusive = _limit(f, node, "minimum", "exclusiveMinimum")
        lows.append(math.floor(limit) + 1 if exclusive else math.ceil(limit))
    if "maximum" in present:
        limit, exclusive = _limit(f, node, "maximum", "exclusiveMaximum")
        highs.append(math.ceil(limit) - 1 if exclusive else math.floor(limit))
    parts = [str(max(lows))] if lows else []
    parts += [node.var] + ([str(min(highs))] if highs else [])
    with f.w.block(f"if not {' <= '.join(parts)}:"):
        f.fail(node, first)
    return True


def _limit(
    f: FunctionEmitter, node: Node, keyword: str, exclusive: str
) -> tuple[int | float, bool]:
    """The checked value of ``minimum``/``maximum`` and of its ``exclusive...`` flag."""
    limit = number(f, node, keyword, node.schema[keyword])
    flag = node.schema.get(exclusive, False)
    if flag is not True and flag is not False:
        raise f.error((*node.loc, exclusive), f"{exclusive} must be a boolean")
    return limit, flag


def _bound(f: FunctionEmitter, node: Node, value: object, keyword: str, exclusive: str) -> None:
    limit, flag = _limit(f, node, keyword, exclusive)
    if _integer_range(f, node, keyword):
        return
    operator = {"minimum": "<", "maximum": ">"}[keyword] + ("=" if flag else "")
    with f.w.block(f"if {node.var} {operator} {literal(limit)}:"):
        f.fail(node, exclusive if flag else keyword, literal(limit))


def emit_minimum(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"minimum": 0, "exclusiveMinimum": true}``: ``if x <= 0: return False``."""
    _bound(f, node, value, "minimum", "exclusiveMinimum")


def emit_maximum(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"maximum": 10}``: ``if x > 10: return False``."""
    _bound(f, node, value, "maximum", "exclusiveMaximum")


def emit_multiple_of(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"multipleOf": 0.01}``: exact, on the decimal value (``0.0075`` is a multiple of
    ``0.0001``). Integers: ``if x * 100 % 1: ...``; floats: ``_rt.is_multiple(x, 1, 100)``.
    """
    divisor = number(f, node, "multipleOf", value)
    if divisor <= 0:
        raise f.error((*node.loc, "multipleOf"), "multipleOf must be greater than 0")
    ratio = Fraction(repr(divisor))
    num, den = ratio.numerator, ratio.denominator
    v = node.var
    float_test = f"not _rt.is_multiple({v}, {num}, {den})"
    if num == 1:  # every integer is a multiple of 1/den
        if node.known != "integer":
            with f.w.block(f"if type({v}) is float and {float_test}:"):
                f.fail(node, "multipleOf", literal(divisor))
        return
    int_test = f"{v} % {num}" if den == 1 else f"{v} * {den} % {num}"
    with f.w.block(f"if type({v}) is int:"), f.w.block(f"if {int_test}:"):
        f.fail(node, "multipleOf", literal(divisor))
    if node.known != "integer":
        with f.w.block(f"elif {float_test}:"):
            f.fail(node, "multipleOf", literal(divisor))


def emit_min_length(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"minLength": 2}`` (code points): ``if len(x) < 2: return False``."""
    limit = app.count(f, node, "minLength", value)
    if limit and not app.length_range(f, node, "minLength", limit, "maxLength"):
        with f.w.block(f"if len({node.var}) < {limit}:"):
            f.fail(node, "minLength", literal(limit))


def emit_max_length(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"maxLength": 5}``: ``if len(x) > 5: return False``."""
    limit = app.count(f, node, "maxLength", value)
    if app.length_range(f, node, "minLength", None, "maxLength"):
        return
    with f.w.block(f"if len({node.var}) > {limit}:"):
        f.fail(node, "maxLength", literal(limit))


def _utc_second_pattern(f: FunctionEmitter, node: Node) -> str | None:
    """In the fast path, for ``format: date-time`` with a ``pattern`` proved to accept every
    ``YYYY-MM-DDTHH:MM:SSZ`` time, the pattern's regex: then ``_rt.is_utc_second(x)`` implies
    both, and the two exact checks run only when it is false (`generator.emit.utc_patterns`).
    """
    pattern, name = node.schema.get("pattern"), node.schema.get("format")
    if not f.fast or type(pattern) is not str or type(name) is not str:
        return None
    spec = f.unit.dialect.formats.get(name)
    if spec is None or spec.function != "is_date_time":
        return None
    try:
        python = translate(pattern)
    except PatternError:  # emit_pattern reports it
        return None
    if not covers_utc_seconds(python):
        return None
    return f.regex(pattern, (*node.loc, "pattern"))


def emit_pattern(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"pattern": "^[a-z]+$"}`` (ECMA-262, translated once): ``if _r1.search(x) is None``."""
    if _utc_second_pattern(f, node) is not None:  # written by emit_format
        return
    regex = f.regex(value, (*node.loc, "pattern"))
    with f.w.block(f"if {regex}.search({node.var}) is None:"):
        f.fail(node, "pattern", literal(value))


KEYWORDS: tuple[Keyword, ...] = (
    Keyword("type", None, emit_type),
    Keyword("enum", None, emit_enum),
    Keyword("format", None, emit_format),
    Keyword("minimum", "number", emit_minimum),
    Keyword("maximum", "number", emit_maximum),
    Keyword("multipleOf", "number", emit_multiple_of),
    Keyword("minLength", "string", emit_min_length),
    Keyword("maxLength", "string", emit_max_length),
    Keyword("pattern", "string", emit_pattern),
    Keyword("minItems", "array", app.emit_min_items),
    Keyword("maxItems", "array", app.emit_max_items),
    Keyword("uniqueItems", "array", app.emit_unique_items),
    Keyword("items", "array", app.emit_items),
    Keyword("additionalItems", "array", app.emit_additional_items),
    Keyword("required", "object", app.emit_required),
    Keyword("minProperties", "object", app.emit_min_properties),
    Keyword("maxProperties", "object", app.emit_max_properties),
    Keyword("properties", "object", app.emit_properties),
    Keyword("patternProperties", "object", app.emit_pattern_properties),
    Keyword("additionalProperties", "object", app.emit_additional_properties),
    Keyword("dependencies", "object", app.emit_dependencies),
    Keyword("allOf", None, app.emit_all_of),
    Keyword("anyOf", None, app.emit_any_of),
    Keyword("oneOf", None, app.emit_one_of),
    Keyword("not", None, app.emit_not),
)
