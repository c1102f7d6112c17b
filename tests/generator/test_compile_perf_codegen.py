"""The fast path's short cuts against the collector and jsonschema, on the schemas they touch.

The fast path fetches required properties with ``x.get``, merges integer bounds and length
bounds into one comparison, tests ``enum`` without re-testing a known type, checks
``uniqueItems`` with a frozenset after ``items`` and inlines ``$ref`` targets; the collector
does none of that. Both must agree with each other and with ``jsonschema.Draft4Validator``.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given
from hypothesis import strategies as st

from generator.compiler import CompileOptions, compile_schema

DRAFT4 = CompileOptions(dialect="draft4")
Json = Any

_NUMBERS = st.one_of(
    st.integers(-3, 3), st.sampled_from([-1.5, 0.5, 2.0, 2.5, 2**63 - 1, 2**63, -(2**63) - 1])
)
_SCALARS = st.one_of(
    st.none(), st.booleans(), _NUMBERS, st.floats(-3, 3), st.text("ab", max_size=3)
)
_INSTANCES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from("abc"), inner, max_size=3)
    ),
    max_leaves=6,
)


def _bounds(kind: str) -> st.SearchStrategy[dict[str, Json]]:
    low, high = {"integer": ("minimum", "maximum"), "string": ("minLength", "maxLength")}.get(
        kind, ("minItems", "maxItems")
    )
    limit = _NUMBERS if kind == "integer" else st.integers(0, 3)
    parts = {
        low: st.none() | limit,
        high: st.none() | limit,
        "enum": st.none() | st.lists(_SCALARS, min_size=1, max_size=3),
    }
    if kind == "integer":
        parts |= {"exclusiveMinimum": st.booleans(), "exclusiveMaximum": st.booleans()}
    if kind == "array":
        parts |= {"uniqueItems": st.booleans(), "items": st.sampled_from(_ITEMS)}
    return st.fixed_dictionaries({"type": st.just(kind)}, optional=parts).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


_ITEMS = [{"type": t} for t in ("string", "integer", "number", "boolean", "null")] + [
    {"$ref": "#/definitions/s"},
    {},
    {"type": ["string", "null"]},
]
_LEAVES = st.one_of(_bounds("integer"), _bounds("string"), _bounds("array"))


@given(
    st.dictionaries(st.sampled_from("abc"), _LEAVES | st.just({"$ref": "#/definitions/s"})),
    st.lists(st.sampled_from("abc"), unique=True, max_size=3),
    _LEAVES,
    st.lists(_INSTANCES, min_size=1, max_size=4),
)
def test_fast_path_agrees_with_collector_and_jsonschema(
    properties: dict[str, Json], required: list[str], shared: dict[str, Json], instances: list[Json]
) -> None:
    schema: dict[str, Json] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    schema["definitions"] = {"s": shared}
    validator = compile_schema(schema, DRAFT4)
    reference = jsonschema.Draft4Validator(schema)
    for instance in [*instances, dict.fromkeys(required, instances[0])]:
        expected = reference.is_valid(instance)
        assert validator.is_valid(instance) is expected, instance
        assert (validator.errors(instance) == []) is expected, instance


def test_int64_bounds_merge_with_minimum() -> None:
    schema = {"type": "integer", "format": "int64", "minimum": 0.5, "exclusiveMaximum": True}
    validator = compile_schema({**schema, "maximum": 10})
    assert "if not 1 <= x <= 9:" in validator.source
    assert [validator.is_valid(v) for v in (0, 1, 9, 10, True, 1.0)] == [0, 1, 1, 0, 0, 0]
    assert [e.keyword for e in validator.errors(10)] == ["exclusiveMaximum"]


def test_required_fetch_keeps_missing_nullable_properties_invalid() -> None:
    schema = {
        "type": "object",
        "required": ["a"],
        "properties": {"a": {"type": "string", "nullable": True}},
    }
    validator = compile_schema(schema)
    assert [validator.is_valid(v) for v in ({"a": None}, {}, {"b": None})] == [1, 0, 0]
