"""generator.runtime.http: parameter styles, bodies, media types, statuses, operation rules.

The style table is the one of the OpenAPI 3.0.3 specification ("Style Examples"), for a
parameter named ``color`` holding ``"blue"``, ``["blue", "black", "brown"]`` or
``{"R": 100, "G": 200, "B": 150}``; label arrays and objects without explode follow RFC 6570
(``.blue,black,brown``), which the 3.0.3 table misprints.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compiler import CompileOptions, compile_schema
from generator.runtime import (
    ABSENT,
    Answer,
    Body,
    Operation,
    Parameter,
    Request,
    Violation,
    deserialize,
)

STRING = ("string",)
ARRAY = ("array", ("string",))
OBJECT = ("object", {"R": ("integer",), "G": ("integer",), "B": ("integer",)}, ("any",))
RGB = {"R": 100, "G": 200, "B": 150}
COLORS = ["blue", "black", "brown"]


@pytest.mark.parametrize(
    ("style", "explode", "shape", "text", "value"),
    [
        ("matrix", False, STRING, ";color", ""),
        ("matrix", False, STRING, ";color=blue", "blue"),
        ("matrix", False, ARRAY, ";color=blue,black,brown", COLORS),
        ("matrix", False, OBJECT, ";color=R,100,G,200,B,150", RGB),
        ("matrix", True, STRING, ";color=blue", "blue"),
        ("matrix", True, ARRAY, ";color=blue;color=black;color=brown", COLORS),
        ("matrix", True, OBJECT, ";R=100;G=200;B=150", RGB),
        ("label", False, STRING, ".blue", "blue"),
        ("label", False, ARRAY, ".blue,black,brown", COLORS),
        ("label", False, OBJECT, ".R,100,G,200,B,150", RGB),
        ("label", True, ARRAY, ".blue.black.brown", COLORS),
        ("label", True, OBJECT, ".R=100.G=200.B=150", RGB),
        ("simple", False, STRING, "blue", "blue"),
        ("simple", False, ARRAY, "blue,black,brown", COLORS),
        ("simple", False, OBJECT, "R,100,G,200,B,150", RGB),
        ("simple", True, ARRAY, "blue,black,brown", COLORS),
        ("simple", True, OBJECT, "R=100,G=200,B=150", RGB),
    ],
)  # fmt: skip
def test_path_and_header_styles(
    style: str, explode: bool, shape: Any, text: str, value: Any
) -> None:
    assert deserialize(text, "color", style, explode, shape) == value


def _query_operation(style: str, explode: bool, shape: Any) -> Operation:
    color = Parameter("color", "query", True, style, explode, shape, None, None, ())
    other = Parameter("page", "query", False, "form", True, ("integer",), None, None, ())
    return Operation("op", "get", "/", (color, other), None, {})


@pytest.mark.parametrize(
    ("style", "explode", "shape", "query", "value"),
    [
        ("form", False, STRING, [("color", "blue")], "blue"),
        ("form", False, ARRAY, [("color", "blue,black,brown")], COLORS),
        ("form", False, OBJECT, [("color", "R,100,G,200,B,150")], RGB),
        ("form", True, STRING, [("color", "blue")], "blue"),
        ("form", True, ARRAY, [("color", "blue"), ("color", "black"), ("color", "brown")], COLORS),
        ("form", True, OBJECT, [("R", "100"), ("G", "200"), ("B", "150"), ("page", "2")], RGB),
        ("spaceDelimited", False, ARRAY, [("color", "blue black brown")], COLORS),
        ("spaceDelimited", False, OBJECT, [("color", "R 100 G 200 B 150")], RGB),
        ("pipeDelimited", False, ARRAY, [("color", "blue|black|brown")], COLORS),
        ("pipeDelimited", False, OBJECT, [("color", "R|100|G|200|B|150")], RGB),
        ("deepObject", True, OBJECT, [("color[R]", "100"), ("color[G]", "200"), ("color[B]", "150")], RGB),
        ("form", False, STRING, [("color", "")], ""),
    ],
)  # fmt: skip
def test_query_styles(style: str, explode: bool, shape: Any, query: Any, value: Any) -> None:
    result = _query_operation(style, explode, shape).validate_request(Request(query=query))
    assert result.violations == []
    assert result.values["query"]["color"] == value


def test_query_accepts_a_mapping_and_keeps_the_first_of_repeated_scalars() -> None:
    op = _query_operation("form", True, STRING)
    assert op.validate_request(Request(query={"color": ["a", "b"]})).values["query"] == {
        "color": "a"
    }
    assert op.validate_request(Request(query={"color": "a", "page": "3"})).values["query"] == {
        "color": "a",
        "page": 3,
    }


@pytest.mark.parametrize(
    ("shape", "text", "value"),
    [
        (("integer",), "42", 42),
        (("integer",), "-7", -7),
        (("integer",), "007", "007"),  # not a JSON integer: stays text, the schema says why
        (("integer",), "4.0", "4.0"),
        (("integer",), " 4", " 4"),
        (("integer",), "٣", "٣"),  # Python's int() would read an Arabic-Indic digit
        (("integer",), "1_000", "1_000"),
        (("number",), "2.5e3", 2500.0),
        (("number",), "3", 3),
        (("number",), "nan", "nan"),
        (("boolean",), "true", True),
        (("boolean",), "false", False),
        (("boolean",), "True", "True"),
        (("any",), "12", "12"),
        (("array", ("integer",)), "1,x", [1, "x"]),
        (("array", ("integer",)), "", []),
    ],
)  # fmt: skip
def test_scalars_are_read_strictly(shape: Any, text: str, value: Any) -> None:
    result = deserialize(text, "n", "simple", False, shape)
    assert result == value
    assert type(result) is type(value)


@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_every_integer_survives_the_trip(number: int) -> None:
    assert deserialize(str(number), "n", "simple", False, ("integer",)) == number


@given(st.lists(st.text(alphabet=st.characters(blacklist_characters=","), min_size=1)))
def test_simple_arrays_split_on_commas_only(items: list[str]) -> None:
    assert deserialize(",".join(items), "n", "simple", False, ARRAY) == items


# -- whole operations ---------------------------------------------------------------------------

AGE = compile_schema({"type": "integer", "minimum": 0})
BODY = compile_schema(
    {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
    CompileOptions(direction="request"),
)


def _schema(validator: Any) -> Any:
    return (validator.is_valid, lambda x, p, out: out.extend(
        Violation(p + v.instance_path, v.schema_path, v.keyword, v.message)
        for v in validator.errors(x)
    ))  # fmt: skip


def _operation(**kwargs: Any) -> Operation:
    age = Parameter("age", "query", True, "form", True, ("integer",), *_schema(AGE), ("p", 0))
    token = Parameter("X-Token", "header", False, "simple", False, STRING, None, None, ("p", 1))
    item = Parameter("id", "path", True, "simple", False, ("integer",), *_schema(AGE), ("p", 2))
    body = Body(True, {"application/json": _schema(BODY), "text/*": None}, ("b",))
    answer = Answer({"application/json": _schema(BODY)}, (), ("r",))
    empty = Answer({}, (token,), ("e",))
    return Operation(
        "op", "post", "/items/{id}", (age, token, item), body,
        {"200": answer, "4XX": empty, "default": empty}, **kwargs,
    )  # fmt: skip


VALID = Request(
    path={"id": "7"}, query=[("age", "3")], headers={"x-token": "t"}, body={"name": "n"},
    media_type="application/json",
)  # fmt: skip


def _found(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.pointer, v.keyword) for v in violations}


def test_a_valid_request_and_its_values() -> None:
    result = _operation().validate_request(VALID)
    assert result.ok
    assert result.values == {
        "path": {"id": 7}, "query": {"age": 3}, "header": {"X-Token": "t"}, "cookie": {},
        "body": {"name": "n"},
    }  # fmt: skip


def test_every_violation_is_reported_with_its_location() -> None:
    request = Request(
        path={"id": "x"}, query=[("age", "-1")], body={}, media_type="application/json"
    )
    result = _operation().validate_request(request)
    assert _found(result.violations) == {
        ("/path/id", "type"), ("/query/age", "minimum"), ("/body", "required"),
    }  # fmt: skip


def test_missing_parameters_and_body() -> None:
    result = _operation().validate_request(Request(path={"id": "1"}))
    assert _found(result.violations) == {("/query", "required"), ("/body", "requestBody")}
    assert result.violations[0].message == "'age' is a required property"
    assert result.violations[0].schema_path == ("p", 0)


def test_media_types_exact_wildcard_and_missing() -> None:
    op = _operation()
    base = {"path": {"id": "1"}, "query": [("age", "1")], "body": "free text"}
    assert op.validate_request(Request(**base, media_type="text/plain")).ok  # text/* : any
    wrong = op.validate_request(Request(**base, media_type="application/xml")).violations
    assert _found(wrong) == {("/body", "content-type")}
    assert "application/json, text/*" in wrong[0].message
    missing = op.validate_request(Request(**base)).violations
    assert _found(missing) == {("/body", "content-type")}


def test_operation_rules_run_only_on_an_otherwise_valid_request() -> None:
    seen: list[Any] = []

    def fast(x: Any) -> bool:
        seen.append(x)
        return False

    def collect(x: Any, p: Any, out: list[Violation]) -> None:
        out.append(Violation(("query", "age"), ("x-rules", 0), "x-rules", "age rule"))

    op = _operation(rules=(fast, collect))
    assert _found(op.validate_request(VALID).violations) == {("/query/age", "x-rules")}
    assert seen[0]["query"] == {"age": 3}
    seen.clear()
    invalid = Request(path={"id": "1"}, query=[("age", "-1")], body={"name": "n"},
                      media_type="application/json")  # fmt: skip
    assert _found(op.validate_request(invalid).violations) == {("/query/age", "minimum")}
    assert seen == []


def test_responses_by_status_range_and_default() -> None:
    op = _operation()
    assert op.validate_response(200, {"name": "n"}) == []
    assert _found(op.validate_response(200, {})) == {("/body", "required")}
    assert _found(op.validate_response(200)) == {("/body", "content")}
    assert _found(op.validate_response(200, {"name": "n"}, media_type="text/html")) == {
        ("/body", "content-type")
    }
    assert op.validate_response(404) == []  # 4XX declares no body
    assert _found(op.validate_response("404", {"a": 1})) == {("/body", "content")}
    assert op.validate_response(503, headers={"X-TOKEN": "t"}) == []  # default


def test_an_undeclared_status_names_the_declared_ones() -> None:
    op = Operation("op", "get", "/", (), None, {"200": Answer({}, (), ())})
    [problem] = op.validate_response(500)
    assert problem.keyword == "status"
    assert "500" in problem.message
    assert "200" in problem.message


def test_absent_is_not_null() -> None:
    assert ABSENT is not None
    assert not ABSENT
    assert repr(ABSENT) == "ABSENT"
    result = _operation().validate_request(
        Request(path={"id": "1"}, query=[("age", "1")], body=None, media_type="application/json")
    )
    assert _found(result.violations) == {("/body", "type")}
