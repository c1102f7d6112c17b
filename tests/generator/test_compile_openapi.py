"""The OpenAPI 3.0 adapter: nullable, readOnly/writeOnly by direction, discriminator, formats."""

from __future__ import annotations

from typing import Any

import pytest

from generator.compiler import CompileOptions, compile_schema
from generator.emit import UnitBuilder, render_module
from generator.errors import GenerationError, RefResolutionError
from generator.runtime import Violation

OAS = CompileOptions(dialect="openapi-3.0")
REQUEST = CompileOptions(dialect="openapi-3.0", direction="request")
RESPONSE = CompileOptions(dialect="openapi-3.0", direction="response")


def test_default_options_are_openapi_without_direction() -> None:
    options = CompileOptions()
    assert (options.dialect, options.direction, options.unknown_formats) == (
        "openapi-3.0",
        None,
        "error",
    )


@pytest.mark.parametrize(
    "kwargs",
    [{"dialect": "draft7"}, {"direction": "both"}, {"dialect": "draft4", "direction": "request"},
     {"unknown_formats": "warn"}],
)  # fmt: skip
def test_bad_options_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"must be one of|only applies"):
        CompileOptions(**kwargs)


def test_nullable_admits_null_only_with_true_and_a_type() -> None:
    assert compile_schema({"type": "string", "nullable": True}, OAS).is_valid(None)
    assert not compile_schema({"type": "string", "nullable": False}, OAS).is_valid(None)
    assert not compile_schema({"type": "string"}, OAS).is_valid(None)
    assert compile_schema({"nullable": False}, OAS).is_valid(None)
    nullable_enum = compile_schema({"type": "string", "nullable": True, "enum": ["a"]}, OAS)
    assert not nullable_enum.is_valid(None)  # enum still applies, as in openapi-schema-validator


def test_nullable_does_not_reach_through_all_of() -> None:
    schema = {"nullable": True, "allOf": [{"type": "object"}]}
    assert not compile_schema(schema, OAS).is_valid(None)


def test_nullable_is_plain_data_in_draft4() -> None:
    assert not compile_schema(
        {"type": "string", "nullable": True}, CompileOptions(dialect="draft4")
    ).is_valid(None)


@pytest.mark.parametrize("schema", [{"type": ["string", "null"]}, {"type": "null"}, {"type": 3}])
def test_openapi_type_is_one_name(schema: dict[str, Any]) -> None:
    with pytest.raises(GenerationError, match="single name"):
        compile_schema(schema, OAS)


def test_openapi_has_no_tuple_items() -> None:
    with pytest.raises(GenerationError, match="no tuple form") as info:
        compile_schema({"items": [{"type": "string"}]}, OAS)
    assert info.value.pointer == "/items"


def test_nullable_must_be_boolean() -> None:
    with pytest.raises(GenerationError, match="boolean"):
        compile_schema({"type": "string", "nullable": "yes"}, OAS)


USER = {
    "type": "object",
    "required": ["id", "name", "password"],
    "properties": {
        "id": {"type": "integer", "readOnly": True},
        "name": {"type": "string"},
        "password": {"$ref": "#/definitions/Secret"},
    },
    "definitions": {"Secret": {"type": "string", "writeOnly": True}},
}


@pytest.mark.parametrize(
    ("options", "instance", "keywords"),
    [
        (REQUEST, {"name": "a", "password": "p"}, []),
        (REQUEST, {"id": 1, "name": "a", "password": "p"}, ["readOnly"]),
        (REQUEST, {"id": 1, "name": "a"}, ["readOnly", "required"]),
        (RESPONSE, {"id": 1, "name": "a"}, []),
        (RESPONSE, {"id": 1, "name": "a", "password": "p"}, ["writeOnly"]),
        (RESPONSE, {"name": "a"}, ["required"]),
        (OAS, {"name": "a"}, []),
        (OAS, {"id": 1, "name": "a", "password": "p"}, []),
        (OAS, {}, ["required"]),
    ],
)
def test_read_only_and_write_only_by_direction(
    options: CompileOptions, instance: dict[str, Any], keywords: list[str]
) -> None:
    validator = compile_schema(USER, options)
    assert sorted(e.keyword for e in validator.errors(instance)) == keywords
    assert validator.is_valid(instance) is (keywords == [])


def test_read_only_violation_points_at_the_property() -> None:
    [error] = compile_schema(USER, REQUEST).errors({"id": 1, "name": "a", "password": "p"})
    assert (error.pointer, error.schema_pointer) == ("/id", "/properties/id/readOnly")
    assert "read-only" in error.message


def test_read_only_and_write_only_together_is_an_error() -> None:
    with pytest.raises(GenerationError, match="both readOnly and writeOnly"):
        compile_schema({"readOnly": True, "writeOnly": True}, REQUEST)


PETS = {
    "components": {
        "schemas": {
            "Pet": {
                "oneOf": [
                    {"$ref": "#/components/schemas/Cat"},
                    {"$ref": "#/components/schemas/Dog"},
                ],
                "discriminator": {"propertyName": "kind", "mapping": {"kitty": "Cat"}},
            },
            "Cat": {
                "type": "object",
                "required": ["kind", "lives"],
                "properties": {
                    "kind": {"type": "string"},
                    "lives": {"type": "integer", "maximum": 9},
                },
            },
            "Dog": {
                "type": "object",
                "required": ["kind", "bark"],
                "properties": {"kind": {"type": "string"}, "bark": {"type": "boolean"}},
            },
        }
    }
}


def _pet_validator() -> tuple[Any, Any]:
    unit = UnitBuilder(PETS, OAS, prefix="pets", file="specs/pets.yaml")
    fast_name, errors_name = unit.add("/components/schemas/Pet")
    namespace: dict[str, Any] = {}
    exec(compile(render_module([unit.emitted()]), "<pets>", "exec"), namespace)
    return namespace[fast_name], namespace[errors_name]


@pytest.mark.parametrize(
    ("instance", "valid"),
    [
        ({"kind": "kitty", "lives": 3}, True),
        ({"kind": "Cat", "lives": 3}, True),
        ({"kind": "Dog", "bark": True}, True),
        ({"kind": "Dog", "lives": 3}, False),
        ({"kind": "Cow", "moo": True}, False),
        ({"lives": 3}, False),
        ({"kind": 1, "lives": 3}, False),
        ({"kind": "kitty", "lives": 30}, False),
    ],
)
def test_discriminator_selects_the_schema(instance: dict[str, Any], valid: bool) -> None:
    fast, _ = _pet_validator()
    assert fast(instance) is valid


def test_discriminator_reports_the_selected_schemas_errors() -> None:
    _, collect = _pet_validator()
    out: list[Violation] = []
    collect({"kind": "kitty", "lives": 30}, ("pet",), out)
    assert [(e.pointer, e.keyword, e.schema_pointer) for e in out] == [
        ("/pet/lives", "maximum", "/components/schemas/Cat/properties/lives/maximum"),
        ("/pet", "oneOf", "/components/schemas/Pet/oneOf"),
    ]
    out.clear()
    collect({"kind": "Cow"}, (), out)
    assert [e.keyword for e in out] == ["discriminator", "oneOf"]
    assert "'kind'" in out[0].message


def test_discriminator_mapping_to_a_missing_schema_is_refused() -> None:
    document = {
        "oneOf": [{"type": "object"}],
        "discriminator": {"propertyName": "k", "mapping": {"a": "Nope"}},
    }
    with pytest.raises(RefResolutionError, match="does not resolve") as info:
        compile_schema(document, OAS)
    assert info.value.pointer == "/discriminator/mapping/a/$ref"


def test_discriminator_without_one_of_only_requires_the_property() -> None:
    validator = compile_schema({"type": "object", "discriminator": {"propertyName": "kind"}}, OAS)
    assert validator.is_valid({"kind": "anything"})
    assert not validator.is_valid({})
    assert not validator.is_valid({"kind": 3})


@pytest.mark.parametrize(
    ("fmt", "valid", "invalid"),
    [
        ("int32", [2**31 - 1, -(2**31), 1.5, "x"], [2**31, -(2**31) - 1]),
        ("int64", [2**63 - 1, -(2**63)], [2**63, -(2**63) - 1]),
        ("float", [1, 1.5, "x"], []),
        ("double", [1, 1.5], []),
        ("byte", ["aGVsbG8=", "", 5], ["aGVsbG8", "!!!!", "é"]),
        ("binary", ["\x00anything"], []),
        ("password", ["hunter2"], []),
        ("date", ["2024-02-29"], ["2023-02-29", "2024-2-29", "2024-02-29T00:00:00Z"]),
        ("date-time", ["2024-02-29T23:59:60Z", "2024-02-29t01:02:03.5+01:00"], ["2024-02-29", "2024-02-29T24:00:00Z"]),
        ("uuid", ["123e4567-e89b-12d3-a456-426614174000"], ["123e4567e89b12d3a456426614174000", "{123e4567-e89b-12d3-a456-426614174000}"]),
        ("email", ["a.b@example.com"], ["a..b@example.com", "nobody"]),
        ("uri", ["https://example.com/a?b#c", "urn:isbn:0451450523"], ["/relative", "http://exa mple.com"]),
        ("hostname", ["api.example.com"], ["-bad.example.com", "a" * 64 + ".com"]),
        ("ipv4", ["10.0.0.1"], ["10.0.0.01", "10.0.0"]),
        ("ipv6", ["::1", "2001:db8::8a2e:370:7334"], ["::1%eth0", "1::2::3"]),
    ],
)  # fmt: skip
def test_openapi_formats(fmt: str, valid: list[Any], invalid: list[Any]) -> None:
    validator = compile_schema({"format": fmt}, OAS)
    assert [validator.is_valid(v) for v in valid] == [True] * len(valid)
    assert [validator.is_valid(v) for v in invalid] == [False] * len(invalid)
    for value in invalid:
        [error] = validator.errors(value)
        assert (error.keyword, error.schema_pointer) == ("format", "/format")


def test_unknown_formats_are_errors_unless_ignored() -> None:
    with pytest.raises(GenerationError, match="unknown format 'int8'") as info:
        compile_schema({"properties": {"a": {"format": "int8"}}}, OAS)
    assert info.value.pointer == "/properties/a/format"
    relaxed = CompileOptions(dialect="openapi-3.0", unknown_formats="ignore")
    assert compile_schema({"format": "int8"}, relaxed).is_valid(10**9)


def test_openapi_formats_are_unknown_in_draft4() -> None:
    with pytest.raises(GenerationError, match="unknown format 'int32'"):
        compile_schema({"format": "int32"}, CompileOptions(dialect="draft4"))


def test_integral_floats_option() -> None:
    strict = compile_schema({"type": "integer", "multipleOf": 2}, OAS)
    lenient = compile_schema(
        {"type": "integer", "multipleOf": 2},
        CompileOptions(dialect="openapi-3.0", integral_floats_are_integers=True),
    )
    assert (strict.is_valid(4.0), lenient.is_valid(4.0), lenient.is_valid(3.0), lenient.is_valid(4.5)) == (
        False, True, False, False)  # fmt: skip
    assert not lenient.is_valid(True)
