"""The benchmark scripts run, list what they claim to measure, and measure like with like.

No timing is asserted here: figures depend on the machine. What is asserted is that every
contender judges every payload as the case says (a contender that accepts a broken body would
be measured doing less work), that the draft 4 conversion the jsonschema family runs on means
what the OpenAPI schema means, and that the hand-written checks enforce the x-rules.
"""

from __future__ import annotations

import copy
import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("fastjsonschema", reason="the benchmarks need fastjsonschema and jsonschema-rs")
pytest.importorskip("jsonschema_rs", reason="the benchmarks need fastjsonschema and jsonschema-rs")

from jsonschema import Draft4Validator

from benchmarks import handwritten
from benchmarks import validators as bench
from benchmarks.payloads import ROOT, cases, spec, target

CASES = cases()
NAMES = [contender.name for contender in bench.CONTENDERS]


@pytest.fixture(scope="module")
def checkers() -> dict[tuple[str, str], bench.Checker]:
    return bench.build_checkers(CASES)


# -- the script --------------------------------------------------------------------------------


def test_quick_run_lists_every_contender_and_case() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.validators", "--quick", "--markdown"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[:3] == ["case", "bytes", "json.loads"]
    assert header[3 : 3 + len(NAMES)] == NAMES
    rows = [line.strip("|").split("|")[0].strip() for line in lines[2:] if line.startswith("|")]
    assert rows == [case.name for case in CASES]
    targets = [line for line in lines if " 1.3×: " in line or " 3×: " in line or " 50×: " in line]
    assert len(targets) == 5  # three targets, two of them also like for like
    assert any("generating all 4 specs" in line for line in lines)
    assert sum("memory, building the IVC body validator" in line for line in lines) == 2


def test_payloads_are_the_promised_ones() -> None:
    by_name = {case.name: case for case in CASES}
    assert len(by_name["ivc-32"].body["Channels"]) == 32
    assert 1600 <= by_name["ivc-32"].size <= 1800  # the 1.7 KB body the issue quotes
    assert len(by_name["jd-10"].body["recordTimes"]) == 10
    assert by_name["ivc-1"].body == {**target("tencent-ivc", "createRetrieveTask").example(),
                                     "Channels": by_name["ivc-1"].body["Channels"]}  # fmt: skip
    assert by_name["vcs"].body == target("vcs-compute", "createComputeTask").example()
    assert {case.valid for case in CASES} == {True, False}


# -- like with like ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_contender_judges_every_payload_as_expected(
    checkers: dict[tuple[str, str], bench.Checker], case: Any, name: str
) -> None:
    checker = checkers[name, case.target.operation_id]
    prepared = checker.prepare(case)
    assert checker.verdict(prepared) is case.valid
    if case.valid:
        checker.on_valid(prepared)  # the timed call; raises if it disagrees
    else:
        assert checker.on_invalid(prepared)  # a non-empty report


def test_a_disagreeing_contender_stops_the_run(
    checkers: dict[tuple[str, str], bench.Checker],
) -> None:
    planted = dict(checkers)
    lenient = bench.Checker(lambda case: case.body, bool, bool, lambda body: True)
    planted["jsonschema", "createRetrieveTask"] = lenient
    problems = bench.check_agreement(CASES, planted)
    invalid_ivc = [c.name for c in CASES if not c.valid and c.target.spec == "tencent-ivc"]
    assert [problem.split()[2] for problem in problems] == invalid_ivc
    assert all(problem.startswith("jsonschema accepts") for problem in problems)


def test_measure_returns_one_figure_per_repeat() -> None:
    figures = bench.measure(len, "abc", bench.Budget(repeat=3, loop_ns=100_000))
    assert len(figures) == 3
    assert all(figure > 0 for figure in figures)


def test_generating_all_specs_builds_a_module_per_spec() -> None:
    modules = bench.build_all_specs()
    assert sorted(modules) == ["jdcloud-live", "tencent-ivc", "tencent-live", "vcs-compute"]
    assert all("def " in source for source in modules.values())


# -- the draft 4 conversion -----------------------------------------------------------------------

DOCUMENT: dict[str, Any] = {
    "components": {
        "schemas": {
            "Id": {"type": "integer", "format": "int64", "readOnly": True},
            "Name": {
                "type": "string",
                "nullable": True,
                "maxLength": 3,
                "x-rules": [{"rule": "true", "message": "m"}],
            },
            "Small": {"type": "integer", "format": "int32", "minimum": 5, "exclusiveMinimum": True},
            "Blob": {"type": "string", "format": "byte"},
            "Tree": {
                "type": "object",
                "properties": {
                    "kids": {"type": "array", "items": {"$ref": "#/components/schemas/Tree"}}
                },
            },
        }
    },
    "body": {
        "type": "object",
        "required": ["id", "name", "description"],
        "description": "an annotation",
        "example": {"name": "x"},
        "properties": {
            "id": {"$ref": "#/components/schemas/Id"},
            "name": {"$ref": "#/components/schemas/Name", "description": "ignored sibling"},
            "description": {"type": "string", "enum": ["a", "b"], "nullable": True},
            "nullable": {"type": "boolean"},
            "example": {"allOf": [{"$ref": "#/components/schemas/Small"}]},
            "blob": {"$ref": "#/components/schemas/Blob"},
            "tree": {"$ref": "#/components/schemas/Tree"},
            "extra": {"additionalProperties": {"type": "number", "nullable": True}},
        },
    },
}


def test_conversion_spells_openapi_in_draft4() -> None:
    schema = bench.to_draft4(DOCUMENT, "/body")
    Draft4Validator.check_schema(schema)
    assert schema["required"] == ["name", "description"]  # id is readOnly: not in a request
    assert "description" not in schema
    assert "example" not in schema
    props = schema["properties"]
    assert sorted(props) == sorted(DOCUMENT["body"]["properties"])  # keyword-like names kept
    assert props["name"] == {"$ref": "#/definitions/Name"}
    assert props["description"] == {"type": ["string", "null"], "enum": ["a", "b"]}
    assert props["extra"] == {"additionalProperties": {"type": ["number", "null"]}}
    defs = schema["definitions"]
    assert sorted(defs) == ["Blob", "Id", "Name", "Small", "Tree"]
    assert defs["Id"] == {"not": {}}
    assert defs["Name"] == {"type": ["string", "null"], "maxLength": 3}
    assert defs["Small"] == {
        "type": "integer", "minimum": 5, "exclusiveMinimum": True, "maximum": 2**31 - 1,
    }  # fmt: skip
    assert defs["Tree"]["properties"]["kids"]["items"] == {"$ref": "#/definitions/Tree"}


def test_conversion_follows_the_direction() -> None:
    response = bench.to_draft4(DOCUMENT, "/body", direction="response")
    assert response["required"] == ["id", "name", "description"]
    assert response["definitions"]["Id"] == {
        "type": "integer", "minimum": -(2**63), "maximum": 2**63 - 1,
    }  # fmt: skip


def test_conversion_inlines_a_root_reference() -> None:
    schema = bench.to_draft4(
        {
            "components": {"schemas": {"A": {"type": "string"}}},
            "b": {"$ref": "#/components/schemas/A"},
        },
        "/b",
    )
    assert schema == {"$schema": bench.DRAFT4, "type": "string"}


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        ({"discriminator": {"propertyName": "kind"}}, "discriminator"),
        ({"$ref": "other.yaml#/components/schemas/A"}, "only #/components/schemas/"),
        ({"type": "number", "format": "int64"}, "only converted on type: integer"),
    ],
)
def test_conversion_refuses_what_it_cannot_spell(schema: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        bench.to_draft4({"s": {"properties": {"p": schema}}}, "/s")


INSTANCES: list[Any] = [
    {"name": "ab", "description": "a"},
    {"name": None, "description": None},
    {"name": None, "description": "b"},
    {"name": "abcd", "description": "a"},
    {"name": 1, "description": "a"},
    {"name": "a", "description": "c"},
    {"name": "a"},
    {"id": 1, "name": "a", "description": "a"},
    {"name": "a", "description": "a", "nullable": None},
    {"name": "a", "description": "a", "nullable": True},
    {"name": "a", "description": "a", "example": 6},
    {"name": "a", "description": "a", "example": 5},
    {"name": "a", "description": "a", "example": 2**31},
    {"name": "a", "description": "a", "example": 6.0},
    {"name": "a", "description": "a", "blob": "aGVsbG8="},
    {"name": "a", "description": "a", "blob": "aGVsbG8"},
    {"name": "a", "description": "a", "tree": {"kids": [{"kids": []}, {}]}},
    {"name": "a", "description": "a", "tree": {"kids": [{"kids": [1]}]}},
    {"name": "a", "description": "a", "extra": {"x": 1.5, "y": None}},
    {"name": "a", "description": "a", "extra": {"x": "1"}},
    [],
]


@pytest.mark.parametrize("instance", INSTANCES)
def test_converted_schema_judges_as_the_generated_validator(instance: Any) -> None:
    fast, _, _ = bench.compile_request_schema(DOCUMENT, "/body")
    converted = Draft4Validator(
        bench.to_draft4(DOCUMENT, "/body"), format_checker=Draft4Validator.FORMAT_CHECKER
    )
    assert converted.is_valid(instance) is fast(instance)


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_converted_body_schemas_are_valid_draft4(case: Any) -> None:
    document = spec(case.target.spec).document
    Draft4Validator.check_schema(bench.to_draft4(document, case.target.schema_pointer))


# -- the hand-written checks enforce the x-rules --------------------------------------------------


def _ivc(**changes: Any) -> dict[str, Any]:
    body = target("tencent-ivc", "createRetrieveTask").example("wholeDay")
    return {**body, **changes}


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        ({"EndTime": 1662048000}, "later than StartTime"),
        ({"StartTime": 1662134399, "EndTime": 1662134401}, "same CST day"),
        ({"StartTime": 1662000000, "EndTime": 1662086401}, "at most one day"),
        ({"TaskName": "全天取回 01"}, "/TaskName"),
        ({"Mode": True}, "/Mode"),
        ({"Channels": []}, "/Channels"),
    ],
)
def test_handwritten_ivc_check(changes: dict[str, Any], problem: str | None) -> None:
    found = handwritten.ivc_create(_ivc(**changes))
    assert found is None if problem is None else problem in str(found)


def _jd(*segments: tuple[str, str]) -> dict[str, Any]:
    body = copy.deepcopy(target("jdcloud-live", "addLiveRecordTask").example())
    body["recordTimes"] = [{"startTime": s, "endTime": e} for s, e in segments]
    return body


@pytest.mark.parametrize(
    ("segments", "problem"),
    [
        ([("2018-10-21T10:00:00Z", "2018-10-21T10:00:10Z")], None),
        ([("2018-10-21T10:00:00Z", "2018-10-21T18:00:00Z")], None),
        ([("2018-10-21T10:00:00Z", "2018-10-21T10:00:09Z")], "at least 10 seconds"),
        ([("2018-10-21T10:00:00Z", "2018-10-21T10:05:00Z"),
          ("2018-10-21T18:00:00Z", "2018-10-21T18:00:01Z")], "at most 8 hours"),
        ([("2018-10-21T10:05:00Z", "2018-10-21T10:00:00Z")], "later than startTime"),
        ([("2018-02-28T10:00:00Z", "2018-02-30T10:00:00Z")], "yyyy-MM-dd"),
        ([("2018-10-21T10:00:00z", "2018-10-21T10:05:00Z")], "yyyy-MM-dd"),
    ],
)  # fmt: skip
def test_handwritten_jd_check(segments: list[tuple[str, str]], problem: str | None) -> None:
    found = handwritten.jd_add_record_task(_jd(*segments))
    assert found is None if problem is None else problem in str(found)


def test_handwritten_checks_accept_the_documented_examples() -> None:
    for spec_name, operation_id in [
        ("tencent-ivc", "createRetrieveTask"),
        ("jdcloud-live", "addLiveRecordTask"),
        ("vcs-compute", "createComputeTask"),
    ]:
        the_target = target(spec_name, operation_id)
        body = the_target.operation.request_body
        assert body is not None
        for example in body.content[0].examples:
            assert handwritten.CHECKS[operation_id](example.value) is None, example.name
