"""``format: date-time`` plus a pattern of the ``YYYY-MM-DDTHH:MM:SSZ`` shape, decided by one
cheap test (`generator.runtime.is_utc_second`) when `generator.emit.utc_patterns` proves the
pattern accepts every such time; the exact checks run only when that test is false.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from generator import compile_schema
from generator.emit import keywords
from generator.emit.patterns import FLAGS, translate
from generator.emit.utc_patterns import covers_utc_seconds
from generator.runtime import schema as runtime_schema
from generator.runtime.schema import _is_date_time, is_utc_second

JD = "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$"
_CANONICAL = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\Z")

_TIMES = st.datetimes(datetime(1, 1, 1), datetime(9999, 12, 31, 23, 59, 59)).map(
    lambda d: f"{d.year:04d}-{d:%m-%dT%H:%M:%S}Z"
)


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


# Near the shape: fields out of range, year 0, other separators, non-ASCII digits.
_NEAR = st.builds(
    "{}-{}-{}{}{}:{}:{}{}".format,
    st.one_of(
        st.integers(0, 9999).map(lambda n: f"{n:04d}"), st.sampled_from(["+202", "２０２６"])
    ),
    _two(0, 13),
    _two(0, 32),
    st.sampled_from(["T", "t", " "]),
    _two(0, 25),
    _two(0, 61),
    _two(0, 61),
    st.sampled_from(["Z", "z", "", "+00:00", "Z\n"]),
)


# -- the runtime test ------------------------------------------------------------------------


@given(st.one_of(_TIMES, _NEAR, st.text(max_size=24)))
@example("2023-02-29T00:00:00Z")
@example("0000-01-01T00:00:00Z")
@example("2024-01-01T24:00:00Z")
@example("1998-12-31T23:59:60Z")
def test_is_utc_second_is_exactly_the_canonical_real_times(value: str) -> None:
    expected = (
        _CANONICAL.match(value) is not None and value[:4] != "0000" and _is_date_time(value)
        and value[17:19] != "60"
    )  # fmt: skip
    assert is_utc_second(value) is expected


def test_a_lax_fromisoformat_is_detected_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    class Lax(datetime):
        @classmethod
        def fromisoformat(cls, value: str) -> Any:
            return datetime(2000, 1, 1)  # takes anything, as no real parser should

    assert runtime_schema._from_iso_is_strict()  # CPython's C parser
    monkeypatch.setattr(runtime_schema, "datetime", Lax)
    assert not runtime_schema._from_iso_is_strict()
    for lax in ("+026-01-01T00:00:00Z", "2000-01-01T24:00:00Z", "２０２６-01-01T00:00:00Z"):
        with pytest.raises(ValueError, match="common date-time shape"):
            runtime_schema._checked_from_iso(lax)
    assert runtime_schema._checked_from_iso("2000-01-01T00:00:00Z") == datetime(2000, 1, 1)


# -- the proof -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        JD,
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$",
        r"^(?:\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z$",
        r"^....-..-..T..:..:..Z$",
        r"^\d{4}[-/]\d{2}[-/]\d{2}[Tt ]\d{2}:\d{2}:\d{2}(Z|z)$",
    ],
)
def test_patterns_of_the_shape_are_proved(pattern: str) -> None:
    assert covers_utc_seconds(translate(pattern))


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "no ^"),
        (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", "no $"),
        (r"^(?!2000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "a lookahead"),
        (r"^(\d)\1\d{2}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "a back-reference"),
        (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\bZ$", "an assertion inside"),
        (r"^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "no year 0001"),
        (r"^(19|20)\d\d-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "no year 2100"),
        (r"^\d{4}-(0[1-9]|1[01])-\d{2}T\d{2}:\d{2}:\d{2}Z$", "no month 12"),
        (r"^\d{4}-\d{2}-(0[1-9]|[12]\d|30)T\d{2}:\d{2}:\d{2}Z$", "no day 31"),
        (r"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-2]):\d{2}:\d{2}Z$", "no hour 23"),
        (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:[0-5][0-8]Z$", "no second 59"),
        (r"^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}:\d{2}Z$", "a lower-case t only"),
        (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$", "not of fixed width"),
        (r"^\d{3}(\d-)\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", "an item across two fields"),
        (r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}Z$", "no seconds"),
        (r"^\d{4}-\d{2}-\d{2}$", "a date"),
    ],
)
def test_patterns_that_miss_a_time_or_cannot_be_split_are_not_proved(
    pattern: str, why: str
) -> None:
    assert not covers_utc_seconds(translate(pattern)), why


# Field pieces: (ECMA-262 text, accepts every value of the field's range).
_PIECES: dict[str, list[tuple[str, bool]]] = {
    "year": [(r"[0-9]{4}", True), (r"\d\d\d\d", True), (r"(?:19|20)\d\d", False),
             (r"\d{3}[0-8]", False), (r"(\d{2})(\d{2})", True)],
    "month": [(r"(0[1-9]|1[0-2])", True), (r"[01]\d", True), (r"(0[1-9]|1[01])", False)],
    "day": [(r"(0[1-9]|[12]\d|3[01])", True), (r"[0-3]\d", True), (r"([012]\d|30)", False)],
    "hour": [(r"([01]\d|2[0-3])", True), (r"\d\d", True), (r"([01]\d|2[0-2])", False)],
    "minute": [(r"[0-5]\d", True), (r"\d{2}", True), (r"[0-5][0-8]", False)],
    "second": [(r"[0-5][0-9]", True), (r"(?:\d)(?:\d)", True), (r"[1-5]\d", False)],
    "T": [("T", True), ("[Tt ]", True), ("t", False)],
    "Z": [("Z", True), ("(Z|z)", True), ("z", False)],
}  # fmt: skip


@st.composite
def _composed(draw: st.DrawFn) -> tuple[str, bool]:
    parts = {field: draw(st.sampled_from(pieces)) for field, pieces in _PIECES.items()}
    text = "^{year}-{month}-{day}{T}{hour}:{minute}:{second}{Z}$".format(
        **{field: piece for field, (piece, _) in parts.items()}
    )
    return text, all(full for _, full in parts.values())


@given(_composed(), st.lists(_TIMES, min_size=1, max_size=20))
def test_the_proof_is_sound_and_complete_on_composed_patterns(
    composed: tuple[str, bool], times: list[str]
) -> None:
    pattern, every_piece_full = composed
    python = translate(pattern)
    assert covers_utc_seconds(python) is every_piece_full
    if every_piece_full:  # sound: every time matches
        search = re.compile(python, FLAGS).search
        assert all(search(time) is not None for time in times)


# -- the generated code ----------------------------------------------------------------------


def _reference(pattern: str) -> Any:
    regex = re.compile(translate(pattern), FLAGS)
    return lambda value: _is_date_time(value) and regex.search(value) is not None


@given(st.one_of(_TIMES, _NEAR, st.text(max_size=24)))
@example("2023-02-29T00:00:00Z")
@example("0000-02-29T00:00:00Z")
@example("2024-01-01t00:00:00Z")
def test_the_fused_check_gives_the_exact_checks_verdict(value: str) -> None:
    validator = compile_schema({"type": "string", "format": "date-time", "pattern": JD})
    assert "_rt.is_utc_second(" in validator.source
    assert validator.is_valid(value) is _reference(JD)(value)
    keywords_failed = {violation.keyword for violation in validator.errors(value)}
    expected = {"format"} if not _is_date_time(value) else set()
    expected |= {"pattern"} if re.search(translate(JD), value, FLAGS) is None else set()
    assert keywords_failed == expected


def test_an_unproved_pattern_keeps_both_checks() -> None:
    day_30 = r"^\d{4}-\d{2}-(0[1-9]|[12]\d|30)T\d{2}:\d{2}:\d{2}Z$"
    validator = compile_schema({"format": "date-time", "pattern": day_30})
    assert "is_utc_second" not in validator.source
    assert not validator.is_valid("2024-01-31T00:00:00Z")


def test_a_wrong_proof_would_be_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """Planted bug: a prover that proves everything lets day 31 through a day-30 pattern, and
    the differential check above would see it."""
    monkeypatch.setattr(keywords, "covers_utc_seconds", lambda python: True)
    day_30 = r"^\d{4}-\d{2}-(0[1-9]|[12]\d|30)T\d{2}:\d{2}:\d{2}Z$"
    validator = compile_schema({"format": "date-time", "pattern": day_30})
    value = "2024-01-31T00:00:00Z"
    assert validator.is_valid(value) is not _reference(day_30)(value)
