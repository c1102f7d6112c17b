"""Hand-written checks of the benchmarked request bodies: the yardstick for generated code.

Each check is what a careful engineer writes by hand for a hot path: exact type tests, one
dictionary lookup per field, no helper calls per item, and the first problem returned as a
message (``None`` when the body is valid). Each enforces the same rules as the generated
validator: every JSON Schema constraint of the body schema *and* the schema's CEL ``x-rules``.
Operation-level rules (JD's path parameters repeated in the body) are not body rules and are
left out, as the generated body validator leaves them out.

>>> ivc_create({"TaskName": "n", "StartTime": 0, "EndTime": 1, "Mode": 1, "Expiration": 1,
...             "Channels": [{"DeviceId": "", "ChannelId": ""}]}) is None
True
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

__all__ = ["CHECKS", "ivc_create", "jd_add_record_task", "vcs_create"]

_INT64 = 2**63 - 1
_DAY = 86400
_CST = 8 * 3600  # China Standard Time, UTC+8, no daylight saving

# The specs' ECMA-262 patterns; explicit classes, so Python reads them the same way.
_TASK_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z0-9_-]+")
_UTC_TIME = re.compile(
    r"[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z"
)
_FILE_TYPES = re.compile(r"([tT][sS]|[fF][lL][vV]|[mM][pP]4)(;([tT][sS]|[fF][lL][vV]|[mM][pP]4))*")
_MODELS = frozenset({"face", "body", "motor", "no_motor"})


def ivc_create(body: Any) -> str | None:
    """Tencent IVC ``createRetrieveTask``: the schema, then EndTime > StartTime, a span of at
    most one day, and one China Standard Time calendar day.
    """
    if type(body) is not dict:
        return "/: must be an object"
    try:
        name = body["TaskName"]
        start = body["StartTime"]
        end = body["EndTime"]
        mode = body["Mode"]
        expiration = body["Expiration"]
        channels = body["Channels"]
    except KeyError as missing:
        return f"/{missing.args[0]}: required"
    if type(name) is not str or not 0 < len(name) <= 32 or _TASK_NAME.fullmatch(name) is None:
        return "/TaskName: 1-32 Chinese characters, letters, digits, _ or -"
    if type(start) is not int or not 0 <= start <= _INT64:
        return "/StartTime: must be a non-negative int64"
    if type(end) is not int or not 0 <= end <= _INT64:
        return "/EndTime: must be a non-negative int64"
    if type(mode) is not int or mode != 1:
        return "/Mode: must be 1"
    if type(expiration) is not int or not 1 <= expiration <= 365:
        return "/Expiration: must be an integer from 1 to 365"
    if type(channels) is not list or not 0 < len(channels) <= 32:
        return "/Channels: must be an array of 1 to 32 channels"
    for channel in channels:
        if (
            type(channel) is not dict
            or type(channel.get("DeviceId")) is not str
            or type(channel.get("ChannelId")) is not str
        ):
            return f"/Channels/{channels.index(channel)}: needs DeviceId and ChannelId strings"
    # x-rules (CEL's int division truncates; both times are >= 0 here, so // is the same)
    if end <= start:
        return "/EndTime: must be later than StartTime"
    if end - start > _DAY:
        return "/EndTime: the interval may span at most one day"
    if (start + _CST) // _DAY != (end + _CST) // _DAY:
        return "/EndTime: StartTime and EndTime must fall on the same CST day"
    return None


def _utc_seconds(text: Any) -> int | None:
    """Unix seconds of a ``yyyy-MM-ddTHH:mm:ssZ`` string that is a real date, else None."""
    if type(text) is not str or _UTC_TIME.fullmatch(text) is None:
        return None
    try:
        return int(datetime.fromisoformat(text).timestamp())
    except ValueError:  # February 30th and the like
        return None


def jd_add_record_task(body: Any) -> str | None:
    """JD Cloud ``addLiveRecordTask``: the schema, then per segment startTime < endTime, and
    all segments together spanning 10 seconds to 8 hours.
    """
    if type(body) is not dict:
        return "/: must be an object"
    try:
        segments = body["recordTimes"]
        bucket = body["saveBucket"]
        endpoint = body["saveEndpoint"]
        file_type = body["recordFileType"]
    except KeyError as missing:
        return f"/{missing.args[0]}: required"
    if type(segments) is not list or not 0 < len(segments) <= 10:
        return "/recordTimes: must be an array of 1 to 10 segments"
    if type(bucket) is not str:
        return "/saveBucket: must be a string"
    if type(endpoint) is not str:
        return "/saveEndpoint: must be a string"
    if type(file_type) is not str or _FILE_TYPES.fullmatch(file_type) is None:
        return "/recordFileType: ts, flv or mp4, separated by ;"
    save_object = body.get("saveObject")
    if save_object is not None and type(save_object) is not str:
        return "/saveObject: must be a string or null"
    for name in ("publishDomain", "appName", "streamName"):
        if name in body and type(body[name]) is not str:
            return f"/{name}: must be a string"
    first = last = None
    for index, segment in enumerate(segments):
        if type(segment) is not dict or "startTime" not in segment or "endTime" not in segment:
            return f"/recordTimes/{index}: needs startTime and endTime"
        start = _utc_seconds(segment["startTime"])
        end = _utc_seconds(segment["endTime"])
        if start is None or end is None:
            return f"/recordTimes/{index}: times must be yyyy-MM-ddTHH:mm:ssZ"
        # x-rules of RecordTime
        if start >= end:
            return f"/recordTimes/{index}/endTime: must be later than startTime"
        if first is None or start < first:
            first = start
        if last is None or end > last:
            last = end
    # x-rules of the body: the span of all segments, earliest start to latest end
    span = last - first  # type: ignore[operator]  # both set: there is at least one segment
    if span < 10:
        return "/recordTimes: the segments must span at least 10 seconds"
    if span > 28800:
        return "/recordTimes: the segments must span at most 8 hours"
    return None


def _millis(value: Any) -> bool:
    return type(value) is int and 0 <= value <= _INT64


def vcs_create(body: Any) -> str | None:
    """VCS ``createComputeTask``: the schema (it has no x-rules)."""
    if type(body) is not dict:
        return "/: must be an object"
    try:
        name = body["name"]
        exec_type = body["execType"]
        exec_start = body["execStartTime"]
        sources = body["datasources"]
        algorithms = body["algorithms"]
    except KeyError as missing:
        return f"/{missing.args[0]}: required"
    if type(name) is not str or not name:
        return "/name: must be a non-empty string"
    if exec_type != "historyVideoFile" or type(exec_type) is not str:
        return "/execType: must be historyVideoFile"
    if not _millis(exec_start):
        return "/execStartTime: must be a non-negative int64"
    for optional in ("description", "clientName"):
        value = body.get(optional)
        if value is not None and type(value) is not str:
            return f"/{optional}: must be a string or null"
    if type(sources) is not dict:
        return "/datasources: must be an object"
    devices = sources.get("devices")
    if type(devices) is not list or not devices:
        return "/datasources/devices: must be an array of at least one device"
    for device in devices:
        if (
            type(device) is not dict
            or type(device.get("deviceId")) is not str
            or type(device.get("videoId")) is not str
            or type(device.get("videoTimeLength")) is not int
            or device["videoTimeLength"] < 0
        ):
            return f"/datasources/devices/{devices.index(device)}: bad device"
        begin = device.get("videoBeginTime")
        if begin is not None and not _millis(begin):
            return f"/datasources/devices/{devices.index(device)}/videoBeginTime: bad time"
    if type(algorithms) is not list or not algorithms:
        return "/algorithms: must be an array of at least one algorithm"
    for algorithm in algorithms:
        models = algorithm.get("models") if type(algorithm) is dict else None
        if type(models) is not list or not models:
            return f"/algorithms/{algorithms.index(algorithm)}/models: at least one model"
        for model in models:
            if type(model) is not str or model not in _MODELS:
                return f"/algorithms/{algorithms.index(algorithm)}/models: {model!r} unknown"
        if len(set(models)) != len(models):
            return f"/algorithms/{algorithms.index(algorithm)}/models: must be unique"
    return None


CHECKS = {
    "createRetrieveTask": ivc_create,
    "addLiveRecordTask": jd_add_record_task,
    "createComputeTask": vcs_create,
}
