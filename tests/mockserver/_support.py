"""Helpers of the mock server tests: an in-process client and valid request bodies.

HTTP runs in process through ``httpx.ASGITransport`` (no sockets); each call runs on its own
event loop, so tests stay plain functions.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx

from mockserver import MockApp

NOW = int(time.time())


class Client:
    """A synchronous face over ``httpx.AsyncClient(transport=ASGITransport(app))``."""

    def __init__(self, app: MockApp) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def call() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mock") as client:
                return await client.request(method, url, **kwargs)

        return asyncio.run(call())

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)


def ivc_task(name: str = "task_01", channels: int = 1) -> dict[str, Any]:
    """A valid createRetrieveTask body."""
    return {
        "TaskName": name,
        "StartTime": 1662048000,
        "EndTime": 1662048100,
        "Mode": 1,
        "Expiration": 10,
        "Channels": [
            {"DeviceId": f"3402000000132000{i:04d}", "ChannelId": f"3402000000131000{i:04d}"}
            for i in range(channels)
        ],
    }


def vcs_task(name: str = "task1") -> dict[str, Any]:
    """A valid createComputeTask body."""
    return {
        "name": name,
        "execType": "historyVideoFile",
        "execStartTime": 1564675200000,
        "datasources": {"devices": [{"deviceId": "d", "videoId": "v", "videoTimeLength": 600}]},
        "algorithms": [{"models": ["face"]}],
    }


def tencent_headers() -> dict[str, str]:
    """The X-TC-* headers and a well-formed TC3 Authorization, as the SDK sends them."""
    return {
        "X-TC-Action": "CreateRecordTask",
        "X-TC-Version": "2018-08-01",
        "X-TC-Region": "ap-guangzhou",
        "X-TC-Timestamp": str(NOW),
        "Authorization": "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2020-05-19/live/tc3_request, "
        "SignedHeaders=content-type;host, Signature=" + "a" * 64,
    }


def tencent_body(**changes: Any) -> dict[str, Any]:
    body = {"AppName": "live", "DomainName": "5000.live.push.com", "StreamName": "livetest",
            "StartTime": NOW + 60, "EndTime": NOW + 3600}  # fmt: skip
    body.update(changes)
    return body


JD_PATH = "/v1/records/push.yourdomain.com/appNames/yourapp/streamNames/yourstream/task"


def jd_body(**changes: Any) -> dict[str, Any]:
    body = {
        "recordTimes": [{"startTime": "2018-10-21T10:00:00Z", "endTime": "2018-10-21T10:05:00Z"}],
        "saveBucket": "bucket",
        "saveEndpoint": "oss.example.com",
        "recordFileType": "mp4",
    }
    body.update(changes)
    return body
