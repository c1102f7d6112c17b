"""CEL values as cel-python 0.5 has them, for the slow paths of `generator.runtime.cel`.

Generated rule code holds JSON values (``int`` is a CEL int, ``float`` a double, ``bool`` a
bool; ``str``, ``list``, ``dict``, ``None``). To apply an operator the way the reference
interpreter does, `run` boxes them into classes that behave like ``celpy.celtypes`` (`Int`,
`Double`, `String`, ...), lets Python's own operator dispatch pick the method, catches what
cel-python's evaluator catches, and unboxes the result. So its asymmetries are kept: ``1.5 + 1``
is a double, ``1 + 1.5`` an error, ``true == 1`` true. What cel-python computes as a plain
Python value (``1.5 + 1.0`` is a ``float``, not a ``DoubleType``) stays one, wrapped in `Plain`
so that no fast path takes it for a JSON value.

Outcomes that are not values: `CEL_ERROR`, a CEL error (no such key, no such overload, overflow,
division by zero); and the `Fatal` ones, for where cel-python *raises*, which abandons the
evaluation up to the nearest handler (`RAISED`, `TYPE_ERROR`, `OTHER`).

>>> run(ADDITION, lambda a, b: a + b, 1.5, 1), run(ADDITION, lambda a, b: a + b, 1, 1.5)
(_Plain(2.5), CEL_ERROR)
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import reduce
from typing import Any, Final

__all__ = [
    "ADDITION",
    "CALL",
    "CEL_ERROR",
    "INDEX",
    "MULTIPLICATION",
    "OTHER",
    "RAISED",
    "RELATION",
    "TYPE_ERROR",
    "UNARY",
    "Bool",
    "Double",
    "Duration",
    "Error",
    "Fatal",
    "Int",
    "Plain",
    "String",
    "Timestamp",
    "Uint",
    "logical_and",
    "logical_or",
    "make_bool",
    "run",
    "stop",
    "unbox",
]


class Error:
    """A CEL evaluation error; a value, as in CEL (``error || true`` is ``true``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "CEL_ERROR"


CEL_ERROR: Final = Error()


class Fatal:
    """An exception cel-python lets propagate; ``kind`` says which handler stops it."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return f"<fatal {self.kind}>"


RAISED: Final = Fatal("raised error")
"""A CEL error raised out of ``map``/``filter``/``exists_one``; ``all``/``exists`` stop it."""
TYPE_ERROR: Final = Fatal("type error")
"""A Python ``TypeError`` (a macro over a non-iterable); the branches of ``?:`` stop it."""
OTHER: Final = Fatal("other")
"""Anything else (``OverflowError`` from ``int()`` of an infinite double): only the rule."""


class Plain:
    """A value cel-python computes as a plain Python object rather than as a CEL type."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value

    def __bool__(self) -> bool:
        return bool(self.value)

    def __repr__(self) -> str:
        return f"_Plain({self.value!r})"


# --- the CEL types ----------------------------------------------------------------------------

_MIN, _MAX = -(2**63), 2**63


def _int64(value: Any) -> Any:
    if not _MIN <= value < _MAX:
        raise ValueError("overflow")
    return value


def _uint64(value: Any) -> Any:
    if not 0 <= value < 2 * _MAX:
        raise ValueError("overflow")
    return value


def _type_matched(method: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """cel-python's ``type_matched``: comparing with an unrelated type is no such overload."""

    def matched(self: Any, other: Any) -> Any:
        if not (issubclass(type(other), type(self)) or issubclass(type(self), type(other))):
            raise TypeError("no such overload")
        return method(self, other)

    return matched


def _same_kind(method: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    """An arithmetic method whose result is converted (and range-checked) as ``self``'s type."""

    def apply(self: Any, other: Any) -> Any:
        return type(self)(method(self, other))

    return apply


def _no_overload(*args: Any) -> Any:
    raise TypeError("no such overload")


def make_bool(value: object) -> Bool:
    """The ``BoolType`` for a truth value."""
    return int.__new__(Bool, bool(value))


class Bool(int):
    """``BoolType``: an ``int`` (so ``true + 1`` is 2) that refuses unary ``-``."""

    __neg__ = _no_overload
    __hash__ = int.__hash__

    def __repr__(self) -> str:
        return f"BoolType({bool(self)})"

    def __str__(self) -> str:
        return str(bool(self))


class Int(int):
    """``IntType``: 64-bit, ``/`` and ``%`` truncate, compares only with its own kind."""

    def __new__(cls, source: Any = None) -> Int:
        if source is None:
            return int.__new__(cls, 0)
        if isinstance(source, Int):
            return source
        if isinstance(source, float):
            return int.__new__(cls, _int64(math.trunc(source)))
        if isinstance(source, Timestamp):
            return int.__new__(cls, _int64(source.timestamp()))
        if isinstance(source, str) and source[:2] in ("0x", "0X"):
            return int.__new__(cls, _int64(int(source[2:], 16)))
        if isinstance(source, str) and source[:3] in ("-0x", "-0X"):
            return int.__new__(cls, _int64(-int(source[3:], 16)))
        return int.__new__(cls, _int64(int(source)))

    def __neg__(self) -> Any:
        return Int(int.__neg__(self))

    __add__, __radd__ = _same_kind(int.__add__), _same_kind(int.__radd__)
    __sub__, __rsub__ = _same_kind(int.__sub__), _same_kind(int.__rsub__)
    __mul__, __rmul__ = _same_kind(int.__mul__), _same_kind(int.__rmul__)

    def __truediv__(self, other: Any) -> Any:
        self_sign = -1 if self < Int(0) else +1
        other_sign = -1 if other < Int(0) else +1
        return Int(self_sign * other_sign * (abs(self) // abs(other)))

    def __rtruediv__(self, other: Any) -> Any:
        self_sign = -1 if self < Int(0) else +1
        other_sign = -1 if other < Int(0) else +1
        return Int(self_sign * other_sign * (abs(other) // abs(self)))

    def __mod__(self, other: Any) -> Any:
        self_sign = -1 if self < Int(0) else +1
        return Int(self_sign * (abs(self) % abs(other)))

    def __rmod__(self, other: Any) -> Any:
        other_sign = -1 if other < Int(0) else +1
        return Int(other_sign * (abs(other) % abs(self)))

    __eq__ = _type_matched(int.__eq__)
    __ne__ = _type_matched(int.__ne__)
    __lt__, __le__ = _type_matched(int.__lt__), _type_matched(int.__le__)
    __gt__, __ge__ = _type_matched(int.__gt__), _type_matched(int.__ge__)
    __hash__ = int.__hash__

    def __repr__(self) -> str:
        return f"IntType({int.__repr__(self)})"

    def __str__(self) -> str:
        return int.__repr__(self)


class Uint(int):
    """``UintType``: 0 to 2**64 - 1; unary ``-`` is an error; ``1u + 1`` is ``2u``."""

    def __new__(cls, source: Any = None) -> Uint:
        if isinstance(source, Uint):
            return source
        if isinstance(source, float):
            return int.__new__(cls, _uint64(math.trunc(source)))
        if isinstance(source, Timestamp):
            return int.__new__(cls, _uint64(source.timestamp()))
        if isinstance(source, str) and source[:2] in ("0x", "0X"):
            return int.__new__(cls, _uint64(int(source[2:], 16)))
        if source is None:
            return int.__new__(cls, 0)
        return int.__new__(cls, _uint64(int(source)))

    __neg__ = _no_overload
    __add__, __radd__ = _same_kind(int.__add__), _same_kind(int.__radd__)
    __sub__, __rsub__ = _same_kind(int.__sub__), _same_kind(int.__rsub__)
    __mul__, __rmul__ = _same_kind(int.__mul__), _same_kind(int.__rmul__)
    __truediv__ = _same_kind(int.__floordiv__)
    __rtruediv__ = _same_kind(int.__rfloordiv__)
    __mod__, __rmod__ = _same_kind(int.__mod__), _same_kind(int.__rmod__)
    __eq__ = _type_matched(int.__eq__)
    __ne__ = _type_matched(int.__ne__)
    __hash__ = int.__hash__

    def __repr__(self) -> str:
        return f"UintType({int.__repr__(self)})"

    def __str__(self) -> str:
        return int.__repr__(self)


class Double(float):
    """``DoubleType``: ``%`` is an error, ``x / 0.0`` is +inf, ``==`` only with its own kind."""

    def __new__(cls, source: Any = None) -> Double:
        return float.__new__(cls, 0 if source is None else source)

    def __neg__(self) -> Any:
        return Double(float.__neg__(self))

    __mod__ = __rmod__ = _no_overload

    def __truediv__(self, other: Any) -> Any:
        if other == 0.0:
            return Double(math.inf)
        return Double(float.__truediv__(self, other))

    def __rtruediv__(self, other: Any) -> Any:
        if self == 0.0:
            return Double(math.inf)
        return Double(float.__rtruediv__(self, other))

    __eq__ = _type_matched(float.__eq__)
    __ne__ = _type_matched(float.__ne__)
    __hash__ = float.__hash__

    def __repr__(self) -> str:
        return f"DoubleType({float.__repr__(self)})"

    def __str__(self) -> str:
        return float.__repr__(self)


class String(str):
    """``StringType``: a ``str`` with the ``contains`` method (a plain ``str`` has none)."""

    def __new__(cls, source: Any) -> String:
        return str.__new__(cls, source)

    def __eq__(self, other: object) -> bool:
        return str.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return str.__ne__(self, other)

    __hash__ = str.__hash__

    def contains(self, item: Any) -> Bool:
        return make_bool(item in self)

    def __repr__(self) -> str:
        return f"StringType({str.__repr__(self)})"


def _boxed_and(left: Any, right: Any) -> Any:
    """``logical_and`` over boxed bools and ``TypeError`` instances (list and map equality)."""
    left_bool, right_bool = isinstance(left, Bool), isinstance(right, Bool)
    if not (left_bool or right_bool):
        raise TypeError("no such overload")
    if not left_bool:
        return left if right else right
    if not right_bool:
        return right if left else left
    return make_bool(left and right)


def _boxed_or(left: Any, right: Any) -> Any:
    """``logical_or`` over boxed bools and ``TypeError`` instances."""
    left_bool, right_bool = isinstance(left, Bool), isinstance(right, Bool)
    if not (left_bool or right_bool):
        raise TypeError("no such overload")
    if not left_bool:
        return right if right else left
    if not right_bool:
        return left if left else right
    return make_bool(left or right)


def _compare(compare: Callable[[Any, Any], Any], left: Any, right: Any) -> Any:
    try:
        return make_bool(compare(left, right))
    except TypeError as exc:
        return exc


def _fold(step: Callable[[Any, Any], Any], start: bool, results: Iterator[Any]) -> bool:
    result = reduce(step, results, make_bool(start))
    if isinstance(result, TypeError):
        raise result
    return bool(result)


class List(list[Any]):
    """``ListType``: no ordering; ``==`` item by item, an error when that cannot decide."""

    __lt__ = __le__ = __gt__ = __ge__ = _no_overload

    def __eq__(self, other: object) -> bool:
        if other is None:
            return False
        if not isinstance(other, list):
            raise TypeError("no such overload")
        pairs = (
            _compare(operator.eq, mine, theirs) for mine, theirs in zip(self, other, strict=False)
        )
        return len(self) == len(other) and _fold(_boxed_and, True, pairs)

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, list):
            raise TypeError("no such overload")
        pairs = (
            _compare(operator.ne, mine, theirs) for mine, theirs in zip(self, other, strict=False)
        )
        return len(self) != len(other) or _fold(_boxed_or, False, pairs)

    __hash__ = None

    def contains(self, item: Any) -> Bool:
        return make_bool(item in self)

    def __repr__(self) -> str:
        return f"ListType({list.__repr__(self)})"


class Map(dict[Any, Any]):
    """``MapType``: keys are ints, uints, bools or strings; ``==`` value by value."""

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, (Int, Uint, Bool, String, str)):
            raise TypeError("unsupported key type")
        return dict.__getitem__(self, key)

    def __eq__(self, other: object) -> bool:
        if other is None:
            return False
        if not isinstance(other, Mapping):
            raise TypeError("no such overload")
        pairs = (_compare(operator.eq, self[key], other[key]) for key in self.keys())
        return self.keys() == other.keys() and _fold(_boxed_and, True, pairs)

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            raise TypeError("no such overload")
        if len(self) == 1 and len(other) == 1 and self.keys() == other.keys():
            key = next(iter(self.keys()))
            return bool(self[key] != other[key])
        pairs = (_compare(operator.ne, self[key], other[key]) for key in self.keys())
        return self.keys() != other.keys() or _fold(_boxed_or, False, pairs)

    __hash__ = None

    def contains(self, item: Any) -> Bool:
        return make_bool(item in self)

    def __repr__(self) -> str:
        return f"MapType({dict.__repr__(self)})"


_RFC3339 = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]+))?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})\Z"
)


def _parse_rfc3339(text: str) -> datetime:
    """An RFC 3339 date-time (``T`` or a space between date and time, fraction cut to µs).

    >>> _parse_rfc3339("2024-01-01T08:00:00.1234567+08:00").isoformat()
    '2024-01-01T08:00:00.123456+08:00'
    """
    match = _RFC3339.match(text)
    if match is None:
        raise ValueError(f"not an RFC 3339 timestamp: {text!r:.60}")
    zone = match[8]
    offset = UTC
    if zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[4:6])
        if hours > 23 or minutes > 59:
            raise ValueError("bad UTC offset")
        sign = -1 if zone[0] == "-" else 1
        offset = timezone(sign * timedelta(hours=hours, minutes=minutes))
    micro = int((match[7] or "0")[:6].ljust(6, "0"))
    year, month, day, hour, minute, second = (int(match[index]) for index in range(1, 7))
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=offset)


class Timestamp(datetime):
    """``TimestampType``: an aware ``datetime``; the difference of two is a `Duration`."""

    def __new__(cls, source: Any, *fields: Any) -> Timestamp:
        if isinstance(source, int) and len(fields) >= 2:  # datetime's own arithmetic
            return datetime.__new__(cls, source, *fields)
        if isinstance(source, str):
            source = _parse_rfc3339(source)
        if not isinstance(source, datetime):
            raise TypeError("no such overload")
        return datetime.__new__(
            cls, source.year, source.month, source.day, source.hour, source.minute,
            source.second, source.microsecond, source.tzinfo or UTC,
        )  # fmt: skip

    def __add__(self, other: Any) -> Any:
        result = datetime.__add__(self, other)
        return result if result is NotImplemented else Timestamp(result)

    def __radd__(self, other: Any) -> Any:
        result = datetime.__radd__(self, other)
        return result if result is NotImplemented else Timestamp(result)

    def __sub__(self, other: Any) -> Any:
        result = datetime.__sub__(self, other)
        if result is NotImplemented:
            return result
        return Duration(result) if isinstance(result, timedelta) else Timestamp(result)

    def __str__(self) -> str:
        text = self.strftime("%Y-%m-%dT%H:%M:%S%z")
        return f"{text[:-5]}Z" if text.endswith("+0000") else f"{text[:-2]}:{text[-2:]}"

    def __repr__(self) -> str:
        return f"TimestampType({str(self)!r})"


# cel-python's ``^[-+]?([0-9]*(\.[0-9]*)?[a-z]+)+$``, rewritten so it cannot backtrack.
_DURATION = re.compile(
    r"[-+]?[0-9]*(?:\.[0-9]*)?[a-z]+(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]*)[a-z]+)*\n?\Z"
)
_DURATION_PART = re.compile(r"([0-9]*(\.[0-9]*)?)([a-z]+)")
_DURATION_UNITS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_DURATION_UNITS["d"] = 86400.0
_DURATION_MAX = 315576000000


def _duration_seconds(text: str) -> float:
    if not _DURATION.match(text):
        raise ValueError("invalid duration")
    sign = -1 if text[:1] == "-" else 1
    parts = _DURATION_PART.finditer(text[1:] if text[:1] in ("+", "-") else text)
    try:
        return sign * math.fsum(float(part[1]) * _DURATION_UNITS[part[3]] for part in parts)
    except KeyError:
        raise ValueError("invalid duration") from None


class Duration(timedelta):
    """``DurationType``: +-315576000000 s, from text such as ``"1h30m"`` or whole seconds."""

    def __new__(cls, source: Any) -> Duration:
        if isinstance(source, timedelta):
            if not -_DURATION_MAX <= source.total_seconds() <= _DURATION_MAX:
                raise ValueError("range error")
            return timedelta.__new__(cls, source.days, source.seconds, source.microseconds)
        if isinstance(source, str):
            source = _duration_seconds(source)
        elif not isinstance(source, int):
            raise TypeError("no such overload")
        if not -_DURATION_MAX <= source <= _DURATION_MAX:
            raise ValueError("range error")
        return timedelta.__new__(cls, seconds=source)

    def __add__(self, other: Any) -> Any:
        result = timedelta.__add__(self, other)
        return result if result is NotImplemented else Duration(result)

    def __radd__(self, other: Any) -> Any:
        result = timedelta.__radd__(self, other)
        return result if result is NotImplemented else Duration(result)

    def __str__(self) -> str:
        return f"{int(self.total_seconds())}s"

    def __repr__(self) -> str:
        return f"DurationType({str(self)!r})"


# --- boxing -----------------------------------------------------------------------------------


def _box(value: Any) -> Any:
    kind = type(value)
    if kind is bool:
        return make_bool(value)
    if kind is int:
        return int.__new__(Int, value)
    if kind is float:
        return float.__new__(Double, value)
    if kind is str:
        return str.__new__(String, value)
    if kind is list:
        return List(map(_box, value))
    if kind is dict:
        return Map({_box(key): _box(item) for key, item in value.items()})
    if kind is Plain:
        return value.value
    return value


def unbox(value: Any) -> Any:
    """The generated code's form of a boxed value (JSON when it has a JSON form).

    >>> unbox(Int(3)), unbox(3), unbox(CEL_ERROR)
    (3, _Plain(3), CEL_ERROR)
    """
    kind = type(value)
    if kind is Bool:
        return bool(value)
    if kind is Int:
        return int(value)
    if kind is Double:
        return float(value)
    if kind is String:
        return str(value)
    if kind is List:
        return [unbox(item) for item in value]
    if kind is Map:
        return {unbox(key): unbox(item) for key, item in value.items()}
    if value is None or kind in (Uint, Timestamp, Duration, Error):
        return value
    return Plain(value)


def stop(*values: object) -> object:
    """The first fatal outcome among ``values``, else `CEL_ERROR` if one is, else ``None``."""
    for value in values:
        if type(value) is Fatal:
            return value
    return CEL_ERROR if any(value is CEL_ERROR for value in values) else None


def logical_and(left: Any, right: Any) -> Any:
    """cel-python's ``&&`` on values: a non-bool operand is kept unless the other decides."""
    left_bool, right_bool = type(left) is bool, type(right) is bool
    if left_bool and right_bool:
        return left and right
    if left_bool:
        return right if left else False
    if right_bool:
        return left if right else False
    return CEL_ERROR


def logical_or(left: Any, right: Any) -> Any:
    """cel-python's ``||`` on values."""
    left_bool, right_bool = type(left) is bool, type(right) is bool
    if left_bool and right_bool:
        return left or right
    if left_bool:
        return True if left else right
    if right_bool:
        return True if right else left
    return CEL_ERROR


Catch = tuple[type[Exception], ...]
# What cel-python's evaluator turns into an error value, per kind of node; the rest propagates.
ADDITION: Final[Catch] = (TypeError, ValueError, OverflowError)
MULTIPLICATION: Final[Catch] = (TypeError, ZeroDivisionError, ValueError, OverflowError)
UNARY: Final[Catch] = (TypeError, ValueError)
RELATION: Final[Catch] = (TypeError,)
INDEX: Final[Catch] = (TypeError, KeyError, IndexError)
CALL: Final[Catch] = (ValueError, TypeError, AttributeError)


def run(catch: Catch, function: Callable[..., Any], *args: object) -> Any:
    """``function`` on the boxed ``args`` (unless one is an error), as cel-python would."""
    stopped = stop(*args)
    if stopped is not None:
        return stopped
    try:
        return unbox(function(*map(_box, args)))
    except catch:
        return CEL_ERROR
    except Exception:  # cel-python lets it propagate: the evaluation is over
        return OTHER
