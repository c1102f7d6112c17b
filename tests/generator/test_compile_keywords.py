"""Keyword semantics and violation reports, case by case (where the suite is silent)."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest

from generator.compiler import CompileOptions, compile_schema
from generator.errors import GenerationError

DRAFT4 = CompileOptions(dialect="draft4")


def _report(schema: dict[str, Any], instance: Any) -> list[tuple[str, str, str]]:
    return [
        (e.pointer, e.keyword, e.schema_pointer)
        for e in compile_schema(schema, DRAFT4).errors(instance)
    ]


def test_all_violations_are_reported_in_schema_order() -> None:
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": {"type": "integer", "minimum": 1, "multipleOf": 2},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 2}, "maxItems": 1},
        },
        "additionalProperties": False,
    }
    assert _report(schema, {"id": -1, "tags": ["abc", 1], "x": None}) == [
        ("", "required", "/required"),
        ("/id", "minimum", "/properties/id/minimum"),
        ("/id", "multipleOf", "/properties/id/multipleOf"),
        ("/tags", "maxItems", "/properties/tags/maxItems"),
        ("/tags/0", "maxLength", "/properties/tags/items/maxLength"),
        ("/tags/1", "type", "/properties/tags/items/type"),
        ("/x", "additionalProperties", "/additionalProperties"),
    ]


def test_schema_paths_are_absolute_through_refs() -> None:
    schema = {
        "definitions": {"pos": {"type": "integer", "minimum": 0}},
        "items": [{"$ref": "#/definitions/pos"}],
        "additionalItems": {"type": "string"},
    }
    assert _report(schema, [-1, 2]) == [
        ("/0", "minimum", "/definitions/pos/minimum"),
        ("/1", "type", "/additionalItems/type"),
    ]


def test_dependencies_report_the_missing_name() -> None:
    schema = {"dependencies": {"card": ["billing", "zip"], "vip": {"required": ["tier"]}}}
    errors = compile_schema(schema, DRAFT4).errors({"card": 1, "vip": True, "zip": 1})
    assert [(e.pointer, e.schema_pointer, e.message) for e in errors] == [
        ("", "/dependencies/card", "'billing' is a dependency of another property that is present"),
        ("", "/dependencies/vip/required", "'tier' is a required property"),
    ]


def test_exclusive_bounds_name_their_keyword() -> None:
    schema = {"minimum": 0, "exclusiveMinimum": True, "maximum": 10, "exclusiveMaximum": False}
    assert _report(schema, 0) == [("", "exclusiveMinimum", "/exclusiveMinimum")]
    assert _report(schema, 10) == []
    assert _report(schema, 10.5) == [("", "maximum", "/maximum")]


@pytest.mark.parametrize(
    ("divisor", "value", "valid"),
    [
        (0.01, 19.99, True),  # jsonschema says no: 19.99 / 0.01 == 1998.9999999999998
        (0.1, 0.3, True),
        (0.0001, 0.0075, True),
        (0.01, 0.001, False),
        (3, 1e300, False),  # the decimal 10**300, not the binary float, is the value
        (0.5, 10**30 + 1, True),
        (0.5, 2.25, False),
        (2, 4.0, True),
        (2, True, True),  # booleans are not numbers: multipleOf ignores them
    ],
)
def test_multiple_of_is_exact_on_the_decimal_value(divisor: float, value: Any, valid: bool) -> None:
    assert compile_schema({"multipleOf": divisor}, DRAFT4).is_valid(value) is valid


@pytest.mark.parametrize(
    ("schema", "value", "valid"),
    [
        ({"type": "integer"}, 1.0, False),
        ({"type": "integer"}, True, False),
        ({"type": "number"}, False, False),
        ({"type": "integer"}, 2**80, True),
        ({"type": "boolean"}, 0, False),
        ({"maximum": 2**64}, 2**64 + 1, False),
        ({"maximum": 2**64}, float(2**64), True),
        ({"minLength": 2}, "\U0001f432", False),
        ({"maxLength": 1}, "\U0001f432", True),
        ({"enum": [1]}, 1.0, True),
        ({"enum": [1]}, True, False),
        ({"enum": [False]}, 0, False),
        ({"enum": [[1, {"a": 0}]]}, [1.0, {"a": 0.0}], True),
        ({"enum": [[1, {"a": 0}]]}, [True, {"a": 0}], False),
        ({"uniqueItems": True}, [[1], [True]], True),
        ({"uniqueItems": True}, [{"a": 1, "b": [2]}, {"b": [2.0], "a": 1}], False),
        ({"patternProperties": {"^\\d+$": {"type": "string"}}}, {"\u0664\u0662": 1}, True),
        ({"patternProperties": {"^\\d+$": {"type": "string"}}}, {"42": 1}, False),
        ({"pattern": "^ab$"}, "ab\n", False),
        ({"not": {"type": "string"}}, 1, True),
        ({"oneOf": [{"minimum": 1}, {"maximum": 3}]}, 2, False),
        ({"additionalItems": False}, [1, 2], True),  # only meaningful with tuple items
    ],
)  # fmt: skip
def test_json_semantics(schema: dict[str, Any], value: Any, valid: bool) -> None:
    validator = compile_schema(schema, DRAFT4)
    assert validator.is_valid(value) is valid
    assert (validator.errors(value) == []) is valid


def test_one_of_messages_tell_none_from_several() -> None:
    validator = compile_schema({"oneOf": [{"minimum": 1}, {"maximum": 3}]}, DRAFT4)
    [several] = validator.errors(2)
    assert "more than one" in several.message
    validator = compile_schema({"oneOf": [{"minimum": 5}, {"maximum": 3}]}, DRAFT4)
    [none] = validator.errors(4)
    assert "not valid under any" in none.message


def test_messages_carry_the_data() -> None:
    [error] = compile_schema({"enum": ["{x}", "b"]}, DRAFT4).errors("c")
    assert error.message == "'c' is not one of ['{x}', 'b']"
    [error] = compile_schema({"required": ["{0}"]}, DRAFT4).errors({})
    assert error.message == "'{0}' is a required property"


def test_id_scopes_resolve_like_jsonschema() -> None:
    schema = {
        "id": "http://example.com/root.json",
        "definitions": {
            "a": {"id": "nested/a.json", "definitions": {"b": {"id": "#b", "type": "integer"}}},
            "c": {"id": "other.json", "items": {"$ref": "#/definitions/d"}, "definitions": {"d": {"type": "string"}}},
        },
        "properties": {
            "x": {"$ref": "nested/a.json#b"},
            "y": {"$ref": "other.json"},
        },
    }  # fmt: skip
    validator = compile_schema(schema, DRAFT4)
    reference = jsonschema.Draft4Validator(schema)
    for instance in ({"x": 1}, {"x": "1"}, {"y": ["s"]}, {"y": [1]}):
        assert validator.is_valid(instance) is reference.is_valid(instance)


def test_errors_returns_a_fresh_empty_list_when_valid() -> None:
    validator = compile_schema({"type": "string"}, DRAFT4)
    first = validator.errors("a")
    first.append(None)  # type: ignore[arg-type]
    assert validator.errors("a") == []


def test_generation_errors_name_file_pointer_and_value() -> None:
    with pytest.raises(GenerationError) as info:
        compile_schema({"properties": {"a/b": {"maxLength": "3"}}}, DRAFT4)
    assert info.value.file == "<schema>"
    assert info.value.pointer == "/properties/a~1b/maxLength"
    assert "'3'" in info.value.reason
    assert str(info.value).startswith("<schema>: /properties/a~1b/maxLength: maxLength must be")


def test_schema_must_be_plain_json() -> None:
    with pytest.raises(GenerationError, match="not plain JSON"):
        compile_schema({"enum": [{1, 2}]}, DRAFT4)
    with pytest.raises(GenerationError, match="must be an object"):
        compile_schema({"properties": {"a": True}}, DRAFT4)
