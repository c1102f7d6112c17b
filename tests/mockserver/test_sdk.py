"""The official Tencent Cloud SDK, pointed at the mock, gets parsed answers and error codes."""

from __future__ import annotations

import time

import pytest

from tests.mockserver._server import serving

live = pytest.importorskip("tencentcloud.live.v20180801.live_client")
models = pytest.importorskip("tencentcloud.live.v20180801.models")
credential = pytest.importorskip("tencentcloud.common.credential")
profiles = pytest.importorskip("tencentcloud.common.profile.client_profile")
http_profiles = pytest.importorskip("tencentcloud.common.profile.http_profile")
sdk_errors = pytest.importorskip("tencentcloud.common.exception.tencent_cloud_sdk_exception")


def sdk_client(port: int):
    http = http_profiles.HttpProfile(endpoint=f"127.0.0.1:{port}", protocol="http", reqTimeout=10)
    profile = profiles.ClientProfile(httpProfile=http)
    cred = credential.Credential("AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE", "secret")
    return live.LiveClient(cred, "ap-guangzhou", profile)


def request(**fields):
    now = int(time.time())
    values = {
        "StreamName": "livetest",
        "DomainName": "5000.live.push.com",
        "AppName": "live",
        "StartTime": now + 60,
        "EndTime": now + 3600,
    }
    values.update(fields)
    req = models.CreateRecordTaskRequest()
    for name, value in values.items():
        if value is not None:
            setattr(req, name, value)
    return req


def test_create_record_task_through_the_sdk(make_client) -> None:
    app = make_client().app
    with serving(app) as port:
        client = sdk_client(port)
        answer = client.CreateRecordTask(request())
        assert isinstance(answer.TaskId, str)
        assert len(answer.TaskId) == 32
        assert answer.RequestId
        with pytest.raises(sdk_errors.TencentCloudSDKException) as missing:
            client.CreateRecordTask(request(EndTime=None))
        assert missing.value.get_code() == "MissingParameter"
        assert "EndTime" in missing.value.get_message()
        with pytest.raises(sdk_errors.TencentCloudSDKException) as invalid:
            client.CreateRecordTask(request(StreamType=5))
        assert invalid.value.get_code() == "InvalidParameterValue"
