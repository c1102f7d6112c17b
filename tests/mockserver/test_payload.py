"""JSON bodies: msgspec's fast path gives exactly what the json module gives, or defers to it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver import payload
from mockserver.payload import BadInput, parse_json

pytestmark = pytest.mark.skipif(payload.msgspec is None, reason="msgspec is not installed")

MAX_DEPTH = 8


def by_json_module(raw: bytes, max_depth: int = MAX_DEPTH) -> tuple[str, Any]:
    """What the json module's path says: ("ok", value) or (kind, message)."""
    try:
        return "ok", payload._parse_with_json(raw, max_depth=max_depth)
    except BadInput as bad:
        return bad.kind, bad.message


def parsed(raw: bytes, max_depth: int = MAX_DEPTH) -> tuple[str, Any]:
    try:
        return "ok", parse_json(raw, max_depth=max_depth)
    except BadInput as bad:
        return bad.kind, bad.message


def same(a: Any, b: Any) -> bool:
    """Equal values of equal types all the way down (1 and 1.0 differ here)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[key], b[key]) for key in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def assert_same(raw: bytes, max_depth: int = MAX_DEPTH) -> None:
    fast, slow = parsed(raw, max_depth), by_json_module(raw, max_depth)
    assert fast[0] == slow[0], (raw, fast, slow)
    assert same(fast[1], slow[1]), (raw, fast, slow)


EDGES = [
    b"123456789012345678901234567890",  # beyond 64 bits: orjson would read a float
    b"-9223372036854775809",
    b"18446744073709551616",
    b"18446744073709551615",
    b"-9223372036854775808",
    b'{"a": 123456789012345678901}',
    b"[1,123456789012345678901 ]",
    b'{"id": "123456789012345678901"}',  # a long digit run in a string
    b"1e400",
    b"-1e400",
    b"1.7976931348623159e308",
    b"4.9e-324",
    b"1e-400",
    b"-0",
    b"-0.0",
    b"1.0",
    b"1E+2",
    b"NaN",
    b"[Infinity]",
    b'{"a": -Infinity}',
    b"\xef\xbb\xbf{}",  # a byte order mark
    b'"\\ud800"',  # a lone surrogate, escaped
    b'"\xed\xa0\x80"',  # a surrogate, encoded: not UTF-8
    b'{"TaskName": "\xff\xfe"}',
    b'"\xc0\xaf"',  # an overlong encoding
    b'"\x7f"',
    b'"\x01"',
    b"[1,]",
    b"01",
    b"{} x",
    b" \x0c1",
    b"  ",
    b'{"a": 1, "a": 2, "b": 3}',
    b'"\\u00e9\\ud83d\\ude00"',
    b"[[[[[[[[1]]]]]]]]",  # as deep as allowed
    b"[[[[[[[[[1]]]]]]]]]",  # one deeper
    b'[{"a": [{"b": [{"c": [{}]}]}]}]',
    b'["[[[[[[[[[[[[[[[["]',  # brackets in a string
    b"[" * 100 + b"]" * 99,  # too deep and not JSON
    b"[" * 2000 + b"]" * 2000,
    b"[1, 2, 3]",
    b'{"Channels": [' + b",".join([b'{"DeviceId": "34020000001320000001"}'] * 70) + b"]}",
]


@pytest.mark.parametrize("raw", EDGES)
def test_edge_cases_match_the_json_module(raw: bytes) -> None:
    assert_same(raw)


def test_integers_beyond_64_bits_stay_integers() -> None:
    assert parse_json(b'{"n": 123456789012345678901234567890}', max_depth=8) == {
        "n": 123456789012345678901234567890
    }


def test_deep_valid_body_is_rejected_without_the_regex_scan(monkeypatch) -> None:
    def no_scan(raw: bytes) -> int:
        raise AssertionError("the regex scan ran for valid JSON")

    monkeypatch.setattr(payload, "_depth", no_scan)
    wide = b"[" + b",".join([b"[1]"] * 50) + b"]"  # 51 brackets, 2 levels
    assert len(parse_json(wide, max_depth=8)) == 50
    with pytest.raises(BadInput, match="nests deeper than 8"):
        parse_json(b"[" * 9 + b"]" * 9, max_depth=8)


def test_body_deeper_than_the_parser_recurses_is_rejected_without_the_scan(monkeypatch) -> None:
    def no_scan(raw: bytes) -> int:
        raise AssertionError("the level-by-level scan ran although the parser gave up")

    monkeypatch.setattr(payload, "_depth", no_scan)
    raw = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(BadInput, match="nests deeper than 64"):
        parse_json(raw, max_depth=64)
    monkeypatch.undo()  # a limit beyond what the parser's recursion proves: counted exactly
    with pytest.raises(BadInput, match="nests deeper than 5000"):
        parse_json(raw, max_depth=5000)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=20,
)


@given(json_values, st.sampled_from([None, 0, 2]))
def test_any_json_text_matches_the_json_module(value: Any, indent: int | None) -> None:
    raw = json.dumps(value, indent=indent, ensure_ascii=False).encode("utf-8")
    assert_same(raw)
    assert_same(raw, max_depth=2)


@given(json_values, st.data())
def test_damaged_json_text_matches_the_json_module(value: Any, data: st.DataObject) -> None:
    raw = bytearray(json.dumps(value).encode("utf-8"))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(0, len(raw)))
        byte = data.draw(st.sampled_from(b'0123456789{}[],:"\\-+.eE \xff\xc3\x80\x00tfnN'))
        raw[at:at] = bytes([byte])
    assert_same(bytes(raw))


def test_a_lone_surrogate_is_echoed_escaped_not_a_server_error() -> None:
    import json

    from mockserver._json import dumps

    encoded = dumps({"TaskName": "\ud800x"})
    assert json.loads(encoded) == {"TaskName": "\ud800x"}
    assert b"\\ud800" in encoded


@given(st.binary(max_size=300) | st.text('[]{}a"', max_size=300).map(str.encode))
def test_openings_count_every_opening_bracket(raw: bytes) -> None:
    assert payload._openings(raw) == raw.count(b"[") + raw.count(b"{")
