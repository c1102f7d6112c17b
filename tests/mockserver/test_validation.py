"""Validation: every violation reported, in each vendor's envelope; bad input is never a 5xx."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.mockserver._support import (
    JD_PATH,
    NOW,
    ivc_task,
    jd_body,
    tencent_body,
    tencent_headers,
    vcs_task,
)

IVC_ADD = "/ivc/record/retrievetask/add"
VCS_CREATE = "/vcs/console/task/createComputeTask"


def tencent_error(answer) -> tuple[str, str]:
    assert answer.status_code == 200, answer.text
    error = answer.json()["Response"]["Error"]
    return error["Code"], error["Message"]


def test_ivc_invalid_lists_every_violation_with_pointers(client) -> None:
    body = ivc_task()
    body.update(Expiration=400, Mode=2)
    del body["TaskName"]
    answer = client.post(IVC_ADD, json=body)
    assert answer.status_code == 400
    envelope = answer.json()
    assert envelope["Code"] == 500
    assert envelope["StatusCode"] == 400
    message = envelope["Message"]
    for fragment in ("/body: 'TaskName' is a required property", "/body/Expiration", "/body/Mode"):
        assert fragment in message


def test_ivc_time_rules_are_checked(client) -> None:
    body = ivc_task()
    body["EndTime"] = body["StartTime"] - 1
    answer = client.post(IVC_ADD, json=body)
    assert answer.status_code == 400
    assert "EndTime must be later than StartTime" in answer.json()["Message"]


@pytest.mark.parametrize(
    ("change", "code", "fragment"),
    [
        ({"drop": "EndTime"}, "MissingParameter", "'EndTime' is a required property"),
        ({"set": {"Foo": 1}}, "UnknownParameter", "Foo"),
        ({"set": {"EndTime": "soon"}}, "InvalidParameter", "/body/EndTime"),
        ({"set": {"StreamType": 7}}, "InvalidParameterValue", "/body/StreamType"),
        (
            {"set": {"EndTime": NOW - 10, "StartTime": NOW - 100}},
            "InvalidParameterValue",
            "later than the current time",
        ),
        ({"set": {"AppName": None}}, "InvalidParameter", "/body/AppName"),
    ],
)
def test_tencent_error_codes(client, change, code, fragment) -> None:
    body = tencent_body(**change.get("set", {}))
    body.pop(change.get("drop", ""), None)
    answer = client.post("/", json=body, headers=tencent_headers())
    assert tencent_error(answer) == (code, answer.json()["Response"]["Error"]["Message"])
    assert fragment in answer.json()["Response"]["Error"]["Message"]


def test_tencent_missing_header_is_missing_parameter(client) -> None:
    headers = tencent_headers()
    del headers["X-TC-Action"]
    code, message = tencent_error(client.post("/", json=tencent_body(), headers=headers))
    assert code == "MissingParameter"
    assert "X-TC-Action" in message


def test_tencent_get_form_rules_over_query(client) -> None:
    params = {k: str(v) for k, v in tencent_body(EndTime=NOW + 8 * 86400).items()}
    params.update(
        Action="CreateRecordTask",
        Version="2018-08-01",
        Timestamp=str(NOW),
        Nonce="1",
        SecretId="id",
        Signature="sig",
    )
    code, message = tencent_error(client.get("/", params=params))
    assert code == "InvalidParameterValue"
    assert "/query/EndTime" in message


def test_jd_error_envelope(client) -> None:
    answer = client.post(JD_PATH, json=jd_body(recordFileType="avi"))
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == 400
    assert error["status"] == "INVALID_ARGUMENT"
    assert "/body/recordFileType" in error["message"]
    assert "requestId" in answer.json()


def test_jd_tolerates_null_optional_and_repeated_path_parameters(client) -> None:
    body = jd_body(
        saveObject=None,
        publishDomain="push.yourdomain.com",
        appName="yourapp",
        streamName="yourstream",
        newerField={"x": 1},
    )
    answer = client.post(JD_PATH, json=body)
    assert answer.status_code == 200, answer.text
    assert "requestId" in answer.json()


def test_jd_repeated_path_parameter_must_equal_the_path(client) -> None:
    answer = client.post(JD_PATH, json=jd_body(appName="other"))
    assert answer.status_code == 400
    assert "appName in the body must equal" in answer.json()["error"]["message"]


def test_vcs_error_envelope(client) -> None:
    body = vcs_task()
    body["execType"] = "daily"
    answer = client.post(VCS_CREATE, json=body)
    assert answer.status_code == 400
    assert answer.json()["Code"] == "400"
    assert "/body/execType" in answer.json()["Message"]


def test_vcs_tolerates_null_optional_fields(client) -> None:
    answer = client.post(VCS_CREATE, json={**vcs_task(), "description": None, "extra": 1})
    assert answer.status_code == 200, answer.text


def test_problem_json_where_the_operation_documents_no_error(make_client, spec_copy) -> None:
    path = spec_copy("tencent-ivc")
    text = path.read_text(encoding="utf-8")
    start = text.index("x-validation-errors:")
    end = text.index("x-echo:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    client = make_client(specs=(path,))
    answer = client.post(IVC_ADD, json={"TaskName": 1})
    assert answer.status_code == 400
    assert answer.headers["content-type"] == "application/problem+json"
    problem = answer.json()
    pointers = {v["pointer"] for v in problem["violations"]}
    assert {"/body", "/body/TaskName"} <= pointers
    assert all(v["keyword"] and v["message"] for v in problem["violations"])


# -- bad input: a 4xx in the vendor's envelope, never a 5xx ----------------------------------

BAD_BODIES = {
    "malformed JSON": (b'{"TaskName": ', {"content-type": "application/json"}),
    "invalid UTF-8": (b'{"TaskName": "\xff\xfe"}', {"content-type": "application/json"}),
    "wrong content type": (b"TaskName=x", {"content-type": "application/x-www-form-urlencoded"}),
    "missing content type": (b'{"TaskName": "x"}', {}),
    "too deep": (b"[" * 5000 + b"]" * 5000, {"content-type": "application/json"}),
    "NaN": (b'{"TaskName": NaN}', {"content-type": "application/json"}),
    "oversized": (
        b'{"a": "' + b"x" * (1024 * 1024 + 10) + b'"}',
        {"content-type": "application/json"},
    ),
}

ENDPOINTS = {
    "tencent-ivc": (IVC_ADD, {}),
    "jdcloud-live": (JD_PATH, {}),
    "tencent-live": ("/", tencent_headers()),
    "vcs-compute": (VCS_CREATE, {}),
}


def vendor_error(spec: str, answer) -> str:
    body = answer.json()
    if spec == "tencent-ivc":
        assert answer.status_code == 400
        assert body["StatusCode"] == 400
        return body["Message"]
    if spec == "jdcloud-live":
        assert answer.status_code == 400
        assert body["error"]["status"] == "INVALID_ARGUMENT"
        return body["error"]["message"]
    if spec == "tencent-live":
        assert answer.status_code == 200
        return body["Response"]["Error"]["Code"] + ": " + body["Response"]["Error"]["Message"]
    assert answer.status_code == 400
    assert body["Code"] == "400"
    return body["Message"]


@pytest.mark.parametrize("spec", sorted(ENDPOINTS))
@pytest.mark.parametrize("case", sorted(BAD_BODIES))
def test_bad_input_is_the_vendors_4xx(client, spec, case) -> None:
    raw, headers = BAD_BODIES[case]
    path, extra = ENDPOINTS[spec]
    answer = client.post(path, content=raw, headers={**extra, **headers})
    message = vendor_error(spec, answer)
    assert message
    assert "Traceback" not in answer.text


def test_tencent_codes_of_bad_input(client) -> None:
    def code(case: str) -> str:
        raw, headers = BAD_BODIES[case]
        answer = client.post("/", content=raw, headers={**tencent_headers(), **headers})
        return tencent_error(answer)[0]

    assert code("oversized") == "RequestSizeLimitExceeded"
    assert code("malformed JSON") == "InvalidRequest"
    assert code("wrong content type") == "InvalidRequest"


def test_body_limit_is_configurable(make_client) -> None:
    client = make_client(max_body=100)
    answer = client.post(IVC_ADD, json=ivc_task(channels=4))
    assert answer.status_code == 400
    assert "100" in answer.json()["Message"]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    path=st.sampled_from([IVC_ADD, JD_PATH, "/", VCS_CREATE, "/vcs/console/task/getComputeTasks"]),
    raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode),
    content_type=st.sampled_from(
        ["application/json", "text/plain", "", "application/json; charset=utf-8"]
    ),
    prefer=st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
)
def test_no_input_gives_a_5xx(client, path, raw, content_type, prefer) -> None:
    headers = {"prefer": prefer}
    if content_type:
        headers["content-type"] = content_type
    answer = client.post(path, content=raw, headers=headers)
    assert answer.status_code < 500, answer.text
