"""Every documented example is accepted by openapi-core, the independent reference."""

from __future__ import annotations

import json

import pytest
from openapi_core.testing import MockResponse

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
