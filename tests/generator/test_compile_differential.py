"""Differential tests: random schemas and instances, our verdict against the reference validators.

``jsonschema.Draft4Validator`` judges the draft 4 dialect; openapi-schema-validator's
``OAS30Validator`` / ``OAS30WriteValidator`` / ``OAS30ReadValidator`` judge the OpenAPI dialect
without a direction / for requests / for responses. Both sides check formats.

The generated vocabulary stays where both implementations are specified to agree: patterns in
the subset where ECMA-262 and Python ``re`` mean the same (strings hold no line terminators and
no non-ASCII digits or letters are tested with ``\\d``/``\\w``), ``multipleOf`` divisors that are
integers or powers of two (exact in binary too) with floats below 2**52 (1e300 is a multiple
of 3 in binary but not in decimal: see test_compile_keywords), and format samples on which the reference
checkers are correct (no leap seconds, no e-mail, hostname or URI: see test_compile_formats).
"""

from __future__ import annotations

import itertools
from typing import Any

import jsonschema
import openapi_schema_validator as osv
from hypothesis import given
from hypothesis import strategies as st
from jsonschema._utils import equal as _json_equal

from generator.compiler import CompileOptions, compile_schema
from generator.runtime import Violation

Json = Any

NAMES = ["a", "b", "ab", "x-1", "é"]
PATTERNS = ["^a", "b$", "^[a-c]*$", "x|y", "[0-9]", "^.{0,2}$", "^$", "a+b", "(ab)+", "^[^x]"]
FORMAT_SAMPLES = {
    "ipv4": ["192.168.0.1", "256.1.1.1", "01.2.3.4", "1.2.3", "0.0.0.0"],
    "ipv6": ["::1", "1::2::3", "fe80::1%eth0", "1:2:3:4:5:6:7:8", "::ffff:1.2.3.4", "12345::"],
    "date-time": ["1990-12-31T15:59:50.123-08:00", "1990-02-31T00:00:00Z", "2020-01-01t00:00:00z"],
    "date": ["2020-02-29", "2019-02-29", "2020-1-01", "20200101"],
    "uuid": ["123e4567-e89b-12d3-a456-426614174000", "123e4567e89b12d3a456426614174000"],
    "byte": ["aGVsbG8=", "aGVsbG8", "!!", ""],
    "int32": [],
    "int64": [],
    "float": [],
    "password": [],
}
DRAFT4_FORMATS = ["ipv4", "ipv6", "date-time"]
OAS_FORMATS = [*DRAFT4_FORMATS, "date", "uuid", "byte", "int32", "int64", "float", "password"]

# -- instances ---------------------------------------------------------------------------------

TRICKY = [None, True, False, 0, 1, 0.0, 1.0, -1, 2, "", "a", "1"]
scalars = st.one_of(
    st.none(),
    st.sampled_from(TRICKY),
    st.integers(-6, 6),
    st.integers(-24, 24).map(lambda n: n / 4),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.sampled_from([2**31, 2**31 - 1, -(2**31) - 1, 2**63, -(2**63) - 1, 1e-300]),
    st.text(alphabet="abxy01é -", max_size=5),
    st.sampled_from([s for samples in FORMAT_SAMPLES.values() for s in samples]),
)
containers = st.recursive(
    st.lists(scalars, max_size=4) | st.dictionaries(st.sampled_from(NAMES), scalars, max_size=4),
    lambda inner: st.one_of(
        st.lists(inner | scalars, max_size=4),
        st.dictionaries(st.sampled_from(NAMES), inner | scalars, max_size=4),
    ),
    max_leaves=4,
)
instances = st.one_of(scalars.map(lambda v: v), containers)  # map: keep the two halves even

# -- schemas -----------------------------------------------------------------------------------

counts = st.integers(0, 4)
numbers = st.one_of(st.integers(-5, 5), st.sampled_from([-1.5, 0.5, 2.25]))


def _leaf(dialect: str) -> st.SearchStrategy[dict[str, Json]]:
    types = ["array", "boolean", "integer", "number", "object", "string"]
    if dialect == "draft4":
        type_value = st.one_of(
            st.sampled_from([*types, "null"]),
            st.lists(st.sampled_from([*types, "null"]), min_size=1, max_size=3, unique=True),
        )
        formats = DRAFT4_FORMATS
    else:
        type_value = st.sampled_from(types)
        formats = OAS_FORMATS
    fragments = [
        st.builds(lambda t: {"type": t}, type_value),
        st.builds(lambda e: {"enum": e}, st.lists(scalars | st.lists(scalars, max_size=2), min_size=1, max_size=4)),
        st.builds(lambda n, x: {"minimum": n, "exclusiveMinimum": x}, numbers, st.booleans()),
        st.builds(lambda n, x: {"maximum": n, "exclusiveMaximum": x}, numbers, st.booleans()),
        st.builds(lambda n: {"multipleOf": n}, st.sampled_from([1, 2, 3, 0.5, 0.25])),
        st.builds(lambda n: {"minLength": n}, counts),
        st.builds(lambda n: {"maxLength": n}, counts),
        st.builds(lambda p: {"pattern": p}, st.sampled_from(PATTERNS)),
        st.builds(lambda n: {"minItems": n}, counts),
        st.builds(lambda n: {"maxItems": n}, counts),
        st.builds(lambda b: {"uniqueItems": b}, st.booleans()),
        st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True)),
        st.builds(lambda n: {"minProperties": n}, counts),
        st.builds(lambda n: {"maxProperties": n}, counts),
        st.builds(lambda f: {"format": f}, st.sampled_from(formats)),
    ]  # fmt: skip
    if dialect == "openapi":
        fragments.append(st.builds(lambda t: {"type": t, "nullable": True}, type_value))
    return st.lists(st.one_of(fragments), max_size=3).map(_merge)


def _merge(parts: list[dict[str, Json]]) -> dict[str, Json]:
    merged: dict[str, Json] = {}
    for part in parts:
        merged.update(part)
    return merged


def _extend(
    dialect: str, inner: st.SearchStrategy[dict[str, Json]]
) -> st.SearchStrategy[dict[str, Json]]:
    props = st.dictionaries(st.sampled_from(NAMES), inner, max_size=3)
    fragments = [
        st.builds(lambda p: {"properties": p}, props),
        st.builds(lambda a: {"additionalProperties": a}, st.booleans() | inner),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(lambda s: {"allOf": s}, st.lists(inner, min_size=1, max_size=2)),
        st.builds(lambda s: {"anyOf": s}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"oneOf": s}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda s: {"not": s}, inner),
    ]
    if dialect == "draft4":
        fragments += [
            st.builds(lambda p: {"patternProperties": p}, st.dictionaries(st.sampled_from(PATTERNS), inner, max_size=2)),
            st.builds(lambda s: {"items": s}, st.lists(inner, min_size=1, max_size=3)),
            st.builds(lambda s, a: {"items": s, "additionalItems": a}, st.lists(inner, max_size=2), st.booleans() | inner),
            st.builds(lambda d: {"dependencies": d}, st.dictionaries(
                st.sampled_from(NAMES), inner | st.lists(st.sampled_from(NAMES), unique=True, max_size=2), max_size=2)),
        ]  # fmt: skip
    else:
        flags = st.sampled_from([{}, {"readOnly": True}, {"writeOnly": True}, {"readOnly": False}])
        flagged = st.builds(lambda s, f: {**s, **f}, inner, flags)
        fragments.append(
            st.builds(
                lambda p, r: {"properties": p, "required": r},
                st.dictionaries(st.sampled_from(NAMES), flagged, max_size=3),
                st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique=True),
            )
        )
    return st.builds(
        lambda base, parts: _merge([base, *parts]),
        _leaf(dialect),
        st.lists(st.one_of(fragments), max_size=2),
    )


def schemas(dialect: str) -> st.SearchStrategy[dict[str, Json]]:
    return st.recursive(_leaf(dialect), lambda inner: _extend(dialect, inner), max_leaves=4)


def _with_definitions(schema: dict[str, Json], shared: dict[str, Json]) -> dict[str, Json]:
    """Put ``shared`` under definitions and reach it through a $ref in ``allOf``."""
    return {
        **schema,
        "definitions": {"shared": shared},
        "allOf": [{"$ref": "#/definitions/shared"}],
    }


# -- checks ------------------------------------------------------------------------------------


def _resolves(instance: Json, violation: Violation) -> bool:
    node = instance
    for token in violation.instance_path:
        in_dict = isinstance(node, dict) and token in node
        in_list = isinstance(node, list) and isinstance(token, int) and token < len(node)
        if not (in_dict or in_list):
            return False
        node = node[token]
    return True


def _verdict(reference: Any, instance: Json) -> bool:
    try:
        return bool(reference.is_valid(instance))
    except UnicodeEncodeError:  # openapi-schema-validator's "byte" check crashes on non-ASCII
        return False


def _agree(
    schema: dict[str, Json], samples: list[Json], options: CompileOptions, reference: Any
) -> None:
    validator = compile_schema(schema, options)
    for instance in samples:
        expected = _verdict(reference, instance)
        assert validator.is_valid(instance) is expected, (schema, instance)
        errors = validator.errors(instance)
        assert (errors == []) is expected, (schema, instance, errors)
        assert all(_resolves(instance, e) for e in errors), errors


@given(schemas("draft4"), st.lists(instances, min_size=1, max_size=4))
def test_draft4_matches_jsonschema(schema: dict[str, Json], samples: list[Json]) -> None:
    reference = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    _agree(schema, samples, CompileOptions(dialect="draft4"), reference)


SELF = {"$ref": "#/definitions/shared"}
recursion = st.sampled_from(
    [{}, {"properties": {"a": SELF}}, {"items": SELF}, {"additionalProperties": SELF},
     {"anyOf": [{"type": "integer"}, {"items": SELF}]}]
)  # fmt: skip


@given(
    schemas("draft4"),
    st.builds(lambda leaf, rec: {**leaf, **rec}, _leaf("draft4"), recursion),
    st.lists(instances, min_size=1, max_size=4),
)
def test_draft4_refs_match_jsonschema(
    schema: dict[str, Json], shared: dict[str, Json], samples: list[Json]
) -> None:
    """$ref into definitions, including schemas that refer to themselves."""
    schema = _with_definitions(schema, shared)
    reference = jsonschema.Draft4Validator(
        schema, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER
    )
    _agree(schema, samples, CompileOptions(dialect="draft4"), reference)


@given(
    schemas("openapi"),
    st.lists(instances, min_size=1, max_size=4),
    st.sampled_from([None, "request", "response"]),
)
def test_openapi_matches_openapi_schema_validator(
    schema: dict[str, Json], samples: list[Json], direction: Any
) -> None:
    reference = DIRECTIONS[direction](schema, format_checker=osv.OAS30Validator.FORMAT_CHECKER)
    _agree(schema, samples, CompileOptions(dialect="openapi-3.0", direction=direction), reference)


tricky = st.sampled_from(
    [*TRICKY, [1], [True], [1.0], [0], [False], [[1]], [[True]], {"a": 1}, {"a": True}]
)


@given(
    st.one_of(
        st.just({"uniqueItems": True}),
        st.builds(lambda e: {"enum": e}, st.lists(tricky, min_size=1, max_size=4)),
        st.builds(lambda e: {"items": {"enum": e}}, st.lists(tricky, min_size=1, max_size=4)),
    ),
    st.lists(st.lists(tricky, min_size=2, max_size=5) | tricky, min_size=1, max_size=6),
)
def test_json_equality_matches_jsonschema(schema: dict[str, Json], samples: list[Json]) -> None:
    """enum and uniqueItems: 1 == 1.0, but true != 1 and false != 0, also inside arrays."""
    reference: Any = jsonschema.Draft4Validator(schema)
    if schema == {"uniqueItems": True}:
        reference = _PairwiseUnique()
    _agree(schema, samples, CompileOptions(dialect="draft4"), reference)


class _PairwiseUnique:
    """``uniqueItems`` by jsonschema's own equality, pair by pair: its ``uniq`` sorts first and
    then compares neighbours only, so it takes ``[[true], [1], [true]]`` for unique."""

    def is_valid(self, instance: Json) -> bool:
        if not isinstance(instance, list):
            return True
        return not any(_json_equal(a, b) for a, b in itertools.combinations(instance, 2))


DIRECTIONS = {
    None: osv.OAS30Validator,
    "request": osv.OAS30WriteValidator,
    "response": osv.OAS30ReadValidator,
}
flags = st.sampled_from(
    [{}, {"readOnly": True}, {"writeOnly": True}, {"readOnly": False}, {"writeOnly": False}]
)


@given(
    st.dictionaries(
        st.sampled_from(NAMES),
        st.builds(lambda f, s: {**f, **s}, flags, _leaf("openapi")),
        max_size=4,
    ),
    st.lists(st.sampled_from(NAMES), min_size=1, max_size=4, unique=True),
    st.lists(st.dictionaries(st.sampled_from(NAMES), scalars, max_size=4), min_size=1, max_size=4),
    st.sampled_from(list(DIRECTIONS)),
)
def test_openapi_read_write_only_match(
    properties: Json, required: Json, samples: list[Json], direction: Any
) -> None:
    """readOnly / writeOnly: not required, and rejected when sent, per direction."""
    schema = {"type": "object", "properties": properties, "required": required}
    reference = DIRECTIONS[direction](schema, format_checker=osv.OAS30Validator.FORMAT_CHECKER)
    _agree(schema, samples, CompileOptions(dialect="openapi-3.0", direction=direction), reference)


def test_strategies_reach_both_verdicts() -> None:
    """Guard against a vacuous differential test: the reference sees valid and invalid cases."""
    schema = {"type": "object", "properties": {"a": {"minimum": 2}}, "required": ["a"]}
    reference = jsonschema.Draft4Validator(schema)
    validator = compile_schema(schema, CompileOptions(dialect="draft4"))
    verdicts = {validator.is_valid(i) for i in ({"a": 3}, {"a": 1}, {})}
    assert verdicts == {True, False}
    assert verdicts == {reference.is_valid(i) for i in ({"a": 3}, {"a": 1}, {})}
