"""Hand-written request checks of the planted implementation (no validators/, no mockserver/).

Small combinators - `integer`, `string`, `array`, `obj`, `nullable` - each returning a function
``(value, where) -> [problems]``, read off the specs by hand; then one schema per operation
and its cross-field rules, written as plain Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any, str], list[str]]

INT64 = (-(2**63), 2**63 - 1)


def integer(
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    int64: bool = False,
    enum: tuple[int, ...] = (),
) -> Check:
    def check(value: Any, where: str) -> list[str]:
        if type(value) is not int:
            return [f"{where}: not an integer"]
        if int64 and not INT64[0] <= value <= INT64[1]:
            return [f"{where}: not an int64"]
        if minimum is not None and value < minimum:
            return [f"{where}: below {minimum}"]
        if maximum is not None and value > maximum:
            return [f"{where}: above {maximum}"]
        if enum and value not in enum:
            return [f"{where}: not one of {enum}"]
        return []

    return check


def number() -> Check:
    def check(value: Any, where: str) -> list[str]:
        return [] if type(value) in (int, float) else [f"{where}: not a number"]

    return check


def string(
    *,
    min_length: int = 0,
    max_length: int | None = None,
    pattern: str | None = None,
    enum: tuple[str, ...] = (),
    date_time: bool = False,
) -> Check:
    compiled = re.compile(pattern) if pattern else None

    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, str):
            return [f"{where}: not a string"]
        if len(value) < min_length or (max_length is not None and len(value) > max_length):
            return [f"{where}: length {len(value)} out of range"]
        if compiled is not None and not compiled.fullmatch(value):
            return [f"{where}: does not match {pattern}"]
        if enum and value not in enum:
            return [f"{where}: not one of {enum}"]
        if date_time and utc(value) is None:
            return [f"{where}: not a date-time"]
        return []

    return check


def utc(text: str) -> dt.datetime | None:
    """``yyyy-MM-ddTHH:mm:ssZ`` as a real instant, else ``None``."""
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z", text):
        return None
    try:
        return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    except ValueError:
        return None


def array(
    items: Check, *, min_items: int = 0, max_items: int | None = None, unique: bool = False
) -> Check:
    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, list):
            return [f"{where}: not an array"]
        if len(value) < min_items or (max_items is not None and len(value) > max_items):
            return [f"{where}: {len(value)} items out of range"]
        if unique and len({repr(item) for item in value}) != len(value):
            return [f"{where}: items are not unique"]
        return [
            problem
            for index, item in enumerate(value)
            for problem in items(item, f"{where}/{index}")
        ]

    return check


def obj(fields: Mapping[str, tuple[bool, Check]], *, closed: bool = False) -> Check:
    """An object: ``{name: (required, check)}``; ``closed``: no other field."""

    def check(value: Any, where: str) -> list[str]:
        if not isinstance(value, dict):
            return [f"{where}: not an object"]
        problems = [
            f"{where}/{name}: missing"
            for name, (required, _) in fields.items()
            if required and name not in value
        ]
        if closed:
            problems += [f"{where}/{name}: unknown field" for name in value if name not in fields]
        for name, (_, field_check) in fields.items():
            if name in value:
                problems += field_check(value[name], f"{where}/{name}")
        return problems

    return check


def nullable(inner: Check) -> Check:
    def check(value: Any, where: str) -> list[str]:
        return [] if value is None else inner(value, where)

    return check


def anything() -> Check:
    return lambda value, where: []


def decimal(text: str) -> Any:
    """A parameter's text as an integer when it reads as one (else the text itself)."""
    return int(text) if re.fullmatch(r"-?(0|[1-9][0-9]*)", text) else text


# -- the operations -------------------------------------------------------------------------

UNIX = integer(minimum=0, int64=True)
TASK_NAME = string(min_length=1, max_length=32, pattern=r"[\u4e00-\u9fffA-Za-z0-9_-]+")

IVC_CREATE = obj(
    {
        "TaskName": (True, TASK_NAME),
        "StartTime": (True, UNIX),
        "EndTime": (True, UNIX),
        "Mode": (True, integer(enum=(1,))),
        "Expiration": (True, integer(minimum=1, maximum=365)),
        "Channels": (
            True,
            array(
                obj({"DeviceId": (True, string()), "ChannelId": (True, string())}),
                min_items=1,
                max_items=32,
            ),
        ),
    }
)


def ivc_rules(body: dict[str, Any]) -> list[str]:
    start, end = body["StartTime"], body["EndTime"]
    problems = []
    if end <= start:
        problems.append("/EndTime: not later than StartTime")
    if end - start > 86_400:
        problems.append("/EndTime: more than a day after StartTime")
    if (start + 28_800) // 86_400 != (end + 28_800) // 86_400:
        problems.append("/EndTime: not on StartTime's China Standard Time day")
    return problems


TENCENT_FIELDS = {
    "StreamName": (True, string()),
    "DomainName": (True, string()),
    "AppName": (True, string()),
    "EndTime": (True, UNIX),
    "StartTime": (False, UNIX),
    "StreamType": (False, integer(enum=(0, 1))),
    "TemplateId": (False, integer()),
    "Extension": (False, string()),
}
TENCENT_BODY = obj(TENCENT_FIELDS, closed=True)
TENCENT_HEADERS = obj(
    {
        "x-tc-action": (True, string(enum=("CreateRecordTask",))),
        "x-tc-version": (True, string(enum=("2018-08-01",))),
        "x-tc-region": (False, string(enum=("ap-guangzhou",))),
        "x-tc-timestamp": (True, UNIX),
        "authorization": (
            True,
            string(
                pattern=r"TC3-HMAC-SHA256 Credential=[^/ ,]+/[0-9]{4}-[0-9]{2}-"
                r"[0-9]{2}/[a-z]+/tc3_request, SignedHeaders=[a-z0-9;-]+, "
                r"Signature=[0-9a-f]{64}"
            ),
        ),
        "x-tc-token": (False, string()),
        "x-tc-language": (False, string(enum=("zh-CN", "en-US"))),
    }
)
TENCENT_QUERY = obj(
    {
        "Action": (True, string(enum=("CreateRecordTask",))),
        "Version": (True, string(enum=("2018-08-01",))),
        "Region": (False, string(enum=("ap-guangzhou",))),
        "Timestamp": (True, UNIX),
        "Nonce": (True, integer(minimum=1, int64=True)),
        "SecretId": (True, string(min_length=1)),
        "Signature": (True, string(min_length=1)),
        "SignatureMethod": (False, string(enum=("HmacSHA1", "HmacSHA256"))),
        "Token": (False, string()),
        "Language": (False, string(enum=("zh-CN", "en-US"))),
        **TENCENT_FIELDS,
    }
)
TENCENT_INTEGERS = {
    "Timestamp",
    "Nonce",
    "EndTime",
    "StartTime",
    "StreamType",
    "TemplateId",
    "x-tc-timestamp",
}


def tencent_rules(values: dict[str, Any], now: int, *, week: bool = True) -> list[str]:
    end, start = values["EndTime"], values.get("StartTime")
    problems = []
    if start is not None and end <= start:
        problems.append("EndTime: not later than StartTime")
    if end <= now:
        problems.append("EndTime: not in the future")
    if week and end >= now + 7 * 86_400:
        problems.append("EndTime: not within 7 days")
    if start is not None and end - start > 86_400:
        problems.append("EndTime: more than 24 hours after StartTime")
    if start is None and end - now > 86_400:
        problems.append("EndTime: more than 24 hours from now")
    return problems


SEGMENT = obj(
    {"startTime": (True, string(date_time=True)), "endTime": (True, string(date_time=True))}
)
JD_BODY = obj(
    {
        "recordTimes": (True, array(SEGMENT, min_items=1, max_items=10)),
        "saveBucket": (True, string()),
        "saveEndpoint": (True, string()),
        "recordFileType": (
            True,
            string(
                pattern=r"([tT][sS]|[fF][lL][vV]|[mM][pP]4)"
                r"(;([tT][sS]|[fF][lL][vV]|[mM][pP]4))*"
            ),
        ),
        "saveObject": (False, nullable(string())),
        "publishDomain": (False, string()),
        "appName": (False, string()),
        "streamName": (False, string()),
    }
)


def jd_rules(body: dict[str, Any], path: dict[str, str]) -> list[str]:
    segments = [(utc(s["startTime"]), utc(s["endTime"])) for s in body["recordTimes"]]
    problems = [
        f"/recordTimes/{i}: ends before it starts"
        for i, (a, b) in enumerate(segments)
        if a is None or b is None or b <= a
    ]
    if not problems:
        span = (max(b for _, b in segments) - min(a for a, _ in segments)).total_seconds()  # type: ignore[operator]
        if span < 10:
            problems.append("/recordTimes: the segments span less than 10 s")
        if span > 8 * 3600:
            problems.append("/recordTimes: the segments span more than 8 h")
    problems += [
        f"/{name}: differs from the path"
        for name in ("publishDomain", "appName", "streamName")
        if name in body and body[name] != path[name]
    ]
    return problems


DEVICE = obj(
    {
        "deviceId": (True, string()),
        "videoId": (True, string()),
        "videoTimeLength": (True, integer(minimum=0)),
        "videoBeginTime": (False, nullable(integer(minimum=0, int64=True))),
    }
)
MODELS = ("face", "body", "motor", "no_motor")
COMPUTE_FIELDS: dict[str, tuple[bool, Check]] = {
    "name": (True, string(min_length=1)),
    "execType": (True, string(enum=("historyVideoFile",))),
    "execStartTime": (True, UNIX),
    "description": (False, nullable(string())),
    "datasources": (True, obj({"devices": (True, array(DEVICE, min_items=1))})),
    "algorithms": (
        True,
        array(
            obj({"models": (True, array(string(enum=MODELS), min_items=1, unique=True))}),
            min_items=1,
        ),
    ),
    "clientName": (False, nullable(string())),
}
VCS_CREATE = obj(COMPUTE_FIELDS)
VCS_MODIFY = obj({**COMPUTE_FIELDS, "taskId": (False, nullable(string()))})
VCS_TASK = obj({"taskId": (True, string(min_length=1))})
VCS_TASKS = obj({"taskIds": (True, array(string(min_length=1)))})
