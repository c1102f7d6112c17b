"""The fast path of ``is_date_time`` against the full RFC 3339 check it short-cuts.

`generator.runtime.schema.is_date_time` first tries ``datetime.fromisoformat`` on strings of
the common shape; every string, of that shape or near it, must get the full check's verdict.
"""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from generator.runtime.schema import _is_date_time, is_date_time


def _two(low: int, high: int) -> st.SearchStrategy[str]:
    return st.integers(low, high).map(lambda n: f"{n:02d}")


# Near the common shape: every field a little out of range, either case of T and Z, fractions
# of 0 to 9 digits, offsets up to 29:99, non-ASCII digits and stray characters now and then.
_DIGITS = st.sampled_from(["0", "1", "2", "5", "9", "٣"])
_DATE_TIMES = st.builds(
    "{}-{}-{}{}{}:{}:{}{}{}".format,
    st.one_of(st.integers(0, 9999).map(lambda n: f"{n:04d}"), st.just("+2024")),
    _two(0, 13),
    _two(0, 32),
    st.sampled_from(["T", "t", " ", "_"]),
    _two(0, 25),
    _two(0, 61),
    _two(0, 61),
    st.one_of(st.just(""), st.text(_DIGITS, min_size=0, max_size=9).map(lambda d: "." + d)),
    st.one_of(
        st.sampled_from(["Z", "z", "", "+", "Zz", "\n"]),
        st.builds("{}{}:{}".format, st.sampled_from(["+", "-", "−"]), _two(0, 29), _two(0, 99)),
    ),
)


# The common shape itself, where the fast path decides: days past the month's end, year 0.
_COMMON = st.builds(
    "{:04d}-{}-{}T{}:{}:{}{}{}".format,
    st.integers(0, 9999),
    _two(1, 12),
    _two(1, 31),
    _two(0, 23),
    _two(0, 59),
    _two(0, 59),
    st.one_of(st.just(""), st.text("0123456789", min_size=1, max_size=6).map(lambda d: "." + d)),
    st.one_of(
        st.just("Z"), st.builds("{}{}:{}".format, st.sampled_from("+-"), _two(0, 23), _two(0, 59))
    ),
)


@given(st.one_of(_DATE_TIMES, _COMMON))
@example("1998-12-31T23:59:60Z")
@example("1998-12-31T15:59:60-08:00")
@example("2024-02-29T12:00:00+05:60")
@example("2023-02-29T12:00:00Z")
@example("0000-01-01T00:00:00Z")
@example("2024-01-01T00:00:00.1234567Z")
@example("2024-01-01T24:00:00Z")
@example("2024-01-01T00:00:00+24:00")
def test_is_date_time_agrees_with_the_full_check(value: str) -> None:
    assert is_date_time(value) is _is_date_time(value)


@given(st.text(max_size=40))
def test_is_date_time_agrees_on_any_text(value: str) -> None:
    assert is_date_time(value) is _is_date_time(value)
