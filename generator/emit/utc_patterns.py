"""Prove that a ``pattern`` accepts every ``YYYY-MM-DDTHH:MM:SSZ`` time, so one cheap test
(`generator.runtime.is_utc_second`) can stand for both ``format: date-time`` and the pattern.

Specs often pin a time down twice, ``format: date-time`` plus a pattern of the same shape
(JD's ``^[0-9]{4}-(0[1-9]|1[0-2])-...Z$``). Both run on every string, ~0.5 µs together in
CPython; ``is_utc_second`` takes ~0.2 µs and implies ``date-time``. When it also implies the
pattern, the fast path tests it first and runs the two exact checks only when it is false.

The proof, on the pattern as translated for Python (`generator.emit.patterns.translate`):

1. The parse (``re._parser``, the parser ``re`` itself compiles with; Hypothesis's
   ``from_regex`` reads it too) is ``^``, items of fixed width, ``\\Z``: no flag, lookaround,
   back-reference, anchor or conditional anywhere inside. Such a pattern accepts a string iff
   each item accepts its own fixed slice of it, independently of the others.
2. The items are 20 characters wide and none straddles a boundary between the fields year,
   ``-``, month, ``-``, day, ``T``, hour, ``:``, minute, ``:``, second, ``Z``. So the pattern
   accepts a time iff each field accepts its slice.
3. A baseline time matches, and so does the baseline with any one field set to any value of
   its range (years 0001-9999, months 01-12, days 01-31, hours 00-23, minutes and seconds
   00-59): about 10,000 searches, a few milliseconds, once per pattern.

Anything else (a parser that changed shape, an unexpected node) proves nothing: the generated
code then keeps the two checks as they are. Correct either way, faster when proved.

>>> covers_utc_seconds(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\\Z")
True
>>> covers_utc_seconds(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-5]0Z\\Z")
False
"""

from __future__ import annotations

import importlib
import re
from functools import lru_cache
from typing import Any

from generator.emit.patterns import FLAGS

__all__ = ["covers_utc_seconds"]

_BASELINE = "2000-01-01T00:00:00Z"
# (start, end, values) of each field; the separators' single values are the baseline's.
_FIELDS: tuple[tuple[int, int, range], ...] = (
    (0, 4, range(1, 10000)),
    (5, 7, range(1, 13)),
    (8, 10, range(1, 32)),
    (11, 13, range(24)),
    (14, 16, range(60)),
    (17, 19, range(60)),
)
_BOUNDARIES = frozenset({0, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20})
_BAD_FLAGS = re.IGNORECASE | re.MULTILINE | re.DOTALL | re.VERBOSE

try:  # the stdlib's own regex parser: private (and unstubbed), so every use is guarded
    _parser: Any = importlib.import_module("re._parser")
    _sre: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - it is there from Python 3.11, which we require
    _parser = _sre = None


@lru_cache(maxsize=256)
def covers_utc_seconds(pattern: str) -> bool:
    """True if the Python ``pattern`` (compiled with `FLAGS`, run with ``search``) is proved to
    match every string `generator.runtime.is_utc_second` accepts; False if it is not proved."""
    try:
        items = _fixed_items(pattern)
    except Exception:  # an unexpected parser shape proves nothing
        return False
    if items is None or not items >= _BOUNDARIES:
        return False
    search = re.compile(pattern, FLAGS).search
    if search(_BASELINE) is None:
        return False
    for start, end, values in _FIELDS:
        head, tail, width = _BASELINE[:start], _BASELINE[end:], end - start
        if any(search(f"{head}{value:0{width}d}{tail}") is None for value in values):
            return False
    return True


def _fixed_items(pattern: str) -> frozenset[int] | None:
    """The offsets where ``pattern``'s top-level items start and end, if it is ``^``, plain
    items of fixed width, ``\\Z``; else None."""
    if _parser is None:  # pragma: no cover
        return None
    parsed = _parser.parse(pattern, FLAGS)
    if parsed.state.flags & _BAD_FLAGS:
        return None
    data = list(parsed.data)
    if len(data) < 2 or data[0] not in _STARTS or data[-1] != (_sre.AT, _sre.AT_END_STRING):
        return None
    offsets, offset = {0}, 0
    for item in data[1:-1]:
        if not _plain(item):
            return None
        low, high = _parser.SubPattern(parsed.state, [item]).getwidth()
        if low != high:
            return None
        offset += low
        offsets.add(offset)
    return frozenset(offsets)


def _plain(item: tuple[Any, Any]) -> bool:
    """True if ``item`` only consumes characters: literals, classes, groups, alternatives and
    repeats of those, without flags, assertions or references."""
    op, av = item
    if op in _LEAVES:
        return True
    if op is _sre.BRANCH:
        return all(_plain(node) for branch in av[1] for node in branch.data)
    if op is _sre.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        return not add_flags and not del_flags and all(_plain(node) for node in body.data)
    if op is _sre.MAX_REPEAT or op is _sre.MIN_REPEAT:
        return all(_plain(node) for node in av[2].data)
    return False


if _sre is not None:
    _STARTS = ((_sre.AT, _sre.AT_BEGINNING), (_sre.AT, _sre.AT_BEGINNING_STRING))
    _LEAVES = frozenset({_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN})
