"""Every documented example is accepted by openapi-core, the independent reference."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from openapi_core.testing import MockResponse

from generator.model import MISSING

from ._support import documented_request, reference_api, reference_errors, spec, spec_names


def _operations() -> list[object]:
    return [
        pytest.param(name, op.operation_id, id=f"{name}:{op.operation_id}")
        for name in spec_names()
        for op in spec(name).operations
    ]


def _responses() -> list[object]:
    cases = []
    for name in spec_names():
        for op in spec(name).operations:
            for response in op.responses:
                for media in response.content:
                    for example in media.examples:
                        ident = f"{name}:{op.operation_id}:{response.status}:{example.name}"
                        cases.append(
                            pytest.param(
                                name, op.operation_id, response.status, media.media_type,
                                example.value, id=ident,
                            )
                        )  # fmt: skip
    return cases


@pytest.mark.parametrize(("spec_name", "operation_id"), _operations())
def test_documented_request_is_accepted(spec_name: str, operation_id: str) -> None:
    request = documented_request(spec_name, operation_id)
    assert reference_errors(spec_name, request) == set()


@pytest.mark.parametrize(
    ("spec_name", "operation_id", "status", "media_type", "value"), _responses()
)
def test_documented_answer_is_accepted(
    spec_name: str, operation_id: str, status: str, media_type: str, value: object
) -> None:
    request = documented_request(spec_name, operation_id).mock_request()
    response = MockResponse(json.dumps(value).encode(), int(status), content_type=media_type)
    result = reference_api(spec_name).unmarshal_response(request, response)
    assert result.errors == []


@pytest.mark.parametrize(
    ("spec_name", "operation_id", "status", "value"),
    [
        ("tencent-ivc", "createRetrieveTask", 200, {"RequestId": "", "Code": 500, "StatusCode": 200, "Message": "ok", "Data": {}}),
        ("tencent-ivc", "createRetrieveTask", 400, {"RequestId": "", "Code": 500, "StatusCode": 200, "Message": "x"}),
        ("jdcloud-live", "addLiveRecordTask", 400, {"requestId": "r", "error": {"code": 500, "status": "INTERNAL", "message": "m"}}),
        ("tencent-live", "createRecordTask", 200, {"Response": {"RequestId": "r", "Error": {"Code": "NotACode", "Message": "m"}}}),
        ("tencent-live", "createRecordTask", 200, {"Response": {"RequestId": "r"}}),
        ("vcs-compute", "startComputeTask", 200, {"Code": "1", "Message": "SUCCESS"}),
        ("vcs-compute", "startComputeTask", 404, {"Code": "0", "Message": "x"}),
        ("vcs-compute", "getComputeTasks", 200, {"Code": "0", "Message": "SUCCESS", "Data": [{"taskId": "t"}]}),
    ],
)  # fmt: skip
def test_answers_outside_the_envelope_are_rejected(
    spec_name: str, operation_id: str, status: int, value: object
) -> None:
    request = documented_request(spec_name, operation_id).mock_request()
    response = MockResponse(json.dumps(value).encode(), status, content_type="application/json")
    result = reference_api(spec_name).unmarshal_response(request, response)
    assert result.errors != []


def _answer(spec_name: str, operation_id: str, status: str, example: str = "documented") -> Any:
    for response in spec(spec_name).operation(operation_id).responses:
        if response.status == status:
            for media in response.content:
                for candidate in media.examples:
                    if candidate.name == example:
                        return copy.deepcopy(candidate.value)
    raise KeyError((spec_name, operation_id, status, example))


def _mutate(value: Any, pointer: str, new: Any) -> Any:
    *parents, last = pointer.split("/")[1:]
    holder = value
    for token in parents:
        holder = holder[int(token)] if isinstance(holder, list) else holder[token]
    if new is MISSING:
        del holder[last]
    elif isinstance(holder, list):
        holder[int(last)] = new
    else:
        holder[last] = new
    return value


# Constraints the documents state on answers: one violating variant each, on a documented answer.
ANSWER_CONSTRAINTS = [
    ("tencent-ivc", "createRetrieveTask", "200", "/Code", 500),  # 0 成功
    ("tencent-ivc", "createRetrieveTask", "200", "/StatusCode", 400),  # 200 OK
    ("tencent-ivc", "createRetrieveTask", "200", "/RequestId", MISSING),
    ("tencent-ivc", "createRetrieveTask", "200", "/Message", 1),
    ("tencent-ivc", "createRetrieveTask", "200", "/Data", MISSING),
    ("tencent-ivc", "createRetrieveTask", "200", "/Data/TaskId", MISSING),
    ("tencent-ivc", "createRetrieveTask", "200", "/Data/Status", 3),  # 0/1/2
    ("tencent-ivc", "createRetrieveTask", "200", "/Data/Mode", 2),  # 1 only
    ("tencent-ivc", "createRetrieveTask", "200", "/Data/Capacity", "64"),  # float
    ("tencent-ivc", "createRetrieveTask", "200", "/Data/StartTime", "1658973728"),
    ("tencent-ivc", "createRetrieveTask", "400", "/Code", 0),  # 500 操作失败
    ("tencent-ivc", "createRetrieveTask", "400", "/StatusCode", 200),  # not 200 on failure
    ("tencent-ivc", "listRetrieveTasks", "200", "/Data", {}),  # a list of tasks
    ("tencent-ivc", "listRetrieveTasks", "200", "/Data/0/Status", -1),
    ("tencent-ivc", "listRetrieveTasks", "200", "/Data/1/Expiration", 366),
    ("jdcloud-live", "addLiveRecordTask", "200", "/requestId", MISSING),
    ("jdcloud-live", "addLiveRecordTask", "200", "/requestId", 5),
    ("jdcloud-live", "addLiveRecordTask", "400", "/error/code", 404),
    ("jdcloud-live", "addLiveRecordTask", "401", "/error/status", "INVALID_ARGUMENT"),
    ("jdcloud-live", "addLiveRecordTask", "500", "/error/message", MISSING),
    ("jdcloud-live", "addLiveRecordTask", "503", "/requestId", MISSING),
    ("tencent-live", "createRecordTask", "200", "/Response/TaskId", MISSING),
    ("tencent-live", "createRecordTask", "200", "/Response/RequestId", MISSING),
    ("tencent-live", "createRecordTaskByQuery", "200", "/Response/TaskId", 7),
    ("vcs-compute", "createComputeTask", "200", "/Code", "1"),
    ("vcs-compute", "createComputeTask", "200", "/Data/taskId", MISSING),
    ("vcs-compute", "modifyComputeTask", "200", "/Message", MISSING),
    ("vcs-compute", "startComputeTask", "200", "/Code", 0),
    ("vcs-compute", "stopComputeTask", "404", "/Code", "0"),
    ("vcs-compute", "getComputeTasks", "200", "/Data/0/taskStatus", MISSING),
    ("vcs-compute", "getComputeTasks", "200", "/Data/0/taskId", MISSING),
]


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
    request = documented_request(spec_name, operation_id).mock_request()

    def verdict(body: Any) -> list[Any]:
        response = MockResponse(
            json.dumps(body).encode(), int(status), content_type="application/json"
        )
        return list(reference_api(spec_name).unmarshal_response(request, response).errors)

    assert verdict(answer) == []
    assert verdict(_mutate(answer, pointer, value)) != []


def _first_example(spec_name: str, operation_id: str, status: str) -> str:
    for response in spec(spec_name).operation(operation_id).responses:
        if response.status == status:
            return response.content[0].examples[0].name
    raise KeyError(status)
