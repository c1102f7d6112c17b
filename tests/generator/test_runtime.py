"""generator.runtime: violations, JSON equality, exact multipleOf, format predicates, imports."""

from __future__ import annotations

import ast
import dataclasses
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator import runtime
from generator.runtime import Violation, has_duplicates, is_multiple, json_in, violation


def test_violation_is_frozen_and_slotted() -> None:
    v = Violation(("a",), ("type",), "type", "bad")
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.message = "other"  # type: ignore[misc]
    assert not hasattr(v, "__dict__")


@pytest.mark.parametrize(
    ("path", "pointer"),
    [
        ((), ""),
        (("a",), "/a"),
        (("a/b", "c~d", 0), "/a~1b/c~0d/0"),
        (("",), "/"),
        (("~1",), "/~01"),
    ],
)
def test_pointers_follow_rfc6901(path: tuple[str | int, ...], pointer: str) -> None:
    v = Violation(path, path, "type", "m")
    assert (v.pointer, v.schema_pointer) == (pointer, pointer)


@pytest.mark.parametrize(
    ("keyword", "instance", "expected", "message"),
    [
        ("type", 3, ("string", "null"), "3 is not of type 'string' or 'null'"),
        ("maxLength", "abcd", 3, "'abcd' is longer than 3 characters"),
        ("required", {}, "{x}", "'{x}' is a required property"),
        ("additionalProperties", {}, "{0}", "additional property '{0}' is not allowed"),
        ("oneOf", 1, True, "1 is valid under more than one of the given schemas"),
        ("oneOf", 1, False, "1 is not valid under any of the given schemas"),
        ("pattern", "b", "^a{1}$", "'b' does not match '^a{1}$'"),
        ("nonsense", 1, None, "1 is not valid"),
    ],
)
def test_messages_are_built_from_data(
    keyword: str, instance: object, expected: object, message: str
) -> None:
    assert violation((), (keyword,), keyword, instance, expected).message == message


def test_long_instances_are_shortened_in_messages() -> None:
    message = violation((), ("maxLength",), "maxLength", "x" * 1000, 3).message
    assert len(message) < 120
    assert message.endswith("longer than 3 characters")


tricky = st.recursive(
    st.sampled_from([None, True, False, 0, 1, 0.0, 1.0, 2, "", "1", "a"]),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from("ab"), inner, max_size=2)
    ),
    max_leaves=5,
)


@given(st.lists(tricky, max_size=5))
def test_has_duplicates_matches_jsonschema(items: list[Any]) -> None:
    expected = not jsonschema.Draft4Validator({"uniqueItems": True}).is_valid(items)
    assert has_duplicates(items) is expected


@given(tricky, st.lists(tricky, min_size=1, max_size=4))
def test_json_in_matches_jsonschema_enum(value: Any, choices: list[Any]) -> None:
    assert json_in(value, choices) is jsonschema.Draft4Validator({"enum": choices}).is_valid(value)


@pytest.mark.parametrize(
    ("value", "divisor", "expected"),
    [
        (0.0075, "0.0001", True),
        (0.3, "0.1", True),
        (0.31, "0.1", False),
        (10, "0.1", True),
        (1e308, "0.5", True),
        (7, "2", False),
        (19.99, "0.01", True),
        (float("inf"), "1", False),
    ],
)
def test_is_multiple_is_exact_on_decimal_values(value: float, divisor: str, expected: bool) -> None:
    from fractions import Fraction

    ratio = Fraction(divisor)
    assert is_multiple(value, ratio.numerator, ratio.denominator) is expected


@pytest.mark.parametrize(
    ("check", "valid", "invalid"),
    [
        (runtime.is_date_time, ["1998-12-31T23:59:60Z", "1998-12-31T15:59:60.123-08:00", "1963-06-19t08:30:06z"],
         ["1998-12-31T23:58:60Z", "1990-12-31T24:00:00Z", "1985-04-12T23:20:50Z\n", "2013-350T01:01:01"]),
        (runtime.is_date, ["2020-02-29"], ["2021-02-29", "2020-02-29\n", "2020-0２-01"]),
        (runtime.is_email, ["te~st@example.com", "a@[127.0.0.1]", "a@[IPv6:::1]"],
         [".a@example.com", "a@", "@b", "a b@c.d", "a@[300.0.0.1]"]),
        (runtime.is_hostname, ["a", "xn--4gbwdl.xn--wgbh1c", "a-b.c"], ["", "a..b", "a.", "-a", "a_b", "é.com"]),
        (runtime.is_ipv4, ["0.0.0.0", "255.255.255.255"], ["1.2.3.04", "1.2.3", "1.2.3.4\n", "１.2.3.4"]),
        (runtime.is_ipv6, ["::", "1::", "::ffff:1.2.3.4"], ["[::1]", " ::1", "::1%1", "1:2:3:4:5:6:7:8:9"]),
        (runtime.is_uuid, ["00000000-0000-0000-0000-000000000000"], ["0000000-0000-0000-0000-0000000000000"]),
        (runtime.is_uri, ["http://[::1]:80/x", "mailto:a@b", "urn:a:b"], ["http://[::1", "a", "http://x/%zz"]),
        (runtime.is_byte, ["", "YQ==", "YWI="], ["YQ", "Y Q==", "é"]),
    ],
)  # fmt: skip
def test_format_predicates(check: Any, valid: list[str], invalid: list[str]) -> None:
    assert [check(v) for v in valid] == [True] * len(valid)
    assert [check(v) for v in invalid] == [False] * len(invalid)


def test_runtime_imports_only_the_standard_library() -> None:
    files = sorted(Path(runtime.__file__).parent.glob("*.py"))
    assert len(files) > 1
    imported = set()
    for file in files:
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, file
                imported.add(node.module or "")
    own = {name for name in imported if name.startswith("generator.runtime")}
    assert own, "the package re-exports its modules"
    others = {name.split(".")[0] for name in imported - own}
    assert others <= sys.stdlib_module_names, others - sys.stdlib_module_names
