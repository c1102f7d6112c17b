"""Injection tests: spec text is hostile input and must never become code.

Hostile strings go everywhere a spec can put text (property names, required, dependencies,
patterns, enum values, defaults, titles, descriptions, definitions names reached through $ref,
discriminators); the generated source must compile, behave like jsonschema, execute nothing,
and contain no identifier that came from the spec.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.compiler import CompileOptions, compile_schema
from generator.errors import GenerationError

DRAFT4 = CompileOptions(dialect="draft4")
OPENAPI = CompileOptions(dialect="openapi-3.0")

HOSTILE = [
    "'",
    '"',
    "'''",
    '"""',
    "\\",
    "\\'",
    "a\nb",
    "\r\n",
    "{x}",
    "{0}",
    "{}",
    "%s",
    "\x00",
    "\u2028",
    "\u2029",
    "\ud800",
    "class",
    "return",
    "None",
    "x",
    "p",
    "out",
    "_rt",
    "_re",
    "_schema__v1",
    "__class__",
    "__import__",
    "__builtins__",
    "#",
    "~1/~0",
    "é\N{SNOWMAN}",
    "k" * 10_000,
    "__import__('os').system('touch PWNED')",
    "'); __import__('os').system('touch PWNED'); ('",
    '"""); __import__("os").system("touch PWNED") #',
    "\\N{LATIN SMALL LETTER A}",
]
ALLOWED_NAMES = re.compile(
    r"_schema__[a-z]+\d+|x|p|out|[vkitnm]\d+|_rt|_re|type|len|enumerate|range|frozenset|str|int|float|dict|list|KeyError"
)


def _payload(name: str, marker: Path) -> str:
    return name.replace("PWNED", str(marker))


def _agree(schema: dict[str, Any], instances: list[Any], options: CompileOptions = DRAFT4) -> None:
    validator = compile_schema(schema, options)
    reference = jsonschema.Draft4Validator(schema)
    for instance in instances:
        expected = reference.is_valid(instance)
        assert validator.is_valid(instance) is expected, instance
        assert (validator.errors(instance) == []) is expected, instance
    _assert_identifiers_are_ours(validator.source)


def _assert_identifiers_are_ours(source: str) -> None:
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            assert ALLOWED_NAMES.fullmatch(node.id), node.id
        elif isinstance(node, ast.FunctionDef):
            assert ALLOWED_NAMES.fullmatch(node.name), node.name
        elif isinstance(node, ast.Attribute):
            assert node.attr in {"violation", "append", "search", "compile", "ASCII", "items",
                                 "get", "issuperset", "is_integer"} or node.attr.startswith("is_") or node.attr in {
                                 "has_duplicates", "json_in"}, node.attr  # fmt: skip


def _nested(depth: int) -> Any:
    value: Any = 0
    for _ in range(depth):
        value = [value]
    return value


def _ecma_escape(name: str) -> str:
    return "".join("\\" + c if c in "^$\\.*+?()[]{}|/" else c for c in name)


@pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n)[:40])
def test_hostile_property_names(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    name = _payload(name, marker)
    other = name + "!"
    schema = {
        "title": name,
        "description": name,
        "default": {name: name},
        "properties": {name: {"type": "integer", "description": name, "default": name}},
        "required": [name],
        "dependencies": {name: [other], other: {"required": [name]}},
        "additionalProperties": False,
        "patternProperties": {"^" + _ecma_escape(other) + "$": {"type": "string"}},
    }
    _agree(
        schema, [{name: 1}, {name: "1"}, {}, {name: 1, other: "s"}, {name: 1, other: 2}, {"z": 1}]
    )
    assert not marker.exists()


@pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n)[:40])
def test_hostile_enum_values(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    name = _payload(name, marker)
    schema = {"enum": [name, [name], {name: name}, 1, None], "default": name}
    _agree(schema, [name, [name], {name: name}, {name: 1}, name + "x", 1, True, None])
    assert not marker.exists()


@pytest.mark.parametrize("name", [n for n in HOSTILE if n != "\ud800"], ids=lambda n: repr(n)[:40])
def test_hostile_definition_names_through_ref(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    name = _payload(name, marker)
    token = quote(name.replace("~", "~0").replace("/", "~1"), safe="")
    schema = {
        "definitions": {name: {"type": "integer", "title": name}},
        "properties": {"a": {"$ref": "#/definitions/" + token}},
    }
    _agree(schema, [{"a": 1}, {"a": "1"}, {}])
    assert not marker.exists()


@pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n)[:40])
def test_hostile_discriminator(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    name = _payload(name, marker)
    schema = {
        "oneOf": [{"$ref": "#/definitions/A"}],
        "discriminator": {"propertyName": name, "mapping": {name: "#/definitions/A"}},
        "definitions": {"A": {"type": "object", "required": [name]}},
    }
    validator = compile_schema(schema, OPENAPI)
    assert validator.is_valid({name: name})
    assert not validator.is_valid({name: "other"})
    assert [e.keyword for e in validator.errors({})] == ["discriminator", "oneOf"]
    _assert_identifiers_are_ours(validator.source)
    assert not marker.exists()


@pytest.mark.parametrize("name", HOSTILE, ids=lambda n: repr(n)[:40])
def test_hostile_format_names_are_generation_errors(name: str, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    with pytest.raises(GenerationError, match="unknown format"):
        compile_schema({"properties": {"a": {"format": _payload(name, marker)}}}, DRAFT4)
    assert not marker.exists()


@given(
    st.lists(st.text(), min_size=1, max_size=4, unique=True),
    st.lists(st.text() | st.integers() | st.booleans() | st.none(), min_size=1, max_size=4),
)
def test_random_names_and_enum_values_match_jsonschema(names: list[str], values: list[Any]) -> None:
    schema = {
        "properties": {name: {"enum": values} for name in names[1:]},
        "required": names[:1],
        "additionalProperties": {"not": {"enum": [names[0]]}},
    }
    instances = [{n: v for n in names for v in values[:1]}, {names[0]: values[-1]}, {}]
    instances += [{n: n for n in names}, values]
    _agree(schema, instances)


@pytest.mark.parametrize(
    ("schema", "pointer", "reason"),
    [
        ({"pattern": "(unclosed"}, "/pattern", "missing \\)"),
        ({"properties": {"a": {"pattern": "(?<=a+)b"}}}, "/properties/a/pattern", "lookbehind|look-behind"),
        ({"patternProperties": {"(?P<x>a)": {}}}, "/patternProperties/(?P<x>a)", "unsupported"),
        ({"pattern": "a*+"}, "/pattern", "nothing to repeat"),
        ({"pattern": 5}, "/pattern", "must be a string"),
        ({"properties": {"a": {"format": "telepathy"}}}, "/properties/a/format", "unknown format"),
        ({"properties": {"a": {"maxLength": "3"}}}, "/properties/a/maxLength", "non-negative integer"),
        ({"minItems": -1}, "/minItems", "non-negative integer"),
        ({"minimum": True}, "/minimum", "must be a number"),
        ({"multipleOf": 0}, "/multipleOf", "greater than 0"),
        ({"type": "text"}, "/type", "type must be one of"),
        ({"enum": []}, "/enum", "non-empty"),
        ({"required": "a"}, "/required", "array of strings"),
        ({"items": {"items": 3}}, "/items/items", "must be"),
        ({"allOf": [{"not": "x"}]}, "/allOf/0/not", "must be a schema"),
        ({"uniqueItems": "yes"}, "/uniqueItems", "boolean"),
        ({"$ref": "#"}, "", "circular"),
        ({"allOf": [{"$ref": "#"}]}, "", "refers to itself"),
        ({"anyOf": [{"type": "string"}, {"$ref": "#"}]}, "", "refers to itself"),
        ({"definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
          "$ref": "#/definitions/a"}, "/definitions/a", "circular"),
        ({"enum": [_nested(80)]}, "/enum", "too deeply"),
    ],
    ids=lambda v: repr(v)[:30],
)  # fmt: skip
def test_bad_schemas_are_generation_errors(
    schema: dict[str, Any], pointer: str, reason: str
) -> None:
    with pytest.raises(GenerationError) as info:
        compile_schema(schema, DRAFT4)
    assert info.value.pointer == pointer
    assert re.search(reason, info.value.reason), info.value.reason


def test_deeply_nested_schema_compiles_and_validates() -> None:
    schema: dict[str, Any] = {"type": "integer"}
    instance: Any = 1
    for _ in range(120):
        schema = {"type": "object", "properties": {"a": schema}, "required": ["a"]}
        instance = {"a": instance}
    validator = compile_schema(schema, DRAFT4)
    assert validator.is_valid(instance)
    broken = instance
    for _ in range(119):
        broken = broken["a"]
    broken["a"] = "1"
    [error] = validator.errors(instance)
    assert error.instance_path == ("a",) * 120
    assert error.keyword == "type"


def test_python_keyword_and_dunder_names_stay_data() -> None:
    names = ["__class__", "__init__", "__dict__", "import", "lambda", "self", "cls", "_rt"]
    schema = {"properties": {n: {"type": "string"} for n in names}, "required": names}
    validator = compile_schema(schema, DRAFT4)
    assert validator.is_valid({n: n for n in names})
    assert [e.pointer for e in validator.errors(dict.fromkeys(names, 1))] == [
        f"/{n}" for n in names
    ]
