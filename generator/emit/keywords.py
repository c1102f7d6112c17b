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
from generator.emit.writer import LiteralError, literal

if TYPE_CHECKING:
    from generator.emit.function import FunctionEmitter, Node

__all__ = ["KEYWORDS", "Keyword", "number"]

Emitter = Callable[["FunctionEmitter", "Node", object], None]


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
    if spec.function is not None:
        with f.guard(node, "string"), f.w.block(f"if not _rt.{spec.function}({v}):"):
            f.fail(node, "format", literal(value))
    elif spec.bounds is not None:
        low, high = spec.bounds
        with f.w.block(f"if type({v}) is int and not ({low} <= {v} <= {high}):"):
            f.fail(node, "format", literal(value))


def _bound(f: FunctionEmitter, node: Node, value: object, keyword: str, exclusive: str) -> None:
    limit = number(f, node, keyword, value)
    flag = node.schema.get(exclusive, False)
    if flag is not True and flag is not False:
        raise f.error((*node.loc, exclusive), f"{exclusive} must be a boolean")
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
    if limit:
        with f.w.block(f"if len({node.var}) < {limit}:"):
            f.fail(node, "minLength", literal(limit))


def emit_max_length(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"maxLength": 5}``: ``if len(x) > 5: return False``."""
    limit = app.count(f, node, "maxLength", value)
    with f.w.block(f"if len({node.var}) > {limit}:"):
        f.fail(node, "maxLength", literal(limit))


def emit_pattern(f: FunctionEmitter, node: Node, value: object) -> None:
    """``{"pattern": "^[a-z]+$"}`` (ECMA-262, translated once): ``if _r1.search(x) is None``."""
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
