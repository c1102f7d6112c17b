"""The spec linter: clean on the real specs, and each check fires on a planted fault."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.__main__ import main
from generator.lint import Finding, lint_paths, lint_spec

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


def plant(tmp_path: Path, spec: str, old: str, new: str, *, count: int = 1) -> Path:
    """Copy ``spec`` into tmp_path with ``old`` replaced by ``new`` (which must occur)."""
    text = (SPECS / spec).read_text(encoding="utf-8")
    assert old in text, f"planting failed: {old!r} not in {spec}"
    target = tmp_path / spec
    target.write_text(text.replace(old, new, count), encoding="utf-8")
    return target


def reasons(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(finding.pointer, finding.reason) for finding in findings]


def test_the_real_specs_are_clean() -> None:
    assert lint_paths(sorted(SPECS.glob("*.yaml"))) == []


def test_an_invalid_example_is_named_with_its_pointer(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "tencent-ivc.yaml",
        "                  Expiration: 10\n",
        "                  Expiration: 400\n",
    )
    [finding] = lint_spec(path)
    assert finding.file == str(path)
    assert finding.pointer == (
        "/paths/~1ivc~1record~1retrievetask~1add/post/requestBody/content/application~1json"
        "/examples/documented/value"
    )
    assert "/Expiration: 400 is greater than the maximum of 365" in finding.reason


def test_an_invalid_answer_example_is_found(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "vcs-compute.yaml",
        'value: {Code: "0", Message: SUCCESS}',
        "value: {Code: 0, Message: SUCCESS}",
    )
    found = reasons(lint_spec(path))
    start = "/paths/~1vcs~1console~1task~1startComputeTask/post/responses"
    example = f"{start}/200/content/application~1json/examples/documented/value"
    assert (example, "example 'documented' is invalid at /Code: 0 is not of type 'string'") in found
    # an integer 0 is not the envelope's success code "0": the answer counts as an error
    assert (start, "no success example") in found


def test_an_unresolvable_ref_is_named(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "vcs-compute.yaml",
        '$ref: "#/components/schemas/TaskIdsRequest"',
        '$ref: "#/components/schemas/Nope"',
    )
    found = reasons(lint_spec(path))
    pointer = "/paths/~1vcs~1console~1task~1getComputeTasks/post/requestBody/content/application~1json/schema"
    assert (
        pointer,
        "$ref '#/components/schemas/Nope' does not resolve: no 'Nope' in vcs-compute.yaml",
    ) in found


def test_a_remote_ref_is_refused_not_fetched(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "vcs-compute.yaml",
        '$ref: "#/components/schemas/TaskIdsRequest"',
        '$ref: "https://example.com/schema.yaml#/X"',
    )
    assert any("points off this machine" in f.reason for f in lint_spec(path))


def test_a_relative_file_ref_resolves(tmp_path: Path) -> None:
    (tmp_path / "shared.yaml").write_text(
        "TaskIds:\n  type: object\n  required: [taskIds]\n  properties:\n    taskIds: {type: array, items: {type: string}}\n"
    )
    path = plant(
        tmp_path,
        "vcs-compute.yaml",
        '$ref: "#/components/schemas/TaskIdsRequest"',
        '$ref: "shared.yaml#/TaskIds"',
    )
    assert lint_spec(path) == []


def test_a_rule_that_does_not_parse(tmp_path: Path) -> None:
    path = plant(
        tmp_path, "tencent-ivc.yaml", "rule: self.EndTime > self.StartTime", "rule: self.EndTime >"
    )
    pointers = {f.pointer for f in lint_spec(path)}
    assert "/components/schemas/CreateRetrieveTaskRequest/x-rules/0/rule" in pointers


def test_a_rule_that_does_not_hold_on_an_example(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "jdcloud-live.yaml",
        '{endTime: "2018-10-21T10:05:00Z", startTime: "2018-10-21T10:00:00Z"}',
        '{endTime: "2018-10-21T10:05:00Z", startTime: "2018-10-21T10:06:00Z"}',
    )
    [finding] = lint_spec(path)
    assert finding.pointer == "/components/schemas/RecordTime/x-rules/0"
    assert "example 'documented' at /recordTimes/0/endTime" in finding.reason


def test_an_operation_rule_checked_on_the_assembled_request(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "jdcloud-live.yaml",
        "                  streamName: yourstream\n",
        "                  streamName: otherstream\n",
    )
    [finding] = lint_spec(path)
    assert finding.pointer.endswith("/post/x-rules/2")
    assert "request example 'documented'" in finding.reason


def test_time_rules_use_the_example_clock(tmp_path: Path) -> None:
    path = plant(tmp_path, "tencent-live.yaml", "                x-now: 1589889000\n", "")
    [finding] = lint_spec(path)
    assert finding.pointer == "/components/schemas/CreateRecordTaskRequest/x-rules/1"


def test_missing_operation_id_and_error_example(tmp_path: Path) -> None:
    text = (SPECS / "tencent-ivc.yaml").read_text(encoding="utf-8")
    text = text.replace("    get:\n      operationId: listRetrieveTasks\n", "    get:\n", 1)
    text = text.replace(
        '        "500":\n          $ref: "#/components/responses/InternalError"\ncomponents:',
        "components:",
        1,
    )
    path = tmp_path / "ivc.yaml"
    path.write_text(text, encoding="utf-8")
    found = reasons(lint_spec(path))
    list_op = "/paths/~1ivc~1record~1retrievetasklsit~1query/get"
    assert (list_op, "the operation has no operationId") in found
    assert (f"{list_op}/responses", "no error example") in found


def test_a_keyword_openapi_30_does_not_allow(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "tencent-ivc.yaml",
        "      minLength: 1\n      maxLength: 32\n",
        "      minLength: 1\n      maxLength: 32\n      const: x\n",
    )
    assert (
        "/components/schemas/TaskName/const",
        "'const' is not a keyword of an OpenAPI 3.0 Schema Object",
    ) in reasons(lint_spec(path))


def test_state_rules_name_real_fields_and_examples(tmp_path: Path) -> None:
    path = plant(tmp_path, "tencent-ivc.yaml", "unique: [TaskName]", "unique: [TaskTitle]")
    found = reasons(lint_spec(path))
    assert (
        "/paths/~1ivc~1record~1retrievetask~1add/post/x-state/unique",
        "'TaskTitle' is not a field of the request body",
    ) in found
    path = plant(
        tmp_path,
        "vcs-compute.yaml",
        'notFound: {status: "404", example: TaskNotFound}',
        'notFound: {status: "404", example: Nope}',
    )
    assert any(f.reason == "no example 'Nope' in the 404 answer" for f in lint_spec(path))


def test_a_link_to_an_unknown_operation(tmp_path: Path) -> None:
    path = plant(
        tmp_path,
        "tencent-ivc.yaml",
        "operationId: listRetrieveTasks\n              description",
        "operationId: listTasks\n              description",
    )
    assert any("link to unknown operationId 'listTasks'" in f.reason for f in lint_spec(path))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.0.3\nopenapi: 3.0.3\n", "duplicate key 'openapi'"),
        ("openapi: [3.0.3\n", "not valid YAML at line"),
        ("- a list\n", "the document must be a mapping"),
        ("x: !!python/object/apply:os.system ['true']\n", "not valid YAML"),
    ],
)
def test_an_unreadable_spec_is_one_finding(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    [finding] = lint_spec(path)
    assert message in finding.reason
    assert finding.file == str(path)


def test_operation_ids_are_unique_across_specs(tmp_path: Path) -> None:
    shutil.copy(SPECS / "tencent-ivc.yaml", tmp_path / "a.yaml")
    shutil.copy(SPECS / "tencent-ivc.yaml", tmp_path / "b.yaml")
    findings = lint_paths([tmp_path / "a.yaml", tmp_path / "b.yaml"])
    assert {f.file for f in findings} == {str(tmp_path / "b.yaml")}
    assert len(findings) == 2


def test_cli_exit_codes_and_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--specs-dir", str(SPECS)]) == 0
    bad = plant(
        tmp_path, "tencent-ivc.yaml", "                  Mode: 1\n", "                  Mode: 2\n"
    )
    assert main(["lint", str(bad)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [
        f"{bad}: /paths/~1ivc~1record~1retrievetask~1add/post/requestBody/content/"
        "application~1json/examples/documented/value: example 'documented' is invalid at "
        "/Mode: 2 is not one of [1]"
    ]
    assert main(["lint", str(tmp_path / "missing.yaml")]) == 2
    assert main(["lint", "--specs-dir", str(tmp_path / "empty")]) == 2


def test_python_dash_m_generator_lint_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "lint"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 spec(s) clean" in result.stderr
