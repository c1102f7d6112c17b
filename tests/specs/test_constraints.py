"""Every constraint the vendor documents state, written down once from the documents.

For each constraint the test derives variants of the documented request: values *at* a
documented bound must be accepted, values just *beyond* it rejected by openapi-core (the
independent reference) *for that keyword at that place*. A second test walks the specs and
fails when a spec declares a constraint this table does not name, so a constraint can neither be
dropped from a spec nor added to it without a test noticing.

Patterns are ECMA-262 (OpenAPI's dialect). Python's ``re``, which openapi-core uses, lets ``$``
match before a trailing newline; ECMA-262 does not. That difference is not the spec's: the
generated validators implement ECMA-262 and are tested for it with the generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from generator.model import MISSING

from ._support import (
    concrete,
    declared_constraints,
    documented_request,
    get_at,
    reference_errors,
    set_at,
)


@dataclass(frozen=True)
class C:
    """A documented constraint: at ``where`` (a pointer template) in ``location``."""

    location: str
    where: str
    keyword: str
    value: Any = None
    accept: tuple[Any, ...] = ()
    reject: tuple[Any, ...] = ()


def body(where: str, keyword: str, value: Any = None, **kw: Any) -> C:
    return C("body", where, keyword, value, **kw)


def query(name: str, keyword: str, value: Any = None, **kw: Any) -> C:
    return C("query", f"/{name}", keyword, value, **kw)


def header(name: str, keyword: str, value: Any = None, **kw: Any) -> C:
    return C("header", f"/{name}", keyword, value, **kw)


def path(name: str, keyword: str, value: Any = None, **kw: Any) -> C:
    return C("path", f"/{name}", keyword, value, **kw)


def required(location: str, *wheres: str) -> list[C]:
    return [C(location, where, "required") for where in wheres]


def timestamp(make: Any, name: str) -> list[C]:
    """A Unix timestamp: an integer (int64), never negative."""
    return [make(name, "type", "integer"), make(name, "format", "int64"), make(name, "minimum", 0)]


# ---------------------------------------------------------------------------------------------
# seed 000: IVC create retrieve task
IVC_CREATE = [
    body("", "type", "object"),
    *required("body", "/TaskName", "/StartTime", "/EndTime", "/Mode", "/Expiration", "/Channels"),
    body("/TaskName", "type", "string"),
    body("/TaskName", "minLength", 1),  # 不能为空
    body("/TaskName", "maxLength", 32),  # 长度不超过32个字符
    body(
        "/TaskName",
        "pattern",
        accept=("name", "任务_a-1", "录像取回", "Z9", "-", "_", "中" * 32),
        reject=("a b", "name!", "任务。", "ｎａｍｅ", "٣", "a.b", "名称/", "a\tb"),
    ),  # 仅支持中文、英文、数字、_、-
    *timestamp(body, "/StartTime"),
    *timestamp(body, "/EndTime"),
    body("/Mode", "type", "integer"),
    body("/Mode", "enum", [1]),  # 1:极速模式，其他暂不支持
    body("/Expiration", "type", "integer"),
    body("/Expiration", "minimum", 1),  # 最小为1天
    body("/Expiration", "maximum", 365),  # 最大为365天
    body("/Channels", "type", "array"),
    body("/Channels", "minItems", 1),
    body("/Channels", "maxItems", 32),  # 一个任务最多32个设备通道
    body("/Channels/*", "type", "object"),
    *required("body", "/Channels/*/DeviceId", "/Channels/*/ChannelId"),
    body("/Channels/*/DeviceId", "type", "string"),
    body("/Channels/*/ChannelId", "type", "string"),
]

# seed 002: JD Cloud addLiveRecordTask
UTC_TIME: dict[str, Any] = {
    "accept": ("2018-10-21T10:00:00Z", "2024-02-29T23:59:59Z", "2000-01-01T00:00:00Z"),
    "reject": (
        "2018-10-21T10:00:00+08:00",
        "2018-10-21 10:00:00",
        "2018-10-21T10:00:00.000Z",
        "2018-10-21T10:00:00z",
        "2018-13-01T00:00:00Z",
        "2018-10-21T24:00:00Z",
        "2018-10-21T10:00Z",
        "18-10-21T10:00:00Z",
    ),
}
JD_ADD = [
    body("", "type", "object"),
    *required("body", "/recordTimes", "/saveBucket", "/saveEndpoint", "/recordFileType"),
    body("/recordTimes", "type", "array"),
    body("/recordTimes", "minItems", 1),
    body("/recordTimes", "maxItems", 10),  # 最大支持10段
    body("/recordTimes/*", "type", "object"),
    *required("body", "/recordTimes/*/startTime", "/recordTimes/*/endTime"),
    *(
        c
        for name in ("startTime", "endTime")
        for c in (
            body(f"/recordTimes/*/{name}", "type", "string"),
            body(f"/recordTimes/*/{name}", "pattern", **UTC_TIME),  # yyyy-MM-dd'T'HH:mm:ss'Z'
            body(f"/recordTimes/*/{name}", "format", "date-time"),
        )
    ),
    body("/saveBucket", "type", "string"),
    body("/saveEndpoint", "type", "string"),
    body("/recordFileType", "type", "string"),
    body(
        "/recordFileType",
        "pattern",
        accept=("mp4", "ts", "flv", "mp4;flv", "TS;Flv;mP4", "ts;ts"),  # 不区分大小写
        reject=("", "mp4;", ";mp4", "avi", "mp4,flv", "mp4; flv", "mp44", "m4"),
    ),
    body("/saveObject", "type", "string"),
    body("/saveObject", "nullable", True),
    body("/publishDomain", "type", "string"),
    body("/appName", "type", "string"),
    body("/streamName", "type", "string"),
]

# seed 003: Tencent Cloud Live CreateRecordTask, JSON body and GET query forms
AUTHORIZATION: dict[str, Any] = {
    "accept": (
        "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2020-05-19/live/tc3_request, "
        "SignedHeaders=content-type;host, Signature=" + "0" * 64,
    ),
    "reject": (
        "Bearer abc",
        "TC3-HMAC-SHA256 Credential=AKIDEXAMPLE/2020-05-19/live/tc3_request, "
        "SignedHeaders=content-type;host, Signature=xyz",
        "",
    ),
}


def record_task_parameters(make: Any, location: str) -> list[C]:
    return [
        *required(location, "/StreamName", "/DomainName", "/AppName", "/EndTime"),
        *timestamp(make, "/EndTime"),
        *timestamp(make, "/StartTime"),
        make("/StreamType", "type", "integer"),
        make("/StreamType", "enum", [0, 1]),
        make("/TemplateId", "type", "integer"),
    ]


def body_string(name: str) -> C:
    return body(name, "type", "string")


LIVE_POST = [
    header("X-TC-Action", "enum", ["CreateRecordTask"]),
    header("X-TC-Version", "enum", ["2018-08-01"]),
    header("X-TC-Region", "enum", ["ap-guangzhou"]),
    header("X-TC-Language", "enum", ["zh-CN", "en-US"]),
    header("Authorization", "pattern", **AUTHORIZATION),
    *timestamp(header, "X-TC-Timestamp"),
    *required("header", "/X-TC-Action", "/X-TC-Version", "/X-TC-Timestamp", "/Authorization"),
    body("", "type", "object"),
    body("", "additionalProperties"),  # Tencent Cloud: UnknownParameter
    *record_task_parameters(body, "body"),
    *(body_string(name) for name in ("/StreamName", "/DomainName", "/AppName", "/Extension")),
]
LIVE_POST = [
    C(c.location, c.where if c.where.startswith("/") or c.where == "" else f"/{c.where}",
      c.keyword, c.value, c.accept, c.reject)
    for c in LIVE_POST
]  # fmt: skip

LIVE_GET = [
    query("Action", "enum", ["CreateRecordTask"]),
    query("Version", "enum", ["2018-08-01"]),
    query("Region", "enum", ["ap-guangzhou"]),
    query("SignatureMethod", "enum", ["HmacSHA1", "HmacSHA256"]),
    query("Language", "enum", ["zh-CN", "en-US"]),
    *timestamp(query, "Timestamp"),
    query("Nonce", "type", "integer"),
    query("Nonce", "format", "int64"),
    query("Nonce", "minimum", 1),
    query("SecretId", "minLength", 1),
    query("Signature", "minLength", 1),
    *required("query", "/Action", "/Version", "/Timestamp", "/Nonce", "/SecretId", "/Signature"),
    *(
        C("query", f"/{c.where.lstrip('/')}", c.keyword, c.value, c.accept, c.reject)
        for c in record_task_parameters(query, "query")
    ),
]

# seed 004: VCS compute tasks
COMPUTE_TASK = [
    body("", "type", "object"),
    *required("body", "/name", "/execType", "/execStartTime", "/datasources", "/algorithms"),
    body("/name", "type", "string"),
    body("/name", "minLength", 1),
    body("/execType", "type", "string"),
    body("/execType", "enum", ["historyVideoFile"]),  # 固定值
    *timestamp(body, "/execStartTime"),
    body("/description", "type", "string"),
    body("/description", "nullable", True),
    body("/datasources", "type", "object"),
    *required("body", "/datasources/devices"),
    body("/datasources/devices", "type", "array"),
    body("/datasources/devices", "minItems", 1),
    body("/datasources/devices/*", "type", "object"),
    *required(
        "body",
        "/datasources/devices/*/deviceId",
        "/datasources/devices/*/videoId",
        "/datasources/devices/*/videoTimeLength",
    ),
    body("/datasources/devices/*/deviceId", "type", "string"),
    body("/datasources/devices/*/videoId", "type", "string"),
    body("/datasources/devices/*/videoTimeLength", "type", "integer"),
    body("/datasources/devices/*/videoTimeLength", "minimum", 0),
    *timestamp(body, "/datasources/devices/*/videoBeginTime"),
    body("/datasources/devices/*/videoBeginTime", "nullable", True),
    body("/algorithms", "type", "array"),
    body("/algorithms", "minItems", 1),
    body("/algorithms/*", "type", "object"),
    *required("body", "/algorithms/*/models"),
    body("/algorithms/*/models", "type", "array"),
    body("/algorithms/*/models", "minItems", 1),
    body("/algorithms/*/models", "uniqueItems", True),
    body("/algorithms/*/models/*", "type", "string"),
    body("/algorithms/*/models/*", "enum", ["face", "body", "motor", "no_motor"]),
    body("/clientName", "type", "string"),
    body("/clientName", "nullable", True),
]
TASK_ID = [
    body("", "type", "object"),
    *required("body", "/taskId"),
    body("/taskId", "type", "string"),
    body("/taskId", "minLength", 1),
]

TABLE: dict[tuple[str, str], list[C]] = {
    ("tencent-ivc", "createRetrieveTask"): IVC_CREATE,
    ("tencent-ivc", "listRetrieveTasks"): [],
    ("jdcloud-live", "addLiveRecordTask"): JD_ADD,
    ("tencent-live", "createRecordTask"): LIVE_POST,
    ("tencent-live", "createRecordTaskByQuery"): LIVE_GET,
    ("vcs-compute", "createComputeTask"): COMPUTE_TASK,
    ("vcs-compute", "modifyComputeTask"): [
        *COMPUTE_TASK,
        body("/taskId", "type", "string"),
        body("/taskId", "nullable", True),
    ],
    ("vcs-compute", "startComputeTask"): TASK_ID,
    ("vcs-compute", "stopComputeTask"): TASK_ID,
    ("vcs-compute", "getComputeTasks"): [
        body("", "type", "object"),
        *required("body", "/taskIds"),
        body("/taskIds", "type", "array"),
        body("/taskIds/*", "type", "string"),
        body("/taskIds/*", "minLength", 1),
    ],
}

_OPTIONAL_SAMPLES = {"/X-TC-Region": "ap-guangzhou", "/X-TC-Language": "zh-CN"}


def _variants(c: C, base_value: Any) -> tuple[list[Any], list[Any]]:
    """The values to accept and to reject for one constraint, derived from the document."""
    on_wire = c.location != "body"
    if c.keyword == "type":
        if c.value == "string":
            return [], [] if on_wire else [12345, True, {"a": 1}]
        if c.value == "integer":
            return [], ["abc", "1.5"] if on_wire else ["12", 1.5, True, [1]]
        if c.value == "object":
            return [], [[], "x", 1]
        if c.value == "array":
            return [], [{}, "x", 1]
    if c.keyword == "enum":
        outside = max(c.value) + 1 if isinstance(c.value[0], int) else c.value[0] + "x"
        lower = c.value[0].lower() if isinstance(c.value[0], str) else None
        rejects = [outside] + ([lower] if lower and lower != c.value[0] else [])
        return list(c.value), rejects
    if c.keyword == "minimum":
        return [c.value, c.value + 1], [c.value - 1]
    if c.keyword == "maximum":
        return [c.value, c.value - 1], [c.value + 1]
    if c.keyword == "minLength":
        return ["a" * c.value], ["a" * (c.value - 1)]
    if c.keyword == "maxLength":
        return ["a" * c.value], ["a" * (c.value + 1)]
    if c.keyword == "pattern":
        return list(c.accept), list(c.reject)
    if c.keyword in ("minItems", "maxItems"):
        item = base_value[0]
        if c.keyword == "minItems":
            return [[item] * c.value], [[item] * (c.value - 1)]
        return [[item] * c.value], [[item] * (c.value + 1)]
    if c.keyword == "uniqueItems":
        return [], [[base_value[0], base_value[0]]]
    if c.keyword == "required":
        return [], [MISSING]
    if c.keyword == "format":
        if c.value == "int64":
            return [2**63 - 1], [2**63]
        if c.value == "date-time":
            return [], ["2018-02-30T10:00:00Z", "2019-02-29T10:00:00Z"]
    if c.keyword == "nullable":
        return [None], []
    if c.keyword == "additionalProperties":
        return [], []
    raise AssertionError(f"no variants for {c}")


def _cases() -> list[Any]:
    cases = []
    for (spec_name, operation_id), constraints in TABLE.items():
        for c in constraints:
            ident = f"{spec_name}:{operation_id}:{c.location}{c.where or '/'}:{c.keyword}"
            cases.append(pytest.param(spec_name, operation_id, c, id=ident))
    return cases


def _base(spec_name: str, operation_id: str, c: C) -> Any:
    """The documented request, with the constrained field present and alone in its list."""
    request = documented_request(spec_name, operation_id)
    where = concrete(c.where)
    if c.location == "body" and c.where:
        parent, _, last = where.rpartition("/")
        holder = get_at(request.body, parent)
        if isinstance(holder, list):  # a list item: test it as the only item
            request = set_at(request, "body", parent, holder[:1])
        elif last not in holder:  # an optional field: fill it in
            request = set_at(request, "body", where, _sample(spec_name, operation_id, c))
    if c.location == "header" and c.where in _OPTIONAL_SAMPLES:
        request.header.setdefault(c.where[1:], _OPTIONAL_SAMPLES[c.where])
    return request


def _sample(spec_name: str, operation_id: str, c: C) -> Any:
    """A valid value for an optional field the documented example leaves out."""
    siblings = [s for s in TABLE[(spec_name, operation_id)] if s.where == c.where]
    for sibling in siblings:
        if sibling.keyword == "enum":
            return sibling.value[0]
        if sibling.keyword == "pattern":
            return sibling.accept[0]
    for sibling in siblings:
        if sibling.keyword == "type":
            return {"integer": 1, "string": "x", "array": [], "object": {}}[sibling.value]
    raise AssertionError(f"no sample for {c}")


@pytest.mark.parametrize(("spec_name", "operation_id", "constraint"), _cases())
def test_documented_constraint(spec_name: str, operation_id: str, constraint: C) -> None:
    request = _base(spec_name, operation_id, constraint)
    assert reference_errors(spec_name, request) == set(), "the base request must be valid"
    where = concrete(constraint.where)
    current = request.body if constraint.location == "body" else None
    base_value = get_at(current, where) if constraint.location == "body" else None
    accepts, rejects = _variants(constraint, base_value)
    if constraint.keyword == "additionalProperties":
        changed = set_at(request, "body", "/UndocumentedField", 1)
        assert ("body", "", "additionalProperties") in reference_errors(spec_name, changed)
        return
    for value in accepts:
        errors = reference_errors(spec_name, set_at(request, constraint.location, where, value))
        assert errors == set(), f"{value!r} is allowed by the document but rejected: {errors}"
    for value in rejects:
        errors = reference_errors(spec_name, set_at(request, constraint.location, where, value))
        expected = (constraint.location, where, constraint.keyword)
        assert expected in errors, f"{value!r} must be rejected for {expected}, got {errors}"
    assert accepts or rejects, "a constraint with no variant tests nothing"


@pytest.mark.parametrize(("spec_name", "operation_id"), list(TABLE))
def test_table_names_every_declared_constraint(spec_name: str, operation_id: str) -> None:
    declared = declared_constraints(spec_name, operation_id)
    tabled = {(c.location, c.where, c.keyword) for c in TABLE[(spec_name, operation_id)]}
    assert declared - tabled == set(), "constraints in the spec that no test names"
    assert tabled - declared == set(), "documented constraints missing from the spec"


def test_table_covers_every_operation() -> None:
    from ._support import spec, spec_names

    operations = {(name, op.operation_id) for name in spec_names() for op in spec(name).operations}
    assert operations == set(TABLE)
