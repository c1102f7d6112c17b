"""The suite's own parts, without a target: how requests are read and judged, rules on answers."""

from __future__ import annotations

import time
from pathlib import Path

import requests

from generator.parse import load_spec
from tests.contract._contract import Contract, contract
from tests.contract._judge import judge
from tests.contract._rules import response_rule_failures
from tests.contract._wire import sent_request

TENCENT_HEADERS = {
    "X-TC-Action": "CreateRecordTask",
    "X-TC-Version": "2018-08-01",
    "X-TC-Timestamp": "1",
    "Authorization": "TC3-HMAC-SHA256 Credential=AKID/2020-05-19/live/tc3_request, "
    "SignedHeaders=content-type;host, Signature=" + "a" * 64,
}


def _prepared(method: str, url: str, **kwargs: object) -> requests.PreparedRequest:
    return requests.Request(method, url, **kwargs).prepare()  # type: ignore[arg-type]


def test_path_parameters_are_read_percent_decoded() -> None:
    operation = contract("jdcloud-live").operation("addLiveRecordTask")
    sent = sent_request(
        operation,
        _prepared(
            "POST", "http://h/v1/records/a%20b/appNames/%F0%A6%96%9D/streamNames/s/task", json={}
        ),
    )
    assert sent.request is not None
    assert sent.request.path == {"publishDomain": "a b", "appName": "𦖝", "streamName": "s"}


def test_a_body_no_server_can_read_makes_the_request_invalid() -> None:
    found = contract("vcs-compute")
    operation = found.operation("startComputeTask")
    url = "http://h/vcs/console/task/startComputeTask"
    for prepared in (
        _prepared("POST", url, data=b'{"taskId": "a"}', headers={"Content-Type": "text/plain"}),
        _prepared(
            "POST", url, data=b'{"taskId": NaN}', headers={"Content-Type": "application/json"}
        ),
        _prepared("POST", url, data=b"\xff", headers={"Content-Type": "application/json"}),
    ):
        assert judge(found, operation, prepared, clock=(0, 0)).invalid


def test_a_request_at_a_time_rule_boundary_is_undecided() -> None:
    found = contract("tencent-live")
    operation = found.operation("createRecordTask")
    now = int(time.time())
    body = {"StreamName": "s", "DomainName": "d", "AppName": "a", "EndTime": now + 86_400}
    prepared = _prepared("POST", "http://h/", json=body, headers=TENCENT_HEADERS)
    # valid once EndTime - now <= 24 h, i.e. from the second ``now`` on
    assert judge(found, operation, prepared, clock=(now - 5, now - 2)).invalid
    assert judge(found, operation, prepared, clock=(now - 1, now + 1)).valid is None
    assert judge(found, operation, prepared, clock=(now + 2, now + 5)).valid is True


def test_response_rules_are_judged_by_the_reference_evaluator(tmp_path: Path) -> None:
    spec = tmp_path / "ruled.yaml"
    spec.write_text(
        """
openapi: 3.0.3
info: {title: ruled, version: "1"}
paths:
  /p:
    get:
      operationId: getP
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                x-rules:
                  - {rule: self.a < self.b, message: a before b, path: /a}
""",
        encoding="utf-8",
    )
    ruled = Contract(load_spec(spec), {}, "none")
    operation = ruled.operation("getP")
    media = "application/json"
    assert response_rule_failures(ruled, operation, 200, media, {"a": 1, "b": 2}, now=0) == []
    assert response_rule_failures(ruled, operation, 200, media, {"a": 2, "b": 1}, now=0) == [
        "/a: a before b"
    ]
