"""The x-rules fast paths agree with cel-python and with the long way they replace.

* nested ``all``/``exists`` over a difference (``A.all(a, B.exists(b, f(b) - g(a) >= k))``),
  decided by `generator.runtime.cel.cel_pairs` from the extremes of two lists: errors,
  doubles, empty lists, 64-bit overflow and dependent inner lists must all give cel-python's
  verdict (the fast path steps aside, the macros run element by element);
* rules reading the locals the schema part already fetched;
* ``timestamp()`` and ``date-time`` on the common ``YYYY-MM-DDTHH:MM:SSZ`` shape.
"""

from __future__ import annotations

import itertools
import operator
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import runtime
from generator.compiler import CompileOptions, compile_schema
from generator.emit.cel import Shape, translate_rule
from generator.runtime import cel, schema
from tests.generator.test_cel import holds, reference, share

# -- cel_pairs against the brute force ------------------------------------------------------

_COMPARE = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge}
_MAX = 2**63 - 1
big_ints = st.sampled_from((0, 1, -1, 10, _MAX, -_MAX - 1, _MAX // 2, 2**62))


def _brute(
    quantifiers: tuple[bool, bool],
    relation: str,
    bound: int,
    outer: list[int],
    inner: list[int],
    inner_first: bool,
) -> bool:
    outer_all, inner_all = quantifiers
    compare = _COMPARE[relation]

    def body(g: int, f: int) -> bool:
        return compare(f - g if inner_first else g - f, bound)

    def inner_result(g: int) -> bool:
        results = (body(g, f) for f in inner)
        return all(results) if inner_all else any(results)

    results = (inner_result(g) for g in outer)
    return all(results) if outer_all else any(results)


@given(
    quantifiers=st.tuples(st.booleans(), st.booleans()),
    relation=st.sampled_from(sorted(_COMPARE)),
    bound=st.integers(-20, 20),
    outer=st.lists(st.integers(-30, 30), max_size=5),
    inner=st.lists(st.integers(-30, 30), max_size=5),
    inner_first=st.booleans(),
)
def test_pairs_decide_as_the_nested_loops(
    quantifiers: tuple[bool, bool],
    relation: str,
    bound: int,
    outer: list[int],
    inner: list[int],
    inner_first: bool,
) -> None:
    expected = _brute(quantifiers, relation, bound, outer, inner, inner_first)
    extremes = cel.cel_extremes(outer), cel.cel_extremes(inner)
    assert cel.cel_pairs(quantifiers, relation, bound, *extremes, inner_first) is expected


@pytest.mark.parametrize(
    ("outer", "inner", "bound"),
    [
        ([0, 1.5], [1], 0),  # a double
        ([0, True], [1], 0),  # a bool is no CEL int here
        ([0], [runtime.CEL_ERROR], 0),  # an error value
        ([0], [1], 0.5),  # a double bound
        ([-_MAX - 1], [1], 0),  # 1 - (-2**63) overflows
        ([_MAX], [-2], 0),  # -2 - (2**63 - 1) overflows
    ],
)
def test_pairs_step_aside_for_anything_but_safe_ints(
    outer: list[Any], inner: list[Any], bound: Any
) -> None:
    extremes = cel.cel_extremes(outer), cel.cel_extremes(inner)
    assert cel.cel_pairs((True, True), "<=", bound, *extremes, True) is None


# -- the rules that compile to it, against cel-python ---------------------------------------

QUANTIFIERS = ("all", "exists")
TERMS = ("{v}", "{v}.n", "int(timestamp({v}.t))", "{v}.n + 1", "size({v}.s)")


@st.composite
def pair_rules(draw: st.DrawFn) -> str:
    q1, q2 = draw(st.sampled_from(QUANTIFIERS)), draw(st.sampled_from(QUANTIFIERS))
    outer, inner = (
        draw(st.sampled_from(("self.l", "self.m"))),
        draw(st.sampled_from(("self.l", "self.m", "a.l", "[1, 2]", "self.missing"))),
    )
    f = draw(st.sampled_from(TERMS)).format(v="b")
    g = draw(st.sampled_from(TERMS)).format(v="a")
    difference = f"{f} - {g}" if draw(st.booleans()) else f"{g} - {f}"
    relation = draw(st.sampled_from(("<", "<=", ">", ">=")))
    bound = draw(st.sampled_from(("10", "0", "-3", "self.k", "1.5", "9223372036854775807")))
    body = (
        f"{difference} {relation} {bound}"
        if draw(st.booleans())
        else f"{bound} {relation} {difference}"
    )
    return f"{outer}.{q1}(a, {inner}.{q2}(b, {body}))"


_TIMES = ("2018-10-21T10:00:00Z", "2018-10-21T10:00:09Z", "2018-10-21T18:00:10Z", "1-2")
elements = st.one_of(
    st.integers(-40, 40),
    big_ints,
    st.sampled_from((1.5, "x", None, True)),
    st.fixed_dictionaries(
        {
            "n": st.one_of(st.integers(-40, 40), big_ints, st.just(2.5)),
            "t": st.sampled_from(_TIMES),
            "s": st.sampled_from(("", "ab", "abc")),
            "l": st.lists(st.integers(-3, 3), max_size=2),
        }
    ),
)
pair_instances = st.fixed_dictionaries(
    {
        "l": st.lists(elements, max_size=4),
        "m": st.lists(elements, max_size=4),
        "k": st.one_of(st.integers(-5, 5), st.just(1.5)),
    }
)


@share(0.5)
@given(expression=pair_rules(), instance=pair_instances)
def test_pair_rules_agree_with_cel_python(expression: str, instance: Any) -> None:
    expected = reference(expression, instance)
    assert holds(expression, instance) is expected, expression
    assert holds(expression, instance, typed=True) is expected, expression


SEGMENTS = Shape(list, items=Shape(dict, {"start": Shape(str), "end": Shape(str)}))
SPAN = "self.l.all(a, self.l.all(b, int(timestamp(b.end)) - int(timestamp(a.start)) <= 28800))"


def test_pair_rule_uses_one_pass_only_over_known_lists() -> None:
    fast = translate_rule(
        SPAN, subject="x", file="-", pointer="/r", shape=Shape(dict, {"l": SEGMENTS})
    )
    assert "_rt.cel_pairs((True, True), '<=', 28800, " in fast.holds
    assert "_rt.cel_all(" in fast.holds  # the long way, when the pairs step aside
    assert "cel_pairs" not in translate_rule(SPAN, subject="x", file="-", pointer="/r").holds
    dependent = SPAN.replace("self.l.all(b", "a.l.all(b")
    assert (
        "cel_pairs"
        not in translate_rule(
            dependent, subject="x", file="-", pointer="/r", shape=Shape(dict, {"l": SEGMENTS})
        ).holds
    )


def _segment(start: str, end: str) -> dict[str, str]:
    return {"start": start, "end": end}


@pytest.mark.parametrize(
    "segments",
    [
        [],
        [_segment("2018-10-21T10:00:00Z", "2018-10-21T18:00:00Z")],
        [_segment("2018-10-21T10:00:00Z", "2018-10-21T18:00:01Z")],
        [_segment("2018-10-21T10:00:00Z", "bad"), _segment("2018-10-21T10:00:00Z", "x")],
        [_segment("2018-10-21T10:00:00.5Z", "2018-10-21T18:00:00.9+00:00")],
        [_segment("2018-10-21 10:00:00Z", "2018-10-21T10:00:00z")],
        [_segment("0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z")],
        # longer than the memo keeps: the long way, valid (a long fraction) or not
        [_segment("2018-10-21T10:00:00." + "0" * 60 + "Z", "2018-10-21T10:00:10Z" + " " * 60)],
        [
            _segment(
                "2018-10-21T10:00:00." + "0" * 60 + "Z", "2018-10-21T18:00:00." + "9" * 60 + "Z"
            )
        ],
    ],
)
def test_span_rule_agrees_with_cel_python(segments: list[dict[str, str]]) -> None:
    instance = {"l": segments}
    expected = reference(SPAN, instance)
    assert holds(SPAN, instance) is expected
    assert holds(SPAN, instance, typed=True) is expected


# -- rules on the locals the schema fetched -----------------------------------------------


def test_rules_read_the_fetched_locals() -> None:
    rules = [{"rule": "self.end - self.start <= 10", "message": "short"}]
    schema_ = {
        "type": "object",
        "required": ["start", "end"],
        "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}},
        "x-rules": rules,
    }
    validator = compile_schema(schema_, CompileOptions(dialect="openapi-3.0"))
    fast, collector = validator.source.split("\ndef ")[1:3]
    assert "v2 - v1" in fast
    assert "x['end'] -" not in fast
    assert "x['end'] - x['start']" in collector  # the collector fetched no locals before
    assert validator.is_valid({"start": 1, "end": 11})
    assert not validator.is_valid({"start": 1, "end": 12})
    assert [e.keyword for e in validator.errors({"start": 1, "end": 12})] == ["x-rules"]


def test_rules_read_no_local_set_in_another_block() -> None:
    # No "type": the required properties are fetched under ``if type(x) is dict:``.
    schema_ = {
        "allOf": [{"type": "object"}],
        "required": ["start", "end"],
        "properties": {"start": {"type": "integer"}, "end": {"type": "integer"}},
        "x-rules": [{"rule": "self.end > self.start", "message": "order"}],
    }
    validator = compile_schema(schema_, CompileOptions(dialect="openapi-3.0"))
    assert "(x['end'] > x['start'])" in validator.source.split("\ndef ")[1]
    assert validator.is_valid({"start": 1, "end": 2})
    assert not validator.is_valid({"start": 2, "end": 2})
    assert not validator.is_valid([1])


# -- the common date-time shape ----------------------------------------------------------

_LAYOUT = "0000-00-00T00:00:00Z"
layout_strings = st.lists(st.sampled_from("0123456789-T:Z ٣a"), min_size=20, max_size=20).map(
    "".join
) | st.builds(
    lambda digits: "".join(
        next(iter_digits) if slot == "0" else slot
        for iter_digits in [iter(digits)]
        for slot in _LAYOUT
    ),
    st.lists(st.sampled_from("0123456789"), min_size=14, max_size=14),
)


@given(layout_strings)
def test_date_time_shape_agrees_with_the_full_check(text: str) -> None:
    assert schema.is_date_time(text) is schema._is_date_time(text)


@given(layout_strings)
def test_unix_seconds_shape_agrees_with_timestamp(text: str) -> None:
    expected = cel.cel_int(cel.run(cel.CALL, cel.Timestamp, text))
    cel.forget_timestamps()
    assert cel.cel_unix_seconds(text) == expected
    assert type(cel.cel_unix_seconds(text)) is type(expected)


@pytest.mark.parametrize(
    "text",
    [
        "2018-10-21T24:00:00Z",
        "2016-12-31T23:59:60Z",
        "2018-02-29T10:00:00Z",
        "2018-10-21t10:00:00z",
    ],
)
def test_date_time_edge_cases(text: str) -> None:
    assert schema.is_date_time(text) is schema._is_date_time(text)
    cel.forget_timestamps()
    assert cel.cel_unix_seconds(text) == cel.cel_int(cel.run(cel.CALL, cel.Timestamp, text))


def test_every_layout_moment_reads_as_datetime_does() -> None:
    for year, hour in itertools.product((1, 1969, 1970, 2038, 9999), (0, 23)):
        text = f"{year:04d}-12-31T{hour:02d}:59:59Z"
        moment = datetime(year, 12, 31, hour, 59, 59, tzinfo=UTC)
        cel.forget_timestamps()
        assert cel.cel_unix_seconds(text) == int(moment.timestamp())


# -- lists shared by the rules of a node, through the schema compiler --------------------

NESTED = [
    "self.l.all(a, self.l.exists(b, b.n - a.n >= 0))",
    "self.l.all(a, self.l.all(b, b.n - a.n <= 5))",
    "self.g.all(z, z.l.all(a, z.l.exists(b, b.n - a.n >= 1)))",
    "self.l.exists(a, self.l.all(b, a.n - b.n >= now - now))",
]


def _item() -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["n"],
        "properties": {"n": {"type": "integer"}},
    }


def _rules_schema() -> dict[str, Any]:
    items = {"type": "array", "items": _item()}
    groups = {
        "type": "array",
        "items": {"type": "object", "required": ["l"], "properties": {"l": items}},
    }
    return {
        "type": "object",
        "required": ["l", "g"],
        "properties": {"l": items, "g": groups},
        "x-rules": [{"rule": rule, "message": str(index)} for index, rule in enumerate(NESTED)],
    }


@share(0.5)
@given(
    numbers=st.lists(st.one_of(st.integers(-8, 8), big_ints), max_size=4),
    groups=st.lists(st.lists(st.integers(-8, 8), max_size=3), max_size=3),
)
def test_shared_lists_give_cel_pythons_verdicts(
    numbers: list[int], groups: list[list[int]]
) -> None:
    validator = compile_schema(_rules_schema(), CompileOptions(dialect="openapi-3.0"))
    instance = {
        "l": [{"n": n} for n in numbers],
        "g": [{"l": [{"n": n} for n in group]} for group in groups],
    }
    with runtime.clock(1_700_000_000):
        failing = {error.message for error in validator.errors(instance)}
        assert validator.is_valid(instance) is not failing
    for index, rule in enumerate(NESTED):
        assert (str(index) not in failing) is reference(rule, instance), rule


def test_only_lists_outside_any_macro_are_shared() -> None:
    source = compile_schema(_rules_schema(), CompileOptions(dialect="openapi-3.0")).source
    fast = source.split("\ndef ")[1]
    shared = [line.strip() for line in fast.splitlines() if " = _rt.cel_extremes(" in line]
    # ``a.n`` and ``b.n`` over self.l are one list, for rules 0, 1 and 3; rule 2's is z's
    assert len(shared) == 1
    assert shared[0].endswith(" = _rt.cel_extremes([_c1['n'] for _c1 in v1])")
    name = shared[0].split()[0]
    assert fast.count(f"{name}, {name}, ") == 3


# -- timestamp(a) < timestamp(b) as instants -------------------------------------------------

MOMENTS = (
    "2018-10-21T10:00:00Z", "2018-10-21T18:00:00+08:00", "2018-10-21T10:00:00.000001Z",
    "2018-10-21 10:00:00Z", "2018-10-21t10:00:00z", "2016-12-31T23:59:60Z", "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z", "2018-10-21T10:00:00." + "0" * 60 + "Z", "", 5, None,
)  # fmt: skip


@pytest.mark.parametrize("relation", ["<", "<=", ">", ">=", "==", "!="])
def test_timestamp_comparisons_agree_with_cel_python(relation: str) -> None:
    rule = f"timestamp(self.a) {relation} timestamp(self.b)"
    assert "cel_instant" in translate_rule(rule, subject="x", file="-", pointer="/r").holds
    for a, b in itertools.product(MOMENTS, repeat=2):
        instance = {"a": a, "b": b}
        expected = reference(rule, instance)
        assert holds(rule, instance) is expected, instance
        assert holds(rule, instance, typed=True) is expected, instance


def test_forget_timestamps_empties_every_timestamp_memo() -> None:
    from generator.runtime import cel

    text = "2021-03-04T05:06:07Z"
    assert cel.cel_unix_seconds(text) == cel.cel_instant(text) // 1_000_000
    memos = (cel.CEL_TIMESTAMPS, cel.CEL_UNIX_SECONDS, cel.CEL_INSTANTS)
    cel.cel_timestamp(text)
    assert all(text in memo for memo in memos)
    cel.forget_timestamps()
    assert [len(memo) for memo in memos] == [0, 0, 0]
    assert cel.cel_unix_seconds(text) == 1614834367


def test_timestamp_memos_stay_bounded_and_keep_only_short_strings() -> None:
    from generator.runtime import cel

    cel.forget_timestamps()
    for offset in range(cel.CEL_MEMO_SIZE + 10):
        moment = f"2020-01-01T00:00:00.{offset:06d}Z"
        assert cel.cel_instant(moment) == 1_577_836_800_000_000 + offset
        assert cel.cel_timestamp(f"not a time {offset}") is cel.CEL_ERROR  # errors are kept too
    assert 0 < len(cel.CEL_INSTANTS) <= cel.CEL_MEMO_SIZE
    assert 0 < len(cel.CEL_TIMESTAMPS) <= cel.CEL_MEMO_SIZE
    assert cel.CEL_TIMESTAMPS[f"not a time {cel.CEL_MEMO_SIZE + 9}"] is cel.CEL_ERROR
    long = "2020-01-01T00:00:00." + "0" * 80 + "Z"
    assert cel.cel_instant(long) == 1_577_836_800_000_000
    assert long not in cel.CEL_INSTANTS
    assert long not in cel.CEL_TIMESTAMPS
    cel.forget_timestamps()
