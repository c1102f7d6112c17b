"""The official JSON Schema Test Suite (draft 4) against `compile_schema`, one pytest id per case.

Only cases that need schemas from the network are skipped (listed in `SKIPS` with the reason).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from generator.compiler import CompileOptions, Validator, compile_schema

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "JSON-Schema-Test-Suite"
DRAFT4 = SUITE / "tests" / "draft4"
OPTIONS = CompileOptions(dialect="draft4", unknown_formats="ignore")

REMOTE = "needs a remote schema; generated validators never fetch (RefResolutionError)"
# (file, group description) -> reason; a group's every case is skipped.
SKIPS: dict[tuple[str, str], str] = {
    ("refRemote.json", "*"): REMOTE + " (the suite's remotes/ are not vendored either)",
    ("ref.json", "remote ref, containing refs itself"): REMOTE + ": the draft-04 metaschema",
    ("definitions.json", "validate definition against metaschema"): REMOTE
    + ": the draft-04 metaschema",
}


def _cases() -> list[Any]:
    if not DRAFT4.is_dir():
        return [pytest.param(None, None, None, id="suite-missing", marks=pytest.mark.skip(
            reason=f"JSON-Schema-Test-Suite not found at {SUITE}"))]  # fmt: skip
    cases = []
    for path in sorted(DRAFT4.rglob("*.json")):
        name = path.relative_to(DRAFT4).as_posix()
        for group_index, group in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            reason = SKIPS.get((path.name, "*")) or SKIPS.get((path.name, group["description"]))
            for test_index, test in enumerate(group["tests"]):
                marks = [pytest.mark.skip(reason=reason)] if reason else []
                case_id = f"{name}::{group_index}:{group['description']}::{test_index}"
                cases.append(
                    pytest.param(
                        group["schema"], test["data"], test["valid"], id=case_id, marks=marks
                    )
                )
    return cases


_compiled: dict[str, Validator] = {}


def _validator(schema: object) -> Validator:
    key = json.dumps(schema, sort_keys=True)
    if key not in _compiled:
        _compiled[key] = compile_schema(schema, OPTIONS)
    return _compiled[key]


@pytest.mark.parametrize(("schema", "instance", "valid"), _cases())
def test_suite_case(schema: object, instance: object, valid: bool) -> None:
    validator = _validator(schema)
    assert validator.is_valid(instance) is valid
    errors = validator.errors(instance)
    assert (errors == []) is valid, errors


def test_skip_list_entries_exist() -> None:
    if not DRAFT4.is_dir():
        pytest.skip(f"JSON-Schema-Test-Suite not found at {SUITE}")
    for file_name, description in SKIPS:
        groups = json.loads(next(DRAFT4.rglob(file_name)).read_text(encoding="utf-8"))
        assert description == "*" or description in [g["description"] for g in groups]


def test_remote_refs_are_refused() -> None:
    from generator.errors import RefResolutionError

    with pytest.raises(RefResolutionError, match="not inside this document"):
        compile_schema({"$ref": "http://json-schema.org/draft-04/schema#"}, OPTIONS)
