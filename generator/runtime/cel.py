"""CEL for the generated ``x-rules`` checks: the helpers they call, and the clock.

Generated rule code computes on JSON values as they are (``int`` is a CEL int, ``float`` a
double, ``bool`` a bool) and inlines the common cases: int arithmetic with its overflow check,
comparisons of two values of one scalar type, field access on objects. Everything else comes
here, with the meaning the reference interpreter (cel-python 0.5, used by the linter) gives it,
quirks included, so a rule means the same in the linter and in the validators; the values that
make this possible are in `generator.runtime.celvalues`.

Every helper takes and returns the generated code's values, `CEL_ERROR`, or one of the fatal
outcomes (where cel-python raises), which it passes on; none of them raises.

>>> cel_add(9223372036854775807, 1) is CEL_ERROR
True
>>> cel_or(CEL_ERROR, True), cel_and(CEL_ERROR, False), cel_eq(True, 1)
(True, False, True)
"""

from __future__ import annotations

import operator
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from functools import cache, reduce
from typing import Any, Final

from generator.runtime.celvalues import (
    ADDITION,
    CALL,
    CEL_ERROR,
    INDEX,
    MULTIPLICATION,
    RAISED,
    RELATION,
    TYPE_ERROR,
    UNARY,
    Bool,
    Double,
    Duration,
    Error,
    Fatal,
    Int,
    Plain,
    String,
    Timestamp,
    Uint,
    logical_and,
    logical_or,
    make_bool,
    run,
    stop,
    unbox,
)

__all__ = [
    "CEL_EQ_FAST",
    "CEL_ERROR",
    "CEL_INSTANTS",
    "CEL_KEPT",
    "CEL_MEMO_SIZE",
    "CEL_ORD_FAST",
    "CEL_SIZED",
    "CEL_TIMESTAMPS",
    "CEL_UNIX_SECONDS",
    "cel_add",
    "cel_all",
    "cel_and",
    "cel_cond",
    "cel_contains",
    "cel_div",
    "cel_double",
    "cel_duration",
    "cel_ends_with",
    "cel_eq",
    "cel_exists",
    "cel_exists_one",
    "cel_extremes",
    "cel_filter",
    "cel_ge",
    "cel_gt",
    "cel_has",
    "cel_in",
    "cel_index",
    "cel_instant",
    "cel_instant_kept",
    "cel_int",
    "cel_le",
    "cel_list",
    "cel_lt",
    "cel_map",
    "cel_matches",
    "cel_mod",
    "cel_mul",
    "cel_ne",
    "cel_neg",
    "cel_no_field",
    "cel_not",
    "cel_or",
    "cel_pairs",
    "cel_size",
    "cel_starts_with",
    "cel_string",
    "cel_sub",
    "cel_timestamp",
    "cel_timestamp_kept",
    "cel_uint",
    "cel_unix_seconds",
    "cel_unix_seconds_kept",
    "clock",
    "forget_timestamps",
    "now",
]

# --- the clock ------------------------------------------------------------------------------

_NOW: ContextVar[int | None] = ContextVar("specpact_now", default=None)


def now() -> int:
    """The rules' ``now``: Unix seconds, as fixed by `clock`, else from the system clock."""
    fixed = _NOW.get()
    return int(time.time()) if fixed is None else fixed


@contextmanager
def clock(seconds: int) -> Iterator[None]:
    """Fix `now` to ``seconds`` inside a ``with`` block (per thread and task).

    >>> with clock(1700000000):
    ...     now()
    1700000000
    """
    if type(seconds) is not int:
        raise TypeError("clock() takes Unix seconds as an int")
    token = _NOW.set(seconds)
    try:
        yield
    finally:
        _NOW.reset(token)


# --- operators ------------------------------------------------------------------------------

CEL_EQ_FAST: Final = frozenset({int, str, bool, float, type(None), Uint, Timestamp, Duration})
"""Types whose values compare with ``==`` and ``!=`` as Python does when both are that type."""
CEL_ORD_FAST: Final = frozenset({int, str, bool, float, Uint, Timestamp, Duration})
"""Types whose values order with ``<`` as Python does when both are that type."""
CEL_SIZED: Final = frozenset({str, list, dict})
"""Types whose CEL ``size()`` is ``len()``."""


def _relation(compare: Callable[[Any, Any], Any], left: object, right: object) -> Any:
    return run(RELATION, lambda a, b: make_bool(compare(a, b)), left, right)


def cel_eq(left: object, right: object) -> Any:
    """CEL ``==``."""
    return _relation(operator.eq, left, right)


def cel_ne(left: object, right: object) -> Any:
    """CEL ``!=``."""
    return _relation(operator.ne, left, right)


def cel_lt(left: object, right: object) -> Any:
    """CEL ``<``: ``cel_lt(1.5, 2)`` is true, ``cel_lt(1, 2.5)`` an error (as cel-python)."""
    return _relation(operator.lt, left, right)


def cel_le(left: object, right: object) -> Any:
    """CEL ``<=``."""
    return _relation(operator.le, left, right)


def cel_gt(left: object, right: object) -> Any:
    """CEL ``>``."""
    return _relation(operator.gt, left, right)


def cel_ge(left: object, right: object) -> Any:
    """CEL ``>=``."""
    return _relation(operator.ge, left, right)


def _member_of(item: Any, container: Any) -> Bool | Error:
    found: Bool | Error = make_bool(False)
    for element in container:
        try:
            if element == item:
                return make_bool(True)
        except TypeError:
            found = CEL_ERROR
    return found


def cel_in(item: object, container: object) -> Any:
    """CEL ``in``: a list's items, a map's keys, a string's characters (as cel-python)."""
    return run(RELATION, _member_of, item, container)


def cel_add(left: object, right: object) -> Any:
    """CEL ``+``."""
    return run(ADDITION, operator.add, left, right)


def cel_sub(left: object, right: object) -> Any:
    """CEL ``-``."""
    return run(ADDITION, operator.sub, left, right)


def cel_mul(left: object, right: object) -> Any:
    """CEL ``*``."""
    return run(MULTIPLICATION, operator.mul, left, right)


def cel_div(left: object, right: object) -> Any:
    """CEL ``/``: ``cel_div(-7, 2)`` is ``-3``; by zero an error."""
    return run(MULTIPLICATION, operator.truediv, left, right)


def cel_mod(left: object, right: object) -> Any:
    """CEL ``%``: ``cel_mod(-7, 2)`` is ``-1``."""
    return run(MULTIPLICATION, operator.mod, left, right)


def cel_neg(value: object) -> Any:
    """CEL unary ``-``."""
    return run(UNARY, operator.neg, value)


def cel_not(value: object) -> Any:
    """CEL ``!``."""
    if type(value) is Fatal:
        return value
    return (not value) if type(value) is bool else CEL_ERROR


def cel_and(*operands: object) -> Any:
    """CEL ``a && b && ...``: false wins over an error, on either side."""
    stopped = stop(*operands)
    return stopped if type(stopped) is Fatal else reduce(logical_and, operands)


def cel_or(*operands: object) -> Any:
    """CEL ``a || b || ...``: true wins over an error, on either side."""
    stopped = stop(*operands)
    return stopped if type(stopped) is Fatal else reduce(logical_or, operands)


def cel_cond(value: object, condition: object) -> Any:
    """``condition ? a : b``, given the ``value`` of the branch ``condition``'s truth picked."""
    if type(condition) is Fatal:
        return condition
    if value is TYPE_ERROR:
        return CEL_ERROR
    if type(condition) is bool or type(value) is Fatal:
        return value
    return CEL_ERROR


def cel_list(*items: object) -> Any:
    """A CEL list literal: an error if an item is one."""
    stopped = stop(*items)
    return list(items) if stopped is None else stopped


# --- fields and functions -------------------------------------------------------------------


def cel_no_field(value: object) -> Any:
    """``e.f`` when ``e`` is not a map holding ``f``: an error (or the abort ``e`` is)."""
    return value if type(value) is Fatal else CEL_ERROR


def cel_has(value: object) -> Any:
    """``has(e.f)`` when ``e`` is not a map: false (or the abort ``e`` is)."""
    return value if type(value) is Fatal else False


def cel_index(value: object, index: object) -> Any:
    """CEL ``e[i]`` (a negative list index counts from the end, as cel-python)."""
    return run(INDEX, operator.getitem, value, index)


def _size(value: Any) -> Int:
    return Int(0 if value is None else len(value))


def cel_size(value: object) -> Any:
    """CEL ``size()``: ``size(null)`` is 0, as cel-python."""
    return run(CALL, _size, value)


def cel_int(value: object) -> Any:
    """CEL ``int()``: truncates doubles, parses strings, a timestamp's Unix seconds."""
    return run(CALL, Int, value)


def cel_uint(value: object) -> Any:
    """CEL ``uint()``."""
    return run(CALL, Uint, value)


def cel_double(value: object) -> Any:
    """CEL ``double()``."""
    return run(CALL, Double, value)


def cel_string(value: object) -> Any:
    """CEL ``string()``: cel-python's text (``string(true)`` is ``"True"``)."""
    return run(CALL, String, value)


def _common(text: str) -> bool:
    """``YYYY-MM-DDTHH:MM:SSZ`` by its separators, hours < 24: where fromisoformat succeeds
    on it, cel-python reads the same instant (and where it fails, it is read the long way)."""
    return len(text) == 20 and text[4::3] == "--T::Z" and text[11:13] < "24"


CEL_KEPT: Final = 64
"""Only strings this short are remembered (RFC 3339 takes 20 to 35 characters; requests must
not be able to fill the memory)."""

CEL_MEMO_SIZE: Final = 4096
"""Strings each memo holds at most: a full memo is emptied before the next one is added."""

CEL_TIMESTAMPS: Final[dict[str, Any]] = {}
"""The memo of `cel_timestamp`: string -> its CEL value (never None). Generated code reads it
first (``CEL_TIMESTAMPS.get(s)``) and calls the function only for a string it lacks."""
CEL_INSTANTS: Final[dict[str, Any]] = {}
"""The memo of `cel_instant`, read the same way."""
CEL_UNIX_SECONDS: Final[dict[str, Any]] = {}
"""The memo of `cel_unix_seconds`, read the same way."""


def _remember(memo: dict[str, Any], text: str, value: Any) -> Any:
    # A plain dict, emptied when full: a miss costs a store, not an LRU list's upkeep (a
    # request full of new time strings is the common case of a contract test).
    if len(text) <= CEL_KEPT and value is not None:
        if len(memo) >= CEL_MEMO_SIZE:
            memo.clear()
        memo[text] = value
    return value


def _timestamp(text: str) -> Any:
    if _common(text):
        try:
            return Timestamp.fromisoformat(text)
        except ValueError:
            pass
    return run(CALL, Timestamp, text)


def cel_timestamp(value: object) -> Any:
    """CEL ``timestamp()`` of an RFC 3339 string (recent strings are remembered).

    >>> cel_int(cel_timestamp("2009-02-13T23:31:30Z"))
    1234567890
    """
    if type(value) is str:
        found = CEL_TIMESTAMPS.get(value)
        if found is not None:
            return found
        return _remember(CEL_TIMESTAMPS, value, _timestamp(value))
    return run(CALL, Timestamp, value)


_from_iso = datetime.fromisoformat
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND: Final = timedelta(microseconds=1)


def _micros(value: Any) -> Any:
    if type(value) is Timestamp:
        return datetime.__sub__(value, _EPOCH) // _MICROSECOND
    return value


def _instant(text: str) -> Any:
    if len(text) == 20 and text[4::3] == "--T::Z" and text[11:13] < "24":  # `_common`
        try:
            return (_from_iso(text) - _EPOCH) // _MICROSECOND
        except ValueError:
            pass
    return _micros(cel_timestamp(text))


def cel_instant(value: object) -> Any:
    """`cel_timestamp` as an int, the microseconds since the epoch (what is no timestamp, an
    error, as it is): two compare as the timestamps do, for ``timestamp(a) < timestamp(b)``.

    >>> cel_instant("1970-01-01T00:00:01.5Z"), cel_instant("x")
    (1500000, CEL_ERROR)
    """
    if type(value) is not str:
        return _micros(cel_timestamp(value))
    found = CEL_INSTANTS.get(value)
    if found is None:
        found = _instant(value)
        if len(value) <= CEL_KEPT:  # `_remember`, inline: a new string is the common case
            if len(CEL_INSTANTS) >= CEL_MEMO_SIZE:
                CEL_INSTANTS.clear()
            CEL_INSTANTS[value] = found
            if type(found) is int and not found % 1_000_000:
                # whole seconds: `int(timestamp())` is known too (rules often ask for both)
                if len(CEL_UNIX_SECONDS) >= CEL_MEMO_SIZE:
                    CEL_UNIX_SECONDS.clear()
                CEL_UNIX_SECONDS[value] = found // 1_000_000
    return found


def _unix_seconds(text: str) -> Any:
    micros = cel_instant(text)
    if type(micros) is int and not micros % 1_000_000:  # whole seconds: the instant divides
        return micros // 1_000_000
    return cel_int(cel_timestamp(text))


def cel_unix_seconds(value: object) -> Any:
    """``int(timestamp(value))``: the Unix seconds of an RFC 3339 string."""
    if type(value) is str:
        found = CEL_UNIX_SECONDS.get(value)
        if found is not None:
            return found
        return _remember(CEL_UNIX_SECONDS, value, _unix_seconds(value))
    return cel_int(cel_timestamp(value))


# What generated code of codegen 3 calls (for strings of at most CEL_KEPT characters).
cel_instant_kept: Final = cel_instant
cel_timestamp_kept: Final = cel_timestamp
cel_unix_seconds_kept: Final = cel_unix_seconds


def forget_timestamps() -> None:
    """Empty the memo of `timestamp()` results: what follows is read as if every time string
    were new (``benchmarks/validators.py`` measures such a cold request this way)."""
    for memo in (CEL_TIMESTAMPS, CEL_INSTANTS, CEL_UNIX_SECONDS):
        memo.clear()


def cel_duration(value: object) -> Any:
    """CEL ``duration()`` of a string such as ``"1h30m"``."""
    return run(CALL, Duration, value)


def cel_contains(value: object, item: object) -> Any:
    """CEL ``value.contains(item)``."""
    return run(CALL, lambda a, b: make_bool(a.contains(b)), value, item)


def cel_starts_with(value: object, prefix: object) -> Any:
    """CEL ``value.startsWith(prefix)``."""
    return run(CALL, lambda a, b: make_bool(a.startswith(b)), value, prefix)


def cel_ends_with(value: object, suffix: object) -> Any:
    """CEL ``value.endsWith(suffix)``."""
    return run(CALL, lambda a, b: make_bool(a.endswith(b)), value, suffix)


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _search(pattern: str, text: Any) -> Bool:
    if isinstance(text, str):
        text.encode("utf-8")  # RE2 reads UTF-8: a lone surrogate is an error
    return make_bool(_regex(pattern).search(text) is not None)


def cel_matches(value: object, pattern: str) -> Any:
    """CEL ``value.matches(...)``; ``pattern`` is the generator's Python form of the RE2 one."""
    return run(CALL, lambda text: _search(pattern, text), value)


# --- two nested quantifiers over a difference ------------------------------------------------

_COMPARE: Final = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_INT64: Final = (-(2**63), 2**63 - 1)
_INTS: Final = {int}
Extremes = tuple[int, int] | tuple[()] | None


def cel_extremes(values: list[Any]) -> Extremes:
    """``(min, max)`` of a list of ints, ``()`` for an empty list, None if one is not an int.

    >>> cel_extremes([3, 1, 2]), cel_extremes([]), cel_extremes([1, 1.5])
    ((1, 3), (), None)
    """
    if not _INTS.issuperset(map(type, values)):
        return None
    ordered = sorted(values)  # cheaper than min() and max() on a few ints
    return (ordered[0], ordered[-1]) if ordered else ()


def cel_pairs(
    quantifiers: tuple[bool, bool],
    relation: str,
    bound: object,
    outer: Extremes,
    inner: Extremes,
    inner_first: bool,
) -> bool | None:
    """``A.all(a, B.exists(b, f(b) - g(a) >= k))`` and the like, from `cel_extremes` of the
    values of ``g(a)`` over ``A`` (``outer``) and of ``f(b)`` over ``B`` (``inner``).

    ``quantifiers`` tells ``all`` (true) or ``exists`` for the outer and the inner macro; the
    body is ``f(b) - g(a) <relation> bound``, or ``g(a) - f(b) ...`` when ``inner_first`` is
    false. When every value and ``bound`` are ints and no difference leaves 64 bits, each body
    is a plain comparison, monotone in ``f(b)`` and in ``g(a)``: the macros then hold iff the
    comparison holds at the extreme values, which is the result. Otherwise (an error, a
    double, an overflow) None: the caller evaluates the macros element by element.

    >>> cel_pairs((True, True), "<=", 10, (0, 5), (8, 15), True)
    False
    >>> cel_pairs((False, False), ">=", 10, (0, 5), (8, 15), True)
    True
    """
    outer_all, inner_all = quantifiers
    if outer == ():  # no body is evaluated
        return outer_all
    if inner == ():  # each body is the empty inner macro's
        return inner_all
    if not outer or not inner or type(bound) is not int:
        return None
    # The body as p(b) + q(a) <relation> bound: p = f, q = -g (or p = -f, q = g).
    p_low, p_high, q_low, q_high = inner[0], inner[1], -outer[1], -outer[0]
    if not inner_first:
        p_low, p_high, q_low, q_high = -p_high, -p_low, -q_high, -q_low
    if p_low + q_low < _INT64[0] or p_high + q_high > _INT64[1]:
        return None
    below = relation in ("<", "<=")
    p = p_high if below == inner_all else p_low
    q = q_high if below == outer_all else q_low  # the worst a for all, the best for exists
    return bool(_COMPARE[relation](p + q, bound))


# --- macros ---------------------------------------------------------------------------------

Body = Callable[[Any], Any]


def _elements(target: object) -> list[Any] | None:
    """What a macro iterates: a list's items, a map's keys, a string's characters."""
    if isinstance(target, Plain):
        if type(target.value) is list:
            return [unbox(item) for item in target.value]
        target = target.value
    if type(target) is list:
        return target
    if type(target) is dict:
        return list(target)
    if type(target) is str:
        return [Plain(char) for char in target]
    return None


def _reduce(target: object, body: Body, start: bool, aborts: bool) -> Any:
    """cel-python's ``reduce`` of the body values with ``&&`` (``start`` true) or ``||``.

    Every element is evaluated, since a later one may abort; when the body cannot (``aborts``
    false), the first ``not start`` decides.
    """
    stopped = stop(target)
    if stopped is not None:
        return stopped
    elements = _elements(target)
    if elements is None:
        return TYPE_ERROR
    step = logical_and if start else logical_or
    result: Any = start
    for element in elements:
        value = body(element)
        if value is start:  # changes nothing
            continue
        if value is RAISED:
            value = CEL_ERROR
        elif type(value) is Fatal:
            return value
        if result is not start and type(result) is bool:  # decided; only aborts matter now
            continue
        result = step(result, value)
        if not aborts and result is (not start):
            return result
    return result


def cel_all(target: object, body: Body, aborts: bool = True) -> Any:
    """``target.all(x, body)``; ``aborts``: whether the body may abort the evaluation."""
    return _reduce(target, body, True, aborts)


def cel_exists(target: object, body: Body, aborts: bool = True) -> Any:
    """``target.exists(x, body)``; ``aborts`` as for `cel_all`."""
    return _reduce(target, body, False, aborts)


def _results(target: object, body: Body) -> list[tuple[Any, Any]] | Fatal | Error:
    """(element, body value) pairs; an error in the body aborts (cel-python raises it)."""
    stopped = stop(target)
    if stopped is not None:
        return stopped  # type: ignore[return-value]
    elements = _elements(target)
    if elements is None:
        return TYPE_ERROR
    pairs = []
    for element in elements:
        value = body(element)
        if value is CEL_ERROR:
            return RAISED
        if type(value) is Fatal:
            return value
        pairs.append((element, value))
    return pairs


def cel_exists_one(target: object, body: Body) -> Any:
    """``target.exists_one(x, body)``."""
    pairs = _results(target, body)
    return pairs if not isinstance(pairs, list) else sum(bool(v) for _, v in pairs) == 1


def cel_map(target: object, body: Body) -> Any:
    """``target.map(x, body)``."""
    pairs = _results(target, body)
    return pairs if not isinstance(pairs, list) else [value for _, value in pairs]


def cel_filter(target: object, body: Body) -> Any:
    """``target.filter(x, body)``: the elements whose body value is truthy (as cel-python)."""
    pairs = _results(target, body)
    return pairs if not isinstance(pairs, list) else [item for item, value in pairs if value]
