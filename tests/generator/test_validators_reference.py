"""The committed validators agree with openapi-core on every documented constraint.

The constraint table of tests/specs (written from the vendor documents, each entry proven
against openapi-core there) is replayed through `validators/`: for every variant of every
documented request, the generated validator reports exactly the set of
``(location, pointer, keyword)`` that openapi-core reports - nothing more, nothing less.
``x-rules`` are left out of the comparison (openapi-core knows nothing of them); they are
compared with the CEL reference in tests/generator/test_cel_rules.py.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

import validators
from generator import runtime
from generator.model import MISSING
from generator.resolver import resolve_pointer
from tests.specs import _support
from tests.specs.test_constraints import TABLE, C, _base, _variants
from tests.specs.test_examples import ANSWER_CONSTRAINTS, _answer, _first_example, _mutate

Found = set[tuple[str, str, str]]


def _operation(spec_name: str, operation_id: str) -> runtime.Operation:
    return validators.load(spec_name).operation(operation_id)


def _request(request: _support.Request) -> runtime.Request:
    has_body = request.body is not MISSING
    return runtime.Request(
        path=request.path_params,
        query=list(request.query.items()),
        headers=request.header,
        body=request.body if has_body else runtime.ABSENT,
        media_type="application/json" if has_body else None,
    )


def _escape(token: object) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def _classify(spec_name: str, violation: runtime.Violation, instance: Any) -> Found:
    """Our violation in openapi-core's terms: a missing name is part of the pointer."""
    location, *rest = violation.instance_path
    pointer = "".join("/" + _escape(token) for token in rest)
    if violation.keyword == "requestBody":
        return {("body", "", "required")}
    if violation.keyword == "additionalProperties":  # we point at the field, jsonschema above it
        return {(str(location), pointer.rpartition("/")[0], "additionalProperties")}
    if violation.keyword != "required":
        return {(str(location), pointer, violation.keyword)}
    document = _support.spec(spec_name).document
    declared = resolve_pointer(document, violation.schema_pointer)
    if isinstance(declared, dict):  # a required parameter: its Parameter Object
        return {(str(location), f"/{_escape(declared['name'])}", "required")}
    holder = instance[location]
    for token in rest:
        holder = holder[token]
    return {
        (str(location), f"{pointer}/{_escape(name)}", "required")
        for name in declared
        if name not in holder
    }


def ours(spec_name: str, operation_id: str, request: _support.Request) -> Found:
    result = _operation(spec_name, operation_id).validate_request(_request(request))
    found: Found = set()
    for violation in result.violations:
        if violation.keyword != "x-rules":
            found |= _classify(spec_name, violation, result.values)
    # openapi-core stops at a parameter it cannot cast ("abc" for an integer); we go on and
    # report the schema's other verdicts on the text too (an integer enum, say).
    untyped = {(loc, ptr) for loc, ptr, keyword in found if keyword == "type" and loc != "body"}
    return {item for item in found if item[:2] not in untyped or item[2] == "type"}


def _cases() -> list[Any]:
    return [
        pytest.param(spec_name, operation_id, c,
                     id=f"{spec_name}:{operation_id}:{c.location}{c.where or '/'}:{c.keyword}")
        for (spec_name, operation_id), constraints in TABLE.items()
        for c in constraints
    ]  # fmt: skip


def _variant_requests(spec_name: str, operation_id: str, c: C) -> list[_support.Request]:
    request = _base(spec_name, operation_id, c)
    where = _support.concrete(c.where)
    base_value = _support.get_at(request.body, where) if c.location == "body" else None
    if c.keyword == "additionalProperties":
        return [request, _support.set_at(request, "body", "/UndocumentedField", 1)]
    accepts, rejects = _variants(c, base_value)
    return [request] + [
        _support.set_at(request, c.location, where, value) for value in [*accepts, *rejects]
    ]


@pytest.mark.parametrize(("spec_name", "operation_id", "constraint"), _cases())
def test_generated_validator_agrees_with_openapi_core(
    spec_name: str, operation_id: str, constraint: C
) -> None:
    variants = _variant_requests(spec_name, operation_id, constraint)
    assert len(variants) > 1
    for request in variants:
        expected = _support.reference_errors(spec_name, request)
        assert ours(spec_name, operation_id, request) == expected, (request.query, request.body)


def test_pattern_dollar_follows_ecma_262_not_python() -> None:
    """openapi-core (Python ``re``) accepts a trailing newline for ``^...$``; ECMA-262 and we
    do not (the one place where the two are meant to disagree)."""
    request = _support.documented_request("tencent-ivc", "createRetrieveTask")
    changed = _support.set_at(request, "body", "/TaskName", "name\n")
    assert _support.reference_errors("tencent-ivc", changed) == set()
    assert ("body", "/TaskName", "pattern") in ours("tencent-ivc", "createRetrieveTask", changed)


# -- documented examples, whole: requests at their clock, answers by status ---------------------


def _examples() -> list[Any]:
    return [
        pytest.param(name, op.operation_id, id=f"{name}:{op.operation_id}")
        for name in _support.spec_names()
        for op in _support.spec(name).operations
    ]


def _now(spec_name: str, operation_id: str) -> int | None:
    op = _support.operation(spec_name, operation_id)
    clocks = {
        example.now
        for part in [*op.parameters, *(op.request_body.content if op.request_body else ())]
        for example in part.examples
        if example.name == "documented" and example.now is not None
    }
    assert len(clocks) <= 1
    return clocks.pop() if clocks else None


@pytest.mark.parametrize(("spec_name", "operation_id"), _examples())
def test_documented_request_is_valid_rules_included(spec_name: str, operation_id: str) -> None:
    request = _support.documented_request(spec_name, operation_id)
    result = _operation(spec_name, operation_id).validate_request(
        _request(request), now=_now(spec_name, operation_id)
    )
    assert result.violations == []


@pytest.mark.parametrize(("spec_name", "operation_id"), _examples())
def test_every_documented_answer_is_valid(spec_name: str, operation_id: str) -> None:
    op = _support.operation(spec_name, operation_id)
    checked = 0
    for response in op.responses:
        for media in response.content:
            for example in media.examples:
                violations = _operation(spec_name, operation_id).validate_response(
                    response.status, example.value, media_type=media.media_type
                )
                assert violations == [], (response.status, example.name)
                checked += 1
    assert checked >= 2


@pytest.mark.parametrize(
    ("spec_name", "operation_id", "status", "pointer", "value"),
    [pytest.param(*case, id=":".join(map(str, case[:4]))) for case in ANSWER_CONSTRAINTS],
)
def test_documented_answer_constraint(
    spec_name: str, operation_id: str, status: str, pointer: str, value: Any
) -> None:
    answer = _answer(
        spec_name, operation_id, status, _first_example(spec_name, operation_id, status)
    )
    op = _operation(spec_name, operation_id)
    assert op.validate_response(status, answer) == []
    changed = _mutate(copy.deepcopy(answer), pointer, value)
    violations = op.validate_response(int(status), changed)
    assert violations, f"{pointer} = {value!r} must be rejected"
